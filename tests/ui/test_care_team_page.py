"""The Care team page: add a doctor, edit them in place, and remove one only with consent
while other records name them (offscreen, real widgets, real binder)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.records.appointments import add_appointment, list_appointments
from app.records.care_team import add_doctor, list_doctors
from app.records.medications import add_medication, list_medications
from app.records.people import list_people
from app.ui.care_team_page import CareTeamPage
from app.vault.binder import Binder


def open_page(qtbot: QtBot, binder: Binder) -> CareTeamPage:
    page = CareTeamPage(binder)
    qtbot.addWidget(page)
    page.resize(1200, 760)
    page.show()
    page.set_person(list_people(binder)[0])
    return page


def test_adding_a_doctor_and_editing_a_detail_saves_it(qtbot: QtBot, binder: Binder) -> None:
    page = open_page(qtbot, binder)
    assert page.list_stack.currentWidget() is page.empty
    assert "No one in the care team yet" in page.empty.title_label.text()

    dialog = page.open_add_dialog()
    assert dialog is not None
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "needs a name" in dialog.problem.text()
    qtbot.keyClicks(dialog.name, "Dr. June Park")
    qtbot.keyClicks(dialog.role.lineEdit(), "Second-opinion doctor")
    qtbot.keyClicks(dialog.specialty, "Breast medical oncology")
    qtbot.keyClicks(dialog.institution, "Northshore Cancer Institute")
    qtbot.keyClicks(dialog.phone, "(555) 017-5500")
    qtbot.keyClicks(dialog.fax, "(555) 017-5501")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()

    assert page.names_shown() == ["Dr. June Park"]
    row = [page.model.item(0, c).text() for c in range(page.model.columnCount())]
    assert row == [
        "Dr. June Park",
        "Second-opinion doctor",
        "Breast medical oncology",
        "Northshore Cancer Institute",
        "(555) 017-5500",
        "(555) 017-5501",
    ]
    editor = page.editor
    assert editor.edits["name"].text() == "Dr. June Park"
    qtbot.keyClicks(editor.edits["email"], "park@northshore.example")
    qtbot.keyClick(editor.edits["email"], Qt.Key.Key_Return)
    editor.edits["phone"].selectAll()
    qtbot.keyClicks(editor.edits["phone"], "(555) 017-5599")
    qtbot.keyClick(editor.edits["phone"], Qt.Key.Key_Return)
    (doctor,) = list_doctors(binder, 1)
    assert (doctor.email, doctor.phone) == ("park@northshore.example", "(555) 017-5599")
    assert page.model.item(0, 4).text() == "(555) 017-5599", "the table follows the editor"

    editor.edits["name"].clear()
    qtbot.keyClick(editor.edits["name"], Qt.Key.Key_Return)
    assert "needs a name" in editor.problem.text()
    assert list_doctors(binder, 1)[0].name == "Dr. June Park", "an empty name is not saved"


def test_removing_a_doctor_in_use_asks_first_and_changes_nothing_until_consent(
    qtbot: QtBot, binder: Binder
) -> None:
    park = add_doctor(binder, 1, "Dr. June Park", role="Surgeon")
    add_doctor(binder, 1, "Dr. Ali Stone", role="Primary care")
    add_medication(binder, 1, "Oxycodone", prescriber_id=park.id, dose="5 mg")
    add_appointment(binder, 1, datetime.now(UTC) + timedelta(days=3), "UTC", park.id)
    page = open_page(qtbot, binder)
    assert page.names_shown() == ["Dr. Ali Stone", "Dr. June Park"]
    page.select_doctor(park.id)

    qtbot.mouseClick(page.remove_button, Qt.MouseButton.LeftButton)
    assert page.notice.isVisible()
    message = page.notice.label.text()
    assert "Dr. June Park is still named by 1 medication and 1 appointment" in message
    assert "nothing was removed" in message
    assert page.notice.action_button.text() == "Remove and unlink"
    assert page.names_shown() == ["Dr. Ali Stone", "Dr. June Park"]
    assert len(list_doctors(binder, 1)) == 2
    assert list_medications(binder, 1)[0].prescriber_id == park.id
    assert list_appointments(binder, 1)[0].doctor_id == park.id

    # Dismissing the message is not consent.
    qtbot.mouseClick(page.notice.close_button, Qt.MouseButton.LeftButton)
    assert len(list_doctors(binder, 1)) == 2

    qtbot.mouseClick(page.remove_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.notice.action_button, Qt.MouseButton.LeftButton)
    assert page.names_shown() == ["Dr. Ali Stone"]
    assert [d.name for d in list_doctors(binder, 1)] == ["Dr. Ali Stone"]
    assert list_medications(binder, 1)[0].prescriber_id is None, "kept, naming no one"
    assert list_appointments(binder, 1)[0].doctor_id is None, "kept, naming no one"
    assert "no longer in the care team" in page.notice.label.text()

    # A doctor nobody names goes at once.
    qtbot.mouseClick(page.remove_button, Qt.MouseButton.LeftButton)
    assert list_doctors(binder, 1) == []
    assert page.list_stack.currentWidget() is page.empty
