"""Repeating appointments for treatment cycles: "every 21 days, 6 times" is one appointment
with a rule; the calendar shows every occurrence, the .ics holds one event with an RRULE,
and opening that .ics again adds nothing twice."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import icalendar
import pytest
from PySide6.QtCore import QDate

from app.export.calendar import calendar_bytes
from app.records.appointments import (
    AppointmentKind,
    add_appointment,
    list_appointments,
    parse_when,
)
from app.records.calendar_import import import_calendar
from app.records.errors import InvalidValue
from app.records.people import add_person
from app.records.recurrence import (
    Recurrence,
    from_rrule,
    get_recurrence,
    occurrences,
    recurrences,
    set_recurrence,
)
from app.vault.binder import Binder
from tests.conftest import Cli

ADA = 1


def _cycles(binder: Binder, start: str = "") -> int:
    """Chemotherapy every 21 days, 6 times, first on a Monday next year, 09:30 in Paris."""
    when = start or f"{date.today().year + 1}-03-02T09:30"
    starts_at, zone_name = parse_when(when, "Europe/Paris")
    appointment = add_appointment(
        binder, ADA, starts_at, time_zone=zone_name, minutes=240, purpose="Chemotherapy",
        kind=AppointmentKind.TREATMENT,
    )  # fmt: skip
    set_recurrence(binder, appointment.id, Recurrence(21, "days", 6))
    return appointment.id


def test_occurrences_keep_the_clock_time_across_a_daylight_saving_change(
    binder: Binder,
) -> None:
    appt_id = _cycles(binder)
    appointment = list_appointments(binder, ADA)[0]
    rule = get_recurrence(binder, appt_id)
    assert rule == Recurrence(21, "days", 6) and rule.words() == "every 21 days, 6 times"
    found = occurrences(appointment, rule)
    year = date.today().year + 1
    assert [o.day for o in found] == [date(year, 3, 2) + timedelta(days=21 * n) for n in range(6)]
    # The clocks go forward in late March: still 09:30 in Paris, not 10:30.
    assert {(o.starts_at.hour, o.starts_at.minute) for o in found} == {(9, 30)}
    assert found[2].words() == "3 of 6"
    assert Recurrence(1, "weeks", 4).words() == "every week, 4 times"
    set_recurrence(binder, appt_id, None)
    assert recurrences(binder, ADA) == {}
    for bad in ((0, "days", 6), (21, "days", 1), (21, "months", 6)):
        with pytest.raises(InvalidValue):
            Recurrence(*bad)


def test_ics_has_one_event_with_a_rule_and_importing_it_again_doubles_nothing(
    binder: Binder,
) -> None:
    appt_id = _cycles(binder)
    data = calendar_bytes(
        list_appointments(binder, ADA), binder.binder_id, None, recurrences(binder, ADA)
    )
    events = [c for c in icalendar.Calendar.from_ical(data).walk("VEVENT")]
    assert len(events) == 1
    rule = events[0]["RRULE"]
    assert isinstance(rule, icalendar.vRecur)
    assert dict(rule) == {"FREQ": ["DAILY"], "INTERVAL": [21], "COUNT": [6]}
    result = import_calendar(binder, ADA, data)
    assert result.added == [] and [a.id for a in result.already_there] == [appt_id]
    assert len(list_appointments(binder, ADA)) == 1
    # Another person importing it gets one appointment that repeats the same way.
    ben = add_person(binder, "Ben Example")
    result = import_calendar(binder, ben.id, data)
    (added,) = result.added
    assert get_recurrence(binder, added.id) == Recurrence(21, "days", 6)
    assert len(list_appointments(binder, ben.id)) == 1
    assert from_rrule("FREQ=WEEKLY;INTERVAL=3;COUNT=4") == Recurrence(3, "weeks", 4)
    assert from_rrule("FREQ=WEEKLY;BYDAY=MO,WE;COUNT=4") is None
    assert from_rrule("FREQ=DAILY;UNTIL=20270101T000000Z") is None


def test_the_month_calendar_marks_every_cycle_and_the_add_dialog_sets_the_rule(
    qtbot: object, binder: Binder
) -> None:
    from app.records.people import get_person
    from app.ui.application import make_application
    from app.ui.appointments_page import AppointmentsPage

    make_application()
    page = AppointmentsPage(binder)
    qtbot.addWidget(page)  # type: ignore[attr-defined]
    page.set_person(get_person(binder, ADA))
    year = date.today().year + 2
    dialog = page.open_add_dialog()
    assert dialog is not None
    dialog.set_when(f"{year}-01-05T08:00")
    dialog.purpose.setText("Radiotherapy")
    dialog.repeats.setChecked(True)
    dialog.repeat_every.setValue(1)
    dialog.repeat_unit.setCurrentIndex(dialog.repeat_unit.findData("weeks"))
    dialog.repeat_times.setValue(4)
    dialog.save()
    qtbot.waitUntil(lambda: len(list_appointments(binder, ADA)) == 1, timeout=10000)  # type: ignore[attr-defined]
    page.refresh()
    first = date(year, 1, 5)
    weeks = [first + timedelta(weeks=n) for n in range(4)]
    assert [d.toPython() for d in page.marked_days()] == weeks
    assert "every week, 4 times" in page.list.item(0).text()
    said: list[str] = []
    page.status_message.connect(said.append)
    page.day_chosen(QDate(weeks[2].year, weeks[2].month, weeks[2].day))
    assert said and "3 of 4" in said[-1]
    assert page.selected_appointment() is not None
    shots = os.environ.get("CAREBINDER_SHOTS")
    if shots:
        page.calendar.setSelectedDate(QDate(year, 1, 19))
        page.resize(1100, 640)
        page.grab().save(str(Path(shots) / "appointments-cycles.png"))


def test_repeat_and_ics_from_the_command_line(cli: Cli, tmp_path: Path) -> None:
    assert cli.run("init", "--person", "Rosa Example").code == 0
    when = (datetime.now(UTC) + timedelta(days=30)).strftime("%Y-%m-%dT09:30")
    added = cli.run("appt", "add", "--at", when, "--purpose", "Chemotherapy", "--json")
    assert added.code == 0, added.err
    appt_id = added.json()["id"]
    done = cli.run("repeat", str(appt_id), "--every", "3w", "--times", "6", "--json")
    assert done.code == 0, done.err
    assert done.json()["repeats"] == {"every": 3, "unit": "weeks", "times": 6}
    assert len(done.json()["occurrences"]) == 6
    assert cli.run("ics", "export", str(tmp_path / "a.ics")).code == 0
    text = (tmp_path / "a.ics").read_text()
    (rule,) = [line for line in text.splitlines() if line.startswith("RRULE:")]
    assert sorted(rule[6:].split(";")) == ["COUNT=6", "FREQ=WEEKLY", "INTERVAL=3"]
    assert text.count("BEGIN:VEVENT") == 1
    again = cli.run("ics", "import", str(tmp_path / "a.ics"))
    assert again.code == 0, again.err
    listed = cli.run("appt", "list", "--json")
    assert len(listed.json()) == 1
    assert cli.run("repeat", str(appt_id), "--every", "fortnightly", "--times", "3").code == 2
