"""Appointments: time zones, daylight-saving edges, past and overlapping ones, questions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.records.appointments import (
    AppointmentStatus,
    add_appointment,
    list_appointments,
    overlapping,
    parse_when,
)
from app.records.errors import InvalidValue
from app.records.questions import add_question, answer_question, list_questions
from app.vault.binder import Binder
from tests.conftest import PASSPHRASE


def test_a_time_in_the_spring_forward_gap_is_refused() -> None:
    with pytest.raises(InvalidValue, match="does not exist in America/Chicago"):
        parse_when("2026-03-08T02:30", "America/Chicago")


def test_a_time_that_happens_twice_means_the_first_one() -> None:
    when, zone_name = parse_when("2026-11-01T01:30", "America/Chicago")
    assert zone_name == "America/Chicago"
    assert when.utcoffset() == timedelta(hours=-5), "the first 01:30 is still daylight time"


def test_the_wall_time_survives_a_daylight_saving_change(binder: Binder) -> None:
    when, zone_name = parse_when("2026-11-02T09:30", "Europe/Paris")  # after the change
    appt = add_appointment(binder, 1, when, time_zone=zone_name, minutes=45)
    again = list_appointments(binder, 1)[0]
    assert again.id == appt.id
    assert again.local_start.strftime("%Y-%m-%d %H:%M %Z") == "2026-11-02 09:30 CET"


def test_an_appointment_in_the_past_cannot_be_planned(binder: Binder) -> None:
    last_week = datetime.now(UTC) - timedelta(days=7)
    with pytest.raises(InvalidValue, match="has passed"):
        add_appointment(binder, 1, last_week, status=AppointmentStatus.PLANNED)
    logged = add_appointment(binder, 1, last_week)
    assert logged.status is AppointmentStatus.DONE, "a past visit is recorded as done"
    assert list_appointments(binder, 1, upcoming=True) == []


def test_overlapping_appointments_are_allowed_and_shown(binder: Binder) -> None:
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=10)
    first = add_appointment(binder, 1, start, minutes=60, purpose="Consultation")
    second = add_appointment(binder, 1, start + timedelta(minutes=30), minutes=30, purpose="Labs")
    later = add_appointment(binder, 1, start + timedelta(hours=2), minutes=30)
    assert [a.id for a in overlapping(binder, second)] == [first.id]
    assert overlapping(binder, later) == []
    assert len(list_appointments(binder, 1, upcoming=True)) == 3


def test_questions_answered_during_the_visit_survive_closing_the_binder(
    data_dir: Path, no_keyring: None
) -> None:
    from app.records.people import add_person
    from app.vault.unlock import open_with_passphrase

    texts = ["How sure are you of the diagnosis?", "What are all my options?", "What if I wait?"]
    with Binder.create(data_dir, PASSPHRASE) as binder:
        person = add_person(binder, "Ada Example")
        appt = add_appointment(binder, person.id, datetime.now(UTC) + timedelta(days=2))
        questions = [add_question(binder, person.id, text, appt.id) for text in texts]
        answer_question(binder, questions[1].id, "Surgery first, or hormone therapy first.")

    with open_with_passphrase(data_dir, PASSPHRASE, remember=False) as reopened:
        saved = list_questions(reopened, person.id, appt.id)
    assert [q.text for q in saved] == texts
    assert [q.answered for q in saved] == [False, True, False]
    assert saved[1].answer == "Surgery first, or hormone therapy first."
