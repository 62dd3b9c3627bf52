"""Scans and photos as people really bring them: read on every core, turned and straightened,
and every kind of bad page ending read, unread ("not searchable yet") or refused, never stuck.

Real tesseract throughout; the page that hangs tesseract is a real executable script on the
path standing in for it."""

from __future__ import annotations

import io
import os
import re
import stat
import threading
from pathlib import Path

import pytest

from app.ingest import ocr, ocr_pool
from app.progress import CancelFlag
from app.records.importer import Outcome, import_bytes, import_paths
from app.records.search import search
from app.vault.binder import Binder
from tests.conftest import need
from tests.phone_photos import page_of_text, photograph, recall

ADA = 1
REPORT = (
    "Final diagnosis: invasive ductal carcinoma of the left breast, grade 2.\n"
    "Tumour size 2.1 cm; margins negative; the closest margin is 4 mm.\n"
    "Lymphovascular invasion is not identified.\n"
    "Estrogen receptor positive (95 percent); progesterone receptor positive.\n"
    "HER2 by immunohistochemistry: equivocal (2+); reflex testing is pending.\n"
    "Sentinel lymph nodes: two examined, both negative for metastatic carcinoma.\n"
)


def _needs_tesseract() -> None:
    need(ocr.available(), "tesseract is not installed (Debian: tesseract-ocr)")


def _scan_pdf(picture: object, pages: int = 1) -> bytes:
    """A scanner's PDF: `picture` (a Pillow image) as every one of its `pages`, stored once."""
    import pikepdf

    one = io.BytesIO()
    picture.save(one, "PDF", resolution=300.0)  # type: ignore[attr-defined]
    if pages == 1:
        return one.getvalue()
    with pikepdf.open(io.BytesIO(one.getvalue())) as single, pikepdf.new() as many:
        for _ in range(pages):
            many.pages.append(single.pages[0])
        out = io.BytesIO()
        many.save(out)
    return out.getvalue()


def _children() -> list[tuple[int, str]]:
    """(pid, command line) of every process whose parent is this one."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == os.getpid():
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
                found.append((int(entry.name), command))
        except OSError:
            continue
    return found


def _peak_memory_reset() -> None:
    Path("/proc/self/clear_refs").write_text("5")  # VmHWM starts again from VmRSS


def _peak_memory() -> int:
    return int(re.search(r"VmHWM:\s+(\d+)", Path("/proc/self/status").read_text())[1]) << 10


def test_pages_are_read_on_every_core_in_page_order(binder: Binder, tmp_path: Path) -> None:
    from PIL import Image, ImageDraw

    _needs_tesseract()
    # Six pages, each saying its own number in large type, read by two slots at once.
    pictures = []
    for number in range(1, 7):
        page = Image.new("L", (1275, 1650), 255)
        ImageDraw.Draw(page).text((150, 200), f"Page {number} of six", fill=0, font_size=90)
        pictures.append(page)
    out = io.BytesIO()
    pictures[0].save(out, "PDF", resolution=150.0, save_all=True, append_images=pictures[1:])
    seen: list[tuple[int, int]] = []
    (tmp_path / "scan0001.pdf").write_bytes(out.getvalue())
    [result] = import_paths(
        binder,
        ADA,
        [tmp_path / "scan0001.pdf"],
        pages=lambda done, total, what: seen.append((done, total)) if what else None,
    )
    assert result.status is Outcome.OK and result.document is not None, result.reason
    assert [h.document.id for h in search(binder, "six")] == [result.document.id]
    from app.records.documents import document_text

    body = document_text(binder, result.document.id)
    numbers = [int(n) for n in re.findall(r"Page (\d) of six", body)]
    assert numbers == [1, 2, 3, 4, 5, 6]  # in page order, whichever page finished first
    # Progress counts pages, one by one, up to all of them.
    assert [done for done, _ in seen] == [0, 1, 2, 3, 4, 5, 6]
    assert {total for _, total in seen} == {6}


def test_cancel_of_a_300_page_scan_stops_every_reader_and_stores_nothing(
    binder: Binder, tmp_path: Path
) -> None:
    """Memory stays that of a few pages however long the scan, and Cancel stops every
    tesseract and every reading thread before the import returns."""
    _needs_tesseract()
    page, _ = page_of_text(REPORT * 4)
    scan = tmp_path / "discharge packet.pdf"
    scan.write_bytes(_scan_pdf(page.convert("L"), pages=300))
    cancel = CancelFlag()
    read: list[int] = []

    def pages(done: int, total: int, what: str) -> None:
        assert total == 300
        read.append(done)
        if done >= 3:
            cancel.cancel()

    _peak_memory_reset()
    before = _peak_memory()
    results = import_paths(binder, ADA, [scan], cancel=cancel, pages=pages)
    grown = _peak_memory() - before

    assert results == []
    assert binder.db.execute("SELECT count(*) FROM documents").fetchone()[0] == 0
    assert binder.check().ok
    # Nothing is left that could read a page after cancel returned: no tesseract, no thread.
    assert not [c for c in _children() if "tesseract" in c[1]]
    assert not [t for t in threading.enumerate() if t.name.startswith("carebinder-ocr")]
    assert not [t for t in threading.enumerate() if t.name.startswith("carebinder-reader")]
    # Cancelled after 3 pages read: the slots had a page each in hand, no more were drawn.
    assert max(read) <= 3 + ocr_pool.worker_count()
    # A page drawn at 300 dpi is 8.4 MB; all 300 would be 2.5 GB. Only a few are ever held.
    assert grown < 200 << 20, f"the import's memory grew by {grown >> 20} MB"


def _fake_tesseract(folder: Path) -> Path:
    """A 'tesseract' that hangs on every page, writing its pid first so the test can check
    it was stopped."""
    script = folder / "tesseract"
    script.write_text(f'#!/bin/sh\necho $$ >> "{folder}/pids"\nexec sleep 600\n')
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


def test_a_page_that_hangs_tesseract_is_stopped_by_its_own_time_limit(
    binder: Binder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = _fake_tesseract(tmp_path)
    monkeypatch.setenv("CAREBINDER_TESSERACT", str(fake))
    monkeypatch.setattr(ocr, "PAGE_TIME_LIMIT", 1.0)
    page, _ = page_of_text(REPORT)
    result = import_bytes(binder, ADA, _scan_pdf(page.convert("L"), pages=3), "scan.pdf")
    assert result.status is Outcome.OK and result.document is not None
    # Not read, so not searchable yet: "make searchable" can try again later.
    assert result.document.text_status.value == "needs_ocr"
    pids = [int(p) for p in (tmp_path / "pids").read_text().split()]
    assert len(pids) == 3  # each page got a tesseract of its own, each with its own limit
    assert all(not Path(f"/proc/{pid}").exists() for pid in pids)  # every one was stopped


def test_without_tesseract_a_photo_is_not_searchable_yet(
    binder: Binder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CAREBINDER_TESSERACT", "")
    page, _ = page_of_text(REPORT, dpi=150)
    result = import_bytes(binder, ADA, photograph(page, 0, 1.0, seed=1), "IMG_0001.jpg")
    assert result.status is Outcome.OK and result.document is not None
    assert result.document.text_status.value == "needs_ocr"


def test_a_photo_taken_sideways_is_read_upright_from_its_exif_orientation(
    binder: Binder,
) -> None:
    from PIL import Image

    from app.records.documents import document_text

    _needs_tesseract()
    page, truth = page_of_text(REPORT, dpi=200)
    exif = Image.Exif()
    exif[0x0112] = 6  # stored sideways: turn clockwise to view
    out = io.BytesIO()
    page.transpose(Image.Transpose.ROTATE_90).save(out, "JPEG", quality=85, exif=exif)
    result = import_bytes(binder, ADA, out.getvalue(), "IMG_0002.jpg")
    assert result.status is Outcome.OK and result.document is not None
    assert recall(truth, document_text(binder, result.document.id)) > 0.95
    row = binder.db.execute(
        "SELECT image FROM document_thumbnails WHERE document_id = ?", [result.document.id]
    ).fetchone()
    with Image.open(io.BytesIO(row[0])) as thumbnail:
        assert thumbnail.height > thumbnail.width  # upright, as the person sees the page


def test_an_upside_down_scan_is_read(binder: Binder) -> None:
    from PIL import Image

    _needs_tesseract()
    page, _ = page_of_text(REPORT)
    upside_down = page.convert("L").transpose(Image.Transpose.ROTATE_180)
    result = import_bytes(binder, ADA, _scan_pdf(upside_down), "scan0002.pdf")
    assert result.status is Outcome.OK and result.document is not None
    assert [h.document.id for h in search(binder, "Lymphovascular")] == [result.document.id]


def test_a_crooked_phone_photo_is_read(binder: Binder) -> None:
    from app.records.documents import document_text

    _needs_tesseract()
    page, truth = page_of_text(REPORT)
    photo = photograph(page, 270, -4.5, seed=7)
    result = import_bytes(binder, ADA, photo, "IMG_0003.jpg")
    assert result.status is Outcome.OK and result.document is not None
    assert recall(truth, document_text(binder, result.document.id)) > 0.9


def test_a_blank_page_has_no_text_and_no_error(binder: Binder) -> None:
    from PIL import Image

    _needs_tesseract()
    result = import_bytes(binder, ADA, _scan_pdf(Image.new("L", (2550, 3300), 250)), "blank.pdf")
    assert result.status is Outcome.OK and result.document is not None
    assert result.document.text_status.value == "none"
    from app.records.documents import document_text

    assert document_text(binder, result.document.id).strip() == ""


def test_the_35000_pixel_monochrome_page_of_the_corpus_is_read_within_limits(
    binder: Binder, corpus: Path
) -> None:
    _needs_tesseract()
    scan = corpus / "scans/ocrmypdf-test-resources/hugemono.pdf"
    [result] = import_paths(binder, ADA, [scan])
    assert result.status is Outcome.OK and result.document is not None, result.reason
    assert [h.document.id for h in search(binder, "tiny amount")] == [result.document.id]
