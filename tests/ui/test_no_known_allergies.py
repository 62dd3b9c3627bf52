"""Saying "no known allergies" on the Medications page, as a user would (offscreen): the
button beside "Add an allergy..." while none are recorded, the line that then says so with
its date, taking it back after a question, and a real allergy replacing it; the summary
sheet for the doctor follows each step."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from app.records.allergies import add_allergy, is_no_known, list_allergies
from app.records.date_display import shown_date
from app.ui.clinical_dialogs import AllergyDialog
from app.ui.clinical_lists import NO_ALLERGIES, AllergiesStrip
from app.vault.binder import Binder
from tests.ui.test_allergies_and_conditions import (
    ADA,
    open_medications,
    summary_text,
    type_into,
)

SHOTS = Path("/tmp/helper-nka")


def click(qtbot: QtBot, button: QPushButton | None) -> None:
    assert button is not None
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def answer(qtbot: QtBot, box: QMessageBox | None, text: str) -> None:
    assert box is not None and box.isVisible()
    click(qtbot, next(b for b in box.buttons() if b.text() == text))


def _save_shot(strip: AllergiesStrip, name: str) -> None:
    if SHOTS.is_dir():
        strip.window().grab().save(str(SHOTS / f"{name}.png"))


def test_no_known_allergies_is_said_shown_with_its_date_and_taken_back(
    qtbot: QtBot, binder: Binder
) -> None:
    page = open_medications(qtbot, binder)
    strip = page.allergies
    assert strip.shown_text() == NO_ALLERGIES
    assert strip.none_button.isVisible() and strip.none_button.text() == "No known allergies"
    _save_shot(strip, "strip-empty")

    before = date.today().isoformat()
    click(qtbot, strip.none_button)
    [said] = list_allergies(binder, ADA)
    # Today's date, read before and after: a run that crosses midnight sees either day.
    assert said.noted_date in {before, date.today().isoformat()}
    today = shown_date(said.noted_date or "")
    assert strip.shown_text().startswith(f"No known allergies (recorded {today})")
    assert not strip.none_button.isVisible(), "said once"
    assert strip.add_button.isVisible()
    assert "Recorded: no known allergies." in strip.notice.label.text()
    assert [is_no_known(a) for a in list_allergies(binder, ADA)] == [True]
    summary = summary_text(binder)
    assert f"No known allergies (recorded by the patient, {today})." in summary
    assert "please ask the patient" not in summary
    _save_shot(strip, "strip-no-known")

    [said] = strip.items
    strip.text.linkActivated.emit(str(said.id))  # the user chose the line
    assert strip.dialog is None, "no edit form for it: only the question"
    answer(qtbot, strip.confirm, "Keep it")
    assert list_allergies(binder, ADA) == [said]

    strip.text.linkActivated.emit(str(said.id))
    box = strip.confirm
    assert box is not None and "Take back" in box.text()
    answer(qtbot, box, "Take it back")
    assert list_allergies(binder, ADA) == []
    assert strip.shown_text() == NO_ALLERGIES and strip.none_button.isVisible()
    assert "None recorded in this binder: please ask the patient." in summary_text(binder)


def test_adding_an_allergy_replaces_no_known_allergies(qtbot: QtBot, binder: Binder) -> None:
    page = open_medications(qtbot, binder)
    strip = page.allergies
    click(qtbot, strip.none_button)

    dialog = strip.open_add_dialog()
    assert isinstance(dialog, AllergyDialog)
    assert "Adding an allergy replaces “No known allergies”." in " ".join(
        w.text() for w in dialog.findChildren(type(strip.title))
    )
    type_into(qtbot, dialog.name, "Penicillin")
    type_into(qtbot, dialog.reaction, "rash")
    click(qtbot, dialog.save_button)
    assert not dialog.isVisible()
    assert strip.names_shown() == ["Penicillin (rash)"]
    assert "No known" not in strip.shown_text()
    assert not strip.none_button.isVisible(), "an allergy is recorded: no 'none' to say"
    summary = summary_text(binder)
    assert "Penicillin" in summary and "No known allergies" not in summary


def test_saying_none_after_an_allergy_was_added_elsewhere_is_refused_plainly(
    qtbot: QtBot, binder: Binder
) -> None:
    page = open_medications(qtbot, binder)
    strip = page.allergies
    add_allergy(binder, ADA, "Latex")  # from the command line, while the window is open
    click(qtbot, strip.none_button)
    assert "Allergies are recorded (Latex)" in strip.notice.label.text()
    assert strip.names_shown() == ["Latex"] and not strip.none_button.isVisible()
    assert [a.name for a in list_allergies(binder, ADA)] == ["Latex"]
