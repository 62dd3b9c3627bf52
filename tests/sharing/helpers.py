"""A binder with something to share: records, a care team with addresses, insurance ids, an
id number typed into a summary field, and notes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.records.appointments import AppointmentKind, add_appointment
from app.records.care_team import add_doctor
from app.records.documents import update_document
from app.records.importer import Outcome, import_bytes
from app.records.insurance import save_insurance
from app.records.medications import add_medication, change_dose
from app.records.opinions import add_opinion
from app.records.questions import add_question
from app.vault.binder import Binder
from tests.fixtures import make_pdf

ADA = 1

# What the redaction test withholds; none of it may reach a generated file.
MEMBER_ID = "XJH448812973"
GROUP_ID = "GRP-77123"
AUTHORIZATION = "AUTH-99812"
SSN = "078-05-1120"
NI_NUMBER = "QQ 12 34 56 C"
DOCTOR_ADDRESS = "1200 Elm Street, Springfield"
VISIT_ADDRESS = "450 Brookline Avenue, Boston"
HOME_ADDRESS = "12 Rue de la Paix"
PRIVATE_NOTE = "Paid cash, receipt kept in the blue folder"
KEPT_NOTE = "Lowered after the blood count of March"


def add_record(binder: Binder, name: str, text: str, title: str, date: str) -> int:
    result = import_bytes(binder, ADA, make_pdf(None, text), name)
    assert result.status is Outcome.OK and result.document is not None, result.reason
    update_document(binder, result.document.id, title=title, date=date)
    return result.document.id


def fill(binder: Binder) -> dict[str, int]:
    """Records and facts for Ada; returns the ids a test needs."""
    ids = {
        "pathology": add_record(
            binder, "path.pdf", "Invasive ductal carcinoma, grade 2.", "Biopsy report", "2026-03-02"
        ),
        "scan": add_record(binder, "ct.pdf", "CT chest: no spread seen.", "CT chest", "2026-03-20"),
        "letter": add_record(
            binder, "letter.pdf", "Referral for a second opinion.",
            f"Referral letter (SSN {SSN})", "2026-04-01",
        ),
    }  # fmt: skip
    oncologist = add_doctor(
        binder, ADA, "Dr. Rivera", specialty="Oncology", address=DOCTOR_ADDRESS, phone="555-0100"
    )
    expert = add_doctor(binder, ADA, "Dr. Okafor", specialty="Breast oncology")
    ids["expert"] = expert.id
    save_insurance(
        binder, ADA, plan="Blue Example PPO", member_id=MEMBER_ID, group_id=GROUP_ID,
        authorization_number=AUTHORIZATION,
    )  # fmt: skip
    add_opinion(
        binder, ADA, doctor_id=oncologist.id, given_on="2026-03-10",
        diagnosis=f"Invasive ductal carcinoma, left breast (insurer file: SSN {SSN})",
        stage="IIA", recommendation="Surgery, then chemotherapy",
    )  # fmt: skip
    visit = add_appointment(
        binder, ADA, datetime.now(UTC) + timedelta(days=10), time_zone="America/New_York",
        doctor_id=expert.id, minutes=60, location=VISIT_ADDRESS,
        purpose=f"Second opinion; national insurance {NI_NUMBER}",
        kind=AppointmentKind.SECOND_OPINION,
    )  # fmt: skip
    ids["visit"] = visit.id
    med = add_medication(
        binder, ADA, "Tamoxifen", start="2026-04-02", dose="20 mg", how_often="once a day"
    )
    ids["medication"] = med.id
    change_dose(binder, med.id, "10 mg", "2026-05-01", note=KEPT_NOTE)
    private = change_dose(binder, med.id, "15 mg", "2026-06-01", note=PRIVATE_NOTE)
    ids["private_change"] = private.changes[-1].id
    add_question(binder, ADA, f"Could my scans be done nearer home, {HOME_ADDRESS}?", visit.id)
    return ids
