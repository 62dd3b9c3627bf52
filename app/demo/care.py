"""The demo people's care team, medications, appointments, allergies and other health
problems (all fictional).

Past visits have fixed dates that match the demo documents; the coming second-opinion
visit is placed a few days after today, so the demo always has something upcoming.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from app.records.allergies import add_allergy
from app.records.appointments import (
    AppointmentKind,
    AppointmentStatus,
    add_appointment,
    bring_document,
)
from app.records.care_team import add_doctor
from app.records.conditions import add_condition
from app.records.documents import list_documents, update_document
from app.records.medications import add_medication, change_dose
from app.records.picture import clinical_picture, confirm_field, set_field
from app.records.questions import add_question, answer_question
from app.vault.binder import Binder

ZONE = "America/Chicago"


@dataclass(frozen=True)
class DemoDoctor:
    key: str
    name: str
    specialty: str
    role: str
    institution: str
    phone: str = ""
    fax: str = ""
    portal: str = ""


@dataclass(frozen=True)
class DemoMedication:
    name: str
    dose: str
    how_often: str
    purpose: str
    start: str | None
    stop: str | None = None
    prescriber: str | None = None
    changes: tuple[tuple[str, str], ...] = ()  # (date, new dose)
    cycles: str = ""
    side_effects: str = ""


@dataclass(frozen=True)
class DemoAppointment:
    when: str  # "2026-10-06T14:00", or "+9T10:00" for nine days after today
    doctor: str | None
    minutes: int
    location: str
    purpose: str
    kind: AppointmentKind
    questions: tuple[str, ...] = ()
    notes: str = ""
    bring_titles: tuple[str, ...] = ()


@dataclass(frozen=True)
class DemoCare:
    doctors: tuple[DemoDoctor, ...]
    medications: tuple[DemoMedication, ...]
    appointments: tuple[DemoAppointment, ...] = field(default_factory=tuple)
    # Document author -> doctor key, to link documents to the doctor they came from.
    document_doctors: tuple[tuple[str, str], ...] = ()
    # Treatment-summary fields as the person wrote them (what no record says).
    summary: tuple[tuple[str, str], ...] = ()
    # Values of the clinical picture the person checked against the reports (those the
    # records give; a key the reader does not fill is left alone).
    confirmed: tuple[str, ...] = ()
    # Typed in by the person: (substance, reaction, severity, since).
    allergies: tuple[tuple[str, str, str, str | None], ...] = ()
    # Other health problems typed in: (name, since, ended, status as stored).
    conditions: tuple[tuple[str, str | None, str | None, str], ...] = ()


ELEANOR = DemoCare(
    doctors=(
        DemoDoctor("lopez", "Dr. Maria Lopez", "Family medicine", "Primary care",
                   "Riverside Family Medicine", "(555) 014-1000", "(555) 014-1001"),
        DemoDoctor("nguyen", "Dr. Paul Nguyen", "Breast imaging", "Radiologist",
                   "Riverside Imaging Center", "(555) 016-2200", "(555) 016-2201"),
        DemoDoctor("okafor", "Dr. Helen Okafor", "Pathology", "Pathologist",
                   "Riverside General Hospital", "(555) 010-3300", "(555) 010-3301"),
        DemoDoctor("brandt", "Dr. Samuel Brandt", "Medical oncology", "Treating oncologist",
                   "Lakeside Cancer Center", "(555) 019-4400", "(555) 019-4401",
                   "https://portal.lakeside.example"),
        DemoDoctor("rao", "Dr. Anita Rao", "Breast surgery", "Surgeon",
                   "Lakeside Cancer Center", "(555) 019-4410", "(555) 019-4401"),
        DemoDoctor("castellanos", "Dr. Irene Castellanos", "Breast medical oncology",
                   "Second-opinion doctor", "Northshore University Cancer Institute",
                   "(555) 017-5500", "(555) 017-5501"),
    ),
    medications=(
        DemoMedication("Lisinopril", "5 mg", "once a day", "blood pressure", "2019-03",
                       prescriber="lopez", changes=(("2021-02", "10 mg"),)),
        DemoMedication("Atorvastatin", "20 mg", "at night", "cholesterol", "2021-06",
                       prescriber="lopez"),
        DemoMedication("Vitamin D3", "1000 IU", "once a day", "bone health", "2022"),
        DemoMedication("Ibuprofen", "400 mg", "as needed", "knee pain", "2026-08",
                       stop="2026-09-11", prescriber="lopez"),
        DemoMedication("Lorazepam", "0.5 mg", "as needed before scans", "anxiety",
                       "2026-09-20", prescriber="brandt"),
    ),
    appointments=(
        DemoAppointment("2026-09-05T10:00", "nguyen", 60, "Riverside Imaging Center",
                        "Diagnostic mammogram and ultrasound", AppointmentKind.TEST_OR_SCAN),
        DemoAppointment("2026-09-15T08:30", "nguyen", 45, "Riverside Imaging Center",
                        "Core needle biopsy", AppointmentKind.TEST_OR_SCAN),
        DemoAppointment(
            "2026-10-06T14:00", "brandt", 60, "Lakeside Cancer Center, 3rd floor",
            "First oncology visit", AppointmentKind.FIRST_VISIT,
            questions=("What stage is it?", "Will I need chemotherapy?"),
            notes="Stage IIA, hormone positive. Surgery first, then radiation and letrozole. "
            "Genomic test on the surgery specimen decides about chemotherapy. He supports a "
            "second opinion.",
        ),
        DemoAppointment("2026-10-14T11:00", "brandt", 30, "Lakeside Cancer Center",
                        "Treatment plan visit", AppointmentKind.FOLLOW_UP),
        DemoAppointment(
            "+9T10:00", "castellanos", 60, "Northshore University Cancer Institute, Breast Center",
            "Second opinion on the treatment plan", AppointmentKind.SECOND_OPINION,
            questions=(
                "How sure are you of the diagnosis? Should the biopsy slides be reviewed again?",
                "Would you recommend surgery first, or treatment before surgery?",
                "Do I need the genomic test before deciding about chemotherapy?",
                "What happens if I wait a few weeks to decide?",
            ),
            bring_titles=(
                "Surgical pathology report: left breast core biopsy",
                "Breast MRI with and without contrast",
                "Treatment plan summary",
            ),
        ),
        DemoAppointment("+16T09:00", "rao", 45, "Lakeside Cancer Center, Surgery clinic",
                        "Surgical consultation", AppointmentKind.FIRST_VISIT),
    ),
    document_doctors=(
        ("Dr. Paul Nguyen", "nguyen"),
        ("Dr. Helen Okafor", "okafor"),
        ("Dr. Samuel Brandt", "brandt"),
    ),
    # The October medication list says "Penicillin (rash)".
    allergies=(("Penicillin", "rash", "moderate", "1985"),
               ("Adhesive tape", "red, itchy skin", "mild", None)),
    conditions=(("High blood pressure", "2019-03", None, "active"),
                ("High cholesterol", "2021-06", None, "active"),
                ("Left knee pain", "2026-08", "2026-09", "resolved")),
    # Eleanor checked her diagnosis and stage against the reports; her biomarkers not yet.
    confirmed=("diagnosis.site", "diagnosis.laterality", "diagnosis.histology",
               "diagnosis.grade", "diagnosis.grade_system", "diagnosis.date", "stage.group",
               "stage.clinical_t", "stage.clinical_n", "stage.clinical_m", "stage.ajcc_edition"),
)  # fmt: skip

THOMAS = DemoCare(
    doctors=(
        DemoDoctor("mensah", "Dr. Kwame Mensah", "Cardiology", "Cardiologist",
                   "Riverside General Hospital", "(555) 010-7700", "(555) 010-7701"),
        DemoDoctor("lopez", "Dr. Maria Lopez", "Family medicine", "Primary care",
                   "Riverside Family Medicine", "(555) 014-1000", "(555) 014-1001"),
        DemoDoctor("ortega", "Dr. Daniel Ortega", "Colorectal surgery", "Surgeon",
                   "Lakeside Cancer Center", "(555) 019-4420", "(555) 019-4401"),
        DemoDoctor("shah", "Dr. Priya Shah", "Medical oncology", "Treating oncologist",
                   "Lakeside Cancer Center", "(555) 019-4430", "(555) 019-4401"),
        DemoDoctor("menon", "Dr. Ravi Menon", "Radiation oncology", "Radiation oncologist",
                   "Lakeside Cancer Center", "(555) 019-4440", "(555) 019-4401"),
    ),
    medications=(
        DemoMedication("Capecitabine", "825 mg/m2", "twice a day on radiation days",
                       "chemotherapy with radiation", "2021-03-22", stop="2021-04-29",
                       prescriber="shah"),
        DemoMedication("Oxaliplatin", "130 mg/m2", "every 3 weeks",
                       "CAPOX chemotherapy after surgery", "2021-08-16", stop="2021-12-20",
                       prescriber="shah",
                       changes=(("2021-09-27", "100 mg/m2"), ("2021-11-08", "85 mg/m2")),
                       cycles="6 planned, 6 given",
                       side_effects="numb fingers and toes (dose lowered twice)"),
        DemoMedication("Aspirin", "81 mg", "once a day", "heart (after stent)", "2024-02",
                       prescriber="mensah"),
        DemoMedication("Clopidogrel", "75 mg", "once a day", "heart (after stent)", "2024-02",
                       stop="2025-02", prescriber="mensah"),
        DemoMedication("Metoprolol", "25 mg", "twice a day", "heart rate", "2024-02",
                       prescriber="mensah", changes=(("2025-06-10", "50 mg"),)),
        DemoMedication("Atorvastatin", "40 mg", "at night", "cholesterol", "2024-02",
                       prescriber="mensah"),
    ),
    appointments=(
        DemoAppointment("2026-07-01T09:15", "mensah", 30, "Riverside Heart Clinic",
                        "Cardiology follow-up", AppointmentKind.FOLLOW_UP),
        DemoAppointment("+23T15:30", "lopez", 30, "Riverside Family Medicine",
                        "Annual check-up", AppointmentKind.FOLLOW_UP),
    ),
    document_doctors=(("Dr. Kwame Mensah", "mensah"), ("Dr. Daniel Ortega", "ortega"),
                      ("Dr. Ravi Menon", "menon")),
    conditions=(("Coronary artery disease (stent placed)", "2024-02", None, "active"),),
    summary=(("symptom.what", "Blood in the stool"), ("symptom.date", "2021-01"),
             ("plan.text", "Follow-up every 6 months: CEA blood test; CT scan once a year; "
                           "colonoscopy in 2027")),
)  # fmt: skip


def _when(text: str, today: date) -> datetime:
    if text.startswith("+"):
        days, clock = text[1:].split("T")
        day = today + timedelta(days=int(days))
        hour, minute = (int(part) for part in clock.split(":"))
        return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo(ZONE))
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(ZONE))


def fill_care(binder: Binder, person_id: int, care: DemoCare, today: date) -> None:
    doctors = {}
    for d in care.doctors:
        doctors[d.key] = add_doctor(
            binder, person_id, d.name, specialty=d.specialty, role=d.role,
            institution=d.institution, phone=d.phone, fax=d.fax, portal=d.portal,
        ).id  # fmt: skip
    documents = list_documents(binder, person_id)
    by_author = dict(care.document_doctors)
    for doc in documents:
        if doc.author in by_author:
            update_document(binder, doc.id, doctor_id=doctors[by_author[doc.author]])
    for m in care.medications:
        med = add_medication(
            binder, person_id, m.name, start=m.start, stop=m.stop,
            prescriber_id=doctors[m.prescriber] if m.prescriber else None,
            dose=m.dose, how_often=m.how_often, purpose=m.purpose, cycles=m.cycles,
            side_effects=m.side_effects,
        )  # fmt: skip
        for on, dose in m.changes:
            change_dose(binder, med.id, dose, on=on)
    now = datetime.now(ZoneInfo(ZONE))
    by_title = {doc.title: doc.id for doc in documents}
    for a in care.appointments:
        when = _when(a.when, today)
        appt = add_appointment(
            binder, person_id, when, time_zone=ZONE,
            doctor_id=doctors[a.doctor] if a.doctor else None, minutes=a.minutes,
            location=a.location, purpose=a.purpose, kind=a.kind,
            status=AppointmentStatus.DONE if when < now else AppointmentStatus.PLANNED,
            notes=a.notes,
        )  # fmt: skip
        for text in a.questions:
            question = add_question(binder, person_id, text, appt.id)
            if when < now:
                answer_question(binder, question.id, "Answered at the visit; see the notes.")
        for title in a.bring_titles:
            bring_document(binder, appt.id, by_title[title])
    for key, value in care.summary:
        set_field(binder, person_id, key, value)
    if care.confirmed:
        picture = clinical_picture(binder, person_id)
        for key in care.confirmed:
            if picture.value(key):
                confirm_field(binder, person_id, key)
    for name, reaction, severity, noted in care.allergies:
        add_allergy(binder, person_id, name, reaction, severity, noted, status="active")
    for name, onset, resolved, status in care.conditions:
        add_condition(binder, person_id, name, onset, resolved, status)
