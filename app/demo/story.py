"""The rest of each demo person's story: the opinions that differ, a records request still
waiting, a bundle already given to a doctor, and the insurance answers (all fictional).

Eleanor (breast cancer, 2026): Dr. Brandt advises surgery first; Dr. Hale, a surgeon she
saw in October, advises treatment before surgery. Her visit with Dr. Castellanos is to
settle it; she is still waiting for Dr. Hale's written note, and she sent her records to
Dr. Hale before his visit. Thomas (rectal cancer, 2021, treated): Dr. Shah advised
radiation with chemotherapy, then surgery, then chemotherapy; Dr. Fischer, a second
opinion at Northshore, advised all the chemotherapy and radiation before surgery. He chose
Dr. Shah's plan. He is asking Lakeside for the discharge summary of his 2021 operation.

Kept apart from care.py so that each part of the demo can change on its own. Dates of
requests and shares are set from today, so "waiting 2 weeks" stays true.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from app.records.appointments import AppointmentKind, AppointmentStatus, add_appointment
from app.records.care_team import add_doctor, list_doctors
from app.records.documents import list_documents
from app.records.insurance import save_insurance
from app.records.opinions import add_opinion
from app.records.records_requests import add_request
from app.records.share_log import BUNDLE, SharedDocument, record_share
from app.vault.binder import Binder

ZONE = "America/Chicago"


@dataclass(frozen=True)
class DemoOpinion:
    doctor: str  # a care-team name
    given_on: str
    facts: tuple[tuple[str, str], ...]
    visit: str = ""  # the visit's purpose, for a visit of its own on that day


@dataclass(frozen=True)
class DemoRequest:
    facility: str
    department: str
    what: str
    days_ago: int
    method: str
    checklist_item: str = ""
    notes: str = ""


@dataclass(frozen=True)
class DemoShare:
    doctor: str
    shared_on: str  # the day the bundle was made
    titles: tuple[str, ...]  # the documents it held


@dataclass(frozen=True)
class DemoStory:
    # (name, specialty, role, institution, phone, fax) of doctors met only in this story.
    doctors: tuple[tuple[str, str, str, str, str, str], ...]
    opinions: tuple[DemoOpinion, ...]
    request: DemoRequest
    share: DemoShare
    insurance: tuple[tuple[str, str], ...] = field(default_factory=tuple)


ELEANOR_STORY = DemoStory(
    doctors=(("Dr. Marcus Hale", "Surgical oncology", "Surgeon", "Riverside General Hospital",
              "(555) 010-3900", "(555) 010-3901"),),
    opinions=(
        DemoOpinion("Dr. Samuel Brandt", "2026-10-14", (
            ("diagnosis", "Invasive ductal carcinoma of the left breast, grade 2, hormone "
                          "receptor positive, HER2 negative"),
            ("stage", "Stage IIA (cT2 cN0 M0)"),
            ("recommendation", "Surgery first: lumpectomy with sentinel node biopsy, then "
                               "radiation and letrozole for at least 5 years. A genomic test "
                               "on the surgery specimen decides about chemotherapy."),
            ("other_options", "Mastectomy instead of lumpectomy (the same survival)"),
            ("test_reading", "MRI: one 2.1 cm tumour; lymph nodes look normal"),
            ("guidelines", "NCCN breast cancer guidelines"),
            ("urgency", "Surgery within 4 to 6 weeks"),
        )),
        DemoOpinion("Dr. Marcus Hale", "2026-10-28", (
            ("diagnosis", "Invasive ductal carcinoma of the left breast, grade 2, hormone "
                          "receptor positive, HER2 negative"),
            ("stage", "Stage IIA (cT2 cN0 M0)"),
            ("recommendation", "Treatment before surgery: a genomic test on the biopsy now; "
                               "if the score is low, letrozole for 4 to 6 months to shrink "
                               "the tumour, then a smaller lumpectomy."),
            ("other_options", "Surgery first, as Dr. Brandt advises"),
            ("test_reading", "MRI: one 2.1 cm tumour; lymph nodes look normal"),
            ("guidelines", "NCCN breast cancer guidelines"),
            ("urgency", "No rush: starting within 6 to 8 weeks is safe"),
        ), visit="Surgical opinion"),
    ),
    request=DemoRequest("Riverside General Hospital", "Surgical oncology clinic",
                        "Dr. Hale's consultation note of 28 October", 14, "Portal message",
                        notes="The front desk said the note is being signed."),
    share=DemoShare("Dr. Marcus Hale", "2026-10-24", (
        "Surgical pathology report: left breast core biopsy",
        "Diagnostic mammogram and breast ultrasound",
        "Breast MRI with and without contrast",
        "Medical oncology consultation",
    )),
    insurance=(("plan", "Northwind Health Plan"), ("phone", "(555) 018-2000"),
               ("second_opinion_covered", "yes"), ("referral_needed", "no"),
               ("in_network", "yes"), ("authorization_number", "NW-2026-448120")),
)  # fmt: skip

THOMAS_STORY = DemoStory(
    doctors=(("Dr. Lena Fischer", "Gastrointestinal oncology", "Second-opinion doctor",
              "Northshore University Cancer Institute", "(555) 017-5520", "(555) 017-5501"),),
    opinions=(
        DemoOpinion("Dr. Priya Shah", "2021-02-24", (
            ("diagnosis", "Adenocarcinoma of the rectum, moderately differentiated, MMR "
                          "proficient"),
            ("stage", "Stage IIIB (cT3 cN1 M0)"),
            ("recommendation", "Radiation with capecitabine, then surgery, then 4 months of "
                               "CAPOX chemotherapy"),
            ("test_reading", "MRI: the tumour reaches through the bowel wall; one suspicious "
                             "lymph node"),
            ("guidelines", "NCCN rectal cancer guidelines"),
            ("urgency", "Start within 3 weeks"),
        )),
        DemoOpinion("Dr. Lena Fischer", "2021-03-05", (
            ("diagnosis", "Adenocarcinoma of the rectum, moderately differentiated, MMR "
                          "proficient"),
            ("stage", "Stage IIIB (cT3 cN1 M0)"),
            ("recommendation", "All the chemotherapy and the radiation before surgery; if the "
                               "tumour disappears, close watching instead of surgery may be "
                               "possible"),
            ("test_reading", "MRI: the tumour reaches through the bowel wall; one suspicious "
                             "lymph node"),
            ("guidelines", "NCCN rectal cancer guidelines; the RAPIDO and PRODIGE 23 trials"),
            ("urgency", "Start within 3 weeks"),
        ), visit="Second opinion on the rectal cancer plan"),
    ),
    request=DemoRequest("Lakeside Cancer Center", "Health information management",
                        "Discharge summary of the June 2021 hospital stay (low anterior "
                        "resection)", 10, "Fax", checklist_item="discharge"),
    share=DemoShare("Dr. Lena Fischer", "2021-03-01", ("Pathology report: rectal biopsy",)),
)  # fmt: skip


def tell(binder: Binder, person_id: int, story: DemoStory, today: date) -> None:
    """Add the story's doctors, opinions (with their visits), request, share and insurance."""
    for name, specialty, role, institution, phone, fax in story.doctors:
        add_doctor(binder, person_id, name, specialty=specialty, role=role,
                   institution=institution, phone=phone, fax=fax)  # fmt: skip
    doctors = {d.name: d for d in list_doctors(binder, person_id)}
    for opinion in story.opinions:
        doctor = doctors[opinion.doctor]
        visit_id = None
        if opinion.visit:
            when = datetime.fromisoformat(f"{opinion.given_on}T10:00").replace(
                tzinfo=ZoneInfo(ZONE)
            )
            visit_id = add_appointment(
                binder, person_id, when, time_zone=ZONE, doctor_id=doctor.id, minutes=60,
                location=doctor.institution, purpose=opinion.visit,
                kind=AppointmentKind.SECOND_OPINION, status=AppointmentStatus.DONE,
            ).id  # fmt: skip
        add_opinion(binder, person_id, doctor_id=doctor.id, given_on=opinion.given_on,
                    appointment_id=visit_id, **dict(opinion.facts))  # fmt: skip
    asked = (today - timedelta(days=story.request.days_ago)).isoformat()
    add_request(
        binder, person_id, story.request.facility, story.request.what,
        department=story.request.department, requested_on=asked,
        method=story.request.method, checklist_item=story.request.checklist_item,
        notes=story.request.notes,
    )  # fmt: skip
    _share(binder, person_id, story.share)
    if story.insurance:
        save_insurance(binder, person_id, **dict(story.insurance))


def _share(binder: Binder, person_id: int, share: DemoShare) -> None:
    """The log line a bundle made that day left (the ZIP itself went to the doctor)."""
    docs = [d for d in list_documents(binder, person_id) if d.title in share.titles]
    stem = f"Records for {share.doctor}"
    record_share(
        binder, person_id, BUNDLE,
        [SharedDocument(d.id, d.title, d.date, d.kind.value, d.sha256) for d in docs],
        for_doctor=share.doctor, target=f"{stem}.zip",
        options={"for_doctor": share.doctor, "document_ids": [d.id for d in docs],
                 "preselected": False, "kinds": None, "since": None, "folder": False},
        shared_at=datetime.fromisoformat(f"{share.shared_on}T15:30").replace(tzinfo=UTC)
        .isoformat(),
    )  # fmt: skip
