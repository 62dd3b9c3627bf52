"""Records packet.pdf: every enclosed record in one PDF, in date order, with a table of
contents, one bookmark per record, and a footer on every page (name · date of birth ·
page n of N).

Original PDFs go in page by page, object by object, so their text stays selectable; photos
and scans become pages; text files become pages of their words. Each original is
decrypted, copied into the packet, and let go before the next one. A record that cannot go
in (a password-protected PDF, a damaged file) is left out and named in the summary, so the
packet is never broken.

`plan` runs first and tells, for each record, whether and how it goes in and how many
pages it takes, so the contents page and every footer know the final page numbers before
a single page is written.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any, BinaryIO

from app.export.contents import Entry, Inclusion
from app.export.facts import Facts
from app.export.packet_footer import Footers, add_font, page_geometry, placement
from app.export.pdf_toolkit import p, printable, styles
from app.export.picture_pages import frame_count, picture_pages
from app.export.streamed_pdf import StreamedPdf
from app.export.text_layer import FONT_NAME, TextLayers
from app.export.writer_thread import WriterThread
from app.records.documents import document_text
from app.records.models import Document
from app.records.page_words import PageWords, page_words, pages_read_by_ocr
from app.vault.binder import Binder

IMAGE_TYPES = ("image/jpeg", "image/png", "image/tiff", "image/heic")
TEXT_TYPES = (
    "text/plain",
    "text/x-blue-button",
    "application/xml",
    "application/cda+xml",
    "application/json",
    "application/fhir+json",
    "application/fhir+ndjson",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
)
PACKET_NAME = "Records packet.pdf"
CONTENTS_KEY = "/CareBinderContents"  # the packet's own list of records, read by `verify`
LETTER = (612.0, 792.0)


class PacketError(Exception):
    """The packet could not be made; the message says which record and why."""


def _checked_pages(pdf: Any) -> int:
    """The page count of an opened PDF, after touching what copying each page needs, so a
    damaged page tree is refused now rather than breaking the packet later."""
    try:
        count = len(pdf.pages)
        for page in pdf.pages:
            _ = page.cropbox, page.obj.get("/Rotate", 0), page.obj.get("/Contents")
    except Exception as exc:  # qpdf raises on a page tree it cannot repair
        raise ValueError(f"its pages could not be read ({exc.__class__.__name__})") from None
    if count == 0:
        raise ValueError("the PDF has no pages")
    return count


def text_to_pdf(text: str, heading: str) -> bytes:
    from reportlab.platypus import Preformatted, SimpleDocTemplate, Spacer

    st = styles()
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out, pagesize=LETTER, leftMargin=54, rightMargin=54, topMargin=54, bottomMargin=60
    )
    body_style = st["cell"]
    story: list[Any] = [p(heading, st["h2"]), Spacer(1, 4)]
    for paragraph in text.split("\n"):
        story.append(Preformatted(paragraph, body_style, maxLineLength=95, newLineChars=""))
    doc.build(story)
    return out.getvalue()


def _text_heading(doc: Document) -> str:
    return f"{doc.title}: the text of the original file “{doc.original_name}”"


def plan(binder: Binder, documents: Sequence[Document], paths: dict[int, str]) -> list[Entry]:
    """Decide for each record how it goes in, and its pages; `paths` is where each original
    goes under records/. Every original is read through once here, so a damaged one is
    found before anything is written."""
    entries = []
    for doc in documents:
        entry = Entry(doc, path=paths.get(doc.id, ""))
        try:
            # Every chunk's tag is checked; a PDF is opened, a picture's header read.
            source = _original(binder, doc, whole=doc.media_type == "application/pdf")
        except Exception:
            entry.inclusion, entry.path = Inclusion.MISSING, ""
            entry.note = (
                "could not be included: the copy kept by the patient is damaged. Please ask "
                "the patient for another copy."
            )
            entries.append(entry)
            continue
        try:
            if doc.media_type == "application/pdf":
                with _open_pdf(source) as pdf:
                    entry.pages, entry.render = _checked_pages(pdf), "pdf"
            elif doc.media_type in IMAGE_TYPES:
                entry.pages = frame_count(source, doc.media_type)
                entry.render = "image"
            if entry.render in ("pdf", "image"):
                read = pages_read_by_ocr(binder, doc.id)
                entry.ocr_pages = tuple(n for n in read if n < entry.pages)
            elif doc.media_type in TEXT_TYPES:
                text = document_text(binder, doc.id)
                if not text.strip():
                    raise ValueError("no readable text was found in it")
                entry.pages = _count_pages(text_to_pdf(text, _text_heading(doc)))
                entry.render = "text"
            else:
                raise ValueError("this kind of file cannot be shown as pages")
        except ValueError as exc:
            entry.inclusion = Inclusion.SEPARATE
            entry.note = (
                f"not in the packet because {exc}; the file itself is provided separately "
                f"as “{entry.path}”."
            )
        finally:
            source.close()
        entries.append(entry)
    return entries


IN_MEMORY = 32 << 20  # originals up to this size are decrypted whole: qpdf opens them faster


def _original(binder: Binder, doc: Document, whole: bool = True) -> BinaryIO:
    """The original, decrypted and every chunk authenticated: in memory when `whole` and
    small, else through a seekable reader that decrypts a chunk at a time."""
    if whole and doc.size <= IN_MEMORY:
        return io.BytesIO(binder.files.read(doc.file_name))
    for _ in binder.files.iter_plain(doc.file_name):
        pass
    return binder.files.open_plain(doc.file_name)


def _count_pages(data: bytes) -> int:
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        return len(pdf.pages)


def _caption(entry: Entry, index: int) -> str:
    more = f" (picture {index + 1} of {entry.pages})" if entry.pages > 1 else ""
    return printable(f"{entry.bookmark}{more}")[:150]


def layout(facts: Facts, entries: Sequence[Entry], for_doctor: str) -> tuple[bytes, int]:
    """Give each record in the packet its first page; return the contents pages and the
    packet's page count."""
    from app.export.packet_contents import ContentsPages

    included = [e for e in entries if e.inclusion is Inclusion.PACKET]
    if not included:
        raise PacketError("No record could be put in the records packet.")
    contents = ContentsPages(facts, included, for_doctor)
    start = contents.pages + 1
    for e in included:
        e.start, start = start, start + e.pages
    return contents.draw(start - 1), start - 1


def _open_pdf(source: BinaryIO) -> Any:
    import pikepdf

    try:
        return pikepdf.open(source)
    except pikepdf.PasswordError:
        raise ValueError("it is a password-protected PDF (the patient has the password)") from None
    except Exception as exc:  # qpdf repairs what it can; the rest is refused here
        raise ValueError(f"it could not be opened as a PDF ({exc.__class__.__name__})") from None


def _lay_text(out: StreamedPdf, layers: TextLayers, page: Any, words: PageWords) -> None:
    """Put the invisible text layer first in a copied page's contents (under its picture),
    in the space of the page as it is seen (its /Rotate and box)."""
    import pikepdf

    rotate, box = page_geometry(page)
    matrix, width, height = placement(rotate, box)
    font = add_font(out, page, FONT_NAME, layers.font)
    layer = layers.stream(words, (0.0, 0.0, width, height), matrix, font)
    if layer is None:
        return
    contents = page.get("/Contents")
    before = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
    page.Contents = pikepdf.Array([out.marker(layer), *(c for c in before if c is not None)])


def write_packet(
    binder: Binder,
    facts: Facts,
    entries: Sequence[Entry],
    laid_out: tuple[bytes, int],
    sink: BinaryIO,
    step: Callable[[str], None],
    saving: Callable[[int], None] = lambda percent: None,
) -> int:
    """Write the packet of the `entries` in the packet to `sink`, with the contents pages and
    page count `layout` gave; return the page count. `step` is called before each record,
    `saving` with the percent of pages written after each (progress and cancel: either may
    raise).

    Each record's pages are written out before the next record is read, so memory holds
    one record at a time: qpdf (pikepdf) opens and repairs a PDF and `StreamedPdf` copies
    its objects out; a picture's data goes from the encrypted store to `sink` a piece at a
    time."""
    included = [e for e in entries if e.inclusion is Inclusion.PACKET]
    writer = WriterThread(sink)  # hashing and storing overlap with reading the next record
    try:
        _write(binder, facts, included, laid_out, StreamedPdf(writer), step, saving)
        writer.close()
    except PacketError:
        writer.stop()
        if writer.error is not None:  # the disk failed, not the record being written then
            raise writer.error from None
        raise
    finally:
        writer.stop()
    return laid_out[1]


def _write(
    binder: Binder,
    facts: Facts,
    included: Sequence[Entry],
    laid_out: tuple[bytes, int],
    out: StreamedPdf,
    step: Callable[[str], None],
    saving: Callable[[int], None],
) -> None:
    toc, total = laid_out
    left = printable(f"{facts.person.name} · born {facts.born}")
    captions = "".join(_caption(e, 0) for e in included if e.render == "image")
    footers = Footers(out, left, total, captions)
    layers = TextLayers(out) if any(e.ocr_pages for e in included) else None
    marks: list[tuple[str, int]] = []  # (bookmark, first page's object number)

    def copy(pdf: Any, expected: int, entry: Entry | None = None) -> None:
        if len(pdf.pages) != expected:
            raise ValueError(f"it has {len(pdf.pages)} pages, not {expected}")
        first = out.page_count + 1
        words = page_words(binder, entry.document.id) if entry and entry.ocr_pages else {}

        def prepare(page: Any, index: int) -> None:
            footers.stamp(page, first + index)
            if index in words and layers is not None:
                _lay_text(out, layers, page, words[index])

        pages = out.copy_pages(pdf, prepare)
        if entry is not None:
            marks.append((entry.bookmark, pages[0]))

    def pictures(e: Entry) -> None:
        opener = partial(binder.files.open_plain, e.document.file_name)
        words = page_words(binder, e.document.id) if e.ocr_pages else {}
        count = 0
        for index, picture in enumerate(picture_pages(opener, e.document.media_type)):
            image = out.add_stream_from(picture.image, picture.length, picture.data())
            drawing = out.add_stream(picture.drawing)
            tail = footers.tail(out.page_count + 1, _caption(e, index))
            fonts = footers.font_entries()
            # Under the picture, where its words are: the doctor's reader can search them.
            under = b""
            if index in words and layers is not None:
                layer = layers.stream(words[index], picture.box)
                if layer is not None:
                    fonts += b" " + layers.font_entry()
                    under = b"%d 0 R " % layer
            fonts_and_image = b"/Font << %s >> /XObject << /Im0 %d 0 R >>"
            page = out.add_page(
                b"/MediaBox [ 0 0 612 792 ] /Resources << "
                + fonts_and_image % (fonts, image)
                + b" >> /Contents [ %s%d 0 R %d 0 R %d 0 R ]"
                % (under, footers.opening, drawing, tail)
            )
            if index == 0:
                marks.append((e.bookmark, page))
            count += 1
        if count != e.pages:
            raise ValueError(f"it has {count} pictures, not {e.pages}")

    def record(e: Entry) -> None:
        if e.render == "image":
            pictures(e)
            return
        doc = e.document
        if e.render == "pdf":
            source = _original(binder, doc)
        else:
            source = io.BytesIO(text_to_pdf(document_text(binder, doc.id), _text_heading(doc)))
        with _open_pdf(source) as pdf:
            copy(pdf, e.pages, e)

    with _open_pdf(io.BytesIO(toc)) as contents_pages:
        copy(contents_pages, total - sum(e.pages for e in included))
    for e in included:
        step(e.document.title)
        try:
            record(e)
        except Exception as exc:
            raise PacketError(
                f"“{e.document.title}” (document {e.document.id}) could not be added to the "
                f"records packet: {exc}"
            ) from exc
        saving(100 * out.page_count // total)
    contents = [
        {
            "id": e.document.id,
            "title": e.bookmark,
            "start": e.start,
            "pages": e.pages,
            "original": e.path,
            # Pages (of the packet) that are pictures of paper with a text layer read by OCR.
            "ocr_pages": [e.start + n for n in e.ocr_pages],
        }
        for e in included
    ]
    out.finish(
        marks,
        {
            "/Title": f"Medical records of {facts.person.name}",
            "/Author": "CareBinder",
            "/Creator": "CareBinder",
            CONTENTS_KEY: json.dumps({"pages": total, "records": contents}, ensure_ascii=True),
        },
    )
    if out.page_count != total:
        raise PacketError(f"The packet has {out.page_count} pages, not {total}.")
