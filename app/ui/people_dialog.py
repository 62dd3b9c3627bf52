"""Adding a person: a name and, if known, a date of birth."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.records.date_input import DateUse
from app.records.errors import RecordsError
from app.records.models import Person
from app.records.people import add_person
from app.ui.date_field import DateField
from app.ui.look import paragraph
from app.vault.binder import Binder


class AddPersonDialog(QDialog):
    def __init__(self, binder: Binder, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.binder = binder
        self.person: Person | None = None
        self.setWindowTitle("Add a person")
        self.name = QLineEdit()
        self.name.setAccessibleName("Name")
        self.born = DateField("Date of birth", DateUse.BIRTH)
        self.problem = QLabel("")
        self.problem.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Name:", self.name)
        form.addRow("Date of birth:", self.born)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Add")
        buttons.accepted.connect(self.add)
        buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addWidget(paragraph("Keep the records of someone you care for in the same binder."))
        box.addLayout(form)
        box.addWidget(self.problem)
        box.addWidget(buttons)

    def add(self) -> None:
        try:
            self.person = add_person(self.binder, self.name.text(), self.born.value())
        except (RecordsError, ValueError) as exc:
            self.problem.setText(str(exc))
            return
        self.accept()
