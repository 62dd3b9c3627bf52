"""Appointments from a clinic's .ics file: new events added, known ones recognised.

An event is already in the binder when it carries a UID this binder exported, a UID an
earlier import stored, or the same start time and title as an existing appointment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from app.ingest.calendar_file import CalendarEvent, read_calendar
from app.records.appointments import (
    Appointment,
    AppointmentKind,
    AppointmentStatus,
    add_appointment,
    find_by_external_uid,
    get_appointment,
    list_appointments,
    local_zone_name,
    own_appointment_id,
    zone,
)
from app.records.errors import NotFound
from app.vault.binder import Binder


@dataclass
class CalendarImport:
    added: list[Appointment] = field(default_factory=list)
    already_there: list[Appointment] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def _existing(
    binder: Binder, person_id: int, event: CalendarEvent, start: datetime
) -> Appointment | None:
    if event.uid:
        own = own_appointment_id(event.uid, binder.binder_id)
        if own is not None:
            try:
                found = get_appointment(binder, own)
            except NotFound:
                found = None
            if found is not None and found.person_id == person_id:
                return found
        found = find_by_external_uid(binder, person_id, event.uid)
        if found is not None:
            return found
    for appointment in list_appointments(binder, person_id):
        if appointment.starts_at == start and appointment.purpose == event.summary:
            return appointment
    return None


def import_calendar(binder: Binder, person_id: int, data: bytes) -> CalendarImport:
    """Add the events of an .ics file as appointments (one transaction). Raises `Refused`
    from ingest when the file is not a readable calendar."""
    from app.records.recurrence import from_rrule, set_recurrence

    events, skipped = read_calendar(data)
    result = CalendarImport(skipped=[s.reason for s in skipped])
    now = datetime.now(UTC)
    with binder.transaction():
        for event in events:
            zone_name = event.time_zone
            start = event.starts_at
            if start.tzinfo is None:
                zone_name = zone_name or local_zone_name()
                start = start.replace(tzinfo=zone(zone_name))
            existing = _existing(binder, person_id, event, start)
            if existing is not None:
                result.already_there.append(existing)
                continue
            if event.cancelled:
                status = AppointmentStatus.CANCELLED
            else:
                status = AppointmentStatus.DONE if start < now else AppointmentStatus.PLANNED
            kind = (
                AppointmentKind.SECOND_OPINION
                if "second opinion" in event.summary.casefold()
                else AppointmentKind.FOLLOW_UP
            )
            added = add_appointment(
                binder,
                person_id,
                start,
                time_zone=zone_name,
                minutes=event.minutes,
                location=event.location,
                purpose=event.summary,
                kind=kind,
                status=status,
                reminder_minutes=event.reminder_minutes,
                notes=event.description,
                external_uid=event.uid or None,
            )
            # "Every 21 days, 6 times" is kept as the appointment's rule, not as 6 events.
            rule = from_rrule(event.recurrence) if event.recurrence else None
            if rule is not None:
                set_recurrence(binder, added.id, rule)
            result.added.append(added)
    return result
