"""Importing files a patient really has: types by content, PDF text, passwords, thumbnails,
structured records, OCR of scans, and every kind of bad input ending `ok` or `refused`."""

from __future__ import annotations

import io
import os
import struct
import threading
import zlib
from pathlib import Path

import pytest

from app.ingest import sniff
from app.ingest.extract import Options, extract
from app.ingest.kinds import DocumentKind
from app.ingest.refusal import Refused
from app.records.documents import read_original
from app.records.importer import Outcome, import_file, import_paths
from app.records.search import search
from tests.conftest import need
from tests.fixtures import make_encrypted_pdf, make_pdf

NO_OCR = Options(ocr=False)


def person(binder: object) -> int:
    return int(binder.db.execute("SELECT id FROM people").fetchone()[0])  # type: ignore[attr-defined]


def thumbnail_of(binder: object, doc_id: int) -> bytes | None:
    row = binder.db.execute(  # type: ignore[attr-defined]
        "SELECT image FROM document_thumbnails WHERE document_id = ?", [doc_id]
    ).fetchone()
    return row[0] if row else None


def png(width: int, height: int, gray: int = 255) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("L", (width, height), gray).save(out, "PNG")
    return out.getvalue()


def jpeg() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (300, 400), (200, 180, 160)).save(out, "JPEG")
    return out.getvalue()


# ---- type by content ------------------------------------------------------------------------


def test_the_real_type_comes_from_the_content_not_the_name() -> None:
    assert sniff.sniff(make_pdf(None, "hello")) == sniff.PDF
    assert sniff.sniff(jpeg()) == sniff.JPEG
    assert sniff.sniff(png(10, 10)) == sniff.PNG
    assert sniff.sniff(b"II*\x00" + b"\x00" * 20) == sniff.TIFF
    assert sniff.sniff(b"\x00\x00\x00\x18ftypheic" + b"\x00" * 20) == sniff.HEIC
    assert sniff.sniff(b"Plain words, nothing more.\n") == sniff.TEXT
    assert sniff.sniff(b'<?xml version="1.0"?>\n<ClinicalDocument xmlns="urn:hl7-org:v3"/>') == (
        sniff.CDA
    )
    assert sniff.sniff(b'{"resourceType": "Bundle", "type": "collection"}') == sniff.FHIR_JSON
    ndjson = b'{"resourceType":"Condition","id":"1"}\n{"resourceType":"Condition","id":"2"}\n'
    assert sniff.sniff(ndjson) == sniff.FHIR_NDJSON
    assert sniff.sniff(b"MY HEALTHEVET PERSONAL INFORMATION REPORT\nBlue Button (v12)\n") == (
        sniff.BLUE_BUTTON
    )


def test_a_docx_is_read_as_words(tmp_path: Path) -> None:
    import zipfile

    body = (
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>Dear Dr. Rivera, thank you for the referral.</w:t></w:r></w:p>"
        "</w:body></w:document>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", body)
    facts = extract(out.getvalue(), "letter.docx")
    assert facts.media_type == sniff.DOCX
    assert "thank you for the referral" in facts.text
    assert facts.kind is DocumentKind.CONSULT_LETTER


def test_a_pdf_named_jpg_and_a_jpeg_named_pdf_are_taken_for_what_they_are(
    binder: object, tmp_path: Path
) -> None:
    fake_jpg = tmp_path / "report.jpg"
    make_pdf(fake_jpg, "SURGICAL PATHOLOGY REPORT", "FINAL DIAGNOSIS: benign.")
    fake_pdf = tmp_path / "photo.pdf"
    fake_pdf.write_bytes(jpeg())
    results = import_paths(binder, person(binder), [tmp_path], options=NO_OCR)  # type: ignore[arg-type]
    by_name = {Path(r.path).name: r for r in results}
    assert by_name["report.jpg"].status is Outcome.OK
    assert by_name["report.jpg"].document.media_type == sniff.PDF  # type: ignore[union-attr]
    assert by_name["report.jpg"].document.kind is DocumentKind.PATHOLOGY  # type: ignore[union-attr]
    assert by_name["photo.pdf"].status is Outcome.OK
    assert by_name["photo.pdf"].document.media_type == sniff.JPEG  # type: ignore[union-attr]


# ---- PDFs -------------------------------------------------------------------------------------


def test_a_text_pdf_gets_its_facts_and_a_png_thumbnail(binder: object, tmp_path: Path) -> None:
    path = tmp_path / "scan0001.pdf"
    make_pdf(
        path,
        "Mercy General Hospital\nSURGICAL PATHOLOGY REPORT\nDate of service: 03/14/2024\n"
        "FINAL DIAGNOSIS: invasive ductal carcinoma, grade 2.\nGROSS DESCRIPTION: received fresh"
        "\nElectronically signed by: Maria Lopez, MD",
        "Second page: margins negative.",
    )
    result = import_file(binder, person(binder), path)  # type: ignore[arg-type]
    assert result.status is Outcome.OK, result.reason
    doc = result.document
    assert doc is not None
    assert doc.kind is DocumentKind.PATHOLOGY
    assert doc.date == "2024-03-14"
    assert doc.pages == 2
    assert doc.facility == "Mercy General Hospital"
    assert doc.author.startswith("Maria Lopez")
    # "scan0001" says nothing: the report's heading names it (no specimen line here).
    assert doc.title == "Surgical pathology report"
    thumb = thumbnail_of(binder, doc.id)
    assert thumb is not None and thumb.startswith(b"\x89PNG")
    from PIL import Image

    assert Image.open(io.BytesIO(thumb)).width == 200
    assert [h.document.id for h in search(binder, "ductal")] == [doc.id]  # type: ignore[arg-type]


def test_an_encrypted_pdf_needs_its_password(binder: object, tmp_path: Path) -> None:
    path = tmp_path / "locked.pdf"
    make_encrypted_pdf(path, "Lumpectomy specimen", "s3cret")
    pid = person(binder)
    without = import_file(binder, pid, path)  # type: ignore[arg-type]
    assert without.status is Outcome.REFUSED
    assert "protected by a password" in (without.reason or "")
    wrong = import_file(binder, pid, path, pdf_password="nope")  # type: ignore[arg-type]
    assert wrong.status is Outcome.REFUSED
    assert "password was not accepted" in (wrong.reason or "")
    assert binder.db.execute("SELECT count(*) FROM documents").fetchone()[0] == 0  # type: ignore[attr-defined]
    right = import_file(binder, pid, path, pdf_password="s3cret")  # type: ignore[arg-type]
    assert right.status is Outcome.OK
    assert search(binder, "Lumpectomy")  # type: ignore[arg-type]


def test_a_pdf_that_takes_too_long_is_refused_and_the_next_one_still_reads(tmp_path: Path) -> None:
    from app.ingest.pdf_text import read_pdf

    data = make_pdf(None, *(f"page {i}" for i in range(200)))
    with pytest.raises(Refused, match="too long"):
        read_pdf(data, timeout=0.001)
    assert read_pdf(make_pdf(None, "still fine")).text.strip() == "still fine"


# ---- structured records -----------------------------------------------------------------------


def test_a_ccda_keeps_its_original_and_its_narrative_is_searchable(
    binder: object, corpus: Path
) -> None:
    path = corpus / "ccda/hl7-c-cda-examples/Documents/Operative Note/Operative_Note.xml"
    result = import_file(binder, person(binder), path)  # type: ignore[arg-type]
    assert result.status is Outcome.OK
    doc = result.document
    assert doc is not None and doc.kind is DocumentKind.OPERATIVE
    assert doc.media_type == sniff.CDA
    assert read_original(binder, doc.id) == path.read_bytes()  # type: ignore[arg-type]
    assert doc.date == "2012-09-09"
    assert search(binder, "operative")  # type: ignore[arg-type]


def test_fhir_notes_are_searchable(binder: object, corpus: Path) -> None:
    import base64
    import json

    note = "Patient tolerated paclitaxel well; neuropathy grade 1."
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {
                "resource": {
                    "resourceType": "DocumentReference",
                    "type": {"coding": [{"system": "http://loinc.org", "code": "11506-3"}]},
                    "date": "2023-05-02T10:00:00Z",
                    "content": [
                        {
                            "attachment": {
                                "contentType": "text/plain",
                                "data": base64.b64encode(note.encode()).decode(),
                            }
                        }
                    ],
                }
            }
        ],
    }
    facts = extract(json.dumps(bundle).encode(), "export.json")
    assert facts.media_type == sniff.FHIR_JSON
    assert "neuropathy" in facts.text
    assert facts.kind is DocumentKind.CONSULT_LETTER
    assert facts.date == "2023-05-02"
    ndjson = corpus / "fhir/synthea-bulk-10-patients/MedicationRequest.000.ndjson"
    meds = extract(ndjson.read_bytes(), ndjson.name)
    assert meds.kind is DocumentKind.MEDICATION_LIST
    assert meds.text_status == "text"


# ---- OCR ----------------------------------------------------------------------------------------


def test_a_word_only_in_a_scan_is_found_after_import(
    binder: object, corpus: Path, temp_root: Path
) -> None:
    from app.ingest import ocr

    need(ocr.available(), "tesseract is not installed (Debian: tesseract-ocr)")
    scan = corpus / "scans/ocrmypdf-test-resources/linn.pdf"
    seen: list[str] = []
    result = import_paths(
        binder,  # type: ignore[arg-type]
        person(binder),
        [scan],
        progress=lambda done, total, what: seen.append(what),
    )[0]
    assert result.status is Outcome.OK, result.reason
    assert result.document is not None and result.document.text_status.value == "text"
    hits = search(binder, "LinnSequencer")  # type: ignore[arg-type]
    assert [h.document.id for h in hits] == [result.document.id]
    assert any("reading page 1 of 1" in what for what in seen)
    # Neither tesseract nor the sandbox left the page's words anywhere in the temp dir.
    for path in temp_root.rglob("*"):
        if path.is_file():
            assert b"LinnSequencer" not in path.read_bytes(), path


def test_without_tesseract_a_scan_is_kept_as_not_searchable_yet(
    binder: object, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CAREBINDER_TESSERACT", "")
    scan = corpus / "scans/ocrmypdf-test-resources/linn.png"
    result = import_file(binder, person(binder), scan)  # type: ignore[arg-type]
    assert result.status is Outcome.OK
    assert result.document is not None
    assert result.document.text_status.value == "needs_ocr"
    assert thumbnail_of(binder, result.document.id) is not None


def test_cancel_during_ocr_stores_nothing_and_keeps_what_finished(
    binder: object, corpus: Path, tmp_path: Path
) -> None:
    from app.ingest import ocr
    from app.progress import CancelFlag

    need(ocr.available(), "tesseract is not installed (Debian: tesseract-ocr)")
    first = tmp_path / "a-letter.pdf"
    make_pdf(first, "Dear Dr. Chen, thank you for the referral.")
    second = tmp_path / "b-scan.png"
    second.write_bytes((corpus / "scans/ocrmypdf-test-resources/linn.png").read_bytes())
    cancel = CancelFlag()

    def progress(done: int, total: int, what: str) -> None:
        if "reading page" in what:
            cancel.cancel()

    results = import_paths(
        binder,
        person(binder),
        [tmp_path],
        progress=progress,
        cancel=cancel,  # type: ignore[arg-type]
    )
    assert [Path(r.path).name for r in results] == ["a-letter.pdf"]
    assert binder.db.execute("SELECT count(*) FROM documents").fetchone()[0] == 1  # type: ignore[attr-defined]
    assert binder.check().ok  # type: ignore[attr-defined]


# ---- bad input ------------------------------------------------------------------------------


def refused(binder: object, path: Path) -> str:
    result = import_file(binder, person(binder), path, options=NO_OCR)  # type: ignore[arg-type]
    assert result.status is Outcome.REFUSED, result
    assert result.reason
    return result.reason


def test_an_empty_file_is_refused(binder: object, tmp_path: Path) -> None:
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    assert "empty" in refused(binder, path)


def test_a_truncated_pdf_is_refused_or_read_whole(binder: object, tmp_path: Path) -> None:
    data = make_pdf(None, "A " * 500, "B " * 500)
    path = tmp_path / "truncated.pdf"
    path.write_bytes(data[: len(data) // 3])
    result = import_file(binder, person(binder), path, options=NO_OCR)  # type: ignore[arg-type]
    assert result.status in (Outcome.OK, Outcome.REFUSED)
    if result.status is Outcome.REFUSED:
        assert "PDF" in (result.reason or "")
    assert binder.check().ok  # type: ignore[attr-defined]


def test_a_pdf_with_a_broken_xref_is_still_read(binder: object, tmp_path: Path) -> None:
    data = make_pdf(None, "Xref damaged but readable")
    start = data.rindex(b"startxref")
    path = tmp_path / "broken-xref.pdf"
    path.write_bytes(data[:start] + b"startxref\n999999\n%%EOF\n")
    result = import_file(binder, person(binder), path, options=NO_OCR)  # type: ignore[arg-type]
    assert result.status is Outcome.OK, result.reason
    assert search(binder, "damaged")  # type: ignore[arg-type]


def test_a_pdf_that_is_only_a_header_is_refused(binder: object, tmp_path: Path) -> None:
    path = tmp_path / "header.pdf"
    path.write_bytes(b"%PDF-1.7\n")
    assert "PDF" in refused(binder, path)


def test_a_pdf_with_javascript_and_an_attachment_is_stored_and_nothing_runs(
    binder: object, tmp_path: Path
) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(612, 792)
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    action = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert('hello'); this.exportDataObject({});"),
        }
    )
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    writer.add_attachment("notes.txt", b"attached words")
    out = io.BytesIO()
    writer.write(out)
    path = tmp_path / "active.pdf"
    path.write_bytes(out.getvalue())
    facts = extract(out.getvalue(), path.name, options=NO_OCR)
    assert any("JavaScript" in note for note in facts.notes)
    result = import_file(binder, person(binder), path, options=NO_OCR)  # type: ignore[arg-type]
    assert result.status is Outcome.OK
    assert read_original(binder, result.document.id) == out.getvalue()  # type: ignore[arg-type, union-attr]


def _png_file(width: int, height: int, pixels: bytes) -> bytes:
    """A greyscale PNG declaring `width` x `height`, with `pixels` as its compressed body."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + body))
        return struct.pack(">I", len(body)) + kind + body + crc

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    signature = b"\x89PNG\r\n\x1a\n"
    return signature + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def _huge_png(width: int, height: int) -> bytes:
    """A valid PNG header declaring a huge image, with a tiny (truncated) body."""
    return _png_file(width, height, zlib.compress(b"\x00" + b"\xff" * 1000))


def test_a_35000_pixel_square_scan_is_refused_without_using_gigabytes(
    binder: object, tmp_path: Path
) -> None:
    path = tmp_path / "huge-scan.png"
    path.write_bytes(_huge_png(35_000, 35_000))
    assert "too large" in refused(binder, path)


def test_a_text_file_in_an_unknown_encoding_is_imported(binder: object, tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes("Résumé: pathologie du côlon, généralement bénigne.".encode("cp1252"))
    result = import_file(binder, person(binder), path)  # type: ignore[arg-type]
    assert result.status is Outcome.OK
    assert search(binder, "pathologie")  # type: ignore[arg-type]


def test_a_file_that_vanishes_is_refused(binder: object, tmp_path: Path) -> None:
    path = tmp_path / "gone.pdf"
    assert "disappeared" in refused(binder, path) or "no file" in refused(binder, path)


def test_a_file_that_changes_while_imported_is_stored_whole_or_refused(
    binder: object, tmp_path: Path
) -> None:
    path = tmp_path / "changing.pdf"
    versions = [make_pdf(None, f"version {i} " * 50) for i in range(2)]
    path.write_bytes(versions[0])
    stop = threading.Event()

    def rewrite() -> None:
        i = 0
        while not stop.is_set():
            path.write_bytes(versions[i % 2][: len(versions[i % 2]) // (1 + i % 3)])
            i += 1

    writer = threading.Thread(target=rewrite)
    writer.start()
    try:
        results = [import_file(binder, person(binder), path, options=NO_OCR) for _ in range(5)]  # type: ignore[arg-type]
    finally:
        stop.set()
        writer.join()
    for result in results:
        assert result.status in (Outcome.OK, Outcome.DUPLICATE, Outcome.REFUSED)
        if result.status is Outcome.OK:
            import hashlib

            stored = read_original(binder, result.document.id)  # type: ignore[arg-type, union-attr]
            assert hashlib.sha256(stored).hexdigest() == result.document.sha256  # type: ignore[union-attr]
    assert binder.check().ok  # type: ignore[attr-defined]


def test_a_path_with_non_utf8_bytes_is_imported(binder: object, tmp_path: Path) -> None:
    folder = os.fsencode(tmp_path) + b"/r\xe9sultats"
    os.mkdir(folder)
    with open(folder + b"/biopsie-\xe9t\xe9.txt", "wb") as handle:
        handle.write(b"FINAL DIAGNOSIS: benign nevus.")
    results = import_paths(binder, person(binder), [Path(os.fsdecode(folder))])  # type: ignore[arg-type]
    assert [r.status for r in results] == [Outcome.OK]
    assert "sultats" in results[0].path  # shown with a replacement character, not a crash


def test_a_symlink_loop_in_a_folder_ends(binder: object, tmp_path: Path) -> None:
    folder = tmp_path / "records"
    folder.mkdir()
    make_pdf(folder / "letter.pdf", "Dear Dr. Okafor,")
    (folder / "loop").symlink_to(folder, target_is_directory=True)
    (folder / "self-link").symlink_to(folder / "self-link")
    results = import_paths(binder, person(binder), [folder], options=NO_OCR)  # type: ignore[arg-type]
    statuses = {Path(r.path).name: r.status for r in results}
    assert statuses["letter.pdf"] is Outcome.OK
    assert statuses.get("self-link", Outcome.REFUSED) is Outcome.REFUSED
    assert binder.check().ok  # type: ignore[attr-defined]


def _white_png(width: int, height: int) -> bytes:
    """A real, complete PNG of a blank page, small on disk but `width * height` bytes decoded."""
    packer = zlib.compressobj(9)
    row = b"\x00" + b"\xff" * width
    body = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    return _png_file(width, height, body)


def test_a_parser_that_outgrows_the_memory_limit_is_stopped_and_the_app_goes_on() -> None:
    import sys

    from app.ingest.images import read_image
    from app.ingest.sandbox import Sandbox

    if not sys.platform.startswith("linux"):
        pytest.skip("the address-space limit is enforced on Linux")
    box = Sandbox(memory_limit=300 << 20)
    try:
        with pytest.raises(Refused, match="more memory"):
            read_image(_white_png(12_000, 12_000), sandbox=box)  # 432 MB once decoded as RGB
        assert read_image(png(50, 50), sandbox=box).frames == 1
    finally:
        box.close()


def test_phone_photos_and_multi_page_tiffs_get_pages_and_thumbnails() -> None:
    from PIL import Image

    pillow_heif = pytest.importorskip("pillow_heif")
    pillow_heif.register_heif_opener()
    out = io.BytesIO()
    Image.new("RGB", (320, 240), (10, 120, 200)).save(out, "HEIF")
    photo = extract(out.getvalue(), "IMG_2034.HEIC", options=NO_OCR)
    assert photo.media_type == sniff.HEIC
    assert photo.text_status == "needs_ocr"
    assert photo.thumbnail is not None and photo.thumbnail.startswith(b"\x89PNG")
    pages = [Image.new("L", (200, 100), 255) for _ in range(3)]
    out = io.BytesIO()
    pages[0].save(out, "TIFF", save_all=True, append_images=pages[1:])
    tiff = extract(out.getvalue(), "fax.pdf", options=NO_OCR)  # a TIFF, whatever its name
    assert (tiff.media_type, tiff.pages) == (sniff.TIFF, 3)


def test_make_searchable_reads_a_scan_later_and_keeps_the_users_corrections(
    binder: object, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.ingest import ocr
    from app.records.documents import update_document
    from app.records.importer import make_searchable

    need(ocr.available(), "tesseract is not installed (Debian: tesseract-ocr)")
    monkeypatch.setenv("CAREBINDER_TESSERACT", "")
    scan = corpus / "scans/ocrmypdf-test-resources/linn.png"
    doc = import_file(binder, person(binder), scan).document  # type: ignore[arg-type]
    assert doc is not None and doc.text_status.value == "needs_ocr"
    assert not search(binder, "LinnSequencer")  # type: ignore[arg-type]
    update_document(binder, doc.id, kind="insurance", date="2020-02-02")  # type: ignore[arg-type]
    monkeypatch.delenv("CAREBINDER_TESSERACT")
    again = make_searchable(binder, doc.id)  # type: ignore[arg-type]
    assert again.text_status.value == "text"
    assert (again.kind, again.date) == (DocumentKind.INSURANCE, "2020-02-02")
    assert [h.document.id for h in search(binder, "LinnSequencer")] == [doc.id]  # type: ignore[arg-type]


def test_a_report_named_like_a_scan_is_titled_from_its_heading(
    binder: object, tmp_path: Path
) -> None:
    pathology = tmp_path / "scan_0012.pdf"
    make_pdf(
        pathology,
        "SURGICAL PATHOLOGY REPORT\nFINAL DIAGNOSIS:\nA. Left breast, core biopsy:\n"
        "Invasive ductal carcinoma, Nottingham grade 2.\nB. Lymph node, left axillary, "
        "sentinel biopsy: one lymph node, negative for carcinoma (0/1).",
    )
    imaging = tmp_path / "IMG_2031.pdf"
    make_pdf(
        imaging,
        "EXAM: CT chest with contrast\nINDICATION: staging.\nTECHNIQUE: Axial images after "
        "IV contrast.\nFINDINGS: No pulmonary nodules.\nIMPRESSION: No metastatic disease.",
    )
    titled = tmp_path / "breast biopsy from Dr Chen.pdf"
    make_pdf(titled, "SURGICAL PATHOLOGY REPORT\nFINAL DIAGNOSIS: A. Left breast: benign.")
    found = {
        path.name: import_file(binder, person(binder), path).document  # type: ignore[arg-type]
        for path in (pathology, imaging, titled)
    }
    titles = {name: doc.title for name, doc in found.items() if doc is not None}
    assert titles == {
        "scan_0012.pdf": "Surgical pathology report: left breast, core biopsy",
        "IMG_2031.pdf": "CT chest with contrast",
        "breast biopsy from Dr Chen.pdf": "breast biopsy from Dr Chen",  # the name says it
    }


def test_a_scan_read_later_gets_its_title_from_the_text(
    binder: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pypdfium2 as pdfium

    from app.ingest import ocr
    from app.records.importer import make_searchable

    need(ocr.available(), "tesseract is not installed (Debian: tesseract-ocr)")
    # A scan: the report drawn to an image, the image alone in a PDF (no text layer).
    typed = tmp_path / "typed.pdf"
    make_pdf(
        typed, "DISCHARGE SUMMARY\nDATE OF ADMISSION: 04/02/2024\nHOSPITAL COURSE: uneventful."
    )
    page = pdfium.PdfDocument(typed.read_bytes())[0]
    image = page.render(scale=300 / 72).to_pil().convert("L")
    scan = tmp_path / "scan_0012.pdf"
    image.save(scan, "PDF", resolution=300)
    monkeypatch.setenv("CAREBINDER_TESSERACT", "")
    doc = import_file(binder, person(binder), scan).document  # type: ignore[arg-type]
    assert doc is not None and doc.text_status.value == "needs_ocr"
    assert doc.title != "Discharge summary"  # nothing read yet
    monkeypatch.delenv("CAREBINDER_TESSERACT")
    again = make_searchable(binder, doc.id)  # type: ignore[arg-type]
    assert again.title == "Discharge summary"
