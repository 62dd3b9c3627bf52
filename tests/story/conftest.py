"""A fictional patient's story, built as a user would: real PDFs imported through the real
importer, then dated and titled; a chemotherapy with two dose changes; a blood-pressure pill
that is not cancer treatment."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.fixtures import make_pdf
from tests.ui.conftest import demo_window, settings  # noqa: F401  (the UI tests' fixtures)

PATHOLOGY = """SURGICAL PATHOLOGY REPORT
Riverside General Hospital
Specimen: Rectum, biopsy at 8 cm.
FINAL DIAGNOSIS
Rectum, biopsy: invasive adenocarcinoma,
moderately differentiated.
Mismatch repair proteins intact (MMR proficient).
KRAS G12D mutation detected. BRAF wild-type.
Clinical stage IIIB (cT3 cN1 M0), AJCC 8th edition.
Electronically signed by Dr. Helen Okafor"""

OPERATIVE = """OPERATIVE REPORT
Lakeside Cancer Center
Procedure: low anterior resection with diverting loop ileostomy.
Surgeon: Dr. Anita Rao. Estimated blood loss 150 mL.
Findings: a mass in the mid rectum, no spread seen in the abdomen.
The patient tolerated the procedure well."""

RADIATION = """RADIATION TREATMENT SUMMARY
Lakeside Cancer Center, Radiation Oncology
Course: 50.4 Gy in 28 fractions to the pelvis,
from 2024-03-04 to 2024-04-11, with capecitabine.
Tolerated well; mild skin redness and fatigue.
Dr. Ravi Menon, radiation oncology"""


@dataclass(frozen=True)
class Story:
    binder: object
    person_id: int
    pathology_id: int
    operative_id: int
    radiation_id: int
    oxaliplatin_id: int
    lisinopril_id: int


def build_story(binder: object, tmp_path: Path) -> Story:
    from app.ingest.kinds import DocumentKind
    from app.records.documents import update_document
    from app.records.importer import Outcome, import_file
    from app.records.medications import add_medication, change_dose

    def imported(name: str, text: str, kind: DocumentKind, **facts: str) -> int:
        path = tmp_path / name
        make_pdf(path, text)
        result = import_file(binder, 1, path, kind=kind)  # type: ignore[arg-type]
        assert result.status is Outcome.OK and result.document is not None, result
        update_document(binder, result.document.id, **facts)  # type: ignore[arg-type]
        return result.document.id

    pathology = imported(
        "biopsy.pdf", PATHOLOGY, DocumentKind.PATHOLOGY, title="Rectal biopsy pathology",
        date="2024-02-12", facility="Riverside General Hospital", author="Dr. Helen Okafor",
    )  # fmt: skip
    radiation = imported(
        "radiation.pdf", RADIATION, DocumentKind.CONSULT_LETTER,
        title="Radiation treatment summary", date="2024-04-15",
        facility="Lakeside Cancer Center", author="Dr. Ravi Menon",
    )  # fmt: skip
    operative = imported(
        "operation.pdf", OPERATIVE, DocumentKind.OPERATIVE, title="Low anterior resection",
        date="2024-06-03", facility="Lakeside Cancer Center", author="Dr. Anita Rao",
    )  # fmt: skip
    oxaliplatin = add_medication(
        binder, 1, "Oxaliplatin", start="2024-07-08", stop="2024-12-16",  # type: ignore[arg-type]
        dose="85 mg/m2", how_often="every 2 weeks", purpose="FOLFOX chemotherapy after surgery",
        cycles="12 planned, 10 given", notes="Stopped early because of neuropathy.",
    )  # fmt: skip
    change_dose(binder, oxaliplatin.id, "65 mg/m2", on="2024-09-02", note="numb fingers")  # type: ignore[arg-type]
    change_dose(binder, oxaliplatin.id, "50 mg/m2", on="2024-10-28", note="neuropathy")  # type: ignore[arg-type]
    lisinopril = add_medication(
        binder, 1, "Lisinopril", start="2019-03", dose="10 mg", how_often="once a day",  # type: ignore[arg-type]
        purpose="blood pressure",
    )  # fmt: skip
    return Story(binder, 1, pathology, operative, radiation, oxaliplatin.id, lisinopril.id)


@pytest.fixture
def story(binder: object, tmp_path: Path) -> Story:
    folder = tmp_path / "files"
    folder.mkdir()
    return build_story(binder, folder)
