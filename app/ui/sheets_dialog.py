"""Print or save a sheet: the summary, the medication history, the questions, the sheet for
the next appointment, and the recovery sheet. Sheets are real PDFs made off the UI thread;
printing shows Qt's preview first, and "Save as PDF" writes the same PDF where the user says."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.export.printable import SHEETS
from app.progress import CancelFlag, Progress
from app.records.models import Person
from app.records.thread_binder import on_this_thread
from app.ui.jobs import run_job
from app.ui.look import paragraph
from app.vault.binder import Binder

RECOVERY = "recovery"


def paint_pdf(pdf: bytes, printer: QPrinter) -> int:
    """Draw every page of `pdf` on `printer`, fitted to the page; returns the page count."""
    document = QPdfDocument()
    buffer = QBuffer()
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    count = document.pageCount()
    painter = QPainter(printer)
    try:
        area = printer.pageLayout().paintRectPixels(printer.resolution())
        for index in range(count):
            if index:
                printer.newPage()
            points = document.pagePointSize(index)
            scale = min(area.width() / points.width(), area.height() / points.height())
            size = QSize(int(points.width() * scale), int(points.height() * scale))
            # QPdfDocument renders with a transparent background: put it on white paper.
            page = QImage(size, QImage.Format.Format_ARGB32)
            page.fill(QColor("white"))
            with_page = QPainter(page)
            with_page.drawImage(0, 0, document.render(index, size))
            with_page.end()
            painter.drawImage(0, 0, page)
    finally:
        painter.end()
        document.close()
    return count


# The sheets dialog and the records-request letter print and save through these three,
# so both look and behave alike.


def print_pdf(pdf: bytes, parent: QWidget) -> bool:
    """Qt's print preview of `pdf`, maximised; True when the user printed it."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    preview = QPrintPreviewDialog(printer, parent)
    preview.setWindowTitle("Print preview")
    preview.paintRequested.connect(lambda target: paint_pdf(pdf, target))
    preview.setWindowState(Qt.WindowState.WindowMaximized)
    return preview.exec() == QDialog.DialogCode.Accepted


def save_pdf(pdf: bytes, parent: QWidget, caption: str, file_name: str) -> str:
    """Ask where (in the home folder, named `file_name`, to start with) and write `pdf` there;
    the path written, or "" when the user cancelled."""
    from app.vault.atomic import write_bytes

    target, _ = QFileDialog.getSaveFileName(
        parent, caption, str(Path.home() / file_name), "PDF files (*.pdf)"
    )
    if target:
        write_bytes(Path(target), pdf)
    return target


def lay_out(
    dialog: QDialog, intro: str, form: QFormLayout, message: QLabel, *buttons: QPushButton
) -> None:
    """The print-or-save dialogs' layout: a sentence, the form, the message, and the buttons
    at the bottom right."""
    row = QHBoxLayout()
    row.addStretch(1)
    for button in buttons:
        row.addWidget(button)
    box = QVBoxLayout(dialog)
    box.addWidget(paragraph(intro))
    box.addLayout(form)
    box.addWidget(message)
    box.addStretch(1)
    box.addLayout(row)


class SheetsDialog(QDialog):
    def __init__(self, binder: Binder, person: Person, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.binder = binder
        self.person = person
        self.pdf: bytes | None = None
        self.setWindowTitle("Print or save a sheet")
        self.which = QComboBox()
        self.which.setAccessibleName("Which sheet")
        for key, label in SHEETS.items():
            self.which.addItem(f"{label} ({person.name})", key)
        self.which.addItem("Recovery sheet (how to open the binder on a new computer)", RECOVERY)
        self.with_passphrase = QCheckBox("Print my recovery passphrase on it")
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName("Recovery passphrase to print")
        self.with_passphrase.toggled.connect(self.passphrase.setEnabled)
        self.which.currentIndexChanged.connect(self._which_changed)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Message")
        # For whom, and what to leave out: both go into the log of what was shared.
        from app.export.facts import gather
        from app.export.redaction import note_choices
        from app.ui.redaction_choices import RedactionChoices

        self.for_doctor = QLineEdit()
        self.for_doctor.setAccessibleName("For which doctor")
        self.for_doctor.setPlaceholderText("Optional: the doctor this sheet is for")
        self.leave_out = RedactionChoices(note_choices(gather(binder, person.id)))
        self.print_button = QPushButton("Print...")
        self.save_button = QPushButton("Save as PDF...")
        close = QPushButton("Close")
        self.print_button.clicked.connect(lambda: self.make(self.print_preview))
        self.save_button.clicked.connect(lambda: self.make(self.save_as))
        close.clicked.connect(self.reject)
        form = QFormLayout()
        form.addRow("Sheet:", self.which)
        form.addRow("", self.with_passphrase)
        form.addRow("Passphrase:", self.passphrase)
        form.addRow("For doctor:", self.for_doctor)
        form.addRow("Leave out:", self.leave_out)
        lay_out(
            self,
            "Sheets are made for a doctor to read in a minute. The recovery sheet holds "
            "no medical information; it leaves a line to write the passphrase by hand.",
            form,
            self.message,
            self.print_button,
            self.save_button,
            close,
        )
        self._form = form
        self._which_changed()
        self.resize(660, 520)

    def _which_changed(self) -> None:
        recovery = self.which.currentData() == RECOVERY
        self.with_passphrase.setVisible(recovery)
        self.passphrase.setVisible(recovery)
        if hasattr(self, "_form"):  # the label too, not only the field
            self._form.setRowVisible(self.passphrase, recovery)
        self.passphrase.setEnabled(recovery and self.with_passphrase.isChecked())
        self.for_doctor.setEnabled(not recovery)
        self.leave_out.setEnabled(not recovery)

    def _recovery_pdf(self) -> bytes | None:
        from app.export.recovery_sheet import recovery_sheet_pdf
        from app.vault.errors import WrongPassphrase

        written = None
        if self.with_passphrase.isChecked():
            written = self.passphrase.text()
            try:
                self.binder.keyfile.unwrap(written)
            except WrongPassphrase:
                self.message.setText("That is not this binder's recovery passphrase.")
                return None
        keyfile = self.binder.keyfile
        return recovery_sheet_pdf(keyfile.binder_id, self.binder.data_dir, keyfile.created, written)

    def make(self, then: Callable[[bytes], None]) -> None:
        """Make the chosen sheet's PDF on a worker, then print or save it."""
        which = self.which.currentData()
        self.message.setText("Preparing the sheet...")
        if which == RECOVERY:
            pdf = self._recovery_pdf()
            if pdf is not None:
                self.message.clear()
                then(pdf)
            return
        from app.export.printable import sheet_pdf

        binder, person_id = self.binder, self.person.id
        doctor, redaction = self.for_doctor.text().strip() or None, self.leave_out.redaction()

        def work(progress: Progress, cancel: CancelFlag) -> bytes:
            with on_this_thread(binder) as view:
                return sheet_pdf(view, person_id, str(which), doctor, redaction)

        def done(pdf: object) -> None:
            self.message.clear()
            assert isinstance(pdf, bytes)
            self.pdf = pdf
            then(pdf)

        run_job(work, on_done=done, on_error=lambda exc: self.message.setText(str(exc)))

    def print_preview(self, pdf: bytes) -> None:
        if print_pdf(pdf, self):
            self.log_shared(pdf, "")

    def save_as(self, pdf: bytes) -> None:
        label = self.which.currentText().split(" (")[0]
        target = save_pdf(pdf, self, "Save the sheet", f"{label}.pdf")
        if target:
            self.message.setText(f"Saved to {target}.")
            self.log_shared(pdf, target)

    def log_shared(self, pdf: bytes, target: str) -> None:
        """A sheet printed or saved goes into "What I shared" (not the recovery sheet: it
        holds no medical information and is for the user alone)."""
        from app.export.share import log_sheet

        which = str(self.which.currentData())
        if which == RECOVERY:
            return
        log_sheet(
            self.binder,
            self.person.id,
            which,
            pdf,
            for_doctor=self.for_doctor.text().strip(),
            redaction=self.leave_out.redaction(),
            target=target,
        )
