"""How the sheets say a record in words: an appointment's time, a dose, a doctor's role,
who said an opinion."""

from __future__ import annotations

from app.export.facts import long_date
from app.records.appointments import Appointment
from app.records.care_team import Doctor
from app.records.medications import Medication
from app.records.opinions import Opinion


def when_text(appointment: Appointment) -> str:
    start = appointment.local_start
    text = f"{start:%A} {start.day} {start:%B %Y}, {start:%H:%M}"
    if appointment.time_zone:
        text += f" ({appointment.time_zone.replace('_', ' ')} time)"
    if appointment.minutes:
        text += f", about {appointment.minutes} minutes"
    return text


def dose_text(med: Medication, current: bool = True) -> str:
    dose = med.current_dose if current else med.dose
    often = med.current_how_often if current else med.how_often
    parts = [
        x for x in (med.strength if med.strength and med.strength != dose else "", dose, often) if x
    ]
    return " ".join(parts) or "dose not recorded"


def doctor_line(doctor: Doctor) -> str:
    role = ", ".join(x for x in (doctor.role, doctor.specialty) if x)
    return role


def said_by(opinion: Opinion) -> str:
    who = opinion.doctor or "a doctor"
    when = f" on {long_date(opinion.given_on)}" if opinion.given_on else ""
    return f"as stated by {who}{when}"
