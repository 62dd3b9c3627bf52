"""The Documents page: the person's documents, filters and full-text search, a preview, the
facts editor, import (drop, toolbar, File > Import), Trash and Restore, Save a copy.

It talks to the binder only through app.records. Short reads and single edits run on the UI
thread on the binder's own connection; the import runs on a worker with its own connection
(app.records.thread_binder) and decrypting an original for the preview or a copy runs on a
worker that touches only the file store.

One room, though long: one page whose list, filters, preview and facts editor follow the
same chosen document.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QImage, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.progress import CancelFlag, Progress
from app.records.documents import (
    count_documents,
    document_sources,
    list_documents,
    restore_document,
    trash_document,
)
from app.records.models import Document, Person
from app.records.search import search
from app.records.thread_binder import on_this_thread
from app.ui.column_fit import fit_columns
from app.ui.document_facts import FactsEditor
from app.ui.document_filters import FilterBar
from app.ui.document_preview import PreviewPane
from app.ui.documents_model import (
    COL_DATE,
    COL_FOUND,
    COL_FROM,
    COL_KIND,
    COL_PAGES,
    COL_TITLE,
    DOCUMENT_ROLE,
    PAGE_ROWS,
    DocumentFilter,
    DocumentTableModel,
    SnippetDelegate,
)
from app.ui.dropped_files import carries_local_files, local_files
from app.ui.imaging_list import StudiesBox
from app.ui.import_panel import ImportPanel
from app.ui.jobs import Job, run_job
from app.ui.look import EmptyState, Notice, heading, paragraph
from app.ui.record_table import show_as_list
from app.vault.atomic import write_bytes
from app.vault.binder import Binder

if TYPE_CHECKING:
    from app.records.importer import ImportResult

SEARCH_DELAY_MS = 250


class TrashDocument(QUndoCommand):
    """Move a document to the Trash; undo restores it."""

    def __init__(self, binder: Binder, doc: Document, page: DocumentsPage) -> None:
        super().__init__(f"move “{doc.title}” to the Trash")
        self.binder, self.doc_id, self.page = binder, doc.id, page

    def redo(self) -> None:
        trash_document(self.binder, self.doc_id)
        self.page.refresh()

    def undo(self) -> None:
        restore_document(self.binder, self.doc_id)
        self.page.refresh()


@dataclass(frozen=True)
class DiscDropped:
    """What an import job returns when the paths are an imaging disc, not documents."""

    paths: list[Path]


class DocumentsPage(QWidget):
    status_message = Signal(str)
    import_finished = Signal(list)
    trash_mode_changed = Signal(bool)
    import_requested = Signal()  # "Import documents..." in the empty list
    disc_dropped = Signal(list)  # the paths of an imaging disc: the imaging import takes them

    def __init__(
        self, binder: Binder, undo_stack: QUndoStack, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.binder = binder
        self.undo_stack = undo_stack
        self.person: Person | None = None
        self.trash_mode = False
        self.import_job: Job | None = None
        self._preview_token = 0
        self._shut_down = False
        # Whose rows the model holds (person id, Trash): another means a reset, not a diff.
        self._shown_for: tuple[int, bool] | None = None
        # What the current search found: kept in the model even before paged in.
        self._search_docs: list[Document] = []
        self.setAcceptDrops(True)

        self.title = heading("Documents")
        self.trash_words = paragraph(
            "Documents in the Trash go into no bundle and cannot be changed. Restore one to "
            "use it again, or delete it for good."
        )
        self.trash_words.hide()
        self.filters = FilterBar()
        # The filter widgets by name, for the window's shortcuts and for tests.
        self.search_box = self.filters.search_box
        self.kind_filter = self.filters.kind_filter
        self.who_filter = self.filters.who_filter
        self.date_from = self.filters.date_from
        self.date_to = self.filters.date_to
        self.clear_button = self.filters.clear_button

        self.model = DocumentTableModel()
        self.proxy = DocumentFilter()
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COL_DATE, Qt.SortOrder.DescendingOrder)
        show_as_list(self.table, "Documents")
        self.table.setItemDelegateForColumn(COL_FOUND, SnippetDelegate(self.table))
        header = self.table.horizontalHeader()
        header.sortIndicatorChanged.connect(self._sort_changed)
        # The columns share the width by content; titles and names wrap onto a second line
        # when it is short, and kinds and dates too with large text (column_fit.py).
        self.columns = fit_columns(
            self.table,
            wrap=(COL_KIND, COL_TITLE, COL_DATE, COL_FROM, COL_FOUND),
            at_most={COL_FOUND: 60},
        )
        self.table.setColumnHidden(COL_FOUND, True)

        self.empty = EmptyState("", "")
        self.list_stack = QStackedWidget()
        self.list_stack.addWidget(self.table)
        self.list_stack.addWidget(self.empty)

        self.editor = FactsEditor(binder, undo_stack, self._document_changed)
        self.preview = PreviewPane()
        # Imaging studies sit beside the documents (app/ui/imaging_list.py).
        self.studies = StudiesBox(binder)
        self.import_panel = ImportPanel()
        self.import_panel.cancel_requested.connect(self.cancel_import)
        self.notice = Notice()
        # A message about an earlier step ("... is in the Trash") is stale once anything
        # else is done or undone.
        self.undo_stack.indexChanged.connect(self.notice.hide)

        left = QSplitter(Qt.Orientation.Vertical)
        left.addWidget(self.list_stack)
        left.addWidget(self.editor)
        left.setStretchFactor(0, 3)
        left.setStretchFactor(1, 0)
        left.setChildrenCollapsible(False)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.preview)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([640, 400])
        self.splitter.setChildrenCollapsible(False)

        box = QVBoxLayout(self)
        box.addWidget(self.title)
        box.addWidget(self.trash_words)
        box.addWidget(self.filters)
        box.addWidget(self.import_panel)
        box.addWidget(self.notice)
        box.addWidget(self.studies)
        box.addWidget(self.splitter, 1)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.run_search)
        self.filters.search_changed.connect(self._search_timer.start)
        self.filters.filters_changed.connect(self.apply_filters)
        self.filters.clear_requested.connect(self.clear_filters)
        self.search_box.returnPressed.connect(self.run_search)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.proxy.rowsInserted.connect(self._update_empty_state)
        self.proxy.rowsRemoved.connect(self._update_empty_state)
        self.proxy.modelReset.connect(self._update_empty_state)
        self.proxy.layoutChanged.connect(self._update_empty_state)

    # -- what is shown ---------------------------------------------------------------------

    def set_person(self, person: Person) -> None:
        self.person = person
        # The filters go first, quietly, so that the rows are read once, for this person,
        # and only this person's first document is opened in the preview.
        self.filters.reset()
        self._search_docs = []
        self.refresh()
        self.clear_filters()
        self.select_row(0)
        self.studies.set_person(person)

    def set_trash_mode(self, trash: bool) -> None:
        self.trash_mode = trash
        self.trash_mode_changed.emit(trash)
        self.title.setText("Trash" if trash else "Documents")
        self.trash_words.setVisible(trash)
        self.notice.hide()  # "... is in the Trash" is stale once the Trash is shown
        self.search_box.clear()
        self.search_box.setEnabled(not trash)
        self.refresh()
        self.select_row(0)

    def shutdown(self) -> None:
        """The window is closing and the binder will close: stop everything that would
        still reach the database later (a pending search, an import's last signals)."""
        self.editor.flush()
        self._search_timer.stop()
        self.cancel_import()
        self._shut_down = True

    def refresh(self) -> None:
        """Reload the person's documents from the binder, keeping the selection.

        Only the rows already read (at least the first page) are read again; the table
        reads further pages as it is scrolled (DocumentTableModel.fetchMore).
        """
        if self.person is None or self._shut_down:
            return
        binder, person_id, trashed = self.binder, self.person.id, self.trash_mode

        def reader(offset: int, limit: int) -> list[Document]:
            return list_documents(binder, person_id, trashed=trashed, limit=limit, offset=offset)

        total = count_documents(binder, person_id, trashed=trashed)
        if self._shown_for == (person_id, trashed):
            wanted = total if self._needs_every_row() else max(self.model.paged(), PAGE_ROWS)
            self.model.set_documents(reader(0, wanted), reader, total)
        else:
            self.model.replace_documents(reader(0, PAGE_ROWS), reader, total)
            self._shown_for = (person_id, trashed)
            if self._needs_every_row():
                self.model.fetch_all()
        self.model.add_documents(self._search_docs)
        self._fill_who_filter()
        self._update_empty_state()
        current = self.selected_document()
        if current is None and self.editor.doc is not None:
            self._show(None)

    def _needs_every_row(self) -> bool:
        """A filter, or an order other than newest first, needs every row, not a page."""
        date_from, date_to = self.filters.date_range()
        header = self.table.horizontalHeader()
        sorted_by_date = header.sortIndicatorSection() == COL_DATE and (
            header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
        )
        return bool(self.filters.kind() or self.filters.who() or date_from or date_to) or (
            not sorted_by_date
        )

    def _sort_changed(self, _column: int, _order: Qt.SortOrder) -> None:
        if self._needs_every_row():
            self.model.fetch_all()

    def _fill_who_filter(self) -> None:
        if self.person is not None:
            names = document_sources(self.binder, self.person.id, self.trash_mode)
            self.filters.set_who_choices(names)

    def _update_empty_state(self) -> None:
        if self.proxy.rowCount() > 0:
            self.list_stack.setCurrentWidget(self.table)
            return
        name = self.person.name if self.person else "this person"
        if self.model.rowCount() == 0 and self.trash_mode:
            self.empty.set_text(
                "The Trash is empty",
                "Documents you move to the Trash wait here until you restore them.",
                "Back to the documents",
                lambda: self.set_trash_mode(False),
            )
        elif self.model.rowCount() == 0:
            self.empty.set_text(
                f"No documents for {name} yet",
                "Drag the hospital papers here (PDFs, scans, photos), or choose them; the "
                "originals stay unchanged.",
                "Import documents...",
                self.import_requested.emit,
            )
        else:
            self.empty.set_text(
                "Nothing matches",
                "No document matches the search or the filters.",
                "Show all",
                self.clear_filters,
            )
        self.list_stack.setCurrentWidget(self.empty)

    def apply_filters(self) -> None:
        if self._needs_every_row():
            self.model.fetch_all()
        if self.filters.search_text() and self.person is not None:
            self.run_search()  # the best matches within the filters, not before them
        date_from, date_to = self.filters.date_range()
        self.proxy.set_filters(
            kind=self.filters.kind(), date_from=date_from, date_to=date_to, who=self.filters.who()
        )
        self._update_empty_state()

    def clear_filters(self) -> None:
        self.filters.reset()
        self.run_search()
        self.apply_filters()

    def run_search(self) -> None:
        """Full-text search of the person's documents: matching rows, with snippets."""
        self._search_timer.stop()
        if self._shut_down:
            return
        text = self.filters.search_text()
        if not text or self.person is None:
            self._search_docs = []
            self.proxy.set_search_ids(None)
            self.model.set_snippets({})
            self._show_snippets(False)
            self.status_message.emit("")
        else:
            date_from, date_to = self.filters.date_range()
            hits = search(
                self.binder,
                text,
                self.person.id,
                kind=self.filters.kind(),
                date_from=date_from,
                date_to=date_to,
            )
            self._search_docs = [hit.document for hit in hits]
            self.model.add_documents(self._search_docs)
            self.model.set_snippets({hit.document.id: hit.snippet for hit in hits})
            self.proxy.set_search_ids({hit.document.id for hit in hits})
            self._show_snippets(True)
            found = len(hits)
            self.status_message.emit(
                f"{found} document{'s' if found != 1 else ''} contain “{text}”."
            )
        self._update_empty_state()
        if self.selected_document() is None:
            self.select_row(0)

    def _show_snippets(self, shown: bool) -> None:
        # While searching, what was found matters more than who wrote it.
        self.table.setColumnHidden(COL_FOUND, not shown)
        self.table.setColumnHidden(COL_FROM, shown)
        self.table.setColumnHidden(COL_PAGES, shown)
        self.columns.schedule()

    def focus_search(self) -> None:
        self.search_box.setFocus()
        self.search_box.selectAll()

    # -- selection, preview, editor ---------------------------------------------------------

    def select_row(self, row: int) -> None:
        if 0 <= row < self.proxy.rowCount():
            self.table.selectionModel().setCurrentIndex(
                self.proxy.index(row, COL_TITLE),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
        else:
            self._show(None)

    def select_document(self, doc_id: int) -> bool:
        if self.model.row_of(doc_id) is None:
            self.model.fetch_all()  # an older document, not paged in yet
        for row in range(self.proxy.rowCount()):
            doc = self.proxy.index(row, 0).data(DOCUMENT_ROLE)
            if doc is not None and doc.id == doc_id:
                self.select_row(row)
                return True
        return False

    def selected_document(self) -> Document | None:
        index = self.table.selectionModel().currentIndex()
        if not index.isValid() or not self.table.selectionModel().isRowSelected(
            index.row(), QModelIndex()
        ):
            return None
        doc = index.data(DOCUMENT_ROLE)
        return doc if isinstance(doc, Document) else None

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        doc = current.data(DOCUMENT_ROLE) if current.isValid() else None
        if isinstance(doc, Document) and self.editor.doc and self.editor.doc.id == doc.id:
            return
        self._show(doc if isinstance(doc, Document) else None)

    def _show(self, doc: Document | None) -> None:
        self._preview_token += 1
        if doc is None:
            self.editor.show_document(doc)
            self.preview.show_message(
                "Preview", "Choose a document in the list to see it here, page by page."
            )
            return
        token, files, media_type = self._preview_token, self.binder.files, doc.media_type
        self.preview.show_message("Opening...", f"Opening “{doc.title}”.")

        def shown(result: object) -> None:
            if token == self._preview_token and isinstance(result, tuple):
                data, image = result
                self.preview.show_original(media_type, data, image)

        def failed(exc: Exception) -> None:
            if token == self._preview_token:
                self.preview.show_message("This document cannot be shown", str(exc))

        name = doc.file_name

        def read(progress: Progress, cancel: CancelFlag) -> tuple[bytes, QImage | None]:
            data = files.read(name)
            # A photo is decoded here, off the UI thread (QImage is safe on any thread).
            image = QImage.fromData(data) if media_type.startswith("image/") else None
            return data, image

        run_job(read, on_done=shown, on_error=failed)
        # The file is read meanwhile: the preview is what takes longest to appear.
        self.editor.show_document(doc)

    def _document_changed(self, doc: Document) -> None:
        """A fact was saved (or undone): update the row and the editor."""
        self.model.update_document(doc)
        if self.editor.doc is not None and self.editor.doc.id == doc.id:
            self.editor.show_document(doc)
        self._fill_who_filter()
        self.status_message.emit("Saved.")

    # -- Trash -----------------------------------------------------------------------------

    def delete_selected(self) -> None:
        doc = self.selected_document()
        if doc is None or self.trash_mode:
            return
        row = self.table.currentIndex().row()
        self.undo_stack.push(TrashDocument(self.binder, doc, self))
        self.select_row(min(row, self.proxy.rowCount() - 1))
        self.notice.show_message(
            f"“{doc.title}” is in the Trash (Show the Trash, Ctrl+T, to see it).",
            "Undo",
            self.undo_stack.undo,
        )

    def restore_selected(self) -> None:
        doc = self.selected_document()
        if doc is None or not self.trash_mode:
            return
        restore_document(self.binder, doc.id)
        self.refresh()
        self.select_row(0)
        self.notice.show_message(f"“{doc.title}” is back in the documents.")

    def confirm_purge(self) -> QMessageBox | None:
        """Ask, in plain words, before deleting the chosen document of the Trash for good;
        returns the question (it is window-modal, not blocking)."""
        doc = self.selected_document()
        if doc is None or not self.trash_mode:
            return None
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Delete for good")
        box.setText(f"Delete “{doc.title}” for good?")
        box.setInformativeText(
            "It leaves this binder and cannot be restored from the Trash. Backups made "
            "before today still hold it: restoring one of them brings it back. Your own copy "
            "of the file, if you kept one, is not touched."
        )
        delete = box.addButton("Delete for good", QMessageBox.ButtonRole.DestructiveRole)
        delete.setAccessibleName("Delete the document for good")
        keep = box.addButton("Keep it", QMessageBox.ButtonRole.RejectRole)
        keep.setAccessibleName("Keep the document in the Trash")
        box.setDefaultButton(keep)  # Enter never deletes by accident
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.buttonClicked.connect(
            lambda button: self.purge(doc.id, doc.title) if button is delete else None
        )
        box.open()
        return box

    def purge(self, doc_id: int, title: str) -> None:
        """Delete a document of the Trash for good (app.records.documents.purge_document)."""
        from app.records.documents import purge_document
        from app.records.errors import RecordsError

        try:
            purge_document(self.binder, doc_id)
        except RecordsError as exc:
            self.notice.show_message(f"“{title}” was not deleted: {exc}")
            return
        # Earlier steps may name the document that is gone: they can no longer be undone.
        self.undo_stack.clear()
        self.refresh()
        self.select_row(0)
        self.notice.show_message(f"“{title}” is deleted for good.")

    # -- Save a copy -------------------------------------------------------------------------

    def save_copy(self, target: Path) -> None:
        """Write the selected document's original, byte for byte, to `target` (the user's
        choice: the only way plaintext leaves the binder)."""
        doc = self.selected_document()
        if doc is None:
            return
        files, name = self.binder.files, doc.file_name

        def work(progress: Progress, cancel: CancelFlag) -> Path:
            write_bytes(target, files.read(name))
            return target

        run_job(
            work,
            on_done=lambda path: self.notice.show_message(f"Saved a copy as {path}."),
            on_error=lambda exc: self.notice.show_message(f"The copy was not saved: {exc}"),
        )

    # -- Import ------------------------------------------------------------------------------

    def start_import(self, paths: list[Path]) -> bool:
        """Import files and folders for the current person on a worker."""
        if self.person is None or not paths:
            return False
        if self.import_job is not None and not self.import_job.finished:
            self.notice.show_message("An import is already running. Wait for it to finish.")
            return False
        if self.trash_mode:
            self.set_trash_mode(False)
        binder, person_id = self.binder, self.person.id

        from app.records.importer import import_paths  # the ingest stack, on first use

        pages = self.import_panel.page_progress.emit  # queued to the panel's thread

        def work(progress: Progress, cancel: CancelFlag) -> list[ImportResult] | DiscDropped:
            from app.ingest.dicom_disc import looks_like_disc

            if looks_like_disc(paths):  # a hospital's disc: its images, not documents
                return DiscDropped(paths)
            with on_this_thread(binder) as view:
                return import_paths(
                    view, person_id, paths, progress=progress, cancel=cancel, pages=pages
                )

        self.import_panel.start()
        self.import_job = run_job(
            work,
            on_done=self._imported,
            on_error=self._import_failed,
            on_progress=self._import_progress,
        )
        return True

    def cancel_import(self) -> None:
        if self.import_job is not None:
            self.import_job.cancel()

    def _import_progress(self, done: int, total: int, label: str) -> None:
        self.import_panel.progress(done, total, label)
        self.refresh()  # rows appear as files finish

    def _imported(self, results: object) -> None:
        if self._shut_down:
            return
        if isinstance(results, DiscDropped):
            self.import_panel.hide()
            self.disc_dropped.emit(results.paths)
            return
        finished = list(results) if isinstance(results, list) else []
        cancelled = self.import_job is not None and self.import_job.flag.cancelled
        self.import_panel.finish(finished, cancelled)
        self.refresh()
        if self.selected_document() is None:
            self.select_row(0)
        self.status_message.emit(self.import_panel.status.text())
        self.import_finished.emit(finished)

    def _import_failed(self, exc: Exception) -> None:
        self.import_panel.fail(str(exc))
        self.refresh()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if carries_local_files(event):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = local_files(event)
        if paths and self.start_import(paths):
            event.acceptProposedAction()
