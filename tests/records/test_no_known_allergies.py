""" "No known allergies", recorded as the International Patient Summary does (an allergy row
coded SNOMED CT 716186003): recorded once, refused beside real allergies, replaced by the
first real allergy; a portal's "NKA" or "No known drug allergies" counts as the same."""

from __future__ import annotations

from datetime import date

import pytest

from app.records.allergies import (
    NO_KNOWN_ALLERGY,
    NO_KNOWN_NAME,
    add_allergy,
    delete_allergy,
    is_no_known,
    list_allergies,
    record_no_known_allergies,
    update_allergy,
)
from app.records.coded import Code
from app.records.errors import InvalidValue
from app.records.people import add_person
from app.vault.binder import Binder

ADA = 1


def test_no_known_allergies_is_recorded_once_with_its_code_and_todays_date(
    binder: Binder,
) -> None:
    before = date.today().isoformat()
    said = record_no_known_allergies(binder, ADA)
    # Today's date, read before and after: a run that crosses midnight sees either day.
    assert said.noted_date in {before, date.today().isoformat()}
    assert said.name == "No known allergies" == NO_KNOWN_NAME
    assert said.codes == (NO_KNOWN_ALLERGY,)
    assert (NO_KNOWN_ALLERGY.system, NO_KNOWN_ALLERGY.code) == (
        "http://snomed.info/sct",
        "716186003",
    )
    assert is_no_known(said)

    again = record_no_known_allergies(binder, ADA, noted="2020-01-02")
    assert again == said, "already recorded: nothing new"
    assert list_allergies(binder, ADA) == [said]


def test_it_is_refused_while_real_allergies_are_recorded(binder: Binder) -> None:
    add_allergy(binder, ADA, "Penicillin", reaction="rash")
    with pytest.raises(InvalidValue, match="Penicillin"):
        record_no_known_allergies(binder, ADA)
    assert [a.name for a in list_allergies(binder, ADA)] == ["Penicillin"]


def test_adding_a_real_allergy_takes_its_place_for_that_person_only(binder: Binder) -> None:
    bo = add_person(binder, "Bo Example")
    record_no_known_allergies(binder, ADA, noted="2026-11-23")
    bos = record_no_known_allergies(binder, bo.id)
    penicillin = add_allergy(binder, ADA, "Penicillin")
    assert list_allergies(binder, ADA) == [penicillin]
    assert list_allergies(binder, bo.id) == [bos], "Bo's own answer stays"

    delete_allergy(binder, penicillin.id)
    before = date.today().isoformat()
    noted = record_no_known_allergies(binder, ADA).noted_date
    assert noted in {before, date.today().isoformat()}


def test_a_refused_allergy_leaves_no_known_allergies_in_place(binder: Binder) -> None:
    said = record_no_known_allergies(binder, ADA)
    with pytest.raises(InvalidValue):
        add_allergy(binder, ADA, "Penicillin", noted="not a date")
    with pytest.raises(InvalidValue):
        add_allergy(binder, ADA, "   ")
    assert list_allergies(binder, ADA) == [said]


@pytest.mark.parametrize(
    "name",
    ["No known allergies", "no known allergy", "NKA", "nkda", "N.K.D.A.",
     "No Known Drug Allergies", "  no   known  allergies "],
)  # fmt: skip
def test_portal_names_for_it_are_recognised(binder: Binder, name: str) -> None:
    row = add_allergy(binder, ADA, name)
    assert is_no_known(row)
    penicillin = add_allergy(binder, ADA, "Penicillin")
    assert list_allergies(binder, ADA) == [penicillin]
    with pytest.raises(InvalidValue, match="Penicillin"):
        add_allergy(binder, ADA, name)


def test_real_allergy_names_are_not_taken_for_it(binder: Binder) -> None:
    for name in ("Penicillin", "Known latex allergy", "No known allergies to food but nuts"):
        assert not is_no_known(add_allergy(binder, ADA, name))
    coded = add_allergy(binder, ADA, "Peanut", codes=(Code("http://snomed.info/sct", "91935009"),))
    assert not is_no_known(coded)


def test_a_portal_row_coded_no_known_counts_whatever_its_name(binder: Binder) -> None:
    code = Code("http://snomed.info/sct", "409137002", "No known drug allergy")
    row = add_allergy(binder, ADA, "Allergy status: none", codes=(code,))
    assert is_no_known(row)
    with pytest.raises(InvalidValue, match="already recorded"):
        add_allergy(binder, ADA, "NKA")
    assert record_no_known_allergies(binder, ADA) == row


def test_it_cannot_be_renamed_into_an_allergy_nor_an_allergy_into_it(binder: Binder) -> None:
    said = record_no_known_allergies(binder, ADA)
    with pytest.raises(InvalidValue, match="Remove it, then add the allergy"):
        update_allergy(binder, said.id, "Penicillin")
    kept = update_allergy(binder, said.id, said.name, noted="2025-05", notes="asked at intake")
    assert kept.notes == "asked at intake" and is_no_known(kept)
    delete_allergy(binder, said.id)
    latex = add_allergy(binder, ADA, "Latex")
    with pytest.raises(InvalidValue, match="remove the allergies first"):
        update_allergy(binder, latex.id, "NKA")
