"""The visit notes of one appointment: what the doctor said, saved after a short pause in
typing and when the user leaves the box or chooses another appointment."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QPlainTextEdit, QVBoxLayout, QWidget

from app.records.appointments import Appointment, set_notes
from app.records.errors import RecordsError
from app.ui.care_widgets import Problem, debounced
from app.ui.look import heading
from app.vault.binder import Binder


class NotesBox(QPlainTextEdit):
    """A text box that says when the user leaves it."""

    left = Signal()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.left.emit()


class NotesPanel(QWidget):
    """ "Visit notes" and its box. `saved` carries the appointment as the binder now has it."""

    saved = Signal(object)

    def __init__(self, binder: Binder, problem: Problem, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.binder, self.problem = binder, problem
        self.appointment: Appointment | None = None
        self._loading = False
        self.notes = NotesBox()
        self.notes.setAccessibleName("Visit notes")
        self.notes.setPlaceholderText(
            "What the doctor said, the words to look up, what happens next"
        )
        self.notes.setTabChangesFocus(True)
        self.notes.setMinimumHeight(self.fontMetrics().lineSpacing() * 5)
        self.notes.setMaximumHeight(self.fontMetrics().lineSpacing() * 8)
        self._timer = debounced(self, self.save_notes)
        self.notes.textChanged.connect(self._typed)
        self.notes.left.connect(self.save_notes)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(heading("Visit notes", 1.15))
        box.addWidget(self.notes)

    def show_appointment(self, appointment: Appointment | None) -> None:
        self._loading = True
        self.appointment = appointment
        if appointment is not None and self.notes.toPlainText() != appointment.notes:
            self.notes.setPlainText(appointment.notes)
        self._loading = False

    def keep(self, appointment: Appointment) -> None:
        """The appointment as saved elsewhere (its status): notes compare against it."""
        self.appointment = appointment

    def flush(self) -> None:
        if self._timer.isActive():
            self.save_notes()

    def _typed(self) -> None:
        if not self._loading:
            self._timer.start()

    def save_notes(self) -> None:
        self._timer.stop()
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
            return
        self.saved.emit(self.appointment)
