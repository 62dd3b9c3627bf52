"""One imaging study: its series, one picture per series (for recognising the study, never
for diagnosis), its report, and what can be done with it: open it in a viewer, copy it to a
stick or a disc folder, leave it out of bundles, remove it.

"Open in a viewer..." is the one place a readable copy is written outside the binder, and
only after the person agrees: a temporary folder holding the study as a DICOM file set,
removed when the study's window closes (and when CareBinder quits).
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QCloseEvent, QDesktopServices, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.ingest.kinds import DocumentKind
from app.progress import CancelFlag, Progress
from app.records.documents import list_documents
from app.records.errors import RecordsError
from app.records.imaging import (
    ImagingStudy,
    get_study,
    link_report,
    list_series,
    remove_study,
    set_in_bundle,
)
from app.ui.documents_model import readable_date
from app.ui.jobs import Job, run_job
from app.ui.look import Notice, heading, paragraph
from app.vault.binder import Binder

PICTURE_SIDE = 180
CAPTION = (
    "These pictures are only for recognising the study, not for diagnosis: a doctor reads "
    "the images themselves, in a viewer."
)
VIEWER_WARNING = (
    "To open this study in a viewer program, CareBinder writes a readable copy of its images "
    "to a temporary folder on this computer. While the copy is there, anyone using this "
    "computer could read it. CareBinder removes it when you close this study's window.\n\n"
    "Write the copy and open it?"
)

_viewer_copies: set[Path] = set()


def _remove_copy(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
    _viewer_copies.discard(path)


@atexit.register
def _remove_every_copy() -> None:
    for path in list(_viewer_copies):
        _remove_copy(path)


def study_facts(study: ImagingStudy) -> str:
    parts = [readable_date(study.date)]
    if study.institution:
        parts.append(study.institution)
    if study.accession_number:
        parts.append(f"accession number {study.accession_number}")
    series = f"{study.series_count} series, {study.images} image{'s' if study.images != 1 else ''}"
    megabytes = study.size / 1_000_000
    size = f"{megabytes:.1f} MB" if megabytes >= 0.1 else f"{max(1, study.size // 1000)} KB"
    parts.append(f"{series} ({size})")
    return " · ".join(parts)


def copy_studies(
    parent: QWidget,
    binder: Binder,
    study_ids: list[int],
    done: Callable[[str], None],
    folder: Path | None = None,
) -> Job | None:
    """'Copy to a stick or disc folder': the studies as a file set with its own DICOMDIR,
    in a new folder inside the one chosen."""
    from app.export.imaging_fileset import write_file_set

    if folder is None:
        chosen = QFileDialog.getExistingDirectory(
            parent, "Copy to a stick or disc folder", str(Path.home())
        )
        if not chosen:
            return None
        folder = Path(chosen)
    ids = list(study_ids)

    def work(progress: Progress, cancel: CancelFlag) -> Path:
        from app.records.thread_binder import on_this_thread

        with on_this_thread(binder) as view:
            return write_file_set(view, ids, folder, progress=progress, cancel=cancel)

    count = len(ids)
    done(f"Copying {count} stud{'ies' if count != 1 else 'y'}...")
    return run_job(
        work,
        on_done=lambda path: done(
            f"Copied to {path}. Give the clinic the whole folder: it opens with any DICOM "
            "viewer, from its DICOMDIR file."
        ),
        on_error=lambda exc: done(f"The copy was not made: {exc}"),
    )


class StudyDialog(QDialog):
    """A study's window: facts, report, series with pictures, and its actions."""

    changed = Signal()  # removed, or its report or bundle choice changed
    open_document = Signal(int)
    opener: Callable[[QUrl], object] = QDesktopServices.openUrl

    def __init__(self, binder: Binder, study_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.binder = binder
        self.study = get_study(binder, study_id)
        self.viewer_copy: Path | None = None  # the temporary readable copy, while it exists
        self._closed = False
        self.job: Job | None = None  # writing the viewer's copy
        self.copy_job: Job | None = None
        study = self.study
        self.setWindowTitle(f"{study.title} · {readable_date(study.date)}")
        self.setAccessibleName("Imaging study")
        title = heading(study.title, 1.4)
        facts = paragraph(study_facts(study))
        facts.setAccessibleName("About this study")
        born = f", born {study.patient_birth_date}" if study.patient_birth_date else ""
        from app.ingest.dicom_header import readable_name

        on_disc = paragraph(f"Patient on the disc: {readable_name(study.patient_name)}{born}")
        self.report = QComboBox()
        self.report.setAccessibleName("The imaging report of this study")
        self.report.addItem("None linked", None)
        for doc in list_documents(binder, study.person_id):
            if doc.kind is DocumentKind.IMAGING:
                self.report.addItem(f"{doc.title} ({readable_date(doc.date)})", doc.id)
        self.report.setCurrentIndex(max(0, self.report.findData(study.report_document_id)))
        self.report.currentIndexChanged.connect(self._report_chosen)
        self.open_report_button = QPushButton("Open the report")
        self.open_report_button.setAccessibleName("Open the imaging report")
        self.open_report_button.clicked.connect(self._open_report)
        self.open_report_button.setEnabled(study.report_document_id is not None)
        self.in_bundle = QCheckBox("Put this study in bundles for a doctor")
        self.in_bundle.setAccessibleName("Put this study in bundles for a doctor")
        self.in_bundle.setChecked(study.include_in_bundle)
        self.in_bundle.toggled.connect(self._bundle_chosen)
        report_row = QHBoxLayout()
        report_row.addWidget(self.report, 1)
        report_row.addWidget(self.open_report_button)
        form = QFormLayout()
        form.addRow("Imaging report:", report_row)
        form.addRow("", self.in_bundle)

        caption = paragraph(CAPTION)
        caption.setAccessibleName("About the pictures")
        font = caption.font()
        font.setItalic(True)
        caption.setFont(font)
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(16)
        self.pictures: list[QLabel] = []
        for index, series in enumerate(list_series(binder, study.id)):
            frame = QFrame()
            frame.setFrameShape(QFrame.Shape.StyledPanel)
            frame.setFixedWidth(PICTURE_SIDE + 24)
            frame.setAccessibleName(f"Series: {series.label}")
            inner = QVBoxLayout(frame)
            picture = QLabel()
            picture.setFixedSize(PICTURE_SIDE, PICTURE_SIDE)
            picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
            picture.setWordWrap(True)
            if series.picture:
                pixmap = QPixmap()
                pixmap.loadFromData(series.picture, "PNG")
                picture.setPixmap(
                    pixmap.scaled(
                        PICTURE_SIDE,
                        PICTURE_SIDE,
                        Qt.AspectRatioMode.KeepAspectRatio,
                        Qt.TransformationMode.SmoothTransformation,
                    )
                )
                picture.setStyleSheet("background: black")
                picture.setAccessibleName(f"Picture of {series.label}")
            else:
                picture.setText(series.picture_note or "No picture")
                picture.setAccessibleName(series.picture_note or "No picture")
            self.pictures.append(picture)
            label = paragraph(series.label)
            label.setFixedWidth(PICTURE_SIDE)
            inner.addWidget(picture)
            inner.addWidget(label)
            grid.addWidget(frame, index // 4, index % 4)
        grid.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        holder = QWidget()
        holder.setLayout(grid)
        scroller = QScrollArea()
        scroller.setWidgetResizable(True)
        scroller.setWidget(holder)
        self.notice = Notice()
        self.viewer_button = QPushButton("Open in a viewer...")
        self.viewer_button.setAccessibleName("Open this study in a viewer program")
        self.viewer_button.clicked.connect(self.open_in_viewer)
        self.copy_button = QPushButton("Copy to a stick or disc folder...")
        self.copy_button.setAccessibleName("Copy this study to a stick or a disc folder")
        self.copy_button.clicked.connect(lambda: self.copy_to_folder())
        self.remove_button = QPushButton("Remove from the binder...")
        self.remove_button.setAccessibleName("Remove this study from the binder")
        self.remove_button.clicked.connect(self.remove)
        close = QPushButton("Close")
        close.setAccessibleName("Close")
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        for button in (self.viewer_button, self.copy_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        box = QVBoxLayout(self)
        box.addWidget(title)
        box.addWidget(facts)
        box.addWidget(on_disc)
        box.addLayout(form)
        box.addWidget(caption)
        box.addWidget(scroller, 1)
        box.addWidget(self.notice)
        box.addLayout(buttons)
        self.resize(900, 640)

    # -- report and bundle --------------------------------------------------------------------

    def _report_chosen(self, _index: int) -> None:
        chosen = self.report.currentData()
        try:
            self.study = link_report(self.binder, self.study.id, chosen)
        except RecordsError as exc:
            self.notice.show_message(str(exc))
            return
        self.open_report_button.setEnabled(chosen is not None)
        self.changed.emit()

    def _open_report(self) -> None:
        if self.study.report_document_id is not None:
            self.open_document.emit(self.study.report_document_id)

    def _bundle_chosen(self, included: bool) -> None:
        self.study = set_in_bundle(self.binder, self.study.id, included)
        self.changed.emit()

    # -- viewer, copy, remove -----------------------------------------------------------------

    def open_in_viewer(self, agreed: bool | None = None) -> Job | None:
        """Ask, then write a temporary readable copy and open its folder."""
        from app.export.imaging_fileset import write_file_set

        if self.viewer_copy is not None:
            if self.job is None or self.job.finished:
                self.opener(QUrl.fromLocalFile(str(self.viewer_copy / "Study")))
            return None
        if agreed is None:
            answer = QMessageBox.question(
                self,
                "Open in a viewer",
                VIEWER_WARNING,
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            agreed = answer == QMessageBox.StandardButton.Yes
        if not agreed:
            return None
        binder, study_id = self.binder, self.study.id
        parent = Path(tempfile.mkdtemp(prefix="carebinder-viewer-"))
        _viewer_copies.add(parent)
        self.viewer_copy = parent

        def work(progress: Progress, cancel: CancelFlag) -> Path:
            from app.records.thread_binder import on_this_thread

            with on_this_thread(binder) as view:
                return write_file_set(view, [study_id], parent, "Study", progress, cancel)

        def written(path: object) -> None:
            if self._closed or not isinstance(path, Path):
                _remove_copy(parent)  # the window closed while the copy was written
                return
            self.notice.show_message(
                f"A readable copy is open at {path} until you close this window. Open its "
                "DICOMDIR file with your DICOM viewer."
            )
            self.opener(QUrl.fromLocalFile(str(path)))

        def failed(exc: Exception) -> None:
            _remove_copy(parent)
            self.viewer_copy = None
            if not self._closed:
                self.notice.show_message(f"The study could not be opened: {exc}")

        self.notice.show_message("Writing a readable copy for the viewer...")
        self.job = run_job(
            work, on_done=written, on_error=failed, on_cancelled=lambda: _remove_copy(parent)
        )
        return self.job

    def copy_to_folder(self, folder: Path | None = None) -> Job | None:
        self.job = copy_studies(
            self, self.binder, [self.study.id], self.notice.show_message, folder
        )
        return self.job

    def remove(self, agreed: bool | None = None) -> bool:
        if agreed is None:
            answer = QMessageBox.question(
                self,
                "Remove the study",
                f"Remove “{self.study.title}” of {readable_date(self.study.date)} and its "
                f"{self.study.images} images from the binder? The disc itself is not "
                "touched; you can import it again.",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            agreed = answer == QMessageBox.StandardButton.Yes
        if not agreed:
            return False
        remove_study(self.binder, self.study.id)
        self.changed.emit()
        self.accept()
        return True

    def done(self, result: int) -> None:
        self._remove_viewer_copy()
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._remove_viewer_copy()
        super().closeEvent(event)

    def _remove_viewer_copy(self) -> None:
        self._closed = True
        if self.viewer_copy is None:
            return
        if self.job is not None and not self.job.finished:
            self.job.cancel()  # its callbacks remove the copy once the writing has stopped
        else:
            _remove_copy(self.viewer_copy)
        self.viewer_copy = None
