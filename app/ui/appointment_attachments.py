"""What is attached to one appointment: a recording of the talk, a photo of a handout, a
document from the library. A file attached from disk is imported on a worker (encrypted into
the library like any import), then linked."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.ingest.kinds import DocumentKind
from app.progress import CancelFlag, Progress
from app.records.appointments import Appointment, attach_document, attachments, detach
from app.records.documents import get_document, list_documents
from app.records.errors import NotFound, RecordsError
from app.records.importer import ImportResult, Outcome, import_file
from app.records.models import Document
from app.records.thread_binder import on_this_thread
from app.ui.care_words import partial_date
from app.ui.jobs import run_job
from app.ui.look import heading, paragraph
from app.vault.binder import Binder

ATTACHMENT_ROLE = Qt.ItemDataRole.UserRole  # the attachment's id
DOCUMENT_ROLE = Qt.ItemDataRole.UserRole + 1  # the attached document's id
ATTACHABLE_FILES = (
    "Recordings, photos and documents (*.mp3 *.m4a *.wav *.ogg *.oga *.opus *.flac *.aac "
    "*.jpg *.jpeg *.png *.heic *.tif *.tiff *.pdf *.txt *.docx *.xml *.json);;All files (*)"
)


def kind_words(doc: Document) -> str:
    """What an attachment is, in a word: a recording, a photo, or the document's kind."""
    if doc.media_type.startswith("audio/"):
        return "Recording"
    if doc.kind is not DocumentKind.OTHER:
        return doc.kind.label
    return "Photo" if doc.media_type.startswith("image/") else "Document"


def document_words(title: str, date: str | None) -> str:
    return f"{title} ({partial_date(date)})" if date else title


class LibraryPicker(QDialog):
    """The person's documents to choose from (several at once), to attach to a visit."""

    def __init__(self, documents: list[Document], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Attach from the library")
        self.list = QListWidget()
        self.list.setAccessibleName("Documents in the library")
        self.list.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self.list.setSpacing(2)
        for doc in documents:
            item = QListWidgetItem(f"{document_words(doc.title, doc.date)} · {kind_words(doc)}")
            item.setData(DOCUMENT_ROLE, doc.id)
            self.list.addItem(item)
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.attach_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.attach_button.setText("Attach")
        self.attach_button.setAccessibleName("Attach the chosen documents")
        self.attach_button.setEnabled(False)
        self.list.itemSelectionChanged.connect(
            lambda: self.attach_button.setEnabled(bool(self.list.selectedItems()))
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addWidget(paragraph("Choose one or more documents to attach to this appointment."))
        box.addWidget(self.list, 1)
        box.addWidget(self.buttons)
        self.resize(680, 400)

    def chosen(self) -> list[int]:
        return [int(item.data(DOCUMENT_ROLE)) for item in self.list.selectedItems()]


class AttachmentsPanel(QWidget):
    """ "Attachments": the list, a note of what just happened, and attach or remove. Emits
    `open_document` with a document's id, and `documents_added` after a file attached from
    disk joined the library."""

    open_document = Signal(int)
    documents_added = Signal()

    def __init__(self, binder: Binder, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.binder = binder
        self.appointment: Appointment | None = None
        self.attach_list = QListWidget()
        self.attach_list.setAccessibleName("Attachments of this appointment")
        self.attach_list.setToolTip("Double-click one to open it on the Documents page.")
        self.attach_list.setSpacing(2)
        self.attach_list.setMaximumHeight(self.fontMetrics().lineSpacing() * 6)
        self.attach_list.itemDoubleClicked.connect(
            lambda item: self.open_document.emit(int(item.data(DOCUMENT_ROLE)))
        )
        self.attach_list.itemSelectionChanged.connect(self._selection_changed)
        self.attach_note = paragraph("")
        self.attach_note.setAccessibleName("About the attachments")
        self.attach_file_button = QPushButton("Attach a file...")
        self.attach_file_button.setAccessibleName(
            "Attach a file, such as a recording of the talk or a photo of a handout"
        )
        self.attach_file_button.clicked.connect(self.choose_file_to_attach)
        self.attach_library_button = QPushButton("Attach from the library...")
        self.attach_library_button.setAccessibleName("Attach a document already in the binder")
        self.attach_library_button.clicked.connect(lambda: self.open_library_picker())
        self.detach_button = QPushButton("Remove")
        self.detach_button.setAccessibleName(
            "Remove the chosen attachment (the document stays in the library)"
        )
        self.detach_button.setToolTip("The document stays in the library.")
        self.detach_button.clicked.connect(self.remove_attachment)
        self.detach_button.setEnabled(False)
        attach_row = QHBoxLayout()
        attach_row.addWidget(self.attach_file_button)
        attach_row.addWidget(self.attach_library_button)
        attach_row.addStretch(1)
        attach_row.addWidget(self.detach_button)
        self.attach_empty = paragraph(
            "Nothing attached. Attach a recording of the talk (ask first), a photo of a "
            "handout, or a document from the library."
        )
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(heading("Attachments", 1.05))
        box.addWidget(self.attach_empty)
        box.addWidget(self.attach_list)
        box.addWidget(self.attach_note)
        box.addLayout(attach_row)

    def show_appointment(self, appointment: Appointment | None) -> None:
        self.appointment = appointment
        self.fill()
        self.attach_note.setText("")
        self.attach_note.setVisible(False)

    def fill(self) -> None:
        self.attach_list.clear()
        appointment = self.appointment
        if appointment is None:
            return
        for attachment in attachments(self.binder, appointment.id):
            try:
                doc = get_document(self.binder, attachment.document_id)
            except NotFound:
                continue
            words = f"{document_words(doc.title, doc.date)} · {kind_words(doc)}"
            if attachment.label:
                words = f"{attachment.label}: {words}"
            if doc.in_trash:
                words += " (in the Trash)"
            item = QListWidgetItem(words)
            item.setData(ATTACHMENT_ROLE, attachment.id)
            item.setData(DOCUMENT_ROLE, doc.id)
            item.setToolTip(f"{doc.original_name}. Double-click to open it on the Documents page.")
            self.attach_list.addItem(item)
        has = self.attach_list.count() > 0
        self.attach_list.setVisible(has)
        self.attach_empty.setVisible(not has)
        self._selection_changed()

    def attachment_texts(self) -> list[str]:
        return [self.attach_list.item(i).text() for i in range(self.attach_list.count())]

    def _selection_changed(self) -> None:
        self.detach_button.setEnabled(bool(self.attach_list.selectedItems()))

    def say(self, text: str) -> None:
        self.attach_note.setText(text)
        self.attach_note.setAccessibleName(text or "About the attachments")
        self.attach_note.setVisible(bool(text))

    def choose_file_to_attach(self) -> None:
        if self.appointment is None:
            return
        path, _ = QFileDialog.getOpenFileName(
            self, "Attach a file to this appointment", str(Path.home()), ATTACHABLE_FILES
        )
        if path:
            self.attach_file(Path(path))

    def attach_file(self, path: Path) -> None:
        """Import `path` into the person's library on a worker, then attach it (a file
        already in the library is attached as the copy that is there)."""
        appointment = self.appointment
        if appointment is None:
            return
        binder, person_id, appt_id = self.binder, appointment.person_id, appointment.id

        def work(progress: Progress, cancel: CancelFlag) -> ImportResult:
            with on_this_thread(binder) as view:
                return import_file(view, person_id, path, progress=progress, cancel=cancel)

        self.say(f"Adding {path.name} to the library...")
        run_job(
            work,
            on_done=lambda result: self._imported(appt_id, path, result),
            on_error=lambda exc: self._import_failed(path, str(exc)),
            on_cancelled=lambda: self._import_failed(path, "stopped"),
        )

    def _imported(self, appt_id: int, path: Path, result: object) -> None:
        if not isinstance(result, ImportResult) or result.document is None:
            reason = result.reason if isinstance(result, ImportResult) else None
            self._import_failed(path, reason or "it could not be read")
            return
        self.documents_added.emit()
        try:
            attach_document(self.binder, appt_id, result.document.id)
        except RecordsError as exc:
            self._import_failed(path, str(exc))
            return
        if self.appointment is None or self.appointment.id != appt_id:
            return  # the user chose another appointment meanwhile; it is attached all the same
        self.fill()
        if result.status is Outcome.DUPLICATE:
            self.say(
                f"{path.name} was already in the library, as “{result.document.title}”: "
                "attached that copy."
            )
        else:
            self.say(f"Attached {path.name}. It is also in the library now.")

    def _import_failed(self, path: Path, reason: str) -> None:
        self.say(f"{path.name} was not attached: {reason}")

    def open_library_picker(self) -> LibraryPicker | None:
        """The person's documents not attached yet; the chosen ones are attached on OK."""
        appointment = self.appointment
        if appointment is None:
            return None
        attached = {a.document_id for a in attachments(self.binder, appointment.id)}
        documents = [
            d for d in list_documents(self.binder, appointment.person_id) if d.id not in attached
        ]
        if not documents:
            self.say("Every document in the library is attached already.")
            return None
        picker = LibraryPicker(documents, self)
        picker.accepted.connect(lambda: self.attach_from_library(picker.chosen()))
        picker.open()
        return picker

    def attach_from_library(self, document_ids: list[int]) -> None:
        appointment = self.appointment
        if appointment is None:
            return
        try:
            for doc_id in document_ids:
                attach_document(self.binder, appointment.id, doc_id)
        except RecordsError as exc:
            self.say(str(exc))
        else:
            n = len(document_ids)
            self.say(f"Attached {n} document{'s' if n != 1 else ''} from the library.")
        self.fill()

    def remove_attachment(self) -> None:
        """Take the chosen attachment off this appointment; the document stays."""
        items = self.attach_list.selectedItems()
        if not items:
            return
        try:
            for item in items:
                detach(self.binder, int(item.data(ATTACHMENT_ROLE)))
        except RecordsError as exc:
            self.say(str(exc))
        else:
            self.say("Removed from this appointment. The document stays in the library.")
        self.fill()
