"""Reading cancer facts from report text: each hard case with a short synthetic report."""

from __future__ import annotations

from app.ingest.clinical import Certainty, read_report, title_from_text
from app.ingest.kinds import DocumentKind


def test_a_breast_core_biopsy_gives_diagnosis_grade_and_receptors() -> None:
    reading = read_report(
        "FINAL DIAGNOSIS: A. LEFT BREAST, CORE BIOPSY: INVASIVE DUCTAL CARCINOMA, "
        "NOTTINGHAM GRADE 2. ER: Positive (95%, strong). PR: Positive (40%). "
        "HER2 (IHC): Negative (1+).",
        DocumentKind.PATHOLOGY,
    )
    assert reading.malignant is True
    assert reading.value("diagnosis.histology") == "Invasive ductal carcinoma"
    assert reading.value("diagnosis.site") == "Breast"
    assert reading.value("diagnosis.laterality") == "Left"
    assert reading.value("diagnosis.grade") == "Nottingham grade 2 of 3"
    assert reading.value("biomarker.er") == "Positive (95%, strong)"
    assert reading.value("biomarker.her2") == "Negative (IHC 1+)"
    found = reading.get("diagnosis.histology")
    assert found is not None
    assert found.certainty is Certainty.STATED


def test_a_benign_report_names_no_cancer() -> None:
    reading = read_report(
        "DIAGNOSIS: Right ovarian cyst: benign cystic ovary. No malignancy identified."
    )
    assert reading.malignant is False
    assert reading.value("diagnosis.histology") == ""


def test_a_title_comes_from_the_heading_and_specimen() -> None:
    text = (
        "SURGICAL PATHOLOGY REPORT\nFINAL DIAGNOSIS:\n"
        "Left breast, core biopsy: invasive ductal carcinoma."
    )
    assert title_from_text(text) == "Surgical pathology report: left breast core biopsy"
