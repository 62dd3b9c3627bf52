"""One appointment in full: when (in its time zone), with whom, where, why, kind, status;
the questions to ask, checked off with their answers; the visit notes; what to bring.

Everything saves as the user works: a check box at once, an answer or the notes after a
short pause in typing (and when the user leaves the field or chooses another appointment).
A value the binder refuses is said in the panel, never raised.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent, QMouseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.records.appointments import (
    QUESTION_STARTERS,
    Appointment,
    AppointmentStatus,
    bring_document,
    documents_to_bring,
    get_appointment,
    overlapping,
    set_notes,
    set_status,
)
from app.records.care_team import get_doctor
from app.records.documents import get_document, list_documents
from app.records.errors import NotFound, RecordsError
from app.records.questions import (
    Question,
    add_question,
    answer_question,
    delete_question,
    list_questions,
)
from app.ui.care_widgets import Problem
from app.ui.care_words import (
    appointment_when,
    clock,
    day,
    partial_date,
    reminder_words,
)
from app.ui.look import heading, paragraph
from app.vault.binder import Binder

SAVE_DELAY_MS = 800


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


class AppointmentDetails(QWidget):
    """The chosen appointment. `changed` is emitted with it after a save the list shows
    (its status)."""

    changed = Signal(object)

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

    def reload(self) -> None:
        if self.appointment is not None:
            try:
                self.show_appointment(get_appointment(self.binder, self.appointment.id))
            except NotFound:
                self.show_appointment(None)


def _document_words(title: str, date: str | None) -> str:
    return f"{title} ({partial_date(date)})" if date else title


def _rule() -> QFrame:
    line = QFrame()
    line.setFrameShape(QFrame.Shape.HLine)
    line.setFrameShadow(QFrame.Shadow.Sunken)
    return line
