"""The printed sheets besides the summary (app/export/summary_sheet.py): the medication
history, the questions for a visit, and one appointment (reportlab, in the house style of
app/export/pdf_toolkit.py).

Each is a real PDF with selectable text, page numbers ("Page 1 of 2") and the date it was
prepared, written for a busy clinic: plain headings, real tables, and a plain sentence where
the binder knows nothing (never an empty table).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from app.export.facts import Facts, long_date, short_date
from app.export.pdf_toolkit import (
    RULE,
    WIDTH,
    build,
    facts_table,
    fonts,
    header,
    p,
    styles,
    table,
)
from app.export.sheet_words import doctor_line, when_text
from app.records.appointments import Appointment
from app.records.care_team import Doctor
from app.records.medications import Medication
from app.records.models import Document
from app.records.questions import Question

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
    story = header(facts, "Medication history", st)
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
    story = header(facts, f"Questions{who}", st)
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
    story = header(facts, "Appointment", st)
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
