"""The second-opinion workspace, below the window: checklist, requests, opinions, timeline."""

from __future__ import annotations

from datetime import date, timedelta

from app.ingest.kinds import DocumentKind
from app.records.importer import Outcome, import_bytes
from app.records.insurance import get_insurance, save_insurance
from app.records.opinions import add_follow_up, add_opinion, compare, follow_ups
from app.records.people import find_person
from app.records.readiness import (
    ItemState,
    bundle_document_ids,
    clear_mark,
    mark_not_applicable,
    readiness,
)
from app.records.records_requests import (
    RequestStatus,
    add_request,
    get_request,
    mark_received,
)
from app.records.timeline import EventCategory, timeline
from app.vault.binder import Binder
from tests.fixtures import make_pdf


def _eleanor(binder: Binder) -> int:
    return find_person(binder, "Eleanor Whitfield").id


def test_the_demo_checklist_has_the_pathology_report_and_asks_before_wanting_an_operative_one(
    demo: Binder,
) -> None:
    ready = readiness(demo, _eleanor(demo))
    assert ready.appointment is not None and ready.appointment.doctor == "Dr. Irene Castellanos"
    pathology = ready.item("pathology")
    assert pathology.state is ItemState.PRESENT
    assert "Surgical pathology report" in pathology.detail
    # No surgery and no hospital stay recorded: not needed (not missing), asked once.
    operative = ready.item("operative")
    assert (operative.state, operative.question) == (ItemState.NOT_NEEDED, "surgery")
    assert operative.detail == (
        "Not needed unless you had surgery. Did you have surgery for this illness?"
    )
    assert operative.done
    discharge = ready.item("discharge")
    assert (discharge.state, discharge.question) == (ItemState.NOT_NEEDED, "hospital_stay")
    assert discharge.done, "nothing the binder does not need is counted as missing"
    assert ready.item("questions").detail == "4 questions written down."
    assert ready.item("medications").state is ItemState.PRESENT


def test_importing_an_operative_report_ticks_its_line(demo: Binder) -> None:
    person_id = _eleanor(demo)
    pdf = make_pdf(None, "OPERATIVE REPORT\nProcedure: left lumpectomy")
    result = import_bytes(demo, person_id, pdf, "op-note.pdf", kind=DocumentKind.OPERATIVE)
    assert result.status is Outcome.OK
    operative = readiness(demo, person_id).item("operative")
    assert operative.state is ItemState.PRESENT
    assert [d.id for d in operative.documents] == [result.document.id]  # type: ignore[union-attr]


def test_a_surgery_with_no_pathology_report_after_it_is_pointed_out(demo: Binder) -> None:
    from app.records.documents import update_document

    person_id = _eleanor(demo)
    pdf = make_pdf(None, "OPERATIVE REPORT")
    doc = import_bytes(demo, person_id, pdf, "op.pdf", kind=DocumentKind.OPERATIVE).document
    assert doc is not None
    update_document(demo, doc.id, date="2026-11-20")
    pathology = readiness(demo, person_id).item("pathology")
    assert pathology.state is ItemState.MISSING
    assert "surgery of 20 Nov 2026 has no pathology report" in pathology.detail


def test_a_line_marked_not_applicable_says_why_and_can_be_cleared(demo: Binder) -> None:
    person_id = _eleanor(demo)
    mark_not_applicable(demo, person_id, "discharge", "No hospital stay so far")
    item = readiness(demo, person_id).item("discharge")
    assert (item.state, item.reason) == (ItemState.NOT_APPLICABLE, "No hospital stay so far")
    assert item.done
    clear_mark(demo, person_id, "discharge")
    assert readiness(demo, person_id).item("discharge").state is ItemState.NOT_NEEDED


def test_a_request_received_with_its_document_moves_to_received(demo: Binder) -> None:
    person_id = _eleanor(demo)
    request = add_request(
        demo, person_id, "Riverside General Hospital", "Operative report", department="Records",
        requested_on="2026-11-02", method="Fax", checklist_item="operative",
    )  # fmt: skip
    assert request.status is RequestStatus.REQUESTED
    assert readiness(demo, person_id).item("operative").state is ItemState.REQUESTED
    assert request.is_overdue(date(2026, 11, 30)) and not request.is_overdue(date(2026, 11, 10))

    pdf = make_pdf(None, "OPERATIVE REPORT")
    doc = import_bytes(demo, person_id, pdf, "op.pdf", kind=DocumentKind.OPERATIVE).document
    assert doc is not None
    mark_received(demo, request.id, [doc.id], on="2026-11-20")

    saved = get_request(demo, request.id)
    assert (saved.status, saved.received_on, saved.document_ids) == (
        RequestStatus.RECEIVED, "2026-11-20", (doc.id,),
    )  # fmt: skip
    assert readiness(demo, person_id).item("operative").state is ItemState.PRESENT


def test_two_opinions_that_differ_in_stage_are_marked_where_they_differ(demo: Binder) -> None:
    person_id = _eleanor(demo)
    first = add_opinion(
        demo, person_id, given_on="2026-10-06", diagnosis="Invasive ductal carcinoma, left breast",
        stage="IIA", recommendation="Lumpectomy, then radiation and letrozole",
    )  # fmt: skip
    second = add_opinion(
        demo, person_id, given_on="2026-12-02", diagnosis="invasive ductal carcinoma, left breast.",
        stage="IB", recommendation="Lumpectomy, then radiation and letrozole",
        guidelines="NCCN Breast Cancer v4.2026",
    )  # fmt: skip
    rows = {row.field: row for row in compare([first, second])}
    assert rows["stage"].differs and rows["stage"].values == ("IIA", "IB")
    assert not rows["diagnosis"].differs, "the same words, written differently, agree"
    assert not rows["recommendation"].differs
    assert not rows["guidelines"].differs, "one doctor saying nothing is not a disagreement"
    add_follow_up(demo, second.id, "How did you arrive at stage IB?")
    assert [q.text for q in follow_ups(demo, second.id)] == ["How did you arrive at stage IB?"]
    assert follow_ups(demo, first.id) == []


def test_a_third_opinion_is_one_more_column(demo: Binder) -> None:
    person_id = _eleanor(demo)
    opinions = [add_opinion(demo, person_id, stage=s) for s in ("IIA", "IIA", "IIB")]
    stage = next(r for r in compare(opinions) if r.field == "stage")
    assert stage.values == ("IIA", "IIA", "IIB") and stage.differs


def test_the_timeline_runs_in_date_order_and_filters_by_kind(demo: Binder) -> None:
    person_id = _eleanor(demo)
    events = timeline(demo, person_id)
    dates = [e.date for e in events]
    assert dates == sorted(dates)
    titles = [e.title for e in events]
    assert titles.index("Diagnostic mammogram and breast ultrasound") < titles.index(
        "Surgical pathology report: left breast core biopsy"
    )
    assert "Lisinopril dose changed" in titles
    only_meds = timeline(demo, person_id, {EventCategory.MEDICATION})
    assert only_meds and {e.category for e in only_meds} == {EventCategory.MEDICATION}


def test_insurance_is_saved_and_unknown_until_filled_in(demo: Binder) -> None:
    person_id = find_person(demo, "Thomas Whitfield").id  # the demo fills in only Eleanor's
    assert get_insurance(demo, person_id).second_opinion_covered == "unknown"
    save_insurance(demo, person_id, plan="Northwind Health", member_id="NW1234567",
                   second_opinion_covered="yes", referral_needed="no")  # fmt: skip
    saved = save_insurance(demo, person_id, authorization_number="NW-2026-448120")
    assert (saved.plan, saved.second_opinion_covered, saved.authorization_number) == (
        "Northwind Health", "yes", "NW-2026-448120",
    )  # fmt: skip


def test_the_bundle_preselection_follows_the_checklist_and_the_include_flags(
    demo: Binder,
) -> None:
    from app.records.documents import list_documents, update_document

    person_id = _eleanor(demo)
    docs = list_documents(demo, person_id)
    insurance = next(d for d in docs if d.kind is DocumentKind.INSURANCE)
    update_document(demo, insurance.id, include_in_bundle=False)
    chosen = bundle_document_ids(demo, person_id)
    assert insurance.id not in chosen
    pathology = next(d for d in docs if d.kind is DocumentKind.PATHOLOGY)
    assert pathology.id in chosen


def test_an_overdue_request_is_pointed_out_gently(demo: Binder) -> None:
    person_id = _eleanor(demo)
    long_ago = (date.today() - timedelta(days=30)).isoformat()
    add_request(demo, person_id, "Riverside General Hospital", "Discharge summary",
                requested_on=long_ago, checklist_item="discharge")  # fmt: skip
    item = readiness(demo, person_id).item("discharge")
    assert item.state is ItemState.REQUESTED
    assert "a call to the records department may help" in item.detail
