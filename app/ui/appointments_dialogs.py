"""The Add appointment dialog: with whom, when, how long, where, why, what kind, reminder.

The time is read in this computer's time zone (said in the dialog) and stored with it, so
"09:30" stays 09:30 across daylight-saving changes. A time the binder refuses (a time that
does not exist when the clocks go forward) is shown inside the dialog, which stays open.
"""

from __future__ import annotations

from PySide6.QtCore import QDate, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QSpinBox,
    QTimeEdit,
    QWidget,
)

from app.records.appointments import (
    Appointment,
    AppointmentKind,
    add_appointment,
    local_zone_name,
    parse_when,
)
from app.records.date_input import DateUse
from app.records.recurrence import MAX_TIMES, Recurrence, set_recurrence
from app.ui.care_widgets import DoctorChoice
from app.ui.care_words import REMINDER_CHOICES, zone_words
from app.ui.date_field import DateField
from app.ui.look import paragraph
from app.ui.saving_dialog import SavingDialog
from app.vault.binder import Binder


class AddAppointmentDialog(SavingDialog):
    """`saved` carries the Appointment as saved."""

    def __init__(
        self,
        binder: Binder,
        person_id: int,
        on_day: QDate | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Add an appointment", "Add", parent, "Add the appointment")
        self.binder, self.person_id = binder, person_id
        self.zone_name = local_zone_name()
        self.doctor = DoctorChoice(binder, person_id, "No one from the care team")
        self.doctor.setAccessibleName("With whom")
        self.date = DateField("Date", DateUse.PLANNED, whole_day=True)
        day = on_day if on_day and on_day.isValid() else QDate.currentDate()
        self.date.set_value(day.toString("yyyy-MM-dd"))
        self.time = QTimeEdit(QTime(9, 0))
        self.time.setDisplayFormat("HH:mm")
        self.time.setAccessibleName("Time")
        self.minutes = QSpinBox()
        self.minutes.setRange(0, 24 * 60)
        self.minutes.setSingleStep(15)
        self.minutes.setValue(60)
        self.minutes.setSuffix(" minutes")
        self.minutes.setSpecialValueText("Not known")
        self.minutes.setAccessibleName("How long, in minutes")
        self.location = QLineEdit()
        self.location.setAccessibleName("Where")
        self.location.setPlaceholderText("the hospital or clinic, the floor or room")
        self.purpose = QLineEdit()
        self.purpose.setAccessibleName("What it is for")
        self.purpose.setPlaceholderText("for example second opinion on the treatment plan")
        self.kind = QComboBox()
        self.kind.setAccessibleName("Kind of appointment")
        for kind in AppointmentKind:
            self.kind.addItem(kind.label, kind.value)
        self.kind.setCurrentIndex(self.kind.findData(AppointmentKind.FOLLOW_UP.value))
        self.reminder = QComboBox()
        self.reminder.setAccessibleName("Reminder")
        for text, minutes in REMINDER_CHOICES:
            self.reminder.addItem(text, minutes)
        self.reminder.setCurrentIndex(self.reminder.findData(24 * 60))
        form = self.form
        form.addRow("With &whom:", self.doctor)
        form.addRow("&Date:", self.date)
        form.addRow("&Time:", self.time)
        form.addRow("How &long:", self.minutes)
        form.addRow("Whe&re:", self.location)
        form.addRow("&What for:", self.purpose)
        form.addRow("&Kind:", self.kind)
        form.addRow("Re&minder:", self.reminder)
        form.addRow("Re&peats:", self._repeat_row())
        form.addRow(
            "",
            paragraph(f"The time is in {zone_words(self.zone_name)}, this computer's time zone."),
        )
        self.resize(520, self.sizeHint().height())

    def _repeat_row(self) -> QWidget:
        """'[x] Repeats every [21] [days], [6] times in all': for treatment cycles."""
        self.repeats = QCheckBox("Every")
        self.repeats.setAccessibleName("Repeats, for treatment given in cycles")
        self.repeat_every = QSpinBox()
        self.repeat_every.setRange(1, 365)
        self.repeat_every.setValue(21)
        self.repeat_every.setAccessibleName("Repeats every how many")
        self.repeat_unit = QComboBox()
        self.repeat_unit.addItem("days", "days")
        self.repeat_unit.addItem("weeks", "weeks")
        self.repeat_unit.setAccessibleName("Days or weeks")
        self.repeat_times = QSpinBox()
        self.repeat_times.setRange(2, MAX_TIMES)
        self.repeat_times.setValue(6)
        self.repeat_times.setSuffix(" times in all")
        self.repeat_times.setAccessibleName("How many times in all")
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.repeats)
        parts: tuple[QWidget, ...] = (self.repeat_every, self.repeat_unit, self.repeat_times)
        for part in parts:
            part.setEnabled(False)
            self.repeats.toggled.connect(part.setEnabled)
            line.addWidget(part)
        line.addStretch(1)
        return row

    def recurrence(self) -> Recurrence | None:
        if not self.repeats.isChecked():
            return None
        unit = str(self.repeat_unit.currentData())
        return Recurrence(self.repeat_every.value(), unit, self.repeat_times.value())

    def set_when(self, when: str) -> None:
        """'2026-12-03T09:30' into the date and time fields (for scripts and tests)."""
        day, clock = when.split("T")
        self.date.set_value(day)
        self.time.setTime(QTime.fromString(clock[:5], "HH:mm"))

    def work(self) -> Appointment:
        day = self.date.value()
        if day is None:
            raise ValueError("Say on which day the appointment is.")
        when = f"{day}T{self.time.time().toString('HH:mm')}"
        starts_at, zone_name = parse_when(when, self.zone_name)
        rule = self.recurrence()  # checked before anything is saved
        added = add_appointment(
            self.binder,
            self.person_id,
            starts_at,
            time_zone=zone_name,
            doctor_id=self.doctor.doctor_id(),
            minutes=self.minutes.value() or None,
            location=self.location.text(),
            purpose=self.purpose.text(),
            kind=AppointmentKind(self.kind.currentData()),
            reminder_minutes=self.reminder.currentData(),
        )
        if rule is None:
            return added
        set_recurrence(self.binder, added.id, rule)
        return added
