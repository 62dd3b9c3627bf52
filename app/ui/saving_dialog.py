"""A form with Save/Cancel that stays open, saying why, while the binder refuses a value; when
it edits a record that may be removed, a Remove... button that asks first."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.records.errors import RecordsError
from app.ui.care_widgets import Problem


class SavingDialog(QDialog):
    """Subclasses fill `self.form` and implement `work()`, which saves and returns the
    record; `saved` carries it and `saved_record` keeps it."""

    saved = Signal(object)
    removed = Signal(object)

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
        self.confirm: QMessageBox | None = None
        self.remove_button: QPushButton | None = None
        self._removal: tuple[object, str, str, str] = (None, "", "", "")

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

    def offer_removal(self, record: object, noun: str, name: str, consequence: str) -> None:
        """A Remove... button for `record`, left of Save and Cancel and apart from them:
        removing is not the usual way out. `remove_record` does the removing."""
        self._removal = (record, noun, name, consequence)
        self.remove_button = QPushButton("Remove...")
        self.remove_button.setAccessibleName(f"Remove this {noun}")
        self.remove_button.clicked.connect(self.ask_to_remove)
        box = self.layout()
        assert isinstance(box, QVBoxLayout)
        box.removeWidget(self.buttons)
        row = QHBoxLayout()
        row.addWidget(self.remove_button)
        row.addStretch(1)
        row.addWidget(self.buttons)
        box.addLayout(row)

    def remove_record(self) -> None:
        raise NotImplementedError

    def ask_to_remove(self) -> QMessageBox | None:
        """A question first: removing cannot be undone."""
        record, noun, name, consequence = self._removal
        if record is None:
            return None
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(f"Remove this {noun}?")
        box.setText(f"Remove “{name}” from the {noun} list?")
        box.setInformativeText(consequence)
        remove = box.addButton("Remove", QMessageBox.ButtonRole.DestructiveRole)
        remove.setAccessibleName(f"Yes, remove {name}")
        keep = box.addButton("Keep it", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.buttonClicked.connect(lambda button: self._answered(button is remove))
        self.confirm = box
        box.open()
        return box

    def _answered(self, remove: bool) -> None:
        self.confirm = None
        record = self._removal[0]
        if not remove or record is None:
            return
        try:
            self.remove_record()
        except RecordsError as exc:
            self.problem.say(str(exc))
            return
        self.removed.emit(record)
        self.reject()
