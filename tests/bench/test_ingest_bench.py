"""Import speed, as ratios against a baseline measured in the same run on the same files.

- Text PDFs: CareBinder's import (sandbox child, text, thumbnail, kind rules, encryption,
  database) against SHA-256 plus pypdfium2 text extraction in a plain loop. Target: no more
  than 1.5 times the baseline.
- OCR: seconds per page for CareBinder (draw the page in the sandbox, pipe it to tesseract)
  beside tesseract's own time on the same page image.

Prints figures; asserts nothing about time. Run with `make bench`.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import time
from pathlib import Path

import pytest

from app.ingest.extract import Options
from app.records.importer import Outcome, import_paths
from tests.conftest import need


def text_pdfs(corpus: Path) -> list[Path]:
    """Real PDFs with a text layer that open without a password."""
    import pypdfium2 as pdfium

    found = []
    for folder in ("pdf/py-pdf-sample-files", "pathology/tcga-grasool/pdf_scans", "bluebutton"):
        for path in sorted((corpus / folder).rglob("*.pdf")):
            try:
                pdf = pdfium.PdfDocument(path.read_bytes())
            except pdfium.PdfiumError:
                continue
            try:
                page = pdf[0]
                has_text = bool(page.get_textpage().get_text_range().strip())
            finally:
                pdf.close()
            if has_text:
                found.append(path)
    return found


def baseline(paths: list[Path]) -> tuple[float, int]:
    import pypdfium2 as pdfium

    start = time.perf_counter()
    pages = 0
    for path in paths:
        data = path.read_bytes()
        hashlib.sha256(data).hexdigest()
        pdf = pdfium.PdfDocument(data)
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            textpage.get_text_range()
            textpage.close()
            page.close()
        pages += len(pdf)
        pdf.close()
    return time.perf_counter() - start, pages


def test_import_of_text_pdfs_against_the_baseline(
    binder: object, corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = text_pdfs(corpus)
    folder = tmp_path / "pdfs"
    folder.mkdir()
    for index, path in enumerate(paths):
        (folder / f"{index:03d}-{path.name}").symlink_to(path)

    baseline(paths[:3])  # warm the page cache and the imports for both sides
    from app.ingest.extract import extract
    from tests.fixtures import make_pdf

    extract(make_pdf(None, "warm-up"), "warm-up.pdf")  # start the sandbox children first
    pid = int(binder.db.execute("SELECT id FROM people").fetchone()[0])  # type: ignore[attr-defined]
    warm = tmp_path / "warm-up"
    warm.mkdir()
    for n in range(4):  # the import's own reader children, started before the clock
        make_pdf(warm / f"{n}.pdf", f"warm-up {n}")
    import_paths(binder, pid, [warm], options=Options(ocr=False))  # type: ignore[arg-type]
    base_seconds, pages = baseline(paths)
    start = time.perf_counter()
    results = import_paths(binder, pid, [folder], options=Options(ocr=False))  # type: ignore[arg-type]
    ours = time.perf_counter() - start
    assert all(r.status is Outcome.OK for r in results), [r for r in results if r.reason]
    start = time.perf_counter()
    for path in paths:
        extract(path.read_bytes(), path.name, options=Options(ocr=False))
    extracting = time.perf_counter() - start
    with capsys.disabled():
        print(
            f"\nText PDFs: {len(paths)} files, {pages} pages"
            f"\n  baseline (SHA-256 + pypdfium2 text, plain loop): {base_seconds:.2f} s,"
            f" {pages / base_seconds:.0f} pages/s"
            f"\n  CareBinder import: {ours:.2f} s, {pages / ours:.0f} pages/s"
            f"\n  ratio to baseline: {ours / base_seconds:.2f}x (target <= 1.5x)"
            f"\n  of which reading (sandboxed text, thumbnail, kind rules):"
            f" {extracting:.2f} s = {extracting / base_seconds:.2f}x the baseline;"
            f" storing (encrypt, fsync, database, search index): {ours - extracting:.2f} s"
        )


def test_ocr_seconds_per_page_beside_tesseract_alone(
    binder: object, corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from app.ingest import ocr
    from app.ingest.pdf_text import render_page

    need(ocr.available(), "tesseract is not installed (Debian: tesseract-ocr)")
    scan = corpus / "scans/ocrmypdf-test-resources/linn.pdf"
    data = scan.read_bytes()
    image, dpi = render_page(data, None, 0)
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    start = time.perf_counter()
    subprocess.run(
        [str(ocr.tesseract_path()), "stdin", "stdout", "-l", ocr.LANGUAGE, "--dpi", str(dpi)],
        input=image,
        capture_output=True,
        check=True,
        env=env,
    )
    alone = time.perf_counter() - start
    pid = int(binder.db.execute("SELECT id FROM people").fetchone()[0])  # type: ignore[attr-defined]
    start = time.perf_counter()
    result = import_paths(binder, pid, [scan])[0]  # type: ignore[arg-type]
    ours = time.perf_counter() - start
    assert result.status is Outcome.OK
    with capsys.disabled():
        print(
            f"\nOCR, one letter page at {dpi} dpi:"
            f"\n  tesseract alone: {alone:.2f} s/page"
            f"\n  CareBinder import with OCR: {ours:.2f} s/page ({ours / alone:.2f}x)"
        )
