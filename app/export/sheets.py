"""The printed sheets: summary, medication history, questions, appointment (reportlab).

Each is a real PDF with selectable text, page numbers ("Page 1 of 2") and the date it was
prepared, written for a busy clinic: plain headings, real tables, and a plain sentence where
the binder knows nothing (never an empty table).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from app.export.contents import Entry, Inclusion
from app.export.facts import Facts, long_date, short_date
from app.records.allergies import is_no_known
from app.records.appointments import Appointment
from app.records.care_team import Doctor
from app.records.medications import Medication
from app.records.models import Document
from app.records.opinions import Opinion
from app.records.questions import Question

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


def _footer_canvas(left: str, prepared: date) -> Any:
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
    doc.build(story, canvasmaker=_footer_canvas(left, facts.prepared_on))
    return out.getvalue()


WIDTH = 8.5 * 72 - 108  # the text width on a letter page with our margins


def _header(facts: Facts, title: str, st: dict[str, Any]) -> list[Any]:
    from reportlab.platypus import Spacer

    story = [p(title, st["title"])]
    line = f"{facts.person.name}, born {facts.born}"
    if facts.for_doctor:
        line += f" · prepared for {facts.for_doctor}"
    story += [p(line, st["subtitle"]), Spacer(1, 6)]
    return story


def when_text(appointment: Appointment) -> str:
    start = appointment.local_start
    text = f"{start:%A} {start.day} {start:%B %Y}, {start:%H:%M}"
    if appointment.time_zone:
        text += f" ({appointment.time_zone.replace('_', ' ')} time)"
    if appointment.minutes:
        text += f", about {appointment.minutes} minutes"
    return text


def dose_text(med: Medication, current: bool = True) -> str:
    dose = med.current_dose if current else med.dose
    often = med.current_how_often if current else med.how_often
    parts = [
        x for x in (med.strength if med.strength and med.strength != dose else "", dose, often) if x
    ]
    return " ".join(parts) or "dose not recorded"


def doctor_line(doctor: Doctor) -> str:
    role = ", ".join(x for x in (doctor.role, doctor.specialty) if x)
    return role


def said_by(opinion: Opinion) -> str:
    who = opinion.doctor or "a doctor"
    when = f" on {long_date(opinion.given_on)}" if opinion.given_on else ""
    return f"as stated by {who}{when}"


# -- summary -------------------------------------------------------------------------------


def summary_pdf(
    facts: Facts, entries: Sequence[Entry] | None, documents: Sequence[Document]
) -> bytes:
    """The one-to-two-page summary. `entries`: what the bundle encloses (None when the sheet
    is printed on its own; then `documents` lists the records the binder holds)."""
    from reportlab.platypus import KeepTogether, Spacer

    st = styles()
    title = "Summary for the second-opinion visit" if facts.visit else "Medical summary"
    story = _header(facts, title, st)

    about: list[tuple[str, str]] = [("Name", facts.person.name), ("Date of birth", facts.born)]
    if facts.visit:
        who = facts.visit.doctor or facts.for_doctor or "not named"
        about.append(("Visit", f"{when_text(facts.visit)}, with {who}"))
        if facts.visit.location:
            about.append(("Where", facts.visit.location))
    if facts.reason:
        about.append(("Reason for the visit", facts.reason))
    ins = facts.insurance
    if ins.plan:
        plan = ins.plan + (f", member ID {ins.member_id}" if ins.member_id else "")
        about.append(("Insurance", plan))
    story.append(facts_table(about, st, WIDTH))

    # Page 1 leads with the cancer, read from the clinical picture (app/export/summary_diagnosis).
    from app.export.summary_diagnosis import diagnosis_story

    story += diagnosis_story(facts, st)
    problems = [c for c in facts.conditions if c.status.lower() not in ("resolved", "inactive")]
    if problems:
        listed = "; ".join(
            c.name + (f" (since {long_date(c.onset_date)})" if c.onset_date else "")
            for c in problems
        )
        story.append(Spacer(1, 3))
        cancers = facts.picture.cancers() if facts.picture is not None else []
        other = "Other conditions" if cancers else "Conditions"  # beside a diagnosis, or alone
        story.append(p(f"{other} on record: {listed}.", st["muted"]))

    story.append(p("Care team", st["h2"]))
    team = [d for d in facts.doctors if d.id != (facts.doctor.id if facts.doctor else None)]
    if team:
        rows_t = [["Name", "Role", "Institution", "Phone", "Fax"]]
        rows_t += [[d.name, doctor_line(d), d.institution, d.phone, d.fax] for d in team]
        story.append(table(rows_t, [1.35 * 72, 1.5 * 72, 1.55 * 72, 1.25 * 72, 1.25 * 72], st))
    else:
        others = "other " if facts.doctors else ""
        story.append(p(f"No {others}doctors are recorded.", st["body"]))

    story.append(p("Current medications", st["h2"]))
    current = facts.current_medications
    if current:
        rows_m = [["Medicine", "Dose and how often", "Since", "For"]]
        rows_m += [
            [
                m.name,
                dose_text(m),
                short_date(m.start_date) if m.start_date else "not known",
                m.purpose,
            ]
            for m in current
        ]
        story.append(table(rows_m, [1.6 * 72, 2.4 * 72, 1.3 * 72, 1.7 * 72], st))
    else:
        story.append(p("No current medications are recorded.", st["body"]))
    past = facts.past_medications
    if past:
        names = ", ".join(f"{m.name} (stopped {long_date(m.stop_date)})" for m in past)
        story.append(Spacer(1, 3))
        story.append(
            p(
                f"Stopped: {names}. The whole history, with dose changes, is in Medications.pdf."
                if entries is not None
                else f"Stopped: {names}.",
                st["muted"],
            )
        )
    story.append(p("Allergies", st["h2"]))
    real_allergies = [a for a in facts.allergies if not is_no_known(a)]
    no_known = [a for a in facts.allergies if is_no_known(a)]
    if real_allergies:
        rows_a = [["Allergy or intolerance", "Reaction", "Severity", "Noted"]]
        rows_a += [
            [a.name, a.reaction, a.severity, short_date(a.noted_date) if a.noted_date else ""]
            for a in real_allergies
        ]
        story.append(table(rows_a, [2.3 * 72, 2.3 * 72, 1.1 * 72, 1.3 * 72], st))
    elif no_known:
        # Said, not left blank: the doctor can tell "none" from "never asked".
        said = no_known[0]
        portal = said.source_document_id is not None
        who = "from a patient-portal record" if portal else "recorded by the patient"
        when = f", {long_date(said.noted_date)}" if said.noted_date else ""
        story.append(p(f"No known allergies ({who}{when}).", st["body"]))
    else:
        story.append(p("None recorded in this binder: please ask the patient.", st["body"]))

    story.append(p("Enclosed records" if entries is not None else "Records held", st["h2"]))
    if entries is not None:
        in_packet = [e for e in entries if e.inclusion is Inclusion.PACKET]
        if in_packet:
            rows_r = [["Date", "Kind", "Record", "Packet pages"]]
            for e in sorted(in_packet, key=lambda e: e.start):
                pages = f"{e.start}" if e.pages == 1 else f"{e.start}-{e.start + e.pages - 1}"
                rows_r.append(
                    [short_date(e.document.date), e.document.kind.label, e.document.title, pages]
                )
            story.append(
                p(
                    f"{len(in_packet)} records, in date order, in “Records packet.pdf”; "
                    "each original file is in the folder “records”.",
                    st["intro"],
                )
            )
            story.append(Spacer(1, 3))
            story.append(table(rows_r, [0.9 * 72, 1.55 * 72, 3.6 * 72, 0.95 * 72], st))
        else:
            story.append(p("No record could be put in the records packet.", st["body"]))
        apart = [e for e in entries if e.inclusion is not Inclusion.PACKET]
        if apart:
            lines = [p("Not in the packet:", st["head"])]
            for e in apart:
                doc = e.document
                lines.append(p(f"• {doc.title} ({short_date(doc.date)}): {e.note}", st["cell"]))
            story.append(Spacer(1, 4))
            story.append(KeepTogether(lines))
    elif documents:
        rows_d = [["Date", "Kind", "Record"]]
        rows_d += [
            [d.date or "undated", d.kind.label, d.title]
            for d in sorted(documents, key=lambda d: d.date or "")
        ]
        story.append(table(rows_d, [0.9 * 72, 1.6 * 72, 4.5 * 72], st))
    else:
        story.append(p("No records are held in this binder yet.", st["body"]))
    return build(story, facts, "Summary")


# -- medications -----------------------------------------------------------------------------


def _history(med: Medication) -> str:
    """One line per dose, each from the date it started: "Feb 2021   10 mg once a day"."""
    often = med.how_often
    first = " ".join(x for x in (med.dose, often) if x) or "dose not recorded"
    started = short_date(med.start_date) if med.start_date else "start not known"
    lines = [f"{started}: {first}"]
    for change in med.changes:
        often = change.how_often or often
        note = f" ({change.note})" if change.note else ""
        dose = " ".join(x for x in (change.dose or "", often) if x)
        lines.append(f"{short_date(change.changed_on)}: {dose}{note}")
    return "\n".join(lines)


def medications_pdf(facts: Facts) -> bytes:
    st = styles()
    story = _header(facts, "Medication history", st)
    if not facts.medications:
        story.append(
            p("No medications are recorded in this binder, now or in the past.", st["body"])
        )
        return build(story, facts, "Medication history")
    story.append(
        p(
            "Every medicine recorded, now and in the past. Each dose is shown from the date it "
            "started.",
            st["muted"],
        )
    )
    story.append(p("Taken now", st["h2"]))
    current = facts.current_medications
    if current:
        rows = [["Medicine", "For", "Doses, from the date each started", "Prescribed by"]]
        rows += [[m.name, m.purpose, _history(m), m.prescriber or ""] for m in current]
        story.append(table(rows, [1.3 * 72, 1.3 * 72, 3.0 * 72, 1.4 * 72], st))
    else:
        story.append(p("No medicine is taken now.", st["body"]))
    story.append(p("Stopped", st["h2"]))
    past = facts.past_medications
    if past:
        rows = [
            ["Medicine", "For", "Doses, from the date each started", "Stopped", "Prescribed by"]
        ]
        rows += [
            [m.name, m.purpose, _history(m), short_date(m.stop_date), m.prescriber or ""]
            for m in past
        ]
        story.append(table(rows, [1.2 * 72, 1.1 * 72, 2.5 * 72, 0.95 * 72, 1.25 * 72], st))
    else:
        story.append(p("No medicine has been stopped.", st["body"]))
    return build(story, facts, "Medication history")


# -- questions -----------------------------------------------------------------------------------


def _answer_space(st: dict[str, Any], lines: int) -> Any:
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    rule = Table(
        [[""] for _ in range(lines)], colWidths=[WIDTH - 18], rowHeights=22, hAlign="RIGHT"
    )
    rule.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.HexColor(RULE))]))
    return rule


def _ruled_lines_class() -> Any:
    from reportlab.platypus import Flowable

    class Ruled(Flowable):
        """Lines to write on, filling what is left of the page (at least `least`)."""

        def __init__(self, least: int, most: int) -> None:
            super().__init__()
            self.least, self.most, self.count = least, most, least

        def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
            self.width = available_width
            # KeepTogether asks with a near-endless height: answer the least, so the heading
            # and the lines stay together; the frame then asks with the real room left.
            room = available_height if available_height < 5000 else 0
            self.count = max(self.least, min(self.most, int(room // 22)))
            self.height = self.count * 22
            return self.width, self.height

        def draw(self) -> None:
            canvas = self.canv
            canvas.setStrokeColorRGB(0.6, 0.65, 0.69)
            canvas.setLineWidth(0.5)
            for index in range(self.count):
                y = self.height - (index + 1) * 22 + 1
                canvas.line(18, y, self.width, y)

    return Ruled


def RuledLines(least: int, most: int) -> Any:
    return _ruled_lines_class()(least, most)


def _questions_story(
    questions: Sequence[Question], st: dict[str, Any], lines: int = 3
) -> list[Any]:
    from reportlab.platypus import KeepTogether, Spacer

    story: list[Any] = []
    for number, question in enumerate(questions, 1):
        story.append(
            KeepTogether(
                [
                    p(f"{number}. {question.text}", st["question"]),
                    _answer_space(st, lines),
                    Spacer(1, 8),
                ]
            )
        )
    return story


def questions_pdf(facts: Facts) -> bytes:
    from reportlab.platypus import Spacer

    st = styles()
    who = f" for {facts.for_doctor}" if facts.for_doctor else ""
    story = _header(facts, f"Questions{who}", st)
    if facts.visit:
        story.append(p(f"Visit: {when_text(facts.visit)}", st["muted"]))
    if not facts.questions:
        story.append(p("No questions have been written down yet.", st["body"]))
    else:
        story.append(p("The patient's questions, with room to write the answers.", st["muted"]))
        story.append(Spacer(1, 10))
        story += _questions_story(facts.questions, st)
    return build(story, facts, "Questions")


# -- appointment -----------------------------------------------------------------------------------

BRING_ALWAYS = (
    "Photo ID and insurance card",
    "The list of medicines (or the medicines themselves)",
    "A family member or friend, if possible",
)


def appointment_pdf(
    facts: Facts, appointment: Appointment | None, doctor: Doctor | None, bring: Sequence[Document],
    questions: Sequence[Question],
) -> bytes:  # fmt: skip
    from reportlab.platypus import Spacer

    st = styles()
    story = _header(facts, "Appointment", st)
    if appointment is None:
        story.append(p("No appointment is booked.", st["body"]))
        return build(story, facts, "Appointment")
    rows = [("When", when_text(appointment))]
    who = appointment.doctor or "not named"
    if doctor is not None:
        who = ", ".join(x for x in (doctor.name, doctor_line(doctor), doctor.institution) if x)
    rows.append(("With", who))
    if appointment.location:
        rows.append(("Where", appointment.location))
    if doctor is not None and doctor.phone:
        rows.append(("Phone", doctor.phone + (f" · fax {doctor.fax}" if doctor.fax else "")))
    rows.append(("Reason", appointment.purpose or appointment.kind.label))
    story.append(facts_table(rows, st, WIDTH))
    story.append(p("What to bring", st["h2"]))
    for item in [*(f"{d.title} ({long_date(d.date)})" for d in bring), *BRING_ALWAYS]:
        story.append(p(f"☐  {item}" if fonts()[0] != "Helvetica" else f"[  ]  {item}", st["body"]))
    story.append(p("Questions to ask", st["h2"]))
    if questions:
        story += _questions_story(questions, st, lines=2)
    else:
        story.append(p("No questions written down yet.", st["body"]))
    story.append(p("Notes", st["h2"]))
    story.append(RuledLines(4, 14))
    story.append(Spacer(1, 4))
    return build(story, facts, "Appointment")
