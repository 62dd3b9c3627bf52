"""Opening an existing binder: the keyring first, the recovery passphrase when it cannot.

The keyring call (which may wait on D-Bus or an unlock prompt) and the passphrase check
(Argon2id, a fraction of a second) run on a worker while the dialog says "Opening your
binder...". Only the key comes back; the binder itself is opened on the UI thread, which
then owns its database connection (see app/ui/jobs.py). Nothing here makes a new key.

"Show the passphrase" shows what is typed; "I forgot my passphrase" turns the dialog to a
page that says plainly what can still open the binder and what cannot (FORGOT_CAN,
FORGOT_CANNOT): there is no back door, and the page does not pretend otherwise.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.ui.jobs import run_job
from app.ui.look import heading, paragraph, scrolled
from app.vault.binder import Binder, load_keyfile
from app.vault.errors import VaultError, WrongPassphrase
from app.vault.unlock import key_from_keyring

FORGOT_CAN = (
    "Try again slowly: check Caps Lock and the keyboard's language, and whether you wrote "
    "the passphrase on the recovery sheet when you made the binder.",
    "If CareBinder still opens by itself on another computer or another account of yours, "
    "open it there and choose File > Change the recovery passphrase: it sets a new one "
    "without the old. Then copy that binder here, or back it up and restore the backup "
    "here.",
    "If you changed the passphrase since, a backup made before that change opens with the "
    "old passphrase.",
)
FORGOT_CANNOT = (
    "Nobody can open the binder without its passphrase, or a computer that already keeps "
    "its key: not CareBinder, not its makers, not a computer shop. There is no back door and "
    "no reset by e-mail; that is what keeps your records private if the computer is lost.",
    "If none of the above works, the records in this binder cannot be read again. Your "
    "doctors and hospitals still have theirs: you can ask them for copies and start a new "
    "binder.",
)


def _points(lines: tuple[str, ...]) -> QLabel:
    label = paragraph("\n".join(f"•  {line}" for line in lines))
    return label


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
        self.show_box = QCheckBox("Show the passphrase")
        self.show_box.toggled.connect(
            lambda shown: self.passphrase.setEchoMode(
                QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
            )
        )
        self.forgot_button = QPushButton("I forgot my passphrase")
        self.forgot_button.setAccessibleName("I forgot my passphrase: what can be done")
        self.forgot_button.setFlat(True)
        self.forgot_button.clicked.connect(lambda: self.show_forgotten(True))
        self.forgot_button.hide()  # shown with the passphrase field, not while opening
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Message")
        # Room for two lines kept from the start, so a message never squeezes into one.
        self.message.setMinimumHeight(self.message.fontMetrics().lineSpacing() * 2 + 4)
        self.form = QWidget()
        form = QFormLayout(self.form)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Recovery passphrase:", self.passphrase)
        form.addRow("", self.show_box)
        self.buttons = QDialogButtonBox()
        self.open_button = QPushButton("Open")
        self.open_button.setDefault(True)
        self.open_button.setAccessibleName("Open the binder")
        self.open_button.clicked.connect(self.try_passphrase)
        self.buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.AcceptRole)
        quit_button = self.buttons.addButton("Quit", QDialogButtonBox.ButtonRole.RejectRole)
        quit_button.setAccessibleName("Quit CareBinder")
        quit_button.clicked.connect(self.reject)
        self.ask_page = QWidget()
        ask = QVBoxLayout(self.ask_page)
        ask.setContentsMargins(0, 0, 0, 0)
        ask.setSpacing(12)
        ask.addWidget(self.title)
        ask.addWidget(self.explain)
        ask.addWidget(self.busy)
        ask.addWidget(self.form)
        ask.addWidget(self.message)
        ask.addStretch(1)
        ask.addWidget(self.forgot_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.forgot_page = self._forgot_page()
        self.pages = QStackedWidget()
        self.pages.addWidget(self.ask_page)
        self.pages.addWidget(self.forgot_page)
        box = QVBoxLayout(self)
        box.addWidget(self.pages, 1)
        box.addWidget(self.buttons)
        self.resize(640, 440)
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

    def _forgot_page(self) -> QWidget:
        page = QWidget()
        page.setAccessibleName("If the passphrase is forgotten")
        words = QWidget()
        inner = QVBoxLayout(words)
        inner.setSpacing(10)
        inner.addWidget(heading("If the passphrase is forgotten", 1.3))
        inner.addWidget(heading("What can still open the binder", 1.05))
        inner.addWidget(_points(FORGOT_CAN))
        inner.addWidget(heading("What cannot be done", 1.05))
        inner.addWidget(_points(FORGOT_CANNOT))
        inner.addStretch(1)
        # Scrolls rather than cut a sentence off, with large text in a small dialog.
        scroll = scrolled(words)
        box = QVBoxLayout(page)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(scroll, 1)
        self.back_button = QPushButton("Back to the passphrase")
        self.back_button.clicked.connect(lambda: self.show_forgotten(False))
        box.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignLeft)
        return page

    def show_forgotten(self, shown: bool) -> None:
        """The page about a forgotten passphrase, or back to typing it."""
        self.pages.setCurrentWidget(self.forgot_page if shown else self.ask_page)
        self.open_button.setVisible(not shown)
        if shown:
            self.back_button.setFocus()
        else:
            self.passphrase.setFocus()

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
        why = "This computer did not give CareBinder the binder's key this time. "
        self.explain.setText(
            (why if reason else "")
            + "Type the recovery passphrase you chose when you created this binder."
        )
        # The technical reason, for whoever helps with the computer.
        self.explain.setToolTip(f"The system keyring: {reason}" if reason else "")
        self._working(False)
        self.form.show()
        self.forgot_button.show()
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
        self.forgot_button.show()
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
