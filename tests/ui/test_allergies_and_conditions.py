"""Allergies on the Medications page and health problems on the Overview, driven as a user
would (offscreen): the plain words when there are none, add through the dialog, see it on the
page and on the summary sheet for the doctor, change it, remove it after saying yes."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from app.export.printable import sheet_pdf
from app.records.allergies import add_allergy, get_allergy, list_allergies
from app.records.coded import Code
from app.records.conditions import list_conditions
from app.records.people import list_people
from app.ui.clinical_dialogs import AllergyDialog, ConditionDialog
from app.ui.clinical_lists import NO_ALLERGIES, NO_CONDITIONS
from app.ui.medications_page import MedicationsPage
from app.ui.overview_page import OverviewPage
from app.vault.binder import Binder
from tests.export.bundle_checks import pdf_text

ADA = 1


def open_medications(qtbot: QtBot, binder: Binder) -> MedicationsPage:
    page = MedicationsPage(binder)
    qtbot.addWidget(page)
    page.resize(1200, 760)
    page.show()
    page.set_person(list_people(binder)[0])
    return page


def open_overview(qtbot: QtBot, binder: Binder) -> OverviewPage:
    page = OverviewPage(binder)
    qtbot.addWidget(page)
    page.resize(1200, 760)
    page.show()
    page.set_person(list_people(binder)[0])
    return page


def type_into(qtbot: QtBot, edit: object, text: str) -> None:
    edit.clear()  # type: ignore[attr-defined]
    qtbot.keyClicks(getattr(edit, "line", edit), text)  # a date field: its line


def summary_text(binder: Binder) -> str:
    return " ".join(pdf_text(sheet_pdf(binder, ADA, "summary")).split())


def click(qtbot: QtBot, button: QPushButton | None) -> None:
    assert button is not None
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def answer(qtbot: QtBot, box: QMessageBox | None, text: str) -> None:
    assert box is not None and box.isVisible()
    button = next(b for b in box.buttons() if b.text() == text)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_an_allergy_typed_in_shows_above_the_medicines_and_reaches_the_summary(
    qtbot: QtBot, binder: Binder
) -> None:
    page = open_medications(qtbot, binder)
    strip = page.allergies
    assert strip.isVisible()
    assert strip.shown_text() == NO_ALLERGIES
    assert "None recorded in this binder" in summary_text(binder)

    dialog = page.allergies.open_add_dialog()
    assert isinstance(dialog, AllergyDialog) and dialog.isVisible()
    assert dialog.remove_button is None, "nothing to remove yet"
    click(qtbot, dialog.save_button)
    assert dialog.isVisible(), "an empty name is refused"
    assert dialog.problem.text() == "Write what you are allergic to."
    type_into(qtbot, dialog.name, "Penicillin")
    type_into(qtbot, dialog.reaction, "rash")
    dialog.severity.setCurrentIndex(dialog.severity.findText("Severe"))
    type_into(qtbot, dialog.since, "31 April 1985")
    click(qtbot, dialog.save_button)
    assert dialog.isVisible()
    assert (
        dialog.problem.text()
        == "Since: “31 April 1985”: April 1985 has no day 31 (it has 30 days)."
    )
    assert list_allergies(binder, ADA) == [], "nothing saved while a value is wrong"
    type_into(qtbot, dialog.since, "1985")
    click(qtbot, dialog.save_button)
    assert not dialog.isVisible()

    assert strip.names_shown() == ["Penicillin (rash, severe)"]
    assert strip.shown_text().startswith("Penicillin (rash, severe)")
    assert "Added Penicillin." in strip.notice.label.text()
    summary = summary_text(binder)
    assert "Penicillin" in summary and "rash" in summary and "severe" in summary
    assert "None recorded in this binder" not in summary

    # The strip stays in every view, also the timeline and an empty one.
    for view in ("Past", "Timeline", "All"):
        page.show_view(view)
        assert strip.isVisible(), view


def test_an_allergy_is_changed_then_removed_after_saying_yes(qtbot: QtBot, binder: Binder) -> None:
    allergy = add_allergy(binder, ADA, "Penicillin", reaction="rash", status="active")
    add_allergy(binder, ADA, "Latex")
    page = open_medications(qtbot, binder)
    strip = page.allergies
    assert strip.names_shown() == ["Latex", "Penicillin (rash)"]

    strip.text.linkActivated.emit(str(allergy.id))  # the user chose "Penicillin"
    dialog = strip.dialog
    assert isinstance(dialog, AllergyDialog) and dialog.isVisible()
    assert dialog.name.text() == "Penicillin" and dialog.severity.currentText() == "Not sure"
    type_into(qtbot, dialog.reaction, "hives and swelling")
    dialog.severity.setCurrentIndex(dialog.severity.findText("Moderate"))
    click(qtbot, dialog.save_button)
    assert not dialog.isVisible()
    assert strip.names_shown() == ["Latex", "Penicillin (hives and swelling, moderate)"]
    assert get_allergy(binder, allergy.id).status == "active", "kept as it was"
    assert "hives and swelling" in summary_text(binder)

    dialog = strip.open_edit_dialog(allergy.id)
    assert isinstance(dialog, AllergyDialog)
    click(qtbot, dialog.remove_button)
    answer(qtbot, dialog.confirm, "Keep it")
    assert dialog.isVisible() and len(list_allergies(binder, ADA)) == 2
    click(qtbot, dialog.remove_button)
    box = dialog.confirm
    assert box is not None and "Remove “Penicillin”" in box.text()
    answer(qtbot, box, "Remove")
    assert not dialog.isVisible()
    assert strip.names_shown() == ["Latex"]
    assert "Removed Penicillin." in strip.notice.label.text()
    assert "Penicillin" not in summary_text(binder)


def test_an_allergy_from_a_portal_file_is_corrected_and_keeps_its_codes(
    qtbot: QtBot, binder: Binder
) -> None:
    codes = (Code("http://www.nlm.nih.gov/research/umls/rxnorm", "7980", "Penicillin G"),)
    allergy = add_allergy(binder, ADA, "PCN", severity="Severe", status="active", codes=codes)
    page = open_medications(qtbot, binder)
    dialog = page.allergies.open_edit_dialog(allergy.id)
    assert isinstance(dialog, AllergyDialog)
    assert dialog.severity.currentText() == "Severe"
    words = " ".join(
        [w.text() for w in dialog.findChildren(QLabel)]
        + [w.text() for w in dialog.findChildren(QLineEdit)]
        + [dialog.windowTitle(), dialog.notes.toPlainText()]
    )
    assert "patient-portal file" in words
    assert "7980" not in words and "rxnorm" not in words.lower(), "codes are never shown"
    type_into(qtbot, dialog.name, "Penicillin")
    click(qtbot, dialog.save_button)
    saved = get_allergy(binder, allergy.id)
    assert (saved.name, saved.severity, saved.codes) == ("Penicillin", "Severe", codes)


def test_health_problems_on_the_overview_reach_the_summary_and_can_be_removed(
    qtbot: QtBot, binder: Binder
) -> None:
    page = open_overview(qtbot, binder)
    box = page.conditions
    assert box.isVisible()
    assert box.shown_text() == NO_CONDITIONS

    dialog = box.open_add_dialog()
    assert isinstance(dialog, ConditionDialog)
    assert dialog.status.currentText() == "Current"
    type_into(qtbot, dialog.name, "High blood pressure")
    type_into(qtbot, dialog.since, "2019-03")
    click(qtbot, dialog.save_button)
    assert not dialog.isVisible()
    dialog = box.open_add_dialog()
    assert isinstance(dialog, ConditionDialog)
    type_into(qtbot, dialog.name, "Knee pain")
    type_into(qtbot, dialog.since, "2026-08")
    type_into(qtbot, dialog.ended, "2025")
    assert dialog.status.currentText() == "Past", "an end date means it is over"
    click(qtbot, dialog.save_button)
    assert dialog.isVisible()
    assert dialog.problem.text() == "The end (2025) is before the start (Aug 2026)."
    type_into(qtbot, dialog.ended, "2026-09")
    click(qtbot, dialog.save_button)
    assert not dialog.isVisible()

    assert box.names_shown() == ["High blood pressure", "Knee pain"]
    shown = box.shown_text()
    assert "High blood pressure: since Mar 2019, current" in shown
    assert "Knee pain: Aug 2026 to Sep 2026, past" in shown
    summary = summary_text(binder)
    assert "Conditions on record: High blood pressure (since Mar 2019)." in summary
    assert "Knee pain" not in summary, "a past problem is not on the current list"

    knee = next(c for c in list_conditions(binder, ADA) if c.name == "Knee pain")
    dialog = box.open_edit_dialog(knee.id)
    assert isinstance(dialog, ConditionDialog)
    assert dialog.ended.text() == "Sep 2026" and dialog.status.currentText() == "Past"
    type_into(qtbot, dialog.ended, "")
    dialog.status.setCurrentIndex(dialog.status.findText("Current"))
    type_into(qtbot, dialog.name, "Left knee pain")
    click(qtbot, dialog.save_button)
    assert "Left knee pain (since Aug 2026)" in summary_text(binder)

    dialog = box.open_edit_dialog(knee.id)
    assert isinstance(dialog, ConditionDialog)
    click(qtbot, dialog.remove_button)
    answer(qtbot, dialog.confirm, "Remove")
    assert box.names_shown() == ["High blood pressure"]
    assert [c.name for c in list_conditions(binder, ADA)] == ["High blood pressure"]


def test_the_demo_shows_typed_in_allergies_and_health_problems(demo_window: object) -> None:
    window = demo_window
    window.show_place("Medications")  # type: ignore[attr-defined]
    strip = window.other_pages["Medications"].allergies  # type: ignore[attr-defined]
    assert strip.names_shown() == [
        "Adhesive tape (red, itchy skin, mild)",
        "Penicillin (rash, moderate)",
    ]
    window.show_place("Overview")  # type: ignore[attr-defined]
    conditions = window.overview.conditions  # type: ignore[attr-defined]
    assert conditions.names_shown()[:2] == ["High blood pressure", "High cholesterol"]
    window.person_box.setCurrentIndex(1)  # type: ignore[attr-defined]
    window.show_place("Medications")  # type: ignore[attr-defined]
    assert strip.shown_text() == NO_ALLERGIES
