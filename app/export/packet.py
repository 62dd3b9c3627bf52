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
from functools import partial
from typing import Any, BinaryIO, cast

from app.export.contents import Entry, Inclusion
from app.export.facts import Facts
from app.export.picture_pages import frame_count, picture_pdf
from app.export.sheets import fonts, p, printable, styles
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


def plan(
    binder: Binder,
    documents: Sequence[Document],
    paths: dict[int, str],
    opened: dict[int, Any] | None = None,
) -> list[Entry]:
    """Decide for each record how it goes in, and its pages; `paths` is where each original
    goes under records/. Every original is read through once here, so a damaged one is
    found before anything is written. PDFs opened here are kept in `opened` (by document
    id) for `write_packet`, when given: opening costs more than anything else per record."""
    entries = []
    for doc in documents:
        entry = Entry(doc, path=paths.get(doc.id, ""))
        try:
            for _ in binder.files.iter_plain(doc.file_name):  # checks every chunk's tag
                pass
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
                pdf = _open_pdf(binder.files.open_plain(doc.file_name))
                try:
                    entry.pages, entry.render = _checked_pages(pdf), "pdf"
                finally:
                    if opened is None or entry.render != "pdf":
                        pdf.close()
                    else:
                        opened[doc.id] = pdf
            elif doc.media_type in IMAGE_TYPES:
                entry.pages = frame_count(binder.files.read(doc.file_name), doc.media_type)
                entry.render = "image"
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
        entries.append(entry)
    return entries


def _count_pages(data: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


class _FooterFont:
    """The footer's font, embedded once in the packet, and the operators that draw a line
    with it. Each page's footer is then a few bytes of its own rather than a document of its
    own (a reportlab page per footer took longer than qpdf takes to copy the page)."""

    def __init__(self, characters: str) -> None:
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfgen import canvas

        self.name, _ = fonts()
        self.characters = characters
        font: Any = pdfmetrics.getFont(self.name)
        out = io.BytesIO()
        pdf = canvas.Canvas(out, pageCompression=0)
        pdf.setFont(self.name, 8)
        pdf.drawString(0, 0, characters)  # every character the footers use gets its code now
        doc = pdf._doc  # type: ignore[attr-defined]
        # Each character's font (a TrueType font is embedded in subsets of 256) and code,
        # read before saving: reportlab forgets them once the file is written.
        self._codes: dict[str, tuple[str, bytes]] = {}
        for ch in set(characters):
            if getattr(font, "_dynamicFont", False):
                [(subset, code)] = font.splitString(ch, doc)
                self._codes[ch] = (font.getSubsetInternalName(subset, doc), code)
            else:
                self._codes[ch] = (
                    doc.getInternalFontName(self.name),
                    ch.encode("cp1252", "replace"),
                )
        pdf.showPage()
        pdf.save()
        self.template = out.getvalue()

    def runs(self, text: str) -> list[tuple[str, bytes]]:
        """(the font's name in the template's resources, the text's bytes in that font)."""
        runs: list[tuple[str, bytes]] = []
        for ch in text:
            name, code = self._codes[ch]
            if runs and runs[-1][0] == name:
                runs[-1] = (name, runs[-1][1] + code)
            else:
                runs.append((name, code))
        return runs

    def width(self, text: str, size: float) -> float:
        from reportlab.pdfbase import pdfmetrics

        return float(pdfmetrics.stringWidth(text, self.name, size))


def _placement(rotate: int, box: Sequence[float]) -> tuple[str, float, float]:
    """The matrix from the page as seen (turned by /Rotate) to the page's own space, and
    the seen width and height: a footer belongs at the bottom of the page as it is read."""
    left, bottom, right, top = box
    width, height = right - left, top - bottom
    if rotate == 90:
        return f"0 1 -1 0 {right:.4f} {bottom:.4f}", height, width
    if rotate == 180:
        return f"-1 0 0 -1 {right:.4f} {top:.4f}", width, height
    if rotate == 270:
        return f"0 -1 1 0 {left:.4f} {top:.4f}", height, width
    return f"1 0 0 1 {left:.4f} {bottom:.4f}", width, height


def _footer_operators(
    font: _FooterFont, names: dict[str, str], text: str, width: float, height: float
) -> bytes:
    """Centred small grey text on a white band, scaled with the page, so a poster-sized
    scan printed on letter paper still shows a readable footer and a small page keeps it
    inside its width; the band keeps it legible over a scan's dark margin."""
    scale = max(0.65, min(6.0, min(width / LETTER[0], height / LETTER[1])))
    size = 7.5 * scale
    text_width = font.width(text, size)
    pad = 4 * scale
    x = (width - text_width) / 2
    shown = " ".join(
        f"{names[name]} {size:.3f} Tf <{data.hex()}> Tj" for name, data in font.runs(text)
    )
    return (
        f"1 g {x - pad:.3f} {6 * scale:.3f} {text_width + 2 * pad:.3f} {size + 1.5 * pad:.3f} re f "
        f"0.25 0.29 0.33 rg BT {x:.3f} {6 * scale + pad * 0.9:.3f} Td {shown} ET"
    ).encode("latin-1")


def _caption_operators(font: _FooterFont, names: dict[str, str], text: str) -> bytes:
    """A picture's caption naming its record, in the band picture_pages leaves at the top
    (a picture has no heading of its own)."""
    shown = " ".join(f"{names[name]} 9 Tf <{data.hex()}> Tj" for name, data in font.runs(text))
    top = LETTER[1] - 26
    return f"0.32 0.38 0.43 rg BT 36 {top:g} Td {shown} ET".encode("latin-1")


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


class _Forward(io.RawIOBase):
    """A write-only stream for pikepdf, which asks for `seek` to be there but writes in one
    pass: the packet goes straight into the ZIP entry or file being hashed."""

    def __init__(self, sink: BinaryIO) -> None:
        super().__init__()
        self._sink = sink

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self._sink.write(bytes(data))
        return len(data)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        raise io.UnsupportedOperation("the packet is written in one pass")


def write_packet(
    binder: Binder,
    facts: Facts,
    entries: Sequence[Entry],
    laid_out: tuple[bytes, int],
    sink: BinaryIO,
    step: Callable[[str], None],
    saving: Callable[[int], None] = lambda percent: None,
    opened: dict[int, Any] | None = None,
) -> int:
    """Write the packet of the `entries` in the packet to `sink`, with the contents pages and
    page count `layout` gave; return the page count. `step` is called before each record,
    `saving` with the percent written (progress and cancel: either may raise). `opened`
    holds PDFs `plan` opened; they are closed here.

    qpdf (pikepdf) does the copying: original PDFs are read from the encrypted store through
    a seekable decrypting reader, pictures and text made into pages go to encrypted scratch
    space, so memory holds the packet's structure but not its pages' contents."""
    import pikepdf

    from app.vault.scratch import Scratch, scratch_space

    opened = opened if opened is not None else {}

    toc, total = laid_out
    included = [e for e in entries if e.inclusion is Inclusion.PACKET]
    left = printable(f"{facts.person.name} · born {facts.born}")
    captions = "".join(_caption(e, 0) for e in included if e.render == "image")
    font = _FooterFont(f"{left} · page 0123456789 of (picture){captions}")
    packet = pikepdf.Pdf.new()
    template = pikepdf.open(io.BytesIO(font.template))
    footer_fonts: Any = template.pages[0].Resources.Font
    used = sorted({name for name, _ in font.runs(font.characters)})
    # The footer's fonts go into every page's resources under names of our own.
    ours = {
        name: (f"/CBFooter{index}", packet.copy_foreign(footer_fonts[name]))
        for index, name in enumerate(used)
    }
    opening = packet.make_indirect(pikepdf.Stream(packet, b"q\n"))
    sources: list[Any] = [template]  # qpdf reads what is copied from them when saving
    marks: list[tuple[str, int]] = []

    def footer_fonts_on(page: Any) -> dict[str, str]:
        resources = page.obj.get("/Resources")
        if resources is None:
            page.obj.Resources = resources = pikepdf.Dictionary()
        fonts_here = resources.get("/Font")
        if fonts_here is None:
            resources.Font = fonts_here = pikepdf.Dictionary()
        names = {}
        for name, (wanted, ref) in ours.items():
            there = fonts_here.get(wanted)
            if there is None:
                fonts_here[wanted] = ref
            elif not (there.is_indirect and there.objgen == ref.objgen):  # a name of its own
                wanted = str(page.add_resource(ref, pikepdf.Name.Font, prefix="CBFooter"))
            names[name] = wanted
        return names

    owners: list[Entry | None] = []  # the record each page belongs to (None: contents)

    def add(pdf: Any, expected: int, entry: Entry | None = None) -> None:
        if len(pdf.pages) != expected:
            raise ValueError(f"it has {len(pdf.pages)} pages, not {expected}")
        if entry is not None:
            marks.append((entry.bookmark, len(owners)))
        packet.pages.extend(pdf.pages)
        owners.extend([entry] * expected)

    def stamp_every_page() -> None:
        # One pass over the pages: pikepdf finds a page by its number by walking the list.
        first = 0
        for number, (page, entry) in enumerate(zip(packet.pages, owners, strict=True)):
            if number == 0 or entry is not owners[number - 1]:
                first = number
            rotate = int(page.obj.get("/Rotate", 0)) % 360
            matrix, width, height = _placement(rotate, [float(v) for v in page.cropbox])
            text = f"{left} · page {number + 1} of {total}"
            names = footer_fonts_on(page)
            drawing = _footer_operators(font, names, text, width, height)
            if entry is not None and entry.render == "image":
                drawing += b" " + _caption_operators(font, names, _caption(entry, number - first))
            tail = b"\nQ\nq " + matrix.encode() + b" cm " + drawing + b" Q\n"
            contents = page.obj.get("/Contents")
            before = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
            page.obj.Contents = pikepdf.Array(
                [opening, *(c for c in before if c is not None), packet.make_stream(tail)]
            )

    def pdf_of(e: Entry, scratch: Scratch) -> Any:
        doc = e.document
        if e.render == "pdf":
            kept = opened.pop(doc.id, None)
            return kept if kept is not None else _open_pdf(binder.files.open_plain(doc.file_name))
        if e.render == "image":
            opener = partial(binder.files.open_plain, doc.file_name)
            return _open_pdf(picture_pdf(opener, doc.media_type, scratch.put))
        made = text_to_pdf(document_text(binder, doc.id), _text_heading(doc))
        return _open_pdf(scratch.put(made))

    with scratch_space() as scratch:
        add(pikepdf.open(io.BytesIO(toc)), total - sum(e.pages for e in included))
        for e in included:
            step(e.document.title)
            doc = e.document
            try:
                pdf = pdf_of(e, scratch)
                sources.append(pdf)
                add(pdf, e.pages, e)
            except Exception as exc:
                raise PacketError(
                    f"“{doc.title}” (document {doc.id}) could not be added to the records "
                    f"packet: {exc}"
                ) from exc
        stamp_every_page()
        with packet.open_outline() as outline:
            outline.root.extend(pikepdf.OutlineItem(title, page) for title, page in marks)
        packet.Root.PageMode = pikepdf.Name.UseOutlines
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
        info = {
            "/Title": f"Medical records of {facts.person.name}",
            "/Author": "CareBinder",
            "/Creator": "CareBinder",
            CONTENTS_KEY: json.dumps({"pages": total, "records": contents}, ensure_ascii=True),
        }
        for key, value in info.items():
            packet.docinfo[pikepdf.Name(key)] = value
        try:
            # qpdf writes in small pieces: buffered, they reach the ZIP in large ones.
            buffered = io.BufferedWriter(_Forward(sink), buffer_size=1 << 20)
            packet.save(cast(BinaryIO, buffered), progress=saving)
            buffered.flush()
        finally:
            for pdf in [*sources, *opened.values()]:
                pdf.close()
            packet.close()
    return total
