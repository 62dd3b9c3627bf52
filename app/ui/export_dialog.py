"""Preparing the bundle for a second-opinion doctor: for whom, which records, where.

The records are preselected from the second-opinion checklist and the "include in the
bundle" marks; the work (app.export.bundle.build_bundle) runs on a worker with a progress
dialog and Cancel.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.export.names import safe_part
from app.export.redaction import Redaction, note_choices
from app.progress import CancelFlag, Progress
from app.records.documents import list_documents
from app.records.imaging import list_studies
from app.records.models import Person
from app.records.thread_binder import on_this_thread
from app.ui.binder_safety import run_with_progress
from app.ui.look import paragraph
from app.ui.redaction_choices import RedactionChoices
from app.vault.binder import Binder


class ExportDialog(QDialog):
    def __init__(
        self,
        binder: Binder,
        person: Person,
        preselected: Sequence[int],
        for_doctor: str = "",
        parent: QWidget | None = None,
        redaction: Redaction | None = None,
    ) -> None:
        super().__init__(parent)
        self.binder = binder
        self.person = person
        self.result_path: Path | None = None
        self.setWindowTitle("Prepare the bundle for a doctor")
        self.doctor = QLineEdit(for_doctor)
        self.doctor.setAccessibleName("For which doctor")
        self.doctor.setPlaceholderText("The doctor's name goes on the cover")
        self.records = QListWidget()
        self.records.setAccessibleName("Records to include")
        chosen = set(preselected)
        for doc in list_documents(binder, person.id):
            when = doc.date or "no date"
            item = QListWidgetItem(f"{when}  ·  {doc.kind.label}: {doc.title}")
            item.setData(Qt.ItemDataRole.UserRole, doc.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = doc.id in chosen
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.records.addItem(item)
        # issue 19: the scans themselves, as a DICOM file set in Imaging/.
        self.studies = QListWidget()
        self.studies.setAccessibleName("Imaging studies to include")
        for study in list_studies(binder, person.id):
            count = f"{study.images} images, {study.size / 1_000_000:.0f} MB"
            item = QListWidgetItem(f"{study.date or 'no date'}  ·  {study.title} ({count})")
            item.setData(Qt.ItemDataRole.UserRole, study.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            marked = Qt.CheckState.Checked if study.include_in_bundle else Qt.CheckState.Unchecked
            item.setCheckState(marked)
            self.studies.addItem(item)
        self.studies.setMaximumHeight(self.fontMetrics().lineSpacing() * 5)
        self.as_zip = QRadioButton("One ZIP file (to e-mail or upload)")
        self.as_folder = QRadioButton("A folder (on a USB stick, say)")
        self.as_zip.setChecked(True)
        kind = QButtonGroup(self)
        kind.addButton(self.as_zip)
        kind.addButton(self.as_folder)
        self.target = QLineEdit()
        self.target.setAccessibleName("Where to write the bundle")
        stem = f"Records of {person.name} for {safe_part(for_doctor, 60, 'doctor')}"
        self.target.setText(str(Path.home() / f"{stem}.zip"))
        self.as_folder.toggled.connect(self._kind_changed)
        choose = QPushButton("Choose...")
        choose.setAccessibleName("Choose where to write the bundle")
        choose.clicked.connect(self._choose)
        self.protect = QCheckBox("Protect the ZIP with a password")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Password for the ZIP")
        self.password.setEnabled(False)
        self.protect.toggled.connect(self.password.setEnabled)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Message")
        from app.export.facts import gather

        self.leave_out = RedactionChoices(note_choices(gather(binder, person.id)))
        if redaction is not None:
            self.leave_out.set_redaction(redaction)

        where = QHBoxLayout()
        where.addWidget(self.target, 1)
        where.addWidget(choose)
        form = QFormLayout()
        form.addRow("For doctor:", self.doctor)
        form.addRow("Records:", self.records)
        if self.studies.count():
            form.addRow("Imaging studies:", self.studies)
        form.addRow("As:", self.as_zip)
        form.addRow("", self.as_folder)
        form.addRow("Write to:", where)
        form.addRow("", self.protect)
        form.addRow("Password:", self.password)
        form.addRow("Leave out:", self.leave_out)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.build_button = buttons.addButton(
            "Prepare the bundle", QDialogButtonBox.ButtonRole.AcceptRole
        )
        buttons.accepted.connect(self.start)
        buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addWidget(
            paragraph(
                "The bundle holds a summary sheet, the records in one PDF with a table of "
                "contents, the medication history, your questions and the original files. "
                "The doctor needs only a PDF reader. A password-protected ZIP opens with 7-Zip, "
                "or the system's archive tool where it supports AES; tell the doctor the "
                "password by phone, not in the same e-mail."
            )
        )
        box.addLayout(form)
        box.addWidget(self.message)
        box.addWidget(buttons)
        self.resize(720, 760)

    def chosen_ids(self) -> list[int]:
        return [
            int(self.records.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.records.count())
            if self.records.item(i).checkState() == Qt.CheckState.Checked
        ]

    def chosen_studies(self) -> list[int]:
        return [
            int(self.studies.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.studies.count())
            if self.studies.item(i).checkState() == Qt.CheckState.Checked
        ]

    def _kind_changed(self, folder: bool) -> None:
        text = self.target.text()
        if folder and text.endswith(".zip"):
            self.target.setText(text[:-4])
        elif not folder and not text.endswith(".zip"):
            self.target.setText(text + ".zip")
        self.protect.setEnabled(not folder)
        if folder:
            self.protect.setChecked(False)

    def _choose(self) -> None:
        if self.as_folder.isChecked():
            path = QFileDialog.getExistingDirectory(self, "Choose a folder", str(Path.home()))
            if path:
                self.target.setText(str(Path(path) / Path(self.target.text()).name))
        else:
            path, _ = QFileDialog.getSaveFileName(
                self, "Save the bundle", self.target.text(), "ZIP files (*.zip)"
            )
            if path:
                self.target.setText(path if path.endswith(".zip") else path + ".zip")

    def start(self) -> None:
        from app.export.bundle import build_bundle
        from app.export.bundle_options import BundleOptions, BundleResult

        ids = self.chosen_ids()
        if not ids:
            self.message.setText("Tick at least one record to put in the bundle.")
            return
        password = self.password.text() if self.protect.isChecked() else None
        if self.protect.isChecked() and not password:
            self.message.setText("Type the password, or untick the protection.")
            return
        target = Path(self.target.text().strip()).expanduser()
        options = BundleOptions(
            for_doctor=self.doctor.text().strip() or None,
            document_ids=ids,
            password=password,
            folder=self.as_folder.isChecked(),
            redaction=self.leave_out.redaction(),
            study_ids=self.chosen_studies(),
        )
        self.build_button.setEnabled(False)
        self.message.setText("Preparing the bundle...")
        binder, person_id = self.binder, self.person.id

        def work(progress: Progress, cancel: CancelFlag) -> BundleResult:
            with on_this_thread(binder) as view:
                return build_bundle(view, person_id, target, options, progress, cancel)

        def done(result: object) -> None:
            assert isinstance(result, BundleResult)
            self.result_path = result.target
            self.accept()

        def failed(exc: Exception) -> None:
            self.build_button.setEnabled(True)
            self.message.setText(f"The bundle was not made: {exc}")

        run_with_progress(self, "Preparing the bundle", work, done, failed)
