"""The second-opinion workspace and the care-journey timeline, driven as a user would
(offscreen), on the demo binder: Eleanor Whitfield has a pathology report, no surgery and no
hospital stay recorded (so no operative report or discharge summary is wanted unless she
says there was one), and a second-opinion visit booked with Dr. Irene Castellanos."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.ingest.kinds import DocumentKind
from app.records.documents import list_documents
from app.records.importer import import_bytes
from app.records.insurance import get_insurance
from app.records.models import Document, Person
from app.records.people import find_person
from app.records.readiness import ItemState
from app.records.records_requests import RequestStatus, add_request, get_request, list_requests
from app.records.timeline import EventCategory
from app.ui.opinion_comparison import DIFFERS
from app.ui.opinion_dialog import OpinionDialog
from app.ui.readiness_checklist import ReasonDialog
from app.ui.records_request_dialogs import ReceivedDialog, RequestDialog
from app.ui.second_opinion_page import TAB_OPINIONS, TAB_REQUESTS, SecondOpinionPage
from app.ui.timeline_view import TimelineView
from app.vault.binder import Binder
from tests.fixtures import make_pdf


@pytest.fixture
def demo(tmp_path: Path, no_keyring: None) -> Iterator[Binder]:
    from app.demo import create_demo_binder
    from app.ui.application import make_application

    make_application()
    binder = create_demo_binder(tmp_path / "demo")
    yield binder
    binder.close()


@pytest.fixture
def eleanor(demo: Binder) -> Person:
    return find_person(demo, "Eleanor Whitfield")


@pytest.fixture
def page(qtbot: QtBot, demo: Binder, eleanor: Person) -> SecondOpinionPage:
    shown = SecondOpinionPage(demo)
    qtbot.addWidget(shown)
    shown.resize(1200, 760)
    shown.set_person(eleanor)
    shown.show()
    return shown


def import_operative_report(binder: Binder, person: Person) -> Document:
    pdf = make_pdf(None, "OPERATIVE REPORT\nProcedure: left lumpectomy\nSurgeon: Dr. Anita Rao")
    result = import_bytes(binder, person.id, pdf, "op-note.pdf", kind=DocumentKind.OPERATIVE)
    assert result.document is not None
    return result.document


def click(qtbot: QtBot, button: QWidget) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def answer(qtbot: QtBot, page: SecondOpinionPage, line: str, which: str) -> None:
    click(qtbot, page.checklist.rows[line].buttons[which])


def test_the_checklist_shows_the_pathology_report_here_and_asks_about_surgery(
    qtbot: QtBot, page: SecondOpinionPage
) -> None:
    assert "Dr. Irene Castellanos" in page.visit.text()
    assert page.count.text() == "8 of 9 ready", "no operative report or discharge summary is wanted"
    # What the records are for, as the Overview and the treatment summary say it.
    assert page.checklist.diagnosis.text() == (
        "Diagnosis: Invasive ductal carcinoma of the left breast, stage IIA, checked by you."
    )
    assert page.bundle_button.text() == "Prepare the bundle for Dr. Irene Castellanos..."

    pathology = page.checklist.rows["pathology"]
    assert (pathology.symbol.text(), pathology.state_word.text()) == ("✓", "Ready")
    assert "Surgical pathology report: left breast core biopsy" in pathology.detail.text()
    assert "not_applicable" not in pathology.buttons, "a line that is ready needs no excuse"

    operative = page.checklist.rows["operative"]
    assert (operative.symbol.text(), operative.state_word.text()) == ("◌", "Not needed")
    assert operative.detail.text() == (
        "Not needed unless you had surgery. Did you have surgery for this illness?"
    )
    assert operative.buttons["yes"].text() == "Yes, I had surgery"
    assert operative.buttons["no"].text() == "No surgery"

    # She had surgery after all: the operative report is due, and can be asked for.
    answer(qtbot, page, "operative", "yes")
    operative = page.checklist.rows["operative"]
    assert (operative.symbol.text(), operative.state_word.text()) == ("○", "Still to get")
    assert operative.detail.text() == (
        "Ask the records department of Lakeside Cancer Center for the operative report of "
        "every surgery."
    )
    assert operative.buttons["not_applicable"].text() == "Not applicable..."
    assert page.count.text() == "7 of 9 ready"
    assert "Yes, I had surgery" in page.notice.label.text()
    page.notice.action_button.click()  # Undo: asked again
    assert page.checklist.rows["operative"].state_word.text() == "Not needed"
    assert page.count.text() == "8 of 9 ready"


def test_importing_an_operative_report_ticks_its_line(
    page: SecondOpinionPage, demo: Binder, eleanor: Person
) -> None:
    doc = import_operative_report(demo, eleanor)
    page.refresh()
    operative = page.checklist.rows["operative"]
    assert operative.item.state is ItemState.PRESENT
    assert operative.state_word.text() == "Ready"
    assert operative.detail.text() == f"In the binder: {doc.title}"
    assert page.count.text() == "8 of 9 ready"


def test_a_question_answered_no_settles_the_line_and_can_be_undone(
    qtbot: QtBot, page: SecondOpinionPage
) -> None:
    answer(qtbot, page, "discharge", "no")
    discharge = page.checklist.rows["discharge"]
    assert (discharge.symbol.text(), discharge.state_word.text()) == ("—", "Not needed")
    assert discharge.detail.text() == "Not needed: you said “No hospital stay”."
    assert page.count.text() == "8 of 9 ready"
    click(qtbot, discharge.buttons["undo"])
    discharge = page.checklist.rows["discharge"]
    assert discharge.state_word.text() == "Not needed" and "yes" in discharge.buttons


def test_a_line_marked_not_applicable_says_why_and_can_be_undone(
    qtbot: QtBot, page: SecondOpinionPage
) -> None:
    answer(qtbot, page, "discharge", "yes")  # she stayed in hospital: the summary is due
    assert page.count.text() == "7 of 9 ready"
    click(qtbot, page.checklist.rows["discharge"].buttons["not_applicable"])
    dialog = page.findChild(ReasonDialog)
    assert dialog is not None and dialog.isVisible()
    click(qtbot, dialog.save_button)  # no reason yet: the dialog stays and says why
    assert dialog.isVisible() and "Say why" in dialog.problem.text()
    qtbot.keyClicks(dialog.reason, "No hospital stay so far")
    click(qtbot, dialog.save_button)

    discharge = page.checklist.rows["discharge"]
    assert (discharge.symbol.text(), discharge.state_word.text()) == ("—", "Not needed")
    assert discharge.detail.text() == "Not applicable: No hospital stay so far"
    assert page.count.text() == "8 of 9 ready"
    click(qtbot, discharge.buttons["undo"])  # needed after all: the question is asked again
    assert page.checklist.rows["discharge"].state_word.text() == "Not needed"


def test_a_request_marked_received_with_its_document_moves_to_received(
    qtbot: QtBot, page: SecondOpinionPage, demo: Binder, eleanor: Person
) -> None:
    # "Ask for it..." on the missing line opens a request with what and where filled in.
    answer(qtbot, page, "operative", "yes")
    click(qtbot, page.checklist.rows["operative"].buttons["request"])
    assert page.tabs.currentIndex() == TAB_REQUESTS
    dialog = page.requests.dialog
    assert isinstance(dialog, RequestDialog) and dialog.isVisible()
    assert dialog.facility.text() == "Lakeside Cancer Center"
    assert dialog.what.text() == "Operative report of every surgery"
    qtbot.keyClicks(dialog.requested_on.line, "2026-11-02")
    dialog.method.setCurrentIndex(dialog.method.findText("Fax"))
    dialog.save()
    # The demo already waits for Dr. Hale's note; this request is the operative report's.
    (request,) = [r for r in list_requests(demo, eleanor.id) if r.checklist_item == "operative"]
    assert (request.status, request.method) == (RequestStatus.REQUESTED, "Fax")
    assert page.requests.status_text(request.id).startswith("◷ Requested")
    assert page.checklist.rows["operative"].state_word.text() == "Asked for"

    doc = import_operative_report(demo, eleanor)
    page.requests.select(request.id)
    click(qtbot, page.requests.received_button)
    received = page.requests.dialog
    assert isinstance(received, ReceivedDialog)
    received.received_on.setText("2026-11-20")
    received.choose([doc.id])
    received.save()

    assert page.requests.status_text(request.id) == "✓ Received 20 Nov 2026 · 1 document"
    saved = get_request(demo, request.id)
    assert (saved.status, saved.document_ids) == (RequestStatus.RECEIVED, (doc.id,))
    assert page.checklist.rows["operative"].state_word.text() == "Ready"


def test_a_request_waiting_long_says_so_gently(qtbot: QtBot, demo: Binder, eleanor: Person) -> None:
    asked = (date.today() - timedelta(days=23)).isoformat()
    add_request(demo, eleanor.id, "Lakeside Cancer Center", "Operative report",
                requested_on=asked, checklist_item="operative")  # fmt: skip
    shown = SecondOpinionPage(demo)
    qtbot.addWidget(shown)
    shown.set_person(eleanor)
    (request,) = [r for r in list_requests(demo, eleanor.id) if r.what == "Operative report"]
    text = shown.requests.status_text(request.id)
    assert text == "◷ Requested, waiting 3 weeks: a call may help"
    row = [r.id for r in shown.requests.requests].index(request.id)
    status = shown.requests.table.item(row, 4)
    assert status is not None and status.font().bold(), "it stands out by weight, not colour"
    assert "waiting a while" in shown.tabs.tabText(TAB_REQUESTS)


def add_opinion_as_user(page: SecondOpinionPage, doctor: str, on: str, **facts: str) -> None:
    page.tabs.setCurrentIndex(TAB_OPINIONS)
    dialog = page.opinions.open_add_dialog()
    assert isinstance(dialog, OpinionDialog)
    dialog.doctor.setCurrentIndex(dialog.doctor.findText(doctor, Qt.MatchFlag.MatchStartsWith))
    dialog.given_on.setText(on)
    dialog.fill(**facts)
    dialog.save()
    assert not dialog.isVisible(), dialog.problem.text()


def test_two_opinions_that_differ_in_stage_are_shown_with_the_difference_marked(
    qtbot: QtBot, page: SecondOpinionPage
) -> None:
    page.opinions.choose([])  # the demo's own two opinions are set aside
    add_opinion_as_user(
        page, "Dr. Samuel Brandt", "2026-10-06", diagnosis="Invasive ductal carcinoma",
        stage="IIA", recommendation="Lumpectomy, then radiation",
    )  # fmt: skip
    add_opinion_as_user(
        page, "Dr. Irene Castellanos", "2026-12-02", diagnosis="invasive ductal carcinoma.",
        stage="IB", recommendation="Lumpectomy, then radiation",
    )  # fmt: skip
    comparison = page.opinions.comparison
    assert [o.doctor for o in comparison.opinions] == [
        "Dr. Samuel Brandt",
        "Dr. Irene Castellanos",
    ]
    assert comparison.differing_labels() == ["Stage"]
    stage = comparison.row_label("stage")
    assert stage.text() == f"Stage\n{DIFFERS} differs" and stage.font().bold()
    assert (comparison.cell_text("stage", 0), comparison.cell_text("stage", 1)) == ("IIA", "IB")
    diagnosis = comparison.row_label("diagnosis")
    assert "differs" not in diagnosis.text() and not diagnosis.font().bold()

    # A follow-up question for the second doctor, from the starters offered.
    box = comparison.follow_up_boxes[1]
    assert box.question.findText("How did you arrive at this plan?") >= 0
    box.question.setCurrentIndex(box.question.findText("How did you arrive at this plan?"))
    click(qtbot, box.add_button)
    assert page.opinions.comparison.follow_up_boxes[1].questions() == [
        "How did you arrive at this plan?"
    ]
    assert "• How did you arrive at this plan?" in box.list.text()


def test_the_bundle_button_asks_for_the_checklist_documents(
    qtbot: QtBot, page: SecondOpinionPage, demo: Binder, eleanor: Person
) -> None:
    pathology = next(
        d for d in list_documents(demo, eleanor.id) if d.kind is DocumentKind.PATHOLOGY
    )
    with qtbot.waitSignal(page.prepare_bundle, timeout=30000) as signal:
        click(qtbot, page.bundle_button)
    person_id, document_ids = signal.args
    assert person_id == eleanor.id and pathology.id in document_ids


def test_insurance_is_saved_as_it_is_written(
    qtbot: QtBot, page: SecondOpinionPage, demo: Binder, eleanor: Person
) -> None:
    form = page.insurance
    form.texts["plan"].setFocus()
    form.texts["plan"].clear()  # the demo's plan, written over
    qtbot.keyClicks(form.texts["plan"], "Northwind Health")
    form.texts["plan"].editingFinished.emit()
    covered = form.answers["second_opinion_covered"]
    covered.setCurrentIndex(covered.findText("No"))
    covered.activated.emit(covered.currentIndex())
    saved = get_insurance(demo, eleanor.id)
    assert (saved.plan, saved.second_opinion_covered) == ("Northwind Health", "no")
    assert form.saved_line.text() == "Saved."


def test_the_timeline_lists_the_care_journey_by_date_and_filters_by_kind(
    qtbot: QtBot, demo: Binder, eleanor: Person
) -> None:
    view = TimelineView(demo)
    qtbot.addWidget(view)
    view.set_person(eleanor)
    view.show()
    events = view.shown_events()
    dates = [e.date for e in events]
    assert dates == sorted(dates)
    titles = [e.title for e in events]
    assert titles.index("Diagnostic mammogram and breast ultrasound") < titles.index(
        "Surgical pathology report: left breast core biopsy"
    )
    assert {e.category for e in events} >= {
        EventCategory.DOCUMENT,
        EventCategory.APPOINTMENT,
        EventCategory.MEDICATION,
    }

    # Each tick clicked on its box (a short label's widget is as wide as its grid column).
    for category in (EventCategory.DOCUMENT, EventCategory.APPOINTMENT, EventCategory.OPINION):
        box = view.filters[category]
        qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
        assert not box.isChecked()
    medicines = view.shown_events()
    assert medicines and {e.category for e in medicines} == {EventCategory.MEDICATION}
    assert "Lisinopril dose changed" in [e.title for e in medicines]

    click(qtbot, view.filters[EventCategory.MEDICATION])
    assert view.shown_events() == []
    assert view.empty.isVisibleTo(view)


def test_double_clicking_a_document_in_the_timeline_asks_to_open_it(
    qtbot: QtBot, demo: Binder, eleanor: Person
) -> None:
    view = TimelineView(demo)
    qtbot.addWidget(view)
    view.set_person(eleanor)
    row = next(
        i
        for i in range(view.list.topLevelItemCount())
        if view.list.topLevelItem(i).text(2).startswith("Surgical pathology report")  # type: ignore[union-attr]
    )
    item = view.list.topLevelItem(row)
    with qtbot.waitSignal(view.open_document, timeout=30000) as signal:
        view.list.itemActivated.emit(item, 0)
    pathology = next(
        d for d in list_documents(demo, eleanor.id) if d.kind is DocumentKind.PATHOLOGY
    )
    assert signal.args == [pathology.id]


def test_a_request_can_be_corrected(qtbot: QtBot, page: SecondOpinionPage, demo: Binder) -> None:
    person_id = page.person.id  # type: ignore[union-attr]
    request = add_request(demo, person_id, "Lakeside Cancer Centre", "Discharge summary")
    page.refresh()
    page.requests.select(request.id)
    click(qtbot, page.requests.edit_button)
    dialog = page.requests.dialog
    assert isinstance(dialog, RequestDialog) and dialog.facility.text() == "Lakeside Cancer Centre"
    dialog.facility.clear()
    dialog.save()
    assert dialog.isVisible() and "Say which office" in dialog.problem.text()
    qtbot.keyClicks(dialog.facility, "Lakeside Cancer Center")
    dialog.method.setCurrentIndex(dialog.method.findText("Patient portal"))
    dialog.save()
    saved = get_request(demo, request.id)
    assert (saved.facility, saved.method, saved.status) == (
        "Lakeside Cancer Center", "Patient portal", RequestStatus.TO_REQUEST,
    )  # fmt: skip
    row = [r.id for r in page.requests.requests].index(request.id)
    assert page.requests.table.item(row, 0).text() == "Lakeside Cancer Center"  # type: ignore[union-attr]


def test_another_persons_opinions_start_with_their_newest_ticked(
    qtbot: QtBot, page: SecondOpinionPage, demo: Binder
) -> None:
    page.tabs.setCurrentIndex(TAB_OPINIONS)
    assert len(page.opinions.comparison.opinions) == 2, "Eleanor's two opinions side by side"
    thomas = find_person(demo, "Thomas Whitfield")
    page.set_person(thomas)
    shown = [o.doctor for o in page.opinions.comparison.opinions]
    assert shown == ["Dr. Priya Shah", "Dr. Lena Fischer"], "not 'Nothing ticked'"
    page.set_person(thomas)  # the same person again: the ticks chosen stay
    page.opinions.choose([page.opinions.opinions[0].id])
    page.set_person(thomas)
    assert [o.doctor for o in page.opinions.comparison.opinions] == ["Dr. Priya Shah"]
