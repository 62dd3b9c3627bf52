"""The window without a mouse: from the demo's first screen to a bundle for the
second-opinion doctor by key presses only, and every control of every page and dialog
reachable by Tab with a name a screen reader can say.

The walk sends each key to the widget that has the focus, as a keyboard does: no mouse
event, no method called on a widget.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QCalendarWidget,
    QComboBox,
    QDialog,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QScrollBar,
    QTabBar,
    QTextEdit,
    QToolBar,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.ui.main_window import MainWindow

CONTROLS = (
    QAbstractButton,
    QLineEdit,
    QComboBox,
    QAbstractSpinBox,
    QAbstractItemView,
    QPlainTextEdit,
    QTextEdit,
    QTabBar,
)


class Keyboard:
    """Key presses to whatever has the focus, counted."""

    def __init__(self, qtbot: QtBot) -> None:
        self.qtbot = qtbot
        self.presses = 0

    def press(
        self, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
    ) -> None:
        focused = QApplication.focusWidget()
        assert focused is not None, "nothing has the keyboard focus"
        self.qtbot.keyClick(focused, key, modifier)
        self.presses += 1


def test_a_bundle_for_the_second_opinion_doctor_with_the_keyboard_only(
    qtbot: QtBot, demo_window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.export.verify import verify

    monkeypatch.setenv("HOME", str(tmp_path))  # where the bundle is offered to be written
    demo_window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is demo_window.sidebar)
    keys = Keyboard(qtbot)
    # The places list has the focus on the first screen: End goes to "Second opinion".
    keys.press(Qt.Key.Key_End)
    page = demo_window.other_pages["Second opinion"]
    assert demo_window.stack.currentWidget() is page
    # Tab into the page, to the button that prepares the bundle for the booked doctor.
    button = page.bundle_button  # type: ignore[attr-defined]
    while QApplication.focusWidget() is not button:
        keys.press(Qt.Key.Key_Tab)
        assert keys.presses < 30, f"Tab never reached {button.text()}"
    assert button.text() == "Prepare the bundle for Dr. Irene Castellanos..."
    keys.press(Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QDialog))
    dialog = QApplication.activeModalWidget()
    qtbot.waitUntil(lambda: getattr(QApplication.focusWidget(), "window", lambda: None)() is dialog)
    # The dialog opens on the doctor's name, the checklist's records ticked: Enter prepares.
    assert dialog.doctor.text() == "Dr. Irene Castellanos"  # type: ignore[union-attr]
    keys.press(Qt.Key.Key_Return)
    target = tmp_path / "Records of Eleanor Whitfield for Dr. Irene Castellanos.zip"
    qtbot.waitUntil(lambda: "The bundle is ready" in demo_window.statusBar().currentMessage(),
                    timeout=60000)  # fmt: skip
    print(f"\nA bundle for the second-opinion doctor in {keys.presses} key presses.")
    assert keys.presses < 30
    assert target.is_file()
    report = verify(target)
    assert report.ok, report
    assert report.files_checked > 5 and report.pages > 0


# -- every control reachable by Tab, with a name -------------------------------------------


def tab_chain(qtbot: QtBot, first: QWidget) -> list[QWidget]:
    """The widgets Tab visits from `first` until it comes back to it. (A label with links
    keeps the focus while Tab goes from link to link.)"""
    first.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is first)
    seen: list[QWidget] = [first]
    for _ in range(400):
        focused = QApplication.focusWidget()
        assert focused is not None
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
        now = QApplication.focusWidget()
        if now is first or now is None:
            break
        if now not in seen:
            seen.append(now)
    return seen


def _is_part_of_another(widget: QWidget) -> bool:
    """An editor inside a combo box or date field, a calendar's own buttons (its days are
    reached by the arrow keys), a scroll bar, a toolbar button (also in the menus)."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QComboBox | QAbstractSpinBox | QCalendarWidget | QToolBar):
            return True
        parent = parent.parentWidget()
    return isinstance(widget, QScrollBar | QHeaderView)


def name_of(widget: QWidget) -> str:
    name = widget.accessibleName()
    if not name and isinstance(widget, QAbstractButton):
        name = widget.text()
    return name.replace("&", "").strip()


def unreachable_or_unnamed(qtbot: QtBot, root: QWidget, first: QWidget) -> list[str]:
    """Controls shown in `root` that Tab does not reach, or that have no name."""
    reached = set(tab_chain(qtbot, first))
    problems = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, CONTROLS) or _is_part_of_another(widget):
            continue
        if not widget.isVisibleTo(root) or not widget.isEnabled():
            continue
        if isinstance(widget, QRadioButton) and widget.autoExclusive() and not widget.isChecked():
            continue  # one radio button of a group takes Tab; the arrow keys choose
        what = f"{type(widget).__name__} “{name_of(widget) or widget.objectName()}”"
        if widget not in reached:
            problems.append(f"not reached by Tab: {what}")
        if not name_of(widget):
            problems.append(f"no name: {what}")
    return problems


def places_and_tabs(window: MainWindow) -> Iterator[str]:
    """Show each place (and each tab of the Second opinion page, each medication view)."""
    from app.ui.places import PLACES

    for place in PLACES:
        window.show_place(place)
        yield place
    meds = window.other_pages["Medications"]
    for view in ("Past", "All", "Timeline"):
        window.show_place("Medications")
        meds.show_view(view)  # type: ignore[attr-defined]
        yield f"Medications, {view}"
    window.show_place("Second opinion")
    page = window.other_pages["Second opinion"]
    tabs = page.tabs  # type: ignore[attr-defined]
    for index in range(tabs.count()):
        tabs.setCurrentIndex(index)
        yield f"Second opinion, {tabs.tabText(index)}"
    window.toggle_trash(True)
    yield "Trash"
    window.toggle_trash(False)


def test_every_control_of_every_page_is_reached_by_tab_and_named(
    qtbot: QtBot, demo_window: MainWindow
) -> None:
    demo_window.activateWindow()
    problems = {}
    for where in places_and_tabs(demo_window):
        found = unreachable_or_unnamed(qtbot, demo_window, demo_window.sidebar)
        if found:
            problems[where] = found
    for where, found in problems.items():
        print(where, *found, sep="\n    ")
    assert problems == {}


def dialogs(window: MainWindow) -> Iterator[tuple[str, QWidget | None]]:
    """Every dialog the pages and menus open, one at a time."""
    from app.ui.auto_backup import AutoBackupDialog
    from app.ui.binder_safety import ChangePassphraseDialog
    from app.ui.people_dialog import AddPersonDialog
    from app.ui.sheets_dialog import SheetsDialog

    binder, person = window.binder, window.person
    assert person is not None
    yield "Add a person", AddPersonDialog(binder, window)
    yield "Print or save a sheet", SheetsDialog(binder, person, window)
    yield "Automatic backups", AutoBackupDialog(window.settings, window)
    yield "Change the passphrase", ChangePassphraseDialog(binder, window)
    window.show_place("Medications")
    meds = window.other_pages["Medications"]
    meds.select_row(0)  # type: ignore[attr-defined]
    yield "Add a medication", meds.open_add_dialog()  # type: ignore[attr-defined]
    yield "Change the dose", meds.open_change_dose_dialog()  # type: ignore[attr-defined]
    yield "Stop taking", meds.open_stop_dialog()  # type: ignore[attr-defined]
    yield "Add an allergy", meds.allergies.open_add_dialog()  # type: ignore[attr-defined]
    window.show_place("Overview")
    yield "Add a health problem", window.overview.conditions.open_add_dialog()
    window.show_place("Care team")
    yield "Add a doctor", window.other_pages["Care team"].open_add_dialog()  # type: ignore[attr-defined]
    window.show_place("Appointments")
    appointments = window.other_pages["Appointments"]
    yield "Add an appointment", appointments.open_add_dialog()  # type: ignore[attr-defined]
    window.show_place("Second opinion")
    page = window.other_pages["Second opinion"]
    requests = page.requests  # type: ignore[attr-defined]
    page.tabs.setCurrentWidget(requests)  # type: ignore[attr-defined]
    yield "Ask for records", requests.open_add_dialog()
    requests.table.selectRow(0)
    yield "Records received", requests.open_received_dialog()
    yield "Records request letter", requests.open_letter_dialog()
    yield "Add an opinion", page.opinions.open_add_dialog()  # type: ignore[attr-defined]
    yield "Not applicable", page.open_not_applicable_dialog("operative")  # type: ignore[attr-defined]
    yield "Prepare the bundle", window.prepare_bundle(person.id, [])
    window.show_place("Documents")
    window.toggle_trash(False)
    window.documents.select_row(0)
    window.documents.delete_selected()
    window.toggle_trash(True)
    window.documents.select_row(0)
    yield "Delete for good", window.documents.confirm_purge()
    window.toggle_trash(False)


def test_every_control_of_every_dialog_is_reached_by_tab_and_named(
    qtbot: QtBot, demo_window: MainWindow
) -> None:
    problems = {}
    count = 0
    for name, dialog in dialogs(demo_window):
        assert dialog is not None, name
        dialog.show()
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow)
        first = dialog.focusWidget() or dialog.nextInFocusChain()
        found = unreachable_or_unnamed(qtbot, dialog, first)
        if found:
            problems[name] = found
            print(name, *found, sep="\n    ")
        dialog.close()
        count += 1
    assert count == 18
    assert problems == {}


def test_the_first_run_wizard_and_unlock_are_reached_by_tab_and_named(
    qtbot: QtBot, data_dir: Path, no_keyring: None
) -> None:
    from app.ui.first_run import FirstRunWizard
    from app.ui.unlock_dialog import UnlockDialog
    from app.vault.binder import Binder

    wizard = FirstRunWizard(data_dir)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.activateWindow()
    qtbot.waitUntil(wizard.isActiveWindow)
    problems = {}
    for step in range(3):
        first = wizard.focusWidget() or wizard.nextInFocusChain()
        found = unreachable_or_unnamed(qtbot, wizard.currentPage(), first)
        if found:
            problems[f"wizard step {step + 1}"] = found
        if step == 0:
            wizard.next()
        elif step == 1:
            wizard.passphrase_page.first.setText("blue heron paper lantern")
            wizard.passphrase_page.second.setText("blue heron paper lantern")
            wizard.next()
    assert problems == {}
    Binder.create(data_dir / "other", "blue heron paper lantern").close()
    dialog = UnlockDialog(data_dir / "other", try_keyring=False)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    assert unreachable_or_unnamed(qtbot, dialog, dialog.passphrase) == []
    dialog.show_forgotten(True)
    assert unreachable_or_unnamed(qtbot, dialog, dialog.back_button) == []
