"""The guide tab of the Second opinion page: the steps from diagnosis to decision
(app/records/guide.py), each with whether it is done and a button to the place that does it.

`go_to(place, tab)` asks for a place of the window (or a tab of the Second opinion page);
the steps nobody's records can show are ticked here by the person.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.records.guide import GUIDE, GuideStep, guide, mark_step
from app.ui.look import heading, paragraph
from app.vault.binder import Binder

INTRO = (
    "A second opinion is another specialist's look at the diagnosis and the treatment "
    "plan. These steps lead from the diagnosis to a decision; each is ticked as soon as "
    "the binder shows it done."
)


class StepCard(QFrame):
    """One step: its number, title, whether it is done, what to do, and where."""

    def __init__(self, number: int, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        line = next(line for line in GUIDE if line.key == key)
        self.key = key
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(f"Step {number}: {line.title}")
        self.mark = QLabel("○")
        font = QFont(self.mark.font())
        font.setPointSizeF(font.pointSizeF() * 1.4)
        self.mark.setFont(font)
        self.mark.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.mark.setMinimumWidth(self.mark.fontMetrics().horizontalAdvance("✓") * 2)
        self.title = heading(f"{number}. {line.title}", 1.1)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.words = [paragraph(part) for part in line.words.split("\n\n")]
        self.link = QPushButton(line.link)
        self.link.setAccessibleName(f"{line.link} (step {number})")
        self.tick: QCheckBox | None = None
        if line.ticked_by_hand:
            self.tick = QCheckBox("Done")
            self.tick.setAccessibleName(f"Step {number} is done")
        bold = QFont(self.status.font())
        bold.setBold(True)
        self.status.setFont(bold)
        grid = QGridLayout(self)
        grid.setContentsMargins(10, 8, 10, 8)
        grid.setColumnStretch(1, 1)
        grid.addWidget(self.mark, 0, 0, 2, 1)
        grid.addWidget(self.title, 0, 1)
        words = QVBoxLayout()
        words.addWidget(self.status)
        for part in self.words:
            words.addWidget(part)
        buttons = QHBoxLayout()
        if self.tick is not None:
            buttons.addWidget(self.tick)
        buttons.addStretch(1)
        buttons.addWidget(self.link)
        words.addLayout(buttons)
        grid.addLayout(words, 1, 1)

    def show_step(self, step: GuideStep) -> None:
        self.mark.setText("✓" if step.done else "○")
        self.mark.setAccessibleName("Done" if step.done else "To do")
        words = f"Done: {step.status}" if step.done else f"To do: {step.status}"
        self.status.setText(words)
        self.status.setAccessibleName(words)
        if self.tick is not None:
            self.tick.blockSignals(True)
            self.tick.setChecked(step.done)
            self.tick.blockSignals(False)


class GuideView(QWidget):
    go_to = Signal(str, str)  # place, and the Second opinion tab ("" for none)

    def __init__(self, binder: Binder, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.binder = binder
        self.person_id: int | None = None
        self.steps: list[GuideStep] = []
        self.setAccessibleName("Guide to a second opinion")
        self.intro = paragraph(INTRO)
        self.count = QLabel("")
        self.count.setAccessibleName("Steps done")
        self.cards: dict[str, StepCard] = {}
        box = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(self.intro, 1)
        top.addWidget(self.count, 0, Qt.AlignmentFlag.AlignTop)
        box.addLayout(top)
        for number, line in enumerate(GUIDE, start=1):
            card = StepCard(number, line.key)
            card.link.clicked.connect(
                lambda _checked=False, p=line.place, t=line.tab: self.go_to.emit(p, t)
            )
            if card.tick is not None:
                card.tick.toggled.connect(lambda on, k=line.key: self.tick(k, on))
            self.cards[line.key] = card
            box.addWidget(card)
        box.addStretch(1)

    def set_person(self, person_id: int) -> None:
        self.person_id = person_id
        self.refresh()

    def refresh(self) -> None:
        if self.person_id is None:
            return
        self.steps = guide(self.binder, self.person_id)
        for step in self.steps:
            self.cards[step.key].show_step(step)
        done = sum(1 for step in self.steps if step.done)
        self.count.setText(f"{done} of {len(self.steps)} steps done")
        self.count.setAccessibleName(self.count.text())

    def tick(self, key: str, done: bool) -> None:
        if self.person_id is None:
            return
        mark_step(self.binder, self.person_id, key, done)
        self.refresh()
