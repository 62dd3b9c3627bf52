"""The main window: a sidebar of places, a person switcher, menus and a status line.

It wires the pages together and holds no SQL and no business logic: each page gets the
binder and does its own work through app.records. Commands come from the table in
actions.py. Window size, splitter and sidebar state are remembered with QSettings.

One room, though long: it is the wiring of every page, menu and dialog to one another, and
only that.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QFontMetrics, QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QLabel,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from app.records.models import Person
from app.records.people import list_people
from app.ui.actions import COMMANDS, PageToolbar, build_actions
from app.ui.documents_page import DocumentsPage
from app.ui.dropped_files import carries_local_files, local_files
from app.ui.jobs import wait_for_jobs
from app.ui.overview_page import OverviewPage
from app.ui.places import BUILT_IN, PLACES, make_page
from app.vault.binder import Binder


class LazyPages(dict[str, QWidget]):
    """The pages after Overview and Documents, by place, each made the first time it is
    shown or asked for (`window.other_pages["Appointments"]`), and brought to the current
    person then if the person changed while it was hidden."""

    def __init__(
        self, make: Callable[[str], QWidget], bring_up: Callable[[QWidget | None], None]
    ) -> None:
        super().__init__()
        # Weak: the window owns this dict; a cycle back to it would keep a closed window
        # (and its timers) alive until the garbage collector came by.
        self._make = weakref.WeakMethod(make)
        self._bring_up = weakref.WeakMethod(bring_up)

    def __missing__(self, place: str) -> QWidget:
        make = self._make()
        if place not in PLACES or place in BUILT_IN or make is None:
            raise KeyError(place)
        page: QWidget = make(place)
        self[place] = page
        return page

    def __getitem__(self, place: str) -> QWidget:
        page = super().__getitem__(place)
        bring_up = self._bring_up()
        if bring_up is not None:
            bring_up(page)
        return page


class MainWindow(QMainWindow):
    def __init__(
        self,
        binder: Binder,
        demo: bool = False,
        settings: QSettings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.binder = binder
        self.demo = demo
        self.settings = settings or QSettings()
        self.person: Person | None = None
        self.undo_stack = QUndoStack(self)
        self.setAcceptDrops(True)

        self.overview = OverviewPage(binder)
        self.documents = DocumentsPage(binder, self.undo_stack)
        # Every other page is made on first show: a binder of ten years should not wait on
        # pages nobody opened. Until then an empty widget holds its place in the stack.
        self._person_shown: dict[QWidget, int] = {}  # the person each made page shows
        self.other_pages = LazyPages(self._make_page, self._bring_up_to_date)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.overview)
        self.stack.addWidget(self.documents)
        for place in PLACES:
            if place not in BUILT_IN:
                self.stack.addWidget(QWidget())

        self.sidebar = QListWidget()
        self.sidebar.setAccessibleName("Places")
        self.sidebar.addItems(list(PLACES))
        font = self.sidebar.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.sidebar.setFont(font)
        self.sidebar.setSpacing(4)
        self.sidebar.setMinimumWidth(QFontMetrics(font).horizontalAdvance("Second opinion") + 40)
        self.sidebar.currentRowChanged.connect(self._show_row)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([self.sidebar.minimumWidth(), 1000])
        self.setCentralWidget(self.splitter)

        self.person_box = QComboBox()
        self.person_box.setAccessibleName("Whose records are shown")
        self.person_box.setMinimumContentsLength(18)
        self.person_box.currentIndexChanged.connect(self._person_chosen)

        self.actions_by_name = build_actions(
            self,
            {
                "import": self.choose_files_to_import,
                "import_imaging": self.choose_imaging_disc,
                "import_portal": self.import_from_portal,
                "save_copy": self.choose_where_to_save,
                "add_person": self.add_person,
                "export_bundle": self.prepare_bundle_for_doctor,
                "sheets": self.print_sheets,
                "backup": self.back_up,
                "auto_backup": self.set_up_auto_backup,
                "change_passphrase": self.change_passphrase,
                "forget_key": self.forget_key,
                "kept_aside": self.show_kept_aside,
                "lock": self.lock,
                "lock_after": self.choose_lock_minutes,
                "quit": self.quit,
                "undo": self.undo_stack.undo,
                "redo": self.undo_stack.redo,
                "find": self.find_in_documents,
                "delete": self._on_documents(self.documents.delete_selected),
                "restore": self._on_documents(self.documents.restore_selected),
                "purge": self._on_documents(self.documents.confirm_purge),
                "show_trash": self.toggle_trash,
                "add_medication": lambda: self.add_on("Medications"),
                "add_doctor": lambda: self.add_on("Care team"),
                "add_appointment": lambda: self.add_on("Appointments"),
                "zoom_in": self._on_documents(lambda: self.documents.preview.pdf.zoom(1.25)),
                "zoom_out": self._on_documents(lambda: self.documents.preview.pdf.zoom(0.8)),
                "about": self.about,
            },
        )
        self._build_menus_and_toolbar()
        self.undo_stack.canUndoChanged.connect(self.actions_by_name["undo"].setEnabled)
        self.undo_stack.canRedoChanged.connect(self.actions_by_name["redo"].setEnabled)
        self.actions_by_name["undo"].setEnabled(False)
        self.actions_by_name["restore"].setEnabled(False)
        self.actions_by_name["purge"].setEnabled(False)
        self.actions_by_name["redo"].setEnabled(False)
        self.undo_stack.undoTextChanged.connect(
            lambda text: self.actions_by_name["undo"].setText(f"&Undo {text}".strip())
        )

        for page in (self.overview, self.documents):
            self._connect_status(page)
        self.documents.import_finished.connect(lambda _results: self._refresh_overview())
        self.documents.disc_dropped.connect(self.import_imaging_disc)
        for studies in (self.documents.studies, self.overview.studies):
            studies.import_requested.connect(self.choose_imaging_disc)
            studies.open_document.connect(self.open_document)
            studies.changed.connect(self._imaging_changed)
        self.overview.open_document.connect(self.open_document)
        self.overview.import_requested.connect(self.choose_files_to_import)
        self.documents.import_requested.connect(self.choose_files_to_import)
        self.overview.place_requested.connect(self.show_place)
        self.overview.treatment_summary_requested.connect(self.show_treatment_summary)
        self.documents.trash_mode_changed.connect(self._trash_mode_changed)
        self.where = QLabel(self._where_text())
        self.where.setAccessibleName("Where this binder is kept")
        self.statusBar().addPermanentWidget(self.where)

        from app.ui.reminders import ReminderWatcher

        self.reminders = ReminderWatcher(binder, self)
        self.reminders.reminder.connect(lambda text: self.statusBar().showMessage(text))
        self.reminders.start()
        from app.ui.auto_backup import AutoBackup

        self.auto_backup = AutoBackup(
            binder, self.settings, self.statusBar().showMessage, self._refresh_overview, self
        )
        if not demo:
            self.auto_backup.start()
        from app.ui.idle_lock import IdleWatcher, LockPanel

        self.lock_panel = LockPanel(binder)
        self.lock_panel.unlocked.connect(self.unlock)
        self.idle = IdleWatcher(self.settings, self)
        self.idle.idle.connect(self.lock)
        self.locked = False

        self.reload_people()
        self.sidebar.setCurrentRow(0)
        # A keyboard starts on the places: arrows choose one, Tab goes into the page.
        self.sidebar.setFocus()
        self.resize(1200, 760)
        self.restore_layout()
        self._say_what_the_start_up_check_did()

    # -- building ---------------------------------------------------------------------------

    @property
    def pages(self) -> list[QWidget]:
        """Every page in sidebar order (making those not made yet)."""
        others = [self.other_pages[p] for p in PLACES if p not in BUILT_IN]
        return [self.overview, self.documents, *others]

    def _connect_status(self, page: QWidget) -> None:
        message = getattr(page, "status_message", None)
        if message is not None:
            message.connect(lambda text: self.statusBar().showMessage(text))

    def _make_page(self, place: str) -> QWidget:
        """Make a place's page, wire it to the window and put it in the stack."""
        from app.ui.appointments_page import AppointmentsPage
        from app.ui.second_opinion_page import SecondOpinionPage

        page = make_page(place, self.binder)
        self._connect_status(page)
        if isinstance(page, SecondOpinionPage):
            page.prepare_bundle.connect(self.prepare_bundle)
            page.open_document.connect(self.open_document)
            page.open_medication.connect(self.open_medication)
            page.place_requested.connect(self.go_to_step)
        if isinstance(page, AppointmentsPage):
            page.open_document.connect(self.open_document)
            page.documents_added.connect(self.documents.refresh)
            page.documents_added.connect(self._refresh_overview)
        index = PLACES.index(place)
        stand_in = self.stack.widget(index)
        self.stack.insertWidget(index, page)
        if stand_in is not None:
            self.stack.removeWidget(stand_in)
            stand_in.deleteLater()
        return page

    def _bring_up_to_date(self, page: QWidget | None) -> None:
        if page is None or self.person is None:
            return
        if self._person_shown.get(page) != self.person.id:
            self._person_shown[page] = self.person.id
            page.set_person(self.person)  # type: ignore[attr-defined]

    def _show_row(self, row: int) -> None:
        if 0 <= row < len(PLACES):
            place = PLACES[row]
            if place == "Overview":
                self._bring_up_to_date(self.overview)
                self.stack.setCurrentWidget(self.overview)
            elif place == "Documents":
                self.stack.setCurrentWidget(self.documents)
            else:
                self.stack.setCurrentWidget(self.other_pages[place])
            self._fill_page_bar()

    def _build_menus_and_toolbar(self) -> None:
        menus: dict[str, object] = {}
        for command in COMMANDS:
            menu = menus.get(command.menu)
            if menu is None:
                menu = self.menuBar().addMenu(command.menu)
                menus[command.menu] = menu
            menu.addAction(self.actions_by_name[command.name])  # type: ignore[attr-defined]
        # Whose records: always there. The page's own actions: beside it, following the page.
        person_bar = QToolBar("Whose records")
        person_bar.setObjectName("person toolbar")
        person_bar.setMovable(False)
        person_bar.addWidget(QLabel(" Records of: "))
        person_bar.addWidget(self.person_box)
        self.addToolBar(person_bar)
        self.page_bar = PageToolbar(self.actions_by_name, self)
        self.addToolBar(self.page_bar)

    def current_place(self) -> str:
        """The place shown, "Trash" for the Documents page while it shows the Trash."""
        row = self.sidebar.currentRow()
        place = PLACES[row] if 0 <= row < len(PLACES) else PLACES[0]
        return "Trash" if place == "Documents" and self.documents.trash_mode else place

    def _fill_page_bar(self) -> None:
        self.page_bar.show_for(self.current_place())

    def add_on(self, place: str) -> None:
        """Show the place and open its "Add..." dialog (Add a medication, an appointment...)."""
        self.show_place(place)
        page = self.other_pages[place]
        page.open_add_dialog()  # type: ignore[attr-defined]

    def _on_documents(self, handler: Callable[[], object]) -> Callable[[], None]:
        """A handler that acts only while the Documents page is shown: Del pressed on
        another page must never move a document the user cannot see to the Trash."""

        def guarded() -> None:
            if self.stack.currentWidget() is self.documents:
                handler()

        return guarded

    def _where_text(self) -> str:
        if self.demo:
            return "Demo binder: fictional people, removed when you close CareBinder"
        backend = self.binder.keyfile.keyring_backend
        key = "opens by itself on this computer" if backend else "opened with the passphrase"
        return f"Binder: {self.binder.data_dir} · {key}"

    # -- people -----------------------------------------------------------------------------

    def reload_people(self, select_id: int | None = None) -> None:
        people = list_people(self.binder)
        wanted = select_id if select_id is not None else (self.person.id if self.person else None)
        self.person_box.blockSignals(True)
        self.person_box.clear()
        for person in people:
            self.person_box.addItem(person.name, person)
        index = next((i for i, p in enumerate(people) if p.id == wanted), 0)
        self.person_box.setCurrentIndex(index if people else -1)
        self.person_box.blockSignals(False)
        self._person_chosen(self.person_box.currentIndex())

    def _person_chosen(self, index: int) -> None:
        person = self.person_box.itemData(index) if index >= 0 else None
        if not isinstance(person, Person):
            return
        self.person = person
        self.undo_stack.clear()  # an undo must never change someone else's records
        # Documents always follows (other pages open documents through it). Any other page
        # follows now if shown, else when next shown (_show_row, LazyPages).
        self.documents.set_person(person)
        current = self.stack.currentWidget()
        if current is self.overview or current in self._person_shown:
            self._bring_up_to_date(current)
        title = f"{person.name} · CareBinder"
        self.setWindowTitle(title + (" (demo)" if self.demo else ""))

    def add_person(self) -> None:
        from app.ui.people_dialog import AddPersonDialog

        dialog = AddPersonDialog(self.binder, self)
        if dialog.exec() and dialog.person is not None:
            self.reload_people(dialog.person.id)

    def _refresh_overview(self) -> None:
        if self.person is None:
            return
        if self.stack.currentWidget() is self.overview:
            self.overview.refresh(self.person)
        else:
            self._person_shown.pop(self.overview, None)  # refreshed when next shown

    # -- places and commands ----------------------------------------------------------------

    def show_place(self, place: str) -> None:
        self.sidebar.setCurrentRow(PLACES.index(place))

    def show_treatment_summary(self) -> None:
        """The Second opinion page on its Treatment summary tab (the clinical picture)."""
        self.show_place("Second opinion")
        page = self.other_pages["Second opinion"]
        if hasattr(page, "tab_treatment"):
            page.tabs.setCurrentIndex(page.tab_treatment)  # type: ignore[attr-defined]

    def open_document(self, doc_id: int) -> None:
        if self.documents.trash_mode:
            self.toggle_trash(False)
        self.show_place("Documents")
        if not self.documents.select_document(doc_id):
            self.documents.clear_filters()
            self.documents.select_document(doc_id)

    def open_medication(self, med_id: int) -> None:
        """Show one medicine on the Medications page (All, so a stopped one is there too)."""
        self.show_place("Medications")
        page = self.other_pages["Medications"]
        if hasattr(page, "select_medication"):
            page.show_view("All")  # type: ignore[attr-defined]
            page.select_medication(med_id)

    def go_to_step(self, place: str) -> None:
        """A guide step's place; Appointments opens on the second-opinion visit."""
        from app.records.readiness import second_opinion_appointment

        self.show_place(place)
        if place == "Appointments" and self.person is not None:
            visit = second_opinion_appointment(self.binder, self.person.id)
            page = self.other_pages[place]
            if visit is not None and hasattr(page, "select_appointment"):
                page.select_appointment(visit.id)

    def find_in_documents(self) -> None:
        self.show_place("Documents")
        self.documents.focus_search()

    def toggle_trash(self, on: bool | None = None) -> None:
        action = self.actions_by_name["show_trash"]
        if on is not None:
            action.setChecked(on)
        self.show_place("Documents")
        self.documents.set_trash_mode(action.isChecked())

    def _trash_mode_changed(self, trash: bool) -> None:
        self.actions_by_name["show_trash"].setChecked(trash)
        self.actions_by_name["delete"].setEnabled(not trash)
        self.actions_by_name["restore"].setEnabled(trash)
        self.actions_by_name["purge"].setEnabled(trash)
        self._fill_page_bar()

    def choose_files_to_import(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self,
            "Import documents",
            str(Path.home()),
            "Records (*.pdf *.jpg *.jpeg *.png *.tif *.tiff *.heic *.txt *.xml *.json *.docx);;"
            "All files (*)",
        )
        self.import_paths([Path(f) for f in files])

    def import_from_portal(self) -> None:
        from app.ui.portal_dialog import import_from_portal

        if self.person is None:
            return
        message = import_from_portal(self, self.binder, self.person)
        if message:
            self.statusBar().showMessage(message)
            self._person_shown.clear()  # every page shows the new records when next shown
            self.documents.refresh()
            self._refresh_overview()
            current = self.stack.currentWidget()
            if hasattr(current, "set_person"):
                self._bring_up_to_date(current)

    def choose_imaging_disc(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, "Import an imaging disc: choose the disc or its folder", str(Path.home())
        )
        if folder:
            self.import_imaging_disc([Path(folder)])

    def import_imaging_disc(self, paths: list[Path]) -> QWidget | None:
        """Read a disc (a folder with a DICOMDIR, or of DICOM files) and import it."""
        from app.ui.imaging_import_dialog import ImagingImportDialog

        if self.person is None or not paths:
            return None
        dialog = ImagingImportDialog(self.binder, self.person, paths, self)
        dialog.imported.connect(lambda _report: self._imaging_changed())
        self.imaging_dialog = dialog
        dialog.open()
        dialog.start()
        return dialog

    def _imaging_changed(self) -> None:
        self.documents.studies.refresh()
        self._person_shown.pop(self.overview, None)
        self._refresh_overview()
        for page in list(self._person_shown):
            if page is not self.overview:
                self._person_shown.pop(page, None)  # the checklist shows it when next seen

    def import_paths(self, paths: list[Path]) -> None:
        if paths:
            self.show_place("Documents")
            self.documents.start_import(paths)

    def choose_where_to_save(self) -> None:
        doc = self.documents.selected_document()
        if doc is None:
            self.statusBar().showMessage("Choose a document in the list first.")
            return
        target, _ = QFileDialog.getSaveFileName(
            self, "Save a copy", str(Path.home() / doc.original_name)
        )
        if target:
            self.documents.save_copy(Path(target))

    def quit(self) -> None:
        self.close()

    def prepare_bundle_for_doctor(self) -> None:
        from app.records.readiness import bundle_document_ids

        if self.person is not None:
            self.prepare_bundle(self.person.id, bundle_document_ids(self.binder, self.person.id))

    def prepare_bundle(self, person_id: int, document_ids: list[int]) -> QWidget:
        """The export dialog, with these records ticked (from the checklist's button too).
        It is window-modal and does not block: the window says when the bundle is ready."""
        from app.records.people import get_person
        from app.records.readiness import second_opinion_appointment
        from app.ui.export_dialog import ExportDialog

        visit = second_opinion_appointment(self.binder, person_id)
        doctor = visit.doctor if visit is not None and visit.doctor else ""
        dialog = ExportDialog(
            self.binder, get_person(self.binder, person_id), document_ids, doctor, self
        )
        dialog.accepted.connect(
            lambda: self.statusBar().showMessage(f"The bundle is ready: {dialog.result_path}")
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def print_sheets(self) -> None:
        from app.ui.sheets_dialog import SheetsDialog

        if self.person is not None:
            SheetsDialog(self.binder, self.person, self).exec()

    def back_up(self) -> None:
        from app.ui.binder_safety import back_up

        back_up(self, self.binder, self.statusBar().showMessage)

    def lock(self) -> None:
        """Hide the records (the window keeps the binder open underneath)."""
        if self.locked:
            return
        self.locked = True
        self.takeCentralWidget()  # kept, not deleted: the splitter comes back on unlock
        self.setCentralWidget(self.lock_panel)
        for action in self.actions_by_name.values():
            action.setEnabled(action is self.actions_by_name["quit"])
        self.person_box.setEnabled(False)
        self.lock_panel.passphrase.setFocus()

    def unlock(self) -> None:
        if not self.locked:
            return
        self.takeCentralWidget()  # the lock panel, kept for the next lock
        self.setCentralWidget(self.splitter)
        for action in self.actions_by_name.values():
            action.setEnabled(True)
        self.actions_by_name["undo"].setEnabled(self.undo_stack.canUndo())
        self.actions_by_name["redo"].setEnabled(self.undo_stack.canRedo())
        self._trash_mode_changed(self.documents.trash_mode)
        self.person_box.setEnabled(True)
        self.locked = False

    def choose_lock_minutes(self) -> None:
        from PySide6.QtWidgets import QInputDialog

        from app.ui.idle_lock import MINUTES, lock_minutes

        minutes, ok = QInputDialog.getInt(
            self,
            "Lock after idle minutes",
            "Lock CareBinder when nobody has used it for this many minutes (0: never):",
            lock_minutes(self.settings),
            0,
            240,
        )
        if ok:
            self.settings.setValue(MINUTES, minutes)

    def set_up_auto_backup(self) -> None:
        from app.ui.auto_backup import AutoBackupDialog

        if AutoBackupDialog(self.settings, self).exec():
            self.auto_backup.check()

    def change_passphrase(self) -> None:
        from app.ui.binder_safety import ChangePassphraseDialog

        if ChangePassphraseDialog(self.binder, self).exec():
            self.statusBar().showMessage("The recovery passphrase is changed.")

    def _say_what_the_start_up_check_did(self) -> None:
        """Files kept aside (asked about once) and exports a crash cut short (issue 18)."""
        from app.ui.binder_safety import offer_quarantine

        report = getattr(self.binder, "last_reconcile", None)
        for path in getattr(report, "exports_removed", []):
            self.statusBar().showMessage(
                f"Removed what an export cut short by a crash had written: {path}. "
                "Make that bundle again; nothing in the binder was lost."
            )
        QTimer.singleShot(0, self, lambda: offer_quarantine(self, self.binder))

    def show_kept_aside(self) -> None:
        from app.ui.binder_safety import QuarantineDialog

        if not self.binder.quarantined():
            self.statusBar().showMessage("No file is kept aside: every stored file is a document.")
            return
        QuarantineDialog(self.binder, self).show()

    def forget_key(self) -> None:
        from app.ui.binder_safety import forget_this_computer

        forget_this_computer(self, self.binder, self.statusBar().showMessage)

    def about(self) -> None:
        from app import __version__
        from app.logs import log_dir

        QMessageBox.about(
            self,
            "About CareBinder",
            f"CareBinder {__version__}\n\nYour medical records, encrypted on your own "
            "computer, ready for a second opinion. Nothing is sent anywhere.\n\n"
            f"This binder is kept in: {self.binder.data_dir}\n"
            f"The log (no medical content) is in: {log_dir()}\n\n"
            "Licence: GNU General Public License, version 3 or later.",
        )

    # -- drops, layout, closing -------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if carries_local_files(event):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = local_files(event)
        if paths:
            event.acceptProposedAction()
            self.import_paths(paths)

    def restore_layout(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        for key, splitter in self._splitters().items():
            state = self.settings.value(f"window/{key}")
            if isinstance(state, QByteArray):
                splitter.restoreState(state)

    def save_layout(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        for key, splitter in self._splitters().items():
            self.settings.setValue(f"window/{key}", splitter.saveState())
        self.settings.sync()

    def _splitters(self) -> dict[str, QSplitter]:
        return {"sidebar": self.splitter, "documents": self.documents.splitter}

    def closeEvent(self, event: QCloseEvent) -> None:
        self.reminders.stop()
        self.documents.shutdown()
        wait_for_jobs()  # a finished file stays imported; nothing is left half-done
        self.save_layout()
        super().closeEvent(event)
