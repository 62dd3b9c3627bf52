"""The treatment summary and the timeline on paper: they render, their text holds the
values a doctor reads, the timeline is one landscape page, and both go into the bundle and
come out of `carebinder sheet` and `carebinder summary`."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

from tests.conftest import Cli, need
from tests.fixtures import make_pdf
from tests.story.conftest import Story


def _text(pdf: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def _pages(pdf: bytes) -> list[tuple[float, float]]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    return [(float(p.mediabox.width), float(p.mediabox.height)) for p in reader.pages]


def _render(pdf: bytes, where: Path) -> list[Path]:
    """Pages as PNG with pdftoppm, as a reader's PDF viewer would draw them."""
    need(shutil.which("pdftoppm") is not None, "pdftoppm (Debian poppler-utils) is not installed")
    source = where / "sheet.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "50", "-gray", "-png", str(source), str(where / "page")],
        check=True,
        capture_output=True,
    )
    return sorted(where.glob("page*.png"))


def test_the_treatment_summary_prints_its_values_and_sources(story: Story, tmp_path: Path) -> None:
    from app.export.treatment_summary_pdf import treatment_summary_pdf
    from app.records.picture import set_field

    set_field(story.binder, 1, "plan.text", "Surveillance: CT and CEA every 6 months")  # type: ignore[arg-type]
    pdf = treatment_summary_pdf(story.binder, 1)  # type: ignore[arg-type]
    pages = _pages(pdf)
    assert 1 <= len(pages) <= 2
    assert pages[0] == (612.0, 792.0), "US letter, portrait"
    assert len(_render(pdf, tmp_path)) == len(pages)
    text = _text(pdf)
    for expected in (
        "Treatment summary",
        "Ada Example",
        "Invasive adenocarcinoma",
        "Moderately differentiated",
        "12 Feb 2024",
        "IIIB",
        "cT3",
        "Detected (G12D)",
        "Low anterior resection",
        "Dr. Anita Rao",
        "3 Jun 2024",
        "Oxaliplatin",
        "65 mg/m2 from 2 Sep 2024",
        "50 mg/m2 from 28 Oct 2024",
        "50.4 Gy",
        "4 Mar 2024",
        "Surveillance: CT and CEA every 6 months (patient)",
        "Rectal biopsy pathology, 12 Feb 2024",
        "Operative report: Low anterior resection, 3 Jun 2024",
        "Medication: Oxaliplatin",
    ):
        assert expected in text, expected
    assert "Lisinopril" not in text, "a blood-pressure pill is not cancer treatment"


def test_an_empty_summary_says_so_in_words_not_empty_tables(binder: object, tmp_path: Path) -> None:
    from app.export.treatment_summary_pdf import treatment_summary_pdf

    text = _text(treatment_summary_pdf(binder, 1))  # type: ignore[arg-type]
    assert "No surgery is recorded." in text
    assert "No chemotherapy or other cancer medicine is recorded." in text
    assert "No radiation is recorded." in text
    assert "Everything above was written by the patient." in text


def test_the_timeline_is_one_landscape_page_with_every_moment(story: Story, tmp_path: Path) -> None:
    from app.export.timeline_pdf import Mark, story_items, timeline_pdf
    from app.records.opinions import add_opinion
    from app.records.picture import set_field

    set_field(story.binder, 1, "symptom.what", "Blood in the stool")  # type: ignore[arg-type]
    set_field(story.binder, 1, "symptom.date", "2024-01")  # type: ignore[arg-type]
    add_opinion(story.binder, 1, given_on="2024-02-26", recommendation="Chemoradiation first")  # type: ignore[arg-type]
    points, bars = story_items(story.binder, 1)  # type: ignore[arg-type]
    assert [(p.day, p.mark) for p in points] == [
        ("2024-01", Mark.SYMPTOM),
        ("2024-02-12", Mark.DIAGNOSIS),
        ("2024-02-26", Mark.OPINION),
        ("2024-06-03", Mark.SURGERY),
    ]
    assert [(b.title, b.start, b.end) for b in bars] == [
        ("Radiation: Pelvis, 50.4 Gy, 28 fractions", "2024-03-04", "2024-04-11"),
        ("Oxaliplatin", "2024-07-08", "2024-12-16"),
    ]
    pdf = timeline_pdf(story.binder, 1)  # type: ignore[arg-type]
    assert _pages(pdf) == [(792.0, 612.0)], "exactly one landscape letter page"
    assert len(_render(pdf, tmp_path)) == 1
    text = _text(pdf)
    for expected in (
        "Timeline: Ada Example",
        "Blood in the stool",
        "Biopsy and diagnosis: Invasive adenocarcinoma, rectum",
        "Low anterior resection",
        "Oxaliplatin · 8 Jul 2024 to 16 Dec 2024",
        "Radiation: Pelvis, 50.4 Gy, 28 fractions",
        "Opinion of a doctor",
    ):
        assert expected in text, expected


def test_a_crowded_timeline_stays_on_one_page_with_labels_apart(
    binder: object, tmp_path: Path
) -> None:
    """Forty scans in a year: labels never overlap; scans close together share a label."""
    from app.export import timeline_pdf as module
    from app.records.documents import update_document
    from app.records.importer import import_bytes

    for week in range(40):
        data = make_pdf(None, f"CT scan number {week}")
        result = import_bytes(binder, 1, data, f"scan{week}.pdf")  # type: ignore[arg-type]
        assert result.document is not None
        day = f"2025-{week // 4 + 1:02d}-{(week % 4) * 7 + 1:02d}"
        update_document(binder, result.document.id, kind="imaging", date=day, title=f"CT {week}")  # type: ignore[arg-type]
    calls: list[list[module._Box]] = []
    real = module._place_all

    def spy(*args: object, **kwargs: object) -> object:
        placed, unplaced = real(*args, **kwargs)  # type: ignore[arg-type]
        calls.append([box for _, box in placed])
        return placed, unplaced

    module._place_all = spy  # type: ignore[assignment]
    try:
        pdf = module.timeline_pdf(binder, 1)  # type: ignore[arg-type]
    finally:
        module._place_all = real
    placed = calls[-1]  # the placement that was drawn
    assert placed
    assert len(_pages(pdf)) == 1
    for a in placed:
        for b in placed:
            if a is not b and a.level == b.level:
                assert a.right <= b.left or b.right <= a.left, "two labels overlap"
    assert "3 scans" in _text(pdf), "scans close together share a label"


def test_the_bundle_holds_both_and_the_cli_prints_and_corrects(cli: Cli, tmp_path: Path) -> None:
    from tests.export.bundle_checks import pdf_text, unzip

    assert cli.run("init", "--person", "Rosa Example", "--born", "1959-02-03").code == 0
    report = tmp_path / "op.pdf"
    make_pdf(report, "OPERATIVE REPORT\nProcedure: right hemicolectomy.")
    done = cli.run("import", str(report), "--json")
    assert done.code == 0, done.err
    doc_id = done.json()[0]["id"]
    edited = cli.run(
        "edit", str(doc_id), "--kind", "operative", "--date", "2025-03-10",
        "--title", "Right hemicolectomy",
    )  # fmt: skip
    assert edited.code == 0, edited.err
    med = cli.run(
        "med", "add", "Capecitabine", "--dose", "1000 mg/m2", "--start", "2025-04-07",
        "--for", "chemotherapy", "--cycles", "8",
    )  # fmt: skip
    assert med.code == 0, med.err
    assert cli.run("med", "change", "1", "--dose", "750 mg/m2", "--on", "2025-05-19").code == 0

    shown = cli.run("summary", "show")
    assert shown.code == 0, shown.err
    assert f"surgery.d{doc_id}.procedure" in shown.out and "Right hemicolectomy" in shown.out
    assert "750 mg/m2 from 19 May 2025" in shown.out
    fixed = cli.run("summary", "set", f"surgery.d{doc_id}.surgeon", "Dr. Omar Haddad")
    assert fixed.code == 0, fixed.err
    assert cli.run("summary", "confirm", f"surgery.d{doc_id}.date").code == 0
    refused = cli.run("summary", "confirm", "plan.text")
    assert refused.code != 0 and "nothing to confirm" in refused.err
    data = cli.run("summary", "show", "--json").json()
    surgery = next(s for s in data["sections"] if s["key"] == "surgery")
    states = {f["key"]: f["state"] for f in surgery["rows"][0]["fields"]}
    assert states[f"surgery.d{doc_id}.surgeon"] == "typed", "the records gave no surgeon"
    assert states[f"surgery.d{doc_id}.date"] == "confirmed"

    for which in ("treatment", "timeline"):
        out = tmp_path / f"{which}.pdf"
        sheet = cli.run("sheet", which, str(out))
        assert sheet.code == 0, sheet.err
        assert out.read_bytes().startswith(b"%PDF")
    assert "Dr. Omar Haddad" in _text((tmp_path / "treatment.pdf").read_bytes())
    assert len(_pages((tmp_path / "timeline.pdf").read_bytes())) == 1

    bundle = tmp_path / "bundle.zip"
    assert cli.run("export", str(bundle)).code == 0
    files = unzip(bundle)
    assert "Dr. Omar Haddad" in " ".join(pdf_text(files["Treatment summary.pdf"]).split())
    assert "Right hemicolectomy" in pdf_text(files["Timeline.pdf"])
    readme = files["README.txt"].decode()
    assert "Treatment summary.pdf" in readme and "Timeline.pdf" in readme
    assert cli.run("verify", str(bundle)).code == 0
