"""How the care pages say dates, times and durations in plain words.

Dates themselves are `app.records.date_display`'s; an appointment time is
shown in its own time zone, with the time here added when this computer is elsewhere.
"""

from __future__ import annotations

from datetime import datetime

from app.records.appointments import Appointment, local_zone_name
from app.records.date_display import date_in_words


def clock(moment: datetime) -> str:
    return f"{moment:%H:%M}"


def day(moment: datetime) -> str:
    return date_in_words(moment.date())


def zone_words(name: str) -> str:
    """'America/Chicago' -> 'Chicago time'."""
    if not name:
        return ""
    place = name.rsplit("/", 1)[-1].replace("_", " ")
    return "UTC" if place in ("UTC", "Etc/UTC") else f"{place} time"


def appointment_when(appointment: Appointment) -> str:
    """'Thursday 3 December 2026, 09:30 to 10:30 (Chicago time; 16:30 here)'."""
    start = appointment.local_start
    text = f"{day(start)}, {clock(start)}"
    if appointment.minutes:
        text += f" to {clock(start + (appointment.ends_at - appointment.starts_at))}"
    here_zone = local_zone_name()
    notes = [zone_words(appointment.time_zone)] if appointment.time_zone else []
    if appointment.time_zone and appointment.time_zone != here_zone:
        try:
            from zoneinfo import ZoneInfo

            here = appointment.starts_at.astimezone(ZoneInfo(here_zone))
        except (KeyError, ValueError):
            here = None
        if here is not None and here.utcoffset() != start.utcoffset():
            notes.append(
                f"{clock(here)} here"
                + ("" if here.date() == start.date() else f" on {here:%a} {here.day} {here:%b}")
            )
    notes = [n for n in notes if n]
    return text + (f" ({'; '.join(notes)})" if notes else "")


def minutes_words(minutes: int | None) -> str:
    if not minutes:
        return ""
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return f"{hours} h {rest} min"
    if hours:
        return f"{hours} hour{'s' if hours > 1 else ''}"
    return f"{rest} minutes"


REMINDER_CHOICES: tuple[tuple[str, int | None], ...] = (
    ("No reminder", None),
    ("1 hour before", 60),
    ("2 hours before", 120),
    ("The day before", 24 * 60),
    ("2 days before", 2 * 24 * 60),
    ("A week before", 7 * 24 * 60),
)


def reminder_words(minutes: int | None) -> str:
    for text, value in REMINDER_CHOICES:
        if value == minutes:
            return text
    if minutes is None:
        return "No reminder"
    return f"{minutes_words(minutes)} before"
