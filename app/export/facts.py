"""What the bundle and the printed sheets say about a person, gathered once from the records.

Every sheet, the README, the FHIR summary and the choice of records read this one snapshot
(each list read once), so the files of one bundle cannot disagree with each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from app.records.allergies import Allergy, list_allergies
from app.records.appointments import (
    Appointment,
    AppointmentStatus,
    list_appointments,
    upcoming_of,
)
from app.records.care_team import Doctor, doctor_among, list_doctors
from app.records.coded import Code, medication_codes
from app.records.conditions import Condition, list_conditions
from app.records.date_display import shown_date
from app.records.documents import list_documents
from app.records.imaging import ImagingStudy, list_studies
from app.records.insurance import Insurance, get_insurance
from app.records.medications import Medication, list_medications
from app.records.models import Document, DocumentKind, Person
from app.records.opinions import Opinion, list_opinions
from app.records.people import get_person
from app.records.picture import ClinicalPicture, clinical_picture
from app.records.questions import Question, list_questions
from app.records.readiness import second_opinion_of
from app.records.recurrence import Recurrence, recurrences
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
    # The cancer, its stage, biomarkers and treatment, as every sheet and the FHIR file say it.
    picture: ClinicalPicture | None = None
    # issue 19: the imaging studies a bundle encloses as a DICOM file set, oldest first.
    imaging: tuple[ImagingStudy, ...] = field(default_factory=tuple)
    # Every document of the person, as listed once (the bundle chooses its records here).
    documents: tuple[Document, ...] = field(default_factory=tuple)
    recurrences: dict[int, Recurrence] = field(default_factory=dict)  # repeating appointments

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
    """Every date in a sheet is shown the one way the window shows it (`shown_date`)."""
    return shown_date(iso, "date not known")


short_date = long_date


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
    appointments = list_appointments(binder, person_id)
    upcoming = upcoming_of(appointments)
    default_visit = second_opinion_of(upcoming)
    doctor: Doctor | None = None
    name = ""
    if for_doctor:
        try:
            doctor = doctor_among(doctors, for_doctor)
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
    everything = [a for a in appointments if a.status is not AppointmentStatus.CANCELLED]
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
        picture=clinical_picture(binder, person_id),
        imaging=tuple(
            sorted(
                (s for s in list_studies(binder, person_id) if s.include_in_bundle),
                key=lambda s: (s.date is None, s.date or "", s.id),
            )
        ),
        documents=tuple(documents),
        recurrences=recurrences(binder, person_id),
    )
