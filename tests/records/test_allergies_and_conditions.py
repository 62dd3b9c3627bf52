"""Allergies and health problems typed in by hand: added, listed in order, changed, removed;
a bad value is refused with a plain message and changes nothing; a portal item keeps its
codes when corrected."""

from __future__ import annotations

import pytest

from app.records.allergies import (
    add_allergy,
    allergy_words,
    delete_allergy,
    get_allergy,
    list_allergies,
    severity_word,
    update_allergy,
)
from app.records.coded import Code
from app.records.conditions import (
    add_condition,
    delete_condition,
    get_condition,
    is_past,
    list_conditions,
    status_word,
    update_condition,
)
from app.records.errors import InvalidValue, NotFound
from app.records.people import add_person
from app.vault.binder import Binder

ADA = 1


def test_allergies_are_added_listed_by_name_changed_and_removed(binder: Binder) -> None:
    penicillin = add_allergy(binder, ADA, "  Penicillin ", reaction="rash ", severity="severe")
    add_allergy(binder, ADA, "latex")
    add_allergy(binder, ADA, "Aspirin", noted="2019-03")
    assert [a.name for a in list_allergies(binder, ADA)] == ["Aspirin", "latex", "Penicillin"]
    assert allergy_words(penicillin) == "Penicillin (rash, severe)"

    changed = update_allergy(
        binder,
        penicillin.id,
        "Penicillin G",
        reaction="hives and swelling",
        severity="moderate",
        noted="1985",
        notes="told by the GP",
    )
    assert (changed.name, changed.reaction, changed.severity, changed.noted_date) == (
        "Penicillin G",
        "hives and swelling",
        "moderate",
        "1985",
    )
    assert changed.notes == "told by the GP"
    assert get_allergy(binder, penicillin.id) == changed

    delete_allergy(binder, penicillin.id)
    assert [a.name for a in list_allergies(binder, ADA)] == ["Aspirin", "latex"]
    with pytest.raises(NotFound, match="no allergy with id"):
        get_allergy(binder, penicillin.id)


def test_an_allergy_belongs_to_its_person_only(binder: Binder) -> None:
    bo = add_person(binder, "Bo Example")
    add_allergy(binder, ADA, "Latex")
    assert list_allergies(binder, bo.id) == []


def test_conditions_are_listed_by_when_they_began_unknown_dates_last(binder: Binder) -> None:
    add_condition(binder, ADA, "Asthma")
    add_condition(binder, ADA, "High blood pressure", onset="2019-03", status="active")
    add_condition(binder, ADA, "appendicitis", onset="1990", resolved="1990", status="resolved")
    add_condition(binder, ADA, "Anaemia")
    assert [c.name for c in list_conditions(binder, ADA)] == [
        "appendicitis",
        "High blood pressure",
        "Anaemia",
        "Asthma",
    ]


def test_a_condition_is_changed_and_removed(binder: Binder) -> None:
    knee = add_condition(binder, ADA, "Knee pain", onset="2026-08", status="active")
    over = update_condition(
        binder, knee.id, "Left knee pain", onset="2026-08", resolved="2026-09", status="resolved"
    )
    assert (over.name, over.onset_date, over.resolved_date, over.status) == (
        "Left knee pain",
        "2026-08",
        "2026-09",
        "resolved",
    )
    assert is_past(over)
    delete_condition(binder, knee.id)
    assert list_conditions(binder, ADA) == []
    with pytest.raises(NotFound):
        update_condition(binder, knee.id, "Knee pain")


def test_an_edit_with_an_empty_name_or_a_bad_date_changes_nothing(binder: Binder) -> None:
    allergy = add_allergy(binder, ADA, "Penicillin", reaction="rash", noted="2020")
    condition = add_condition(binder, ADA, "Diabetes", onset="2015-06", status="active")

    with pytest.raises(InvalidValue, match="A name is needed"):
        update_allergy(binder, allergy.id, "   ", reaction="hives")
    with pytest.raises(InvalidValue, match="Date noted: '15/03/2020' is not a date"):
        update_allergy(binder, allergy.id, "Penicillin", noted="15/03/2020")
    with pytest.raises(InvalidValue, match="A name is needed"):
        update_condition(binder, condition.id, "")
    with pytest.raises(InvalidValue, match="Date it ended: '2024-13' is not a real date"):
        update_condition(binder, condition.id, "Diabetes", resolved="2024-13")
    with pytest.raises(InvalidValue, match="Date it began"):
        add_condition(binder, ADA, "Asthma", onset="last spring")

    assert get_allergy(binder, allergy.id) == allergy
    assert get_condition(binder, condition.id) == condition
    assert [c.name for c in list_conditions(binder, ADA)] == ["Diabetes"]


def test_an_end_before_the_start_is_refused_when_edited_by_hand(binder: Binder) -> None:
    condition = add_condition(binder, ADA, "Anaemia", onset="2024-03-15", status="active")
    with pytest.raises(InvalidValue, match=r"The end \(Feb 2024\) is before the start"):
        update_condition(binder, condition.id, "Anaemia", onset="2024-03-15", resolved="2024-02")
    assert get_condition(binder, condition.id) == condition
    # A month may hold the day it began: both may be right.
    assert update_condition(binder, condition.id, "Anaemia", "2024-03-15", "2024-03").resolved_date


def test_a_portal_item_corrected_by_hand_keeps_its_codes(binder: Binder) -> None:
    codes = (Code("http://snomed.info/sct", "38341003", "Hypertensive disorder"),)
    condition = add_condition(binder, ADA, "HTN", onset="2019", status="active", codes=codes)
    fixed = update_condition(binder, condition.id, "High blood pressure", onset="2019-03")
    assert fixed.codes == codes and fixed.name == "High blood pressure"
    allergy_codes = (Code("http://www.nlm.nih.gov/research/umls/rxnorm", "7980", "Penicillin G"),)
    allergy = add_allergy(binder, ADA, "PCN", codes=allergy_codes, status="active")
    assert update_allergy(binder, allergy.id, "Penicillin", status="active").codes == allergy_codes


def test_the_plain_choices_cover_what_portals_store() -> None:
    assert [severity_word(s) for s in ("Severe", "mild", "", "high")] == [
        "severe",
        "mild",
        "not sure",
        "not sure",
    ]
    assert [status_word(s) for s in ("active", "Resolved", "inactive", "", "remission")] == [
        "current",
        "past",
        "past",
        "not sure",
        "not sure",
    ]
