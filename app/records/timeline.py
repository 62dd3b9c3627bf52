"""The person's care journey in date order: documents, visits, medicines, opinions."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.records.appointments import AppointmentStatus, list_appointments
from app.records.documents import dated_documents
from app.records.medications import list_medications
from app.records.opinions import list_opinions
from app.vault.binder import Binder


class EventCategory(StrEnum):
    DOCUMENT = "document"
    APPOINTMENT = "appointment"
    MEDICATION = "medication"
    OPINION = "opinion"

    @property
    def label(self) -> str:
        return {
            "document": "Documents",
            "appointment": "Appointments",
            "medication": "Medications",
            "opinion": "Opinions",
        }[self.value]


@dataclass(frozen=True)
class TimelineEvent:
    date: str  # YYYY, YYYY-MM or YYYY-MM-DD
    category: EventCategory
    title: str
    detail: str
    ref_id: int


def timeline(
    binder: Binder, person_id: int, categories: set[EventCategory] | None = None
) -> list[TimelineEvent]:
    wanted = categories or set(EventCategory)
    events: list[TimelineEvent] = []
    if EventCategory.DOCUMENT in wanted:
        for doc_id, when, title, kind, facility in dated_documents(binder, person_id):
            where = f", {facility}" if facility else ""
            events.append(
                TimelineEvent(when, EventCategory.DOCUMENT, title, f"{kind.label}{where}", doc_id)
            )
    if EventCategory.APPOINTMENT in wanted:
        for appt in list_appointments(binder, person_id):
            if appt.status is AppointmentStatus.CANCELLED:
                continue
            who = f" with {appt.doctor}" if appt.doctor else ""
            title = appt.purpose or f"{appt.kind.label}{who}"
            state = "planned" if appt.status is AppointmentStatus.PLANNED else "visit"
            events.append(
                TimelineEvent(appt.local_start.date().isoformat(), EventCategory.APPOINTMENT,
                              title, f"{appt.kind.label}{who} ({state})", appt.id)
            )  # fmt: skip
    if EventCategory.MEDICATION in wanted:
        for med in list_medications(binder, person_id):
            if med.start_date:
                events.append(
                    TimelineEvent(med.start_date, EventCategory.MEDICATION,
                                  f"Started {med.name}", f"{med.dose} {med.how_often}".strip(),
                                  med.id)
                )  # fmt: skip
            for change in med.changes:
                events.append(
                    TimelineEvent(change.changed_on, EventCategory.MEDICATION,
                                  f"{med.name} dose changed",
                                  f"{change.dose} {change.how_often}".strip(), med.id)
                )  # fmt: skip
            if med.stop_date:
                events.append(
                    TimelineEvent(med.stop_date, EventCategory.MEDICATION,
                                  f"Stopped {med.name}", "", med.id)
                )  # fmt: skip
    if EventCategory.OPINION in wanted:
        for opinion in list_opinions(binder, person_id):
            if opinion.given_on:
                events.append(
                    TimelineEvent(opinion.given_on, EventCategory.OPINION,
                                  f"Opinion of {opinion.doctor or 'a doctor'}",
                                  opinion.recommendation or opinion.diagnosis, opinion.id)
                )  # fmt: skip
    return sorted(events, key=lambda e: (e.date, e.category.value, e.title))
