"""From a file's bytes to the facts a document needs: real type, text (with OCR where a page
has no text layer), page count, first-page thumbnail, kind, date, facility, author, title.

Pure: no database. Risky parsing runs in the sandbox child (`app.ingest.sandbox`); OCR runs
`tesseract` through pipes. Anything that cannot be read raises `Refused` with a reason a
person understands; a cancel raises `app.progress.Cancelled` and nothing is returned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePath

from app.ingest import classify, ocr, sniff
from app.ingest.kinds import DocumentKind
from app.ingest.ocr_pool import PageSource, read_pages
from app.ingest.ocr_words import PageWords
from app.ingest.refusal import Refused
from app.ingest.sandbox import Sandbox
from app.progress import CancelFlag, Progress, no_progress

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
    # Where each word read by OCR is on its page (pages with words only), for the invisible
    # text layer of the records packet.
    page_words: tuple[PageWords, ...] = field(default=())


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
    reader: Sandbox | None = None,
) -> Extracted:
    """What can be read from `data`; raises `Refused` with a reason when nothing can.

    `reader` is the sandbox child that parses the file (the shared one when None: an
    import reading files side by side gives each its own); scanned pages are read by the
    OCR pool's children. `progress` reports OCR pages."""
    options = options or Options()
    if not data:
        raise Refused("The file is empty (0 bytes).")
    if len(data) > MAX_FILE_SIZE:
        raise Refused("The file is larger than 1 GB, too large to be a record.")
    media_type = sniff.sniff(data)
    if media_type == sniff.PDF:
        return _pdf(data, name, pdf_password, options, progress, cancel, reader)
    if media_type in sniff.IMAGES:
        return _image(data, name, media_type, options, progress, cancel, reader)
    if media_type == sniff.CDA:
        return _cda(data, name, pdf_password, options, progress, cancel, reader)
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
    page_words: tuple[PageWords, ...] = (),
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
        page_words=page_words,
    )


def _ocr_plan(empty: list[int], options: Options) -> list[int]:
    if not options.ocr or not ocr.available():
        return []
    if options.max_ocr_pages is not None:
        return empty[: max(options.max_ocr_pages, 0)]
    return empty


@dataclass(frozen=True)
class _Scanned:
    texts: list[str]  # every page's text, the pages read by OCR filled in
    words: tuple[PageWords, ...]  # the pages where OCR found words
    unread: int  # pages left unread: not asked for, or tesseract could not read them


def _read_scans(
    source: PageSource,
    texts: list[str],
    empty: list[int],
    options: Options,
    progress: Progress,
    cancel: CancelFlag | None,
) -> _Scanned:
    todo = _ocr_plan(empty, options)
    found = read_pages(source, todo, progress, cancel) if todo else {}
    texts = list(texts)
    words = []
    unread = len(empty) - len(todo)
    for index in todo:
        result = found.get(index)
        if result is None or not result.read:
            unread += 1
            continue
        texts[index] = result.text
        if result.words is not None and result.words.words:
            words.append(result.words)
    return _Scanned(texts, tuple(words), unread)


def _pdf(
    data: bytes,
    name: str,
    password: str | None,
    options: Options,
    progress: Progress,
    cancel: CancelFlag | None,
    reader: Sandbox | None,
) -> Extracted:
    from app.ingest.pdf_text import page_source, read_pdf

    pdf = read_pdf(data, password, cancel=cancel, sandbox=reader)
    empty = [i for i, t in enumerate(pdf.page_texts) if not t.strip()]
    scanned = _read_scans(
        page_source(data, password), list(pdf.page_texts), empty, options, progress, cancel
    )
    texts = scanned.texts
    with_text = sum(1 for t in texts if t.strip())
    # Mostly scanned pages not read yet: "not searchable yet".
    mostly_unread = scanned.unread and with_text * 2 < len(texts)
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
        thumbnail=pdf.thumbnail,
        notes=tuple(notes),
        page_words=scanned.words,
    )


def _image(
    data: bytes,
    name: str,
    media_type: str,
    options: Options,
    progress: Progress,
    cancel: CancelFlag | None,
    reader: Sandbox | None,
) -> Extracted:
    from app.ingest.images import page_source, read_image

    info = read_image(data, cancel=cancel, sandbox=reader)
    frames = list(range(info.frames))
    scanned = _read_scans(page_source(data), [""] * info.frames, frames, options, progress, cancel)
    with_text = sum(1 for t in scanned.texts if t.strip())
    status = "needs_ocr" if scanned.unread else "text" if with_text else "none"
    return _finish(
        media_type,
        name,
        "\n\f".join(scanned.texts),
        info.frames,
        status=status,
        thumbnail=info.thumbnail,
        page_words=scanned.words,
    )


def _cda(
    data: bytes,
    name: str,
    password: str | None,
    options: Options,
    progress: Progress,
    cancel: CancelFlag | None,
    reader: Sandbox | None,
) -> Extracted:
    from app.ingest.structured import read_cda

    found = read_cda(data)
    text, thumbnail, pages = found.text, None, 1
    if found.embedded_pdf:
        try:
            inner = _pdf(found.embedded_pdf, name, password, options, progress, cancel, reader)
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
