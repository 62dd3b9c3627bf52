"""The treatment summary (the clinical picture shown by sections) is filled in from a real
binder (a pathology report, an operative report, a radiation summary imported as PDFs, a
chemotherapy with two dose changes), each value links to its source, and what the user
confirmed or corrected survives regeneration."""

from __future__ import annotations

import pytest

from app.records.errors import InvalidValue
from app.records.picture import (
    FieldState,
    add_row,
    clinical_picture,
    confirm_field,
    prefill,
    remove_row,
    reset_field,
    set_field,
    show_row,
)
from tests.story.conftest import Story


def _sources(story: Story, key: str) -> set[tuple[str, int]]:
    item = clinical_picture(story.binder, 1).field(key)  # type: ignore[arg-type]
    return {(s.kind, s.id) for s in item.sources}


def test_the_summary_is_prefilled_with_the_right_dates_doses_and_sources(story: Story) -> None:
    summary = prefill(story.binder, 1)  # type: ignore[arg-type]
    # Diagnosis from the pathology report: its date, the site, the type and grade of cancer.
    assert summary.value("diagnosis.date") == "2024-02-12"
    assert summary.value("diagnosis.site") == "Rectum"
    assert summary.value("diagnosis.histology") == "Invasive adenocarcinoma"
    assert "moderately differentiated" in summary.value("diagnosis.grade").lower()
    assert _sources(story, "diagnosis.histology") == {("document", story.pathology_id)}
    assert summary.field("diagnosis.date").state is FieldState.FOUND
    # Stage (group and clinical TNM) and biomarkers, each its own value.
    assert summary.value("stage.group") == "IIIB"
    assert [summary.value(f"stage.clinical_{x}") for x in "tn"] == ["cT3", "cN1"]
    assert summary.value("stage.ajcc_edition").startswith("8")
    assert "G12D" in summary.value("biomarker.kras")
    assert "wild" in summary.value("biomarker.braf").lower()
    assert summary.diagnosis().sentence == "Invasive adenocarcinoma of the rectum, stage IIIB"
    # The surgery from the operative report.
    surgery = summary.section("surgery").rows
    assert [row.key for row in surgery] == [f"surgery.d{story.operative_id}"]
    assert surgery[0].value("date") == "2024-06-03"
    assert surgery[0].value("procedure") == "Low anterior resection"
    assert surgery[0].value("surgeon") == "Dr. Anita Rao"
    assert surgery[0].value("institution") == "Lakeside Cancer Center"
    assert _sources(story, f"surgery.d{story.operative_id}.date") == {
        ("document", story.operative_id)
    }
    # The chemotherapy with both dose changes; the blood-pressure pill is not in it.
    systemic = summary.section("systemic").rows
    assert [row.value("drug") for row in systemic] == ["Oxaliplatin"]
    chemo = systemic[0]
    assert chemo.value("doses") == (
        "85 mg/m2 every 2 weeks from 8 Jul 2024; 65 mg/m2 from 2 Sep 2024 (numb fingers); "
        "50 mg/m2 from 28 Oct 2024 (neuropathy)"
    )
    assert (chemo.value("start"), chemo.value("end")) == ("2024-07-08", "2024-12-16")
    assert chemo.value("cycles") == "12 planned, 10 given"
    assert chemo.value("reason") == "neuropathy"
    assert {(s.kind, s.id) for s in chemo.get("doses").sources} == {
        ("medication", story.oxaliplatin_id)
    }
    # The radiation course from the document that states it.
    radiation = summary.section("radiation").rows
    assert len(radiation) == 1
    course = radiation[0]
    assert (course.value("dose"), course.value("fractions")) == ("50.4 Gy", "28")
    assert course.value("site") == "Pelvis"
    assert (course.value("start"), course.value("end")) == ("2024-03-04", "2024-04-11")
    assert {(s.kind, s.id) for s in course.get("dose").sources} == {
        ("document", story.radiation_id)
    }
    # Side effects from the dose-change notes; no plan recorded says so plainly.
    assert "numb fingers" in summary.value("side_effects.text")
    assert summary.section("plan").is_empty
    assert summary.section("plan").empty_text == "No current plan is recorded."


def test_corrections_and_confirmations_survive_regeneration(story: Story) -> None:
    from app.records.documents import update_document
    from app.records.medications import change_dose

    binder = story.binder
    set_field(binder, 1, "diagnosis.site", "Mid rectum, 8 cm from the anal verge")  # type: ignore[arg-type]
    confirm_field(binder, 1, "stage.group")  # type: ignore[arg-type]
    surgery = f"surgery.d{story.operative_id}"
    set_field(binder, 1, f"{surgery}.date", "2024-06-04")  # type: ignore[arg-type]

    # The records change: a third dose change, a new title for the operative report.
    change_dose(binder, story.oxaliplatin_id, "40 mg/m2", on="2024-11-25")  # type: ignore[arg-type]
    update_document(binder, story.operative_id, title="LAR with loop ileostomy")  # type: ignore[arg-type]

    summary = clinical_picture(binder, 1)  # type: ignore[arg-type]
    site = summary.field("diagnosis.site")
    assert site.value == "Mid rectum, 8 cm from the anal verge"
    assert site.state is FieldState.CORRECTED
    assert site.found == "Rectum", "what the records say is still known"
    assert summary.field("stage.group").state is FieldState.CONFIRMED
    assert summary.value("stage.group") == "IIIB"
    assert summary.value(f"{surgery}.date") == "2024-06-04"
    # What the user did not touch follows the records.
    assert summary.value(f"{surgery}.procedure") == "LAR with loop ileostomy"
    assert "40 mg/m2 from 25 Nov 2024" in summary.value(f"systemic.m{story.oxaliplatin_id}.doses")

    # Reset: the field follows the records again.
    assert reset_field(binder, 1, "diagnosis.site").value == "Rectum"  # type: ignore[arg-type]


def test_a_date_is_checked_and_an_unknown_field_is_refused(story: Story) -> None:
    with pytest.raises(InvalidValue, match="not a date"):
        set_field(story.binder, 1, "diagnosis.date", "last spring")  # type: ignore[arg-type]
    with pytest.raises(InvalidValue, match="no field"):
        set_field(story.binder, 1, "diagnosis.colour", "blue")  # type: ignore[arg-type]
    with pytest.raises(InvalidValue, match="nothing to confirm"):
        confirm_field(story.binder, 1, "plan.text")  # type: ignore[arg-type]


def test_rows_can_be_added_and_taken_out(story: Story) -> None:
    binder = story.binder
    row = add_row(binder, 1, "radiation")  # type: ignore[arg-type]
    assert row.key == "radiation.u1" and row.added_by_user
    set_field(binder, 1, "radiation.u1.site", "Left hip (bone metastasis)")  # type: ignore[arg-type]
    set_field(binder, 1, "radiation.u1.dose", "8 Gy")  # type: ignore[arg-type]
    set_field(binder, 1, "radiation.u1.fractions", "1")  # type: ignore[arg-type]
    set_field(binder, 1, "radiation.u1.start", "2025-02-03")  # type: ignore[arg-type]
    rows = clinical_picture(binder, 1).section("radiation").rows  # type: ignore[arg-type]
    assert [r.key for r in rows] == [f"radiation.d{story.radiation_id}", "radiation.u1"]
    assert rows[1].value("dose") == "8 Gy"

    # A medicine the user says is not cancer treatment is hidden, then shown again.
    chemo = f"systemic.m{story.oxaliplatin_id}"
    remove_row(binder, 1, chemo)  # type: ignore[arg-type]
    summary = clinical_picture(binder, 1)  # type: ignore[arg-type]
    assert summary.section("systemic").is_empty and chemo in summary.hidden
    show_row(binder, 1, chemo)  # type: ignore[arg-type]
    assert clinical_picture(binder, 1).section("systemic").rows[0].key == chemo  # type: ignore[arg-type]

    remove_row(binder, 1, "radiation.u1")  # type: ignore[arg-type]
    rows = clinical_picture(binder, 1).section("radiation").rows  # type: ignore[arg-type]
    assert [r.key for r in rows] == [f"radiation.d{story.radiation_id}"]


def test_an_empty_binder_gives_a_summary_that_says_so(binder: object) -> None:
    summary = clinical_picture(binder, 1)  # type: ignore[arg-type]
    assert all(section.is_empty for section in summary.sections)
    assert summary.section("surgery").rows == ()
    assert summary.section("radiation").empty_text == "No radiation is recorded."
