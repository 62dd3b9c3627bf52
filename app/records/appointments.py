"""Appointments with the care team, the questions to ask, the notes taken after, and what
is attached to them (a recording of the talk, a photo of a handout, a library document).

Times are stored as ISO 8601 with their UTC offset plus the IANA time zone the user meant,
so "09:30 in Chicago" stays 09:30 in Chicago across daylight-saving changes and travel.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from app.records.dates import now_iso
from app.records.errors import InvalidValue, NotFound
from app.vault.binder import Binder


class AppointmentKind(StrEnum):
    FIRST_VISIT = "first_visit"
    SECOND_OPINION = "second_opinion"
    FOLLOW_UP = "follow_up"
    TREATMENT = "treatment"
    TEST_OR_SCAN = "test_or_scan"

    @property
    def label(self) -> str:
        return {
            "first_visit": "First visit",
            "second_opinion": "Second opinion",
            "follow_up": "Follow-up",
            "treatment": "Treatment",
            "test_or_scan": "Test or scan",
        }[self.value]


class AppointmentStatus(StrEnum):
    PLANNED = "planned"
    DONE = "done"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return self.value.capitalize()


# Starters a patient may adopt; they are suggestions, never added unasked.
QUESTION_STARTERS = (
    "How sure are you of the diagnosis?",
    "What are all my options?",
    "What do you recommend, and why?",
    "What happens if I wait?",
    "What are the side effects, short and long term?",
    "Did you read the test results the same way as my first doctor?",
    "Which guidelines or studies is your plan based on?",
    "Can you review my case with my other doctor?",
)


def local_zone_name() -> str:
    """This computer's IANA time zone name (UTC when it cannot be told)."""
    try:
        from tzlocal import get_localzone_name

        return get_localzone_name() or "UTC"
    except Exception:  # tzlocal raises assorted errors on odd configurations
        return "UTC"


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidValue(f"{name!r} is not a time zone name (such as Europe/Paris).") from None


def parse_when(text: str, zone_name: str | None = None) -> tuple[datetime, str]:
    """A local date and time ("2026-12-03T09:30") in a zone -> an aware datetime.

    Refuses a time that does not exist (skipped when clocks go forward); for a time that
    happens twice (clocks go back) the first one is meant.
    """
    try:
        parsed = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InvalidValue(
            f"{text!r} is not a date and time: write it as 2026-12-03T09:30."
        ) from None
    if parsed.tzinfo is not None:
        return parsed, zone_name or ""
    name = zone_name or local_zone_name()
    tz = zone(name)
    aware = parsed.replace(tzinfo=tz)
    if aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != parsed:
        raise InvalidValue(
            f"{parsed:%Y-%m-%d %H:%M} does not exist in {name}: the clocks move forward then."
        )
    return aware, name


@dataclass(frozen=True)
class Appointment:
    id: int
    person_id: int
    doctor_id: int | None
    doctor: str | None
    starts_at: datetime
    time_zone: str
    minutes: int | None
    location: str
    purpose: str
    kind: AppointmentKind
    status: AppointmentStatus
    reminder_minutes: int | None
    notes: str
    external_uid: str | None

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.minutes or 0)

    @property
    def local_start(self) -> datetime:
        """The start in the zone the user chose."""
        if self.time_zone:
            try:
                return self.starts_at.astimezone(ZoneInfo(self.time_zone))
            except (ZoneInfoNotFoundError, ValueError):
                pass
        return self.starts_at

    @property
    def needs_status(self) -> bool:
        """A planned appointment whose time has passed: did it happen?"""
        return self.status is AppointmentStatus.PLANNED and self.ends_at < datetime.now(UTC)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "person_id": self.person_id,
            "doctor_id": self.doctor_id,
            "doctor": self.doctor,
            "starts_at": self.starts_at.isoformat(),
            "time_zone": self.time_zone,
            "minutes": self.minutes,
            "location": self.location,
            "purpose": self.purpose,
            "kind": self.kind.value,
            "status": self.status.value,
            "reminder_minutes": self.reminder_minutes,
            "notes": self.notes,
        }


_SELECT = (
    "SELECT a.id, a.person_id, a.doctor_id, d.name, a.starts_at, a.time_zone, a.minutes, "
    "a.location, a.purpose, a.kind, a.status, a.reminder_minutes, a.notes, a.external_uid "
    "FROM appointments a LEFT JOIN doctors d ON d.id = a.doctor_id"
)


def _row(row: tuple[Any, ...]) -> Appointment:
    values = list(row)
    values[4] = datetime.fromisoformat(values[4])
    values[9] = AppointmentKind(values[9])
    values[10] = AppointmentStatus(values[10])
    return Appointment(*values)


def add_appointment(
    binder: Binder,
    person_id: int,
    starts_at: datetime,
    time_zone: str = "",
    doctor_id: int | None = None,
    minutes: int | None = None,
    location: str = "",
    purpose: str = "",
    kind: AppointmentKind = AppointmentKind.FOLLOW_UP,
    status: AppointmentStatus | None = None,
    reminder_minutes: int | None = 24 * 60,
    notes: str = "",
    external_uid: str | None = None,
) -> Appointment:
    """Add an appointment. One in the past is recorded as done unless said otherwise; one
    in the past cannot be marked planned."""
    if starts_at.tzinfo is None:
        raise InvalidValue("An appointment time needs its time zone.")
    if minutes is not None and not 0 < minutes <= 24 * 60:
        raise InvalidValue("An appointment lasts between 1 minute and 24 hours.")
    if reminder_minutes is not None and reminder_minutes < 0:
        raise InvalidValue("A reminder comes before the appointment.")
    in_past = starts_at < datetime.now(UTC)
    if status is None:
        status = AppointmentStatus.DONE if in_past else AppointmentStatus.PLANNED
    if in_past and status is AppointmentStatus.PLANNED:
        raise InvalidValue(
            f"{starts_at:%Y-%m-%d %H:%M} has passed, so it cannot be planned: "
            "mark it done or cancelled."
        )
    now = now_iso()
    with binder.transaction() as db:
        cursor = db.execute(
            "INSERT INTO appointments (person_id, doctor_id, starts_at, time_zone, minutes, "
            "location, purpose, kind, status, reminder_minutes, notes, external_uid, created, "
            "updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                person_id,
                doctor_id,
                starts_at.isoformat(),
                time_zone,
                minutes,
                location.strip(),
                purpose.strip(),
                kind.value,
                status.value,
                reminder_minutes,
                notes.strip(),
                external_uid,
                now,
                now,
            ],
        )
        appt_id = int(cursor.lastrowid or 0)
    return get_appointment(binder, appt_id)


def get_appointment(binder: Binder, appt_id: int) -> Appointment:
    row = binder.db.execute(f"{_SELECT} WHERE a.id = ?", [appt_id]).fetchone()
    if row is None:
        raise NotFound(f"There is no appointment with id {appt_id}.")
    return _row(row)


def list_appointments(binder: Binder, person_id: int, upcoming: bool = False) -> list[Appointment]:
    """In time order; `upcoming`: planned ones that have not ended yet."""
    rows = binder.db.execute(f"{_SELECT} WHERE a.person_id = ?", [person_id]).fetchall()
    appointments = sorted((_row(r) for r in rows), key=lambda a: a.starts_at)
    return upcoming_of(appointments) if upcoming else appointments


def upcoming_of(appointments: Iterable[Appointment]) -> list[Appointment]:
    """The planned ones that have not ended yet, in the order given."""
    now = datetime.now(UTC)
    return [a for a in appointments if a.status is AppointmentStatus.PLANNED and a.ends_at >= now]


def find_by_external_uid(binder: Binder, person_id: int, uid: str) -> Appointment | None:
    row = binder.db.execute(
        f"{_SELECT} WHERE a.person_id = ? AND a.external_uid = ?", [person_id, uid]
    ).fetchone()
    return _row(row) if row else None


def overlapping(binder: Binder, appointment: Appointment) -> list[Appointment]:
    """Other non-cancelled appointments of the same person that overlap this one
    (allowed: shown so the person can decide)."""
    return [
        other
        for other in list_appointments(binder, appointment.person_id)
        if other.id != appointment.id
        and other.status is not AppointmentStatus.CANCELLED
        and other.starts_at < max(appointment.ends_at, appointment.starts_at + timedelta(minutes=1))
        and appointment.starts_at < max(other.ends_at, other.starts_at + timedelta(minutes=1))
    ]


def set_status(binder: Binder, appt_id: int, status: AppointmentStatus) -> Appointment:
    appointment = get_appointment(binder, appt_id)
    if status is AppointmentStatus.PLANNED and appointment.ends_at < datetime.now(UTC):
        raise InvalidValue("This appointment has passed, so it cannot be planned again.")
    with binder.transaction() as db:
        db.execute(
            "UPDATE appointments SET status = ?, updated = ? WHERE id = ?",
            [status.value, now_iso(), appt_id],
        )
    return get_appointment(binder, appt_id)


def set_notes(binder: Binder, appt_id: int, notes: str) -> Appointment:
    """The visit notes: what the doctor said, written during or after the visit."""
    get_appointment(binder, appt_id)
    with binder.transaction() as db:
        db.execute(
            "UPDATE appointments SET notes = ?, updated = ? WHERE id = ?",
            [notes, now_iso(), appt_id],
        )
    return get_appointment(binder, appt_id)


def due_reminders(binder: Binder, person_id: int, now: datetime) -> list[Appointment]:
    """Planned appointments whose reminder time has come and that have not started."""
    return [
        a
        for a in list_appointments(binder, person_id, upcoming=True)
        if a.reminder_minutes is not None
        and a.starts_at - timedelta(minutes=a.reminder_minutes) <= now < a.starts_at
    ]


def appointment_uid(appointment: Appointment, binder_id: str) -> str:
    """A UID that stays the same every time the appointment is exported.

    An appointment that came from a clinic's calendar keeps that calendar's UID, so the
    clinic's and ours are recognised as one event.
    """
    return appointment.external_uid or f"appointment-{appointment.id}-{binder_id}@carebinder"


def own_appointment_id(uid: str, binder_id: str) -> int | None:
    """The id inside a UID this binder made, or None."""
    prefix, suffix = "appointment-", f"-{binder_id}@carebinder"
    if uid.startswith(prefix) and uid.endswith(suffix):
        middle = uid[len(prefix) : -len(suffix)]
        if middle.isdigit():
            return int(middle)
    return None


# -- what to bring ---------------------------------------------------------------------------


def bring_document(binder: Binder, appt_id: int, document_id: int) -> None:
    get_appointment(binder, appt_id)
    with binder.transaction() as db:
        exists = db.execute(
            "SELECT 1 FROM appointment_attachments WHERE appointment_id = ? AND document_id = ? "
            "AND purpose = 'bring'",
            [appt_id, document_id],
        ).fetchone()
        if not exists:
            db.execute(
                "INSERT INTO appointment_attachments (appointment_id, document_id, purpose) "
                "VALUES (?, ?, 'bring')",
                [appt_id, document_id],
            )


def documents_to_bring(binder: Binder, appt_id: int) -> list[int]:
    rows = binder.db.execute(
        "SELECT document_id FROM appointment_attachments WHERE appointment_id = ? "
        "AND purpose = 'bring' ORDER BY id",
        [appt_id],
    )
    return [row[0] for row in rows]


# -- attachments: a voice recording of the talk, a photo of a handout, a library document -----


@dataclass(frozen=True)
class Attachment:
    id: int
    document_id: int
    label: str


def attach_document(binder: Binder, appt_id: int, document_id: int, label: str = "") -> Attachment:
    """Attach one of the person's documents to the appointment (once: attaching it again
    returns the same attachment). The document stays in the library as it is."""
    appointment = get_appointment(binder, appt_id)
    row = binder.db.execute(
        "SELECT person_id FROM documents WHERE id = ?", [document_id]
    ).fetchone()
    if row is None:
        raise NotFound(f"There is no document with id {document_id}.")
    if row[0] != appointment.person_id:
        raise InvalidValue("That document belongs to someone else in this binder.")
    with binder.transaction() as db:
        found = db.execute(
            "SELECT id FROM appointment_attachments WHERE appointment_id = ? AND document_id = ? "
            "AND purpose = 'attachment'",
            [appt_id, document_id],
        ).fetchone()
        if found is None:
            cursor = db.execute(
                "INSERT INTO appointment_attachments (appointment_id, document_id, purpose, label) "
                "VALUES (?, ?, 'attachment', ?)",
                [appt_id, document_id, label.strip()],
            )
            attachment_id = int(cursor.lastrowid or 0)
        else:
            attachment_id = int(found[0])
    return next(a for a in attachments(binder, appt_id) if a.id == attachment_id)


def attachments(binder: Binder, appt_id: int) -> list[Attachment]:
    """The appointment's attachments, oldest first."""
    rows = binder.db.execute(
        "SELECT id, document_id, label FROM appointment_attachments WHERE appointment_id = ? "
        "AND purpose = 'attachment' AND document_id IS NOT NULL ORDER BY id",
        [appt_id],
    )
    return [Attachment(int(r[0]), int(r[1]), r[2]) for r in rows]


def detach(binder: Binder, attachment_id: int) -> None:
    """Take the attachment off its appointment; the document stays in the library."""
    with binder.transaction() as db:
        gone = db.execute(
            "DELETE FROM appointment_attachments WHERE id = ? AND purpose = 'attachment'",
            [attachment_id],
        ).rowcount
    if not gone:
        raise NotFound(f"There is no attachment with id {attachment_id}.")
