"""Opinions side by side: one column per doctor, one row per fact, the rows where the doctors
differ marked with a symbol, bold type and the word "differs". Under each column, the
follow-up questions for that doctor, with the usual starters offered.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.records.date_display import shown_date
from app.records.errors import RecordsError
from app.records.opinions import (
    FOLLOW_UP_STARTERS,
    ComparisonRow,
    Opinion,
    add_follow_up,
    compare,
    follow_ups,
)
from app.vault.binder import Binder

DIFFERS = "≠"
NOT_SAID = "Not said"


def opinion_heading(opinion: Opinion) -> str:
    who = opinion.doctor or "A doctor"
    return f"{who}\n{shown_date(opinion.given_on)}" if opinion.given_on else who


def _label(text: str, bold: bool = False, scale: float = 1.0) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if bold or scale != 1.0:
        font = QFont(label.font())
        font.setBold(bold)
        font.setPointSizeF(font.pointSizeF() * scale)
        label.setFont(font)
    label.setAccessibleName(text)
    return label


class FollowUps(QWidget):
    """The questions for one doctor, and a way to add one."""

    added = Signal()

    def __init__(self, binder: Binder, opinion: Opinion, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.binder, self.opinion = binder, opinion
        who = opinion.doctor or "this doctor"
        self.title = _label(f"Questions for {who}", bold=True)
        self.list = _label("")
        self.list.setAccessibleName(f"Questions for {who}")
        self.question = QComboBox()
        self.question.setEditable(True)
        self.question.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.question.addItems(list(FOLLOW_UP_STARTERS))
        self.question.setCurrentIndex(-1)
        editor = self.question.lineEdit()
        assert editor is not None  # an editable combo box always has its line edit
        editor.setPlaceholderText("Write a question, or choose one")
        self.question.setAccessibleName(f"A new question for {who}")
        self.question.setMinimumContentsLength(16)
        self.question.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        editor.returnPressed.connect(self.add)
        self.add_button = QPushButton("Add the question")
        self.add_button.setAccessibleName(f"Add the question for {who}")
        self.add_button.clicked.connect(self.add)
        self.problem = _label("")
        self.problem.hide()
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.title)
        box.addWidget(self.list)
        box.addWidget(self.question)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addStretch(1)
        box.addLayout(row)
        box.addWidget(self.problem)
        self.refresh()

    def questions(self) -> list[str]:
        return [q.text for q in follow_ups(self.binder, self.opinion.id)]

    def refresh(self) -> None:
        questions = self.questions()
        self.list.setText(
            "\n".join(f"• {q}" for q in questions) if questions else "None written yet."
        )

    def add(self, text: str | None = None) -> None:
        wanted = (text if isinstance(text, str) else self.question.currentText()).strip()
        if not wanted:
            return
        try:
            add_follow_up(self.binder, self.opinion.id, wanted)
        except RecordsError as exc:
            self.problem.setText(str(exc))
            self.problem.show()
            return
        self.problem.hide()
        self.question.setCurrentIndex(-1)
        self.question.setEditText("")
        self.refresh()
        self.added.emit()


class OpinionComparison(QWidget):
    """Two or three opinions in columns (one is shown alone; a fourth is one more column)."""

    def __init__(self, binder: Binder, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.binder = binder
        self.setAccessibleName("Opinions side by side")
        self.opinions: list[Opinion] = []
        self.rows: list[ComparisonRow] = []
        self.follow_up_boxes: list[FollowUps] = []
        self.grid = QGridLayout(self)
        self.grid.setHorizontalSpacing(18)
        self.grid.setVerticalSpacing(10)

    def show_opinions(self, opinions: list[Opinion]) -> None:
        while self.grid.count():
            taken = self.grid.takeAt(0)
            widget = taken.widget() if taken is not None else None
            if widget is not None:
                widget.hide()  # deleted later; hidden now so it is never drawn over the new
                widget.deleteLater()
        self.opinions = list(opinions)
        self.rows = compare(self.opinions) if opinions else []
        self.follow_up_boxes = []
        if not opinions:
            return
        self.grid.addWidget(_label(""), 0, 0)
        for column, opinion in enumerate(opinions, start=1):
            self.grid.addWidget(_label(opinion_heading(opinion), bold=True, scale=1.15), 0, column)
            self.grid.setColumnStretch(column, 1)
        self.grid.setColumnStretch(0, 0)
        line = 1
        for row in self.rows:
            if not any(v.strip() for v in row.values):
                continue  # nobody spoke of it: no empty row to read through
            self.grid.addWidget(self._rule(), line, 0, 1, len(opinions) + 1)
            line += 1
            # A difference shows three ways at once: a symbol, bold type, and the word.
            name = f"{row.label}\n{DIFFERS} differs" if row.differs else row.label
            label = _label(name, bold=row.differs)
            label.setAccessibleName(f"{row.label}: differs" if row.differs else row.label)
            bold = QFont(label.font())
            bold.setBold(True)
            label.setMinimumWidth(QFontMetrics(bold).horizontalAdvance("Other options discussed"))
            self.grid.addWidget(label, line, 0)
            for column, value in enumerate(row.values, start=1):
                cell = _label(value.strip() or NOT_SAID, bold=row.differs)
                if not value.strip():
                    font = QFont(cell.font())
                    font.setItalic(True)
                    cell.setFont(font)
                self.grid.addWidget(cell, line, column)
            line += 1
        self.grid.addWidget(self._rule(), line, 0, 1, len(opinions) + 1)
        line += 1
        for column, opinion in enumerate(opinions, start=1):
            box = FollowUps(self.binder, opinion)
            self.follow_up_boxes.append(box)
            self.grid.addWidget(box, line, column)
        self.grid.setRowStretch(line + 1, 1)

    def _rule(self) -> QFrame:
        rule = QFrame()
        rule.setFrameShape(QFrame.Shape.HLine)
        rule.setFrameShadow(QFrame.Shadow.Sunken)
        return rule

    def differing_labels(self) -> list[str]:
        return [row.label for row in self.rows if row.differs]

    def cell_text(self, field: str, column: int) -> str:
        """What the comparison shows for one fact of one opinion (tests read it back)."""
        for row in range(self.grid.rowCount()):
            item = self.grid.itemAtPosition(row, 0)
            label = item.widget() if item is not None else None
            wanted = next((r for r in self.rows if r.field == field), None)
            if (
                isinstance(label, QLabel)
                and wanted
                and label.accessibleName().startswith(wanted.label)
            ):
                cell = self.grid.itemAtPosition(row, column + 1)
                widget = cell.widget() if cell is not None else None
                if isinstance(widget, QLabel):
                    return widget.text()
        raise KeyError(field)

    def row_label(self, field: str) -> QLabel:
        wanted = next(r for r in self.rows if r.field == field)
        for row in range(self.grid.rowCount()):
            item = self.grid.itemAtPosition(row, 0)
            label = item.widget() if item is not None else None
            if isinstance(label, QLabel) and label.accessibleName().startswith(wanted.label):
                return label
        raise KeyError(field)
