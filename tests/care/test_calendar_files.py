"""Calendar files: export with alarms, re-import, and the real-world calendars in the corpus."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import icalendar
import pytest

from app.export.calendar import calendar_bytes
from app.ingest.calendar_file import read_calendar
from app.ingest.refusal import Refused
from app.records.appointments import (
    AppointmentStatus,
    add_appointment,
    list_appointments,
    parse_when,
)
from app.records.calendar_import import import_calendar
from app.records.care_team import add_doctor
from app.records.people import add_person
from app.records.questions import add_question, list_questions
from app.vault.binder import Binder


def _two_appointments(binder: Binder) -> None:
    doctor = add_doctor(binder, 1, "Dr. Samuel Brandt", institution="Lakeside Cancer Center")
    when, zone_name = parse_when("2031-12-03T09:30", "America/Chicago")
    first = add_appointment(
        binder, 1, when, zone_name, doctor.id, 60, "Lakeside, floor 3", "Second opinion visit",
        reminder_minutes=120,
    )  # fmt: skip
    add_question(binder, 1, "How sure are you of the diagnosis?", first.id)
    when, zone_name = parse_when("2031-12-10T14:00", "Europe/Paris")
    add_appointment(binder, 1, when, zone_name, None, 30, "", "Blood draw", reminder_minutes=None)


def _export(binder: Binder) -> bytes:
    appointments = list_appointments(binder, 1)
    questions = {a.id: list_questions(binder, 1, a.id) for a in appointments}
    return calendar_bytes(appointments, binder.binder_id, questions)


def test_an_exported_calendar_parses_with_its_reminders(binder: Binder) -> None:
    _two_appointments(binder)
    calendar = icalendar.Calendar.from_ical(_export(binder))
    events = list(calendar.walk("VEVENT"))
    assert [str(e["SUMMARY"]) for e in events] == ["Second opinion visit", "Blood draw"]
    first = events[0]
    assert first["DTSTART"].dt.strftime("%Y-%m-%d %H:%M") == "2031-12-03 09:30"
    assert first["DTSTART"].dt.tzinfo.key == "America/Chicago"
    alarms = list(first.walk("VALARM"))
    assert [a["TRIGGER"].dt for a in alarms] == [timedelta(minutes=-120)]
    assert "How sure are you of the diagnosis?" in str(first["DESCRIPTION"])
    assert list(events[1].walk("VALARM")) == []


def test_an_exported_calendar_reimports_to_the_same_appointments(
    binder: Binder, tmp_path: Path
) -> None:
    _two_appointments(binder)
    data = _export(binder)

    again = import_calendar(binder, 1, data)
    assert again.added == [] and len(again.already_there) == 2, "nothing is doubled"

    other = add_person(binder, "Ben Example")
    fresh = import_calendar(binder, other.id, data)
    original = list_appointments(binder, 1)
    copied = list_appointments(binder, other.id)
    assert [(a.starts_at, a.time_zone, a.minutes, a.purpose, a.location, a.reminder_minutes)
            for a in copied] == [
        (a.starts_at, a.time_zone, a.minutes, a.purpose, a.location, a.reminder_minutes)
        for a in original
    ]  # fmt: skip
    assert len(fresh.added) == 2
    assert import_calendar(binder, other.id, data).added == [], "the second import adds nothing"


def test_a_clinic_event_in_the_past_is_recorded_as_done(binder: Binder) -> None:
    past = (datetime.now(UTC) - timedelta(days=30)).strftime("%Y%m%dT%H%M%SZ")
    data = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Clinic//EN\r\nBEGIN:VEVENT\r\n"
        f"UID:visit-1@clinic\r\nDTSTAMP:{past}\r\nDTSTART:{past}\r\nDURATION:PT45M\r\n"
        "SUMMARY:Oncology follow-up\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    ).encode()
    result = import_calendar(binder, 1, data)
    assert [(a.status, a.minutes) for a in result.added] == [(AppointmentStatus.DONE, 45)]


@pytest.mark.parametrize("data", [b"", b"\x00\x01garbage", b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n"])
def test_something_that_is_not_a_calendar_is_refused_and_changes_nothing(
    binder: Binder, data: bytes
) -> None:
    with pytest.raises(Refused):
        import_calendar(binder, 1, data)
    assert list_appointments(binder, 1) == []


def test_every_calendar_in_the_corpus_is_imported_or_refused_with_a_reason(
    binder: Binder, corpus: Path
) -> None:
    folder = corpus / "ics" / "icalendar-tests"
    files = sorted(folder.rglob("*.ics"))
    assert files, "the corpus has calendars"
    outcomes: dict[str, str] = {}
    for path in files:
        name = path.relative_to(folder).as_posix()
        try:
            result = import_calendar(binder, 1, path.read_bytes())
        except Refused as exc:
            assert str(exc), path
            outcomes[name] = f"refused: {exc}"
            continue
        for reason in result.skipped:
            assert reason.startswith("Skipped an event:"), (path, reason)
        outcomes[name] = f"{len(result.added)} added"
    # Calendars from Google, Thunderbird and Outlook come in whole; a broken one is refused
    # with the reason a person can act on.
    assert outcomes["calendars/example.ics"] == "3 added"
    assert outcomes["calendars/multiple_calendar_components.ics"] == "3 added"
    assert outcomes["calendars/america_new_york.ics"] == "1 added"
    assert outcomes["calendars/alarm_google_acknowledged.ics"] == "1 added"
    assert outcomes["calendars/alarm_thunderbird_closed.ics"] == "1 added"
    assert outcomes["calendars/broken_ical.ics"].startswith("refused: ")
    assert "it has no start time" in outcomes["calendars/broken_ical.ics"]
    assert binder.check().ok


def test_time_zones_of_a_real_outlook_calendar_are_kept(corpus: Path) -> None:
    path = corpus / "ics" / "icalendar-tests" / "calendars" / "america_new_york.ics"
    events, _ = read_calendar(path.read_bytes())
    assert events and all(e.time_zone == "America/New_York" for e in events)
