"""Bundle speed, as ratios against baselines measured in the same run on the same originals.

- The whole bundle (ZIP) against Python's `zipfile` storing the same originals (issue 7's
  target: at most 1.3 times).
- The records packet (the stretch of the export from its own step to Medications.pdf,
  timed through the progress callback) against pikepdf (qpdf) concatenating the same PDFs
  (target: at most 2 times).

Set CAREBINDER_BENCH_DOCS for the number of records (default 120: about 600 pages, a tenth
of them photographed scans), CAREBINDER_BENCH_SCAN_SCALE to make the scans larger (3: about
18 MB each), CAREBINDER_BENCH_ROUNDS for the rounds each figure is the best of (default 3).
The peak memory of a whole export is measured in a process of its own, for a quarter of
the records and for all of them: flat means the second is not four times the first.
Prints figures; asserts nothing about time. `make bench`.
"""

from __future__ import annotations

import io
import os
import time
import zipfile
from pathlib import Path

import pytest

from app.ingest.extract import Extracted
from app.records.documents import add_document, list_documents
from app.records.models import DocumentKind
from app.vault.binder import Binder
from tests.conftest import PASSPHRASE, ROOT


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

    scale = float(os.environ.get("CAREBINDER_BENCH_SCAN_SCALE", "1"))
    size = (int(1700 * scale), int(2200 * scale))
    image = Image.effect_noise(size, 40 + number % 20).convert("RGB")
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


def _peak_memory_of_a_bundle(data_dir: Path, target: Path, ids: list[int]) -> float:
    """Peak resident memory (MB) of a fresh process writing a bundle of the records `ids`,
    from the moment the binder is open: the whole process, qpdf's memory included."""
    import json
    import subprocess
    import sys

    script = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from app.export.bundle import BundleOptions, build_bundle\n"
        "from app.vault.unlock import open_with_passphrase\n"
        "binder = open_with_passphrase(Path(sys.argv[1]), sys.argv[3], remember=False)\n"
        # Forget the peak so far (unlocking alone takes 128 MiB): Linux's clear_refs.
        "Path('/proc/self/clear_refs').write_text('5')\n"
        "ids = json.loads(sys.argv[4])\n"
        "build_bundle(binder, 1, Path(sys.argv[2]), BundleOptions(document_ids=ids))\n"
        "status = Path('/proc/self/status').read_text().split('VmHWM:')[1]\n"
        "print(int(status.split()[0]) / 1024)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(data_dir), str(target), PASSPHRASE, json.dumps(ids)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return float(done.stdout.split()[-1])


def test_bundle_time_against_zipfile_and_pikepdf(
    filled: tuple[Binder, list[tuple[str, bytes]]], tmp_path: Path
) -> None:
    import pikepdf

    from app.export.bundle import BundleResult, build_bundle

    binder, originals = filled
    folder = tmp_path / "plain"
    folder.mkdir()
    for name, data in originals:
        (folder / name).write_bytes(data)
    total_bytes = sum(len(d) for _, d in originals)

    def zip_baseline() -> float:
        start = time.perf_counter()
        with zipfile.ZipFile(tmp_path / "baseline.zip", "w", zipfile.ZIP_STORED) as archive:
            for name, _ in originals:
                archive.write(folder / name, name)
        return time.perf_counter() - start

    def pikepdf_baseline() -> float:
        start = time.perf_counter()
        merged = pikepdf.Pdf.new()
        for name, _ in originals:
            if name.endswith(".pdf"):
                merged.pages.extend(pikepdf.Pdf.open(folder / name).pages)
        merged.save(tmp_path / "baseline.pdf")
        return time.perf_counter() - start

    def bundle() -> tuple[float, float, float, BundleResult]:
        marks: dict[str, float] = {}

        def progress(done: int, total: int, what: str) -> None:
            marks.setdefault(what, time.perf_counter())

        target = tmp_path / "bundle.zip"
        target.unlink(missing_ok=True)
        start = time.perf_counter()
        result = build_bundle(binder, 1, target, progress=progress)
        whole = time.perf_counter() - start
        packet = marks["Medications.pdf"] - marks["Records packet.pdf"]
        first_original = min(marks[e.path] for e in result.entries if e.path)
        return whole, packet, marks["patient-summary.json"] - first_original, result

    # Each figure is the best of a few rounds, ours and the baselines taking turns, so a
    # moment of other work on the machine does not decide a ratio.
    rounds = [
        (zip_baseline(), pikepdf_baseline(), *bundle())
        for _ in range(int(os.environ.get("CAREBINDER_BENCH_ROUNDS", "3")))
    ]
    zip_seconds = min(r[0] for r in rounds)
    pike_seconds = min(r[1] for r in rounds)
    bundle_seconds = min(r[2] for r in rounds)
    packet_seconds = min(r[3] for r in rounds)
    originals_seconds = min(r[4] for r in rounds)
    result = rounds[-1][5]

    docs = list_documents(binder, 1)
    quarter = [d.id for d in docs[: len(docs) // 4]]
    binder.close()  # one opener at a time: the measuring processes open it in turn
    small_mb = _peak_memory_of_a_bundle(binder.data_dir, tmp_path / "quarter.zip", quarter)
    whole_mb = _peak_memory_of_a_bundle(
        binder.data_dir, tmp_path / "whole.zip", [d.id for d in docs]
    )

    print()
    print(
        f"records: {len(originals)}, {total_bytes / 1e6:.0f} MB, packet {result.packet_pages} pages"
    )
    print(f"zipfile storing the originals: {zip_seconds:.2f} s")
    print(
        f"bundle storing the originals: {originals_seconds:.2f} s = "
        f"{originals_seconds / zip_seconds:.1f} x zipfile (target 1.3)"
    )
    print(f"pikepdf concatenating the PDFs: {pike_seconds:.2f} s")
    print(
        f"records packet: {packet_seconds:.2f} s = {packet_seconds / pike_seconds:.1f} x pikepdf "
        "(target 2)"
    )
    print(
        f"whole bundle: {bundle_seconds:.2f} s = "
        f"{bundle_seconds / (zip_seconds + pike_seconds):.1f} x zipfile + pikepdf"
    )
    quarter_bytes = sum(d.size for d in docs[: len(docs) // 4])
    print(
        f"peak memory of a process writing the bundle: {small_mb:.0f} MB for a quarter of the "
        f"records ({quarter_bytes / 1e6:.0f} MB of originals), {whole_mb:.0f} MB for all of "
        f"them ({total_bytes / 1e6:.0f} MB)"
    )
