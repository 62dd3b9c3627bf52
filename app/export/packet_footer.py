"""The records packet's footer (name · date of birth · page n of N) and picture captions:
one embedded font and a few operators on each page, whatever the page came from.

The footer belongs at the bottom of the page as it is read, so a page turned by /Rotate
gets its footer turned with it; it is drawn after the page's own content, which is closed
first (q ... Q) so nothing the original left in its graphics state changes the footer.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Sequence
from typing import Any

from app.export.pdf_toolkit import fonts
from app.export.streamed_pdf import StreamedPdf

LETTER = (612.0, 792.0)


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
        self._pieces: dict[str, tuple[list[tuple[str, bytes]], float]] = {}

    def runs(self, *pieces: str) -> list[tuple[str, bytes]]:
        """(the font's name in the template's resources, the text's bytes in that font) for
        the pieces' text; each piece is worked out once (a footer is the same three pieces
        with a page number between)."""
        runs: list[tuple[str, bytes]] = []
        for piece in pieces:
            for name, data in self._piece(piece)[0]:
                if runs and runs[-1][0] == name:
                    runs[-1] = (name, runs[-1][1] + data)
                else:
                    runs.append((name, data))
        return runs

    def width(self, size: float, *pieces: str) -> float:
        return size * sum(self._piece(piece)[1] for piece in pieces)

    def _piece(self, text: str) -> tuple[list[tuple[str, bytes]], float]:
        known = self._pieces.get(text)
        if known is None:
            from reportlab.pdfbase import pdfmetrics

            runs: list[tuple[str, bytes]] = []
            for ch in text:
                name, code = self._codes[ch]
                if runs and runs[-1][0] == name:
                    runs[-1] = (name, runs[-1][1] + code)
                else:
                    runs.append((name, code))
            known = self._pieces[text] = (runs, pdfmetrics.stringWidth(text, self.name, 1))
        return known


def placement(rotate: int, box: Sequence[float]) -> tuple[str, float, float]:
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


def _box(value: Any) -> tuple[float, float, float, float] | None:
    """A page box as (left, bottom, right, top), whichever corners it was given by; None
    when it is not four numbers or has no area."""
    try:
        x0, y0, x1, y1 = (float(v) for v in value)
    except (TypeError, ValueError):
        return None
    box = (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
    return box if box[2] > box[0] and box[3] > box[1] else None


def _footer_operators(
    font: _FooterFont, names: dict[str, str], text: Sequence[str], width: float, height: float
) -> bytes:
    """Centred small grey text on a white band, scaled with the page, so a poster-sized
    scan printed on letter paper still shows a readable footer and a small page keeps it
    inside its width; the band keeps it legible over a scan's dark margin."""
    scale = max(0.65, min(6.0, min(width / LETTER[0], height / LETTER[1])))
    size = 7.5 * scale
    text_width = font.width(size, *text)
    pad = 4 * scale
    x = (width - text_width) / 2
    shown = " ".join(
        f"{names[name]} {size:.3f} Tf <{data.hex()}> Tj" for name, data in font.runs(*text)
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


class Footers:
    """Puts the footer on every page of a `StreamedPdf`: the font is written once, and each
    page gets a short content stream of its own."""

    def __init__(self, out: StreamedPdf, left: str, total: int, captions: str) -> None:
        import pikepdf

        self._out, self._total = out, total
        self._prefix, self._suffix = f"{left} · page ", f" of {total}"
        self.font = _FooterFont(f"{left} · page 0123456789 of (picture){captions}")
        used = sorted({name for name, _ in self.font.runs(self.font.characters)})
        with pikepdf.open(io.BytesIO(self.font.template)) as template:
            copied: Any = template.pages[0].Resources.Font
            # Under names of our own in every page's resources: (ours, object number).
            self._fonts = {
                name: (f"/CBFooter{index}", out.copy_object(template, copied[name]))
                for index, name in enumerate(used)
            }
        self.opening = out.add_stream(b"q\n")

    def font_entries(self) -> bytes:
        """The footer's fonts, as entries of a page's /Font resources of our own."""
        return b" ".join(b"%s %d 0 R" % (ours.encode(), n) for ours, n in self._fonts.values())

    def tail(
        self,
        number: int,
        caption: str | None = None,
        rotate: int = 0,
        box: Sequence[float] = (0, 0, *LETTER),
        names: dict[str, str] | None = None,
    ) -> int:
        """The stream that ends page `number`: its footer, and the caption of a picture.
        `names` are the footer fonts' names in the page's resources, where not our own."""
        names = names or {name: ours for name, (ours, _) in self._fonts.items()}
        matrix, width, height = placement(rotate, box)
        text = (self._prefix, *str(number), self._suffix)  # each digit worked out once
        drawing = _footer_operators(self.font, names, text, width, height)
        if caption is not None:
            drawing += b" " + _caption_operators(self.font, names, caption)
        return self._out.add_stream(b"\nQ\nq " + matrix.encode() + b" cm " + drawing + b" Q\n")

    def stamp(self, page: Any, number: int, caption: str | None = None) -> None:
        """Add the footer to a page copied from another PDF (its pikepdf dictionary, before
        it is written)."""
        import pikepdf

        rotate, box = page_geometry(page)
        tail = self.tail(number, caption, rotate, box, self._fonts_on(page))
        contents = page.get("/Contents")
        before = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
        marker = self._out.marker
        page.Contents = pikepdf.Array(
            [marker(self.opening), *(c for c in before if c is not None), marker(tail)]
        )

    def _fonts_on(self, page: Any) -> dict[str, str]:
        """Put the footer's fonts in the page's resources; their names there."""
        return {
            name: add_font(self._out, page, wanted, number)
            for name, (wanted, number) in self._fonts.items()
        }


def page_geometry(page: Any) -> tuple[int, tuple[float, float, float, float]]:
    """A copied page's /Rotate and the box it is seen in, read the way readers read them."""
    rotate = page.get("/Rotate", 0)
    rotate = int(rotate) % 360 if isinstance(rotate, int) else 0  # readers ignore others
    box = _box(page.get("/CropBox")) or _box(page.get("/MediaBox")) or (0, 0, *LETTER)
    return rotate, box


def add_font(out: StreamedPdf, page: Any, wanted: str, number: int) -> str:
    """Put font object `number` of `out` in a copied page's /Font resources; its name there.

    Our name, or the first free or already ours of wanted_1, wanted_2...: pages sharing
    their resources (or a packet put in a packet) add one name, not many."""
    import pikepdf

    if not isinstance(page.get("/Resources"), pikepdf.Dictionary):
        page.Resources = pikepdf.Dictionary()  # damaged: nothing a reader could use
    resources = page.Resources
    if not isinstance(resources.get("/Font"), pikepdf.Dictionary):
        resources.Font = pikepdf.Dictionary()
    here = resources.Font
    marker = out.marker(number)
    for candidate in itertools.chain([wanted], (f"{wanted}_{n}" for n in itertools.count(1))):
        there = here.get(candidate)
        if there is None:
            here[candidate] = marker
        if there is None or there == marker:
            return candidate
    raise AssertionError("unreachable: the names to try never run out")
