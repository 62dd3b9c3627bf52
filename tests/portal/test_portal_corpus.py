"""Real portal files from ../shared/corpus brought into a binder: counts and exact values a
person would check (a medication with its dose and start, a problem, a visit's date and
doctor), and a second import of the same file adds nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.ingest.portal_read import read_folder, read_portal
from app.records.allergies import list_allergies
from app.records.appointments import AppointmentStatus, list_appointments
from app.records.care_team import list_doctors
from app.records.coded import codes_from_text
from app.records.conditions import list_conditions
from app.records.documents import list_documents
from app.records.medications import list_medications
from app.records.portal_import import ALREADY, apply, pick_patient, preview
from app.records.procedures import list_procedures
from app.records.results import list_results
from app.vault.binder import Binder

CCDA = "ccda/hl7-c-cda-examples"
BB = "bluebutton/amida-blue-button-fixtures"
SYNTHEA = "fhir/synthea-bulk-10-patients"


def _import(binder: Binder, path: Path, patient: str | None = None) -> int:
    data = path.read_bytes()
    record = pick_patient(read_portal(data), patient)
    shown = preview(binder, 1, record, path.name, data)
    return apply(binder, 1, shown).total


def _counts(binder: Binder) -> dict[str, int]:
    return {
        "medications": len(list_medications(binder, 1)),
        "conditions": len(list_conditions(binder, 1)),
        "allergies": len(list_allergies(binder, 1)),
        "procedures": len(list_procedures(binder, 1)),
        "visits": len(list_appointments(binder, 1)),
        "doctors": len(list_doctors(binder, 1)),
        "results": len(list_results(binder, 1)),
        "documents": len(list_documents(binder, 1)),
    }


def test_the_hl7_ccd_brings_in_medications_problems_visits_and_results(
    binder: Binder, corpus: Path
) -> None:
    path = corpus / CCDA / "Documents/CCD/CCD 1/CCD.XML"
    # Pneumonia of 1998 and of 2013 is one line: a problem is listed once (issue 21).
    assert _import(binder, path) == 17
    assert _counts(binder) == {
        "medications": 2,
        "conditions": 3,
        "allergies": 2,
        "procedures": 2,
        "visits": 1,
        "doctors": 1,
        "results": 6,
        "documents": 1,
    }
    atenolol = next(m for m in list_medications(binder, 1) if m.name.startswith("atenolol"))
    assert (atenolol.name, atenolol.dose, atenolol.how_often, atenolol.start_date) == (
        "atenolol 25 MG Oral Tablet",
        "1",
        "twice a day",
        "2012-03-18",
    )
    row = binder.db.execute(
        "SELECT codes, source_document_id FROM medications WHERE id = ?", [atenolol.id]
    ).fetchone()
    assert [(c.system_name, c.code) for c in codes_from_text(row[0])] == [("RxNorm", "197380")]
    kept = list_documents(binder, 1)[0]
    assert row[1] == kept.id and kept.original_name == "CCD.XML"
    angina = next(c for c in list_conditions(binder, 1) if c.name == "Angina")
    assert angina.onset_date == "2007-04-17"
    assert [(c.system_name, c.code) for c in angina.codes] == [("SNOMED CT", "194828000")]
    assert angina.source_document_id == kept.id
    penicillin = next(a for a in list_allergies(binder, 1) if a.name == "Penicillin")
    assert penicillin.reaction == "Nausea"
    hemoglobin = next(r for r in list_results(binder, 1) if r.name == "Hemoglobin")
    assert (hemoglobin.value, hemoglobin.unit, hemoglobin.taken_date) == (
        "13.2",
        "g/dL",
        "2008-03-19",
    )
    (visit,) = list_appointments(binder, 1)
    assert visit.starts_at.isoformat() == "2012-09-27T13:00:00-05:00"
    assert visit.location == "Good Health Urgent Care"
    assert visit.status is AppointmentStatus.DONE
    (doctor,) = list_doctors(binder, 1)
    assert doctor.name == "Patricia Patty Primary M.D."
    assert doctor.institution == "The DoctorsTogether Physician Group"

    before = _counts(binder)
    assert _import(binder, path) == 0
    assert _counts(binder) == before


@pytest.mark.parametrize(
    ("name", "expected", "visit_day", "visit_doctor"),
    [
        (
            "Consultation Note/Consultation_Note.xml",
            {"medications": 2, "conditions": 4, "allergies": 2, "results": 6},
            "2013-07-31",
            None,
        ),
        (
            "Discharge Summary/Discharge_Summary.xml",
            {"conditions": 2, "allergies": 3, "procedures": 1},
            "2014-09-09",
            None,
        ),
        (
            "History and Physical/History_and_Physical.xml",
            {"medications": 1, "conditions": 2, "allergies": 3, "procedures": 2, "results": 3},
            "2009-02-27",
            None,
        ),
        (
            "Diagnostic Imaging Report/Diagnostic_Imaging_Report.xml",
            {},
            "2006-08-28",
            "Dr. Fay Family",
        ),
        (
            "Transfer Summary/Transfer_Summary.xml",
            {"medications": 2, "conditions": 4, "allergies": 2, "procedures": 2, "results": 6},
            None,
            None,
        ),
    ],
)
def test_hl7_c_cda_documents(
    binder: Binder,
    corpus: Path,
    name: str,
    expected: dict[str, int],
    visit_day: str | None,
    visit_doctor: str | None,
) -> None:
    path = corpus / CCDA / "Documents" / name
    _import(binder, path)
    counts = _counts(binder)
    for group, count in expected.items():
        assert counts[group] == count, group
    visits = list_appointments(binder, 1)
    if visit_day:
        assert [v.starts_at.date().isoformat() for v in visits] == [visit_day]
    else:
        assert visits == []  # the example's visit date (month 30) is no date: left out
    if visit_doctor:
        assert visits[0].doctor == visit_doctor
    before = _counts(binder)
    assert _import(binder, path) == 0
    assert _counts(binder) == before


def test_a_c_cda_saying_no_known_allergies_brings_that_in_and_a_second_time_nothing(
    binder: Binder, corpus: Path
) -> None:
    from app.records.allergies import is_no_known

    path = corpus / CCDA / "Documents/CCD/CCD 2/CCD.xml"  # a negated "allergy to substance"
    _import(binder, path)
    [said] = list_allergies(binder, 1)
    assert said.name == "No known allergies" and is_no_known(said)
    assert [c.code for c in said.codes] == ["716186003"]
    assert _import(binder, path) == 0
    assert len(list_allergies(binder, 1)) == 1


def test_a_c_cda_with_an_embedded_pdf_keeps_the_pdf_as_its_own_document(
    binder: Binder, corpus: Path
) -> None:
    path = corpus / CCDA / "Unstructured/CDA with Embedded PDF 1/Unstructured_Document_embed.xml"
    _import(binder, path)
    documents = list_documents(binder, 1)
    assert sorted(d.media_type for d in documents) == ["application/cda+xml", "application/pdf"]
    assert _import(binder, path) == 0
    assert len(list_documents(binder, 1)) == 2


def test_the_va_blue_button_text(binder: Binder, corpus: Path) -> None:
    path = corpus / BB / "sense/VA_My_HealtheVet_Blue_Button_Sample_Version_12_5_1.txt"
    _import(binder, path)
    counts = _counts(binder)
    assert (counts["medications"], counts["conditions"], counts["allergies"]) == (17, 5, 7)
    fluoxetine = next(m for m in list_medications(binder, 1) if m.name.startswith("FLUOXETINE"))
    assert fluoxetine.name == "FLUOXETINE HCL 10MG CAP"
    assert fluoxetine.dose == "TAKE ONE CAPSULE BY MOUTH EVERY MORNING"
    assert fluoxetine.start_date == "2012-12-10"
    assert {c.name for c in list_conditions(binder, 1)} >= {
        "Hyperlipidemia",
        "TRAUMATIC BRAIN INJURY",
    }
    stay = next(a for a in list_appointments(binder, 1) if a.purpose == "Hospital stay")
    assert stay.local_start.strftime("%Y-%m-%d %H:%M") == "2012-12-10 09:35"
    assert stay.doctor == "PROVIDER, ONE A"
    assert stay.location == "PORTLAND, OREGON VA MEDICAL CENTER"
    # Cancelled and missed appointments are not brought in as visits.
    assert all(
        a.local_start.date().isoformat() != "2013-05-16" for a in list_appointments(binder, 1)
    )
    before = _counts(binder)
    assert _import(binder, path) == 0
    assert _counts(binder) == before


def test_the_medicare_blue_button_text(binder: Binder, corpus: Path) -> None:
    path = corpus / BB / "sense/cms_sample.txt"
    _import(binder, path)
    counts = _counts(binder)
    assert (counts["medications"], counts["conditions"], counts["allergies"]) == (3, 2, 2)
    asthma = next(c for c in list_conditions(binder, 1) if c.name == "Asthma")
    assert (asthma.onset_date, asthma.resolved_date) == ("2008-01-25", "2010-01-25")
    grasses = next(a for a in list_allergies(binder, 1) if a.name == "Grasses")
    assert (grasses.reaction, grasses.severity) == ("Sneezing", "Severe")
    assert _import(binder, path) == 0


@pytest.mark.parametrize(
    "name",
    [
        "sense/c32_sample.xml",
        "sense/VA_CCD_Sample_File_Version_12_5_1.xml",
        "parser-ccd/SampleCCDDocument.xml",
    ],
)
def test_ccd_and_c32_exports_from_real_systems(binder: Binder, corpus: Path, name: str) -> None:
    path = corpus / BB / name
    added = _import(binder, path)
    assert added > 5
    assert list_conditions(binder, 1) and list_allergies(binder, 1)
    assert _import(binder, path) == 0


def test_synthea_patients_one_by_one_from_the_bulk_export(binder: Binder, corpus: Path) -> None:
    record, _ = read_folder(corpus / SYNTHEA)
    assert len(record.patients) == 13
    gladys = pick_patient(record, "Gladys")
    shown = preview(binder, 1, gladys, "synthea.ndjson", b"")
    assert shown.source_name == "synthea - Mrs. Gladys682 Schumm995.ndjson"
    groups = {g: len(items) for g, items in shown.grouped().items()}
    assert groups == {
        "medications": 8,
        "conditions": 34,
        "allergies": 0,
        "procedures": 86,
        "encounters": 44,
        "care_team": 3,
        "results": 0,
        "documents": 44,
    }
    result = apply(binder, 1, shown)
    assert result.added["encounters"] == 44
    seasonique = next(m for m in list_medications(binder, 1) if m.name == "Seasonique 91 Day Pack")
    assert seasonique.start_date == "2021-04-20"
    assert [
        (c.system_name, c.code)
        for c in codes_from_text(
            binder.db.execute(
                "SELECT codes FROM medications WHERE id = ?", [seasonique.id]
            ).fetchone()[0]
        )
    ] == [("RxNorm", "749762")]
    sore = next(c for c in list_conditions(binder, 1) if c.name == "Streptococcal sore throat")
    assert (sore.onset_date, sore.resolved_date) == ("2015-03-24", "2015-04-03")
    checkup = next(
        a for a in list_appointments(binder, 1) if a.starts_at.date().isoformat() == "2015-01-06"
    )
    assert checkup.doctor == "Dr. Bobbye345 Wuckert783"
    assert checkup.location == "OVERLAND PARK REG MED CTR"
    # Only her own records are kept from the export, never the other twelve people's.
    kept = next(d for d in list_documents(binder, 1) if d.original_name.endswith(".ndjson"))
    from app.records.documents import read_original

    text = read_original(binder, kept.id).decode()
    assert "Gladys682" in text and "Marine542" not in text
    again = preview(
        binder, 1, pick_patient(read_folder(corpus / SYNTHEA)[0], "Gladys"), "synthea.ndjson", b""
    )
    assert again.new_items == [] and all(i.why == ALREADY for i in again.items)
    before = _counts(binder)
    assert apply(binder, 1, again).total == 0
    assert _counts(binder) == before


def test_one_synthea_ndjson_file_names_its_people_by_reference(
    binder: Binder, corpus: Path
) -> None:
    from app.ingest.refusal import Refused

    data = (corpus / SYNTHEA / "Condition.000.ndjson").read_bytes()
    record = read_portal(data)
    with pytest.raises(Refused, match="13 people"):
        pick_patient(record, None)
    one = pick_patient(record, "129c6ac7-8d06-89de-ad63-0204a93e76c3")
    assert len(one.conditions) == 49
    assert one.conditions[0].name == "Sepsis" and one.conditions[0].onset == "1976-01-19"
