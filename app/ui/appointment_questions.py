"""The questions of one appointment: each checked off with its answer, a box to write a new
one, and ideas many patients ask. Saves as the user works (a tick at once, an answer after a
short pause in typing)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.records.appointments import QUESTION_STARTERS, Appointment, AppointmentStatus
from app.records.errors import RecordsError
from app.records.questions import (
    Question,
    add_question,
    answer_question,
    delete_question,
    list_questions,
)
from app.ui.care_widgets import Problem, debounced
from app.ui.look import heading, paragraph
from app.vault.binder import Binder


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
        self._timer = debounced(self, self.save)
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


class QuestionsPanel(QWidget):
    """ "Questions to ask" (or "asked", once the visit is done), the rows, and a new one."""

    def __init__(self, binder: Binder, problem: Problem, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.binder, self.problem = binder, problem
        self.appointment: Appointment | None = None
        self.heading = heading("Questions to ask", 1.15)
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
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.heading)
        box.addLayout(self.questions_box)
        box.addWidget(self.no_questions)
        box.addLayout(new_row)
        self.rows: list[QuestionRow] = []

    def show_appointment(self, appointment: Appointment | None) -> None:
        self.appointment = appointment
        if appointment is not None:
            self.show_status(appointment)
        self.fill()
        self.new_question.clear()

    def show_status(self, appointment: Appointment) -> None:
        done = appointment.status is AppointmentStatus.DONE
        self.heading.setText("Questions asked" if done else "Questions to ask")

    def fill(self) -> None:
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

    def question_texts(self) -> list[str]:
        return [row.question.text for row in self.rows]

    def flush(self) -> None:
        for row in self.rows:
            row.flush()

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
        self.fill()
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
        self.fill()
