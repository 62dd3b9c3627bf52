"""Opening an existing binder: the keyring first, the recovery passphrase when it cannot.

The keyring call (which may wait on D-Bus or an unlock prompt) and the passphrase check
(Argon2id, a fraction of a second) run on a worker while the dialog says "Opening your
binder...". Only the key comes back; the binder itself is opened on the UI thread, which
then owns its database connection (see app/ui/jobs.py). Nothing here makes a new key.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.ui.jobs import run_job
from app.ui.look import heading, paragraph
from app.vault.binder import Binder, load_keyfile
from app.vault.errors import VaultError, WrongPassphrase
from app.vault.unlock import key_from_keyring


class UnlockDialog(QDialog):
    """`exec()` returns Accepted with `binder` open, or Rejected when the user quits."""

    def __init__(
        self,
        data_dir: Path,
        passphrase: str | None = None,
        try_keyring: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self.binder: Binder | None = None
        self.setWindowTitle("Open your binder")
        self.title = heading("Opening your binder...", 1.3)
        self.explain = paragraph("")
        self.explain.setAccessibleName("Why the passphrase is needed")
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.setAccessibleName("Opening your binder")
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName("Recovery passphrase")
        self.passphrase.returnPressed.connect(self.try_passphrase)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Message")
        # Room for two lines kept from the start, so a message never squeezes into one.
        self.message.setMinimumHeight(self.message.fontMetrics().lineSpacing() * 2 + 4)
        self.form = QWidget()
        form = QFormLayout(self.form)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Recovery passphrase:", self.passphrase)
        self.buttons = QDialogButtonBox()
        self.open_button = QPushButton("Open")
        self.open_button.setDefault(True)
        self.open_button.setAccessibleName("Open the binder")
        self.open_button.clicked.connect(self.try_passphrase)
        self.buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.AcceptRole)
        quit_button = self.buttons.addButton("Quit", QDialogButtonBox.ButtonRole.RejectRole)
        quit_button.setAccessibleName("Quit CareBinder")
        quit_button.clicked.connect(self.reject)
        box = QVBoxLayout(self)
        box.setSpacing(12)
        box.addWidget(self.title)
        box.addWidget(self.explain)
        box.addWidget(self.busy)
        box.addWidget(self.form)
        box.addWidget(self.message)
        box.addStretch(1)
        box.addWidget(self.buttons)
        self.resize(560, 300)
        self._working(True)
        self.form.setVisible(passphrase is not None)
        if passphrase is not None:
            self.passphrase.setText(passphrase)
            self.try_passphrase()
        elif try_keyring:
            run_job(
                lambda progress, cancel: key_from_keyring(data_dir),
                on_done=self._keyring,
                on_error=self._failed,
            )
        else:
            self.ask("")

    def _working(self, working: bool) -> None:
        self.busy.setVisible(working)
        self.form.setEnabled(not working)
        self.open_button.setEnabled(not working)

    def _keyring(self, found: object) -> None:
        key = getattr(found, "key", None)
        if key is not None and self._open(key):
            return
        self.ask(getattr(found, "problem", None) or "")

    def ask(self, reason: str) -> None:
        """Show the passphrase field, saying why the keyring could not help."""
        self.title.setText("Type your recovery passphrase")
        why = f"CareBinder could not get the key from this computer's keyring: {reason}. "
        self.explain.setText(
            (why if reason else "")
            + "Type the recovery passphrase you chose when you created this binder."
        )
        self._working(False)
        self.form.show()
        self.passphrase.setFocus()

    def try_passphrase(self) -> None:
        text = self.passphrase.text()
        if not text:
            self.message.setText("Type the recovery passphrase first.")
            return
        self.message.setText("Checking the passphrase...")
        self._working(True)
        run_job(
            lambda progress, cancel: load_keyfile(self.data_dir).unwrap(text),
            on_done=self._unwrapped,
            on_error=self._failed,
        )

    def _unwrapped(self, key: object) -> None:
        if not isinstance(key, bytes) or not self._open(key):
            return
        binder = self.binder
        if binder is not None:
            # So that the next start on this computer needs no passphrase (never blocking).
            # If the keyring refuses, nothing is lost: the passphrase keeps working.
            run_job(lambda progress, cancel: binder.remember_key(), on_error=lambda exc: None)

    def _failed(self, exc: Exception) -> None:
        self._working(False)
        self.form.show()
        if isinstance(exc, WrongPassphrase):
            self.message.setText(
                "That passphrase does not open this binder. Check for typing mistakes and "
                "Caps Lock, and try again."
            )
        elif isinstance(exc, VaultError):
            self.message.setText(str(exc))
        else:
            self.message.setText(f"The binder could not be opened ({exc}).")
        self.passphrase.selectAll()
        self.passphrase.setFocus()

    def _open(self, key: bytes) -> bool:
        try:
            self.binder = Binder.open(self.data_dir, key)
        except VaultError as exc:
            self._failed(exc)
            return False
        self.message.setText("")
        self.accept()
        return True
