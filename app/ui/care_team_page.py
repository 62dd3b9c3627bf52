"""The Care team page: each doctor, nurse and clinic looking after the person.

A table of the team (name, role, specialty, institution, phone, fax) and, beside it, an
editor for the chosen one that saves as the user types. Remove is refused while documents,
medications or appointments name the doctor; an in-page message then offers "Remove and
unlink" as the one path that removes them anyway, with the user's consent (those records
stay, naming no doctor). Every operation is one small query on the UI thread.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.records.care_team import (
    ROLES,
    Doctor,
    DoctorInUse,
    add_doctor,
    delete_doctor,
    list_doctors,
    references,
    update_doctor,
)
from app.records.errors import RecordsError
from app.records.models import Person
from app.ui.care_widgets import Problem, debounced
from app.ui.look import EmptyState, Notice, heading, paragraph
from app.ui.record_table import show_as_list
from app.ui.saving_dialog import SavingDialog
from app.vault.binder import Binder

COLUMNS = (
    ("name", "Name"),
    ("role", "Role"),
    ("specialty", "Specialty"),
    ("institution", "Hospital or clinic"),
    ("phone", "Phone"),
    ("fax", "Fax"),
)
DOCTOR_ROLE = Qt.ItemDataRole.UserRole

# field, label, accessible name, placeholder
_FIELDS = (
    ("name", "&Name:", "Name", "Dr. ... or the clinic's name"),
    ("role", "&Role:", "Role for this person", ""),
    ("specialty", "&Specialty:", "Specialty", "for example medical oncology"),
    ("institution", "&Hospital or clinic:", "Hospital or clinic", ""),
    ("portal", "Patient p&ortal:", "Patient portal address", "the web address to sign in"),
    ("phone", "&Phone:", "Phone", ""),
    ("fax", "&Fax:", "Fax", "records are often sent by fax"),
    ("email", "&Email:", "Email", ""),
    ("address", "&Address:", "Address", ""),
)
_LEFT_COLUMN = ("name", "role", "specialty", "institution", "portal")


def _split_last(parts: list[str]) -> list[list[str]]:
    """["a", "b", "c"] -> [["a", "b"], ["c"]], to read "a, b and c"."""
    return [parts[:-1], parts[-1:]] if len(parts) > 1 else [parts]


def _role_box(line: QLineEdit | None = None) -> QComboBox:
    """The usual roles to choose from, or the user's own words."""
    box = QComboBox()
    box.setEditable(True)
    line = line or QLineEdit()
    box.setLineEdit(line)
    box.addItems(list(ROLES))
    box.setCurrentIndex(-1)
    line.setPlaceholderText("choose or type, for example Surgeon")
    box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    return box


class DoctorEditor(QWidget):
    """Every detail of one doctor, saved as typed (after a short pause, or on leaving a
    field). A value the binder refuses is shown beside the form and not saved."""

    saved = Signal(object)  # the Doctor as saved

    def __init__(self, binder: Binder, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.binder = binder
        self.doctor: Doctor | None = None
        self._loading = False
        self.edits: dict[str, QLineEdit] = {}
        # Two columns of fields, then the notes across: short enough to leave room for the
        # list above, and no field wider than what it holds.
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        columns = QHBoxLayout()
        columns.setSpacing(24)
        left_form, right_form = QFormLayout(), QFormLayout()
        for form in (left_form, right_form):
            # Unset, a form takes its parent's spacing (the 24 between the columns).
            form.setVerticalSpacing(8)
            form.setHorizontalSpacing(10)
        columns.addLayout(left_form, 1)
        columns.addLayout(right_form, 1)
        outer.addLayout(columns)
        role_line = QLineEdit()
        self.role = _role_box(role_line)
        self._timers: dict[str, QTimer] = {}
        for field, label, name, placeholder in _FIELDS:
            edit = role_line if field == "role" else QLineEdit()
            if placeholder and field != "role":
                edit.setPlaceholderText(placeholder)
            edit.setAccessibleName(name)
            self.edits[field] = edit
            form = left_form if field in _LEFT_COLUMN else right_form
            form.addRow(label, self.role if field == "role" else edit)
            timer = debounced(self, partial(self.save, field))
            self._timers[field] = timer
            edit.textEdited.connect(timer.start)
            edit.editingFinished.connect(lambda f=field: self.save(f))
        self.role.setAccessibleName("Role for this person")
        self.role.activated.connect(lambda _i: self.save("role"))
        self.notes = QPlainTextEdit()
        self.notes.setAccessibleName("Notes about this doctor")
        self.notes.setPlaceholderText("for example the nurse's name, the best time to call")
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(self.fontMetrics().lineSpacing() * 5)
        self._notes_timer = debounced(self, lambda: self.save("notes"))
        self.notes.textChanged.connect(self._notes_typed)
        right_form.addRow("No&tes:", self.notes)
        self.problem = Problem()
        outer.addWidget(self.problem)
        outer.addStretch(1)
        self.show_doctor(None)

    def _notes_typed(self) -> None:
        if not self._loading:
            self._notes_timer.start()

    def show_doctor(self, doctor: Doctor | None) -> None:
        self.flush()
        self._loading = True
        self.doctor = doctor
        self.setEnabled(doctor is not None)
        self.problem.say("")
        for field, edit in self.edits.items():
            value = getattr(doctor, field) if doctor else ""
            if edit.text() != value:
                edit.setText(value)
        notes = doctor.notes if doctor else ""
        if self.notes.toPlainText() != notes:
            self.notes.setPlainText(notes)
        self._loading = False

    def value_of(self, field: str) -> str:
        if field == "notes":
            return self.notes.toPlainText()
        return self.edits[field].text()

    def flush(self) -> None:
        """Save whatever is still waiting for its pause (before another doctor is shown)."""
        for field, timer in [*self._timers.items(), ("notes", self._notes_timer)]:
            if timer.isActive():
                self.save(field)

    def save(self, field: str) -> None:
        if self._loading or self.doctor is None:
            return
        (self._notes_timer if field == "notes" else self._timers[field]).stop()
        new = self.value_of(field)
        if " ".join(new.split()) == getattr(self.doctor, field) or new == getattr(
            self.doctor, field
        ):
            return
        try:
            updated = update_doctor(self.binder, self.doctor.id, **{field: new})
        except RecordsError as exc:
            self.problem.say(str(exc))
            return
        self.problem.say("")
        self.doctor = updated
        self.saved.emit(updated)


class AddDoctorDialog(SavingDialog):
    """Name and role first; the rest can be filled in the editor afterwards. `saved`
    carries the Doctor as saved."""

    def __init__(self, binder: Binder, person_id: int, parent: QWidget | None = None) -> None:
        super().__init__("Add to the care team", "Add", parent)
        self.binder, self.person_id = binder, person_id
        self.name = QLineEdit()
        self.name.setAccessibleName("Name")
        self.name.setPlaceholderText("Dr. ... or the clinic's name")
        self.role = _role_box()
        self.role.setAccessibleName("Role for this person")
        self.specialty = QLineEdit()
        self.specialty.setAccessibleName("Specialty")
        self.institution = QLineEdit()
        self.institution.setAccessibleName("Hospital or clinic")
        self.phone = QLineEdit()
        self.phone.setAccessibleName("Phone")
        self.fax = QLineEdit()
        self.fax.setAccessibleName("Fax")
        form = self.form
        form.addRow("&Name:", self.name)
        form.addRow("&Role:", self.role)
        form.addRow("&Specialty:", self.specialty)
        form.addRow("&Hospital or clinic:", self.institution)
        form.addRow("&Phone:", self.phone)
        form.addRow("&Fax:", self.fax)
        self.resize(480, self.sizeHint().height())

    def work(self) -> Doctor:
        return add_doctor(
            self.binder,
            self.person_id,
            self.name.text(),
            role=self.role.currentText(),
            specialty=self.specialty.text(),
            institution=self.institution.text(),
            phone=self.phone.text(),
            fax=self.fax.text(),
        )


class CareTeamPage(QWidget):
    status_message = Signal(str)

    def __init__(self, binder: Binder, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.binder = binder
        self.person: Person | None = None
        self.setAccessibleName("Care team")

        self.title = heading("Care team")
        self.add_button = QPushButton("Add a doctor or clinic...")
        self.add_button.setAccessibleName("Add a doctor or clinic to the care team")
        self.add_button.clicked.connect(self.open_add_dialog)
        self.remove_button = QPushButton("Remove")
        self.remove_button.setAccessibleName("Remove the chosen doctor from the care team")
        self.remove_button.clicked.connect(lambda: self.remove_selected())

        self.model = QStandardItemModel(0, len(COLUMNS))
        self.model.setHorizontalHeaderLabels([label for _, label in COLUMNS])
        self.table = QTableView()
        self.table.setModel(self.model)
        show_as_list(self.table, "Care team")
        header = self.table.horizontalHeader()
        # Columns fit their contents, one takes the rest; resized at each reload (not only
        # on a later event, so a grab or a test sees the finished table).
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)

        self.empty = EmptyState("", "")
        self.list_stack = QStackedWidget()
        self.list_stack.addWidget(self.table)
        self.list_stack.addWidget(self.empty)

        self.editor = DoctorEditor(binder)
        self.editor.saved.connect(self._doctor_saved)
        self.details_panel = QWidget()
        self.details_panel.setAccessibleName("Details of the chosen doctor")
        holder_box = QVBoxLayout(self.details_panel)
        holder_box.setContentsMargins(12, 0, 0, 0)
        holder_box.addWidget(heading("Details", 1.15))
        holder_box.addWidget(paragraph("Changes are saved as you type."))
        holder_box.addWidget(self.editor)
        holder_box.addStretch(1)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.list_stack)
        self.splitter.addWidget(self.details_panel)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 0)
        self.splitter.setChildrenCollapsible(False)

        self.notice = Notice()
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        box = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addLayout(buttons)
        box.addLayout(top)
        box.addWidget(self.notice)
        box.addWidget(self.splitter, 1)

        self.table.selectionModel().currentRowChanged.connect(
            lambda _current, _previous: self._show_selected()
        )
        self._show_selected()

    # -- what is shown ---------------------------------------------------------------------

    def set_person(self, person: Person) -> None:
        self.editor.flush()
        self.person = person
        self.notice.hide()
        self.refresh()
        self.select_row(0)

    def refresh(self, select_id: int | None = None) -> None:
        chosen = self.selected_doctor()
        wanted = select_id if select_id is not None else (chosen.id if chosen else None)
        doctors = list_doctors(self.binder, self.person.id) if self.person else []
        self.table.selectionModel().blockSignals(True)
        self.model.removeRows(0, self.model.rowCount())
        for doctor in doctors:
            self.model.appendRow(self._row(doctor))
        self.table.selectionModel().blockSignals(False)
        self.table.horizontalHeader().resizeSections()
        name = self.person.name.split()[0] if self.person and self.person.name else "this person"
        self.details_panel.setVisible(bool(doctors))
        if doctors:
            self.list_stack.setCurrentWidget(self.table)
        else:
            self.empty.set_text(
                "No one in the care team yet",
                f"Add each doctor, nurse and clinic looking after {name}: their phone and "
                "fax numbers are what you need when asking for records or booking a second "
                "opinion.",
            )
            self.list_stack.setCurrentWidget(self.empty)
        if wanted is None or not self.select_doctor(wanted):
            self.select_row(0)

    @staticmethod
    def _row(doctor: Doctor) -> list[QStandardItem]:
        items = []
        for field, _label in COLUMNS:
            item = QStandardItem(getattr(doctor, field))
            item.setData(doctor, DOCTOR_ROLE)
            item.setToolTip(getattr(doctor, field))
            items.append(item)
        return items

    def _doctor_saved(self, doctor: Doctor) -> None:
        row = self._row_of(doctor.id)
        if row >= 0:
            for column, (field, _label) in enumerate(COLUMNS):
                item = self.model.item(row, column)
                item.setText(getattr(doctor, field))
                item.setData(doctor, DOCTOR_ROLE)
        self.status_message.emit(f"Saved {doctor.name}.")

    def _row_of(self, doctor_id: int) -> int:
        for row in range(self.model.rowCount()):
            doctor = self.model.item(row, 0).data(DOCTOR_ROLE)
            if isinstance(doctor, Doctor) and doctor.id == doctor_id:
                return row
        return -1

    def select_row(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            self.table.selectionModel().setCurrentIndex(
                self.model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
        else:
            self.table.selectionModel().clearCurrentIndex()
        self._show_selected()

    def select_doctor(self, doctor_id: int) -> bool:
        row = self._row_of(doctor_id)
        if row >= 0:
            self.select_row(row)
        return row >= 0

    def selected_doctor(self) -> Doctor | None:
        index = self.table.selectionModel().currentIndex()
        if not index.isValid():
            return None
        doctor = self.model.item(index.row(), 0).data(DOCTOR_ROLE)
        return doctor if isinstance(doctor, Doctor) else None

    def _show_selected(self) -> None:
        doctor = self.selected_doctor()
        if self.editor.doctor is None or doctor is None or self.editor.doctor.id != doctor.id:
            self.editor.show_doctor(doctor)
        self.remove_button.setEnabled(doctor is not None)

    def names_shown(self) -> list[str]:
        return [self.model.item(row, 0).text() for row in range(self.model.rowCount())]

    def flush(self) -> None:
        """Save an edit still waiting for a pause in typing (before closing the binder)."""
        self.editor.flush()

    def showEvent(self, event: QShowEvent) -> None:
        # Another page may have changed what this one shows (a doctor renamed, a
        # medication's prescriber removed): read it again when the page comes into view.
        super().showEvent(event)
        if self.person is not None:
            self.refresh()

    # -- add and remove ----------------------------------------------------------------------

    def open_add_dialog(self) -> AddDoctorDialog | None:
        if self.person is None:
            return None
        dialog = AddDoctorDialog(self.binder, self.person.id, self)
        dialog.saved.connect(self._added)
        dialog.open()
        return dialog

    def _added(self, doctor: Doctor) -> None:
        self.refresh(select_id=doctor.id)
        self.notice.show_message(f"Added {doctor.name} to the care team.")
        self.status_message.emit(f"Added {doctor.name}.")

    def remove_selected(self, unlink: bool = False) -> None:
        """Remove the chosen doctor; while records name them, ask first (in the page)."""
        doctor = self.selected_doctor()
        if doctor is None:
            return
        self.editor.flush()
        try:
            delete_doctor(self.binder, doctor.id, unlink=unlink)
        except DoctorInUse:
            used = references(self.binder, doctor.id)
            what = " and ".join(
                ", ".join(parts)
                for parts in _split_last(
                    [f"{n} {label}{'s' if n > 1 else ''}" for label, n in used.items()]
                )
            )
            self.notice.show_message(
                f"{doctor.name} is still named by {what}, so nothing was removed. If you "
                "remove them anyway, those records are kept, naming no doctor.",
                "Remove and unlink",
                lambda: self._remove_and_unlink(doctor.id),
            )
            return
        except RecordsError as exc:
            self.notice.show_message(str(exc))
            return
        row = self.table.currentIndex().row()
        self.editor.show_doctor(None)
        self.refresh()
        self.select_row(min(row, self.model.rowCount() - 1))
        self.notice.show_message(f"{doctor.name} is no longer in the care team.")
        self.status_message.emit(f"Removed {doctor.name}.")

    def _remove_and_unlink(self, doctor_id: int) -> None:
        if self.select_doctor(doctor_id):
            self.remove_selected(unlink=True)
