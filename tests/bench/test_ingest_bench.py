"""Import speed, as ratios against a baseline measured in the same run on the same files.

- Text PDFs: CareBinder's import (files read side by side in sandbox children: text,
  thumbnail, kind rules; stored in order meanwhile: encryption, fsync, database) against
  SHA-256 plus pypdfium2 text extraction in one plain loop. Target (issue 20): at most 1.0
  times the baseline on a 2-CPU machine. The CPU time of both sides is printed too: on a
  machine shared with other work, the wall-clock ratio moves with the load, the CPU time
  much less.
- OCR: see test_ocr_bench.py.

Prints figures; asserts nothing about time. Run with `make bench`.
"""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

import pytest

from app.ingest.extract import Options
from app.records.importer import Outcome, import_paths


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


def _children_cpu() -> float:
    """CPU seconds used so far by this process's sandbox children (alive ones included)."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == os.getpid():
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


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
    cpu = time.process_time()
    base_seconds, pages = baseline(paths)
    base_cpu = time.process_time() - cpu
    children = _children_cpu()
    cpu = time.process_time()
    start = time.perf_counter()
    results = import_paths(binder, pid, [folder], options=Options(ocr=False))  # type: ignore[arg-type]
    ours = time.perf_counter() - start
    ours_cpu = time.process_time() - cpu + _children_cpu() - children
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
            f"\n  ratio to baseline: {ours / base_seconds:.2f}x (target <= 1.0x)"
            f"\n  CPU time: baseline {base_cpu:.2f} s, CareBinder {ours_cpu:.2f} s (both"
            f" processes and the sandbox children: {ours_cpu / base_cpu:.2f}x, on"
            f" {os.cpu_count()} CPUs); load average {os.getloadavg()[0]:.1f}"
            f"\n  of which reading (sandboxed text, thumbnail, kind rules):"
            f" {extracting:.2f} s = {extracting / base_seconds:.2f}x the baseline;"
            f" storing (encrypt, fsync, database, search index): {ours - extracting:.2f} s"
        )
