"""One appointment in full: when (in its time zone), with whom, where, why, kind, status;
the questions to ask, checked off with their answers; the visit notes and what is attached
(a recording of the talk, a photo of a handout, a document from the library); what to bring.

Everything saves as the user works: a check box at once, an answer or the notes after a
short pause in typing (and when the user leaves the field or chooses another appointment).
A value the binder refuses is said in the panel, never raised. A file attached from disk is
imported on a worker (encrypted into the library like any import), then linked.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent, QMouseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.ingest.kinds import DocumentKind
from app.progress import CancelFlag, Progress
from app.records.appointments import (
    QUESTION_STARTERS,
    Appointment,
    AppointmentStatus,
    attach_document,
    attachments,
    bring_document,
    detach,
    documents_to_bring,
    get_appointment,
    overlapping,
    set_notes,
    set_status,
)
from app.records.care_team import get_doctor
from app.records.date_display import shown_date
from app.records.documents import get_document, list_documents
from app.records.errors import NotFound, RecordsError
from app.records.importer import ImportResult, Outcome, import_file
from app.records.models import Document
from app.records.questions import (
    Question,
    add_question,
    answer_question,
    delete_question,
    list_questions,
)
from app.records.thread_binder import on_this_thread
from app.ui.care_widgets import Problem
from app.ui.care_words import (
    appointment_when,
    clock,
    day,
    reminder_words,
)
from app.ui.jobs import run_job
from app.ui.look import heading, paragraph
from app.vault.binder import Binder

SAVE_DELAY_MS = 800
ATTACHMENT_ROLE = Qt.ItemDataRole.UserRole  # the attachment's id
DOCUMENT_ROLE = Qt.ItemDataRole.UserRole + 1  # the attached document's id
ATTACHABLE_FILES = (
    "Recordings, photos and documents (*.mp3 *.m4a *.wav *.ogg *.oga *.opus *.flac *.aac "
    "*.jpg *.jpeg *.png *.heic *.tif *.tiff *.pdf *.txt *.docx *.xml *.json);;All files (*)"
)


def _debounced(parent: QWidget, action: Callable[[], None]) -> QTimer:
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(SAVE_DELAY_MS)
    timer.timeout.connect(action)
    return timer


class NotesBox(QPlainTextEdit):
    """A text box that says when the user leaves it."""

    left = Signal()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.left.emit()


class QuestionLabel(QLabel):
    """The question's words, wrapped; a click on them ticks the box beside them."""

    clicked = Signal()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        self.clicked.emit()


class QuestionRow(QWidget):
    """A check box ("answered"), the question, the answer, and Remove."""

    removed = Signal(int)

    def __init__(self, binder: Binder, question: Question, problem: Problem) -> None:
        super().__init__()
        self.binder, self.question, self.problem = binder, question, problem
        self.check = QCheckBox()
        self.check.setChecked(question.answered)
        self.check.setAccessibleName(f"Answered: {question.text}")
        self.label = QuestionLabel(question.text)
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.clicked.connect(self.check.toggle)
        self.answer = QLineEdit(question.answer)
        self.answer.setPlaceholderText("the answer, in a few words")
        self.answer.setAccessibleName(f"Answer to: {question.text}")
        self.remove = QToolButton()
        self.remove.setText("Remove")
        self.remove.setAutoRaise(True)
        self.remove.setAccessibleName(f"Remove the question: {question.text}")
        self.remove.clicked.connect(lambda: self.removed.emit(question.id))
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 2, 0, 6)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(2)
        grid.addWidget(self.check, 0, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.label, 0, 1)
        grid.addWidget(self.remove, 0, 2, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.answer, 1, 1, 1, 2)
        grid.setColumnStretch(1, 1)
        self._timer = _debounced(self, self.save)
        self.check.toggled.connect(lambda _on: self.save())
        self.answer.textEdited.connect(self._timer.start)
        self.answer.editingFinished.connect(self.save)

    def flush(self) -> None:
        if self._timer.isActive():
            self.save()

    def save(self) -> None:
        self._timer.stop()
        answered, answer = self.check.isChecked(), self.answer.text().strip()
        if (answered, answer) == (self.question.answered, self.question.answer):
            return
        try:
            self.question = answer_question(self.binder, self.question.id, answer, answered)
        except RecordsError as exc:
            self.problem.say(str(exc))


class LibraryPicker(QDialog):
    """The person's documents to choose from (several at once), to attach to a visit."""

    def __init__(self, documents: list[Document], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Attach from the library")
        self.list = QListWidget()
        self.list.setAccessibleName("Documents in the library")
        self.list.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self.list.setSpacing(2)
        for doc in documents:
            item = QListWidgetItem(f"{_document_words(doc.title, doc.date)} · {kind_words(doc)}")
            item.setData(DOCUMENT_ROLE, doc.id)
            self.list.addItem(item)
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.attach_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.attach_button.setText("Attach")
        self.attach_button.setAccessibleName("Attach the chosen documents")
        self.attach_button.setEnabled(False)
        self.list.itemSelectionChanged.connect(
            lambda: self.attach_button.setEnabled(bool(self.list.selectedItems()))
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addWidget(paragraph("Choose one or more documents to attach to this appointment."))
        box.addWidget(self.list, 1)
        box.addWidget(self.buttons)
        self.resize(680, 400)

    def chosen(self) -> list[int]:
        return [int(item.data(DOCUMENT_ROLE)) for item in self.list.selectedItems()]


class AppointmentDetails(QWidget):
    """The chosen appointment. `changed` is emitted with it after a save the list shows
    (its status); `open_document` with a document's id when the user asks to see an
    attachment; `documents_added` after a file attached from disk joined the library."""

    changed = Signal(object)
    open_document = Signal(int)
    documents_added = Signal()

    def __init__(self, binder: Binder, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.binder = binder
        self.appointment: Appointment | None = None
        self._loading = False
        self.setAccessibleName("The chosen appointment")

        self.title = heading("", 1.3)
        self.when = QLabel()
        self.with_whom = QLabel()
        self.where = QLabel()
        self.kind = QLabel()
        self.reminder = QLabel()
        for label, name in (
            (self.when, "When"),
            (self.with_whom, "With whom"),
            (self.where, "Where"),
            (self.kind, "Kind of appointment"),
            (self.reminder, "Reminder"),
        ):
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setAccessibleName(name)
        self.status = QComboBox()
        self.status.setAccessibleName("Status of the appointment")
        for status in AppointmentStatus:
            self.status.addItem(status.label, status.value)
        self.status.activated.connect(lambda _i: self._status_chosen())
        self.status.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        facts = QFormLayout()
        facts.addRow("When:", self.when)
        facts.addRow("With:", self.with_whom)
        facts.addRow("Where:", self.where)
        facts.addRow("Kind:", self.kind)
        facts.addRow("Reminder:", self.reminder)
        facts.addRow("&Status:", self.status)
        self.hint = paragraph("")
        self.hint.setAccessibleName("About this appointment")
        self.problem = Problem()

        # Questions
        self.questions_box = QVBoxLayout()
        self.questions_box.setSpacing(0)
        self.no_questions = paragraph(
            "No questions yet. Write down what you want to ask: it is easy to forget in the room."
        )
        self.new_question = QLineEdit()
        self.new_question.setPlaceholderText("Write a question, then press Enter")
        self.new_question.setAccessibleName("New question")
        self.new_question.returnPressed.connect(self.add_typed_question)
        self.add_question_button = QPushButton("Add question")
        self.add_question_button.setAccessibleName("Add the question")
        self.add_question_button.clicked.connect(self.add_typed_question)
        self.ideas = QToolButton()
        self.ideas.setText("Ideas...")
        self.ideas.setAccessibleName("Ideas for questions")
        self.ideas.setToolTip("Questions many patients ask. Pick one to edit it before adding.")
        self.ideas.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.ideas_menu = QMenu(self.ideas)
        self.ideas.setMenu(self.ideas_menu)
        self.ideas_menu.aboutToShow.connect(self._fill_ideas)
        new_row = QHBoxLayout()
        new_row.addWidget(self.new_question, 1)
        new_row.addWidget(self.add_question_button)
        new_row.addWidget(self.ideas)

        # Visit notes
        self.notes = NotesBox()
        self.notes.setAccessibleName("Visit notes")
        self.notes.setPlaceholderText(
            "What the doctor said, the words to look up, what happens next"
        )
        self.notes.setTabChangesFocus(True)
        self.notes.setMinimumHeight(self.fontMetrics().lineSpacing() * 5)
        self.notes.setMaximumHeight(self.fontMetrics().lineSpacing() * 8)
        self._notes_timer = _debounced(self, self.save_notes)
        self.notes.textChanged.connect(self._notes_typed)
        self.notes.left.connect(self.save_notes)

        # Attachments
        self.attach_list = QListWidget()
        self.attach_list.setAccessibleName("Attachments of this appointment")
        self.attach_list.setToolTip("Double-click one to open it on the Documents page.")
        self.attach_list.setSpacing(2)
        self.attach_list.setMaximumHeight(self.fontMetrics().lineSpacing() * 6)
        self.attach_list.itemDoubleClicked.connect(
            lambda item: self.open_document.emit(int(item.data(DOCUMENT_ROLE)))
        )
        self.attach_list.itemSelectionChanged.connect(self._attach_selection_changed)
        self.attach_note = paragraph("")
        self.attach_note.setAccessibleName("About the attachments")
        self.attach_file_button = QPushButton("Attach a file...")
        self.attach_file_button.setAccessibleName(
            "Attach a file, such as a recording of the talk or a photo of a handout"
        )
        self.attach_file_button.clicked.connect(self.choose_file_to_attach)
        self.attach_library_button = QPushButton("Attach from the library...")
        self.attach_library_button.setAccessibleName("Attach a document already in the binder")
        self.attach_library_button.clicked.connect(lambda: self.open_library_picker())
        self.detach_button = QPushButton("Remove")
        self.detach_button.setAccessibleName(
            "Remove the chosen attachment (the document stays in the library)"
        )
        self.detach_button.setToolTip("The document stays in the library.")
        self.detach_button.clicked.connect(self.remove_attachment)
        self.detach_button.setEnabled(False)
        attach_row = QHBoxLayout()
        attach_row.addWidget(self.attach_file_button)
        attach_row.addWidget(self.attach_library_button)
        attach_row.addStretch(1)
        attach_row.addWidget(self.detach_button)

        # What to bring
        self.bring_list = QListWidget()
        self.bring_list.setAccessibleName("Documents to bring")
        self.bring_list.setMaximumHeight(self.fontMetrics().lineSpacing() * 6)
        self.bring_choice = QComboBox()
        self.bring_choice.setAccessibleName("A document to bring")
        self.bring_choice.setMinimumContentsLength(20)
        self.bring_choice.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.bring_button = QPushButton("Add to the list")
        self.bring_button.setAccessibleName("Add the document to the list of what to bring")
        self.bring_button.clicked.connect(self.bring_chosen)
        bring_row = QHBoxLayout()
        self.bring_label = QLabel("&Also bring:")
        self.bring_label.setBuddy(self.bring_choice)
        bring_row.addWidget(self.bring_label)
        bring_row.addWidget(self.bring_choice, 1)
        bring_row.addWidget(self.bring_button)

        box = QVBoxLayout(self)
        box.setContentsMargins(12, 0, 12, 12)
        box.addWidget(self.title)
        box.addLayout(facts)
        box.addWidget(self.hint)
        box.addWidget(self.problem)
        box.addWidget(_rule())
        self.questions_heading = heading("Questions to ask", 1.15)
        box.addWidget(self.questions_heading)
        box.addLayout(self.questions_box)
        box.addWidget(self.no_questions)
        box.addLayout(new_row)
        box.addWidget(_rule())
        box.addWidget(heading("Visit notes", 1.15))
        box.addWidget(self.notes)
        box.addWidget(heading("Attachments", 1.05))
        self.attach_empty = paragraph(
            "Nothing attached. Attach a recording of the talk (ask first), a photo of a "
            "handout, or a document from the library."
        )
        box.addWidget(self.attach_empty)
        box.addWidget(self.attach_list)
        box.addWidget(self.attach_note)
        box.addLayout(attach_row)
        box.addWidget(_rule())
        box.addWidget(heading("What to bring", 1.15))
        self.bring_empty = paragraph("")
        box.addWidget(self.bring_empty)
        box.addWidget(self.bring_list)
        box.addLayout(bring_row)
        box.addStretch(1)
        self.rows: list[QuestionRow] = []

    # -- showing -----------------------------------------------------------------------------

    def show_appointment(self, appointment: Appointment | None) -> None:
        self.flush()
        self._loading = True
        self.appointment = appointment
        self.problem.say("")
        self.setVisible(appointment is not None)
        if appointment is not None:
            self._fill(appointment)
            self._fill_questions()
            self._fill_attachments()
            self.attach_note.setText("")
            self.attach_note.setVisible(False)
            self._fill_bring()
            if self.notes.toPlainText() != appointment.notes:
                self.notes.setPlainText(appointment.notes)
            self.new_question.clear()
        self._loading = False

    def _fill(self, appointment: Appointment) -> None:
        self.title.setText(appointment.purpose or appointment.kind.label)
        done = appointment.status is AppointmentStatus.DONE
        self.questions_heading.setText("Questions asked" if done else "Questions to ask")
        self.title.setAccessibleName(self.title.text())
        self.when.setText(appointment_when(appointment))
        from app.records.recurrence import get_recurrence, occurrences

        rule = get_recurrence(self.binder, appointment.id)
        if rule is not None:  # treatment cycles: how often, and the last one
            last = occurrences(appointment, rule)[-1].starts_at
            self.when.setText(
                f"{self.when.text()}\nRepeats {rule.words()}, the last on {shown_date(last.date())}"
            )
        self.with_whom.setText(self._doctor_words(appointment))
        self.where.setText(appointment.location or "Not noted")
        self.kind.setText(appointment.kind.label)
        self.reminder.setText(reminder_words(appointment.reminder_minutes))
        self.status.setCurrentIndex(self.status.findData(appointment.status.value))
        hints = []
        if appointment.needs_status:
            hints.append(
                "This appointment has passed. Did it take place? Choose Done or Cancelled."
            )
        others = overlapping(self.binder, appointment)
        if others and appointment.status is not AppointmentStatus.CANCELLED:
            said = "; ".join(
                f"{o.purpose or o.kind.label} ({day(o.local_start)}, {clock(o.local_start)})"
                for o in others
            )
            hints.append(f"Good to know: this overlaps with {said}.")
        self.hint.setText(" ".join(hints))
        self.hint.setVisible(bool(hints))

    def _doctor_words(self, appointment: Appointment) -> str:
        if appointment.doctor_id is None:
            return "No one from the care team named"
        try:
            doctor = get_doctor(self.binder, appointment.doctor_id)
        except NotFound:
            return appointment.doctor or ""
        parts = [doctor.name]
        if doctor.specialty:
            parts.append(doctor.specialty)
        if doctor.phone:
            parts.append(f"phone {doctor.phone}")
        return ", ".join(parts)

    def _fill_questions(self) -> None:
        for row in self.rows:
            # Out of the layout now (deleteLater alone waits for the event loop).
            self.questions_box.removeWidget(row)
            row.hide()
            row.deleteLater()
        self.rows = []
        appointment = self.appointment
        if appointment is None:
            return
        for question in list_questions(self.binder, appointment.person_id, appointment.id):
            row = QuestionRow(self.binder, question, self.problem)
            row.removed.connect(self.remove_question)
            self.questions_box.addWidget(row)
            row.show()  # at once, not when the event loop next runs
            self.rows.append(row)
        self.no_questions.setVisible(not self.rows)

    def _fill_bring(self) -> None:
        appointment = self.appointment
        self.bring_list.clear()
        self.bring_choice.clear()
        if appointment is None:
            return
        chosen = documents_to_bring(self.binder, appointment.id)
        for doc_id in chosen:
            try:
                doc = get_document(self.binder, doc_id)
            except NotFound:
                continue
            self.bring_list.addItem(_document_words(doc.title, doc.date))
        for doc in list_documents(self.binder, appointment.person_id):
            if doc.id not in chosen:
                self.bring_choice.addItem(_document_words(doc.title, doc.date), doc.id)
        has = self.bring_list.count() > 0
        self.bring_list.setVisible(has)
        self.bring_empty.setText(
            "Nothing listed yet. Choose the records from the binder to take to this appointment."
            if not has
            else "These records from the binder:"
        )
        self.bring_choice.setEnabled(self.bring_choice.count() > 0)
        self.bring_button.setEnabled(self.bring_choice.count() > 0)
        if self.bring_choice.count() == 0 and not has:
            self.bring_empty.setText(
                "Documents you import can be listed here, to remember to bring them."
            )

    def _fill_attachments(self) -> None:
        self.attach_list.clear()
        appointment = self.appointment
        if appointment is None:
            return
        for attachment in attachments(self.binder, appointment.id):
            try:
                doc = get_document(self.binder, attachment.document_id)
            except NotFound:
                continue
            words = f"{_document_words(doc.title, doc.date)} · {kind_words(doc)}"
            if attachment.label:
                words = f"{attachment.label}: {words}"
            if doc.in_trash:
                words += " (in the Trash)"
            item = QListWidgetItem(words)
            item.setData(ATTACHMENT_ROLE, attachment.id)
            item.setData(DOCUMENT_ROLE, doc.id)
            item.setToolTip(f"{doc.original_name}. Double-click to open it on the Documents page.")
            self.attach_list.addItem(item)
        has = self.attach_list.count() > 0
        self.attach_list.setVisible(has)
        self.attach_empty.setVisible(not has)
        self._attach_selection_changed()

    def attachment_texts(self) -> list[str]:
        return [self.attach_list.item(i).text() for i in range(self.attach_list.count())]

    def _attach_selection_changed(self) -> None:
        self.detach_button.setEnabled(bool(self.attach_list.selectedItems()))

    def _say_attached(self, text: str) -> None:
        self.attach_note.setText(text)
        self.attach_note.setAccessibleName(text or "About the attachments")
        self.attach_note.setVisible(bool(text))

    def question_texts(self) -> list[str]:
        return [row.question.text for row in self.rows]

    # -- saving ------------------------------------------------------------------------------

    def flush(self) -> None:
        """Save what is still waiting for a pause in typing."""
        if self._notes_timer.isActive():
            self.save_notes()
        for row in self.rows:
            row.flush()

    def _notes_typed(self) -> None:
        if not self._loading:
            self._notes_timer.start()

    def save_notes(self) -> None:
        self._notes_timer.stop()
        appointment = self.appointment
        if appointment is None or self._loading:
            return
        text = self.notes.toPlainText()
        if text == appointment.notes:
            return
        try:
            self.appointment = set_notes(self.binder, appointment.id, text)
        except RecordsError as exc:
            self.problem.say(str(exc))

    def _status_chosen(self) -> None:
        appointment = self.appointment
        if appointment is None:
            return
        status = AppointmentStatus(self.status.currentData())
        if status is appointment.status:
            return
        try:
            updated = set_status(self.binder, appointment.id, status)
        except RecordsError as exc:
            self.status.setCurrentIndex(self.status.findData(appointment.status.value))
            self.problem.say(str(exc))
            return
        self.problem.say("")
        self.appointment = updated
        self._fill(updated)
        self.changed.emit(updated)

    def add_typed_question(self) -> None:
        appointment = self.appointment
        if appointment is None:
            return
        try:
            add_question(
                self.binder, appointment.person_id, self.new_question.text(), appointment.id
            )
        except RecordsError as exc:
            self.problem.say(str(exc))
            return
        self.problem.say("")
        self.new_question.clear()
        self.flush()
        self._fill_questions()
        self.new_question.setFocus()

    def _fill_ideas(self) -> None:
        self.ideas_menu.clear()
        asked = {text.casefold() for text in self.question_texts()}
        for starter in QUESTION_STARTERS:
            if starter.casefold() not in asked:
                action = self.ideas_menu.addAction(starter)
                action.triggered.connect(lambda _c=False, s=starter: self.use_idea(s))

    def use_idea(self, text: str) -> None:
        """Put a suggested question in the box, to edit and add (never added unasked)."""
        self.new_question.setText(text)
        self.new_question.setFocus()

    def remove_question(self, question_id: int) -> None:
        try:
            delete_question(self.binder, question_id)
        except RecordsError as exc:
            self.problem.say(str(exc))
            return
        self.flush()
        self._fill_questions()

    def bring_chosen(self) -> None:
        appointment, doc_id = self.appointment, self.bring_choice.currentData()
        if appointment is None or not isinstance(doc_id, int):
            return
        try:
            bring_document(self.binder, appointment.id, doc_id)
        except RecordsError as exc:
            self.problem.say(str(exc))
            return
        self._fill_bring()

    # -- attachments -------------------------------------------------------------------------

    def choose_file_to_attach(self) -> None:
        if self.appointment is None:
            return
        path, _ = QFileDialog.getOpenFileName(
            self, "Attach a file to this appointment", str(Path.home()), ATTACHABLE_FILES
        )
        if path:
            self.attach_file(Path(path))

    def attach_file(self, path: Path) -> None:
        """Import `path` into the person's library on a worker, then attach it (a file
        already in the library is attached as the copy that is there)."""
        appointment = self.appointment
        if appointment is None:
            return
        binder, person_id, appt_id = self.binder, appointment.person_id, appointment.id

        def work(progress: Progress, cancel: CancelFlag) -> ImportResult:
            with on_this_thread(binder) as view:
                return import_file(view, person_id, path, progress=progress, cancel=cancel)

        self._say_attached(f"Adding {path.name} to the library...")
        run_job(
            work,
            on_done=lambda result: self._imported(appt_id, path, result),
            on_error=lambda exc: self._import_failed(path, str(exc)),
            on_cancelled=lambda: self._import_failed(path, "stopped"),
        )

    def _imported(self, appt_id: int, path: Path, result: object) -> None:
        if not isinstance(result, ImportResult) or result.document is None:
            reason = result.reason if isinstance(result, ImportResult) else None
            self._import_failed(path, reason or "it could not be read")
            return
        self.documents_added.emit()
        try:
            attach_document(self.binder, appt_id, result.document.id)
        except RecordsError as exc:
            self._import_failed(path, str(exc))
            return
        if self.appointment is None or self.appointment.id != appt_id:
            return  # the user chose another appointment meanwhile; it is attached all the same
        self._fill_attachments()
        if result.status is Outcome.DUPLICATE:
            self._say_attached(
                f"{path.name} was already in the library, as “{result.document.title}”: "
                "attached that copy."
            )
        else:
            self._say_attached(f"Attached {path.name}. It is also in the library now.")

    def _import_failed(self, path: Path, reason: str) -> None:
        self._say_attached(f"{path.name} was not attached: {reason}")

    def open_library_picker(self) -> LibraryPicker | None:
        """The person's documents not attached yet; the chosen ones are attached on OK."""
        appointment = self.appointment
        if appointment is None:
            return None
        attached = {a.document_id for a in attachments(self.binder, appointment.id)}
        documents = [
            d for d in list_documents(self.binder, appointment.person_id) if d.id not in attached
        ]
        if not documents:
            self._say_attached("Every document in the library is attached already.")
            return None
        picker = LibraryPicker(documents, self)
        picker.accepted.connect(lambda: self.attach_from_library(picker.chosen()))
        picker.open()
        return picker

    def attach_from_library(self, document_ids: list[int]) -> None:
        appointment = self.appointment
        if appointment is None:
            return
        try:
            for doc_id in document_ids:
                attach_document(self.binder, appointment.id, doc_id)
        except RecordsError as exc:
            self._say_attached(str(exc))
        else:
            n = len(document_ids)
            self._say_attached(f"Attached {n} document{'s' if n != 1 else ''} from the library.")
        self._fill_attachments()

    def remove_attachment(self) -> None:
        """Take the chosen attachment off this appointment; the document stays."""
        items = self.attach_list.selectedItems()
        if not items:
            return
        try:
            for item in items:
                detach(self.binder, int(item.data(ATTACHMENT_ROLE)))
        except RecordsError as exc:
            self._say_attached(str(exc))
        else:
            self._say_attached("Removed from this appointment. The document stays in the library.")
        self._fill_attachments()

    def reload(self) -> None:
        if self.appointment is not None:
            try:
                self.show_appointment(get_appointment(self.binder, self.appointment.id))
            except NotFound:
                self.show_appointment(None)


def kind_words(doc: Document) -> str:
    """What an attachment is, in a word: a recording, a photo, or the document's kind."""
    if doc.media_type.startswith("audio/"):
        return "Recording"
    if doc.kind is not DocumentKind.OTHER:
        return doc.kind.label
    return "Photo" if doc.media_type.startswith("image/") else "Document"


def _document_words(title: str, date: str | None) -> str:
    return f"{title} ({shown_date(date)})" if date else title


def _rule() -> QFrame:
    line = QFrame()
    line.setFrameShape(QFrame.Shape.HLine)
    line.setFrameShadow(QFrame.Shadow.Sunken)
    return line
