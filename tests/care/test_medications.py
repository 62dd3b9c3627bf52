"""The medication history: doses, dates, dose changes, current and past."""

from __future__ import annotations

import pytest

from app.records.errors import InvalidValue
from app.records.medications import (
    MedicationView,
    add_medication,
    change_dose,
    list_medications,
    medication_names,
    stop_medication,
)
from app.vault.binder import Binder


def test_a_medication_with_two_dose_changes_moves_to_past_when_stopped(binder: Binder) -> None:
    med = add_medication(
        binder, 1, "Capecitabine", start="2026-01-10", dose="1000 mg", how_often="twice a day"
    )
    change_dose(binder, med.id, "825 mg", on="2026-02-07", note="hand-foot syndrome")
    med = change_dose(binder, med.id, "650 mg", on="2026-03")
    assert [c.dose for c in med.changes] == ["825 mg", "650 mg"]
    assert med.current_dose == "650 mg"
    assert med.dose == "1000 mg", "the starting dose is kept for the history"
    assert [m.name for m in list_medications(binder, 1, MedicationView.CURRENT)] == ["Capecitabine"]

    stop_medication(binder, med.id, on="2026-04-20")

    assert list_medications(binder, 1, MedicationView.CURRENT) == []
    past = list_medications(binder, 1, MedicationView.PAST)
    assert [(m.name, m.stop_date) for m in past] == [("Capecitabine", "2026-04-20")]


def test_stop_date_before_start_date_is_refused(binder: Binder) -> None:
    with pytest.raises(InvalidValue, match="before the start date"):
        add_medication(binder, 1, "Tamoxifen", start="2025-05-01", stop="2025-04-30")
    assert list_medications(binder, 1) == []


def test_partial_dates_are_not_refused_when_they_may_both_be_right(binder: Binder) -> None:
    med = add_medication(binder, 1, "Letrozole", start="2024-03-15", stop="2024-03")
    assert (med.start_date, med.stop_date) == ("2024-03-15", "2024-03")


def test_dose_changes_outside_the_medication_dates_are_refused(binder: Binder) -> None:
    med = add_medication(binder, 1, "Letrozole", start="2026-01", stop="2026-06-30", dose="2.5 mg")
    with pytest.raises(InvalidValue, match="before Letrozole was started"):
        change_dose(binder, med.id, "5 mg", on="2025-12-31")
    with pytest.raises(InvalidValue, match="after Letrozole was stopped"):
        change_dose(binder, med.id, "5 mg", on="2026-07-01")
    assert list_medications(binder, 1)[0].changes == ()


def test_stopping_before_a_recorded_dose_change_is_refused(binder: Binder) -> None:
    med = add_medication(binder, 1, "Dexamethasone", start="2026-01-01", dose="8 mg")
    change_dose(binder, med.id, "4 mg", on="2026-01-20")
    with pytest.raises(InvalidValue, match="before a recorded dose change"):
        stop_medication(binder, med.id, on="2026-01-10")


def test_names_already_in_the_binder_are_offered_for_autocompletion(binder: Binder) -> None:
    add_medication(binder, 1, "ondansetron", dose="8 mg")
    add_medication(binder, 1, "Anastrozole", dose="1 mg")
    add_medication(binder, 1, "ondansetron", dose="4 mg")
    assert medication_names(binder) == ["Anastrozole", "ondansetron"]


def test_an_unreal_date_is_refused_with_the_format_to_use(binder: Binder) -> None:
    with pytest.raises(InvalidValue, match="2024-03-15, 2024-03 or 2024"):
        add_medication(binder, 1, "Letrozole", start="March 2024")
    with pytest.raises(InvalidValue, match="not a real date"):
        add_medication(binder, 1, "Letrozole", start="2024-02-30")
