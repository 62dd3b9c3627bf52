"""The printable sheets by name, for the CLI's `sheet` command and the window's Print menu."""

from __future__ import annotations

from app.export import sheets, summary_sheet
from app.export.facts import gather
from app.export.redaction import Redaction, redact_facts, redact_more
from app.records.appointments import documents_to_bring, upcoming_of
from app.records.care_team import get_doctor
from app.records.documents import get_document
from app.records.questions import list_questions
from app.vault.binder import Binder

SHEETS = {
    "summary": "Summary sheet",
    "medications": "Medication history",
    "questions": "Questions for the doctor",
    "appointment": "Sheet for the next appointment",
    "treatment": "Treatment summary",
    "timeline": "One-page timeline",
}


def sheet_pdf(
    binder: Binder,
    person_id: int,
    which: str,
    for_doctor: str | None = None,
    redaction: Redaction | None = None,
) -> bytes:
    """One sheet as PDF bytes (in memory: nothing is written until the user says where).
    `redaction`: what to leave out, masked as in the bundle."""
    if which not in SHEETS:
        raise ValueError(f"no sheet called {which!r}")
    raw = gather(binder, person_id, for_doctor)
    facts = redact_facts(raw, redaction)
    if which == "summary":
        return summary_sheet.summary_pdf(facts, None, list(facts.documents))
    if which == "medications":
        return sheets.medications_pdf(facts)
    if which == "questions":
        return sheets.questions_pdf(facts)
    if which == "treatment":
        from app.export.treatment_summary_pdf import treatment_summary_pdf

        return treatment_summary_pdf(binder, person_id, facts, redaction=redaction, raw=raw)
    if which == "timeline":
        from app.export.timeline_pdf import timeline_pdf

        return timeline_pdf(binder, person_id, facts, redaction=redaction, raw=raw)
    upcoming = upcoming_of(raw.appointments)
    appointment = upcoming[0] if upcoming else None
    if appointment is None:
        return sheets.appointment_pdf(facts, None, None, [], [])
    doctor = None
    if appointment.doctor_id is not None:
        team = {d.id: d for d in raw.doctors}
        doctor = team.get(appointment.doctor_id) or get_doctor(binder, appointment.doctor_id)
    listed = {d.id: d for d in raw.documents}
    bring = [
        listed.get(i) or get_document(binder, i) for i in documents_to_bring(binder, appointment.id)
    ]
    questions = list_questions(binder, person_id, appointment.id)
    appointment, doctor, bring, questions = redact_more(
        raw, redaction, (appointment, doctor, bring, questions)
    )
    return sheets.appointment_pdf(facts, appointment, doctor, bring, questions)
