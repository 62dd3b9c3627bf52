"""A form with Save/Cancel that stays open, saying why, while the binder refuses a value."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QVBoxLayout, QWidget

from app.records.errors import RecordsError
from app.ui.care_widgets import Problem


class SavingDialog(QDialog):
    """Subclasses fill `self.form` and implement `work()`, which saves and returns the
    record; `saved` carries it and `saved_record` keeps it."""

    saved = Signal(object)

    def __init__(
        self,
        title: str,
        save_text: str,
        parent: QWidget | None,
        save_name: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.form = QFormLayout()
        self.problem = Problem()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(save_text)
        self.save_button.setAccessibleName(save_name or save_text)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addLayout(self.form)
        box.addWidget(self.problem)
        box.addWidget(self.buttons)
        self.saved_record: object | None = None

    def work(self) -> object:
        raise NotImplementedError

    def save(self) -> None:
        try:
            record = self.work()
        except (RecordsError, ValueError) as exc:
            self.problem.say(str(exc))
            return
        self.saved_record = record
        self.problem.say("")
        self.saved.emit(record)
        self.accept()
