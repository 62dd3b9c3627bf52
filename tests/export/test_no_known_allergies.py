"""What a doctor reads when the patient said "no known allergies": one plain sentence on the
summary sheet (not the "please ask" line), and in the FHIR file an AllergyIntolerance coded
SNOMED CT 716186003, as the International Patient Summary does; a real allergy replaces it."""

from __future__ import annotations

from typing import Any

from app.export.facts import gather
from app.export.fhir import patient_summary
from app.export.summary_sheet import summary_pdf
from app.records.allergies import add_allergy, record_no_known_allergies
from app.records.coded import Code
from app.vault.binder import Binder
from tests.export.bundle_checks import pdf_text, validate_fhir

ADA = 1


def _summary(binder: Binder) -> str:
    return " ".join(pdf_text(summary_pdf(gather(binder, ADA), None, [])).split())


def _allergy_resources(binder: Binder) -> list[dict[str, Any]]:
    document = validate_fhir(patient_summary(gather(binder, ADA), []))
    return [
        e["resource"]
        for e in document["entry"]
        if e["resource"]["resourceType"] == "AllergyIntolerance"
    ]


def test_the_summary_says_no_known_allergies_with_who_and_when(binder: Binder) -> None:
    record_no_known_allergies(binder, ADA, noted="2026-11-23")
    text = _summary(binder)
    assert "No known allergies (recorded by the patient, 23 November 2026)." in text
    assert "please ask the patient" not in text
    assert "Allergy or intolerance" not in text, "no table for it"


def test_the_fhir_file_codes_it_as_the_ips_does(binder: Binder) -> None:
    record_no_known_allergies(binder, ADA, noted="2026-11-23")
    [resource] = _allergy_resources(binder)
    assert resource["code"]["coding"] == [
        {"system": "http://snomed.info/sct", "code": "716186003", "display": "No known allergy"}
    ]
    assert resource["code"]["text"] == "No known allergies"
    assert resource["clinicalStatus"]["coding"][0]["code"] == "active"
    assert resource["recordedDate"] == "2026-11-23"
    assert "onsetDateTime" not in resource, "no allergy began on that day"


def test_a_portal_nkda_without_a_code_goes_out_coded(binder: Binder) -> None:
    add_allergy(binder, ADA, "NKDA", status="active")
    [resource] = _allergy_resources(binder)
    assert [c["code"] for c in resource["code"]["coding"]] == ["409137002"]
    assert "No known allergies (recorded by the patient)." in _summary(binder)


def test_real_allergies_are_listed_without_any_no_known_row(binder: Binder) -> None:
    record_no_known_allergies(binder, ADA)
    add_allergy(binder, ADA, "Penicillin", reaction="Hives", status="active")
    text = _summary(binder)
    assert "Penicillin" in text and "Hives" in text
    assert "No known" not in text
    resources = _allergy_resources(binder)
    assert [r["code"]["text"] for r in resources] == ["Penicillin"]


def test_an_older_binder_holding_both_shows_only_the_real_allergy(binder: Binder) -> None:
    # Rows from before a real allergy replaced "no known": written straight to the table.
    add_allergy(binder, ADA, "Latex", status="active")
    code = Code("http://snomed.info/sct", "716186003", "No known allergy")
    with binder.transaction() as db:
        db.execute(
            "INSERT INTO allergies (person_id, name, codes, reaction, severity, status, notes,"
            " created, updated) VALUES (1, 'No known allergies', ?, '', '', 'active', '',"
            " '2026-01-01', '2026-01-01')",
            [f'[{{"system": "{code.system}", "code": "{code.code}"}}]'],
        )
    assert "No known" not in _summary(binder)
    assert [r["code"]["text"] for r in _allergy_resources(binder)] == ["Latex"]


def test_nothing_recorded_still_asks_the_doctor_to_ask(binder: Binder) -> None:
    assert "None recorded in this binder: please ask the patient." in _summary(binder)
    [resource] = _allergy_resources(binder)
    assert resource["code"]["coding"][0]["code"] == "no-allergy-info"
