"""The person's care journey in date order: the cancer's story from the clinical picture
(diagnosis, surgeries, lines of treatment), documents, visits, medicines, opinions."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.records.appointments import AppointmentStatus, list_appointments
from app.records.documents import dated_documents
from app.records.medications import list_medications
from app.records.opinions import list_opinions
from app.records.picture import ClinicalPicture, PictureRow, Source, short_date
from app.records.picture.model import group_key
from app.vault.binder import Binder


class EventCategory(StrEnum):
    CANCER = "cancer"  # from the clinical picture
    DOCUMENT = "document"
    APPOINTMENT = "appointment"
    MEDICATION = "medication"
    OPINION = "opinion"

    @property
    def label(self) -> str:
        return {
            "cancer": "Diagnosis and treatment",
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
    ref_id: int  # the document, appointment, medicine or opinion (0: none to open)


def _document_id(sources: tuple[Source, ...]) -> int:
    return next((s.id for s in sources if s.kind == "document"), 0)


def _radiation_words(row: PictureRow) -> tuple[str, str]:
    bits = [row.value("dose")]
    if row.value("fractions"):
        bits.append(f"in {row.value('fractions')} fractions")
    if row.value("site"):
        bits.append(f"to the {row.value('site').lower()}")
    start, end = row.value("start"), row.value("end")
    span = f"{short_date(start)} to {short_date(end)}" if start and end else ""
    return "Radiation: " + " ".join(b for b in bits if b), span


def cancer_events(picture: ClinicalPicture) -> list[TimelineEvent]:
    """The diagnosis, each surgery and each line of treatment the picture holds."""
    events = []
    cancer = EventCategory.CANCER
    for diagnosis in picture.cancers():
        when = picture.get(f"{group_key('diagnosis', diagnosis.number)}.date")
        if when is not None and when.value:
            title = f"Diagnosis: {diagnosis.name}"
            ref = _document_id(when.sources)
            events.append(TimelineEvent(when.value, cancer, title, diagnosis.stage, ref))
    for row in picture.section("surgery").rows:
        if day := row.value("date"):
            who = ", ".join(x for x in (row.value("surgeon"), row.value("institution")) if x)
            title = f"Surgery: {row.value('procedure') or 'an operation'}"
            events.append(
                TimelineEvent(day, cancer, title, who, _document_id(row.get("date").sources))
            )
    for row in picture.section("systemic").rows:
        if start := row.value("start"):
            until = f"until {short_date(row.value('end'))}" if row.value("end") else "ongoing"
            detail = "; ".join(x for x in (row.value("regimen"), until) if x)
            title = f"Treatment: {row.value('drug') or 'a cancer medicine'}"
            events.append(TimelineEvent(start, cancer, title, detail, 0))
    for row in picture.section("radiation").rows:
        if day := row.value("start") or row.value("end"):
            title, span = _radiation_words(row)
            events.append(
                TimelineEvent(day, cancer, title, span, _document_id(row.get("dose").sources))
            )
    return events


def timeline(
    binder: Binder,
    person_id: int,
    categories: set[EventCategory] | None = None,
    picture: ClinicalPicture | None = None,
) -> list[TimelineEvent]:
    """The journey's events of the chosen kinds. The cancer's story comes from `picture`
    (given by the caller, who reads it off the UI thread); without one, none of it."""
    wanted = categories or set(EventCategory)
    events: list[TimelineEvent] = []
    if EventCategory.CANCER in wanted and picture is not None:
        events += cancer_events(picture)
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
