"""The row above the documents table: full-text search, kind, doctor or facility, dates
(typed as people type them: "April 2026" to "2026").

It only holds the user's choices; the Documents page reads them (`kind()`, `who()`,
`date_range()`, `search_text()`) when `filters_changed` or `search_changed` fires.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QFontInfo, QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from app.records.dates import earliest, latest
from app.records.models import DocumentKind
from app.ui.date_field import DateField
from app.ui.look import LARGE_TEXT_PIXELS


def _bound(name: str, any_text: str) -> DateField:
    """A filter's date: "Any date" when empty; a month or a year is a whole range."""
    field = DateField(name, compact=True)
    field.line.setPlaceholderText(any_text)
    field.line.setClearButtonEnabled(True)
    field.line.setMinimumWidth(field.line.fontMetrics().horizontalAdvance("Sept 30, 2026") + 30)
    return field


def _read(field: DateField) -> str | None:
    try:
        return field.value()
    except ValueError:  # not (yet) a date: the tooltip says why, and it does not filter
        return None


class FilterBar(QWidget):
    filters_changed = Signal()
    search_changed = Signal()
    clear_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search_box = QLineEdit()
        self.search_box.setPlaceholderText("Search the words in every document (Ctrl+F)")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setAccessibleName("Search the documents")
        self.kind_filter = QComboBox()
        self.kind_filter.setAccessibleName("Show only this kind of document")
        self.kind_filter.addItem("All kinds", None)
        for kind in DocumentKind:
            self.kind_filter.addItem(kind.label, kind.value)
        self.who_filter = QComboBox()
        self.who_filter.setAccessibleName("Show only this doctor or facility")
        self.who_filter.setMinimumContentsLength(16)
        self.who_filter.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.date_from = _bound("Dated from", "Any date")
        self.date_to = _bound("Dated until", "Any date")
        self.clear_button = QPushButton("Show all")
        self.clear_button.setAccessibleName("Clear the search and the filters")
        self.clear_button.clicked.connect(self.clear_requested)
        # One row when it fits (the usual text, a wide window); else the search on a line
        # of its own and the filters below, so that 1280 pixels do with text at 150%.
        self._from_label, self._to_label = QLabel("From"), QLabel("to")
        self._rows = QGridLayout(self)
        self._rows.setContentsMargins(0, 0, 0, 0)
        self._one_row: bool | None = None
        # Until it is shown and knows its width: one row with the usual text size.
        self._place(one_row=QFontInfo(self.font()).pixelSize() < LARGE_TEXT_PIXELS)
        self.search_box.textChanged.connect(self.search_changed)
        self.kind_filter.currentIndexChanged.connect(self.filters_changed)
        self.who_filter.currentIndexChanged.connect(self.filters_changed)
        self.date_from.textChanged.connect(lambda _text: self.filters_changed.emit())
        self.date_to.textChanged.connect(lambda _text: self.filters_changed.emit())

    def _in_order(self) -> tuple[QWidget, ...]:
        return (
            self.search_box, self.kind_filter, self.who_filter, self._from_label,
            self.date_from, self._to_label, self.date_to, self.clear_button,
        )  # fmt: skip

    def _place(self, one_row: bool) -> None:
        """Lay the widgets out on one row, or two (the search and Show all above)."""
        if one_row == self._one_row:
            return
        self._one_row = one_row
        for widget in self._in_order():
            self._rows.removeWidget(widget)
        for column in range(9):
            self._rows.setColumnStretch(column, 0)
        if one_row:
            for column, widget in enumerate(self._in_order()):
                self._rows.addWidget(widget, 0, column)
            self._rows.setColumnStretch(0, 3)
            self._rows.setColumnStretch(1, 1)
            self._rows.setColumnStretch(2, 1)
        else:
            self._rows.addWidget(self.search_box, 0, 0, 1, 6)
            self._rows.addWidget(self.clear_button, 0, 6)
            for column, widget in enumerate(self._in_order()[1:7]):
                self._rows.addWidget(widget, 1, column)
            self._rows.setColumnStretch(0, 1)
            self._rows.setColumnStretch(1, 1)

    def _one_row_width(self) -> int:
        spacing = max(self._rows.horizontalSpacing(), 0)
        widths = [w.sizeHint().width() for w in self._in_order()]
        return sum(widths) + spacing * (len(widths) - 1) + self.search_box.sizeHint().width()

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._place(one_row=self.width() >= self._one_row_width())
        super().resizeEvent(event)

    def _choosers(self) -> tuple[QWidget, ...]:
        return (self.kind_filter, self.who_filter, self.date_from, self.date_to)

    # -- what the user chose ---------------------------------------------------------------

    def kind(self) -> DocumentKind | None:
        value = self.kind_filter.currentData()
        return DocumentKind(value) if value else None

    def who(self) -> str | None:
        value = self.who_filter.currentData()
        return str(value) if value else None

    def date_range(self) -> tuple[str | None, str | None]:
        """The first and last day asked for: "April 2026" to "2026" is 1 April to 31 December."""
        first, last = _read(self.date_from), _read(self.date_to)
        return (
            earliest(first).isoformat() if first else None,
            latest(last).isoformat() if last else None,
        )

    def search_text(self) -> str:
        return self.search_box.text().strip()

    # -- changing it -----------------------------------------------------------------------

    def set_who_choices(self, names: list[str]) -> None:
        """The doctors and facilities to offer, keeping the current choice if still there."""
        chosen = self.who_filter.currentData()
        self.who_filter.blockSignals(True)
        self.who_filter.clear()
        self.who_filter.addItem("Any doctor or facility", None)
        for name in names:
            self.who_filter.addItem(name, name)
        self.who_filter.setCurrentIndex(max(0, self.who_filter.findData(chosen)))
        self.who_filter.blockSignals(False)

    def reset(self) -> None:
        """Every filter back to "any", and the search box empty (signals held back)."""
        for widget in (*self._choosers(), self.search_box):
            widget.blockSignals(True)
        self.kind_filter.setCurrentIndex(0)
        self.who_filter.setCurrentIndex(0)
        self.date_from.clear()
        self.date_to.clear()
        self.search_box.clear()
        for widget in (*self._choosers(), self.search_box):
            widget.blockSignals(False)
