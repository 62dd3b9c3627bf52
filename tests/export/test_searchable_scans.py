"""The doctor can search the scans: every scanned page or photo in the records packet carries
an invisible text layer, placed where its words are, and the picture is left as it was."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from app.export.bundle import BundleOptions, build_bundle
from app.export.verify import verify
from app.records.documents import update_document
from app.records.importer import Outcome, import_bytes
from app.vault.binder import Binder
from tests.conftest import need
from tests.export.bundle_checks import read_folder
from tests.phone_photos import page_of_text

ADA = 1
WORD = "adenocarcinoma"  # in the pictures only: titles and file names never say it
LINES = [
    "Surgical pathology report",
    "Specimen: right upper lobe, wedge resection.",
    "Gross description: a firm tan nodule measuring 1.8 cm.",
    "Microscopic findings are described below in detail.",
    f"{WORD} of the lung, acinar predominant, grade 2.",
    "Margins are free of tumour; the nearest margin is 6 mm.",
    "Lymph nodes: none involved by carcinoma (0 of 4).",
]
FONT_SIZE = 11.0


def _word_centre_on_page() -> tuple[float, float]:
    """Where WORD's middle is on the text page as drawn (points, from the top left)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    baseline = 792 - 72 - 4 * FONT_SIZE * 1.35  # page_of_text draws line 5 there
    return 72 + stringWidth(WORD, "Helvetica", FONT_SIZE) / 2, 792 - (baseline + 3.5)


def _turned(x: float, y: float, size: tuple[float, float], degrees: float) -> tuple[float, float]:
    """Where a point (y down) of an image goes when Pillow turns the image `degrees`
    counter-clockwise about its centre, canvas unchanged."""
    import math

    cx, cy = size[0] / 2, size[1] / 2
    t = math.radians(degrees)
    dx, dy = x - cx, y - cy
    return cx + math.cos(t) * dx + math.sin(t) * dy, cy - math.sin(t) * dx + math.cos(t) * dy


def _scanned_pdf(skew: float, rotate: int) -> bytes:
    """A scanner's PDF: one greyscale picture filling a letter page, skewed `skew` degrees,
    the page turned by /Rotate `rotate`, and no text of its own."""
    import pikepdf
    from PIL import Image

    page, _ = page_of_text("\n".join(LINES), size=FONT_SIZE)
    picture = page.convert("L").rotate(skew, resample=Image.Resampling.BICUBIC, fillcolor=255)
    out = io.BytesIO()
    picture.save(out, "PDF", resolution=300.0)
    with pikepdf.open(io.BytesIO(out.getvalue())) as pdf:
        pdf.pages[0].Rotate = rotate
        saved = io.BytesIO()
        pdf.save(saved)
    return saved.getvalue()


def _sideways_photo() -> tuple[bytes, Any]:
    """A phone's JPEG stored sideways with EXIF orientation 6 (turn it clockwise to view)."""
    from PIL import Image

    page, _ = page_of_text("\n".join(LINES), size=FONT_SIZE, dpi=200)
    stored = page.transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[0x0112] = 6
    out = io.BytesIO()
    stored.save(out, "JPEG", quality=85, exif=exif.tobytes())
    return out.getvalue(), page


def _boxes(packet: Path, page: int) -> list[tuple[str, float, float]]:
    """(word, middle x, middle y) of each word pdftotext finds on a page of the packet."""
    found = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(packet), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    words = []
    pattern = r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
    for x0, y0, x1, y1, word in re.findall(pattern, found):
        words.append((word, (float(x0) + float(x1)) / 2, (float(y0) + float(y1)) / 2))
    return words


def _images(pdf: Any, page_index: int) -> list[bytes]:
    """The raw (still encoded) data of the pictures a page draws."""
    import pikepdf

    page = pdf.pages[page_index]
    found = []
    for image in page.get_images().values():
        assert isinstance(image, pikepdf.Stream)
        found.append(bytes(image.read_raw_bytes()))
    return found


def _import(binder: Binder, data: bytes, name: str, title: str) -> int:
    result = import_bytes(binder, ADA, data, name)
    assert result.status is Outcome.OK and result.document is not None, result.reason
    assert result.document.text_status.value == "text"
    update_document(binder, result.document.id, title=title, date="2025-03-04")
    return result.document.id


def test_the_doctor_finds_a_word_of_a_scan_in_the_packet_where_it_is_on_the_picture(
    binder: Binder, tmp_path: Path
) -> None:
    """The done-when test: a word only in the scan's picture is found by pdftotext in the
    packet, in its place, and the picture's bytes are those of the original."""
    import pikepdf

    from app.ingest import ocr

    need(ocr.available(), "tesseract is not installed (Debian: tesseract-ocr)")
    need(shutil.which("pdftotext") is not None, "pdftotext is missing (Debian: poppler-utils)")
    scan = _scanned_pdf(skew=3.0, rotate=90)
    photo, upright = _sideways_photo()
    _import(binder, scan, "scan0001.pdf", "Pathology, scanned")
    _import(binder, photo, "IMG_2034.jpg", "Pathology, photographed")

    result = build_bundle(binder, ADA, tmp_path / "bundle", BundleOptions(folder=True))
    assert verify(result.target).ok, verify(result.target).problem
    packet = result.target / "Records packet.pdf"
    entries = {e.document.title: e for e in result.entries}
    scan_page = entries["Pathology, scanned"].start
    photo_page = entries["Pathology, photographed"].start

    # The word is on no page but the two pictures: not in a title, a bookmark, the contents.
    everywhere = subprocess.run(["pdftotext", str(packet), "-"], capture_output=True, text=True)
    pages_with_word = [
        n for n in range(1, result.packet_pages + 1) if WORD in [w for w, _, _ in _boxes(packet, n)]
    ]
    assert WORD in everywhere.stdout
    assert sorted(pages_with_word) == sorted([scan_page, photo_page])

    # Where the word is: the scan's picture fills its page, turned by /Rotate 90 (shown
    # landscape, its top to the right) and skewed 3 degrees by the scanner.
    x, y = _word_centre_on_page()
    px, py = _turned(x * 300 / 72, y * 300 / 72, (2550, 3300), 3.0)
    ux, uy = px * 72 / 300, py * 72 / 300  # on the unturned page, from its top left
    expected = (792 - uy, ux)  # turned a quarter clockwise for showing
    [(_, found_x, found_y)] = [b for b in _boxes(packet, scan_page) if b[0] == WORD]
    assert abs(found_x - expected[0]) < 10 and abs(found_y - expected[1]) < 10

    # The photo is shown upright in the box the packet gives it.
    from app.export.picture_pages import picture_pages

    [shown] = list(picture_pages(lambda: io.BytesIO(photo), "image/jpeg"))
    left, bottom, width, height = shown.box
    fx, fy = (x * 200 / 72) / upright.width, (y * 200 / 72) / upright.height
    expected = (left + fx * width, 792 - (bottom + height - fy * height))
    [(_, found_x, found_y)] = [b for b in _boxes(packet, photo_page) if b[0] == WORD]
    assert abs(found_x - expected[0]) < 10 and abs(found_y - expected[1]) < 10

    # The pictures are the originals' own bytes, not a copy redrawn.
    with pikepdf.open(io.BytesIO(scan)) as original, pikepdf.open(packet) as made:
        assert _images(made, scan_page - 1) == _images(original, 0)
        assert _images(made, photo_page - 1) == [photo]
    files = read_folder(result.target)
    originals = [name for name in files if name.startswith("records/")]
    assert sorted(files[name] for name in originals) == sorted([scan, photo])


def test_the_contents_say_which_pages_a_machine_read(binder: Binder, tmp_path: Path) -> None:
    from app.ingest import ocr

    need(ocr.available(), "tesseract is not installed (Debian: tesseract-ocr)")
    need(shutil.which("pdftotext") is not None, "pdftotext is missing (Debian: poppler-utils)")
    _import(binder, _scanned_pdf(skew=0.0, rotate=0), "scan0002.pdf", "Pathology, scanned")
    result = build_bundle(binder, ADA, tmp_path / "bundle", BundleOptions(folder=True))
    packet = result.target / "Records packet.pdf"
    contents = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", str(packet), "-"], capture_output=True, text=True
    ).stdout
    contents = " ".join(contents.split())
    start = result.entries[0].start
    assert f"Text read by machine (may hold errors): page {start}" in contents
    assert "may hold errors" in contents.split("Page Date")[0]  # explained above the table


@pytest.mark.parametrize("planted", ["removed", "emptied"])
def test_verify_says_when_a_scanned_page_lost_its_text_layer(
    binder: Binder, tmp_path: Path, planted: str
) -> None:
    """The guard: a packet whose scanned page has no text layer any more is refused."""
    import hashlib

    import pikepdf

    from app.ingest import ocr

    need(ocr.available(), "tesseract is not installed (Debian: tesseract-ocr)")
    _import(binder, _scanned_pdf(skew=0.0, rotate=0), "scan0003.pdf", "Pathology, scanned")
    result = build_bundle(binder, ADA, tmp_path / "bundle", BundleOptions(folder=True))
    assert verify(result.target).ok
    packet = result.target / "Records packet.pdf"
    page_number = result.entries[0].start
    with pikepdf.open(packet, allow_overwriting_input=True) as pdf:
        page = pdf.pages[page_number - 1]
        contents = list(page.obj.Contents)
        if planted == "removed":
            page.obj.Contents = pikepdf.Array(contents[1:])  # the layer is the first stream
        else:
            contents[0].write(b"BT 3 Tr ET")
        pdf.save(packet)
    sums = result.target / "SHA256SUMS"
    digest = hashlib.sha256(packet.read_bytes()).hexdigest()
    sums.write_text(
        "".join(
            f"{digest}  {line.split('  ', 1)[1]}\n" if line.endswith(packet.name) else line + "\n"
            for line in sums.read_text().splitlines()
        )
    )
    report = verify(result.target)
    assert not report.ok
    assert f"page {page_number} is a scanned page" in str(report.problem)
