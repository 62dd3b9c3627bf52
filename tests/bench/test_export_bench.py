"""Bundle speed, as ratios against baselines measured in the same run on the same originals.

- The whole bundle (ZIP) against Python's `zipfile` storing the same originals (issue 7's
  target: at most 1.3 times).
- The records packet (the stretch of the export between Summary.pdf and Medications.pdf,
  timed through the progress callback) against pikepdf (qpdf) concatenating the same PDFs
  (target: at most 2 times).

Set CAREBINDER_BENCH_DOCS for the number of records (default 120: about 600 pages, a tenth
of them photographed scans). Prints figures; asserts nothing about time. `make bench`.
"""

from __future__ import annotations

import io
import os
import resource
import time
import zipfile
from pathlib import Path

import pytest

from app.ingest.extract import Extracted
from app.records.documents import add_document
from app.records.models import DocumentKind
from app.vault.binder import Binder


def _pdf(number: int, pages: int) -> bytes:
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out)
    for page in range(pages):
        text = pdf.beginText(72, 760)
        for line in range(40):
            text.textLine(
                f"Record {number}, page {page + 1}, line {line + 1}: findings as dictated."
            )
        pdf.drawText(text)
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def _scan(number: int) -> bytes:
    from PIL import Image

    image = Image.effect_noise((1700, 2200), 40 + number % 20).convert("RGB")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


@pytest.fixture
def filled(binder: Binder) -> tuple[Binder, list[tuple[str, bytes]]]:
    count = int(os.environ.get("CAREBINDER_BENCH_DOCS", "120"))
    originals = []
    for number in range(count):
        if number % 10 == 9:
            data, media, name = _scan(number), "image/jpeg", f"scan-{number}.jpg"
        else:
            data, media, name = _pdf(number, 1 + number % 9), "application/pdf", f"r-{number}.pdf"
        stored = binder.files.put(data)
        facts = Extracted(
            media_type=media,
            title=f"Record {number}",
            pages=None,
            text="",
            text_status="none",
            kind=DocumentKind.OTHER,
            date=f"20{10 + number % 15}-0{1 + number % 9}-1{number % 9}",
        )
        add_document(binder, 1, stored, facts, name)
        originals.append((name, data))
    return binder, originals


def test_bundle_time_against_zipfile_and_pikepdf(
    filled: tuple[Binder, list[tuple[str, bytes]]], tmp_path: Path
) -> None:
    import pikepdf

    from app.export.bundle import build_bundle

    binder, originals = filled
    folder = tmp_path / "plain"
    folder.mkdir()
    for name, data in originals:
        (folder / name).write_bytes(data)
    total_bytes = sum(len(d) for _, d in originals)

    start = time.perf_counter()
    with zipfile.ZipFile(tmp_path / "baseline.zip", "w", zipfile.ZIP_STORED) as archive:
        for name, _ in originals:
            archive.write(folder / name, name)
    zip_seconds = time.perf_counter() - start

    start = time.perf_counter()
    merged = pikepdf.Pdf.new()
    for name, _ in originals:
        if name.endswith(".pdf"):
            merged.pages.extend(pikepdf.Pdf.open(folder / name).pages)
    merged.save(tmp_path / "baseline.pdf")
    pike_seconds = time.perf_counter() - start

    marks: dict[str, float] = {}

    def progress(done: int, total: int, what: str) -> None:
        marks.setdefault(what, time.perf_counter())

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    result = build_bundle(binder, 1, tmp_path / "bundle.zip", progress=progress)
    bundle_seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    packet_seconds = marks["Medications.pdf"] - marks["Summary.pdf"]

    print()
    print(
        f"records: {len(originals)}, {total_bytes / 1e6:.0f} MB, packet {result.packet_pages} pages"
    )
    print(f"zipfile storing the originals: {zip_seconds:.2f} s")
    print(f"pikepdf concatenating the PDFs: {pike_seconds:.2f} s")
    print(f"bundle: {bundle_seconds:.2f} s = {bundle_seconds / zip_seconds:.1f} x zipfile")
    print(f"packet: {packet_seconds:.2f} s = {packet_seconds / pike_seconds:.1f} x pikepdf")
    print(f"peak memory grew by {(after - before) / 1024:.0f} MB during the bundle")
