"""The treatment summary tab and the Overview's Print timeline button, driven as a user
would (offscreen) on the demo binder: Thomas Whitfield's rectal cancer of 2021 has a
pathology report, radiation, surgery and chemotherapy with two dose changes."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton
from pytestqt.qtbot import QtBot

from app.records.picture import FieldState
from app.records.picture import clinical_picture as treatment_summary


def _thomas(window: object) -> None:
    box = window.person_box  # type: ignore[attr-defined]
    box.setCurrentIndex(box.findText("Thomas Whitfield"))


def _button(widget: object, name: str) -> QPushButton:
    found = [b for b in widget.findChildren(QPushButton) if b.accessibleName() == name]  # type: ignore[attr-defined]
    assert found, name
    return found[0]


def test_the_user_checks_corrects_and_opens_sources(
    qtbot: QtBot, demo_window: object, tmp_path: Path
) -> None:
    window = demo_window
    _thomas(window)
    window.show_place("Second opinion")  # type: ignore[attr-defined]
    page = window.other_pages["Second opinion"]  # type: ignore[attr-defined]
    page.tabs.setCurrentIndex(page.tab_treatment)
    view = page.treatment
    person = window.person  # type: ignore[attr-defined]
    assert person.name == "Thomas Whitfield"
    words = " ".join(label.text() for label in view.findChildren(QLabel))
    for expected in ("Invasive adenocarcinoma", "50.4 Gy", "Oxaliplatin", "100 mg/m2"):
        assert expected in words, expected
    assert "Lisinopril" not in words and "Aspirin" not in words

    # Confirm the stage: it reads "Checked by you" and the count goes up.
    before = view.count.text()
    qtbot.mouseClick(_button(view, "Confirm Stage"), Qt.MouseButton.LeftButton)
    summary = treatment_summary(window.binder, person.id)  # type: ignore[attr-defined]
    assert summary.field("stage.group").state is FieldState.CONFIRMED
    assert view.count.text() != before and "Confirmed: Stage." in view.notice.label.text()

    # Correct the site through the dialog.
    qtbot.mouseClick(_button(view, "Write Site"), Qt.MouseButton.LeftButton)
    dialog = view.dialog
    assert dialog is not None and dialog.isVisible()
    dialog.editor.setText("Mid rectum, 9 cm from the anal verge")
    dialog.accept()
    summary = treatment_summary(window.binder, person.id)  # type: ignore[attr-defined]
    assert summary.value("diagnosis.site") == "Mid rectum, 9 cm from the anal verge"
    assert summary.field("diagnosis.site").state is FieldState.CORRECTED

    # The pathology report's link opens it on the Documents page.
    source = summary.field("diagnosis.histology").sources[0]
    qtbot.mouseClick(_button(view, f"Open the source: {source.label}"), Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.documents  # type: ignore[attr-defined]
    chosen = window.documents.selected_document()  # type: ignore[attr-defined]
    assert chosen is not None and chosen.id == source.id

    # A medicine's link opens the Medications page on it (a stopped one too).
    window.show_place("Second opinion")  # type: ignore[attr-defined]
    med = next(r for r in summary.section("systemic").rows if r.value("drug") == "Oxaliplatin")
    label = med.get("drug").sources[0].label
    qtbot.mouseClick(_button(view, f"Open the source: {label}"), Qt.MouseButton.LeftButton)
    meds = window.other_pages["Medications"]  # type: ignore[attr-defined]
    assert window.stack.currentWidget() is meds  # type: ignore[attr-defined]
    assert meds.selected_medication().name == "Oxaliplatin"

    view.grab().save(str(tmp_path / "treatment-summary.png"))


def test_print_buttons_open_the_sheets_dialog_on_the_right_sheet(
    qtbot: QtBot, demo_window: object
) -> None:
    window = demo_window
    _thomas(window)
    dialog = window.overview.print_timeline()  # type: ignore[attr-defined]
    assert dialog is not None and dialog.which.currentData() == "timeline"
    made: list[bytes] = []
    dialog.make(made.append)
    qtbot.waitUntil(lambda: bool(made), timeout=30000)
    assert made[0].startswith(b"%PDF")
    dialog.close()
    assert window.overview.print_timeline_button.isVisible()  # type: ignore[attr-defined]

    window.show_place("Second opinion")  # type: ignore[attr-defined]
    page = window.other_pages["Second opinion"]  # type: ignore[attr-defined]
    page.tabs.setCurrentIndex(page.tab_treatment)
    summary_dialog = page.treatment.print_summary()
    assert summary_dialog is not None and summary_dialog.which.currentData() == "treatment"
    summary_dialog.close()


def test_an_empty_section_says_so_and_a_course_can_be_added(
    qtbot: QtBot, demo_window: object
) -> None:
    window = demo_window  # Eleanor: no surgery, medicine or radiation for her cancer yet
    window.show_place("Second opinion")  # type: ignore[attr-defined]
    page = window.other_pages["Second opinion"]  # type: ignore[attr-defined]
    page.tabs.setCurrentIndex(page.tab_treatment)
    view = page.treatment
    words = " ".join(label.text() for label in view.findChildren(QLabel))
    assert "No radiation is recorded." in words and "No surgery is recorded." in words
    qtbot.mouseClick(_button(view, "Add a radiation course"), Qt.MouseButton.LeftButton)
    rows = treatment_summary(window.binder, window.person.id).section("radiation").rows  # type: ignore[attr-defined]
    assert [r.key for r in rows] == ["radiation.u1"]
    assert "No radiation is recorded." not in " ".join(
        label.text() for label in view.findChildren(QLabel) if label.isVisibleTo(view)
    )
    view.notice.action_button.click()  # Undo
    rows = treatment_summary(window.binder, window.person.id).section("radiation").rows  # type: ignore[attr-defined]
    assert rows == ()
