"""The top of Summary.pdf's first page: the cancer as the clinical picture holds it (the
diagnosis in plain words, grade, stage with its TNM, biomarkers, date of diagnosis), the
treatments so far and the current plan.

Every value names its source (a bracketed number, the sources listed under the table) and
says how far to trust it: "not yet checked" until the patient confirmed it, "written by the
patient", or, where two records disagree, both values with their sources and "the records
disagree". The same words as the Overview, the treatment summary and the FHIR file, because
all of them read the same picture (app.records.picture.model).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any
from xml.sax.saxutils import escape

from app.export import pdf_toolkit
from app.export.facts import Facts, long_date, short_date
from app.export.sheet_words import said_by
from app.records.picture import ClinicalPicture, Diagnosis, FieldState, PictureField, Source
from app.records.picture.model import biomarker_words, group_key

NOT_CHECKED = "not yet checked"


class SourceMarks:
    """Numbers the sources in order of first use: "[1]", "[1, 3]"."""

    def __init__(self) -> None:
        self.numbers: dict[tuple[str, int], int] = {}
        self.labels: list[str] = []

    def mark(self, sources: Iterable[Source]) -> str:
        marks = []
        for source in sources:
            key = (source.kind, source.id)
            if key not in self.numbers:
                self.labels.append(source.label)
                self.numbers[key] = len(self.labels)
            if str(self.numbers[key]) not in marks:
                marks.append(str(self.numbers[key]))
        return f"[{', '.join(marks)}]" if marks else ""

    def listed(self) -> str:
        return " · ".join(f"[{n}] {label}" for n, label in enumerate(self.labels, 1))


def _small(text: str) -> str:
    return f'<font size="7.5" color="{pdf_toolkit.MUTED}">{escape(text)}</font>' if text else ""


def _trust(fields: Sequence[PictureField]) -> str:
    """How far the values of a line were checked, in words."""
    if any(f.state is FieldState.FOUND for f in fields):
        return NOT_CHECKED
    if fields and all(f.state.by_user for f in fields):
        return "written by the patient"
    return ""


def _line(text: str, fields: Sequence[PictureField], marks: SourceMarks) -> str:
    """A value (already escaped) with its check words and source marks, small and grey."""
    said = [f for f in fields if f.value]
    # The strongest two records of each value: a page-one line, not the whole list.
    sources = [s for f in said if not f.state.by_user for s in f.sources[:2]]
    notes = " ".join(x for x in (_trust(said), marks.mark(sources)) if x)
    return f"{text} {_small(notes)}".strip()


def _disagreement(item: PictureField, marks: SourceMarks) -> str:
    said = [f"{escape(pdf_toolkit.printable(c.value))} {_small(marks.mark(c.sources))}" for c in
            item.candidates]  # fmt: skip
    return " or ".join(said) + " " + _small("(the records disagree; not yet settled)")


def _cancer_rows(cancer: Diagnosis, marks: SourceMarks) -> list[tuple[str, str]]:
    picture, number = cancer.picture, cancer.number

    def get(base: str, name: str) -> PictureField | None:
        return picture.get(f"{group_key(base, number)}.{name}")

    def fields(base: str, *names: str) -> list[PictureField]:
        return [f for n in names if (f := get(base, n)) is not None]

    rows: list[tuple[str, str]] = []
    disputed = [f for f in picture.fields() if f.in_conflict and f.key.split(".")[0] in (
        group_key("diagnosis", number), group_key("stage", number))]  # fmt: skip
    named = fields("diagnosis", "histology", "site", "laterality")
    if cancer.name:
        rows.append(("Diagnosis", _line(escape(cancer.name), named, marks)))
    if cancer.grade:
        rows.append(("Grade", _line(escape(cancer.grade), fields("diagnosis", "grade"), marks)))
    staged = fields("stage", "group", "clinical_t", "clinical_n", "clinical_m", "pathologic_t",
                    "pathologic_n", "pathologic_m", "ajcc_edition")  # fmt: skip
    if cancer.stage:
        rows.append(("Stage", _line(escape(cancer.stage), staged, marks)))
    for item in disputed:
        rows.append((item.label, _disagreement(item, marks)))
    if (when := get("diagnosis", "date")) and when.value:
        rows.append(("Diagnosed", _line(escape(long_date(when.value)), [when], marks)))
    markers = [
        _line(escape(biomarker_words(f)), [f], marks) for f in cancer.biomarkers() if f.value
    ] + [
        f"{escape(f.label)}: {_disagreement(f, marks)}"
        for f in picture.fields()
        if f.in_conflict and f.key.startswith(f"{group_key('biomarker', number)}.")
    ]
    if markers:
        rows.append(("Biomarkers", "; ".join(markers)))
    return rows


def _treatment_rows(picture: ClinicalPicture, marks: SourceMarks) -> list[str]:
    done: list[str] = []
    for row in picture.section("surgery").rows:
        what = row.value("procedure") or "Surgery"
        when = f", {short_date(row.value('date'))}" if row.value("date") else ""
        done.append(_line(escape(f"{what}{when}"), list(row.fields), marks))
    for row in picture.section("systemic").rows:
        start, end = row.value("start"), row.value("end")
        when = ""
        if start:
            when = f", {short_date(start)} to {short_date(end) if end else 'now'}"
        done.append(_line(escape(f"{row.value('drug') or 'Medicine'}{when}"), list(row.fields),
                          marks))  # fmt: skip
    for row in picture.section("radiation").rows:
        bits = [row.value("dose")] if row.value("dose") else []
        if row.value("fractions"):
            bits.append(f"in {row.value('fractions')} fractions")
        if row.value("site"):
            bits.append(f"to the {row.value('site').lower()}")
        start, end = row.value("start"), row.value("end")
        if start or end:
            bits.append(f"{short_date(start)} to {short_date(end)}" if start else short_date(end))
        text = "Radiation" + (f": {' '.join(bits)}" if bits else "")
        done.append(_line(escape(text), list(row.fields), marks))
    return done


def diagnosis_story(facts: Facts, st: dict[str, Any]) -> list[Any]:
    """The heading, the table and its sources, for Summary.pdf."""
    from reportlab.platypus import Paragraph, Spacer

    story: list[Any] = [pdf_toolkit.p("Diagnosis, treatment and plan", st["h2"])]
    picture = facts.picture
    cancers = picture.cancers() if picture is not None else []
    marks = SourceMarks()
    rows: list[tuple[str, Any]] = []
    for cancer in cancers:
        if len(cancers) > 1:
            which = "Main cancer" if cancer.number == cancers[0].number else "Another cancer"
            rows.append((which, ""))
        rows += _cancer_rows(cancer, marks)
    if picture is not None:
        done = _treatment_rows(picture, marks)
        if cancers or done:
            rows.append(("Treatments so far", "; ".join(done) or "None recorded yet."))
        plan = picture.get("plan.text")
        if plan is not None and plan.value:
            rows.append(("Current plan", _line(escape(plan.value), [plan], marks)))
    if facts.treatment_plan is not None:
        d = facts.treatment_plan
        where = f", {d.facility}" if d.facility else ""
        rows.append(("Written plan", escape(f"{d.title}, {long_date(d.date)}{where} (enclosed)")))
    if facts.plan is not None:
        rows.append(("Recommended", escape(f"{facts.plan.recommendation} ({said_by(facts.plan)})")))
    if not cancers:
        text = "No diagnosis or stage has been recorded in this binder."
        if facts.pathology:
            names = "; ".join(f"{d.title} ({long_date(d.date)})" for d in facts.pathology[:3])
            text += f" Please see the pathology report: {names}."
        story.append(pdf_toolkit.p(text, st["body"]))
    if rows:
        cells = [
            (label, Paragraph(pdf_toolkit.printable(value), st["cell"])) for label, value in rows
        ]
        story.append(pdf_toolkit.facts_table(cells, st, pdf_toolkit.WIDTH))
    if marks.labels:
        story.append(Spacer(1, 2))
        where = f"Where each value comes from: {marks.listed()}."
        if any(NOT_CHECKED in v for _, v in rows):
            where = f"“{NOT_CHECKED}”: found in the records, not yet confirmed by the patient. "
            where += f"Sources: {marks.listed()}."
        story.append(pdf_toolkit.p(where, st["muted"]))
    return story
