"""Keeping the binder safe from the window: back up, restore, change the passphrase,
forget this computer, and the files kept aside (the quarantine). The work itself is
app.vault's and app.records'; backup, restore and bringing files back run on a worker with
a progress dialog and Cancel."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
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


class QuarantineDialog(QDialog):
    """The files kept aside: what they are, in plain words, and the two choices (keep them
    aside, or bring them back as documents of a person)."""

    def __init__(self, binder: Binder, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from app.records.people import list_people

        self.binder = binder
        self.results: list[object] | None = None
        self.setWindowTitle("Files kept aside")
        count = len(binder.quarantined())
        one = count == 1
        found = "a stored file" if one else f"{count} stored files"
        them, are = ("it", "it is") if one else ("them", "they are")
        self.explanation = paragraph(
            f"CareBinder found {found} that no document in this binder names. This happens "
            "when the binder's database was put back from an older copy: a synced folder, or "
            f"a copy made by hand. Nothing was deleted: {are} kept aside, still encrypted, "
            f"and every backup keeps {them} too.\n\nYou can bring {them} back as "
            f"{'a document' if one else 'documents'}. "
            f"{'Its title and date were' if one else 'Their titles and dates were'} in the "
            f"older database, so look at {'it' if one else 'each one'} afterwards."
        )
        self.files = QListWidget()
        self.files.setAccessibleName("Files kept aside")
        self.person = QComboBox()
        self.person.setAccessibleName("Whose documents they become")
        for person in list_people(binder):
            self.person.addItem(person.name, person.id)
        self.message = QLabel("Looking at the files...")
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Message")
        form = QFormLayout()
        form.addRow(
            f"{'It becomes a document' if one else 'They become documents'} of:", self.person
        )
        buttons = QDialogButtonBox()
        self.keep_button = buttons.addButton(
            f"Keep {them} aside", QDialogButtonBox.ButtonRole.RejectRole
        )
        self.bring_button = buttons.addButton(
            f"Bring {them} back as {'a document' if one else 'documents'}",
            QDialogButtonBox.ButtonRole.AcceptRole,
        )
        self.bring_button.setEnabled(False)
        self.keep_button.clicked.connect(self.keep)
        self.bring_button.clicked.connect(self.bring_back)
        box = QVBoxLayout(self)
        box.addWidget(self.explanation)
        box.addWidget(self.files, 1)
        box.addLayout(form)
        box.addWidget(self.message)
        box.addWidget(buttons)
        self.resize(620, 360)
        self._look()

    def _look(self) -> None:
        """Which files open with this binder's key: each is decrypted, so on a worker."""
        from app.vault import quarantine

        binder = self.binder

        def done(found: object) -> None:
            assert isinstance(found, list)
            self.files.clear()
            readable = 0
            for number, item in enumerate(found, 1):
                size = f"{max(1, item.size // 1024)} KB"
                if item.readable:
                    readable += 1
                    self.files.addItem(f"File {number} ({size}): can be brought back")
                else:
                    self.files.addItem(
                        f"File {number} ({size}): does not open with this binder's key "
                        "(another binder's file, or damaged); it stays aside"
                    )
            self.bring_button.setEnabled(readable > 0 and self.person.count() > 0)
            self.message.setText("" if readable else "None of them can be brought back here.")

        run_job(
            lambda progress, cancel: quarantine.describe(binder.files, binder.quarantine_dir),
            on_done=done,
            on_error=lambda exc: self.message.setText(f"The files could not be read: {exc}"),
        )

    def keep(self) -> None:
        from app.records.quarantined import mark_seen

        mark_seen(self.binder)
        self.reject()

    def bring_back(self) -> None:
        from app.records.quarantined import bring_back

        person_id = int(self.person.currentData())
        binder = self.binder
        self.bring_button.setEnabled(False)
        self.keep_button.setEnabled(False)

        def work(progress: Progress, cancel: CancelFlag) -> list[object]:
            with on_this_thread(binder) as view:
                return list(bring_back(view, person_id, progress=progress, cancel=cancel))

        def done(results: object) -> None:
            assert isinstance(results, list)
            self.results = results
            back = sum(1 for r in results if r.document is not None)
            left = len(binder.quarantined())
            said = f"{back} document{'s' if back != 1 else ''} brought back."
            if left:
                said += f" {left} file{'s' if left != 1 else ''} stay aside."
            self.message.setText(said)
            self.accept()

        def failed(exc: Exception) -> None:
            self.keep_button.setEnabled(True)
            self.message.setText(f"Nothing more was brought back: {exc}")

        run_with_progress(self, "Bringing files back", work, done, failed)


def offer_quarantine(parent: QWidget, binder: Binder) -> QuarantineDialog | None:
    """At start: when files were put aside that the user was not told about, say so once."""
    from app.records.quarantined import unseen

    if not unseen(binder):
        return None
    dialog = QuarantineDialog(binder, parent)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.show()
    return dialog
