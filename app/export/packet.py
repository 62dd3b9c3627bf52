"""Records packet.pdf: every enclosed record in one PDF, in date order, with a table of
contents, one bookmark per record, and a footer on every page (name · date of birth ·
page n of N).

Original PDFs go in with pypdf page by page, so their text stays selectable; photos and
scans become pages; text files become pages of their words. Each original is decrypted in
memory, used, and let go before the next one is read. A record that cannot go in (a
password-protected PDF, a damaged file) is left out and named in the summary, so the
packet is never broken.

`plan` runs first and tells, for each record, whether and how it goes in and how many
pages it takes, so the contents page and every footer know the final page numbers before
a single page is written.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Sequence
from typing import Any, BinaryIO

from app.export.contents import Entry, Inclusion
from app.export.facts import Facts, long_date, short_date
from app.export.sheets import fonts, p, printable, styles, table
from app.records.documents import document_text
from app.records.models import Document
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


def _pdf_pages(data: bytes) -> int:
    """Pages of a PDF pypdf can merge; raises ValueError with a plain reason otherwise."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise ValueError("it is a password-protected PDF (the patient has the password)")
        count = len(reader.pages)
        for page in reader.pages:  # touch every page now, so merging cannot fail later
            _ = page.cropbox, page.get("/Rotate", 0)
            page.get_contents()
    except ValueError:
        raise
    except (PyPdfError, Exception) as exc:  # pypdf raises many kinds on damaged files
        raise ValueError(f"it could not be opened as a PDF ({exc.__class__.__name__})") from None
    if count == 0:
        raise ValueError("the PDF has no pages")
    return count


def _open_image(data: bytes) -> Any:
    from PIL import Image

    try:
        import pillow_heif

        pillow_heif.register_heif_opener()
    except ImportError:
        pass
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def _image_pages(data: bytes) -> int:
    try:
        return int(getattr(_open_image(data), "n_frames", 1))
    except Exception as exc:  # Pillow raises many kinds on a damaged picture
        raise ValueError(f"the picture could not be opened ({exc.__class__.__name__})") from None


def images_to_pdf(data: bytes, media_type: str, caption: str = "") -> bytes:
    """One letter page per picture (per frame of a multi-page TIFF), scaled to fit, under a
    caption naming the record (a picture has no heading of its own)."""
    from PIL import ImageOps
    from reportlab import rl_config
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    # Binary image data, not ASCII85 text: a scan goes in 25% smaller and many times faster.
    rl_config.useA85 = 0
    image = _open_image(data)
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=LETTER)
    frames = int(getattr(image, "n_frames", 1))
    for index in range(frames):
        image.seek(index)
        turned = image.getexif().get(0x0112, 1) not in (0, 1)  # EXIF orientation
        passthrough = (
            media_type == "image/jpeg" and frames == 1 and not turned and image.mode in ("RGB", "L")
        )
        upright = image if passthrough else ImageOps.exif_transpose(image)
        if passthrough:
            source: Any = ImageReader(io.BytesIO(data))  # the JPEG as it is, not re-encoded
        else:
            source = ImageReader(upright.convert("RGB"))
        width, height = upright.size
        box_w, box_h = LETTER[0] - 72, LETTER[1] - 40 - 40
        scale = min(box_w / width, box_h / height)
        w, h = width * scale, height * scale
        pdf.drawImage(source, (LETTER[0] - w) / 2, 40 + (box_h - h) / 2, w, h)
        if caption:
            regular, _ = fonts()
            pdf.setFont(regular, 9)
            pdf.setFillColorRGB(0.32, 0.38, 0.43)
            more = f" (picture {index + 1} of {frames})" if frames > 1 else ""
            pdf.drawString(36, LETTER[1] - 26, printable(f"{caption}{more}")[:150])
        pdf.showPage()
    pdf.save()
    return out.getvalue()


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


def plan(
    binder: Binder,
    documents: Sequence[Document],
    paths: dict[int, str],
    read: Callable[[Document], bytes],
) -> list[Entry]:
    """Decide for each record how it goes in, and its pages. `read` raises when the
    original cannot be had; `paths` is where each original goes under records/."""
    entries = []
    for doc in documents:
        entry = Entry(doc, path=paths.get(doc.id, ""))
        try:
            data = read(doc)
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
                entry.pages, entry.render = _pdf_pages(data), "pdf"
            elif doc.media_type in IMAGE_TYPES:
                entry.pages, entry.render = _image_pages(data), "image"
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
        del data
        entries.append(entry)
    return entries


def _count_pages(data: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


def _toc_pdf(facts: Facts, entries: Sequence[Entry], total: int, for_doctor: str) -> bytes:
    from reportlab.platypus import SimpleDocTemplate, Spacer

    st = styles()
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out, pagesize=LETTER, leftMargin=54, rightMargin=54, topMargin=54, bottomMargin=60
    )
    story: list[Any] = [p(f"Medical records of {facts.person.name}", st["title"])]
    line = f"Born {facts.born}"
    if for_doctor:
        line += f" · prepared for {for_doctor}"
    line += f" · {long_date(facts.prepared_on.isoformat())}"
    story += [p(line, st["subtitle"]), Spacer(1, 10)]
    story.append(
        p(
            f"{len(entries)} records in date order, {total} pages in all. Each record starts on "
            "the page shown and has a bookmark of its own.",
            st["muted"],
        )
    )
    story.append(Spacer(1, 6))
    rows = [["Page", "Date", "Kind", "Record", "Pages"]]
    for e in entries:
        d = e.document
        where = f", {d.facility}" if d.facility else ""
        rows.append([str(e.start), short_date(d.date), d.kind.label, d.title + where, str(e.pages)])
    story.append(table(rows, [0.45 * 72, 0.9 * 72, 1.5 * 72, 3.5 * 72, 0.6 * 72], st))
    doc.build(story)
    return out.getvalue()


def _footers(sizes: Sequence[tuple[float, float]], first: int, total: int, left: str) -> bytes:
    """One page per size, blank but for the footer, to lay over the record's pages."""
    from reportlab.pdfgen import canvas

    regular, _ = fonts()
    out = io.BytesIO()
    pdf = canvas.Canvas(out)
    for offset, (width, height) in enumerate(sizes):
        pdf.setPageSize((width, height))
        text = printable(f"{left} · page {first + offset} of {total}")
        # Scaled with the page, so a poster-sized scan printed on letter paper still shows a
        # readable footer, and a small page keeps it inside its width.
        scale = max(0.65, min(6.0, min(width / LETTER[0], height / LETTER[1])))
        size = 7.5 * scale
        text_width = pdf.stringWidth(text, regular, size)
        # A white band behind the words keeps them legible over a scan's dark margin.
        pdf.setFillColorRGB(1, 1, 1)
        pad = 4 * scale
        pdf.rect((width - text_width) / 2 - pad, 6 * scale, text_width + 2 * pad, size + 1.5 * pad,
                 stroke=0, fill=1)  # fmt: skip
        pdf.setFillColorRGB(0.25, 0.29, 0.33)
        pdf.setFont(regular, size)
        pdf.drawCentredString(width / 2, 6 * scale + pad * 0.9, text)
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def stamp(writer: Any, page: Any, footer: Any, x: float, y: float) -> None:
    """Draw the `footer` page over `page` without parsing the page's own drawing: the footer
    becomes a form XObject, and the page's content streams are wrapped in q/Q and followed by
    one that paints it (pypdf's merge re-parses every content stream: several times slower)."""
    from pypdf.generic import (
        ArrayObject,
        DecodedStreamObject,
        DictionaryObject,
        FloatObject,
        IndirectObject,
        NameObject,
    )

    width, height = float(footer.mediabox.width), float(footer.mediabox.height)
    form = DecodedStreamObject()
    form.set_data(footer.get_contents().get_data())
    form[NameObject("/Type")] = NameObject("/XObject")
    form[NameObject("/Subtype")] = NameObject("/Form")
    form[NameObject("/BBox")] = ArrayObject(
        [FloatObject(0), FloatObject(0), FloatObject(width), FloatObject(height)]
    )
    form[NameObject("/Resources")] = footer["/Resources"].get_object().clone(writer)
    form_ref = writer._add_object(form)
    resources = page.get("/Resources")
    resources = (
        DictionaryObject(resources.get_object()) if resources is not None else DictionaryObject()
    )
    xobjects = resources.get("/XObject")
    xobjects = (
        DictionaryObject(xobjects.get_object()) if xobjects is not None else DictionaryObject()
    )
    xobjects[NameObject("/CBFooter")] = form_ref
    resources[NameObject("/XObject")] = xobjects
    page[NameObject("/Resources")] = resources
    contents: Any = page.get("/Contents")
    streams: list[Any] = []
    target = contents.get_object() if isinstance(contents, IndirectObject) else None
    if isinstance(target, ArrayObject):
        streams = list(target)
    elif isinstance(contents, ArrayObject):
        streams = list(contents)
    elif isinstance(contents, IndirectObject):
        streams = [contents]
    elif contents is not None:
        streams = [writer._add_object(contents)]
    head, tail = DecodedStreamObject(), DecodedStreamObject()
    head.set_data(b"q\n")
    tail.set_data(f"\nQ\nq 1 0 0 1 {x:.4f} {y:.4f} cm /CBFooter Do Q\n".encode("ascii"))
    page[NameObject("/Contents")] = ArrayObject(
        [writer._add_object(head), *streams, writer._add_object(tail)]
    )


def layout(facts: Facts, entries: Sequence[Entry], for_doctor: str) -> tuple[bytes, int]:
    """Give each record in the packet its first page; return the contents pages and the
    packet's page count."""
    included = [e for e in entries if e.inclusion is Inclusion.PACKET]
    if not included:
        raise PacketError("No record could be put in the records packet.")
    body = sum(e.pages for e in included)
    toc_pages, toc = 1, b""
    for _ in range(4):  # the contents page count settles in one or two rounds
        start = toc_pages + 1
        for e in included:
            e.start, start = start, start + e.pages
        toc = _toc_pdf(facts, included, toc_pages + body, for_doctor)
        counted = _count_pages(toc)
        if counted == toc_pages:
            break
        toc_pages = counted
    return toc, toc_pages + body


def write_packet(
    binder: Binder,
    facts: Facts,
    entries: Sequence[Entry],
    read: Callable[[Document], bytes],
    sink: BinaryIO,
    for_doctor: str,
    step: Callable[[str], None],
) -> int:
    """Write the packet of the `entries` in the packet to `sink`; return its page count.
    `step` is called before each record (progress and cancel)."""
    from pypdf import PdfReader, PdfWriter

    toc, total = layout(facts, entries, for_doctor)
    included = [e for e in entries if e.inclusion is Inclusion.PACKET]
    left = f"{facts.person.name} · born {facts.born}"
    from app.export.pdfstream import StreamingPdf

    packet = StreamingPdf(sink)

    def add(reader: Any, first: int, bookmark: str | None) -> None:
        # pypdf changes a page's content only once the page belongs to a writer; a small
        # writer per record is copied to the packet and dropped.
        writer = PdfWriter()
        added = [writer.add_page(page) for page in reader.pages]
        sizes = []
        for page in added:
            if page.get("/Rotate", 0):
                page.transfer_rotation_to_content()
            box = page.cropbox
            sizes.append((float(box.width), float(box.height)))
        overlay = PdfReader(io.BytesIO(_footers(sizes, first, total, left)))
        for page, over in zip(added, overlay.pages, strict=True):
            box = page.cropbox
            stamp(writer, page, over, float(box.left), float(box.bottom))
        packet.add_pages(writer, bookmark)

    add(PdfReader(io.BytesIO(toc)), 1, None)
    for e in included:
        step(e.document.title)
        doc = e.document
        try:
            data = read(doc)
            if e.render == "image":
                data = images_to_pdf(data, doc.media_type, e.bookmark)
            elif e.render == "text":
                data = text_to_pdf(document_text(binder, doc.id), _text_heading(doc))
            reader = PdfReader(io.BytesIO(data), strict=False)
            if len(reader.pages) != e.pages:
                raise ValueError(f"it has {len(reader.pages)} pages, not {e.pages}")
            add(reader, e.start, e.bookmark)
        except Exception as exc:
            raise PacketError(
                f"“{doc.title}” (document {doc.id}) could not be added to the records packet: {exc}"
            ) from exc
        del data, reader
    contents = [
        {
            "id": e.document.id,
            "title": e.bookmark,
            "start": e.start,
            "pages": e.pages,
            "original": e.path,
        }
        for e in included
    ]
    packet.finish(
        {
            "/Title": f"Medical records of {facts.person.name}",
            "/Author": "CareBinder",
            "/Creator": "CareBinder",
            CONTENTS_KEY: json.dumps({"pages": total, "records": contents}, ensure_ascii=True),
        }
    )
    return total
