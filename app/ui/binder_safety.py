"""Keeping the binder safe from the window: back up, restore, change the passphrase,
forget this computer. The work itself is app.vault's; backup and restore run on a worker
with a progress dialog and Cancel."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.progress import CancelFlag, Progress
from app.records.thread_binder import on_this_thread
from app.ui.jobs import Job, run_job
from app.ui.look import paragraph
from app.vault.binder import Binder


def run_with_progress(
    parent: QWidget,
    title: str,
    work: Callable[[Progress, CancelFlag], object],
    on_done: Callable[[object], None],
    on_error: Callable[[Exception], None],
) -> Job:
    """Run `work` on a worker behind a progress dialog whose Cancel stops it."""
    dialog = QProgressDialog(title, "Cancel", 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)

    def progress(done: int, total: int, _label: str) -> None:
        dialog.setMaximum(max(total, 1))
        dialog.setValue(done)

    def closed() -> None:
        dialog.close()

    def finished(callback: Callable[[object], None], value: object) -> None:
        dialog.close()
        callback(value)

    job = run_job(
        work,
        on_done=lambda result: finished(on_done, result),
        on_error=lambda exc: finished(on_error, exc),  # type: ignore[arg-type]
        on_progress=progress,
        on_cancelled=closed,
    )
    dialog.canceled.connect(job.cancel)
    dialog.show()
    return job


def back_up(parent: QWidget, binder: Binder, say: Callable[[str], None]) -> Job | None:
    from app.vault.backup import SUFFIX, backup_name

    target, _ = QFileDialog.getSaveFileName(
        parent,
        "Back up the binder",
        str(Path.home() / backup_name()),
        f"CareBinder backups (*{SUFFIX})",
    )
    if not target:
        return None
    path = Path(target if target.endswith(SUFFIX) else target + SUFFIX)
    return start_backup(parent, binder, path, say)


def start_backup(parent: QWidget, binder: Binder, path: Path, say: Callable[[str], None]) -> Job:
    from app.vault.backup import BackupReport, backup

    def work(progress: Progress, cancel: CancelFlag) -> BackupReport:
        with on_this_thread(binder) as view:
            return backup(view, path, progress=progress, cancel=cancel)

    def done(report: object) -> None:
        assert isinstance(report, BackupReport)
        say(
            f"Backed up to {report.path}. It opens only with your recovery passphrase; keep "
            "it on another disk."
        )

    return run_with_progress(
        parent, "Backing up your binder", work, done, lambda exc: say(f"Not backed up: {exc}")
    )


class RestoreDialog(QDialog):
    """Restore a backup into the data dir (a new computer, or a binder that was lost)."""

    def __init__(self, data_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self.binder: Binder | None = None
        self.setWindowTitle("Restore from a backup")
        self.file = QLineEdit()
        self.file.setAccessibleName("Backup file")
        self.file.setPlaceholderText("CareBinder backup ....cbbackup")
        choose = QPushButton("Choose...")
        choose.setAccessibleName("Choose the backup file")
        choose.clicked.connect(self._choose)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName("Recovery passphrase of the backup")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Message")
        row = QHBoxLayout()
        row.addWidget(self.file, 1)
        row.addWidget(choose)
        form = QFormLayout()
        form.addRow("Backup file:", row)
        form.addRow("Recovery passphrase:", self.passphrase)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.restore_button = buttons.addButton("Restore", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.start)
        buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addWidget(
            paragraph(
                "Choose a backup made with CareBinder and type the recovery passphrase it was "
                "made with. The backup is checked before anything is put in place."
            )
        )
        box.addLayout(form)
        box.addWidget(self.message)
        box.addWidget(buttons)
        self.resize(560, 240)

    def _choose(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Choose a backup", str(Path.home()), "CareBinder backups (*.cbbackup)"
        )
        if path:
            self.file.setText(path)

    def start(self) -> None:
        from app.vault.backup import restore
        from app.vault.unlock import open_with_passphrase

        source, passphrase = Path(self.file.text().strip()), self.passphrase.text()
        if not source.is_file():
            self.message.setText("Choose the backup file first.")
            return
        self.restore_button.setEnabled(False)
        self.message.setText("Restoring and checking every file...")

        def work(progress: Progress, cancel: CancelFlag) -> None:
            restore(source, self.data_dir, passphrase, progress, cancel)

        def done(_result: object) -> None:
            self.binder = open_with_passphrase(self.data_dir, passphrase)
            self.accept()

        def failed(exc: Exception) -> None:
            self.restore_button.setEnabled(True)
            self.message.setText(f"Nothing was restored: {exc}")

        run_with_progress(self, "Restoring your binder", work, done, failed)


class ChangePassphraseDialog(QDialog):
    def __init__(self, binder: Binder, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from app.vault.keys import strength_hint

        self.binder = binder
        self.setWindowTitle("Change the recovery passphrase")
        self.first = QLineEdit()
        self.second = QLineEdit()
        for field, name in ((self.first, "New passphrase"), (self.second, "The same again")):
            field.setEchoMode(QLineEdit.EchoMode.Password)
            field.setAccessibleName(name)
        self.hint = QLabel()
        self.hint.setAccessibleName("How strong the passphrase is")
        self.first.textChanged.connect(lambda text: self.hint.setText(strength_hint(text)))
        self.message = QLabel()
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow("New passphrase:", self.first)
        form.addRow("", self.hint)
        form.addRow("The same again:", self.second)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addWidget(
            paragraph(
                "Backups made before keep the passphrase they were made with. Write the new "
                "one down and keep it somewhere safe."
            )
        )
        box.addLayout(form)
        box.addWidget(self.message)
        box.addWidget(buttons)

    def save(self) -> None:
        from app.vault.keys import passphrase_problem

        problem = passphrase_problem(self.first.text())
        if problem is None and self.first.text() != self.second.text():
            problem = "The two passphrases differ."
        if problem:
            self.message.setText(problem)
            return
        self.binder.change_passphrase(self.first.text())
        self.accept()


def forget_this_computer(parent: QWidget, binder: Binder, say: Callable[[str], None]) -> None:
    from app.vault import os_keyring

    answer = QMessageBox.question(
        parent,
        "Forget this computer",
        "Stop CareBinder from opening by itself on this computer? The binder's key is "
        "removed from the computer's password store, and CareBinder will ask for the "
        "recovery passphrase every time it starts.",
    )
    if answer != QMessageBox.StandardButton.Yes:
        return

    def done(result: object) -> None:
        assert isinstance(result, os_keyring.KeyringAnswer)
        if result.ok:
            say("This computer no longer keeps the key; the passphrase will be asked.")
        else:
            say(f"The computer's password store did not remove the key: {result.problem}.")

    run_job(
        lambda progress, cancel: os_keyring.forget(binder.binder_id),
        on_done=done,
        on_error=lambda exc: say(f"The computer's password store did not answer: {exc}"),
    )
