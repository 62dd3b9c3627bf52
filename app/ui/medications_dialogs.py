"""The dialogs of the Medications page: add or edit a drug, change its dose, stop it.

Each dialog saves through app.records when the user presses its main button; a value the
binder refuses (a stop date before the start) is shown inside the dialog, which stays open.
The dialogs are opened with `open()` (not `exec()`), so the page and the tests stay live.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QCompleter,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from app.records.dates import today_iso
from app.records.medications import (
    Medication,
    add_medication,
    change_dose,
    delete_medication,
    medication_names,
    stop_medication,
    update_medication,
)
from app.ui.care_widgets import DoctorChoice
from app.ui.care_words import DATE_HINT, clean_partial_date, partial_date
from app.ui.look import paragraph
from app.ui.saving_dialog import SavingDialog
from app.vault.binder import Binder


def _line(name: str, placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setAccessibleName(name)
    if placeholder:
        edit.setPlaceholderText(placeholder)
    return edit


class MedicationDialog(SavingDialog):
    """Add a drug, or edit one already in the list."""

    def __init__(
        self,
        binder: Binder,
        person_id: int,
        med: Medication | None = None,
        parent: QWidget | None = None,
    ) -> None:
        adding = med is None
        super().__init__(
            "Add a medication" if adding else f"Edit {med.name}" if med else "",
            "Add" if adding else "Save",
            parent,
        )
        self.binder, self.person_id, self.med = binder, person_id, med
        if med is not None:
            self.offer_removal(
                med,
                "medication",
                med.name,
                "Only for a medicine entered by mistake: its doses and dates go too. To record "
                "that it was stopped, use “Stop taking...” instead, which keeps its history.",
            )
        self.name = _line("Name of the medicine", "as on the box or the prescription")
        completer = QCompleter(medication_names(binder), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.name.setCompleter(completer)
        self.dose = _line("Dose", "for example 20 mg, or 1 tablet")
        self.how_often = _line("How often", "for example once a day, or every 3 weeks")
        self.route = _line("How it is taken", "for example by mouth, injection, infusion")
        self.purpose = _line("What it is for", "for example blood pressure")
        self.cycles = _line(
            "Cycles, for a treatment given in cycles", "for example 6 cycles, every 21 days"
        )
        self.prescriber = DoctorChoice(binder, person_id)
        self.prescriber.setAccessibleName("Prescribed by")
        self.start = _line("Started on", DATE_HINT)
        self.still_taking = QCheckBox("Still taking it")
        self.still_taking.setAccessibleName("Still taking it")
        self.stop = _line("Stopped on", DATE_HINT)
        self.side_effects = _line("Side effects noticed")
        self.notes = QPlainTextEdit()
        self.notes.setAccessibleName("Notes")
        self.notes.setTabChangesFocus(True)
        self.notes.setMaximumHeight(self.fontMetrics().lineSpacing() * 4)
        self.form.addRow("&Medicine:", self.name)
        self.form.addRow("&Dose:", self.dose)
        self.form.addRow("How &often:", self.how_often)
        self.form.addRow("How it is &taken:", self.route)
        self.form.addRow("&Why:", self.purpose)
        self.form.addRow("&Cycles:", self.cycles)
        self.form.addRow("&Prescribed by:", self.prescriber)
        self.form.addRow("&Started:", self.start)
        self.form.addRow("", self.still_taking)
        self.form.addRow("St&opped:", self.stop)
        self.form.addRow("Side &effects:", self.side_effects)
        self.form.addRow("&Notes:", self.notes)
        self.form.addRow("", paragraph("Dates can be partial: a month and year, or only a year."))
        self.still_taking.toggled.connect(lambda on: self.stop.setEnabled(not on))
        if med is None:
            self.still_taking.setChecked(True)
        else:
            self.name.setText(med.name)
            self.dose.setText(med.dose)
            self.how_often.setText(med.how_often)
            self.route.setText(med.route)
            self.purpose.setText(med.purpose)
            self.cycles.setText(med.cycles)
            self.prescriber.choose(med.prescriber_id)
            self.start.setText(med.start_date or "")
            self.still_taking.setChecked(med.stop_date is None)
            self.stop.setText(med.stop_date or "")
            self.side_effects.setText(med.side_effects)
            self.notes.setPlainText(med.notes)
        self.stop.setEnabled(not self.still_taking.isChecked())
        self.resize(520, self.sizeHint().height())

    def _values(self) -> dict[str, Any]:
        try:
            start = clean_partial_date(self.start.text())
        except ValueError as exc:
            raise ValueError(f"Started: {exc}") from None
        stop = None
        if not self.still_taking.isChecked():
            try:
                stop = clean_partial_date(self.stop.text())
            except ValueError as exc:
                raise ValueError(f"Stopped: {exc}") from None
            if stop is None:
                raise ValueError(
                    "Say when it was stopped (a year is enough), or tick “Still taking it”."
                )
        return {
            "name": self.name.text(),
            "dose": self.dose.text(),
            "how_often": self.how_often.text(),
            "route": self.route.text(),
            "purpose": self.purpose.text(),
            "cycles": self.cycles.text(),
            "prescriber_id": self.prescriber.doctor_id(),
            "start": start,
            "stop": stop,
            "side_effects": self.side_effects.text(),
            "notes": self.notes.toPlainText(),
        }

    def work(self) -> Medication:
        values = self._values()
        if self.med is None:
            return add_medication(self.binder, self.person_id, **values)
        values["start_date"] = values.pop("start")
        values["stop_date"] = values.pop("stop")
        return update_medication(self.binder, self.med.id, **values)

    def remove_record(self) -> None:
        if self.med is not None:
            delete_medication(self.binder, self.med.id)


class ChangeDoseDialog(SavingDialog):
    def __init__(self, binder: Binder, med: Medication, parent: QWidget | None = None) -> None:
        super().__init__(f"Change the dose of {med.name}", "Save the change", parent)
        self.binder, self.med = binder, med
        self.form.addRow(
            paragraph(
                f"{med.name} is now {med.current_dose or 'at no recorded dose'}"
                + (f", {med.current_how_often}" if med.current_how_often else "")
                + "."
            )
        )
        self.dose = _line("New dose", "for example 10 mg")
        self.how_often = _line("How often from then on", "leave empty if unchanged")
        self.on = _line("Date of the change", DATE_HINT)
        self.on.setText(today_iso())
        self.note = _line("Why it changed", "for example side effects, new blood test")
        self.form.addRow("&New dose:", self.dose)
        self.form.addRow("How &often:", self.how_often)
        self.form.addRow("&From:", self.on)
        self.form.addRow("&Why:", self.note)
        self.resize(480, self.sizeHint().height())

    def work(self) -> Medication:
        return change_dose(
            self.binder,
            self.med.id,
            self.dose.text(),
            on=self.on.text(),
            how_often=self.how_often.text(),
            note=self.note.text(),
        )


class StopDialog(SavingDialog):
    def __init__(self, binder: Binder, med: Medication, parent: QWidget | None = None) -> None:
        super().__init__(f"Stop {med.name}", "Mark as stopped", parent)
        self.binder, self.med = binder, med
        started = partial_date(med.start_date)
        self.form.addRow(
            paragraph(
                f"{med.name} will move to the past medications; its dose history is kept."
                + (f" It was started: {started}." if started else "")
            )
        )
        self.on = _line("Stopped on", DATE_HINT)
        self.on.setText(today_iso())
        self.form.addRow("&Stopped on:", self.on)
        self.resize(460, self.sizeHint().height())

    def work(self) -> Medication:
        on = self.on.text().strip()
        return stop_medication(self.binder, self.med.id, on or None)
