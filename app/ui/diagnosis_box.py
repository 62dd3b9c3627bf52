"""The Overview's first box: the person's cancer and its stage in plain words, as the
clinical picture holds it, with how far it was checked ("Invasive ductal carcinoma of the
left breast, stage IIA, found in the records, not checked yet.") and a button to check it
in the treatment summary.

The picture is built on a worker (its first build after an import reads the new reports);
a result for a person no longer shown is dropped.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.progress import CancelFlag, Progress
from app.records.models import Person
from app.records.picture import ClinicalPicture
from app.ui.jobs import Job, run_job
from app.ui.look import paragraph
from app.vault.binder import Binder

NOTHING_YET = (
    "No cancer diagnosis is recorded yet. Import the pathology report, or write the "
    "diagnosis in the treatment summary."
)


def diagnosis_lines(picture: ClinicalPicture) -> list[str]:
    """One sentence per cancer: the diagnosis, its stage, and how far it was checked."""
    lines = []
    for cancer in picture.cancers():
        words = cancer.sentence
        if checked := cancer.check_words:
            words += f", {checked}"
        lines.append(words + ".")
    return lines


class DiagnosisBox(QGroupBox):
    check_requested = Signal()
    picture_ready = Signal(object)  # the ClinicalPicture read, for the care journey too

    def __init__(self, binder: Binder, parent: QWidget | None = None) -> None:
        super().__init__("Diagnosis", parent)
        self.binder = binder
        self.setAccessibleName("Diagnosis")
        self.person_id: int | None = None
        self.job: Job | None = None
        self.words = QLabel("")
        self.words.setWordWrap(True)
        font = QFont(self.words.font())
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.words.setFont(font)
        self.words.setAccessibleName("The diagnosis")
        self.hint = paragraph(
            "Found by CareBinder in the reports. Check each value, or correct it, in the "
            "treatment summary: what you confirm goes to the doctor as checked."
        )
        self.check_button = QPushButton("Check it in the treatment summary")
        self.check_button.setAccessibleName("Check the diagnosis in the treatment summary")
        self.check_button.clicked.connect(self.check_requested)
        self.check_button.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        row = QHBoxLayout()
        row.addWidget(self.hint, 1)
        row.addStretch(0)
        row.addWidget(self.check_button)
        box = QVBoxLayout(self)
        box.addWidget(self.words)
        box.addLayout(row)

    def set_person(self, person: Person) -> None:
        """Read the picture for `person` off the UI thread, then show it."""
        self.person_id = person.id
        wanted = person.id
        self.words.setText("Reading the records...")
        binder = self.binder

        def read(progress: Progress, cancel: CancelFlag) -> ClinicalPicture:
            from app.records.picture import clinical_picture
            from app.records.thread_binder import on_this_thread

            with on_this_thread(binder) as view:
                return clinical_picture(view, wanted)

        def shown(picture: object) -> None:
            if isinstance(picture, ClinicalPicture) and picture.person_id == self.person_id:
                self.show_picture(picture)
                self.picture_ready.emit(picture)

        def failed(exc: Exception) -> None:
            if wanted == self.person_id:
                self.words.setText(f"The diagnosis could not be read: {exc}")

        self.job = run_job(read, on_done=shown, on_error=failed)

    def show_picture(self, picture: ClinicalPicture) -> None:
        lines = diagnosis_lines(picture)
        self.words.setText("\n".join(lines) if lines else NOTHING_YET)
        self.words.setAccessibleName(f"The diagnosis: {self.words.text()}")
        unchecked = any("not checked" in line or "disagree" in line for line in lines)
        self.hint.setVisible(unchecked)
        self.check_button.setText(
            "Check it in the treatment summary" if lines else "Open the treatment summary"
        )

    @property
    def reading(self) -> bool:
        """A reading is still on its way (tests and screenshots wait for it)."""
        return self.job is not None and not self.job.finished
