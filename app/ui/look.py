"""Small shared pieces of the look: headings sized from the user's own font, an empty state,
and a message shown inside a page (instead of a modal dialog)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontInfo
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

DESIGN_PIXELS = 12  # the text size (in pixels) the fixed sizes of dialogs were set for
LARGE_TEXT_PIXELS = 17  # a usual desktop font is 12 to 14 pixels; 150% of it is 18 to 21


def for_text(pixels: int, widget: QWidget) -> int:
    """A size set for the usual text, grown with the widget's text (large text, 150%)."""
    size = QFontInfo(widget.font()).pixelSize()
    return round(pixels * max(1.0, size / DESIGN_PIXELS))


def elide_items(view: QListWidget) -> None:
    """A list that never scrolls sideways: long lines are elided in the middle, and each
    item's tooltip holds its whole text (call once the items are in)."""
    view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    for row in range(view.count()):
        item = view.item(row)
        if not item.toolTip():
            item.setToolTip(item.text())


def heading(text: str, scale: float = 1.5) -> QLabel:
    """A heading scaled from the system font, so the user's font size is respected."""
    label = QLabel(text)
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(True)
    label.setFont(font)
    label.setWordWrap(True)
    label.setAccessibleName(text)
    return label


def paragraph(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setAccessibleName(text)
    return label


def scrolled(widget: QWidget, name: str = "") -> QScrollArea:
    """`widget` in a frameless scroll area as wide as it: it scrolls down rather than be cut
    (a small screen, large text) and never sideways."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(widget)
    if name:
        area.setAccessibleName(name)
    return area


class EmptyState(QWidget):
    """A calm, centred explanation of what a place will hold: a title, one sentence, and
    the one button that fills it (hidden when there is nothing to do)."""

    def __init__(
        self,
        title: str,
        text: str,
        parent: QWidget | None = None,
        action_text: str = "",
        action: Callable[[], object] | None = None,
    ) -> None:
        super().__init__(parent)
        self.title_label = heading(title)
        self.title_label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.text_label = paragraph(text)
        self.text_label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.action_button = QPushButton()
        self.action_button.clicked.connect(self._run_action)
        self._action: Callable[[], object] | None = None
        box = QVBoxLayout(self)
        box.addStretch(2)
        inner = QVBoxLayout()
        inner.setSpacing(12)
        inner.addWidget(self.title_label)
        inner.addWidget(self.text_label)
        inner.addWidget(self.action_button, 0, Qt.AlignmentFlag.AlignHCenter)
        row = QHBoxLayout()
        row.addStretch(1)
        holder = QWidget()
        holder.setLayout(inner)
        holder.setMaximumWidth(560)
        row.addWidget(holder, 4)
        row.addStretch(1)
        box.addLayout(row)
        box.addStretch(3)
        self.set_action(action_text, action)

    def set_text(
        self,
        title: str,
        text: str,
        action_text: str | None = None,
        action: Callable[[], object] | None = None,
    ) -> None:
        """New words; with `action_text`, a new button too ("" hides it)."""
        self.title_label.setText(title)
        self.title_label.setAccessibleName(title)
        self.text_label.setText(text)
        self.text_label.setAccessibleName(text or title)
        if action_text is not None:
            self.set_action(action_text, action)

    def set_action(self, text: str, action: Callable[[], object] | None) -> None:
        self._action = action
        self.action_button.setText(text)
        self.action_button.setAccessibleName(text.replace("&", "").rstrip("."))
        self.action_button.setVisible(bool(text) and action is not None)

    def _run_action(self) -> None:
        if self._action is not None:
            self._action()


class Notice(QFrame):
    """A one-line message inside a page, with an optional action (Undo, Restore...)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName("Message")
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.action_button = QPushButton()
        self.close_button = QPushButton("Dismiss")
        self.close_button.setAccessibleName("Dismiss the message")
        self.close_button.clicked.connect(self.hide)
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 6, 6, 6)
        row.addWidget(self.label, 1)
        row.addWidget(self.action_button)
        row.addWidget(self.close_button)
        self._action: Callable[[], None] | None = None
        self.action_button.clicked.connect(self._run_action)
        self.hide()

    def show_message(
        self, text: str, action_text: str = "", action: Callable[[], None] | None = None
    ) -> None:
        self.label.setText(text)
        self._action = action
        self.action_button.setText(action_text)
        self.action_button.setAccessibleName(action_text)
        self.action_button.setVisible(action is not None)
        self.show()

    def _run_action(self) -> None:
        action, self._action = self._action, None
        self.hide()
        if action is not None:
            action()
