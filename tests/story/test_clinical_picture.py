"""The clinical picture from real PDFs (made with reportlab, imported through the importer),
as a second-opinion doctor would read it: two primaries make two diagnoses, a benign report
makes none, "negative for ER" is negative, a sentence about staging in general is no stage,
two reports that disagree make a conflict the user settles, a surgical specimen outranks
the earlier biopsy, and what the user corrected survives a re-import and a re-reading."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from app.ingest.kinds import DocumentKind
from app.records.documents import purge_document, trash_document, update_document
from app.records.errors import InvalidValue
from app.records.importer import Outcome, import_file
from app.records.picture import (
    FieldState,
    choose_value,
    clinical_picture,
    confirm_field,
    set_field,
)
from app.vault.binder import Binder
from tests.fixtures import make_pdf

TWO_PRIMARIES = """SURGICAL PATHOLOGY REPORT
FINAL DIAGNOSIS
A. Right colon, hemicolectomy: Invasive adenocarcinoma,
moderately differentiated, pT3 pN0.
B. Left lung, upper lobe, wedge resection: Squamous cell
carcinoma, poorly differentiated, pT1b pNX."""

BENIGN = """SURGICAL PATHOLOGY REPORT
Specimen: Right breast, core biopsy.
FINAL DIAGNOSIS
Right breast, core biopsy: Fibroadenoma.
No malignancy identified."""

NEGATIVE_FOR_ER = """SURGICAL PATHOLOGY REPORT
Specimen: Left breast, core biopsy.
FINAL DIAGNOSIS
Left breast, core biopsy: Invasive ductal carcinoma,
Nottingham grade 3. Tumor cells are negative for ER.
HER2 positive (IHC 3+)."""

STAGING_IN_GENERAL = """MEDICAL ONCOLOGY CONSULTATION
Assessment: invasive ductal carcinoma of the left breast.
In general, stage IV disease means the cancer has spread
to distant organs. Patients with stage IV breast cancer
are treated with systemic therapy first.
Staging scans are planned before her stage is known."""

BIOPSY = """SURGICAL PATHOLOGY REPORT
Specimen: Left breast, core needle biopsy.
FINAL DIAGNOSIS
Left breast, core biopsy: Invasive ductal carcinoma,
Nottingham grade 3."""


def resection(procedure: str, t: str, size: str) -> str:
    return f"""SURGICAL PATHOLOGY REPORT
Specimen: Left breast, {procedure}.
FINAL DIAGNOSIS
Left breast, {procedure}: Invasive ductal carcinoma,
Nottingham grade 2. Tumor size {size} cm.
Pathologic stage: {t} pN0 (AJCC 8th edition)."""


def imported(
    binder: Binder, tmp_path: Path, name: str, text: str, kind: DocumentKind, day: str
) -> int:
    path = tmp_path / name
    make_pdf(path, text)
    result = import_file(binder, 1, path, kind=kind)
    assert result.status is Outcome.OK and result.document is not None, result
    update_document(binder, result.document.id, date=day, title=name.removesuffix(".pdf"))
    return result.document.id


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    pages = PdfReader(io.BytesIO(data)).pages
    return " ".join(" ".join(page.extract_text() or "" for page in pages).split())


def test_a_report_with_two_primaries_makes_two_diagnoses(binder: Binder, tmp_path: Path) -> None:
    doc = imported(binder, tmp_path, "colectomy and wedge.pdf", TWO_PRIMARIES,
                   DocumentKind.PATHOLOGY, "2025-05-02")  # fmt: skip
    picture = clinical_picture(binder, 1)
    assert picture.numbers == (1, 2)
    assert picture.value("diagnosis.histology") == "Invasive adenocarcinoma"
    assert picture.value("diagnosis.site") == "Colon"
    assert picture.value("stage.pathologic_t") == "pT3"
    assert picture.value("diagnosis2.histology") == "Squamous cell carcinoma"
    assert "Lung" in picture.value("diagnosis2.site")
    assert picture.value("stage2.pathologic_t") == "pT1b"
    assert {(s.kind, s.id) for s in picture.field("diagnosis2.histology").sources} == {
        ("document", doc)
    }
    names = [c.name.lower() for c in picture.cancers()]
    assert len(names) == 2
    assert names[0].startswith("invasive adenocarcinoma of the") and "colon" in names[0]
    assert names[1].startswith("squamous cell carcinoma of the") and "lung" in names[1]


def test_a_benign_report_never_makes_a_cancer_diagnosis(binder: Binder, tmp_path: Path) -> None:
    from app.export.printable import sheet_pdf

    imported(binder, tmp_path, "breast biopsy.pdf", BENIGN, DocumentKind.PATHOLOGY, "2025-03-01")
    picture = clinical_picture(binder, 1)
    assert picture.cancers() == []
    assert not picture.value("diagnosis.histology") and not picture.value("diagnosis.site")
    assert not any(f.value for f in picture.fields() if f.key.startswith(("stage", "biomarker")))
    summary = _pdf_text(sheet_pdf(binder, 1, "summary"))
    assert "No diagnosis or stage has been recorded in this binder." in summary
    assert "Fibroadenoma" not in summary


def test_negative_for_er_is_read_as_negative(binder: Binder, tmp_path: Path) -> None:
    from app.export.printable import sheet_pdf

    imported(binder, tmp_path, "core biopsy.pdf", NEGATIVE_FOR_ER, DocumentKind.PATHOLOGY,
             "2025-03-01")  # fmt: skip
    picture = clinical_picture(binder, 1)
    er = picture.value("biomarker.er").lower()
    assert er.startswith("negative") and "positive" not in er
    assert picture.value("biomarker.her2").lower().startswith("positive")
    summary = _pdf_text(sheet_pdf(binder, 1, "summary"))
    assert "ER Negative" in summary and "HER2 Positive" in summary


def test_a_stage_in_a_sentence_about_staging_in_general_is_no_stage(
    binder: Binder, tmp_path: Path
) -> None:
    imported(binder, tmp_path, "biopsy.pdf", BIOPSY, DocumentKind.PATHOLOGY, "2025-03-01")
    imported(binder, tmp_path, "consult.pdf", STAGING_IN_GENERAL, DocumentKind.CONSULT_LETTER,
             "2025-03-08")  # fmt: skip
    picture = clinical_picture(binder, 1)
    assert picture.value("diagnosis.histology") == "Invasive ductal carcinoma"
    assert picture.value("stage.group") == "", "stage IV was an example, not her stage"
    assert picture.diagnosis().sentence == "Invasive ductal carcinoma of the left breast"


def test_two_reports_that_disagree_make_a_conflict_the_user_settles(
    binder: Binder, tmp_path: Path
) -> None:
    from app.export.bundle import build_bundle
    from tests.export.bundle_checks import pdf_text, unzip, validate_fhir

    first = imported(binder, tmp_path, "lumpectomy.pdf", resection("lumpectomy", "pT2", "2.4"),
                     DocumentKind.PATHOLOGY, "2025-04-01")  # fmt: skip
    second = imported(binder, tmp_path, "mastectomy.pdf", resection("mastectomy", "pT3", "5.5"),
                      DocumentKind.PATHOLOGY, "2025-05-20")  # fmt: skip
    t = clinical_picture(binder, 1).field("stage.pathologic_t")
    # Never silently one of them: no value, both candidates with their report.
    assert t.state is FieldState.CONFLICT and t.value == ""
    assert [(c.value, [s.id for s in c.sources]) for c in t.candidates] == [
        ("pT2", [first]),
        ("pT3", [second]),
    ]
    # What agrees is not a conflict: both say Nottingham grade 2, from both reports.
    grade = clinical_picture(binder, 1).field("diagnosis.grade")
    assert grade.state is FieldState.FOUND
    assert {s.id for s in grade.sources} == {first, second}
    with pytest.raises(InvalidValue, match="disagree"):
        confirm_field(binder, 1, "stage.pathologic_t")

    # The doctor's papers show both, with their sources, until the user settles it.
    files = unzip(build_bundle(binder, 1, tmp_path / "before.zip").target)
    summary = " ".join(pdf_text(files["Summary.pdf"]).split())
    assert "pT2" in summary and "pT3" in summary and "the records disagree" in summary
    fhir = validate_fhir(files["patient-summary.json"])
    cancer = next(e["resource"] for e in fhir["entry"] if e["resource"].get("stage"))
    notes = " ".join(n["text"] for n in cancer.get("note", []))
    assert "The records disagree on Pathological T" in notes and "pT3" in notes

    settled = choose_value(binder, 1, "stage.pathologic_t", 2)
    assert (settled.state, settled.value) == (FieldState.CONFIRMED, "pT3")
    assert [s.id for s in settled.sources] == [second]
    left = [f.key for f in clinical_picture(binder, 1).conflicts()]
    assert left == ["diagnosis.size"], "only the other disagreement is left to settle"


def test_the_surgical_specimen_outranks_the_earlier_biopsy(binder: Binder, tmp_path: Path) -> None:
    biopsy = imported(binder, tmp_path, "biopsy.pdf", BIOPSY, DocumentKind.PATHOLOGY, "2025-03-01")
    surgery = imported(binder, tmp_path, "lumpectomy.pdf", resection("lumpectomy", "pT2", "2.4"),
                       DocumentKind.PATHOLOGY, "2025-04-01")  # fmt: skip
    picture = clinical_picture(binder, 1)
    grade = picture.field("diagnosis.grade")
    assert grade.state is FieldState.FOUND, "the resection settles it: no conflict"
    assert "2" in grade.value and [s.id for s in grade.sources] == [surgery]
    assert {c.value for c in grade.candidates} >= {grade.value}
    assert any(biopsy in [s.id for s in c.sources] for c in grade.candidates), (
        "the biopsy's grade is still listed as what another report says"
    )
    assert picture.value("stage.pathologic_t") == "pT2"
    # The date of diagnosis is the biopsy's: the first report that found the cancer.
    assert picture.value("diagnosis.date") == "2025-03-01"
    # The resection is a surgery the picture records (its operative report is then due).
    (row,) = picture.section("surgery").rows
    assert "lumpectomy" in row.value("procedure").lower() and row.value("date") == "2025-04-01"


def test_a_value_the_user_corrected_survives_a_reimport_and_a_rereading(
    binder: Binder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.records.picture import readings

    path = tmp_path / "lumpectomy.pdf"
    doc = imported(binder, tmp_path, "lumpectomy.pdf", resection("lumpectomy", "pT2", "2.4"),
                   DocumentKind.PATHOLOGY, "2025-04-01")  # fmt: skip
    set_field(binder, 1, "diagnosis.histology", "Invasive lobular carcinoma")
    confirm_field(binder, 1, "stage.pathologic_t")

    # Re-import: the report deleted for good and imported again (a new document).
    trash_document(binder, doc)
    purge_document(binder, doc)
    result = import_file(binder, 1, path, kind=DocumentKind.PATHOLOGY)
    assert result.status is Outcome.OK and result.document is not None

    # Re-reading: a new version of the reader reads every report again.
    read: list[str] = []
    real = readings.read_report

    def counting(text: str, kind: DocumentKind | None) -> object:
        read.append(text)
        return real(text, kind)

    monkeypatch.setattr(readings, "read_report", counting)
    monkeypatch.setattr(readings, "reader_version", lambda: "a newer reader")
    picture = clinical_picture(binder, 1)
    assert len(read) == 1, "the report was read again"
    histology = picture.field("diagnosis.histology")
    assert (histology.value, histology.state) == (
        "Invasive lobular carcinoma",
        FieldState.CORRECTED,
    )
    assert histology.found == "Invasive ductal carcinoma", "what the records say is still known"
    t = picture.field("stage.pathologic_t")
    assert (t.value, t.state, t.records_changed) == ("pT2", FieldState.CONFIRMED, False)
    assert [s.id for s in t.sources] == [result.document.id]


def test_each_report_is_read_once_and_again_only_when_it_changes(
    binder: Binder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.records.picture import readings

    doc = imported(binder, tmp_path, "biopsy.pdf", BIOPSY, DocumentKind.PATHOLOGY, "2025-03-01")
    read: list[DocumentKind | None] = []
    real = readings.read_report

    def counting(text: str, kind: DocumentKind | None) -> object:
        read.append(kind)
        return real(text, kind)

    monkeypatch.setattr(readings, "read_report", counting)
    first = clinical_picture(binder, 1)
    assert read == [], "the importer read it as it stored it"
    assert first.value("diagnosis.histology") == "Invasive ductal carcinoma"
    with binder.transaction() as db:  # as after an upgrade: nothing read yet
        db.execute("DELETE FROM report_readings")
    readings._MEMO.clear()
    # The window's own thread never reads a report: it shows what was read last.
    assert clinical_picture(binder, 1, read_new=False).cancers() == []
    assert read == []
    first = clinical_picture(binder, 1)  # a worker (the Overview's, an export) reads it
    assert read == [DocumentKind.PATHOLOGY]
    assert clinical_picture(binder, 1) == first
    update_document(binder, doc, title="Core biopsy of the left breast")
    clinical_picture(binder, 1)
    assert read == [DocumentKind.PATHOLOGY], "a new title is not a new text: not read again"
    update_document(binder, doc, kind="consult_letter")
    # Out of date: the window's thread keeps the last reading, a worker reads it again.
    assert clinical_picture(binder, 1, read_new=False).value("diagnosis.histology")
    assert read == [DocumentKind.PATHOLOGY]
    clinical_picture(binder, 1)
    assert read == [DocumentKind.PATHOLOGY, DocumentKind.CONSULT_LETTER]


def test_old_treatment_summary_decisions_come_through_the_migration(tmp_path: Path) -> None:
    from app.vault.keys import new_data_key
    from app.vault.migrations import MIGRATIONS, migrate
    from app.vault.sqlcipher import connect

    db = connect(tmp_path / "old.db", new_data_key())
    for version in range(3):
        MIGRATIONS[version](db)
        db.execute(f"PRAGMA user_version = {version + 1}")
    now = "2025-01-01T00:00:00+00:00"
    db.execute("INSERT INTO people (name, created, updated) VALUES ('Ada', ?, ?)", [now, now])
    for field, state, value in (
        ("stage.stage", "confirmed", "Stage IIIB (cT3 cN1 M0)"),
        ("stage.how", "corrected", "Clinical, from the MRI"),
        ("biomarkers.results", "corrected", "KRAS G12D; MSI stable"),
        ("diagnosis.site", "corrected", "Mid rectum"),
        ("surgery.d4.date", "confirmed", "2024-06-03"),
    ):
        db.execute(
            "INSERT INTO treatment_summary_fields (person_id, field, state, value, found, "
            "updated) VALUES (1, ?, ?, ?, '', ?)",
            [field, state, value, now],
        )
    migrate(db)
    rows = dict(
        (row[0], (row[1], row[2]))
        for row in db.execute("SELECT field, state, value FROM treatment_summary_fields")
    )
    db.close()
    assert rows == {
        "stage.group": ("confirmed", "Stage IIIB (cT3 cN1 M0)"),
        "stage.note": ("corrected", "Clinical, from the MRI"),
        "biomarker.other": ("corrected", "KRAS G12D; MSI stable"),
        "diagnosis.site": ("corrected", "Mid rectum"),
        "surgery.d4.date": ("confirmed", "2024-06-03"),
    }


def test_a_reader_error_on_one_report_loses_neither_it_nor_the_others(
    binder: Binder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.records.documents import list_documents
    from app.records.picture import readings

    real = readings.read_report

    def fragile(text: str, kind: DocumentKind | None) -> object:
        if "Fibroadenoma" in text:
            raise IndexError("a reader bug")
        return real(text, kind)

    monkeypatch.setattr(readings, "read_report", fragile)
    imported(binder, tmp_path, "benign.pdf", BENIGN, DocumentKind.PATHOLOGY, "2025-02-01")
    imported(binder, tmp_path, "biopsy.pdf", BIOPSY, DocumentKind.PATHOLOGY, "2025-03-01")
    assert len(list_documents(binder, 1)) == 2, "both reports are kept"
    picture = clinical_picture(binder, 1)
    assert picture.value("diagnosis.histology") == "Invasive ductal carcinoma"


def test_an_undated_resection_report_still_lists_its_surgery(
    binder: Binder, tmp_path: Path
) -> None:
    # Reports from old records often carry no date the importer can read: the surgery the
    # specimen came from is still a treatment so far.
    path = tmp_path / "report 7.pdf"
    make_pdf(path, resection("lumpectomy", "pT2", "2.4"))
    result = import_file(binder, 1, path, kind=DocumentKind.PATHOLOGY)
    assert result.status is Outcome.OK and result.document is not None
    assert result.document.date is None
    picture = clinical_picture(binder, 1)
    procedures = [f.value for f in picture.fields() if f.key.endswith(".procedure") and f.value]
    assert procedures == ["Lumpectomy"] or any("umpectomy" in p for p in procedures), procedures
    assert picture.value("stage.pathologic_t") == "pT2"
