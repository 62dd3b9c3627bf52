"""One appointment in full: when (in its time zone), with whom, where, why, kind, status; and
below it one panel per concern: the questions to ask, checked off with their answers
(appointment_questions.py); the visit notes (appointment_notes.py); what is attached
(appointment_attachments.py); what to bring (appointment_bring.py).

Everything saves as the user works: a check box at once, an answer or the notes after a
short pause in typing (and when the user leaves the field or chooses another appointment).
A value the binder refuses is said in the panel, never raised.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.records.appointments import (
    Appointment,
    AppointmentStatus,
    get_appointment,
    overlapping,
    set_status,
)
from app.records.care_team import get_doctor
from app.records.errors import NotFound, RecordsError
from app.ui.appointment_attachments import AttachmentsPanel, LibraryPicker
from app.ui.appointment_bring import BringPanel
from app.ui.appointment_notes import NotesPanel
from app.ui.appointment_questions import QuestionRow, QuestionsPanel
from app.ui.care_widgets import Problem
from app.ui.care_words import appointment_when, clock, day, reminder_words
from app.ui.look import heading, paragraph
from app.vault.binder import Binder


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

        self.questions = QuestionsPanel(binder, self.problem)
        self.notes_panel = NotesPanel(binder, self.problem)
        self.notes_panel.saved.connect(self._notes_saved)
        self.attachments = AttachmentsPanel(binder)
        self.attachments.open_document.connect(self.open_document)
        self.attachments.documents_added.connect(self.documents_added)
        self.bring = BringPanel(binder, self.problem)
        # The panels' controls by the names this panel has always given them.
        self.new_question = self.questions.new_question
        self.add_question_button = self.questions.add_question_button
        self.ideas_menu = self.questions.ideas_menu
        self.no_questions = self.questions.no_questions
        self.notes = self.notes_panel.notes
        self.attach_list = self.attachments.attach_list
        self.attach_note = self.attachments.attach_note
        self.attach_empty = self.attachments.attach_empty
        self.detach_button = self.attachments.detach_button
        self.bring_list = self.bring.bring_list

        box = QVBoxLayout(self)
        box.setContentsMargins(12, 0, 12, 12)
        box.addWidget(self.title)
        box.addLayout(facts)
        box.addWidget(self.hint)
        box.addWidget(self.problem)
        box.addWidget(_rule())
        box.addWidget(self.questions)
        box.addWidget(_rule())
        box.addWidget(self.notes_panel)
        box.addWidget(self.attachments)
        box.addWidget(_rule())
        box.addWidget(self.bring)
        box.addStretch(1)

    @property
    def rows(self) -> list[QuestionRow]:
        return self.questions.rows

    # -- showing -----------------------------------------------------------------------------

    def show_appointment(self, appointment: Appointment | None) -> None:
        self.flush()
        self.appointment = appointment
        self.problem.say("")
        self.setVisible(appointment is not None)
        if appointment is not None:
            self._fill(appointment)
        for panel in (self.questions, self.attachments, self.bring, self.notes_panel):
            panel.show_appointment(appointment)

    def _fill(self, appointment: Appointment) -> None:
        self.title.setText(appointment.purpose or appointment.kind.label)
        self.questions.show_status(appointment)
        self.title.setAccessibleName(self.title.text())
        self.when.setText(appointment_when(appointment))
        from app.records.recurrence import get_recurrence, occurrences

        rule = get_recurrence(self.binder, appointment.id)
        if rule is not None:  # treatment cycles: how often, and the last one
            last = occurrences(appointment, rule)[-1].starts_at
            self.when.setText(
                f"{self.when.text()}\nRepeats {rule.words()}, the last on {last.day} {last:%B %Y}"
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

    def question_texts(self) -> list[str]:
        return self.questions.question_texts()

    def attachment_texts(self) -> list[str]:
        return self.attachments.attachment_texts()

    def attach_file(self, path: Path) -> None:
        self.attachments.attach_file(path)

    def open_library_picker(self) -> LibraryPicker | None:
        return self.attachments.open_library_picker()

    # -- saving ------------------------------------------------------------------------------

    def flush(self) -> None:
        """Save what is still waiting for a pause in typing."""
        self.notes_panel.flush()
        self.questions.flush()

    def _notes_saved(self, appointment: Appointment) -> None:
        self.appointment = appointment

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
        self.notes_panel.keep(updated)
        self._fill(updated)
        self.changed.emit(updated)

    def reload(self) -> None:
        if self.appointment is not None:
            try:
                self.show_appointment(get_appointment(self.binder, self.appointment.id))
            except NotFound:
                self.show_appointment(None)


def _rule() -> QFrame:
    line = QFrame()
    line.setFrameShape(QFrame.Shape.HLine)
    line.setFrameShadow(QFrame.Shadow.Sunken)
    return line
