"""The treatment summary on paper: the clinical picture, one or two letter pages in the house
style of pdf_toolkit.py.

Each value carries a small bracketed number pointing to its source in the list at the end
("[2] Operative report: Low anterior resection, 3 Jun 2024"); values the patient wrote are
marked "(patient)", values found in the records but not yet checked end with "*", and where
two records disagree both values are printed with their sources and "(the records disagree)",
so the doctor knows how much to trust each line. Only what is known is printed (an empty
detail is left out; an empty section says so in a sentence). Readable in greyscale: no
meaning rests on colour.
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from app.export import pdf_toolkit
from app.export.facts import Facts, gather, long_date, short_date
from app.export.summary_diagnosis import SourceMarks
from app.records.picture import (
    ClinicalPicture,
    FieldState,
    PictureField,
    Section,
    clinical_picture,
)
from app.vault.binder import Binder

TITLE = "Treatment summary"


def _shown(item: PictureField, short: bool = False) -> str:
    """The value as printed; `short` dates ("3 Jun 2024") for table columns."""
    if not item.value:
        return "ongoing" if item.key.endswith(".end") and item.is_date else "not recorded"
    if item.is_date:
        return short_date(item.value) if short else long_date(item.value)
    return item.value


def _cell(item: PictureField, sources: SourceMarks, style: Any, short: bool = False) -> Any:
    """The value, then its source marks, small and grey."""
    from reportlab.platypus import Paragraph

    if item.in_conflict:
        said = [
            f"{escape(pdf_toolkit.printable(c.value))} "
            f'<font size="7.5" color="{pdf_toolkit.MUTED}">{sources.mark(c.sources)}</font>'
            for c in item.candidates
        ]
        return Paragraph(
            " or ".join(said) + f' <font size="7.5" color="{pdf_toolkit.MUTED}">'
            "(the records disagree)</font>",
            style,
        )
    text = escape(pdf_toolkit.printable(_shown(item, short))).replace("\n", "<br/>")
    if not item.value:
        text = f"<i>{text}</i>"
    notes = []
    if item.state.by_user:
        notes.append("(patient)")
    elif item.state is FieldState.FOUND:
        notes.append("*")
    if item.value and not item.state.by_user:
        notes.append(sources.mark(item.sources))
    note = " ".join(n for n in notes if n)
    if note:
        text += f' <font size="7.5" color="{pdf_toolkit.MUTED}">{escape(note)}</font>'
    return Paragraph(text, style)


def _single(section: Section, sources: SourceMarks, st: dict[str, Any]) -> Any:
    said = [f for f in section.rows[0].fields if f.value or f.in_conflict]
    rows = [(f.label, _cell(f, sources, st["cell"])) for f in said]
    return pdf_toolkit.facts_table(rows, st, pdf_toolkit.WIDTH, label_width=1.75 * 72)


_WIDTHS = {"surgery": (0.95, 2.6, 1.6, 1.85), "radiation": (1.9, 1.1, 0.9, 1.55, 1.55)}


def _rows(section: Section, sources: SourceMarks, st: dict[str, Any]) -> Any:
    if section.key == "systemic":
        return _systemic(section, sources, st)
    fields = section.rows[0].fields
    data: list[list[Any]] = [[pdf_toolkit.p(f.label, st["head"]) for f in fields]]
    for row in section.rows:
        data.append([_cell(f, sources, st["cell"], short=True) for f in row.fields])
    return _grid(data, _WIDTHS[section.key])


def _systemic(section: Section, sources: SourceMarks, st: dict[str, Any]) -> Any:
    """Medicine | regimen | doses (each change) | cycles | dates | why it stopped."""
    heads = ["Medicine", "Regimen or purpose", "Doses, from the date each started", "Cycles",
             "Dates", "Reason stopped"]  # fmt: skip
    data: list[list[Any]] = [[pdf_toolkit.p(h, st["head"]) for h in heads]]
    for row in section.rows:
        start, end = row.get("start"), row.get("end")
        dates = PictureField(
            f"{row.key}.dates",
            "Dates",
            f"{_shown(start, True)} to {_shown(end, True)}" if start.value else "",
            "",
            start.state if start.state is not FieldState.EMPTY else end.state,
            tuple({*start.sources, *end.sources}),
        )
        data.append(
            [_cell(row.get("drug"), sources, st["cell"]),
             _cell(row.get("regimen"), sources, st["cell"]),
             _cell(row.get("doses"), sources, st["cell"]),
             _cell(row.get("cycles"), sources, st["cell"]),
             _cell(dates, sources, st["cell"]),
             _cell(row.get("reason"), sources, st["cell"])]
        )  # fmt: skip
    return _grid(data, (1.0, 1.15, 2.1, 0.7, 1.05, 1.0))


def _grid(data: list[list[Any]], inches: tuple[float, ...]) -> Any:
    """A table of the rows of one section, headed; column widths in inches."""
    from reportlab.platypus import Table

    result = Table(data, colWidths=[w * 72 for w in inches], repeatRows=1, hAlign="LEFT")
    # The sheets' table look, as this summary always had it: darker row lines, tighter cells.
    result.setStyle(pdf_toolkit.grid_style(line="#b8c2cc", pad=2.5, side=3))
    return result


def summary_story(summary: ClinicalPicture, facts: Facts) -> list[Any]:
    from reportlab.platypus import KeepTogether, Spacer

    st = pdf_toolkit.styles()
    story: list[Any] = [pdf_toolkit.p(TITLE, st["title"])]
    line = f"{facts.person.name}, born {facts.born}"
    if facts.for_doctor:
        line += f" · prepared for {facts.for_doctor}"
    story += [pdf_toolkit.p(line, st["subtitle"]), Spacer(1, 3)]
    story.append(
        pdf_toolkit.p(
            "Filled in from the records in this binder and checked by the patient or "
            "caregiver. [n]: the source, listed at the end. *: found in the records, not yet "
            "checked. (patient): written by the patient. This is not a medical record: the "
            "enclosed reports are.",
            st["muted"],
        )
    )
    sources = SourceMarks()
    for section in summary.sections:
        if section.key == "symptom" and section.is_empty:
            continue  # rarely known; an empty line about it helps no one
        heading = pdf_toolkit.p(section.title, st["h2"])
        if section.is_empty:
            story.append(KeepTogether([heading, pdf_toolkit.p(section.empty_text, st["body"])]))
        elif section.repeating:
            story.append(KeepTogether([heading, _rows(section, sources, st)]))
        else:
            story.append(KeepTogether([heading, _single(section, sources, st)]))
    listed = sources.listed() or "Everything above was written by the patient."
    story.append(
        KeepTogether([pdf_toolkit.p("Sources", st["h2"]), pdf_toolkit.p(listed, st["muted"])])
    )
    return story


def treatment_summary_pdf(
    binder: Binder,
    person_id: int,
    facts: Facts | None = None,
    for_doctor: str | None = None,
    redaction: Any = None,
    raw: Facts | None = None,
) -> bytes:
    """`facts`: the (already redacted) snapshot of the bundle or sheet; `redaction`: an
    app.export.redaction.Redaction, applied to the summary's own values too; `raw`: the
    snapshot before redaction (read again when not given)."""
    facts = facts or gather(binder, person_id, for_doctor)
    summary = facts.picture if facts.picture is not None else clinical_picture(binder, person_id)
    if redaction is not None:
        from app.export.redaction import redact_more

        summary = redact_more(raw or gather(binder, person_id), redaction, summary)
    return pdf_toolkit.build(summary_story(summary, facts), facts, TITLE)
