"""Import an imaging disc: read it, show what is on it, then keep the chosen patient's
studies.

Three steps in one dialog, each file operation on a worker (app/ui/jobs.py) with a progress
bar and Cancel: reading the disc (headers only), the list of what was found (studies with
their series, files that are not images, a warning when the disc's patient is not this
person, and the choice of patient when the disc holds several), and the import itself.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QProgressBar,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.progress import CancelFlag, Progress
from app.records.models import Person
from app.records.thread_binder import on_this_thread
from app.ui.documents_model import readable_date
from app.ui.jobs import Job, run_job
from app.ui.look import heading, paragraph
from app.vault.binder import Binder

if TYPE_CHECKING:
    from app.ingest.dicom_disc import DiscContents, StudyFound
    from app.records.imaging_import import ImagingImportReport


def study_line(study: StudyFound) -> list[str]:
    """The columns of a study's row: when, what, where on the body, description, where."""
    what = study.what[:1].upper() + study.what[1:]
    return [
        readable_date(study.date or None),
        what,
        study.body_part.title(),
        study.description,
        study.institution,
    ]


class ImagingImportDialog(QDialog):
    """Read a disc for `person`, list it, and import it on the user's word."""

    imported = Signal(object)  # the ImagingImportReport

    def __init__(
        self, binder: Binder, person: Person, paths: list[Path], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.binder, self.person, self.paths = binder, person, paths
        self.disc: DiscContents | None = None
        self.report: ImagingImportReport | None = None
        self.job: Job | None = None
        self.setWindowTitle("Import an imaging disc")
        self.setAccessibleName("Import an imaging disc")
        self.title = heading(f"Imaging for {person.name}", 1.3)
        self.status = paragraph("Reading the disc...")
        self.status.setAccessibleName("What is happening")
        self.bar = QProgressBar()
        self.bar.setAccessibleName("Progress")
        self.bar.setRange(0, 0)
        self.warning = paragraph("")
        self.warning.setAccessibleName("Warning")
        self.warning.setStyleSheet("font-weight: bold")
        self.warning.hide()
        self.patient_label = QLabel("Import the images of:")
        self.patient = QComboBox()
        self.patient.setAccessibleName("Whose images to import")
        self.patient.currentIndexChanged.connect(self._patient_chosen)
        patient_row = QHBoxLayout()
        patient_row.addWidget(self.patient_label)
        patient_row.addWidget(self.patient, 1)
        self.patient_label.hide()
        self.patient.hide()
        self.tree = QTreeWidget()
        self.tree.setAccessibleName("Studies on the disc")
        self.tree.setHeaderLabels(["Date", "What", "Body part", "Description", "Where"])
        self.tree.setRootIsDecorated(True)
        self.tree.hide()
        self.skipped = QListWidget()
        self.skipped.setAccessibleName("Files not imported, and why")
        self.skipped.setMaximumHeight(self.fontMetrics().lineSpacing() * 7)
        self.skipped.hide()
        self.skipped_button = QPushButton("Show the other files")
        self.skipped_button.setCheckable(True)
        self.skipped_button.setAccessibleName("Show the files that are not images, and why")
        self.skipped_button.toggled.connect(self.skipped.setVisible)
        self.skipped_button.hide()
        self.import_button = QPushButton("Import")
        self.import_button.setAccessibleName("Import the studies")
        self.import_button.setDefault(True)
        self.import_button.clicked.connect(self.start_import)
        self.import_button.hide()
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAccessibleName("Cancel")
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button = QPushButton("Close")
        self.close_button.setAccessibleName("Close")
        self.close_button.clicked.connect(self.accept)
        self.close_button.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.skipped_button)
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.close_button)
        box = QVBoxLayout(self)
        box.addWidget(self.title)
        box.addWidget(self.status)
        box.addWidget(self.bar)
        box.addWidget(self.warning)
        box.addLayout(patient_row)
        box.addWidget(self.tree, 1)
        box.addWidget(self.skipped)
        box.addLayout(buttons)
        self.resize(860, 520)

    # -- step 1: read the disc -------------------------------------------------------------

    def start(self) -> Job:
        from app.ingest.dicom_disc import read_disc

        paths = self.paths

        def work(progress: Progress, cancel: CancelFlag) -> DiscContents:
            return read_disc(paths, progress, cancel)

        self.job = run_job(
            work,
            on_done=self._read,
            on_error=self._failed,
            on_progress=self._progress("Reading the disc"),
            on_cancelled=self.reject,
        )
        return self.job

    def _progress(self, what: str) -> Callable[[int, int, str], None]:
        def show(done: int, total: int, _label: str) -> None:
            self.bar.setRange(0, max(total, 1))
            self.bar.setValue(done)
            self.status.setText(f"{what}: {min(done + 1, total)} of {total} files...")

        return show

    def _read(self, disc: object) -> None:
        from app.ingest.dicom_disc import DiscContents

        if not isinstance(disc, DiscContents):
            return
        self.disc = disc
        self.bar.hide()
        patients = disc.patients()
        if not disc.studies:
            self.status.setText(
                "No images were found here. Choose the disc's own folder (the one holding "
                "DICOMDIR), or the whole disc."
            )
            self._show_skipped(disc)
            self._finish_buttons()
            return
        if len(patients) > 1:
            self.patient.blockSignals(True)
            for patient in patients:
                self.patient.addItem(patient.label, patient.key)
            self.patient.blockSignals(False)
            self.patient_label.show()
            self.patient.show()
        self._show_skipped(disc)
        self._patient_chosen()
        self.import_button.show()

    def chosen_disc(self) -> DiscContents | None:
        """The disc as it will be imported: only the chosen patient's studies."""
        if self.disc is None:
            return None
        if len(self.disc.patients()) > 1:
            key = self.patient.currentData()
            return self.disc.only(tuple(key)) if key is not None else None
        return self.disc

    def _patient_chosen(self, _index: int = 0) -> None:
        from app.records.imaging_import import patient_warnings

        disc = self.chosen_disc()
        if disc is None:
            return
        self.tree.clear()
        for study in disc.studies:
            row = QTreeWidgetItem(study_line(study))
            for series in study.series:
                count = f"{series.images} image{'s' if series.images != 1 else ''}"
                label = series.description or "Series"
                QTreeWidgetItem(row, ["", label, series.body_part.title(), count, ""])
            self.tree.addTopLevelItem(row)
        self.tree.expandAll()
        for column in range(self.tree.columnCount()):
            self.tree.resizeColumnToContents(column)
        self.tree.show()
        megabytes = disc.size / 1_000_000
        size = f"{megabytes:.0f} MB" if megabytes >= 1 else "less than 1 MB"
        studies = len(disc.studies)
        several = len(self.disc.patients()) > 1 if self.disc else False
        only = " Only this patient's images will be kept." if several else ""
        self.status.setText(
            f"Found {studies} stud{'ies' if studies != 1 else 'y'} with {disc.images} "
            f"images ({size}).{only} They will be kept encrypted, exactly as they are "
            "on the disc."
        )
        self.import_button.setText(f"Import {disc.images} images")
        warnings = patient_warnings(self.binder, self.person.id, disc)
        if disc.index_note:
            warnings.append(disc.index_note)
        self.warning.setText("\n".join(warnings))
        self.warning.setVisible(bool(warnings))

    def _show_skipped(self, disc: DiscContents) -> None:
        self.skipped.clear()
        for item in disc.skipped:
            self.skipped.addItem(f"{Path(item.path).name}: {item.reason}")
        count = len(disc.skipped)
        if count:
            self.skipped_button.setText(
                f"{count} other file{'s' if count != 1 else ''} (not images)"
            )
            self.skipped_button.show()

    # -- step 2: import ---------------------------------------------------------------------

    def start_import(self) -> Job | None:
        from app.records.imaging_import import import_disc

        disc = self.chosen_disc()
        if disc is None:
            return None
        binder, person_id = self.binder, self.person.id
        self.import_button.hide()
        self.patient.setEnabled(False)
        self.bar.show()
        self.bar.setRange(0, max(disc.images, 1))
        self.bar.setValue(0)

        def work(progress: Progress, cancel: CancelFlag) -> ImagingImportReport:
            with on_this_thread(binder) as view:
                return import_disc(view, person_id, disc, progress, cancel)

        def progress(done: int, total: int, label: str) -> None:
            self.bar.setRange(0, max(total, 1))
            self.bar.setValue(done)
            self.status.setText(f"Keeping image {min(done + 1, total)} of {total}: {label}")

        self.job = run_job(
            work, on_done=self._imported, on_error=self._failed, on_progress=progress
        )
        return self.job

    def _imported(self, report: object) -> None:
        from app.records.imaging_import import ImagingImportReport

        if not isinstance(report, ImagingImportReport):
            return
        self.report = report
        self.bar.hide()
        self.status.setText(report.summary())
        self.skipped.clear()
        for item in report.problems:
            self.skipped.addItem(f"{Path(item.path).name}: {item.reason}")
        if report.problems:
            self.skipped_button.setText("Show why some files were not imported")
            self.skipped_button.show()
        self._finish_buttons()
        self.imported.emit(report)

    def _failed(self, exc: Exception) -> None:
        self.bar.hide()
        self.status.setText(f"The disc could not be imported: {exc}")
        self._finish_buttons()

    def _finish_buttons(self) -> None:
        self.import_button.hide()
        self.cancel_button.hide()
        self.close_button.show()
        self.close_button.setDefault(True)

    def cancel(self) -> None:
        if self.job is not None and not self.job.finished:
            self.cancel_button.setEnabled(False)
            self.status.setText("Stopping after the current file...")
            self.job.cancel()
            return
        self.reject()

    def reject(self) -> None:
        if self.job is not None and not self.job.finished:
            self.job.cancel()  # what was kept stays; the dialog closes when the job ends
        super().reject()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # Escape cancels the running step
        if event.key() == Qt.Key.Key_Escape:
            self.cancel()
            return
        super().keyPressEvent(event)
