"""The printable sheets by name, for the CLI's `sheet` command and the window's Print menu."""

from __future__ import annotations

from app.export import sheets
from app.export.facts import gather
from app.records.appointments import documents_to_bring, list_appointments
from app.records.care_team import get_doctor
from app.records.documents import get_document, list_documents
from app.records.questions import list_questions
from app.vault.binder import Binder

SHEETS = {
    "summary": "Summary sheet",
    "medications": "Medication history",
    "questions": "Questions for the doctor",
    "appointment": "Sheet for the next appointment",
}


def sheet_pdf(binder: Binder, person_id: int, which: str, for_doctor: str | None = None) -> bytes:
    """One sheet as PDF bytes (in memory: nothing is written until the user says where)."""
    if which not in SHEETS:
        raise ValueError(f"no sheet called {which!r}")
    facts = gather(binder, person_id, for_doctor)
    if which == "summary":
        return sheets.summary_pdf(facts, None, list_documents(binder, person_id))
    if which == "medications":
        return sheets.medications_pdf(facts)
    if which == "questions":
        return sheets.questions_pdf(facts)
    upcoming = list_appointments(binder, person_id, upcoming=True)
    appointment = upcoming[0] if upcoming else None
    if appointment is None:
        return sheets.appointment_pdf(facts, None, None, [], [])
    doctor = get_doctor(binder, appointment.doctor_id) if appointment.doctor_id else None
    bring = [get_document(binder, i) for i in documents_to_bring(binder, appointment.id)]
    questions = list_questions(binder, person_id, appointment.id)
    return sheets.appointment_pdf(facts, appointment, doctor, bring, questions)
