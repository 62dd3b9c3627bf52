"""The second-opinion guide follows what the binder holds; the demo tells the whole story;
a document in the Trash never goes into a bundle."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.records.appointments import AppointmentKind, add_appointment
from app.records.care_team import add_doctor
from app.records.documents import get_document, list_documents, trash_document
from app.records.guide import GUIDE_KEYS, guide, mark_step
from app.records.insurance import save_insurance
from app.records.models import DocumentKind, Person
from app.records.opinions import add_opinion, compare, list_opinions
from app.records.people import find_person
from app.records.questions import add_question
from app.records.readiness import bundle_document_ids, readiness
from app.records.records_requests import RequestStatus, list_requests
from app.records.share_log import list_shares
from app.records.timeline import timeline
from app.vault.binder import Binder


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Binder]:
    """One demo binder for the read-only checks of this module."""
    from app.demo import create_demo_binder

    binder = create_demo_binder(tmp_path_factory.mktemp("demo") / "binder")
    yield binder
    binder.close()


def done(binder: Binder, person: Person) -> dict[str, bool]:
    return {step.key: step.done for step in guide(binder, person.id)}


def test_a_newcomer_s_guide_has_every_step_to_do(binder: Binder) -> None:
    person = find_person(binder, "Ada Example")
    steps = guide(binder, person.id)
    assert [s.key for s in steps] == list(GUIDE_KEYS)
    assert not any(s.done for s in steps)
    # Each step names the place that does it, with words to act on.
    assert all(s.line.place and s.line.link and s.status for s in steps)


def test_each_step_is_ticked_by_what_the_binder_shows(binder: Binder) -> None:
    person = find_person(binder, "Ada Example")
    doctor = add_doctor(binder, person.id, "Dr. Irene Castellanos", role="Second-opinion doctor")
    assert done(binder, person)["ask"]
    save_insurance(binder, person.id, second_opinion_covered="yes", referral_needed="no")
    assert not done(binder, person)["insurance"], "two answers of three"
    save_insurance(binder, person.id, in_network="yes")
    assert done(binder, person)["insurance"]
    visit = add_appointment(
        binder, person.id, datetime(2099, 1, 5, 10, tzinfo=UTC), doctor_id=doctor.id,
        kind=AppointmentKind.SECOND_OPINION,
    )  # fmt: skip
    assert not done(binder, person)["questions"]
    add_question(binder, person.id, "What happens if I wait?", visit.id)
    assert done(binder, person)["questions"]
    assert not done(binder, person)["visit"], "the visit is still ahead"
    for on in ("2026-10-06", "2026-12-02"):
        add_opinion(binder, person.id, doctor_id=doctor.id, given_on=on, stage="IIA")
    assert done(binder, person)["compare"]


def test_a_step_no_record_can_show_is_ticked_by_hand(binder: Binder) -> None:
    person = find_person(binder, "Ada Example")
    assert not done(binder, person)["time"]
    mark_step(binder, person.id, "time")
    mark_step(binder, person.id, "time")  # twice is once
    assert done(binder, person)["time"]
    mark_step(binder, person.id, "time", done=False)
    assert not done(binder, person)["time"]


@pytest.mark.parametrize("name", ["Eleanor Whitfield", "Thomas Whitfield"])
def test_each_demo_person_tells_the_whole_story(demo: Binder, name: str) -> None:
    person = find_person(demo, name)
    opinions = list_opinions(demo, person.id)
    assert len(opinions) == 2
    differing = [row.label for row in compare(opinions) if row.differs]
    assert "Recommended treatment" in differing  # the comparison shows its marks
    waiting = [r for r in list_requests(demo, person.id) if r.status is RequestStatus.REQUESTED]
    assert len(waiting) == 1 and waiting[0].requested_on
    (shared,) = list_shares(demo, person.id)
    assert shared.is_bundle and shared.for_doctor and shared.documents
    assert len(timeline(demo, person.id)) >= 12
    steps = done(demo, person)
    assert steps["ask"] and steps["send"] and steps["compare"]


def test_eleanor_s_guide_shows_where_she_is(demo: Binder) -> None:
    steps = done(demo, find_person(demo, "Eleanor Whitfield"))
    # Insurance answered, questions written, the visit still ahead, records still missing.
    assert steps["insurance"] and steps["questions"]
    assert not steps["visit"] and not steps["records"]


def test_a_document_in_the_trash_never_goes_into_a_bundle(tmp_path: Path, no_keyring: None) -> None:
    from app.demo import create_demo_binder
    from app.export.bundle import BundleOptions, build_bundle

    with create_demo_binder(tmp_path / "binder") as binder:
        eleanor = find_person(binder, "Eleanor Whitfield")
        pathology = next(
            d for d in list_documents(binder, eleanor.id) if d.kind is DocumentKind.PATHOLOGY
        )
        assert pathology.include_in_bundle and pathology.id in bundle_document_ids(
            binder, eleanor.id
        )
        trash_document(binder, pathology.id)
        # Its tick is kept (for a restore) but it is offered nowhere...
        assert get_document(binder, pathology.id).include_in_bundle
        assert pathology.id not in bundle_document_ids(binder, eleanor.id)
        assert not readiness(binder, eleanor.id).item("pathology").done
        # ...and not even an explicit choice of it puts it in the bundle.
        everything = [d.id for d in list_documents(binder, eleanor.id)] + [pathology.id]
        target = tmp_path / "bundle"
        result = build_bundle(
            binder, eleanor.id, target, BundleOptions(document_ids=everything, folder=True)
        )
        assert pathology.id not in {entry.document.id for entry in result.entries}
        assert len(result.entries) == len(everything) - 1
        names = [p.name for p in (target / "records").rglob("*") if p.is_file()]
        assert not any("Surgical pathology" in name for name in names)
