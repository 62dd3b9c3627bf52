"""The export's FHIR patient summary, read back through the portal import, gives the same
medications, problems and allergies (names, dates and codes)."""

from __future__ import annotations

import json
from pathlib import Path

from app.export.facts import gather
from app.export.fhir import patient_summary
from app.ingest.portal_read import read_portal
from app.records.allergies import add_allergy, list_allergies
from app.records.coded import Code, codes_from_text
from app.records.conditions import add_condition, list_conditions
from app.records.medications import add_medication, list_medications
from app.records.people import add_person
from app.records.portal_import import apply, preview
from app.vault.binder import Binder
from tests.export.bundle_checks import validate_fhir

RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
SNOMED = "http://snomed.info/sct"


def _meds(binder: Binder, person_id: int) -> list[tuple[object, ...]]:
    rows = []
    for med in list_medications(binder, person_id):
        codes = binder.db.execute("SELECT codes FROM medications WHERE id = ?", [med.id]).fetchone()
        rows.append((med.name, med.start_date, med.stop_date, codes_from_text(codes[0])))
    return sorted(rows, key=repr)


def _conditions(binder: Binder, person_id: int) -> list[tuple[object, ...]]:
    return sorted(
        (
            (c.name, c.onset_date, c.resolved_date, c.codes)
            for c in list_conditions(binder, person_id)
        ),
        key=repr,
    )


def test_the_fhir_summary_comes_back_the_same(binder: Binder, corpus: Path) -> None:
    # What a patient has: one file from a portal, and what they typed themselves.
    ccd = corpus / "ccda/hl7-c-cda-examples/Documents/Consultation Note/Consultation_Note.xml"
    data = ccd.read_bytes()
    apply(binder, 1, preview(binder, 1, read_portal(data), ccd.name, data))
    add_medication(binder, 1, "Tamoxifen", start="2024-03", dose="20 mg", how_often="daily")
    med_id = list_medications(binder, 1)[-1].id
    binder.db.execute(
        "UPDATE medications SET codes = ? WHERE id = ?",
        [json.dumps([{"system": RXNORM, "code": "10324"}]), med_id],
    )
    add_condition(
        binder,
        1,
        "Breast cancer",
        onset="2024-02",
        status="active",
        codes=(Code(SNOMED, "254837009", "Malignant neoplasm of breast"),),
    )
    add_allergy(binder, 1, "Latex", reaction="Rash", status="active")

    summary = patient_summary(gather(binder, 1), [])
    document = validate_fhir(summary)
    kinds = [e["resource"]["resourceType"] for e in document["entry"]]
    assert kinds.count("Condition") == 5 and kinds.count("AllergyIntolerance") == 3

    person = add_person(binder, "Ada Again")
    record = read_portal(summary)
    assert record.format == "FHIR patient summary"
    result = apply(binder, person.id, preview(binder, person.id, record, "summary.json", summary))
    assert result.added["medications"] == 3 and result.added["conditions"] == 5
    assert _meds(binder, person.id) == _meds(binder, 1)
    assert _conditions(binder, person.id) == _conditions(binder, 1)
    assert sorted((a.name, a.reaction) for a in list_allergies(binder, person.id)) == sorted(
        (a.name, a.reaction) for a in list_allergies(binder, 1)
    )
    tamoxifen = next(m for m in list_medications(binder, person.id) if m.name == "Tamoxifen")
    assert (tamoxifen.start_date, tamoxifen.dose) == ("2024-03", "20 mg daily")
