"""Appointments as an iCalendar file, with alarms, so the user's own phone or calendar
reminds them even when CareBinder is closed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from app.records.appointments import Appointment, AppointmentStatus, appointment_uid
from app.records.questions import Question
from app.records.recurrence import Recurrence

PRODID = "-//CareBinder//CareBinder appointments//EN"


def summary_line(appointment: Appointment) -> str:
    who = f" with {appointment.doctor}" if appointment.doctor else ""
    return f"{appointment.kind.label}{who}"


def calendar_bytes(
    appointments: Sequence[Appointment],
    binder_id: str,
    questions: dict[int, list[Question]] | None = None,
    recurrences: dict[int, Recurrence] | None = None,
) -> bytes:
    """`recurrences`: the rules of repeating appointments (by id), each exported as one
    event with an RRULE, which calendar programs expand themselves."""
    import icalendar

    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    stamp = datetime.now(UTC)
    for appointment in appointments:
        event = icalendar.Event()
        event.add("uid", appointment_uid(appointment, binder_id))
        event.add("dtstamp", stamp)
        event.add("dtstart", appointment.local_start)
        if appointment.minutes:
            event.add("dtend", appointment.local_start + timedelta(minutes=appointment.minutes))
        rule = (recurrences or {}).get(appointment.id)
        if rule is not None:
            event.add("rrule", rule.rrule())
        event.add("summary", appointment.purpose or summary_line(appointment))
        if appointment.location:
            event.add("location", appointment.location)
        lines = [summary_line(appointment)]
        asked = (questions or {}).get(appointment.id, [])
        if asked:
            lines += ["", "Questions to ask:", *(f"- {q.text}" for q in asked)]
        event.add("description", "\n".join(lines))
        if appointment.status is AppointmentStatus.CANCELLED:
            event.add("status", "CANCELLED")
        else:
            event.add("status", "CONFIRMED")
        if appointment.reminder_minutes is not None:
            alarm = icalendar.Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", summary_line(appointment))
            alarm.add("trigger", timedelta(minutes=-appointment.reminder_minutes))
            event.add_component(alarm)
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())
