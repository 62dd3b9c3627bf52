"""The main window and its Documents page, driven as a user would (offscreen)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, Qt, QTimer, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.records.documents import get_document, list_documents
from app.ui.documents_model import COL_TITLE, DOCUMENT_ROLE
from app.ui.documents_page import DocumentsPage
from app.ui.main_window import MainWindow
from tests.fixtures import make_pdf


def shown_titles(page: DocumentsPage) -> list[str]:
    proxy = page.proxy
    return [proxy.index(row, COL_TITLE).data() for row in range(proxy.rowCount())]


def shown_files(page: DocumentsPage) -> list[str]:
    """The original file names of the rows shown (titles depend on what ingest reads)."""
    proxy = page.proxy
    return [
        proxy.index(row, 0).data(DOCUMENT_ROLE).original_name for row in range(proxy.rowCount())
    ]


def drop_files(qtbot: QtBot, target: QWidget, paths: list[Path]) -> None:
    """What the window receives when files are dragged from a file manager and dropped."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    point = target.rect().center()
    actions = Qt.DropAction.CopyAction
    enter = QDragEnterEvent(
        point.toPointF(), actions, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(target, enter)
    assert enter.isAccepted()
    drop = QDropEvent(
        QPoint(point).toPointF(),
        actions,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(target, drop)
    assert drop.isAccepted()


def wait_for_import(qtbot: QtBot, page: DocumentsPage) -> None:
    qtbot.waitUntil(
        lambda: page.import_job is not None and page.import_job.finished, timeout=180000
    )


def import_into(qtbot: QtBot, window: MainWindow, paths: list[Path]) -> None:
    window.show_place("Documents")
    drop_files(qtbot, window.documents, paths)
    wait_for_import(qtbot, window.documents)


def test_the_window_shows_the_demo_persons_documents(qtbot: QtBot, demo_window: MainWindow) -> None:
    window = demo_window
    assert window.person is not None and window.person.name == "Eleanor Whitfield"
    assert "Eleanor Whitfield" in window.windowTitle()
    assert "8 documents" in window.overview.summary.text()
    window.show_place("Documents")
    titles = shown_titles(window.documents)
    assert len(titles) == 8
    assert "Surgical pathology report: left breast core biopsy" in titles
    # Plain words for the kinds, never the stored values.
    kinds = {window.documents.proxy.index(r, 0).data() for r in range(8)}
    assert "Pathology report" in kinds and "pathology" not in kinds
    # The caregiver switches to Thomas: only his documents are shown.
    window.person_box.setCurrentIndex(window.person_box.findText("Thomas Whitfield"))
    titles = shown_titles(window.documents)
    assert "Cardiology follow-up letter" in titles
    assert "Surgical pathology report: left breast core biopsy" not in titles


def test_every_place_in_the_sidebar_has_a_page_that_says_what_it_holds(
    demo_window: MainWindow,
) -> None:
    for row in range(demo_window.sidebar.count()):
        demo_window.sidebar.setCurrentRow(row)
        page = demo_window.stack.currentWidget()
        assert page is demo_window.pages[row]
        words = " ".join(label.text() for label in page.findChildren(QLabel))
        assert len(words) > 40, demo_window.sidebar.item(row).text()


def test_a_dropped_pdf_is_imported_and_its_row_appears(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    page = window.documents
    assert shown_titles(page) == []
    assert "No documents for Ada Example yet" in page.empty.title_label.text()
    pdf = tmp_path / "biopsy_report_march.pdf"
    make_pdf(pdf, "Core biopsy of the left breast.")
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    import_into(qtbot, window, [pdf, empty])
    assert shown_files(page) == ["biopsy_report_march.pdf"]
    assert "1 document imported" in page.import_panel.status.text()
    # The refused file is named, with its reason, in the per-file results.
    details = [page.import_panel.results.item(i).text() for i in range(2)]
    assert any("Not imported: empty.pdf" in d and "empty" in d for d in details)
    assert page.import_panel.results.isVisible()


def test_typing_in_the_search_box_shows_only_documents_with_those_words(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    page = window.documents
    make_pdf(tmp_path / "a.pdf", "The margins were clear of tumour.")
    make_pdf(tmp_path / "b.pdf", "Haemoglobin within the normal range.")
    import_into(qtbot, window, [tmp_path / "a.pdf", tmp_path / "b.pdf"])
    assert len(shown_titles(page)) == 2
    qtbot.keyClicks(page.search_box, "haemoglobin")
    qtbot.waitUntil(lambda: shown_files(page) == ["b.pdf"], timeout=30000)
    snippet = page.proxy.index(0, 5).data(Qt.ItemDataRole.UserRole + 3)
    assert "<b>Haemoglobin</b>" in snippet
    page.search_box.clear()
    qtbot.waitUntil(lambda: len(shown_titles(page)) == 2, timeout=30000)
    # The kind filter narrows the list too.
    page.kind_filter.setCurrentIndex(page.kind_filter.findText("Pathology report"))
    assert shown_titles(page) == []
    assert "Nothing matches" in page.empty.title_label.text()
    qtbot.mouseClick(page.clear_button, Qt.MouseButton.LeftButton)
    assert len(shown_titles(page)) == 2


def test_the_filters_narrow_by_doctor_and_date(qtbot: QtBot, demo_window: MainWindow) -> None:
    page = demo_window.documents
    page.who_filter.setCurrentIndex(page.who_filter.findText("Dr. Paul Nguyen"))
    assert sorted(shown_titles(page)) == [
        "Breast MRI with and without contrast",
        "Diagnostic mammogram and breast ultrasound",
    ]
    page.clear_filters()
    qtbot.keyClicks(page.date_from.line, "October 2026")  # a month: from its first day
    titles = shown_titles(page)
    assert "Medical oncology consultation" in titles  # 6 Oct 2026
    assert "Breast MRI with and without contrast" not in titles  # 25 Sep 2026
    assert page.date_from.line.toolTip() == "October 2026"


def select_title(page: DocumentsPage, title: str) -> int:
    for row in range(page.proxy.rowCount()):
        doc = page.proxy.index(row, 0).data(DOCUMENT_ROLE)
        if doc.title == title:
            page.select_row(row)
            return int(doc.id)
    raise AssertionError(f"{title} is not shown")


def test_editing_the_date_saves_it_in_the_binder_and_undo_puts_it_back(
    qtbot: QtBot, demo_window: MainWindow
) -> None:
    page = demo_window.documents
    binder = demo_window.binder
    doc_id = select_title(page, "Treatment plan summary")
    # The editor shows the date as the table does, and reads it as people type it.
    row = page.model.row_of(doc_id)
    assert row is not None
    assert page.editor.date.text() == page.model.index(row, 2).data() == "14 Oct 2026"
    line = page.editor.date.line
    line.setFocus()
    line.selectAll()
    qtbot.keyClicks(line, "October 15, 2026")
    assert page.editor.date.echo.text() == "Thursday, 15 October 2026"
    qtbot.keyClick(line, Qt.Key.Key_Return)
    assert get_document(binder, doc_id).date == "2026-10-15"
    row = page.model.row_of(doc_id)  # the newer date may move it up the list
    assert row is not None
    assert page.model.index(row, 2).data() == "15 Oct 2026"
    demo_window.actions_by_name["undo"].trigger()
    assert get_document(binder, doc_id).date == "2026-10-14"
    assert page.editor.date.text() == "14 Oct 2026"
    # A date that is not a date is explained, and not saved.
    line.selectAll()
    qtbot.keyClicks(line, "31 Feb 2026")
    qtbot.keyClick(line, Qt.Key.Key_Return)
    assert "February 2026 has no day 31" in page.editor.problem.text()
    assert get_document(binder, doc_id).date == "2026-10-14"


def test_delete_moves_to_the_trash_and_restore_brings_it_back(
    qtbot: QtBot, demo_window: MainWindow
) -> None:
    demo_window.show_place("Documents")
    page = demo_window.documents
    binder = demo_window.binder
    doc_id = select_title(page, "Current medication list")
    demo_window.actions_by_name["delete"].trigger()
    assert "Current medication list" not in shown_titles(page)
    assert "is in the Trash" in page.notice.label.text()
    assert [d.id for d in list_documents(binder, trashed=True)] == [doc_id]
    demo_window.actions_by_name["show_trash"].trigger()
    assert page.title.text() == "Trash"
    assert shown_titles(page) == ["Current medication list"]
    page.select_row(0)
    demo_window.actions_by_name["restore"].trigger()
    assert shown_titles(page) == []
    assert "The Trash is empty" in page.empty.title_label.text()
    demo_window.actions_by_name["show_trash"].trigger()
    assert "Current medication list" in shown_titles(page)
    assert get_document(binder, doc_id).trashed_at is None


def test_the_preview_of_a_pdf_shows_its_pages(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    pdf = tmp_path / "discharge.pdf"
    make_pdf(pdf, "Page one", "Page two", "Page three")
    import_into(qtbot, window, [pdf])
    page = window.documents
    page.select_row(0)
    qtbot.waitUntil(lambda: page.preview.currentWidget() is page.preview.pdf, timeout=30000)
    assert page.preview.pdf.page_count() == 3
    assert page.preview.pdf.page_label.text() == "Page 1 of 3"
    qtbot.mouseClick(page.preview.pdf.next_button, Qt.MouseButton.LeftButton)
    assert page.preview.pdf.page_label.text() == "Page 2 of 3"


def test_save_a_copy_writes_the_original_byte_for_byte(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    original = make_pdf(tmp_path / "letter.pdf", "A letter from the oncologist.")
    import_into(qtbot, window, [tmp_path / "letter.pdf"])
    window.documents.select_row(0)
    target = tmp_path / "out" / "copy.pdf"
    target.parent.mkdir()
    window.documents.save_copy(target)
    qtbot.waitUntil(lambda: "Saved a copy" in window.documents.notice.label.text(), timeout=30000)
    assert target.read_bytes() == original


def test_the_window_keeps_ticking_while_a_folder_of_pdfs_imports(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    folder = tmp_path / "records"
    folder.mkdir()
    for i in range(30):
        pages = [f"Report {i} page {p}\n" + "Findings are described here. " * 40 for p in range(4)]
        make_pdf(folder / f"report_{i:02d}.pdf", *pages)
    # What the UI thread did, in order: "tick" for its own timer, a number for the bar.
    events: list[str | int] = []

    def tick() -> None:
        if window.documents.import_job is not None and not window.documents.import_job.finished:
            events.append("tick")

    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(tick)
    timer.start()
    page = window.documents
    page.import_panel.bar.valueChanged.connect(events.append)
    window.show_place("Documents")
    drop_files(qtbot, page, [folder])
    wait_for_import(qtbot, page)
    timer.stop()
    assert len(shown_titles(page)) == 30
    # The bar moved file by file, and between its first and last step the UI thread ran
    # its own timer: the import ran on the worker, not in the UI thread's way. (One file
    # takes far longer to read than one 5 ms tick, whatever the machine's load.)
    steps = [i for i, event in enumerate(events) if event != "tick"]
    assert len({events[i] for i in steps}) >= 10, events
    assert "tick" in events[steps[0] : steps[-1]], events


def unnamed_controls(window: QWidget) -> list[str]:
    """The controls shown in `window` that a screen reader could not name."""
    unnamed = []
    for widget in window.findChildren(QWidget):
        if not isinstance(widget, QLineEdit | QComboBox | QAbstractButton | QAbstractSpinBox):
            continue
        parent = widget.parentWidget()
        if isinstance(parent, QComboBox | QAbstractSpinBox):
            continue  # the inner editor of a combo box or date field
        name = widget.accessibleName() or (
            widget.text() if isinstance(widget, QAbstractButton) else ""
        )
        if not name.replace("&", "").strip() and widget.isVisibleTo(window):
            unnamed.append(f"{type(widget).__name__} {widget.objectName()}")
    return unnamed


def test_every_control_has_a_name_for_screen_readers(demo_window: MainWindow) -> None:
    from app.ui.places import PLACES

    # Each place is checked while it is shown: the pages made on first show included.
    unnamed = {}
    for place in PLACES:
        demo_window.show_place(place)
        unnamed[place] = unnamed_controls(demo_window)
    made = {type(page).__name__ for page in demo_window.pages}
    assert {"MedicationsPage", "CareTeamPage", "AppointmentsPage", "SecondOpinionPage"} <= made
    assert unnamed == {place: [] for place in PLACES}


def test_the_window_size_is_remembered(
    qtbot: QtBot, demo_window: MainWindow, settings: object
) -> None:
    # The offscreen screen is only 800x600, narrower than the window may be: the height
    # tells whether the size came back.
    demo_window.resize(demo_window.width(), 560)
    demo_window.close()
    again = MainWindow(demo_window.binder, demo=True, settings=settings)  # type: ignore[arg-type]
    qtbot.addWidget(again)
    again.show()
    assert again.height() == 560


def test_cancel_stops_an_import_and_keeps_what_was_finished(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(30):
        make_pdf(folder / f"letter_{i:02d}.pdf", f"Letter number {i} from the clinic.")
    page = window.documents
    window.show_place("Documents")
    page.import_panel.bar.valueChanged.connect(
        lambda value: value >= 1 and page.import_panel.cancel_button.click()
    )
    drop_files(qtbot, page, [folder])
    wait_for_import(qtbot, page)
    assert "Import stopped" in page.import_panel.status.text()
    kept = len(shown_titles(page))
    assert 1 <= kept < 30
    assert len(list_documents(window.binder)) == kept
    assert window.binder.check().ok


def _close_when_shown(monkeypatch: object) -> list[MainWindow]:
    made: list[MainWindow] = []
    original = MainWindow.show

    def show_then_close(self: MainWindow) -> None:
        original(self)
        made.append(self)
        QTimer.singleShot(0, self.close)

    monkeypatch.setattr(MainWindow, "show", show_then_close)  # type: ignore[attr-defined]
    return made


def test_carebinder_opens_an_existing_binder_with_the_passphrase_file(
    qtbot: QtBot,
    binder: object,
    data_dir: Path,
    passphrase_file: Path,
    monkeypatch: object,
    settings: object,
) -> None:
    from app.ui import application

    binder.close()  # type: ignore[attr-defined]
    made = _close_when_shown(monkeypatch)
    code = application.run(
        data_dir=data_dir,
        passphrase_file=str(passphrase_file),
        settings=settings,  # type: ignore[arg-type]
    )
    assert code == 0
    assert made and made[0].person is not None and made[0].person.name == "Ada Example"


def test_the_demo_opens_a_throwaway_binder_and_removes_it_at_exit(
    qtbot: QtBot, temp_root: Path, no_keyring: None, monkeypatch: object, settings: object
) -> None:
    from app.ui import application

    made = _close_when_shown(monkeypatch)
    before = set(temp_root.glob("carebinder-demo-*"))
    assert application.run(demo=True, settings=settings) == 0  # type: ignore[arg-type]
    assert made and made[0].person is not None
    assert made[0].person.name == "Eleanor Whitfield"
    assert set(temp_root.glob("carebinder-demo-*")) == before


def test_a_title_typed_then_left_for_another_document_is_saved(
    qtbot: QtBot, demo_window: MainWindow
) -> None:
    page = demo_window.documents
    doc_id = select_title(page, "Treatment plan summary")
    page.editor.title.selectAll()
    qtbot.keyClicks(page.editor.title, "Plan from Dr. Brandt")
    select_title(page, "Current medication list")
    assert get_document(demo_window.binder, doc_id).title == "Plan from Dr. Brandt"
    assert "Plan from Dr. Brandt" in shown_titles(page)


def test_pictures_and_text_files_are_previewed_too(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    from PySide6.QtGui import QColor, QImage

    picture = QImage(400, 300, QImage.Format.Format_RGB32)
    picture.fill(QColor("white"))
    picture.save(str(tmp_path / "rash_photo.png"))
    (tmp_path / "questions.txt").write_text("Ask about the margins.\n")
    import_into(qtbot, window, [tmp_path / "rash_photo.png", tmp_path / "questions.txt"])
    page = window.documents
    preview = page.preview
    assert sorted(shown_files(page)) == ["questions.txt", "rash_photo.png"]
    for row in range(2):
        page.select_row(row)
        if page.selected_document().original_name == "questions.txt":  # type: ignore[union-attr]
            qtbot.waitUntil(lambda: preview.currentWidget() is preview.text, timeout=30000)
            assert "Ask about the margins." in preview.text.toPlainText()
        else:
            qtbot.waitUntil(lambda: preview.currentWidget() is preview.image_page, timeout=30000)
            assert not preview.image.pixmap().isNull()


def test_ctrl_f_goes_to_the_search_box(qtbot: QtBot, demo_window: MainWindow) -> None:
    demo_window.activateWindow()
    qtbot.waitUntil(demo_window.isActiveWindow, timeout=30000)
    qtbot.keyClick(demo_window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert demo_window.stack.currentWidget() is demo_window.documents
    assert demo_window.documents.search_box.hasFocus()


def test_previewing_and_searching_leave_nothing_readable_on_disk(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, temp_root: Path, data_dir: Path
) -> None:
    from tests.plaintext import holders, plain_pdf, unique_word

    word = unique_word()
    source = tmp_path / "source"
    source.mkdir()
    # Uncompressed, so a decrypted copy written anywhere would hold the word as bytes.
    plain_pdf(source / "consult.pdf", f"The {word} lesion was reviewed.", "Second page.")
    assert holders(source, word) == [source / "consult.pdf"], "the bait holds the word"
    import_into(qtbot, window, [source / "consult.pdf"])
    page = window.documents
    page.select_row(0)
    qtbot.waitUntil(lambda: page.preview.pdf.page_count() == 2, timeout=30000)
    qtbot.keyClicks(page.search_box, word.lower())
    qtbot.waitUntil(lambda: len(shown_files(page)) == 1, timeout=30000)
    assert holders(temp_root, word, skip=[source]) == []
    assert holders(data_dir, word) == []


def test_delete_on_another_page_never_trashes_a_hidden_document(
    demo_window: MainWindow,
) -> None:
    page = demo_window.documents
    select_title(page, "Treatment plan summary")
    demo_window.show_place("Care team")
    demo_window.actions_by_name["delete"].trigger()
    assert list_documents(demo_window.binder, trashed=True) == []


def test_a_document_on_the_overview_opens_in_the_documents_page(
    qtbot: QtBot, demo_window: MainWindow
) -> None:
    overview = demo_window.overview
    item = overview.recent.item(0)
    assert "Insurance letter: second opinion covered" in item.text()
    overview.recent.itemActivated.emit(item)
    assert demo_window.stack.currentWidget() is demo_window.documents
    chosen = demo_window.documents.selected_document()
    assert chosen is not None and chosen.title == "Insurance letter: second opinion covered"


def test_a_caregiver_adds_a_person_and_switches_to_their_empty_records(
    qtbot: QtBot, demo_window: MainWindow
) -> None:
    from app.ui.people_dialog import AddPersonDialog

    dialog = AddPersonDialog(demo_window.binder, demo_window)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.name, "Rose Whitfield")
    qtbot.keyClicks(dialog.born.line, "May 1990")
    dialog.add()
    assert dialog.person is not None
    demo_window.reload_people(dialog.person.id)
    assert demo_window.person_box.currentText() == "Rose Whitfield"
    demo_window.show_place("Documents")
    assert shown_titles(demo_window.documents) == []
    assert "No documents for Rose Whitfield yet" in demo_window.documents.empty.title_label.text()
