"""The treatment so far and the plan, from the records:

- surgeries: one row per operative report (its date, title, author or linked doctor,
  facility); one per other report that says a surgery was done (a resection's pathology
  report, a discharge summary) or per surgical procedure from a portal file, when no
  operative report lies within a month of it (the same operation);
- systemic therapy: one row per cancer medicine, with every dose change;
- radiation: one row per document that states a course given ("50.4 Gy in 28 fractions");
  a treatment plan only plans one; the same dose and fractions twice is one course;
- side effects from the medicines' side effects and dose-change notes;
- the current plan: the latest treatment-plan document's plan, else the latest opinion's
  recommendation.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import timedelta

from app.ingest.clinical import ReportReading
from app.ingest.clinical.treatments import is_cancer_medicine_name, is_cancer_purpose, stop_reason
from app.ingest.kinds import DocumentKind
from app.records.care_team import get_doctor
from app.records.dates import earliest
from app.records.doses import dose_words
from app.records.medications import Medication
from app.records.models import Document
from app.records.opinions import Opinion
from app.records.picture.found import Found, Founds
from app.records.picture.model import Source, short_date
from app.records.picture.sources import document_source, medication_source, opinion_source
from app.records.procedures import Procedure
from app.vault.binder import Binder

# Where a radiation course given is written down; a treatment plan only plans one, and lab
# results, scans, medication lists and insurance letters do not give one.
_RADIATION_KINDS = (
    DocumentKind.CONSULT_LETTER,
    DocumentKind.DISCHARGE_SUMMARY,
    DocumentKind.OPERATIVE,
    DocumentKind.OTHER,
)
# A procedure's name that says an operation (a portal file lists scans and visits too).
_SURGICAL = re.compile(
    r"ectomy|otomy|ostomy|resection|excision|amputation|repair|plasty|transplant|"
    r"reconstruction|dissection|biopsy of (?:sentinel|lymph)",
    re.IGNORECASE,
)
_DOSE = re.compile(
    r"(\d{1,3}(?:\.\d{1,2})?\s*Gy)\b(?:\D{0,12}?(\d{1,2})\s*(?:fractions|fx))?", re.IGNORECASE
)
SAME_SURGERY_DAYS = 31


def is_cancer_medicine(med: Medication) -> bool:
    if is_cancer_medicine_name(med.name) or med.cycles.strip():
        return True
    return is_cancer_purpose(f"{med.purpose} {med.notes}")


def _dose_history(med: Medication) -> str:
    first = dose_words(med.dose, med.how_often) or "dose not recorded"
    lines = [f"{first} from {short_date(med.start_date)}" if med.start_date else first]
    for change in med.changes:
        dose = dose_words(change.dose, change.how_often)
        note = f" ({change.note})" if change.note else ""
        lines.append(f"{dose} from {short_date(change.changed_on)}{note}")
    return "; ".join(lines)


def within_a_month(a: str | None, b: str | None) -> bool:
    """Two dates close enough to be one operation (its operative and pathology reports)."""
    if not a or not b:
        return False
    try:
        return abs(earliest(a) - earliest(b)) <= timedelta(days=SAME_SURGERY_DAYS)
    except ValueError:
        return False


def _one(value: str, source: Source) -> Found:
    return Found(value, (source,))


def surgeries(
    binder: Binder,
    documents: Sequence[Document],
    readings: dict[int, ReportReading],
    procedures: Sequence[Procedure],
) -> tuple[Founds, list[str]]:
    found: Founds = {}
    rows: list[str] = []
    operative = [d for d in documents if d.kind is DocumentKind.OPERATIVE]
    for doc in operative:
        row = f"surgery.d{doc.id}"
        rows.append(row)
        src = document_source(doc)
        doctor = get_doctor(binder, doc.doctor_id) if doc.doctor_id else None
        by_doctor: tuple[Source, ...] = (src,)
        if doctor:
            by_doctor = (src, Source("doctor", doctor.id, f"Care team: {doctor.name}", doctor.name))
        if doc.date:
            found[f"{row}.date"] = _one(doc.date, src)
        found[f"{row}.procedure"] = _one(doc.title, src)
        surgeon = doc.author or (doctor.name if doctor else "")
        if surgeon:
            found[f"{row}.surgeon"] = Found(surgeon, (src,) if doc.author else by_doctor)
        institution = doc.facility or (doctor.institution if doctor else "")
        if institution:
            found[f"{row}.institution"] = Found(institution, (src,) if doc.facility else by_doctor)
    dates = [d.date for d in operative]
    for doc in documents:
        reading = readings.get(doc.id)
        said = reading.value("treatment.surgery") if reading else ""
        if doc.kind is DocumentKind.OPERATIVE or not said or reading is None:
            continue
        if reading.malignant is False and doc.kind is not DocumentKind.PATHOLOGY:
            continue
        if any(within_a_month(doc.date, d) for d in dates):
            continue  # the operative report of that operation already makes its row
        if not doc.date and (dates or any(r.startswith("surgery.d") for r in rows)):
            continue  # undated: it cannot be told apart from a surgery already listed
        row = f"surgery.d{doc.id}"
        rows.append(row)
        src = document_source(doc)
        if doc.date:
            found[f"{row}.date"] = _one(doc.date, src)
        found[f"{row}.procedure"] = _one(said[:1].upper() + said[1:], src)
        if doc.facility:
            found[f"{row}.institution"] = _one(doc.facility, src)
        if doc.date:
            dates.append(doc.date)
    for procedure in procedures:
        if not _SURGICAL.search(procedure.name) or any(
            within_a_month(procedure.performed_date, d) for d in dates
        ):
            continue
        row = f"surgery.p{procedure.id}"
        rows.append(row)
        src = Source("procedure", procedure.id, f"Procedure: {procedure.name}", procedure.name,
                     procedure.performed_date)  # fmt: skip
        if procedure.performed_date:
            found[f"{row}.date"] = _one(procedure.performed_date, src)
            dates.append(procedure.performed_date)
        found[f"{row}.procedure"] = _one(procedure.name, src)
        if procedure.performer:
            found[f"{row}.surgeon"] = _one(procedure.performer, src)
        if procedure.facility:
            found[f"{row}.institution"] = _one(procedure.facility, src)
    order = {row: (found.get(f"{row}.date", Found("9999", ())).value, row) for row in rows}
    return found, sorted(rows, key=lambda r: order[r])


def medicines(medications: Sequence[Medication]) -> tuple[Founds, list[str]]:
    """Systemic therapy rows, and the side effects of all of them."""
    found: Founds = {}
    rows: list[str] = []
    effects: list[str] = []
    effect_sources: list[Source] = []
    for med in medications:
        if not is_cancer_medicine(med):
            continue
        row = f"systemic.m{med.id}"
        rows.append(row)
        src = medication_source(med)
        found[f"{row}.drug"] = _one(med.name, src)
        if med.purpose:
            found[f"{row}.regimen"] = _one(med.purpose, src)
        found[f"{row}.doses"] = _one(_dose_history(med), src)
        if med.cycles:
            found[f"{row}.cycles"] = _one(med.cycles, src)
        if med.start_date:
            found[f"{row}.start"] = _one(med.start_date, src)
        if med.stop_date:
            found[f"{row}.end"] = _one(med.stop_date, src)
            if reason := stop_reason(med.notes):
                found[f"{row}.reason"] = _one(reason, src)
        noted = [med.side_effects.strip()] if med.side_effects.strip() else []
        noted += [f"{c.note} ({short_date(c.changed_on)})" for c in med.changes if c.note.strip()]
        if noted:
            effects.append(f"{med.name}: {'; '.join(noted)}")
            effect_sources.append(src)
    if effects:
        found["side_effects.text"] = Found(". ".join(effects), tuple(effect_sources))
    return found, rows


def radiation(
    documents: Sequence[Document], readings: dict[int, ReportReading]
) -> tuple[Founds, list[str]]:
    found: Founds = {}
    courses: dict[tuple[str, str], tuple[Document, dict[str, str]]] = {}
    for doc in documents:
        reading = readings.get(doc.id)
        if doc.kind not in _RADIATION_KINDS or reading is None:
            continue
        stated = reading.value("treatment.radiation")
        dose = _DOSE.search(stated)
        if not dose:
            continue
        course = {
            "site": reading.value("treatment.radiation_site"),
            "dose": dose.group(1).replace("Gy", " Gy").replace("  ", " "),
            "fractions": dose.group(2) or "",
            "start": reading.value("treatment.radiation_start"),
            "end": reading.value("treatment.radiation_end") or doc.date or "",
        }  # a radiation summary is written when the course ends
        # A completion summary repeats the plan's course: the later document is kept.
        courses[(course["dose"], course["fractions"])] = (doc, course)
    rows = []
    for doc, course in sorted(courses.values(), key=lambda dc: (dc[0].date or "", dc[0].id)):
        row = f"radiation.d{doc.id}"
        rows.append(row)
        for name, value in course.items():
            if value:
                found[f"{row}.{name}"] = _one(value, document_source(doc))
    return found, rows


def current_plan(
    documents: Sequence[Document], readings: dict[int, ReportReading], opinions: Sequence[Opinion]
) -> Founds:
    """The treating team's written plan, else what the latest opinion recommended."""
    plans = sorted(
        (d for d in documents if d.kind is DocumentKind.TREATMENT_PLAN),
        key=lambda d: (d.date or "", d.id),
    )
    if plans:
        doc = plans[-1]
        reading = readings.get(doc.id)
        body = " ".join((reading.value("plan") if reading else "").split())[:500]
        words = f"See “{doc.title}” of {short_date(doc.date)}"
        return {"plan.text": _one(f"{body} ({words})" if body else words, document_source(doc))}
    recommended = [o for o in opinions if o.recommendation.strip()]
    if recommended:
        opinion = recommended[-1]
        return {"plan.text": _one(opinion.recommendation, opinion_source(opinion))}
    return {}
