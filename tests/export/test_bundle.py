"""The bundle built in-process from a real binder: what goes in, what is left out and why,
and that a failed or cancelled export leaves nothing under the final name."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from app.export.bundle import BundleError, BundleOptions, NothingToExport, build_bundle
from app.export.contents import Inclusion
from app.export.verify import verify
from app.ingest.extract import Extracted
from app.progress import CancelFlag, Cancelled
from app.records.documents import add_document, update_document
from app.records.importer import Outcome, import_bytes
from app.records.models import DocumentKind
from app.vault.binder import Binder
from tests.export.bundle_checks import (
    check_sums,
    packet_shape,
    pdf_pages,
    pdf_text,
    read_folder,
    unzip,
    validate_fhir,
)
from tests.fixtures import make_encrypted_pdf, make_pdf, small_disk

ADA = 1


def _add(binder: Binder, name: str, *pages: str, title: str = "", date: str = "") -> int:
    result = import_bytes(binder, ADA, make_pdf(None, *pages), name)
    assert result.status is Outcome.OK and result.document is not None, result.reason
    changes = {k: v for k, v in (("title", title), ("date", date)) if v}
    if changes:
        update_document(binder, result.document.id, **changes)
    return result.document.id


def test_a_person_with_no_diagnosis_and_no_medicines_is_told_so_plainly(
    binder: Binder, tmp_path: Path
) -> None:
    _add(binder, "letter.pdf", "Dear colleague, thank you.", title="Letter", date="2025-01-02")
    result = build_bundle(binder, ADA, tmp_path / "b.zip")
    files = unzip(result.target)
    check_sums(files)
    summary = " ".join(pdf_text(files["Summary.pdf"]).split())
    assert "No diagnosis or stage has been recorded" in summary
    assert "No current medications are recorded" in summary
    assert "Medication history" in pdf_text(files["Medications.pdf"])
    assert "No medications are recorded" in " ".join(pdf_text(files["Medications.pdf"]).split())
    fhir = validate_fhir(files["patient-summary.json"])
    codes = {
        coding["code"]
        for entry in fhir["entry"]
        for key in ("code", "medicationCodeableConcept")
        for coding in entry["resource"].get(key, {}).get("coding", [])
    }
    assert {"no-problem-info", "no-medication-info", "no-allergy-info"} <= codes


def test_recorded_allergies_and_conditions_reach_the_summary_and_the_fhir_file(
    binder: Binder, tmp_path: Path
) -> None:
    from app.records.allergies import add_allergy
    from app.records.conditions import add_condition

    _add(binder, "letter.pdf", "Dear colleague, thank you.", title="Letter", date="2025-01-02")
    add_allergy(binder, ADA, "Penicillin", reaction="Hives", severity="moderate")
    add_condition(binder, ADA, "Type 2 diabetes", onset="2015-06", status="active")
    add_condition(binder, ADA, "Appendicitis", onset="1990", status="resolved")
    files = unzip(build_bundle(binder, ADA, tmp_path / "b.zip").target)
    summary = " ".join(pdf_text(files["Summary.pdf"]).split())
    assert "Penicillin" in summary and "Hives" in summary
    assert "None recorded in this binder" not in summary
    assert "Type 2 diabetes (since Jun 2015)" in summary
    assert "Appendicitis" not in summary  # resolved long ago: not a current problem
    fhir = validate_fhir(files["patient-summary.json"])
    texts = {
        entry["resource"]["resourceType"]: entry["resource"].get("code", {}).get("text")
        for entry in fhir["entry"]
        if entry["resource"]["resourceType"] in ("AllergyIntolerance",)
    }
    assert texts == {"AllergyIntolerance": "Penicillin"}


@pytest.mark.breaks_binder  # it damages a stored file on purpose
def test_a_damaged_original_is_left_out_and_named_in_the_summary(
    binder: Binder, data_dir: Path, tmp_path: Path
) -> None:
    from app.records.documents import get_document

    _add(binder, "a.pdf", "first page", "second page", title="Good report", date="2025-01-01")
    bad = _add(binder, "b.pdf", "will be damaged", title="Damaged report", date="2025-02-01")
    stored = data_dir / "files" / get_document(binder, bad).file_name
    raw = bytearray(stored.read_bytes())
    raw[40] ^= 0xFF
    stored.write_bytes(bytes(raw))

    result = build_bundle(binder, ADA, tmp_path / "b.zip")
    files = unzip(result.target)
    check_sums(files)
    pages, marks = packet_shape(files["Records packet.pdf"])
    assert pages == 1 + 2 and [title for title, _ in marks] == ["2025-01-01 · Good report"]
    assert [e.inclusion for e in result.entries] == [Inclusion.PACKET, Inclusion.MISSING]
    assert "Damaged report" in pdf_text(files["Summary.pdf"])
    assert "could not be included" in " ".join(pdf_text(files["Summary.pdf"]).split())
    assert not any("Damaged" in name for name in files)
    assert verify(result.target).ok


def test_an_encrypted_pdf_is_provided_separately_byte_for_byte(
    binder: Binder, tmp_path: Path
) -> None:
    _add(binder, "plain.pdf", "plain words", title="Plain", date="2025-01-01")
    locked = make_encrypted_pdf(tmp_path / "locked.pdf", "secret words", "pw")
    result = import_bytes(binder, ADA, locked, "locked.pdf", pdf_password="pw")
    assert result.status is Outcome.OK, result.reason

    bundle = build_bundle(binder, ADA, tmp_path / "out")
    files = read_folder(bundle.target)
    check_sums(files)
    entry = next(e for e in bundle.entries if e.inclusion is not Inclusion.PACKET)
    assert entry.inclusion is Inclusion.SEPARATE and "password" in entry.note
    assert files[entry.path] == locked
    assert "provided separately" in " ".join(pdf_text(files["Summary.pdf"]).split())
    assert packet_shape(files["Records packet.pdf"])[0] == 2


def test_odd_titles_and_twins_get_distinct_names_safe_everywhere(
    binder: Binder, tmp_path: Path
) -> None:
    titles = [
        "Scan 1/2: left..right",
        "../../etc/passwd",
        "Résumé 🎗️ of care",
        "CON",
        "x" * 200,
        "Same title",
        "Same title",
        "same TITLE",
    ]
    for number, title in enumerate(titles):
        _add(binder, f"{number}.pdf", f"page of record {number}", title=title, date="2025-03-04")
    result = build_bundle(binder, ADA, tmp_path / "b.zip")
    names = [e.path for e in result.entries]
    assert len({n.casefold() for n in names}) == len(titles)
    for name in names:
        parts = name.split("/")
        assert parts[0] == "records" and len(parts) == 3, name
        assert not any(c in parts[2] for c in '<>:"\\|?*'), name
        assert ".." not in name and len(name.encode()) < 160, name
        assert parts[2].split(".")[0].upper() not in ("CON", "PRN", "AUX", "NUL")
    files = unzip(result.target)
    check_sums(files)
    out = tmp_path / "unzipped"
    with zipfile.ZipFile(result.target) as archive:
        archive.extractall(out)
    assert sorted(p.name for p in (out / "records" / "Other").iterdir()) == sorted(
        n.split("/")[-1] for n in names
    )
    assert "Résumé of care" in " ".join(names)
    pages, marks = packet_shape(files["Records packet.pdf"])
    assert pages == 1 + len(titles) and len(marks) == len(titles)


def test_an_empty_selection_says_what_to_change(binder: Binder, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(NothingToExport, match="no records yet"):
        build_bundle(binder, ADA, out / "b.zip")
    _add(binder, "a.pdf", "x", title="Old", date="2019-01-01")
    with pytest.raises(NothingToExport, match="No record matches"):
        build_bundle(binder, ADA, out / "b.zip", BundleOptions(since="2024"))
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("name", ["b.zip", "b-folder"])
def test_a_stick_pulled_out_mid_way_leaves_nothing_under_the_final_name(
    binder: Binder, tmp_path: Path, name: str
) -> None:
    _add(binder, "a.pdf", "x", title="One", date="2025-01-01")
    stick = tmp_path / "stick"
    stick.mkdir()

    def pull(done: int, total: int, what: str) -> None:
        if what == "Summary.pdf":
            shutil.rmtree(stick)

    with pytest.raises(BundleError, match="removed"):
        build_bundle(binder, ADA, stick / name, progress=pull)
    assert not (stick / name).exists()


def test_a_place_that_cannot_be_written_is_said_plainly(binder: Binder) -> None:
    # /proc refuses new files even to root, unlike a folder without write permission.
    _add(binder, "a.pdf", "x", title="One", date="2025-01-01")
    with pytest.raises(BundleError) as refused:
        build_bundle(binder, ADA, Path("/proc/carebinder-bundle.zip"))
    assert "/proc" in str(refused.value)
    assert not Path("/proc/carebinder-bundle.zip").exists()


def test_a_cancelled_export_leaves_nothing_behind(binder: Binder, tmp_path: Path) -> None:
    _add(binder, "a.pdf", "x", title="One", date="2025-01-01")
    _add(binder, "b.pdf", "y", title="Two", date="2025-01-02")
    cancel = CancelFlag()

    def stop(done: int, total: int, what: str) -> None:
        if what.startswith("records/"):
            cancel.cancel()

    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(Cancelled):
        build_bundle(binder, ADA, out / "b.zip", progress=stop, cancel=cancel)
    assert list(out.iterdir()) == []


def test_a_cancel_while_the_packet_is_saved_leaves_nothing_behind(
    binder: Binder, tmp_path: Path
) -> None:
    _add(binder, "a.pdf", "x", title="One", date="2025-01-01")
    cancel = CancelFlag()
    seen: list[str] = []

    def stop(done: int, total: int, what: str) -> None:
        seen.append(what)
        if what.startswith("Records packet.pdf ("):  # qpdf is writing the packet
            cancel.cancel()

    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(Cancelled):
        build_bundle(binder, ADA, out / "b.zip", progress=stop, cancel=cancel)
    assert any(w.startswith("Records packet.pdf (") for w in seen)
    assert list(out.iterdir()) == []


def test_an_existing_target_is_never_replaced(binder: Binder, tmp_path: Path) -> None:
    _add(binder, "a.pdf", "x", title="One", date="2025-01-01")
    (tmp_path / "b.zip").write_bytes(b"mine")
    with pytest.raises(BundleError, match="already exists"):
        build_bundle(binder, ADA, tmp_path / "b.zip")
    assert (tmp_path / "b.zip").read_bytes() == b"mine"


def test_a_password_protected_bundle_opens_with_the_password_only(
    binder: Binder, tmp_path: Path
) -> None:
    import pyzipper

    _add(binder, "a.pdf", "x", "y", title="One", date="2025-01-01")
    result = build_bundle(binder, ADA, tmp_path / "b.zip", BundleOptions(password="open sesame"))
    with zipfile.ZipFile(result.target) as plain, pytest.raises(RuntimeError):
        plain.read("README.txt")
    with pyzipper.AESZipFile(result.target) as archive:
        archive.setpassword(b"open sesame")
        files = {name: archive.read(name) for name in archive.namelist()}
    check_sums(files)
    assert "password" in files["README.txt"].decode()
    assert pdf_pages(files["Records packet.pdf"]) == 3
    assert verify(result.target, "open sesame").ok
    assert not verify(result.target).ok


def test_verify_names_the_first_damaged_file(binder: Binder, tmp_path: Path) -> None:
    _add(binder, "a.pdf", "x", title="One", date="2025-01-01")
    result = build_bundle(binder, ADA, tmp_path / "out")
    assert verify(result.target).ok
    summary = result.target / "Summary.pdf"
    summary.write_bytes(summary.read_bytes() + b"\n")
    report = verify(result.target)
    assert not report.ok and "Summary.pdf" in (report.problem or "")


def test_kinds_and_a_start_date_choose_the_records(binder: Binder, tmp_path: Path) -> None:
    from app.records.models import DocumentKind

    old = _add(binder, "a.pdf", "old", title="Old biopsy", date="2019-05-01")
    new = _add(binder, "b.pdf", "new", title="New biopsy", date="2025-05-01")
    _add(binder, "c.pdf", "letter", title="Letter", date="2025-06-01")
    for doc_id in (old, new):
        update_document(binder, doc_id, kind="pathology")
    options = BundleOptions(kinds=[DocumentKind.PATHOLOGY], since="2020")
    result = build_bundle(binder, ADA, tmp_path / "b.zip", options)
    assert [e.document.id for e in result.entries] == [new]
    assert list(result.files) == [
        "README.txt",
        "Summary.pdf",
        "Records packet.pdf",
        "Medications.pdf",
        "Treatment summary.pdf",
        "Timeline.pdf",
        "Questions.pdf",
        "records/Pathology report/2025-05-01 New biopsy.pdf",
        "patient-summary.json",
        "appointments.ics",
        "SHA256SUMS",
    ]


def test_verify_notices_a_missing_original_even_with_its_checksum_line_gone(
    binder: Binder, tmp_path: Path
) -> None:
    _add(binder, "a.pdf", "x", title="One", date="2025-01-01")
    result = build_bundle(binder, ADA, tmp_path / "out")
    original = result.entries[0].path
    (result.target / original).unlink()
    sums = result.target / "SHA256SUMS"
    kept = [line for line in sums.read_text().splitlines() if not line.endswith(original)]
    sums.write_text("\n".join(kept) + "\n")
    report = verify(result.target)
    assert not report.ok and original in (report.problem or "")


def test_photos_are_upright_in_the_packet_whatever_their_exif_orientation(
    binder: Binder, tmp_path: Path
) -> None:
    """A phone photo stores its pixels sideways and says so in EXIF; the doctor must see it
    the way it was taken (the JPEG goes in untouched, turned by the drawing)."""
    import io

    import pypdfium2
    from PIL import Image, ImageDraw, ImageOps

    def photo(orientation: int) -> bytes:
        image = Image.new("RGB", (400, 300), "white")
        ImageDraw.Draw(image).rectangle([0, 0, 399, 60], fill="black")  # a bar along the top
        exif = Image.Exif()
        exif[0x0112] = orientation
        out = io.BytesIO()
        image.save(out, "JPEG", exif=exif.tobytes())
        return out.getvalue()

    for orientation in (1, 3, 6, 8):
        result = import_bytes(binder, ADA, photo(orientation), f"photo-{orientation}.jpg")
        assert result.document is not None
        update_document(binder, result.document.id, date=f"2025-01-0{orientation}")
    files = unzip(build_bundle(binder, ADA, tmp_path / "b.zip").target)
    pdf = pypdfium2.PdfDocument(files["Records packet.pdf"])
    for index, orientation in enumerate((1, 3, 6, 8), start=1):
        expected = ImageOps.exif_transpose(Image.open(io.BytesIO(photo(orientation))))
        shown = pdf[index].render(scale=0.5).to_pil().convert("L")
        # Where the dark bar is, as a fraction across and down the picture's own area.
        box = shown.point(lambda v: 255 if v < 60 else 0).getbbox()
        assert box is not None
        bar_tall = (box[3] - box[1]) > (box[2] - box[0])
        assert bar_tall == (expected.width < expected.height), orientation
        left_half = box[2] < shown.width / 2
        top_half = box[3] < shown.height / 2
        expected_box = expected.convert("L").point(lambda v: 255 if v < 60 else 0).getbbox()
        assert expected_box is not None
        assert left_half == (expected_box[2] < expected.width / 2), orientation
        assert top_half == (expected_box[3] < expected.height / 2), orientation


def _large_originals(binder: Binder) -> dict[str, bytes]:
    """A PDF and a scan of a few MB each: more than one piece of the store and the writer."""
    import io
    import os

    from PIL import Image

    pdf = make_pdf(None, "Imaging report") + b"\n%" + os.urandom(3 << 20)  # after %%EOF
    scan = io.BytesIO()
    Image.effect_noise((1800, 1800), 60).convert("RGB").save(scan, "JPEG", quality=95)
    originals = {"imaging.pdf": pdf, "scan.jpg": scan.getvalue()}
    for name, data in originals.items():
        assert len(data) > 1 << 20
        assert import_bytes(binder, ADA, data, name).document is not None
    return originals


@pytest.mark.parametrize("name", ["b.zip", "folder"])
def test_large_originals_arrive_byte_for_byte(binder: Binder, tmp_path: Path, name: str) -> None:
    originals = _large_originals(binder)
    result = build_bundle(binder, ADA, tmp_path / name)
    files = unzip(result.target) if name.endswith(".zip") else read_folder(result.target)
    check_sums(files)
    kept = {e.document.original_name: files[e.path] for e in result.entries}
    assert kept == originals
    assert verify(result.target).ok


@pytest.mark.parametrize("name", ["b.zip", "folder"])
def test_a_disk_too_small_for_the_bundle_says_so_and_keeps_nothing(
    binder: Binder, tmp_path: Path, name: str
) -> None:
    import io
    import os

    import pikepdf

    # A packet of 16 MB on a 2 MB disk: the disk fills while records are still being
    # written, well before the writer's thread has caught up.
    side = 1182  # 4 MB of pixels
    for number in range(4):
        scan = pikepdf.new()
        scan.add_blank_page()
        pixels = scan.make_stream(os.urandom(side * side * 3))
        pixels.Type, pixels.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
        pixels.ColorSpace = pikepdf.Name.DeviceRGB
        pixels.Width, pixels.Height, pixels.BitsPerComponent = side, side, 8
        page = scan.pages[0].obj
        page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=pixels))
        page.Contents = scan.make_stream(b"q 612 0 0 792 0 0 cm /Im0 Do Q")
        data = io.BytesIO()
        scan.save(data)
        # Straight into the binder: reading 16 MB of noise for words would take a minute.
        facts = Extracted("application/pdf", f"Scan {number}", 1, "", "none", DocumentKind.IMAGING)
        add_document(binder, ADA, binder.files.put(data.getvalue()), facts, f"scan-{number}.pdf")
    with small_disk(tmp_path / "stick", "2m") as stick:
        with pytest.raises(BundleError) as refused:
            build_bundle(binder, ADA, stick / name)
        assert "is full" in str(refused.value)
        assert "could not be added" not in str(refused.value), "the disk, not a record"
        assert list(stick.iterdir()) == []
