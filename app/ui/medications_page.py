"""The Medications page: the whole medication history of the person, not only today's list.

Views: Current, Past, All, and a Timeline; the person's allergies on one line above them
(clinical_lists.AllergiesStrip). The table shows each drug's current dose and its
dates; the details beside it show the dose history. Add, Change dose, Stop and Edit open
small dialogs (medications_dialogs.py). Every read and edit here is one small query on the
binder's own connection, so it runs on the UI thread.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTabBar,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.records.date_display import shown_date
from app.records.doses import dose_words
from app.records.medications import Medication, MedicationView, list_medications
from app.records.models import Person
from app.ui.clinical_lists import AllergiesStrip
from app.ui.column_fit import fit_columns
from app.ui.look import EmptyState, Notice, heading, scrolled
from app.ui.medications_dialogs import ChangeDoseDialog, MedicationDialog, StopDialog
from app.ui.medications_model import (
    COL_BY,
    COL_DOSE,
    COL_HOW_OFTEN,
    COL_NAME,
    COL_STARTED,
    COL_STOPPED,
    COL_WHY,
    MEDICATION_ROLE,
    SORT_ROLE,
    MedicationTableModel,
    stopped_words,
)
from app.ui.medications_timeline import MedicationTimeline
from app.ui.record_table import show_as_list
from app.vault.binder import Binder

VIEWS = (
    ("Current", MedicationView.CURRENT),
    ("Past", MedicationView.PAST),
    ("All", MedicationView.ALL),
    ("Timeline", MedicationView.ALL),
)
TIMELINE = 3


def details_html(med: Medication) -> str:
    """The selected drug in words, with every dose change."""
    e = html.escape
    facts = [
        ("Dose now", dose_words(med.current_dose, med.current_how_often)),
        ("How it is taken", med.route),
        ("Why", med.purpose),
        ("Prescribed by", med.prescriber or ""),
        ("Side effects", med.side_effects),
    ]
    rows = "".join(
        f"<tr><td style='padding-right:12px'><b>{e(k)}</b></td><td>{e(v)}</td></tr>"
        for k, v in facts
        if v
    )
    first = dose_words(med.dose or "no recorded dose", med.how_often, joiner=", ")
    history = [f"<li>{e(shown_date(med.start_date, 'Date not known'))}: started at {e(first)}</li>"]
    for change in med.changes:
        what = dose_words(change.dose, change.how_often, joiner=", ")
        why = f" ({e(change.note)})" if change.note else ""
        history.append(f"<li>{e(shown_date(change.changed_on))}: changed to {e(what)}{why}</li>")
    if med.stop_date:
        verb = "to stop" if med.still_taking else "stopped"
        history.append(f"<li>{e(shown_date(med.stop_date))}: {verb}</li>")
    else:
        history.append("<li>Still taking it</li>")
    notes = f"<p><b>Notes</b><br>{e(med.notes)}</p>" if med.notes else ""
    return (
        f"<h2>{e(med.name)}</h2><table>{rows}</table>"
        f"<p><b>Dose history</b></p><ul>{''.join(history)}</ul>{notes}"
    )


class MedicationsPage(QWidget):
    status_message = Signal(str)

    def __init__(self, binder: Binder, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.binder = binder
        self.person: Person | None = None
        self.setAccessibleName("Medications")

        self.title = heading("Medications")
        self.views = QTabBar()
        self.views.setAccessibleName("Which medications to show")
        self.views.setExpanding(False)
        for text, _view in VIEWS:
            self.views.addTab(text)
        self.views.setTabToolTip(0, "Medicines taken now")
        self.views.setTabToolTip(1, "Medicines stopped, with their dates and doses")
        self.views.setTabToolTip(2, "Every medicine, now and before")
        self.views.setTabToolTip(3, "Every medicine drawn across time, with dose changes")

        self.add_button = QPushButton("Add a medication...")
        self.change_button = QPushButton("Change the dose...")
        self.stop_button = QPushButton("Stop taking...")
        self.edit_button = QPushButton("Edit...")
        for button, name in (
            (self.add_button, "Add a medication"),
            (self.change_button, "Change the dose of the chosen medication"),
            (self.stop_button, "Mark the chosen medication as stopped"),
            (self.edit_button, "Edit the chosen medication"),
        ):
            button.setAccessibleName(name)
        self.add_button.clicked.connect(self.open_add_dialog)
        self.change_button.clicked.connect(self.open_change_dose_dialog)
        self.stop_button.clicked.connect(self.open_stop_dialog)
        self.edit_button.clicked.connect(self.open_edit_dialog)

        self.model = MedicationTableModel()
        self.proxy = QSortFilterProxyModel()
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COL_STARTED, Qt.SortOrder.AscendingOrder)
        show_as_list(self.table, "Medications")
        self.table.doubleClicked.connect(lambda _index: self.open_edit_dialog())
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        # Columns share the width by content; the words ones wrap when it is short.
        self.columns = fit_columns(
            self.table,
            wrap=(COL_NAME, COL_DOSE, COL_HOW_OFTEN, COL_WHY, COL_BY, COL_STARTED, COL_STOPPED),
        )

        self.timeline = MedicationTimeline()
        self.timeline.chosen.connect(self.select_medication)
        timeline_scroll = QScrollArea()
        timeline_scroll.setWidgetResizable(True)
        timeline_scroll.setWidget(self.timeline)
        timeline_scroll.setAccessibleName("Medication timeline")
        self.empty = EmptyState("", "")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(timeline_scroll)
        self.stack.addWidget(self.empty)

        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details.setAccessibleName("Details of the chosen medication")
        self.details.setContentsMargins(12, 0, 8, 0)
        self.details_panel = scrolled(self.details)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.stack)
        self.splitter.addWidget(self.details_panel)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([700, 300])
        self.splitter.setChildrenCollapsible(False)

        # Allergies above the list in every view: a doctor reading the medicines looks here.
        self.allergies = AllergiesStrip(binder)
        self.allergies.status_message.connect(self.status_message)

        self.notice = Notice()
        buttons = QHBoxLayout()
        buttons.addWidget(self.views)
        buttons.addStretch(1)
        for button in (self.add_button, self.change_button, self.stop_button, self.edit_button):
            buttons.addWidget(button)
        box = QVBoxLayout(self)
        box.addWidget(self.title)
        box.addWidget(self.allergies)
        box.addLayout(buttons)
        box.addWidget(self.notice)
        box.addWidget(self.splitter, 1)

        self.views.currentChanged.connect(lambda _i: self.refresh())
        self.table.selectionModel().currentRowChanged.connect(
            lambda _current, _previous: self._show_selected()
        )
        self.refresh()

    # -- what is shown ---------------------------------------------------------------------

    def set_person(self, person: Person) -> None:
        self.person = person
        self.notice.hide()
        self.allergies.set_person(person)
        self.refresh()
        self.select_row(0)

    def view(self) -> MedicationView:
        return VIEWS[self.views.currentIndex()][1]

    def show_view(self, name: str) -> None:
        """Switch to "Current", "Past", "All" or "Timeline"."""
        self.views.setCurrentIndex([text for text, _ in VIEWS].index(name))

    def refresh(self, select_id: int | None = None) -> None:
        if self.person is None:
            self.model.set_medications([])
            self._update_stack()
            return
        chosen = self.selected_medication()
        wanted = select_id if select_id is not None else (chosen.id if chosen else None)
        meds = list_medications(self.binder, self.person.id, self.view())
        self.model.set_medications(meds)
        self.table.horizontalHeader().resizeSections()
        if self.views.currentIndex() == TIMELINE:
            self.timeline.set_medications(meds)
        self._update_stack()
        if wanted is None or not self.select_medication(wanted):
            self.select_row(0)

    def _update_stack(self) -> None:
        name = self.person.name.split()[0] if self.person and self.person.name else "this person"
        index = self.views.currentIndex()
        self.details_panel.setVisible(self.model.rowCount() > 0)
        if self.model.rowCount() == 0:
            texts = {
                0: (
                    "No current medications",
                    f"Add every medicine {name} takes now, with its dose and why. Include "
                    "vitamins and medicines bought without a prescription: doctors want "
                    "to know about them too.",
                ),
                1: (
                    "No past medications",
                    "Medicines that were stopped appear here, with when they were taken and "
                    "at which doses. Some have effects years later, so the history matters.",
                ),
            }
            title, text = texts.get(
                index,
                (
                    "No medications yet",
                    f"Add the medicines {name} takes or has taken. Dates can be partial: "
                    "“March 2024” or “2024” is fine when that is all you remember.",
                ),
            )
            self.empty.set_text(title, text, "Add a medication...", self.open_add_dialog)
            self.stack.setCurrentWidget(self.empty)
        elif index == TIMELINE:
            self.stack.setCurrentIndex(1)
        else:
            self.stack.setCurrentWidget(self.table)

    def _show_selected(self) -> None:
        med = self.selected_medication()
        for button in (self.change_button, self.stop_button, self.edit_button):
            button.setEnabled(med is not None)
        self.stop_button.setEnabled(med is not None and med.stop_date is None)
        if med is None:
            self.details.setText(
                "<p>Choose a medicine in the list to see its dose history here.</p>"
                if self.model.rowCount()
                else ""
            )
        else:
            self.details.setText(details_html(med))
        self.timeline.set_chosen(med.id if med else None)

    def select_row(self, row: int) -> None:
        if 0 <= row < self.proxy.rowCount():
            self.table.selectionModel().setCurrentIndex(
                self.proxy.index(row, COL_NAME),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
        else:
            self.table.selectionModel().clearCurrentIndex()
        self._show_selected()

    def select_medication(self, med_id: int) -> bool:
        row = self.model.row_of(med_id)
        if row < 0:
            return False
        self.select_row(self.proxy.mapFromSource(self.model.index(row, 0)).row())
        return True

    def selected_medication(self) -> Medication | None:
        index = self.table.selectionModel().currentIndex()
        if not index.isValid() or not self.table.selectionModel().isRowSelected(
            index.row(), QModelIndex()
        ):
            return None
        med = index.data(MEDICATION_ROLE)
        return med if isinstance(med, Medication) else None

    def names_shown(self) -> list[str]:
        """The drug names in the table, top to bottom (what the user reads)."""
        return [str(self.proxy.index(row, COL_NAME).data()) for row in range(self.proxy.rowCount())]

    def flush(self) -> None:
        """Nothing waits to be saved here: every dialog saves when it closes."""

    def showEvent(self, event: QShowEvent) -> None:
        # Another page may have changed what this one shows (a doctor renamed, a
        # medication's prescriber removed): read it again when the page comes into view.
        super().showEvent(event)
        if self.person is not None:
            self.refresh()
            self.allergies.refresh()  # a portal file may have brought some in

    # -- dialogs -----------------------------------------------------------------------------

    def open_add_dialog(self) -> MedicationDialog | None:
        if self.person is None:
            return None
        dialog = MedicationDialog(self.binder, self.person.id, parent=self)
        dialog.saved.connect(self._added)
        dialog.open()
        return dialog

    def open_edit_dialog(self) -> MedicationDialog | None:
        med = self.selected_medication()
        if med is None or self.person is None:
            return None
        dialog = MedicationDialog(self.binder, self.person.id, med, parent=self)
        dialog.saved.connect(lambda m: self._saved(m, f"Saved the changes to {m.name}."))
        dialog.removed.connect(self._removed)
        dialog.open()
        return dialog

    def _removed(self, med: Medication) -> None:
        self.refresh()
        message = f"Removed {med.name}."
        self.notice.show_message(message)
        self.status_message.emit(message)

    def open_change_dose_dialog(self) -> ChangeDoseDialog | None:
        med = self.selected_medication()
        if med is None:
            return None
        dialog = ChangeDoseDialog(self.binder, med, parent=self)
        dialog.saved.connect(
            lambda m: self._saved(m, f"{m.name}: the dose is now {m.current_dose}.")
        )
        dialog.open()
        return dialog

    def open_stop_dialog(self) -> StopDialog | None:
        med = self.selected_medication()
        if med is None:
            return None
        dialog = StopDialog(self.binder, med, parent=self)
        dialog.saved.connect(lambda m: self._saved(m, ""))
        dialog.open()
        return dialog

    def _added(self, med: Medication) -> None:
        self._saved(med, f"Added {med.name}.")

    def _saved(self, med: Medication, message: str) -> None:
        self.refresh(select_id=med.id)
        if self.selected_medication() is None and self.views.currentIndex() != TIMELINE:
            # It left this view (stopped, or added as a past medicine): say where it went.
            where = "Current" if med.still_taking else "Past"
            self.notice.show_message(
                f"{med.name} is now under {where}"
                + (f", stopped {shown_date(med.stop_date)}." if med.stop_date else "."),
                f"Show {where}",
                lambda: self._show_in(where, med.id),
            )
        elif message:
            self.notice.show_message(message)
        self.status_message.emit(message or f"{med.name}: {stopped_words(med)}.")

    def _show_in(self, view: str, med_id: int) -> None:
        self.show_view(view)
        self.select_medication(med_id)
