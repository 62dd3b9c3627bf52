"""From a file's bytes to the facts a document needs: real type, text (with OCR where a page
has no text layer), page count, first-page thumbnail, kind, date, facility, author, title.

Pure: no database. Risky parsing runs in the sandbox child (`app.ingest.sandbox`); OCR runs
`tesseract` through pipes. Anything that cannot be read raises `Refused` with a reason a
person understands; a cancel raises `app.progress.Cancelled` and nothing is returned.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import PurePath

from app.ingest import classify, ocr, sniff
from app.ingest.kinds import DocumentKind
from app.ingest.refusal import Refused
from app.progress import CancelFlag, Progress, no_progress

_THUMBNAILS = ThreadPoolExecutor(max_workers=1, thread_name_prefix="carebinder-thumbnail")
MAX_FILE_SIZE = 1 << 30  # 1 GiB: far above any record; keeps memory bounded
THUMBNAIL_TYPE = "image/png"


@dataclass(frozen=True)
class Extracted:
    media_type: str
    title: str
    pages: int | None
    text: str
    text_status: str  # a records.models.TextStatus value
    kind: DocumentKind
    date: str | None = None
    facility: str = ""
    author: str = ""
    thumbnail: bytes | None = None  # PNG of the first page, about 200 px wide
    kind_reason: str = ""  # why this kind, in words ("the text has “FINAL DIAGNOSIS” ...")
    notes: tuple[str, ...] = field(default=())  # things worth telling, e.g. attachments kept


@dataclass(frozen=True)
class Options:
    """How much work an import may do: OCR on or off, and at most how many pages."""

    ocr: bool = True
    max_ocr_pages: int | None = None


def title_from_name(name: str) -> str:
    """A readable title from a file name: "path_report-2024.pdf" -> "path report 2024"."""
    stem = PurePath(name).stem or name
    words = re.sub(r"[_\-.]+", " ", stem).split()
    return " ".join(words)[:200] or "Untitled document"


_FILLER = {
    "img",
    "image",
    "scan",
    "scanned",
    "doc",
    "document",
    "file",
    "page",
    "download",
    "pdf",
    "copy",
    "untitled",
    "dsc",
    "dcim",
    "photo",
    "pxl",
    "screenshot",
    "attachment",
}


def _name_says_little(title: str) -> bool:
    """True for names like "IMG 2034", "scan0001", "doc 83748373" or a UUID."""
    words = re.findall(r"[A-Za-z]{3,}", title)
    meaningful = [
        w for w in words if w.lower() not in _FILLER and not re.fullmatch(r"[A-Fa-f]+", w)
    ]
    return not meaningful


def choose_title(name: str, own_title: str, text: str, kind: DocumentKind) -> str:
    """The document's own title when it has one, else the file name when it says something,
    else a title from the report's own heading ("Surgical pathology report: left breast,
    core biopsy"), else the kind."""
    if own_title.strip():
        return " ".join(own_title.split())[:200]
    from_name = title_from_name(name)
    if not _name_says_little(from_name):
        return from_name
    from app.ingest.clinical import title_from_text

    heading = title_from_text(text, kind) if text.strip() else ""
    if heading:
        return heading[:200]
    return kind.label if kind is not DocumentKind.OTHER else from_name


def extract(
    data: bytes,
    name: str,
    pdf_password: str | None = None,
    *,
    options: Options | None = None,
    progress: Progress = no_progress,
    cancel: CancelFlag | None = None,
) -> Extracted:
    """What can be read from `data`; raises `Refused` with a reason when nothing can."""
    options = options or Options()
    if not data:
        raise Refused("The file is empty (0 bytes).")
    if len(data) > MAX_FILE_SIZE:
        raise Refused("The file is larger than 1 GB, too large to be a record.")
    media_type = sniff.sniff(data)
    if media_type == sniff.PDF:
        return _pdf(data, name, pdf_password, options, progress, cancel)
    if media_type in sniff.IMAGES:
        return _image(data, name, media_type, options, progress, cancel)
    if media_type == sniff.CDA:
        return _cda(data, name, pdf_password, options, progress, cancel)
    if media_type in (sniff.FHIR_JSON, sniff.FHIR_NDJSON):
        from app.ingest.structured import read_fhir

        found = read_fhir(data, ndjson=media_type == sniff.FHIR_NDJSON)
        return _finish(
            media_type, name, found.text, 1, kind=found.kind, own_title=found.title, day=found.date
        )
    if media_type == sniff.DOCX:
        from app.ingest.structured import read_docx

        return _finish(media_type, name, read_docx(data), None)
    if media_type in sniff.TEXTUAL:
        from app.ingest.text_file import decode_text

        text = decode_text(data)
        if media_type == sniff.XML:
            from app.ingest.structured import read_xml_text

            text = read_xml_text(data) or text
        if media_type == sniff.BLUE_BUTTON:
            # A whole health record (medications, labs, visits): no one kind fits.
            return _finish(
                media_type,
                name,
                text,
                1,
                kind=DocumentKind.OTHER,
                own_title="Blue Button health record"
                if _name_says_little(title_from_name(name))
                else "",
            )
        return _finish(media_type, name, text, 1)
    if media_type in sniff.AUDIO:
        # A recording of a visit: kept as it is; there is no text to read (no speech-to-text).
        return _finish(media_type, name, "", None, status="none", kind=DocumentKind.OTHER)
    if media_type == sniff.ZIP:
        raise Refused("This is a ZIP archive: unpack it and import the files inside.")
    raise Refused("CareBinder does not know this kind of file.")


def _finish(
    media_type: str,
    name: str,
    text: str,
    pages: int | None,
    *,
    status: str | None = None,
    kind: DocumentKind | None = None,
    own_title: str = "",
    day: str | None = None,
    facility: str = "",
    author: str = "",
    thumbnail: bytes | None = None,
    notes: tuple[str, ...] = (),
) -> Extracted:
    if kind is None:
        guess = classify.guess_kind(text)
        kind, reason = guess.kind, guess.explanation
    else:
        reason = "The file declares its type." if kind is not DocumentKind.OTHER else ""
    if status is None:
        status = "text" if text.strip() else "none"
    return Extracted(
        media_type=media_type,
        title=choose_title(name, own_title, text, kind),
        pages=pages,
        text=text,
        text_status=status,
        kind=kind,
        date=day or classify.guess_date(text),
        facility=facility or classify.guess_facility(text),
        author=author or classify.guess_author(text),
        thumbnail=thumbnail,
        kind_reason=reason,
        notes=notes,
    )


def _ocr_plan(empty: list[int], options: Options) -> list[int]:
    if not options.ocr or not ocr.available():
        return []
    if options.max_ocr_pages is not None:
        return empty[: max(options.max_ocr_pages, 0)]
    return empty


def _pdf(
    data: bytes,
    name: str,
    password: str | None,
    options: Options,
    progress: Progress,
    cancel: CancelFlag | None,
) -> Extracted:
    from app.ingest.pdf_text import read_pdf, read_thumbnail, render_page

    # The thumbnail is drawn by a second child while the first reads the text.
    drawing = _THUMBNAILS.submit(read_thumbnail, data, password, cancel=cancel)
    try:
        pdf = read_pdf(data, password, cancel=cancel)
    finally:
        thumbnail = drawing.result()
    texts = list(pdf.page_texts)
    empty = [i for i, t in enumerate(texts) if not t.strip()]
    todo = _ocr_plan(empty, options)
    if todo:
        found = ocr.recognise_pages(
            len(texts),
            lambda i: render_page(data, password, i, cancel=cancel),
            todo,
            progress,
            cancel,
        )
        for index, text in found.items():
            texts[index] = text
    left = len(empty) - len(todo)
    with_text = sum(1 for t in texts if t.strip())
    # Mostly scanned pages not read yet: "not searchable yet".
    mostly_unread = left and with_text * 2 < len(texts)
    status = "needs_ocr" if mostly_unread else "text" if with_text else "none"
    notes: list[str] = []
    if pdf.attachments:
        notes.append(f"The PDF carries {pdf.attachments} attached file(s): kept, not opened.")
    if re.search(rb"/(JavaScript|JS)\b", data):
        notes.append("The PDF contains JavaScript: kept, never run.")
    return _finish(
        sniff.PDF,
        name,
        "\n\f".join(texts),
        len(texts),
        status=status,
        thumbnail=thumbnail,
        notes=tuple(notes),
    )


def _image(
    data: bytes,
    name: str,
    media_type: str,
    options: Options,
    progress: Progress,
    cancel: CancelFlag | None,
) -> Extracted:
    from app.ingest.images import frame_for_ocr, read_image

    info = read_image(data, cancel=cancel)
    todo = _ocr_plan(list(range(info.frames)), options)
    texts = [""] * info.frames
    if todo:
        found = ocr.recognise_pages(
            info.frames,
            lambda i: (frame_for_ocr(data, i, cancel=cancel), None),
            todo,
            progress,
            cancel,
        )
        for index, text in found.items():
            texts[index] = text
    with_text = sum(1 for t in texts if t.strip())
    status = "needs_ocr" if len(todo) < info.frames else "text" if with_text else "none"
    return _finish(
        media_type, name, "\n\f".join(texts), info.frames, status=status, thumbnail=info.thumbnail
    )


def _cda(
    data: bytes,
    name: str,
    password: str | None,
    options: Options,
    progress: Progress,
    cancel: CancelFlag | None,
) -> Extracted:
    from app.ingest.structured import read_cda

    found = read_cda(data)
    text, thumbnail, pages = found.text, None, 1
    if found.embedded_pdf:
        try:
            inner = _pdf(found.embedded_pdf, name, password, options, progress, cancel)
        except Refused:
            inner = None
        if inner is not None:
            text = "\n\n".join(t for t in (text, inner.text) if t.strip())
            thumbnail, pages = inner.thumbnail, inner.pages or 1
    return _finish(
        sniff.CDA,
        name,
        text,
        pages,
        kind=found.kind,
        own_title=found.title,
        day=found.date,
        facility=found.facility,
        author=found.author,
        thumbnail=thumbnail,
    )
