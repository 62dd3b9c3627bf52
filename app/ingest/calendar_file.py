"""Events from an iCalendar (.ics) file, as a clinic's portal or a phone exports them.

Pure parsing: the records layer decides which events become appointments. Broken, fuzzed
or hostile calendars are refused with a reason; one broken event is skipped with a reason
while the others are kept.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from app.ingest.refusal import Refused

MAX_CALENDAR_BYTES = 10 * 1024 * 1024
MAX_EVENTS = 5000


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    summary: str
    location: str
    description: str
    starts_at: datetime  # naive for floating times and all-day events: the caller places it
    time_zone: str  # IANA name when the calendar named one
    minutes: int | None
    reminder_minutes: int | None
    all_day: bool
    recurrence: str
    cancelled: bool


@dataclass(frozen=True)
class SkippedEvent:
    uid: str
    reason: str


def _text(component: object, name: str) -> str:
    value = component.get(name)  # type: ignore[attr-defined]
    return " ".join(str(value).split()) if value is not None else ""


def _reminder(event: object) -> int | None:
    for alarm in event.walk("VALARM"):  # type: ignore[attr-defined]
        trigger = alarm.get("TRIGGER")
        delta = getattr(trigger, "dt", None)
        if isinstance(delta, timedelta) and delta <= timedelta(0):
            return int(-delta.total_seconds() // 60)
    return None


def _zone_name(start: datetime) -> str:
    """The IANA name of a start time's zone, also for Outlook's Windows names and for
    custom VTIMEZONEs named after an IANA zone ("custom_America/New_York")."""
    if start.tzinfo is None:
        return ""
    key = getattr(start.tzinfo, "key", None)
    if key:
        return str(key)
    from zoneinfo import available_timezones

    from icalendar.timezone import tzid_from_dt
    from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

    tzid = tzid_from_dt(start) or ""
    if tzid in WINDOWS_TO_OLSON:
        return str(WINDOWS_TO_OLSON[tzid])
    for name in sorted(available_timezones(), key=len, reverse=True):
        if "/" in name and tzid.endswith(name):
            return name
    return ""


def _event(event: object) -> CalendarEvent:
    get = event.get  # type: ignore[attr-defined]
    start_prop = get("DTSTART")
    if start_prop is None:
        raise ValueError("it has no start time")
    start = start_prop.dt
    all_day = isinstance(start, date) and not isinstance(start, datetime)
    if all_day:
        start = datetime.combine(start, time(0, 0))
    if not isinstance(start, datetime):
        raise ValueError("its start time cannot be read")
    zone_name = _zone_name(start)
    minutes: int | None = None
    end_prop, duration_prop = get("DTEND"), get("DURATION")
    if end_prop is not None:
        end = end_prop.dt
        if isinstance(end, date) and not isinstance(end, datetime):
            end = datetime.combine(end, time(0, 0))
        if isinstance(end, datetime) and (end.tzinfo is None) == (start.tzinfo is None):
            minutes = int((end - start).total_seconds() // 60)
    elif duration_prop is not None and isinstance(duration_prop.dt, timedelta):
        minutes = int(duration_prop.dt.total_seconds() // 60)
    if minutes is not None and minutes <= 0:
        minutes = None
    rrule = get("RRULE")
    return CalendarEvent(
        uid=_text(event, "UID"),
        summary=_text(event, "SUMMARY"),
        location=_text(event, "LOCATION"),
        description=str(get("DESCRIPTION") or "").strip(),
        starts_at=start,
        time_zone=zone_name,
        minutes=minutes if not all_day else None,
        reminder_minutes=_reminder(event),
        all_day=all_day,
        recurrence=rrule.to_ical().decode("utf-8", "replace") if rrule is not None else "",
        cancelled=_text(event, "STATUS").upper() == "CANCELLED",
    )


def read_calendar(data: bytes) -> tuple[list[CalendarEvent], list[SkippedEvent]]:
    """The events of an .ics file; raises `Refused` when the file is not a calendar."""
    import icalendar

    if not data.strip():
        raise Refused("The calendar file is empty.")
    if len(data) > MAX_CALENDAR_BYTES:
        raise Refused("The calendar file is larger than 10 MB, too large for appointments.")
    if b"BEGIN:VCALENDAR" not in data[:4096].upper():
        raise Refused("This is not a calendar (.ics) file.")
    try:
        with warnings.catch_warnings():
            # Vendor-prefixed TZIDs ("/mozilla.org/.../America/New_York") are guessed by
            # their IANA suffix, which is what we want; the warning would only be noise.
            warnings.simplefilter("ignore")
            calendars = icalendar.Calendar.from_ical(data, multiple=True)
    except Exception as exc:  # icalendar raises many types on broken input
        raise Refused(
            f"The calendar file is damaged and cannot be read ({exc.__class__.__name__})."
        ) from None
    events: list[CalendarEvent] = []
    skipped: list[SkippedEvent] = []
    for calendar in calendars:
        try:
            components = list(calendar.walk("VEVENT"))
        except Exception as exc:
            raise Refused(f"The calendar file is damaged ({exc.__class__.__name__}).") from None
        for component in components:
            if len(events) + len(skipped) >= MAX_EVENTS:
                raise Refused(f"The calendar holds more than {MAX_EVENTS} events.")
            try:
                events.append(_event(component))
            except Exception as exc:  # one broken event must not lose the others
                reason = str(exc) if isinstance(exc, ValueError) else exc.__class__.__name__
                skipped.append(
                    SkippedEvent(_text(component, "UID"), f"Skipped an event: {reason}.")
                )
    if not events:
        if skipped:
            raise Refused(f"No event in this calendar could be read. {skipped[0].reason}")
        raise Refused("This calendar holds no events.")
    return events, skipped
