"""The clinical picture end to end, as a second-opinion office would measure it: each hand-
labelled report (tests/ingest/clinical_labels.toml) is put in a PDF, imported for a person
of its own, and the person's picture is read back (what `carebinder summary show --json`
prints), field by field.

The reading benchmark (test_clinical_accuracy.py) scores `read_report` on the report's text;
this one scores what survives the whole path: a PDF made of the text (lines wrapped as a
printed page wraps them), the import, the picture's choice across the person's documents.
Reports that are PDFs already (the scans, with their OCR layer) are imported as they are.

Prints the figures beside the reader's own; asserts only that every report was imported.
Run with `make bench`.
"""

from __future__ import annotations

import io
import textwrap
from pathlib import Path

import pytest

from tests.ingest.clinical_scoring import (
    CORE,
    FIELDS,
    KEY_OF,
    Outcome,
    by,
    field_group,
    load_labels,
    new_reader,
    percent,
    report_text,
    score,
    share,
)

pytestmark = pytest.mark.corpus


def _as_pdf(text: str) -> bytes:
    """The report printed on letter pages, 9-point Courier, long lines wrapped."""
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=letter)
    y = 750.0
    page.setFont("Courier", 9)
    for line in text.splitlines():
        for piece in textwrap.wrap(line, 100) or [""]:
            if y < 50:
                page.showPage()
                page.setFont("Courier", 9)
                y = 750.0
            page.drawString(40, y, piece)
            y -= 11
    page.save()
    return out.getvalue()


def test_accuracy_of_the_picture_after_import(
    corpus: Path, tmp_path: Path, no_keyring: None, capsys: pytest.CaptureFixture[str]
) -> None:
    from app.records.importer import Outcome as ImportOutcome
    from app.records.importer import import_bytes
    from app.records.people import add_person
    from app.records.picture import clinical_picture
    from app.vault.binder import Binder

    labels = load_labels()
    pictures: dict[str, dict[str, str]] = {}
    benign_with_cancer: list[str] = []
    with Binder.create(tmp_path / "binder", "accuracy bench passphrase") as binder:
        for number, label in enumerate(labels):
            person = add_person(binder, f"Report {number}").id
            path = corpus / label.file
            if path.suffix.lower() == ".pdf":
                data, name = path.read_bytes(), path.name
            else:
                data, name = _as_pdf(report_text(corpus, label.file)), f"{path.stem}.pdf"
            result = import_bytes(binder, person, data, name)
            assert result.status is ImportOutcome.OK, (label.file, result.reason)
            values = {f.key: f.value for f in clinical_picture(binder, person).fields()}
            found = {field: values.get(key, "") for field, key in KEY_OF.items()}
            found["surgery"] = " / ".join(
                v
                for k, v in values.items()
                if k.startswith("surgery.") and k.endswith(".procedure") and v
            )
            found |= {k: v for k, v in values.items() if k.startswith("biomarker.") and v}
            has_cancer = bool(found["histology"])
            if label.fields["malignant"] == "false" and has_cancer:
                benign_with_cancer.append(label.file)
            found["malignant"] = "true" if has_cancer else "none|false"
            pictures[label.file] = found

    by_text = {report_text(corpus, label.file): label.file for label in labels}

    def lookup(text: str) -> dict[str, str]:
        return pictures[by_text[text]]

    picture = [o for o in score(corpus, labels, lookup) if o.field != "malignant"]
    reader = [o for o in score(corpus, labels, new_reader) if o.field != "malignant"]

    def stated(outcomes: list[Outcome]) -> list[Outcome]:
        return [o for o in outcomes if o.stated]

    lines = [f"\nThe picture after import: {len(labels)} hand-labelled reports"]
    lines.append(f"  {'':<20}{'reader':>16}{'picture':>16}")
    read_fields, pic_fields = by(stated(reader), field_group), by(stated(picture), field_group)
    for name in [*FIELDS, "biomarkers"]:
        if name in pic_fields:
            lines.append(
                f"  {name:<20}{percent(*share(read_fields[name])):>16}"
                f"{percent(*share(pic_fields[name])):>16}"
            )
    core = [f for f in CORE if f != "malignant"]
    for title, keep in (
        ("stated", lambda o: True),
        ("core (site, histology, grade, pT, pN)", lambda o: o.field in core),
    ):
        lines.append(
            f"  {title:<40} reader {percent(*share([o for o in stated(reader) if keep(o)]))}"
            f", picture {percent(*share([o for o in stated(picture) if keep(o)]))}"
        )
    lines.append(f"  benign reports that made a cancer diagnosis: {len(benign_with_cancer)}")
    misses = [o for o in stated(picture) if not o.right and o.field in core]
    for miss in misses[:40]:
        lines.append(f"    miss {miss.file} {miss.field}: want {miss.expected!r} got {miss.got!r}")
    with capsys.disabled():
        print("\n".join(lines))
    assert len(pictures) == len(labels)
