"""Automatic backups to a folder the user chooses (an external disk, a synced folder), daily
or weekly, keeping the last few. Where and how often are this computer's settings (QSettings);
when the last good backup was made is the binder's own (app.vault.backup.last_backup)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.progress import CancelFlag, Progress
from app.records.thread_binder import on_this_thread
from app.ui.jobs import Job, run_job
from app.ui.look import paragraph
from app.vault.backup import BackupReport, backup_due, backup_to_folder, last_backup
from app.vault.binder import Binder

FOLDER, EVERY, KEEP = "backup/folder", "backup/every", "backup/keep"
CHOICES = (("off", "Off"), ("daily", "Every day"), ("weekly", "Every week"))
CHECK_EVERY_MS = 10 * 60_000


def _keep(settings: QSettings) -> int:
    value = settings.value(KEEP, 7)
    return int(value) if isinstance(value, (int, str)) and str(value).isdigit() else 7


class AutoBackupDialog(QDialog):
    def __init__(self, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle("Automatic backups")
        self.folder = QLineEdit(str(settings.value(FOLDER, "")))
        self.folder.setAccessibleName("Folder for automatic backups")
        self.folder.setPlaceholderText("a folder on an external disk, or a synced folder")
        choose = QPushButton("Choose...")
        choose.setAccessibleName("Choose the folder for automatic backups")
        choose.clicked.connect(self._choose)
        self.every = QComboBox()
        self.every.setAccessibleName("How often")
        for key, label in CHOICES:
            self.every.addItem(label, key)
        self.every.setCurrentIndex(max(0, self.every.findData(settings.value(EVERY, "off"))))
        self.keep = QSpinBox()
        self.keep.setAccessibleName("How many backups to keep")
        self.keep.setRange(1, 60)
        self.keep.setValue(_keep(settings))
        self.keep.setSuffix(" most recent")
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(choose)
        form = QFormLayout()
        form.addRow("Back up to:", row)
        form.addRow("How often:", self.every)
        form.addRow("Keep:", self.keep)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addWidget(
            paragraph(
                "While CareBinder is open, it backs up the whole binder to this folder, "
                "encrypted, and keeps the most recent backups there. A backup opens only with "
                "your recovery passphrase."
            )
        )
        box.addLayout(form)
        box.addWidget(buttons)
        self.resize(600, 220)

    def _choose(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Back up to", self.folder.text())
        if path:
            self.folder.setText(path)

    def save(self) -> None:
        self.settings.setValue(FOLDER, self.folder.text().strip())
        self.settings.setValue(EVERY, self.every.currentData())
        self.settings.setValue(KEEP, self.keep.value())
        self.accept()


class AutoBackup(QObject):
    """Checks now and then whether a backup is due, and makes it on a worker."""

    def __init__(
        self,
        binder: Binder,
        settings: QSettings,
        say: Callable[[str], None],
        on_backed_up: Callable[[], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.binder, self.settings, self.say, self.on_backed_up = (
            binder,
            settings,
            say,
            on_backed_up,
        )
        self.job: Job | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_EVERY_MS)
        self._timer.timeout.connect(self.check)

    def start(self) -> None:
        self._timer.start()
        QTimer.singleShot(60_000, self.check)

    def check(self, now: datetime | None = None) -> bool:
        """Start a backup when one is due; True when one was started."""
        if self.job is not None and not self.job.finished:
            return False
        folder = str(self.settings.value(FOLDER, "")).strip()
        every = str(self.settings.value(EVERY, "off"))
        if not folder or not backup_due(last_backup(self.binder), every, now):
            return False
        target = Path(folder)
        if not target.is_dir():
            self.say(f"Automatic backup waits: {target} is not there (is the disk plugged in?).")
            return False
        keep = _keep(self.settings)
        binder = self.binder

        def work(progress: Progress, cancel: CancelFlag) -> BackupReport:
            with on_this_thread(binder) as view:
                return backup_to_folder(view, target, keep, progress=progress, cancel=cancel)

        def done(report: object) -> None:
            assert isinstance(report, BackupReport)
            self.say(f"Automatic backup made: {report.path.name}.")
            self.on_backed_up()

        self.job = run_job(
            work, on_done=done, on_error=lambda exc: self.say(f"Automatic backup failed: {exc}")
        )
        return True
