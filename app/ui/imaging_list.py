"""The person's imaging studies, listed beside their documents (Documents page, Overview):
a line per study, opened with a double-click, copied to a stick or a disc folder one or
several at a time."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.records.imaging import ImagingStudy, list_studies
from app.records.models import Person
from app.ui.documents_model import readable_date
from app.ui.jobs import Job
from app.ui.look import paragraph
from app.vault.binder import Binder

STUDY_ROLE = Qt.ItemDataRole.UserRole


def study_line(study: ImagingStudy) -> str:
    count = f"{study.images} image{'s' if study.images != 1 else ''}"
    where = f" · {study.institution}" if study.institution else ""
    return f"{readable_date(study.date)}  ·  {study.title}{where}  ·  {count}"


class StudiesBox(QGroupBox):
    """Hidden while the person has no imaging study."""

    changed = Signal()  # a study was removed or changed
    open_document = Signal(int)
    import_requested = Signal()

    def __init__(self, binder: Binder, parent: QWidget | None = None) -> None:
        super().__init__("Imaging studies (double-click to open)", parent)
        self.binder = binder
        self.person: Person | None = None
        self.studies: list[ImagingStudy] = []
        self.setAccessibleName("Imaging studies")
        self.list = QListWidget()
        self.list.setAccessibleName("Imaging studies")
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        # A long line is cut with "..." (its whole text is the tooltip), never scrolled.
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.itemActivated.connect(lambda item: self.open_study(item.data(STUDY_ROLE)))
        self.open_button = QPushButton("Open")
        self.open_button.setAccessibleName("Open the chosen study")
        self.open_button.clicked.connect(self._open_selected)
        self.copy_button = QPushButton("Copy to a stick or disc folder...")
        self.copy_button.setAccessibleName("Copy the chosen studies to a stick or a disc folder")
        self.copy_button.clicked.connect(lambda: self.copy_selected())
        self.import_button = QPushButton("Import an imaging disc...")
        self.import_button.setAccessibleName("Import an imaging disc")
        self.import_button.clicked.connect(self.import_requested)
        self.message = paragraph("")
        self.message.setAccessibleName("Imaging message")
        self.message.hide()
        # One row: the list beside its buttons, so the box takes little of the page's height.
        row = QHBoxLayout()
        row.addWidget(self.list, 1)
        row.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.copy_button, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.import_button, 0, Qt.AlignmentFlag.AlignTop)
        box = QVBoxLayout(self)
        box.setContentsMargins(8, 4, 8, 4)
        box.addLayout(row)
        box.addWidget(self.message)
        self.dialog: QWidget | None = None
        self.copy_job: Job | None = None
        self.hide()

    def set_person(self, person: Person) -> None:
        self.person = person
        self.refresh()

    def refresh(self) -> None:
        if self.person is None:
            return
        self.studies = list_studies(self.binder, self.person.id)
        self.list.clear()
        for study in self.studies:
            item = QListWidgetItem(study_line(study))
            item.setToolTip(study_line(study))
            item.setData(STUDY_ROLE, study.id)
            self.list.addItem(item)
        rows = min(max(len(self.studies), 1), 4)
        self.list.setFixedHeight(
            self.list.sizeHintForRow(0) * rows + self.list.frameWidth() * 2 + 4
        )
        self.setVisible(bool(self.studies))

    def selected_ids(self) -> list[int]:
        chosen = [int(item.data(STUDY_ROLE)) for item in self.list.selectedItems()]
        return chosen or ([self.studies[0].id] if len(self.studies) == 1 else [])

    def _open_selected(self) -> None:
        ids = self.selected_ids()
        if ids:
            self.open_study(ids[0])

    def open_study(self, study_id: int) -> QWidget:
        from app.ui.imaging_study_view import StudyDialog

        dialog = StudyDialog(self.binder, study_id, self)
        dialog.changed.connect(self._changed)
        dialog.open_document.connect(self.open_document)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()
        return dialog

    def copy_selected(self, folder: object = None) -> Job | None:
        from pathlib import Path

        from app.ui.imaging_study_view import copy_studies

        ids = self.selected_ids()
        if not ids:
            self._say("Choose one or more studies in the list first.")
            return None
        target = Path(str(folder)) if folder is not None else None
        self.copy_job = copy_studies(self, self.binder, ids, self._say, target)
        return self.copy_job

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def _changed(self) -> None:
        self.refresh()
        self.changed.emit()
