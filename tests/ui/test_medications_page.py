"""The Medications page, driven as a user would: add a drug, change its dose twice, stop it,
and find it under Past with its whole history (offscreen)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from app.records.medications import MedicationView, list_medications
from app.records.people import list_people
from app.ui.medications_model import COL_DOSE, COL_STOPPED
from app.ui.medications_page import MedicationsPage
from app.vault.binder import Binder


def open_page(qtbot: QtBot, binder: Binder, person_index: int = 0) -> MedicationsPage:
    page = MedicationsPage(binder)
    qtbot.addWidget(page)
    page.resize(1200, 760)
    page.show()
    page.set_person(list_people(binder)[person_index])
    return page


def type_into(qtbot: QtBot, edit: object, text: str) -> None:
    edit.clear()  # type: ignore[attr-defined]
    qtbot.keyClicks(edit, text)


def shown(page: MedicationsPage, column: int) -> list[str]:
    return [str(page.proxy.index(r, column).data()) for r in range(page.proxy.rowCount())]


def test_a_medication_with_two_dose_changes_moves_to_past_when_stopped(
    qtbot: QtBot, binder: Binder
) -> None:
    page = open_page(qtbot, binder)
    assert page.stack.currentWidget() is page.empty
    assert "No current medications" in page.empty.title_label.text()

    dialog = page.open_add_dialog()
    assert dialog is not None and dialog.isVisible()
    assert "2024-03" in dialog.start.placeholderText(), "the date format is shown"
    type_into(qtbot, dialog.name, "Tamoxifen")
    type_into(qtbot, dialog.dose, "20 mg")
    type_into(qtbot, dialog.how_often, "once a day")
    type_into(qtbot, dialog.purpose, "breast cancer, after surgery")
    type_into(qtbot, dialog.start, "2024-03")
    assert dialog.still_taking.isChecked() and not dialog.stop.isEnabled()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert page.names_shown() == ["Tamoxifen"]
    assert shown(page, COL_STOPPED) == ["Still taking"]

    for dose, on in (("10 mg", "2024-09-01"), ("5 mg", "2025-02")):
        change = page.open_change_dose_dialog()
        assert change is not None
        type_into(qtbot, change.dose, dose)
        type_into(qtbot, change.on, on)
        qtbot.mouseClick(change.save_button, Qt.MouseButton.LeftButton)
        assert not change.isVisible()
    assert shown(page, COL_DOSE) == ["5 mg"]
    history = page.details.text()
    assert "Mar 2024: started at 20 mg" in history
    assert "1 Sep 2024: changed to 10 mg" in history
    assert "Feb 2025: changed to 5 mg" in history

    stop = page.open_stop_dialog()
    assert stop is not None
    type_into(qtbot, stop.on, "2025-06-30")
    qtbot.mouseClick(stop.save_button, Qt.MouseButton.LeftButton)
    assert not stop.isVisible()

    assert page.names_shown() == [], "no longer under Current"
    assert page.notice.isVisible()
    assert "Tamoxifen is now under Past" in page.notice.label.text()
    qtbot.mouseClick(page.notice.action_button, Qt.MouseButton.LeftButton)
    assert page.views.tabText(page.views.currentIndex()) == "Past"
    assert page.names_shown() == ["Tamoxifen"]
    assert shown(page, COL_STOPPED) == ["30 Jun 2025"]
    assert "30 Jun 2025: stopped" in page.details.text()

    past = list_medications(binder, 1, MedicationView.PAST)
    assert [(m.name, [c.dose for c in m.changes], m.stop_date) for m in past] == [
        ("Tamoxifen", ["10 mg", "5 mg"], "2025-06-30")
    ]


def test_a_refused_value_is_explained_in_the_dialog_and_nothing_is_saved(
    qtbot: QtBot, binder: Binder
) -> None:
    page = open_page(qtbot, binder)
    dialog = page.open_add_dialog()
    assert dialog is not None
    type_into(qtbot, dialog.name, "Letrozole")
    type_into(qtbot, dialog.start, "March 2024")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert "write it as 2024-03-15, 2024-03 or 2024" in dialog.problem.text()

    type_into(qtbot, dialog.start, "2024-05")
    box = dialog.still_taking
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    assert dialog.stop.isEnabled()
    type_into(qtbot, dialog.stop, "2024-01")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert "before the start date" in dialog.problem.text()
    assert list_medications(binder, 1) == []

    type_into(qtbot, dialog.stop, "2024-11")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert page.notice.isVisible() and "under Past" in page.notice.label.text()


def test_names_autocomplete_and_edit_keeps_the_history(qtbot: QtBot, tmp_path: Path) -> None:
    from app.demo import create_demo_binder

    demo = create_demo_binder(tmp_path / "demo")
    try:
        page = open_page(qtbot, demo)
        dialog = page.open_add_dialog()
        assert dialog is not None
        completer = dialog.name.completer()
        completer.setCompletionPrefix("ator")
        assert completer.currentCompletion() == "Atorvastatin"
        dialog.reject()

        assert page.names_shown()[0] == "Lisinopril"
        page.select_medication(page.selected_medication().id)  # type: ignore[union-attr]
        edit = page.open_edit_dialog()
        assert edit is not None and edit.name.text() == "Lisinopril"
        type_into(qtbot, edit.side_effects, "dry cough")
        qtbot.mouseClick(edit.save_button, Qt.MouseButton.LeftButton)
        assert not edit.isVisible()
        med = page.selected_medication()
        assert med is not None and med.side_effects == "dry cough"
        assert [c.dose for c in med.changes] == ["10 mg"], "editing kept the dose change"
        assert "dry cough" in page.details.text()
    finally:
        demo.close()


def test_the_timeline_draws_every_drug_and_says_it_in_words(qtbot: QtBot, tmp_path: Path) -> None:
    from app.demo import create_demo_binder

    demo = create_demo_binder(tmp_path / "demo")
    try:
        page = open_page(qtbot, demo)
        page.show_view("Timeline")
        assert page.stack.currentIndex() == 1
        names = [m.name for m in page.timeline.meds]
        assert {"Lisinopril", "Ibuprofen", "Lorazepam"} <= set(names), "past ones too"
        words = page.timeline.accessibleDescription()
        assert "Lisinopril 5 mg from Mar 2019 still taking; 10 mg from Feb 2021" in words
        image = page.timeline.grab().toImage()
        assert not image.isNull() and image.width() > 300

        # A click on a drug's row shows its details.
        row = names.index("Ibuprofen")
        y = page.timeline._top_of_rows() + page.timeline._row_height() * row + 5
        qtbot.mouseClick(
            page.timeline,
            Qt.MouseButton.LeftButton,
            pos=page.timeline.rect().topLeft()
            + __import__("PySide6.QtCore", fromlist=["QPoint"]).QPoint(20, int(y)),
        )
        assert "<h2>Ibuprofen</h2>" in page.details.text()
    finally:
        demo.close()


def test_a_regimen_given_in_cycles_keeps_its_cycles(qtbot: QtBot, binder: Binder) -> None:
    from app.records.medications import list_medications

    page = open_page(qtbot, binder)
    dialog = page.open_add_dialog()
    assert dialog is not None
    type_into(qtbot, dialog.name, "Docetaxel")
    type_into(qtbot, dialog.dose, "75 mg/m2")
    type_into(qtbot, dialog.cycles, "6 cycles, every 21 days")
    type_into(qtbot, dialog.start, "2026-01-05")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    (saved,) = list_medications(binder, 1)
    assert (saved.name, saved.cycles) == ("Docetaxel", "6 cycles, every 21 days")


def test_a_medication_entered_by_mistake_is_removed_after_a_question(
    qtbot: QtBot, binder: Binder
) -> None:
    page = open_page(qtbot, binder)
    assert page.open_edit_dialog() is None, "nothing chosen, nothing to edit"
    add = page.open_add_dialog()
    assert add is not None and add.remove_button is None, "nothing to remove while adding"
    type_into(qtbot, add.name, "Metformin")
    type_into(qtbot, add.dose, "500 mg")
    qtbot.mouseClick(add.save_button, Qt.MouseButton.LeftButton)
    assert page.names_shown() == ["Metformin"]

    edit = page.open_edit_dialog()
    assert edit is not None and edit.remove_button is not None
    qtbot.mouseClick(edit.remove_button, Qt.MouseButton.LeftButton)
    box = edit.confirm
    assert box is not None and box.isVisible()
    assert "Stop taking" in box.informativeText(), "it points to stopping, which keeps history"
    keep = next(b for b in box.buttons() if b.text() == "Keep it")
    qtbot.mouseClick(keep, Qt.MouseButton.LeftButton)
    assert page.names_shown() == ["Metformin"] and edit.isVisible()

    qtbot.mouseClick(edit.remove_button, Qt.MouseButton.LeftButton)
    box = edit.confirm
    assert box is not None
    remove = next(b for b in box.buttons() if b.text() == "Remove")
    qtbot.mouseClick(remove, Qt.MouseButton.LeftButton)
    assert not edit.isVisible()
    assert page.names_shown() == []
    assert list_medications(binder, list_people(binder)[0].id, MedicationView.ALL) == []
    assert "Removed Metformin" in page.notice.label.text()
