"""The one date field of the window: typed as people type dates, echoed back in words.

Under the box, as the user types: the date in words ("Wednesday, 12 April 1961"), a question
with the possible dates as links ("“03/04/2025”: 3 April 2025 or 4 March 2025?"), or why it
is not a date. Empty, it says which order all-number dates are read in here. The rules are
`app.records.date_input`'s, the same as the command line's.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

from app.records.date_display import date_in_words, shown_date
from app.records.date_input import (
    Ask,
    DateUse,
    Read,
    Reading,
    examples,
    order_hint,
    read_date,
)


class DateField(QWidget):
    editingFinished = Signal()
    returnPressed = Signal()
    textChanged = Signal(str)
    textEdited = Signal(str)

    def __init__(
        self,
        name: str,
        use: DateUse = DateUse.PAST,
        whole_day: bool = False,
        parent: QWidget | None = None,
        compact: bool = False,
    ) -> None:
        """`compact`: for a row of filters, the words go in the tooltip, not under the box."""
        super().__init__(parent)
        self.use, self.whole_day, self.compact = use, whole_day, compact
        self.line = QLineEdit()
        self.line.setAccessibleName(name)
        self.line.setPlaceholderText(examples(use))
        self.echo = QLabel()
        self.echo.setAccessibleName(f"{name}, as read")
        self.echo.setWordWrap(True)
        self.echo.setStyleSheet("color: palette(placeholder-text);")
        self.echo.linkActivated.connect(self._choose)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.line)
        layout.addWidget(self.echo)
        self.echo.setVisible(not compact)
        self.setFocusProxy(self.line)
        self.line.textChanged.connect(self._changed)
        self.line.editingFinished.connect(self.editingFinished)
        self.line.returnPressed.connect(self.returnPressed)
        self.line.textEdited.connect(self.textEdited)
        self._changed("")

    # -- what the dialogs use ----------------------------------------------------------------

    def text(self) -> str:
        return self.line.text()

    def setText(self, text: str) -> None:
        self.line.setText(text)

    def clear(self) -> None:
        self.line.clear()

    def set_value(self, value: str | None) -> None:
        """Show a stored date ("1961-04-12") the way every date is shown."""
        self.line.setText(shown_date(value))

    def reading(self) -> Reading | None:
        text = self.line.text()
        return read_date(text, self.use, whole_day=self.whole_day) if text.strip() else None

    def value(self) -> str | None:
        """The date as the binder stores it; None when empty. Raises ValueError with the
        question or the reason, for the user."""
        reading = self.reading()
        if reading is None:
            return None
        if isinstance(reading, Read):
            return reading.value
        if isinstance(reading, Ask):
            raise ValueError(reading.question)
        raise ValueError(reading.reason)

    # -- the echo ------------------------------------------------------------------------------

    def _changed(self, text: str) -> None:
        reading = self.reading()
        if reading is None:
            words = order_hint()
            self.echo.setText(html.escape(words))
        elif isinstance(reading, Read):
            words = date_in_words(reading.value)
            self.echo.setText(html.escape(words))
        elif isinstance(reading, Ask):
            words = reading.question
            links = " or ".join(
                f'<a href="{choice}">{html.escape(date_in_words(choice))}</a>'
                for choice in reading.choices
            )
            self.echo.setText(f"{html.escape(reading.question)} Choose: {links}")
        else:
            words = reading.reason
            self.echo.setText(html.escape(words))
        self.line.setAccessibleDescription(words)
        if self.compact:
            self.line.setToolTip(words)
        self.textChanged.emit(text)

    def _choose(self, value: str) -> None:
        self.line.setText(shown_date(value))
        self.line.setFocus()
