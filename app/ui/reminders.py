"""Reminders while CareBinder runs: a gentle message before each appointment.

Each appointment's reminder (e.g. "the day before") is shown once per run, in the window's
status line and, where the desktop has one, as a tray notification. Calendar files exported
with alarms remind the person even when CareBinder is closed.
"""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QSystemTrayIcon, QWidget

from app.records.appointments import due_reminders
from app.records.people import list_people
from app.vault.binder import Binder

CHECK_EVERY_MS = 60_000


def reminder_text(person: str, purpose: str, doctor: str | None, when: datetime) -> str:
    who = f" with {doctor}" if doctor else ""
    what = purpose or "Appointment"
    return f"Reminder for {person}: {what}{who}, {when:%A %d %B at %H:%M}."


class ReminderWatcher(QObject):
    reminder = Signal(str)

    def __init__(self, binder: Binder, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.binder = binder
        self._shown: set[int] = set()
        self._stopped = False
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_EVERY_MS)
        self._timer.timeout.connect(self.check)
        self._tray: QSystemTrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable() and parent is not None:
            self._tray = QSystemTrayIcon(parent.windowIcon(), self)
            self._tray.setToolTip("CareBinder")

    def start(self) -> None:
        self._timer.start()
        QTimer.singleShot(0, self.check)

    def stop(self) -> None:
        """The window is closing and the binder closes next: no more checks, not even the
        first one `start` queued."""
        self._timer.stop()
        self._stopped = True

    def check(self, now: datetime | None = None) -> list[str]:
        """Emit each reminder that has come due and was not shown yet; returns them."""
        if self._stopped:
            return []
        moment = now or datetime.now(UTC)
        messages = []
        for person in list_people(self.binder):
            for appointment in due_reminders(self.binder, person.id, moment):
                if appointment.id in self._shown:
                    continue
                self._shown.add(appointment.id)
                text = reminder_text(
                    person.name, appointment.purpose, appointment.doctor, appointment.local_start
                )
                messages.append(text)
                self.reminder.emit(text)
                if self._tray is not None:
                    self._tray.show()
                    self._tray.showMessage("CareBinder", text)
        return messages
