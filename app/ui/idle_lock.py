"""Locking the window: now (Ctrl+L) or after some idle minutes (optional, off by default).

While locked, the records are taken out of the window and the menus are disabled; the
recovery passphrase, or this computer's keyring, brings them back. The binder stays open
underneath, so nothing being saved is interrupted.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QSettings, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.progress import CancelFlag, Progress
from app.ui.jobs import run_job
from app.ui.look import heading, paragraph
from app.vault.binder import Binder

MINUTES = "lock/minutes"
_ACTIVITY = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
}


def lock_minutes(settings: QSettings) -> int:
    value = settings.value(MINUTES, 0)
    return int(value) if isinstance(value, (int, str)) and str(value).isdigit() else 0


class IdleWatcher(QObject):
    """Emits `idle` once the user has done nothing for the chosen minutes."""

    idle = Signal()

    def __init__(self, settings: QSettings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.last_activity = time.monotonic()
        self._timer = QTimer(self)
        self._timer.setInterval(15_000)
        self._timer.timeout.connect(self.check)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self._timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY:
            self.last_activity = time.monotonic()
        return False

    def check(self, now: float | None = None) -> bool:
        minutes = lock_minutes(self.settings)
        moment = time.monotonic() if now is None else now
        if minutes and moment - self.last_activity >= minutes * 60:
            self.last_activity = moment
            self.idle.emit()
            return True
        return False


class LockPanel(QWidget):
    """What the window shows while locked."""

    unlocked = Signal()

    def __init__(self, binder: Binder, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.binder = binder
        self.setAccessibleName("CareBinder is locked")
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName("Recovery passphrase")
        self.passphrase.returnPressed.connect(self.try_passphrase)
        self.unlock_button = QPushButton("Unlock")
        self.unlock_button.clicked.connect(self.try_passphrase)
        self.keyring_button = QPushButton("Unlock without the passphrase")
        self.keyring_button.setToolTip("This computer keeps CareBinder's key and gives it back")
        self.keyring_button.clicked.connect(self.try_keyring)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Message")
        row = QHBoxLayout()
        row.addWidget(self.passphrase, 1)
        row.addWidget(self.unlock_button)
        inner = QVBoxLayout()
        inner.addWidget(heading("CareBinder is locked"))
        inner.addWidget(
            paragraph("Your records are hidden. Type the recovery passphrase to see them again.")
        )
        inner.addLayout(row)
        inner.addWidget(self.keyring_button)
        inner.addWidget(self.message)
        holder = QWidget()
        holder.setLayout(inner)
        holder.setMaximumWidth(560)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        centred = QHBoxLayout()
        centred.addStretch(1)
        centred.addWidget(holder, 4)
        centred.addStretch(1)
        outer.addLayout(centred)
        outer.addStretch(2)

    def _check(self, work: Callable[[Progress, CancelFlag], bool], refused: str) -> None:
        self.unlock_button.setEnabled(False)
        self.message.setText("Checking...")

        def done(ok: object) -> None:
            self.unlock_button.setEnabled(True)
            if ok:
                self.passphrase.clear()
                self.message.clear()
                self.unlocked.emit()
            else:
                self.message.setText(refused)

        run_job(work, on_done=done, on_error=lambda exc: done(False))

    def try_passphrase(self) -> None:
        from app.vault.errors import WrongPassphrase

        typed, keyfile = self.passphrase.text(), self.binder.keyfile

        def work(progress: Progress, cancel: CancelFlag) -> bool:
            try:
                return keyfile.matches(keyfile.unwrap(typed))
            except WrongPassphrase:
                return False

        self._check(work, "That is not the recovery passphrase.")

    def try_keyring(self) -> None:
        from app.vault.unlock import key_from_keyring

        data_dir = self.binder.data_dir

        def work(progress: Progress, cancel: CancelFlag) -> bool:
            return key_from_keyring(data_dir).key is not None

        self._check(work, "This computer did not give the key back: type the passphrase instead.")
