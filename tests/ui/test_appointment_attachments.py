"""Attachments on the Appointments page of the demo binder: a voice recording attached from
disk (imported on a worker, then listed as a Recording), a document from the library, one
taken off again (it stays in the library), and one opened on the Documents page."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.records.appointments import attachments
from app.records.documents import list_documents
from app.ui.appointments_page import AppointmentsPage
from app.ui.main_window import MainWindow
from tests.fixtures import make_wav


def appointments_of(window: MainWindow) -> AppointmentsPage:
    page = window.other_pages["Appointments"]
    assert isinstance(page, AppointmentsPage)
    window.show_place("Appointments")
    page.show_view("All")
    page.select_row(0)
    assert page.selected_appointment() is not None
    return page


def test_a_recording_and_a_library_document_are_attached_then_one_removed(
    qtbot: QtBot, demo_window: MainWindow, tmp_path: Path
) -> None:
    window = demo_window
    page = appointments_of(window)
    details = page.details
    appointment = page.selected_appointment()
    assert appointment is not None
    person_id = appointment.person_id
    library_before = {d.id for d in list_documents(window.binder, person_id)}
    assert details.attach_empty.isVisible(), "an appointment starts with nothing attached"

    recording = tmp_path / "talk with the oncologist.wav"
    make_wav(recording, seconds=1.0)
    details.attach_file(recording)
    qtbot.waitUntil(
        lambda: any("Recording" in t for t in details.attachment_texts()), timeout=30000
    )
    assert details.attachment_texts() == ["talk with the oncologist · Recording"]
    assert "Attached talk with the oncologist.wav" in details.attach_note.text()
    new = [d for d in list_documents(window.binder, person_id) if d.id not in library_before]
    assert [d.media_type for d in new] == ["audio/wav"], "the recording is in the library"
    assert window.documents.select_document(new[0].id), "the Documents page lists it already"

    picker = details.open_library_picker()
    assert picker is not None
    assert picker.list.count() == len(library_before), "the recording is attached already"
    picker.list.item(0).setSelected(True)
    qtbot.mouseClick(picker.attach_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(details.attachment_texts()) == 2, timeout=30000)
    assert "Attached 1 document from the library." in details.attach_note.text()

    details.attach_list.setCurrentRow(0)
    qtbot.mouseClick(details.detach_button, Qt.MouseButton.LeftButton)
    assert len(details.attachment_texts()) == 1
    assert "Recording" not in details.attachment_texts()[0]
    assert "stays in the library" in details.attach_note.text()
    assert new[0].id in {d.id for d in list_documents(window.binder, person_id)}
    assert [a.document_id for a in attachments(window.binder, appointment.id)] != [new[0].id]

    # The same file again: no second copy in the library, the one there is attached.
    details.attach_file(recording)
    qtbot.waitUntil(
        lambda: any("Recording" in t for t in details.attachment_texts()), timeout=30000
    )
    assert "already in the library" in details.attach_note.text()
    assert len(list_documents(window.binder, person_id)) == len(library_before) + 1


def test_a_file_that_cannot_be_read_is_not_attached(
    qtbot: QtBot, demo_window: MainWindow, tmp_path: Path
) -> None:
    details = appointments_of(demo_window).details
    odd = tmp_path / "strange.bin"
    odd.write_bytes(bytes(range(256)) * 8)
    details.attach_file(odd)
    qtbot.waitUntil(lambda: "was not attached" in details.attach_note.text(), timeout=30000)
    assert "does not know this kind of file" in details.attach_note.text()
    assert details.attachment_texts() == []


def test_double_clicking_an_attachment_opens_it_on_the_documents_page(
    qtbot: QtBot, demo_window: MainWindow
) -> None:
    window = demo_window
    details = appointments_of(window).details
    picker = details.open_library_picker()
    assert picker is not None
    picker.list.item(1).setSelected(True)
    wanted = int(picker.list.item(1).data(Qt.ItemDataRole.UserRole + 1))
    picker.accept()
    item = details.attach_list.item(0)
    where = details.attach_list.visualItemRect(item).center()
    viewport = details.attach_list.viewport()
    # A double-click is a press, a release, then a double-click event, as from a real mouse.
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=where)
    qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=where)
    assert window.stack.currentWidget() is window.documents
    chosen = window.documents.selected_document()
    assert chosen is not None and chosen.id == wanted


def test_screenshot_of_an_appointment_with_attachments(
    qtbot: QtBot, demo_window: MainWindow, tmp_path: Path
) -> None:
    page = appointments_of(demo_window)
    details = page.details
    recording = tmp_path / "Dr Okafor visit 3 March.wav"
    make_wav(recording)
    details.attach_file(recording)
    qtbot.waitUntil(lambda: len(details.attachment_texts()) == 1, timeout=30000)
    picker = details.open_library_picker()
    assert picker is not None
    picker.list.item(0).setSelected(True)
    picker.accept()
    assert len(details.attachment_texts()) == 2
    assert demo_window.grab().save(str(tmp_path / "attach.png"))
