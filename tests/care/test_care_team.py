"""The care team, and doctors that other records name."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.records.appointments import add_appointment, get_appointment
from app.records.care_team import (
    DoctorInUse,
    add_doctor,
    delete_doctor,
    find_doctor,
    list_doctors,
)
from app.records.errors import Ambiguous, NotFound
from app.records.medications import add_medication, get_medication
from app.vault.binder import Binder


def test_a_doctor_is_found_by_part_of_the_name_or_by_id(binder: Binder) -> None:
    brandt = add_doctor(
        binder, 1, "Dr. Samuel Brandt", specialty="Medical oncology", fax="555-0101"
    )
    add_doctor(binder, 1, "Dr. Anita Rao", specialty="Breast surgery")
    assert find_doctor(binder, 1, "brandt") == brandt
    assert find_doctor(binder, 1, str(brandt.id)) == brandt
    with pytest.raises(Ambiguous):
        find_doctor(binder, 1, "Dr.")
    with pytest.raises(NotFound):
        find_doctor(binder, 1, "Dr. Who")


def test_deleting_a_doctor_still_named_is_refused_and_changes_nothing(binder: Binder) -> None:
    doctor = add_doctor(binder, 1, "Dr. Anita Rao")
    med = add_medication(binder, 1, "Oxycodone", dose="5 mg", prescriber_id=doctor.id)
    with pytest.raises(DoctorInUse, match="1 medication"):
        delete_doctor(binder, doctor.id)
    assert list_doctors(binder, 1) == [doctor]
    assert get_medication(binder, med.id).prescriber == "Dr. Anita Rao"


def test_deleting_with_consent_unlinks_every_record_and_leaves_none_dangling(
    binder: Binder,
) -> None:
    doctor = add_doctor(binder, 1, "Dr. Anita Rao")
    med = add_medication(binder, 1, "Oxycodone", dose="5 mg", prescriber_id=doctor.id)
    appt = add_appointment(
        binder, 1, datetime.now(UTC) + timedelta(days=3), doctor_id=doctor.id, minutes=30
    )
    delete_doctor(binder, doctor.id, unlink=True)
    assert list_doctors(binder, 1) == []
    assert get_medication(binder, med.id).prescriber_id is None
    assert get_appointment(binder, appt.id).doctor_id is None
    assert binder.db.execute("PRAGMA foreign_key_check").fetchall() == []
