"""The readiness checklist of the second-opinion workspace: one calm row per thing the doctor
needs, each with a symbol and a word (never colour alone), the documents named, and what to
do next when something is still missing.

The rows only show a Readiness (app.records.readiness); what a button asks for is passed up
by signals, so the page does the saving.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.records.readiness import ChecklistItem, ItemState, Readiness
from app.ui.care_widgets import Problem
from app.ui.care_words import partial_date
from app.ui.look import paragraph

# A symbol and a word for each state: the word carries the meaning, the symbol helps scanning.
STATE_LOOK = {
    ItemState.PRESENT: ("✓", "Ready"),
    ItemState.REQUESTED: ("◷", "Asked for"),
    ItemState.NOT_APPLICABLE: ("—", "Not needed"),
    ItemState.MISSING: ("○", "Still to get"),
}
# Lines a records department can send; the others are made by the person in CareBinder.
REQUESTABLE = (
    "pathology", "operative", "discharge", "treatment_plan", "tests", "slides", "imaging_disc",
)  # fmt: skip


def documents_words(item: ChecklistItem) -> str:
    if not item.documents:
        return ""
    names = [f"{d.title} ({partial_date(d.date)})" if d.date else d.title for d in item.documents]
    return "In the binder: " + "; ".join(names)


class ChecklistRow(QFrame):
    not_applicable_requested = Signal(str)
    undo_requested = Signal(str)
    request_requested = Signal(str)

    def __init__(self, item: ChecklistItem, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item = item
        self.setFrameShape(QFrame.Shape.StyledPanel)
        symbol_text, word = STATE_LOOK[item.state]
        self.setAccessibleName(f"{item.label}: {word}")
        self.symbol = QLabel(symbol_text)
        font = QFont(self.symbol.font())
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.symbol.setFont(font)
        self.symbol.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.symbol.setMinimumWidth(self.symbol.fontMetrics().horizontalAdvance("MM"))
        self.symbol.setAccessibleName(word)
        self.state_word = QLabel(word)
        self.state_word.setAccessibleName(f"State: {word}")
        self.title = QLabel(item.label)
        title_font = QFont(self.title.font())
        title_font.setBold(True)
        title_font.setPointSizeF(title_font.pointSizeF() * 1.1)
        self.title.setFont(title_font)
        self.title.setWordWrap(True)
        self.title.setAccessibleName(item.label)
        self.detail = paragraph(self._detail_text())
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        grid = QGridLayout(self)
        grid.setContentsMargins(10, 8, 10, 8)
        grid.setHorizontalSpacing(12)
        grid.addWidget(self.symbol, 0, 0, 2, 1)
        heading_row = QHBoxLayout()
        heading_row.addWidget(self.title, 1)
        heading_row.addWidget(self.state_word)
        grid.addLayout(heading_row, 0, 1)
        grid.addWidget(self.detail, 1, 1)
        grid.setColumnStretch(1, 1)

        buttons = QVBoxLayout()
        buttons.setSpacing(4)
        self.buttons: dict[str, QPushButton] = {}
        if item.state is ItemState.NOT_APPLICABLE:
            self._button(buttons, "undo", "Undo", f"Undo: {item.label} is needed after all")
        else:
            if item.state is ItemState.MISSING and item.key in REQUESTABLE:
                self._button(
                    buttons, "request", "Ask for it...", f"Add a records request for {item.label}"
                )
            if item.state is not ItemState.PRESENT:
                self._button(
                    buttons,
                    "not_applicable",
                    "Not applicable...",
                    f"Mark {item.label} as not applicable, with a reason",
                )
        buttons.addStretch(1)
        grid.addLayout(buttons, 0, 2, 2, 1)

    def _detail_text(self) -> str:
        item = self.item
        if item.state is ItemState.PRESENT and item.documents and item.key != "medications":
            return documents_words(item)  # the detail names the documents already
        named = documents_words(item)
        return f"{item.detail}\n{named}" if named else item.detail

    def _button(self, column: QVBoxLayout, key: str, text: str, name: str) -> None:
        button = QPushButton(text)
        button.setAccessibleName(name)
        signal = {
            "undo": self.undo_requested,
            "request": self.request_requested,
            "not_applicable": self.not_applicable_requested,
        }[key]
        button.clicked.connect(lambda: signal.emit(self.item.key))
        self.buttons[key] = button
        column.addWidget(button)


class ChecklistView(QWidget):
    """Every line of the checklist, in the order a doctor's office lists them."""

    not_applicable_requested = Signal(str)
    undo_requested = Signal(str)
    request_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Checklist for the second opinion")
        self.rows: dict[str, ChecklistRow] = {}
        self.column = QVBoxLayout(self)
        self.column.setSpacing(8)
        self.column.addStretch(1)

    def show_readiness(self, ready: Readiness) -> None:
        for row in self.rows.values():
            self.column.removeWidget(row)
            row.hide()  # deleted later; hidden now so an old row is never drawn over a new one
            row.deleteLater()
        self.rows = {}
        for position, item in enumerate(ready.items):
            row = ChecklistRow(item)
            row.not_applicable_requested.connect(self.not_applicable_requested)
            row.undo_requested.connect(self.undo_requested)
            row.request_requested.connect(self.request_requested)
            self.column.insertWidget(position, row)
            self.rows[item.key] = row


class ReasonDialog(QDialog):
    """Why a line of the checklist does not apply ("No surgery, so no operative report")."""

    def __init__(self, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Not applicable")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.reason = QLineEdit()
        self.reason.setAccessibleName("Why it does not apply")
        self.reason.setPlaceholderText("for example: no surgery so far")
        self.problem = Problem()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("Mark not applicable")
        self.save_button.setAccessibleName("Mark not applicable")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel")
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addWidget(paragraph(f"“{label}” does not apply. Say why, so you remember later:"))
        box.addWidget(self.reason)
        box.addWidget(self.problem)
        box.addWidget(buttons)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * 36)

    def _check(self) -> None:
        if not self.reason.text().strip():
            self.problem.say("Say why it does not apply (for example: no surgery yet).")
            return
        self.accept()
