"""The invisible text under a scanned page of the records packet, as OCRmyPDF's "sandwich"
does: every word read by OCR, drawn in invisible ink (text render mode 3) where it stands
in the picture, so a doctor's PDF reader finds and copies "adenocarcinoma" on page 37.

The words and where they are come from the binder (read at import, `app.records.
page_words`): nothing is read again at export. The picture and the page's own content are
not touched: the layer is one more content stream, put before them (under the picture).

Each word is drawn with one text matrix that carries it from its baseline's start to its
end and gives it its line's height, so a skewed or turned word stays on its picture. The
font is Helvetica, which every PDF reader has (not embedded: no glyph is ever painted).
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Sequence

from app.export.streamed_pdf import StreamedPdf
from app.records.page_words import PageWords

FONT_NAME = "/CBText"
_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"


def _width(text: str) -> float:
    """The word's width in Helvetica at size 1 (text space units)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return stringWidth(text, "Helvetica", 1)


class TextLayers:
    """Writes the text layers of a packet's scanned pages; the font object is written once."""

    def __init__(self, out: StreamedPdf) -> None:
        self._out = out
        self.font = out.add_object(_FONT)

    def font_entry(self) -> bytes:
        """The layer's font, as an entry of a page's /Font resources of our own."""
        return b"%s %d 0 R" % (FONT_NAME.encode(), self.font)

    def stream(
        self,
        page: PageWords,
        box: Sequence[float],
        matrix: str = "1 0 0 1 0 0",
        font: str = FONT_NAME,
    ) -> int | None:
        """The content stream laying `page`'s words over `box` (left, bottom, width, height:
        where the page as it was read is shown, in the space `matrix` maps to the page's
        own); None when there is no word to lay."""
        left, bottom, width, height = box
        sx, sy = width / max(page.width, 1), height / max(page.height, 1)
        shown = []
        for word in page.words:
            data = word.text.encode("cp1252", "replace")
            natural = _width(data.decode("cp1252"))
            # From pixels (y down) to points (y up).
            x0, y0 = left + word.x0 * sx, bottom + height - word.y0 * sy
            x1, y1 = left + word.x1 * sx, bottom + height - word.y1 * sy
            length = math.hypot(x1 - x0, y1 - y0)
            if length <= 0 or natural <= 0:
                continue
            ux, uy = (x1 - x0) / length, (y1 - y0) / length
            size = word.size * (sx + sy) / 2
            # Along the baseline, stretched to the word's length; up, its line's height.
            a, b = ux * length / natural, uy * length / natural
            c, d = -uy * size, ux * size
            shown.append(f"{a:.4f} {b:.4f} {c:.4f} {d:.4f} {x0:.2f} {y0:.2f} Tm <{data.hex()}> Tj")
        if not shown:
            return None
        body = f"q {matrix} cm BT 3 Tr {font} 1 Tf\n" + "\n".join(shown) + "\nET Q\n"
        return self._out.add_stream(
            zlib.compress(body.encode("latin-1"), 6), b"/Filter /FlateDecode"
        )
