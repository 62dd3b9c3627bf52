"""Document kinds for the shapes of report the corpus has few of: radiology reports of each
modality, discharge summaries that talk about pathology, consults written in abbreviations,
whole health records. Each text is short and written here, in the shape such reports have."""

from __future__ import annotations

import pytest

from app.ingest.classify import guess_kind
from app.ingest.kinds import DocumentKind

IMAGING = [
    (
        "CT CHEST WITH CONTRAST\nINDICATION: Lung nodule follow-up.\nTECHNIQUE: Axial images "
        "were obtained after IV contrast.\nCOMPARISON: 03/02/2024.\nFINDINGS: A 9 mm nodule in the "
        "right upper lobe is unchanged.\nIMPRESSION: Stable right upper lobe nodule."
    ),
    (
        "BILATERAL SCREENING MAMMOGRAM WITH TOMOSYNTHESIS\nThe breasts are heterogeneously dense. "
        "No suspicious mass, calcification or architectural distortion.\n"
        "ASSESSMENT: BI-RADS 1, negative. Routine screening in one year."
    ),
    (
        "Chest, PA and lateral views. Clinical information: cough. The heart size is normal. "
        "The lungs are clear.\nImpression: No acute cardiopulmonary process."
    ),
    (
        "MRI BRAIN WITH AND WITHOUT GADOLINIUM\nHistory: glioblastoma after resection.\n"
        "Findings: Enhancing tissue along the resection cavity on T1-weighted images, with "
        "surrounding FLAIR signal.\nImpression: Findings suspicious for recurrence."
    ),
    (
        "PET/CT SKULL BASE TO MID-THIGH\nRadiopharmaceutical: F-18 FDG. Blood glucose 96 mg/dL.\n"
        "Findings: Hypermetabolic left axillary node, SUVmax 7.2.\nImpression: FDG-avid left "
        "axillary adenopathy, compatible with nodal metastasis."
    ),
    (
        "CT-GUIDED BIOPSY OF LIVER LESION\nProcedure: Under CT guidance, an 18 gauge core needle "
        "was advanced into the segment 6 lesion and three cores were obtained.\nComplications: "
        "None.\nImpression: Technically successful CT-guided liver biopsy."
    ),
    (
        "ULTRASOUND PELVIS, TRANSVAGINAL\nReason for exam: postmenopausal bleeding.\nThe "
        "endometrium measures 14 mm and is heterogeneous. A hypoechoic mass in the right ovary.\n"
        "IMPRESSION: Thickened endometrium. Right adnexal mass."
    ),
]


@pytest.mark.parametrize("text", IMAGING)
def test_radiology_reports_are_imaging(text: str) -> None:
    assert guess_kind(text).kind is DocumentKind.IMAGING


def test_a_discharge_summary_that_cites_pathology_is_a_discharge_summary() -> None:
    text = (
        "DATE OF ADMISSION: 04/02/2024  DATE OF DISCHARGE: 04/06/2024\n"
        "ADMITTING DIAGNOSIS: Right colon cancer.\nPROCEDURE: Laparoscopic right hemicolectomy.\n"
        "HOSPITAL COURSE: The patient tolerated surgery well. The pathology report showed a "
        "moderately differentiated adenocarcinoma, pT3 pN0, margins negative.\n"
        "DISCHARGE MEDICATIONS: Acetaminophen.\nFOLLOW-UP: Oncology clinic in two weeks."
    )
    assert guess_kind(text).kind is DocumentKind.DISCHARGE_SUMMARY


def test_an_oncology_consult_is_a_consult() -> None:
    text = (
        "REASON FOR CONSULTATION: Newly diagnosed breast cancer.\nHISTORY OF PRESENT ILLNESS: "
        "A 58-year-old woman with a screen-detected left breast mass; core biopsy showed "
        "invasive ductal carcinoma.\nPHYSICAL EXAMINATION: 2 cm mass, left upper outer quadrant.\n"
        "ASSESSMENT AND PLAN: Clinical stage IIA. Lumpectomy and sentinel node biopsy."
    )
    assert guess_kind(text).kind is DocumentKind.CONSULT_LETTER


def test_a_note_in_abbreviated_headings_is_a_consult() -> None:
    text = (
        "CC: headaches. HX: 54 y/o woman with two weeks of morning headaches. PMH: HTN. "
        "FHX: noncontributory. SHX: nonsmoker. EXAM: papilledema OU. IMPRESSION: rule out "
        "mass lesion; MRI brain ordered."
    )
    assert guess_kind(text).kind is DocumentKind.CONSULT_LETTER


def test_a_whole_health_record_is_other() -> None:
    text = (
        "My HealtheVet Blue Button report\nMEDICATIONS ...\nDISCHARGE SUMMARY: hospital course "
        "uneventful\nLAB RESULTS: hemoglobin 13.2 reference range 12-16"
    )
    assert guess_kind(text).kind is DocumentKind.OTHER
