"""The checklist follows the clinical picture: a surgery the records show makes its operative
report due; with none, the operative report and the discharge summary are "not needed unless
...", asked once with a plain question whose answer is kept."""

from __future__ import annotations

from app.ingest.kinds import DocumentKind
from app.records.checklist_questions import answer_question, answers
from app.records.date_display import shown_date
from app.records.documents import update_document
from app.records.importer import Outcome, import_bytes
from app.records.people import find_person
from app.records.picture import add_row, set_field
from app.records.readiness import ItemState, clear_mark, readiness
from app.vault.binder import Binder
from tests.fixtures import make_pdf

RESECTION = """SURGICAL PATHOLOGY REPORT
Specimen: Left breast, lumpectomy.
FINAL DIAGNOSIS
Left breast, lumpectomy: Invasive ductal carcinoma,
Nottingham grade 2. Margins negative.
Pathologic stage: pT2 pN0 (AJCC 8th edition)."""


def test_a_surgery_the_records_show_makes_its_operative_report_due(demo: Binder) -> None:
    eleanor = find_person(demo, "Eleanor Whitfield").id
    result = import_bytes(demo, eleanor, make_pdf(None, RESECTION), "lumpectomy-path.pdf",
                          kind=DocumentKind.PATHOLOGY)  # fmt: skip
    assert result.status is Outcome.OK and result.document is not None
    update_document(demo, result.document.id, date="2026-11-20", title="Lumpectomy pathology")
    operative = readiness(demo, eleanor).item("operative")
    assert operative.state is ItemState.MISSING
    assert operative.detail.endswith(
        "umpectomy of 20 Nov 2026 has no operative report yet. Ask the records department "
        "of Lakeside Cancer Center for it."
    )
    assert "Lakeside Cancer Center" in operative.detail

    # Its operative report arrives: the line is ready.
    op = import_bytes(demo, eleanor, make_pdf(None, "OPERATIVE REPORT\nLeft lumpectomy"),
                      "op.pdf", kind=DocumentKind.OPERATIVE).document  # fmt: skip
    assert op is not None
    update_document(demo, op.id, date="2026-11-19")
    assert readiness(demo, eleanor).item("operative").state is ItemState.PRESENT


def test_a_surgery_the_user_adds_makes_its_operative_report_due_too(demo: Binder) -> None:
    eleanor = find_person(demo, "Eleanor Whitfield").id
    row = add_row(demo, eleanor, "surgery")
    set_field(demo, eleanor, f"{row.key}.procedure", "Port placement")
    set_field(demo, eleanor, f"{row.key}.date", "2026-10-30")
    operative = readiness(demo, eleanor).item("operative")
    assert operative.state is ItemState.MISSING
    assert operative.detail.startswith("Port placement of 30 Oct 2026 has no operative report")


def test_the_questions_are_answered_once_and_the_answer_kept(demo: Binder) -> None:
    eleanor = find_person(demo, "Eleanor Whitfield").id
    answer_question(demo, eleanor, "surgery", yes=False)
    answer_question(demo, eleanor, "hospital_stay", yes=True)
    assert answers(demo, eleanor) == {"surgery": False, "hospital_stay": True}
    ready = readiness(demo, eleanor)
    operative, discharge = ready.item("operative"), ready.item("discharge")
    assert operative.state is ItemState.NOT_APPLICABLE and operative.done
    assert operative.detail == "Not needed: you said “No surgery”."
    assert discharge.state is ItemState.MISSING and not discharge.done
    assert discharge.detail == (
        "Ask the records department of Lakeside Cancer Center for the discharge summary of "
        "every hospital stay."
    )
    # Undo on the line forgets the answer: the question is asked again.
    clear_mark(demo, eleanor, "operative")
    assert readiness(demo, eleanor).item("operative").state is ItemState.NOT_NEEDED
    assert "surgery" not in answers(demo, eleanor)


def test_thomas_has_his_operative_report_and_his_hospital_stay_is_asked_for(demo: Binder) -> None:
    thomas = find_person(demo, "Thomas Whitfield").id
    ready = readiness(demo, thomas)
    assert ready.item("operative").state is ItemState.PRESENT
    # The demo's story: the discharge summary of his stay is asked of the hospital.
    discharge = ready.item("discharge")
    assert discharge.state is ItemState.REQUESTED
    assert "Lakeside Cancer Center" in discharge.detail
    asked = discharge.requests[0].requested_on or ""
    assert shown_date(asked) in discharge.detail and asked not in discharge.detail
