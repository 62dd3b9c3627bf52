"""`carebinder export`, `verify` and `sheet` as a user runs them, on real files from the
corpus and fictional records; the bundle is then opened as the doctor would."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Cli
from tests.export.bundle_checks import (
    check_sums,
    packet_shape,
    pdf_pages,
    pdf_text,
    unzip,
    validate_fhir,
)
from tests.fixtures import make_pdf

CORPUS_PDFS = (
    "pdf/py-pdf-sample-files/004-pdflatex-4-pages/pdflatex-4-pages.pdf",
    "pdf/py-pdf-sample-files/006-pdflatex-outline/pdflatex-outline.pdf",
    "pdf/py-pdf-sample-files/003-pdflatex-image/pdflatex-image.pdf",
)


def _jpeg(path: Path) -> Path:
    from PIL import Image

    Image.new("RGB", (800, 600), (200, 210, 220)).save(path, "JPEG")
    return path


@pytest.mark.corpus
def test_export_from_real_files_opens_and_checks_out(
    cli: Cli, corpus: Path, tmp_path: Path
) -> None:
    assert cli.run("init", "--person", "Rosa Example", "--born", "1959-02-03").code == 0
    sources = [corpus / name for name in CORPUS_PDFS if (corpus / name).is_file()]
    assert sources, "the corpus PDFs are missing"
    letter = tmp_path / "plan.pdf"
    make_pdf(letter, "Treatment plan: surgery, then radiation.")
    photo = _jpeg(tmp_path / "bruise.jpg")
    done = cli.run("import", *map(str, sources), str(letter), str(photo), "--json")
    assert done.code == 0, done.err
    ids = [row["id"] for row in done.json()]  # type: ignore[union-attr]
    assert (
        cli.run("edit", str(ids[-2]), "--kind", "treatment_plan", "--date", "2026-01-05").code == 0
    )
    assert cli.run("med", "add", "Tamoxifen", "--dose", "20 mg", "--start", "2026-01").code == 0
    assert cli.run("med", "add", "Ondansetron", "--dose", "8 mg", "--start", "2025-12").code == 0
    assert cli.run("med", "change", "1", "--dose", "10 mg", "--on", "2026-02").code == 0
    doctor = cli.run(
        "doctor", "add", "Dr. Lena Ortiz", "--phone", "(555) 123-4567", "--fax", "(555) 123-4568"
    )
    assert doctor.code == 0, doctor.err

    out = tmp_path / "bundle.zip"
    export = cli.run("export", str(out), "--for", "Dr. Hugo Second")
    assert export.code == 0, export.err
    assert "Wrote" in export.out

    files = unzip(out)
    check_sums(files)
    originals = {name: data for name, data in files.items() if name.startswith("records/")}
    assert len(originals) == len(ids)
    source_pages = sum(pdf_pages(p.read_bytes()) for p in [*sources, letter]) + 1  # + the photo
    pages, marks = packet_shape(files["Records packet.pdf"])
    assert len(marks) == len(ids)
    assert pages == source_pages + marks[0][1]  # the contents pages come first
    assert [m[1] for m in marks] == sorted(m[1] for m in marks)
    packet_text = " ".join(pdf_text(files["Records packet.pdf"]).split())
    for source in sources:
        assert source.read_bytes() in originals.values()  # byte for byte
        words = " ".join(pdf_text(source.read_bytes()).split())[:40]
        assert words and words in packet_text  # the records' text stays selectable
    summary = pdf_text(files["Summary.pdf"])
    assert "Tamoxifen" in summary and "Ondansetron" in summary and "10 mg" in summary
    assert "Dr. Hugo Second" in summary and "(555) 123-4568" in summary
    fhir = validate_fhir(files["patient-summary.json"])
    kinds = {e["resource"]["resourceType"] for e in fhir["entry"]}
    assert {"Patient", "Composition", "Condition", "MedicationStatement"} <= kinds
    assert {"AllergyIntolerance", "Practitioner", "DocumentReference"} <= kinds
    assert b"BEGIN:VCALENDAR" in files["appointments.ics"]
    assert "SHA256SUMS" in files["README.txt"].decode()

    verified = cli.run("verify", str(out))
    assert verified.code == 0 and f"{pages} pages" in verified.out
    damaged = bytearray(out.read_bytes())
    at = (
        damaged.find(b"Medication history")
        if b"Medication history" in damaged
        else len(damaged) // 2
    )
    damaged[at] ^= 0x01
    (tmp_path / "damaged.zip").write_bytes(bytes(damaged))
    assert cli.run("verify", str(tmp_path / "damaged.zip")).code == 1


def test_the_demo_bundle_and_sheets(tmp_path: Path, no_keyring: None) -> None:
    from app.demo import create_demo_binder
    from app.export.bundle import BundleOptions, build_bundle
    from app.records.people import find_person
    from app.records.readiness import bundle_document_ids

    with create_demo_binder(tmp_path / "binder") as binder:
        eleanor = find_person(binder, "Eleanor").id
        result = build_bundle(binder, eleanor, tmp_path / "demo.zip")
        chosen = build_bundle(binder, eleanor, tmp_path / "chosen", BundleOptions(preselected=True))
        preselection = bundle_document_ids(binder, eleanor)
    assert sorted(e.document.id for e in chosen.entries) == preselection
    files = unzip(result.target)
    check_sums(files)
    summary = " ".join(pdf_text(files["Summary.pdf"]).split())
    for words in ("Dr. Irene Castellanos", "Lisinopril", "10 mg", "Treatment plan summary"):
        assert words in summary
    questions = pdf_text(files["Questions.pdf"])
    assert "genomic test" in questions
    assert pdf_pages(files["Summary.pdf"]) <= 2
    validate_fhir(files["patient-summary.json"])


def test_empty_selection_and_sheets_from_the_command_line(cli: Cli, tmp_path: Path) -> None:
    assert cli.run("init", "--person", "Sam Example").code == 0
    empty = cli.run("export", str(tmp_path / "b.zip"))
    assert empty.code == 2 and "no records yet" in empty.err
    assert not (tmp_path / "b.zip").exists()
    for which in ("summary", "medications", "questions", "appointment"):
        sheet = cli.run("sheet", which, str(tmp_path / f"{which}.pdf"))
        assert sheet.code == 0, sheet.err
        text = " ".join(pdf_text((tmp_path / f"{which}.pdf").read_bytes()).split())
        assert "Sam Example" in text
    summary = " ".join(pdf_text((tmp_path / "summary.pdf").read_bytes()).split())
    assert "No diagnosis or stage has been recorded" in summary
    assert "No appointment is booked" in pdf_text((tmp_path / "appointment.pdf").read_bytes())
    assert cli.run("verify", str(tmp_path / "nothing.zip")).code == 2
