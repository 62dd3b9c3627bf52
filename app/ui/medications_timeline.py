"""The medication history drawn across time: one bar per drug, dose changes marked.

Readable in greyscale and for colour-blind eyes: a drug still taken is a solid bar with an
open arrow at today's end; a stopped drug is a hatched bar; each dose change is a tall tick
with the new dose written beside it. A drug with no known start date is listed with words
instead of a bar.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFontMetrics,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.records.date_display import shown_date
from app.records.dates import earliest, latest
from app.records.medications import Medication


def _days(value: date) -> float:
    return float(value.toordinal())


class MedicationTimeline(QWidget):
    chosen = Signal(int)  # the id of the medication clicked

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.meds: list[Medication] = []
        self.chosen_id: int | None = None
        self.today = date.today()
        self.setAccessibleName("Medication timeline")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.Base)

    def set_medications(self, meds: list[Medication], today: date | None = None) -> None:
        self.meds = list(meds)
        self.today = today or date.today()
        self.setAccessibleDescription(self.describe())
        self.updateGeometry()
        self.update()

    def set_chosen(self, med_id: int | None) -> None:
        """Shade the row of the medication whose details are shown."""
        self.chosen_id = med_id
        self.update()

    def describe(self) -> str:
        """The same history in words, for screen readers."""
        lines = []
        for med in self.meds:
            stop = "still taking" if med.stop_date is None else f"to {shown_date(med.stop_date)}"
            changes = "; ".join(f"{c.dose} from {shown_date(c.changed_on)}" for c in med.changes)
            start = shown_date(med.start_date, "an unknown date")
            lines.append(
                f"{med.name} {med.dose} from {start} {stop}" + (f"; {changes}" if changes else "")
            )
        return ". ".join(lines)

    # -- geometry ----------------------------------------------------------------------------

    def _base_row_height(self) -> int:
        return int(self.fontMetrics().lineSpacing() * 2.6)

    def _row_height(self) -> int:
        """Rows grow (up to half again) to use a tall page rather than leave it empty."""
        base = self._base_row_height()
        if not self.meds:
            return base
        spare = self.height() - self.fontMetrics().lineSpacing() * 5 - 24
        return max(base, min(int(base * 1.5), spare // len(self.meds)))

    def sizeHint(self) -> QSize:
        lines = self.fontMetrics().lineSpacing()
        return QSize(600, self._base_row_height() * len(self.meds) + lines * 5 + 24)

    def _top_of_rows(self) -> int:
        return 8 + self.fontMetrics().height() + 6

    def mousePressEvent(self, event: QMouseEvent) -> None:
        """A click on a drug's row chooses that drug (its details show beside)."""
        row = int((event.position().y() - self._top_of_rows()) // self._row_height())
        if 0 <= row < len(self.meds) and event.position().y() >= self._top_of_rows():
            self.chosen.emit(self.meds[row].id)
        super().mousePressEvent(event)

    def minimumSizeHint(self) -> QSize:
        return QSize(300, self._base_row_height() * 2)

    def _span(self) -> tuple[date, date]:
        starts = [earliest(m.start_date) for m in self.meds if m.start_date]
        ends = [latest(m.stop_date) for m in self.meds if m.stop_date]
        first = min(starts, default=self.today)
        last = max([*ends, self.today])
        # Whole years, so the axis labels fall on 1 January.
        return date(first.year, 1, 1), date(last.year + 1, 1, 1)

    # -- painting ----------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.Text)
        faint = palette.color(QPalette.ColorRole.Mid)
        metrics = QFontMetrics(self.font())
        row_h = self._row_height()
        names_w = min(
            max((metrics.horizontalAdvance(m.name) for m in self.meds), default=80) + 24,
            self.width() // 3,
        )
        left, right = names_w, self.width() - 16
        axis_y = 8 + metrics.height()
        if not self.meds or right <= left + 40:
            painter.end()
            return
        first, last = self._span()
        scale = (right - left) / max(1.0, _days(last) - _days(first))

        def x_of(value: date) -> float:
            return left + (_days(value) - _days(first)) * scale

        # The chosen drug's row, shaded under everything else.
        for row, med in enumerate(self.meds):
            if med.id == self.chosen_id:
                top = axis_y + 6 + row * row_h
                base = palette.color(QPalette.ColorRole.Base)
                light = palette.color(QPalette.ColorRole.Midlight)
                shade = QColor(
                    (base.red() + light.red()) // 2,
                    (base.green() + light.green()) // 2,
                    (base.blue() + light.blue()) // 2,
                )
                painter.fillRect(QRectF(0, top + 2, self.width(), row_h - 4), shade)

        # The axis: one label per year (fewer when the years are crowded).
        painter.setPen(QPen(faint, 1))
        years = list(range(first.year, last.year + 1))
        step = 1
        while len(years) // step * (metrics.horizontalAdvance("2024") + 16) > right - left:
            step += 1
        bottom = axis_y + 6 + row_h * len(self.meds)
        for year in years[::step]:
            x = x_of(date(year, 1, 1))
            painter.setPen(QPen(faint, 1, Qt.PenStyle.DotLine))
            painter.drawLine(QPointF(x, axis_y + 4), QPointF(x, bottom))
            if year < last.year:
                painter.setPen(text)
                painter.drawText(QPointF(x + 4, axis_y), str(year))
        today_x = x_of(self.today)
        painter.setPen(QPen(text, 1, Qt.PenStyle.DashLine))
        painter.drawLine(QPointF(today_x, axis_y + 4), QPointF(today_x, bottom))
        painter.setPen(text)
        label = "Today"
        label_x = min(
            today_x - metrics.horizontalAdvance(label) / 2, right - metrics.horizontalAdvance(label)
        )
        painter.drawText(QPointF(label_x, bottom + metrics.ascent() + 2), label)

        for row, med in enumerate(self.meds):
            top = axis_y + 6 + row * row_h
            bar = QRectF(0, top + row_h * 0.45, 0, row_h * 0.35)
            painter.setPen(text)
            painter.drawText(
                QRectF(4, top, names_w - 12, row_h * 0.45 + bar.height()),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom),
                metrics.elidedText(med.name, Qt.TextElideMode.ElideRight, names_w - 12),
            )
            if not med.start_date:
                painter.setPen(faint)
                painter.drawText(
                    QPointF(left + 4, bar.bottom()), f"{med.current_dose}: start date not known"
                )
                continue
            start_x = x_of(earliest(med.start_date))
            end = latest(med.stop_date) if med.stop_date else self.today
            end_x = max(start_x + 3, x_of(min(end, last)))
            bar.setLeft(start_x)
            bar.setRight(end_x)
            painter.setPen(QPen(text, 1))
            if med.still_taking:
                painter.setBrush(QBrush(faint))
            else:
                painter.setBrush(QBrush(text, Qt.BrushStyle.BDiagPattern))
            painter.drawRect(bar)
            if med.stop_date is None:
                # An open arrow: still going on.
                mid = bar.center().y()
                painter.setBrush(QBrush(text))
                painter.drawPolygon(
                    QPolygonF(
                        [
                            QPointF(end_x, bar.top() - 3),
                            QPointF(end_x + 9, mid),
                            QPointF(end_x, bar.bottom() + 3),
                        ]
                    )
                )
            # The starting dose, then each change: a tick and the new dose.
            marks = [(start_x, med.dose)] + [
                (x_of(earliest(c.changed_on)), c.dose or c.how_often) for c in med.changes
            ]
            for i, (x, dose) in enumerate(marks):
                if i > 0:
                    painter.setPen(QPen(text, 3))
                    painter.drawLine(QPointF(x, bar.top() - 4), QPointF(x, bar.bottom() + 4))
                painter.setPen(text)
                next_x = marks[i + 1][0] if i + 1 < len(marks) else right
                room = int(next_x - x) - 8
                wanted = metrics.horizontalAdvance(dose)
                if room >= wanted or (room > wanted // 2 and i + 1 < len(marks)):
                    painter.drawText(
                        QPointF(x + 4, bar.top() - 3),
                        metrics.elidedText(dose, Qt.TextElideMode.ElideRight, room),
                    )
                elif i + 1 == len(marks):
                    # A short, recent stretch: write the dose before the bar instead.
                    before = marks[i - 1][0] + 8 if i > 0 else left
                    label_x = max(before, x - 6 - wanted)
                    painter.drawText(
                        QPointF(label_x, bar.bottom()),
                        metrics.elidedText(dose, Qt.TextElideMode.ElideRight, int(x - label_x)),
                    )
        self._draw_legend(painter, metrics, text, faint, 16, bottom + metrics.height() * 2.5)
        painter.end()

    def _draw_legend(
        self,
        painter: QPainter,
        metrics: QFontMetrics,
        text: QColor,
        faint: QColor,
        x: float,
        y: float,
    ) -> None:
        """What the marks mean, drawn with the same marks."""
        h = metrics.height() * 0.6
        items = (
            ("still taking", QBrush(faint), True),
            ("stopped", QBrush(text, Qt.BrushStyle.BDiagPattern), False),
        )
        for label, brush, arrow in items:
            painter.setPen(QPen(text, 1))
            painter.setBrush(brush)
            painter.drawRect(QRectF(x, y - h, 36, h))
            if arrow:
                painter.setBrush(QBrush(text))
                mid = y - h / 2
                painter.drawPolygon(
                    QPolygonF(
                        [QPointF(x + 36, y - h - 3), QPointF(x + 45, mid), QPointF(x + 36, y + 3)]
                    )
                )
            painter.drawText(QPointF(x + 52, y), label)
            x += 52 + metrics.horizontalAdvance(label) + 28
        painter.setPen(QPen(text, 3))
        painter.drawLine(QPointF(x + 4, y - h - 4), QPointF(x + 4, y + 4))
        painter.setPen(text)
        painter.drawText(QPointF(x + 14, y), "the dose changed (the new dose is written beside it)")
