"""Small widgets the medications, care team and appointments pages share."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QComboBox, QLabel, QWidget

from app.records.care_team import list_doctors
from app.vault.binder import Binder


class DoctorChoice(QComboBox):
    """One of the person's care team, or nobody."""

    def __init__(
        self,
        binder: Binder,
        person_id: int,
        nobody: str = "Nobody named",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.addItem(nobody, None)
        for doctor in list_doctors(binder, person_id):
            label = doctor.name + (f" ({doctor.specialty})" if doctor.specialty else "")
            self.addItem(label, doctor.id)
        self.setMinimumContentsLength(24)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)

    def doctor_id(self) -> int | None:
        value = self.currentData()
        return value if isinstance(value, int) else None

    def choose(self, doctor_id: int | None) -> None:
        self.setCurrentIndex(max(0, self.findData(doctor_id)))


class Problem(QLabel):
    """Why a value was not saved, shown beside the form in plain words."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setAccessibleName("Problem with a value")
        font = self.font()
        font.setBold(True)
        self.setFont(font)
        self.hide()

    def say(self, text: str) -> None:
        self.setText(text)
        self.setVisible(bool(text))


def debounced(parent: QWidget, action: Callable[[], None], delay_ms: int = 800) -> QTimer:
    """A single-shot timer that runs `action` after a pause in typing (restart it at each
    key): what saves an answer or the visit notes as the user works."""
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(delay_ms)
    timer.timeout.connect(action)
    return timer
