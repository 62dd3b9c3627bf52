"""What to leave out for this doctor: ticks for insurance numbers, ID numbers, addresses,
and each note that would go into the sheets. Used by the export and print dialogs."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.export.redaction import NoteChoice, Redaction


class RedactionChoices(QWidget):
    changed = Signal()

    def __init__(self, notes: list[NoteChoice], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("What to leave out")
        self.insurance_ids = QCheckBox("Insurance numbers (member, group and approval numbers)")
        self.id_numbers = QCheckBox("Social security and other ID numbers written in the summary")
        self.addresses = QCheckBox(
            "Home addresses (yours and your family's; hospitals and clinics stay)"
        )
        self.notes = QListWidget()
        self.notes.setAccessibleName("Notes to leave out")
        for note in notes:
            text = " ".join(note.text.split())
            short = text if len(text) <= 60 else text[:57] + "..."
            item = QListWidgetItem(f"{note.label}: “{short}”")
            item.setToolTip(text)
            item.setData(Qt.ItemDataRole.UserRole, note.key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.notes.addItem(item)
        self.notes.setWordWrap(True)
        self.notes.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.notes.setMaximumHeight(96)
        # Extra height in a dialog goes elsewhere, not into gaps between the ticks.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        hint = QLabel("Left-out words show as [withheld]. Your original files are never changed.")
        hint.setWordWrap(True)
        for widget in (self.insurance_ids, self.id_numbers, self.addresses):
            box.addWidget(widget)
        if notes:
            box.addWidget(QLabel("Notes to leave out:"))
            box.addWidget(self.notes)
        else:
            self.notes.hide()
        box.addWidget(hint)
        for check in (self.insurance_ids, self.id_numbers, self.addresses):
            check.toggled.connect(lambda _on: self.changed.emit())
        self.notes.itemChanged.connect(lambda _item: self.changed.emit())

    def redaction(self) -> Redaction:
        chosen = tuple(
            str(self.notes.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.notes.count())
            if self.notes.item(i).checkState() == Qt.CheckState.Checked
        )
        return Redaction(
            insurance_ids=self.insurance_ids.isChecked(),
            id_numbers=self.id_numbers.isChecked(),
            addresses=self.addresses.isChecked(),
            notes=chosen,
        )

    def set_redaction(self, redaction: Redaction) -> None:
        self.insurance_ids.setChecked(redaction.insurance_ids)
        self.id_numbers.setChecked(redaction.id_numbers)
        self.addresses.setChecked(redaction.addresses)
        for i in range(self.notes.count()):
            item = self.notes.item(i)
            on = item.data(Qt.ItemDataRole.UserRole) in redaction.notes
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
