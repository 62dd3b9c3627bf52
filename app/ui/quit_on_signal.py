"""SIGTERM (a logout, a shutdown, `kill`) and SIGINT close the window as a normal quit does.

Python runs a signal handler only between bytecodes, and while Qt's event loop waits in C++
it runs none; Qt itself must never be called from inside a handler. So the C-level handler
only writes a byte to a socket (`signal.set_wakeup_fd`), a `QSocketNotifier` wakes the event
loop, and the quit happens there, on the UI thread: every window gets its close event (the
main window waits for its jobs, so no write is cut), the event loop ends, and `run()` closes
the binder and removes a demo's temp folder as after any quit.
"""

from __future__ import annotations

import contextlib
import signal
import socket

from PySide6.QtCore import QObject, QSocketNotifier
from PySide6.QtWidgets import QApplication

SIGNALS = (signal.SIGTERM, signal.SIGINT)


class QuitOnSignal(QObject):
    """Installed once for the application; `received` tells whether a signal asked to quit."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.received: int | None = None
        self._reader, self._writer = socket.socketpair()
        for end in (self._reader, self._writer):
            end.setblocking(False)
        self._previous_fd = signal.set_wakeup_fd(self._writer.fileno())
        self._previous = {sig: signal.signal(sig, self._note) for sig in SIGNALS}
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._woken)

    def _note(self, number: int, _frame: object) -> None:
        # Runs in Python, between two bytecodes of the UI thread: note it, and no more.
        self.received = number

    def _woken(self) -> None:
        # The wakeup byte is the signal's number: no need to wait for `_note` to have run.
        numbers = b""
        with contextlib.suppress(BlockingIOError, InterruptedError):
            while chunk := self._reader.recv(64):
                numbers += chunk
        asked = [n for n in numbers if n in {int(s) for s in SIGNALS}]
        if asked:
            self.received = asked[0]
            quit_as_a_user_would()

    def uninstall(self) -> None:
        self._notifier.setEnabled(False)
        signal.set_wakeup_fd(self._previous_fd)
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)
        self._reader.close()
        self._writer.close()


def quit_as_a_user_would() -> None:
    """Close every window (dialogs are answered "Cancel"), then leave the event loop."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    for widget in QApplication.topLevelWidgets():
        if widget.isVisible() and hasattr(widget, "reject"):
            widget.reject()  # a dialog's own event loop (exec) ends here
    QApplication.closeAllWindows()
    app.quit()


def quit_on_signals(app: QApplication) -> QuitOnSignal:
    return QuitOnSignal(app)
