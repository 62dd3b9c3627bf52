"""Add or edit what one doctor said: who, when, and the facts of app.records.opinions
(diagnosis, stage, recommended treatment, how they read the tests...). Opened with `open()`;
stays open with the reason when the binder refuses a value (a date it cannot read).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.records.errors import RecordsError
from app.records.opinions import OPINION_FIELDS, Opinion, add_opinion, update_opinion
from app.ui.care_widgets import DoctorChoice, Problem
from app.ui.date_field import DateField
from app.ui.look import for_text, scrolled
from app.vault.binder import Binder

# Short facts fit one line; the others get a few lines to write in.
ONE_LINE = ("diagnosis", "stage", "urgency")
HINTS = {
    "diagnosis": "in the doctor's words",
    "stage": "for example IIA, or 'not staged yet'",
    "urgency": "for example 'decide within 4 weeks'",
}


class OpinionDialog(QDialog):
    saved = Signal(object)  # the Opinion as saved

    def __init__(
        self,
        binder: Binder,
        person_id: int,
        opinion: Opinion | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.binder, self.person_id, self.opinion = binder, person_id, opinion
        adding = opinion is None
        title = "Add an opinion" if opinion is None else f"Edit the opinion of {opinion.heading}"
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.doctor = DoctorChoice(binder, person_id, nobody="A doctor not in the care team")
        self.doctor.setAccessibleName("Which doctor gave this opinion")
        self.given_on = DateField("Date of the opinion")
        self.facts: dict[str, QLineEdit | QPlainTextEdit] = {}
        form = QFormLayout()
        form.addRow("&Doctor:", self.doctor)
        form.addRow("D&ate:", self.given_on)
        for name, label in OPINION_FIELDS:
            edit: QLineEdit | QPlainTextEdit
            if name in ONE_LINE:
                edit = QLineEdit()
                edit.setPlaceholderText(HINTS.get(name, ""))
            else:
                edit = QPlainTextEdit()
                edit.setTabChangesFocus(True)
                edit.setMaximumHeight(self.fontMetrics().lineSpacing() * 3 + 12)
            edit.setAccessibleName(label)
            self.facts[name] = edit
            form.addRow(f"{label}:", edit)
        holder = QWidget()
        holder.setLayout(form)
        scroll = scrolled(holder)
        self.problem = Problem()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        save = buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setText("Add" if adding else "Save")
        save.setAccessibleName("Add the opinion" if adding else "Save the opinion")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addWidget(scroll, 1)
        box.addWidget(self.problem)
        box.addWidget(buttons)
        self.resize(for_text(640, self), 620)
        if opinion is not None:
            self.doctor.choose(opinion.doctor_id)
            self.given_on.set_value(opinion.given_on)
            for name, edit in self.facts.items():
                value = str(getattr(opinion, name))
                if isinstance(edit, QLineEdit):
                    edit.setText(value)
                else:
                    edit.setPlainText(value)
        self.result_opinion: Opinion | None = None

    def fill(self, **facts: str) -> None:
        """Write facts into the form (as a user would type them)."""
        for name, value in facts.items():
            edit = self.facts[name]
            if isinstance(edit, QLineEdit):
                edit.setText(value)
            else:
                edit.setPlainText(value)

    def values(self) -> dict[str, Any]:
        return {
            name: edit.text() if isinstance(edit, QLineEdit) else edit.toPlainText()
            for name, edit in self.facts.items()
        }

    def save(self) -> None:
        try:
            given = self.given_on.value()
            if self.opinion is None:
                saved = add_opinion(
                    self.binder,
                    self.person_id,
                    doctor_id=self.doctor.doctor_id(),
                    given_on=given,
                    **self.values(),
                )
            else:
                saved = update_opinion(
                    self.binder,
                    self.opinion.id,
                    doctor_id=self.doctor.doctor_id(),
                    given_on=given,
                    **self.values(),
                )
        except (RecordsError, ValueError) as exc:
            self.problem.say(str(exc))
            return
        self.result_opinion = saved
        self.saved.emit(saved)
        self.accept()
