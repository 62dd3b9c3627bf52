"""What the bundle and the printed sheets say about a person, gathered once from the records.

Every sheet, the README and the FHIR summary read this one snapshot, so they cannot
disagree with each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from app.records.allergies import Allergy, list_allergies
from app.records.appointments import Appointment, AppointmentStatus, list_appointments
from app.records.care_team import Doctor, list_doctors
from app.records.coded import Code, medication_codes
from app.records.conditions import Condition, list_conditions
from app.records.documents import list_documents
from app.records.imaging import ImagingStudy, list_studies
from app.records.insurance import Insurance, get_insurance
from app.records.medications import Medication, list_medications
from app.records.models import Document, DocumentKind, Person
from app.records.opinions import Opinion, list_opinions
from app.records.people import get_person
from app.records.questions import Question, list_questions
from app.records.readiness import second_opinion_appointment
from app.vault.binder import Binder


@dataclass(frozen=True)
class Facts:
    person: Person
    prepared_on: date
    for_doctor: str  # the name on the cover; "" when the bundle is for no one in particular
    doctor: Doctor | None  # that doctor, when they are in the care team
    visit: Appointment | None  # the visit the bundle is for
    diagnosis: Opinion | None  # the latest opinion that states a diagnosis
    stage: Opinion | None  # the latest opinion that states a stage
    plan: Opinion | None  # the latest opinion that states a recommendation
    treatment_plan: Document | None  # the latest treatment-plan document
    doctors: tuple[Doctor, ...]
    medications: tuple[Medication, ...]
    appointments: tuple[Appointment, ...]
    questions: tuple[Question, ...]  # for this visit, then those for any visit
    insurance: Insurance
    pathology: tuple[Document, ...] = field(default_factory=tuple)
    conditions: tuple[Condition, ...] = field(default_factory=tuple)  # problems and diagnoses
    allergies: tuple[Allergy, ...] = field(default_factory=tuple)
    medication_codes: dict[int, tuple[Code, ...]] = field(default_factory=dict)  # by med id
    # issue 19: the imaging studies a bundle encloses as a DICOM file set, oldest first.
    imaging: tuple[ImagingStudy, ...] = field(default_factory=tuple)

    @property
    def current_medications(self) -> list[Medication]:
        return [m for m in self.medications if m.still_taking]

    @property
    def past_medications(self) -> list[Medication]:
        return [m for m in self.medications if not m.still_taking]

    @property
    def born(self) -> str:
        return long_date(self.person.born) if self.person.born else "not recorded"

    @property
    def reason(self) -> str:
        if self.visit and self.visit.purpose:
            return self.visit.purpose
        if self.visit:
            return self.visit.kind.label
        return ""


def long_date(iso: str | None) -> str:
    """ "2026-09-15" -> "15 September 2026"; partial dates keep their precision."""
    if not iso:
        return "date not known"
    parts = iso.split("-")
    try:
        if len(parts) == 3:
            day = date(int(parts[0]), int(parts[1]), int(parts[2]))
            return f"{day.day} {day:%B %Y}"
        if len(parts) == 2:
            return f"{date(int(parts[0]), int(parts[1]), 1):%B %Y}"
    except ValueError:
        pass
    return iso


def short_date(iso: str | None) -> str:
    """ "2026-09-20" -> "20 Sep 2026", for narrow table columns."""
    text = long_date(iso)
    for month in ("January", "February", "March", "April", "June", "July", "August",
                  "September", "October", "November", "December"):  # fmt: skip
        text = text.replace(month, month[:3])
    return text


def _latest(opinions: list[Opinion], attribute: str) -> Opinion | None:
    stated = [o for o in opinions if str(getattr(o, attribute)).strip()]
    return stated[-1] if stated else None


def _visit(
    appointments: list[Appointment], doctor: Doctor | None, default: Appointment | None
) -> Appointment | None:
    if doctor is not None:
        upcoming = [
            a for a in appointments if a.doctor_id == doctor.id and a.status.value == "planned"
        ]
        if upcoming:
            return upcoming[0]
        return None
    return default


def gather(binder: Binder, person_id: int, for_doctor: str | None = None) -> Facts:
    """The snapshot for one person; `for_doctor` names the doctor the bundle is for (a care
    team member's name or id, or any name). Without it, the doctor of the next booked
    second-opinion visit."""
    from app.records.errors import RecordsError

    person = get_person(binder, person_id)
    doctors = list_doctors(binder, person_id)
    upcoming = list_appointments(binder, person_id, upcoming=True)
    default_visit = second_opinion_appointment(binder, person_id)
    doctor: Doctor | None = None
    name = ""
    if for_doctor:
        from app.records.care_team import find_doctor

        try:
            doctor = find_doctor(binder, person_id, for_doctor)
            name = doctor.name
        except RecordsError:
            name = " ".join(for_doctor.split())
        visit = _visit(upcoming, doctor, None)
    else:
        visit = default_visit
        if visit is not None and visit.doctor_id is not None:
            doctor = next((d for d in doctors if d.id == visit.doctor_id), None)
            name = doctor.name if doctor else ""
    opinions = list_opinions(binder, person_id)
    documents = list_documents(binder, person_id)
    plans = sorted(
        (d for d in documents if d.kind is DocumentKind.TREATMENT_PLAN), key=lambda d: d.date or ""
    )
    questions = list_questions(binder, person_id, visit.id) if visit else []
    general = [q for q in list_questions(binder, person_id, None) if not q.answered]
    everything = [
        a
        for a in list_appointments(binder, person_id)
        if a.status is not AppointmentStatus.CANCELLED
    ]
    return Facts(
        person=person,
        prepared_on=date.today(),
        for_doctor=name,
        doctor=doctor,
        visit=visit,
        diagnosis=_latest(opinions, "diagnosis"),
        stage=_latest(opinions, "stage"),
        plan=_latest(opinions, "recommendation"),
        treatment_plan=plans[-1] if plans else None,
        doctors=tuple(doctors),
        medications=tuple(list_medications(binder, person_id)),
        appointments=tuple(everything),
        questions=tuple([*questions, *general]),
        insurance=get_insurance(binder, person_id),
        pathology=tuple(d for d in documents if d.kind is DocumentKind.PATHOLOGY),
        conditions=tuple(list_conditions(binder, person_id)),
        allergies=tuple(list_allergies(binder, person_id)),
        medication_codes=medication_codes(binder.db, person_id),
        imaging=tuple(
            sorted(
                (s for s in list_studies(binder, person_id) if s.include_in_bundle),
                key=lambda s: (s.date is None, s.date or "", s.id),
            )
        ),
    )
