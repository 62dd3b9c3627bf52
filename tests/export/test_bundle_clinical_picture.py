"""The demo's bundle says the same diagnosis and stage everywhere: Summary.pdf's first page
leads with them (with its sources, and "not yet checked" where the patient has not checked
a value), the FHIR summary carries the cancer as a Condition with its stage, TNM and
biomarkers, and the treatment summary agrees."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.export.bundle import build_bundle
from app.records.people import find_person
from app.records.picture import clinical_picture
from app.vault.binder import Binder
from tests.export.bundle_checks import pdf_text, unzip, validate_fhir


def _first_page(pdf: bytes) -> str:
    import io

    from pypdf import PdfReader

    return " ".join((PdfReader(io.BytesIO(pdf)).pages[0].extract_text() or "").split())


@pytest.mark.parametrize("who", ["Eleanor Whitfield", "Thomas Whitfield"])
def test_the_demo_bundle_names_the_histology_stage_and_a_biomarker_everywhere(
    demo: Binder, tmp_path: Path, who: str
) -> None:
    person = find_person(demo, who).id
    picture = clinical_picture(demo, person)
    (cancer,) = picture.cancers()
    histology, group = cancer.histology, picture.value("stage.group")
    marker = cancer.biomarkers()[0]
    assert histology and group and marker.value, "the demo's reports give all three"

    files = unzip(build_bundle(demo, person, tmp_path / f"{person}.zip").target)
    page_one = _first_page(files["Summary.pdf"])
    assert "Diagnosis, treatment and plan" in page_one
    assert cancer.name in page_one
    assert f"Stage {group}" in page_one
    assert marker.value in page_one
    assert "No diagnosis or stage has been recorded" not in page_one
    # Every value names its source document.
    source = picture.field("diagnosis.histology").sources[0]
    assert source.label in " ".join(pdf_text(files["Summary.pdf"]).split())

    fhir = validate_fhir(files["patient-summary.json"])
    resources = [e["resource"] for e in fhir["entry"]]
    conditions = [r for r in resources if r["resourceType"] == "Condition"]
    condition = conditions[0]
    assert condition["code"]["text"] == cancer.name, "the Problems list leads with the cancer"
    assert histology in condition["code"]["text"]
    assert condition["bodySite"][0]["text"] == cancer.site
    stages = " ".join(s["summary"]["text"] for s in condition["stage"])
    assert f"Stage {group}" in stages
    assessed = {a["display"] for s in condition["stage"] for a in s.get("assessment", [])}
    assert picture.value("stage.clinical_t") in assessed
    observations = [r for r in resources if r["resourceType"] == "Observation"]
    values = {(o["code"]["text"], o["valueCodeableConcept"]["text"]) for o in observations}
    assert (marker.label, marker.value) in values
    # The evidence points at the enclosed pathology report's DocumentReference.
    references = {
        e["fullUrl"]: e["resource"]
        for e in fhir["entry"]
        if e["resource"]["resourceType"] == "DocumentReference"
    }
    evidence = [d["reference"] for d in condition["evidence"][0]["detail"]]
    assert any(references[ref]["description"] == source.title for ref in evidence)
    composition = resources[0]
    problems = next(s for s in composition["section"] if s["title"] == "Problems")
    assert (
        problems["entry"][0]["reference"]
        == fhir["entry"][[r for r in resources].index(condition)]["fullUrl"]
    )

    # The treatment summary in the same bundle says the same.
    treatment = " ".join(pdf_text(files["Treatment summary.pdf"]).split())
    assert histology in treatment and group in treatment and marker.value in treatment


def test_what_is_not_checked_says_so_and_what_is_checked_does_not(
    demo: Binder, tmp_path: Path
) -> None:
    eleanor = find_person(demo, "Eleanor Whitfield").id
    files = unzip(build_bundle(demo, eleanor, tmp_path / "e.zip").target)
    page_one = _first_page(files["Summary.pdf"])
    # Eleanor checked her diagnosis and stage, not her biomarkers.
    diagnosis_line = page_one.split("Diagnosis ", 2)[-1].split("Grade")[0]
    assert "not yet checked" not in diagnosis_line
    biomarkers_line = page_one.split("Biomarkers", 1)[1].split("Treatments so far")[0]
    assert "not yet checked" in biomarkers_line
    assert "None recorded yet." in page_one.split("Treatments so far", 1)[1][:40]
