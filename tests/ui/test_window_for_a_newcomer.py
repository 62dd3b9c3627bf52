"""What a newcomer meets: a toolbar that follows the page, a read-only Trash with Restore and
Delete for good, and every empty place saying what to do with one button."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from app.records.documents import get_document, list_documents
from app.records.errors import NotFound
from app.ui.look import EmptyState
from app.ui.main_window import MainWindow


def toolbar_words(window: MainWindow) -> list[str]:
    return [a.text().replace("&", "") for a in window.page_bar.actions()]


def test_the_toolbar_offers_what_the_page_shown_can_do(demo_window: MainWindow) -> None:
    expected = {
        "Overview": ["Import documents...", "Prepare a bundle for a doctor..."],
        "Documents": ["Import documents...", "Move to Trash", "Show the Trash"],
        "Medications": ["Add a medication..."],
        "Care team": ["Add a doctor or clinic..."],
        "Appointments": ["Add an appointment..."],
        "Second opinion": ["Prepare a bundle for a doctor..."],
    }
    for place, words in expected.items():
        demo_window.show_place(place)
        assert toolbar_words(demo_window) == words, place
    demo_window.toggle_trash(True)
    assert toolbar_words(demo_window) == [
        "Restore from the Trash",
        "Delete for good...",
        "Show the Trash",
    ]


def test_the_toolbar_s_add_a_medication_opens_its_dialog(
    qtbot: QtBot, demo_window: MainWindow
) -> None:
    demo_window.show_place("Medications")
    (add,) = demo_window.page_bar.actions()
    add.trigger()
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is not None)
    dialog = QApplication.activeModalWidget()
    assert dialog is not None and dialog.windowTitle().startswith("Add a medication")
    dialog.close()


def test_a_document_in_the_trash_is_read_only_and_out_of_the_bundle(
    qtbot: QtBot, demo_window: MainWindow
) -> None:
    page = demo_window.documents
    demo_window.show_place("Documents")
    page.select_row(0)
    title = page.selected_document().title  # type: ignore[union-attr]
    demo_window.actions_by_name["delete"].trigger()
    assert "is in the Trash" in page.notice.label.text()
    demo_window.toggle_trash(True)
    assert page.notice.isHidden(), "no stale “restore it from there” in the Trash"
    assert page.trash_words.isVisible()
    page.select_row(0)
    doc = page.selected_document()
    assert doc is not None and doc.title == title and doc.in_trash
    editor = page.editor
    assert editor.title.isReadOnly() and editor.notes.isReadOnly()
    assert not editor.kind.isEnabled()
    assert not editor.include.isVisible() and editor.in_trash.isVisible()
    # Typing changes nothing in the binder.
    qtbot.keyClicks(editor.title, " (changed)")
    editor.flush()
    assert get_document(demo_window.binder, doc.id).title == title

    demo_window.actions_by_name["restore"].trigger()
    assert "is back in the documents" in page.notice.label.text()
    demo_window.toggle_trash(False)
    assert page.select_document(doc.id)
    assert not page.editor.title.isReadOnly() and page.editor.include.isVisible()


def test_delete_for_good_asks_plainly_then_removes_the_document(
    qtbot: QtBot, demo_window: MainWindow
) -> None:
    binder = demo_window.binder
    page = demo_window.documents
    demo_window.show_place("Documents")
    page.select_row(0)
    doc = page.selected_document()
    assert doc is not None
    page.delete_selected()
    demo_window.toggle_trash(True)
    page.select_row(0)
    # "Keep it" is the default answer: Enter never deletes by accident.
    box = page.confirm_purge()
    assert isinstance(box, QMessageBox)
    assert "Backups made before today still hold it" in box.informativeText()
    assert box.defaultButton().text() == "Keep it"
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert get_document(binder, doc.id).in_trash
    box = page.confirm_purge()
    assert isinstance(box, QMessageBox)
    delete = next(b for b in box.buttons() if b.text() == "Delete for good")
    qtbot.mouseClick(delete, Qt.MouseButton.LeftButton)
    try:
        get_document(binder, doc.id)
        raise AssertionError("the document is still in the binder")
    except NotFound:
        pass
    assert doc.id not in {d.id for d in list_documents(binder, trashed=True)}
    assert "deleted for good" in page.notice.label.text()
    assert not demo_window.undo_stack.canUndo(), "nothing left to undo that names it"


def test_every_empty_place_says_what_to_do_with_one_button(
    qtbot: QtBot, window: MainWindow
) -> None:
    """A new person: each page, and each part of the Second opinion page, says in a
    sentence what goes there and offers the one button that starts it."""
    shown = {}
    for place in ("Documents", "Medications", "Care team", "Appointments"):
        window.show_place(place)
        empties = [e for e in window.stack.currentWidget().findChildren(EmptyState)
                   if e.isVisible() and e.action_button.isVisible()]  # fmt: skip
        shown[place] = [e.action_button.text() for e in empties]
    window.show_place("Overview")
    journey = window.overview.timeline.empty
    shown["Overview"] = [journey.action_button.text()] if journey.isVisible() else []
    page = window.other_pages["Second opinion"]
    for tab in (page.requests, page.opinions, page.shared):  # type: ignore[attr-defined]
        window.show_place("Second opinion")
        page.tabs.setCurrentWidget(tab)  # type: ignore[attr-defined]
        empties = [e for e in tab.findChildren(EmptyState) if e.isVisible()]
        shown[tab.accessibleName()] = [e.action_button.text() for e in empties]
    assert shown == {
        "Documents": ["Import documents..."],
        "Medications": ["Add a medication..."],
        "Care team": ["Add a doctor or clinic..."],
        "Appointments": ["Add an appointment..."],
        "Overview": ["Import documents..."],
        "Records requests": ["Ask for records..."],
        "Opinions": ["Add an opinion..."],
        "What I shared": ["Prepare the bundle..."],
    }
    # No empty list box beside the opinions' message, no empty table under the requests'.
    assert not page.opinions.side.isVisible()  # type: ignore[attr-defined]
    assert not page.requests.table.isVisible()  # type: ignore[attr-defined]
    # Each says it in words, and its button does what it says.
    window.show_place("Care team")
    team = window.other_pages["Care team"]
    button = next(
        b for b in team.findChildren(QPushButton)
        if b.text() == "Add a doctor or clinic..." and b.isVisible() and b.parent() is not team
    )  # fmt: skip
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is not None)
    QApplication.activeModalWidget().close()  # type: ignore[union-attr]
