"""The house style of every PDF CareBinder writes with reportlab: fonts, colours, paragraph
styles, tables, the "Page n of N" footer and the letter-size page.

The sheets (summary, medications, questions, appointment), the treatment summary, the
records-request letters, the recovery sheet, the records packet's contents pages and the
timeline's words all draw with these, so a doctor meets one look across everything.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from app.export.facts import Facts, long_date

_FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/Library/Fonts"),
    Path("C:/Windows/Fonts"),
)
_fonts: tuple[str, str] | None = None

INK = "#1f2933"
MUTED = "#52606d"
RULE = "#9aa5b1"
SHADE = "#eef2f6"


def fonts() -> tuple[str, str]:
    """(regular, bold): DejaVu Sans where installed (it has the accents and scripts of any
    name), else the PDF base font Helvetica."""
    global _fonts
    if _fonts is not None:
        return _fonts
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    _fonts = ("Helvetica", "Helvetica-Bold")
    for folder in _FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            try:
                pdfmetrics.registerFont(TTFont("CB-Sans", str(regular)))
                pdfmetrics.registerFont(TTFont("CB-Sans-Bold", str(bold)))
            except Exception:  # a damaged font file: the base font still works
                continue
            from reportlab.lib.fonts import addMapping

            addMapping("CB-Sans", 0, 0, "CB-Sans")
            addMapping("CB-Sans", 1, 0, "CB-Sans-Bold")
            addMapping("CB-Sans", 0, 1, "CB-Sans")
            addMapping("CB-Sans", 1, 1, "CB-Sans-Bold")
            _fonts = ("CB-Sans", "CB-Sans-Bold")
            break
    return _fonts


def styles() -> dict[str, Any]:
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle

    regular, bold = fonts()
    muted = colors.HexColor(MUTED)
    base = ParagraphStyle(
        "body", fontName=regular, fontSize=10, leading=13.5, textColor=colors.HexColor(INK)
    )
    return {
        "title": ParagraphStyle("title", base, fontName=bold, fontSize=17, leading=21),
        "subtitle": ParagraphStyle("subtitle", base, fontSize=10.5, textColor=muted),
        "h2": ParagraphStyle(
            "h2", base, fontName=bold, fontSize=12, leading=15, spaceBefore=10, spaceAfter=4,
            keepWithNext=1,
            textColor=colors.HexColor("#243b53"),
        ),
        "body": base,
        "muted": ParagraphStyle("muted", base, textColor=muted, fontSize=9, leading=12),
        "cell": ParagraphStyle("cell", base, fontSize=9, leading=11.5),
        "head": ParagraphStyle("head", base, fontName=bold, fontSize=9, leading=11.5),
        "question": ParagraphStyle("question", base, fontName=bold, fontSize=11, leading=14.5),
        "intro": ParagraphStyle(
            "intro", base, textColor=muted, fontSize=9, leading=12, keepWithNext=1
        ),
    }  # fmt: skip


def printable(text: str) -> str:
    """Text without the emoji no PDF base font draws (they would print as empty boxes)."""
    return "".join(
        ch
        for ch in text
        if ord(ch) <= 0xFFFF and not 0xFE00 <= ord(ch) <= 0xFE0F and ch != "\u200d"
    ).replace("  ", " ")


def p(text: str, style: Any) -> Any:
    from reportlab.platypus import Paragraph

    return Paragraph(escape(printable(text)).replace("\n", "<br/>"), style)


def table(rows: Sequence[Sequence[str]], widths: Sequence[float], st: dict[str, Any]) -> Any:
    """A table with a shaded header row; cells wrap instead of spilling over."""
    from reportlab.platypus import Table

    data = [[p(c, st["head"]) for c in rows[0]]]
    data += [[p(c, st["cell"]) for c in row] for row in rows[1:]]
    result = Table(data, colWidths=list(widths), repeatRows=1, hAlign="LEFT")
    result.setStyle(grid_style())
    return result


def grid_style(line: str = "#d9e2ec", pad: float = 3, side: float = 4) -> Any:
    """The look of `table`: a shaded header row over a rule, a thin `line` under each row,
    `pad` above and below and `side` left and right of each cell."""
    from reportlab.lib import colors
    from reportlab.platypus import TableStyle

    return TableStyle(
        [
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(SHADE)),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.HexColor(RULE)),
            ("LINEBELOW", (0, 1), (-1, -1), 0.3, colors.HexColor(line)),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), pad),
            ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
            ("LEFTPADDING", (0, 0), (-1, -1), side),
            ("RIGHTPADDING", (0, 0), (-1, -1), side),
        ]
    )


def facts_table(
    rows: Sequence[tuple[str, Any]],
    st: dict[str, Any],
    width: float,
    label_width: float = 1.55 * 72,
) -> Any:
    """Label / value pairs, labels in bold, no grid. A value is text, or a flowable already
    made (the treatment summary's values carry their own source marks)."""
    from reportlab.platypus import Table, TableStyle

    data = [
        [p(label, st["head"]), p(value, st["cell"]) if isinstance(value, str) else value]
        for label, value in rows
    ]
    result = Table(data, colWidths=[label_width, width - label_width], hAlign="LEFT")
    result.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return result


def footer_canvas(left: str, prepared: date) -> Any:
    """A canvas class that writes "Page n of N" once the page count is known."""
    from reportlab.pdfgen import canvas

    regular, _ = fonts()

    class NumberedCanvas(canvas.Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._saved: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._saved.append(dict(self.__dict__))
            self._startPage()  # type: ignore[attr-defined]

        def save(self) -> None:
            total = len(self._saved)
            for state in self._saved:
                self.__dict__.update(state)
                self._draw_footer(total)
                super().showPage()
            super().save()

        def _draw_footer(self, total: int) -> None:
            width, _height = self._pagesize  # type: ignore[attr-defined]
            self.saveState()
            self.setFont(regular, 8)
            self.setFillColorRGB(0.32, 0.38, 0.43)
            self.setStrokeColorRGB(0.8, 0.84, 0.88)
            self.line(54, 40, width - 54, 40)
            self.drawString(54, 28, printable(left))
            page = self.getPageNumber()
            right = f"Prepared {long_date(prepared.isoformat())} · Page {page} of {total}"
            self.drawRightString(width - 54, 28, right)
            self.restoreState()

    return NumberedCanvas


def build(story: list[Any], facts: Facts, title: str) -> bytes:
    from reportlab.lib.pagesizes import letter
    from reportlab.platypus import SimpleDocTemplate

    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=letter,
        leftMargin=54,
        rightMargin=54,
        topMargin=50,
        bottomMargin=58,
        title=f"{title}: {facts.person.name}",
        author="CareBinder",
        creator="CareBinder",
    )
    left = f"{facts.person.name} · born {facts.born}"
    doc.build(story, canvasmaker=footer_canvas(left, facts.prepared_on))
    return out.getvalue()


WIDTH = 8.5 * 72 - 108  # the text width on a letter page with our margins


def header(facts: Facts, title: str, st: dict[str, Any]) -> list[Any]:
    from reportlab.platypus import Spacer

    story = [p(title, st["title"])]
    line = f"{facts.person.name}, born {facts.born}"
    if facts.for_doctor:
        line += f" · prepared for {facts.for_doctor}"
    story += [p(line, st["subtitle"]), Spacer(1, 6)]
    return story
