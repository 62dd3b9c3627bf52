"""The Appointments page with the Care team page: a doctor, an appointment with three
questions, one answered, visit notes, all found again after the binder is closed and
reopened; starters never added unasked; overlaps shown; .ics out and back in."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QDate, QPoint, Qt
from pytestqt.qtbot import QtBot

from app.records.appointments import (
    QUESTION_STARTERS,
    AppointmentStatus,
    add_appointment,
    get_appointment,
    list_appointments,
    parse_when,
)
from app.records.care_team import list_doctors
from app.records.people import list_people
from app.records.questions import list_questions
from app.ui.appointments_page import AppointmentsPage
from app.ui.care_team_page import CareTeamPage
from app.vault.binder import Binder
from app.vault.unlock import open_with_passphrase
from tests.conftest import PASSPHRASE

QUESTIONS = (
    "How sure are you of the diagnosis?",
    "Should the biopsy slides be reviewed again?",
    "What happens if I wait a few weeks?",
)


def open_page(qtbot: QtBot, page: AppointmentsPage | CareTeamPage, binder: Binder) -> None:
    qtbot.addWidget(page)
    page.resize(1200, 760)
    page.show()
    page.set_person(list_people(binder)[0])


def appointments_page(qtbot: QtBot, binder: Binder) -> AppointmentsPage:
    page = AppointmentsPage(binder)
    open_page(qtbot, page, binder)
    return page


def click(qtbot: QtBot, widget: object) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def tick(qtbot: QtBot, box: object) -> None:
    """Click the check box itself (its widget may be wider than the box)."""
    qtbot.mouseClick(
        box,
        Qt.MouseButton.LeftButton,
        pos=QPoint(8, box.height() // 2),  # type: ignore[attr-defined]
    )


def in_ten_days() -> str:
    return (date.today() + timedelta(days=10)).isoformat()


def test_a_doctor_an_appointment_and_its_questions_survive_closing_the_binder(
    qtbot: QtBot, binder: Binder, data_dir: Path
) -> None:
    care = CareTeamPage(binder)
    open_page(qtbot, care, binder)
    dialog = care.open_add_dialog()
    assert dialog is not None
    qtbot.keyClicks(dialog.name, "Dr. June Park")
    qtbot.keyClicks(dialog.role.lineEdit(), "Second-opinion doctor")
    qtbot.keyClicks(dialog.specialty, "Breast medical oncology")
    click(qtbot, dialog.save_button)

    page = appointments_page(qtbot, binder)
    assert page.list_stack.currentWidget() is page.list_empty
    assert page.list_empty.title_label.text() == "None yet for Ada"
    assert "Questions before, notes after" in page.details_empty.title_label.text()
    assert not page.export_button.isEnabled()
    add = page.open_add_dialog()
    assert add is not None
    add.doctor.setCurrentIndex(add.doctor.findText("Dr. June Park", Qt.MatchFlag.MatchStartsWith))
    add.set_when(f"{in_ten_days()}T10:30")
    add.minutes.setValue(45)
    qtbot.keyClicks(add.location, "Northshore Cancer Institute, Breast Center")
    qtbot.keyClicks(add.purpose, "Second opinion on the treatment plan")
    add.kind.setCurrentIndex(add.kind.findText("Second opinion"))
    click(qtbot, add.save_button)
    assert not add.isVisible()

    assert page.list.count() == 1
    assert "Second opinion on the treatment plan with Dr. June Park" in page.list.item(0).text()
    details = page.details
    assert details.title.text() == "Second opinion on the treatment plan"
    assert "10:30 to 11:15" in details.when.text()
    assert details.with_whom.text().startswith("Dr. June Park, Breast medical oncology")
    assert details.status.currentText() == "Planned"
    marked = QDate.fromString(in_ten_days(), "yyyy-MM-dd")
    assert page.marked_days() == [marked], "the day is marked in the calendar"

    for text in QUESTIONS:
        qtbot.keyClicks(details.new_question, text)
        qtbot.keyClick(details.new_question, Qt.Key.Key_Return)
    assert details.question_texts() == list(QUESTIONS)
    second = details.rows[1]
    tick(qtbot, second.check)
    qtbot.keyClicks(second.answer, "Yes, by their own pathologist")
    qtbot.keyClick(second.answer, Qt.Key.Key_Return)
    qtbot.keyClicks(details.notes, "Bring the slides on a disc.")
    appt_id = page.selected_appointment().id  # type: ignore[union-attr]
    # Notes save after a pause in typing: wait for that, as the user would.
    qtbot.waitUntil(
        lambda: get_appointment(binder, appt_id).notes == "Bring the slides on a disc.",
        timeout=30000,
    )

    binder.close()
    reopened = open_with_passphrase(data_dir, PASSPHRASE, remember=False)
    try:
        care_again = CareTeamPage(reopened)
        open_page(qtbot, care_again, reopened)
        assert care_again.names_shown() == ["Dr. June Park"]
        again = appointments_page(qtbot, reopened)
        assert again.list.count() == 1
        shown = again.details
        assert shown.title.text() == "Second opinion on the treatment plan"
        assert shown.kind.text() == "Second opinion"
        assert shown.where.text() == "Northshore Cancer Institute, Breast Center"
        assert shown.question_texts() == list(QUESTIONS)
        assert [row.check.isChecked() for row in shown.rows] == [False, True, False]
        assert shown.rows[1].answer.text() == "Yes, by their own pathologist"
        assert shown.notes.toPlainText() == "Bring the slides on a disc."
    finally:
        for widget in (care_again, again):
            widget.close()
        reopened.close()


def test_question_starters_are_offered_but_never_added_unasked(
    qtbot: QtBot, binder: Binder
) -> None:
    when, zone_name = parse_when(f"{in_ten_days()}T09:00", "Europe/Paris")
    add_appointment(binder, 1, when, zone_name, purpose="First visit")
    page = appointments_page(qtbot, binder)
    details = page.details
    assert details.question_texts() == []
    assert details.no_questions.isVisible()

    details.ideas_menu.aboutToShow.emit()
    offered = [action.text() for action in details.ideas_menu.actions()]
    assert offered == list(QUESTION_STARTERS)
    assert list_questions(binder, 1, page.selected_appointment().id) == []  # type: ignore[union-attr]

    details.ideas_menu.actions()[3].trigger()  # "What happens if I wait?"
    assert details.new_question.text() == QUESTION_STARTERS[3]
    assert details.question_texts() == [], "a starter waits for the user to add it"
    qtbot.keyClicks(details.new_question, " Two weeks?")
    click(qtbot, details.add_question_button)
    assert details.question_texts() == ["What happens if I wait? Two weeks?"]
    details.ideas_menu.aboutToShow.emit()
    assert len(details.ideas_menu.actions()) == len(QUESTION_STARTERS)


def test_overlaps_are_shown_gently_and_a_past_visit_cannot_be_planned(
    qtbot: QtBot, binder: Binder
) -> None:
    first, zone_name = parse_when(f"{in_ten_days()}T09:00", "America/Chicago")
    add_appointment(binder, 1, first, zone_name, minutes=60, purpose="Blood test")
    add_appointment(binder, 1, first + timedelta(minutes=30), zone_name, purpose="MRI")
    past, _ = parse_when("2025-03-03T08:00", "America/Chicago")
    add_appointment(binder, 1, past, zone_name, purpose="Biopsy")
    page = appointments_page(qtbot, binder)
    assert page.list.count() == 2, "Upcoming lists the coming ones"
    assert "overlaps with MRI" in page.details.hint.text()

    page.show_view("All")
    assert page.list.count() == 3
    page.day_chosen(QDate(2025, 3, 3))
    shown = page.selected_appointment()
    assert shown is not None and shown.purpose == "Biopsy"
    assert page.details.status.currentText() == "Done"
    details = page.details
    details.status.setCurrentIndex(details.status.findText("Planned"))
    details.status.activated.emit(details.status.currentIndex())
    assert "cannot be planned again" in details.problem.text()
    assert details.status.currentText() == "Done"
    assert get_appointment(binder, shown.id).status is AppointmentStatus.DONE

    details.status.setCurrentIndex(details.status.findText("Cancelled"))
    details.status.activated.emit(details.status.currentIndex())
    assert get_appointment(binder, shown.id).status is AppointmentStatus.CANCELLED
    assert "Cancelled" in page.list.currentItem().text()


def test_calendar_files_go_out_and_come_back_without_duplicates(
    qtbot: QtBot, binder: Binder, tmp_path: Path
) -> None:
    when, zone_name = parse_when(f"{in_ten_days()}T14:00", "America/New_York")
    add_appointment(binder, 1, when, zone_name, minutes=30, purpose="Follow-up")
    page = appointments_page(qtbot, binder)
    target = tmp_path / "out" / "appointments.ics"
    target.parent.mkdir()

    with qtbot.waitSignal(page.calendar_file_done, timeout=30000) as saved:
        page.export_calendar(target)
    assert "Saved 1 appointment to appointments.ics" in saved.args[0]
    assert b"BEGIN:VALARM" in target.read_bytes()

    with qtbot.waitSignal(page.calendar_file_done, timeout=30000) as again:
        page.import_calendar(target)
    assert "0 appointments added" in again.args[0] and "1 was already here" in again.args[0]
    assert len(list_appointments(binder, 1)) == 1

    clinic = tmp_path / "clinic.ics"
    clinic.write_bytes(
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Clinic//EN\r\nBEGIN:VEVENT\r\n"
        b"UID:clinic-1@example.org\r\nDTSTAMP:20260101T000000Z\r\n"
        b"DTSTART;TZID=America/New_York:" + in_ten_days().replace("-", "").encode() + b"T160000\r\n"
        b"DTEND;TZID=America/New_York:" + in_ten_days().replace("-", "").encode() + b"T163000\r\n"
        b"SUMMARY:CT scan\r\nLOCATION:Imaging, 2nd floor\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    with qtbot.waitSignal(page.calendar_file_done, timeout=30000) as added:
        page.import_calendar(clinic)
    assert "1 appointment added from clinic.ics" in added.args[0]
    assert page.details.title.text() == "CT scan", "the new appointment is shown"
    assert "16:00 to 16:30 (New York time" in page.details.when.text()

    broken = tmp_path / "broken.ics"
    broken.write_bytes(b"this is not a calendar")
    with qtbot.waitSignal(page.calendar_file_done, timeout=30000) as refused:
        page.import_calendar(broken)
    assert refused.args[0].startswith("broken.ics was not added:")
    assert page.notice.isVisible()
    assert len(list_appointments(binder, 1)) == 2
    assert list_doctors(binder, 1) == []
