"""Columns that share a list's width by what they hold, so nothing is cut and nothing
scrolls sideways (issue 21: a window at 1280x800, or with text at 150%).

`fit_columns(view, wrap=...)` watches the view: whenever its width or its rows change, each
column gets the width its longest text needs (header included) when they all fit; when they
do not, the short columns (dates, kinds, numbers) keep their width and the columns named in
`wrap` (titles, names, places) share what is left in proportion to their text, their words
wrapping onto a second line. A text longer than two lines is elided in the middle, and its
cell's tooltip (where the model gives one) has it whole. Column widths are measured over
the rows in view (Qt's own `sizeHintForColumn`), never over ten years of rows.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    QTimer,
)
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTreeView,
)

Index = QModelIndex | QPersistentModelIndex

LINES = 3  # a wrapped table cell shows this many lines at most (then "…" in the middle)
WORD_ROWS = 200  # rows read for a column's longest word
LINE_ROWS = 60  # rows measured for the width that keeps them on two lines (about a screen)
MARGIN = 4  # the style's text margin on each side of a cell, about
SLACK = 8  # pixels a tree's cell may lose to padding beyond the text margin
SHORT = 24  # characters: a column this narrow (a kind, a date) stays on one line if it can


class ColumnFit(QObject):
    def __init__(
        self,
        view: QTableView | QTreeView,
        wrap: Sequence[int],
        at_most: dict[int, int],
        spare: Sequence[int] = (),
    ) -> None:
        super().__init__(view)
        self.view = view
        self.wrap = tuple(wrap)
        self.spare = tuple(spare)  # columns hidden when nothing else would fit
        self._dropped: set[int] = set()
        self.at_most = dict(at_most)  # column -> the most characters worth room (excerpts)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.fit)
        view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        view.setWordWrap(bool(self.wrap))
        header = self._header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self._one_line = 0
        if isinstance(view, QTableView):
            rows = view.verticalHeader()
            rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
            self._one_line = rows.defaultSectionSize()
        if isinstance(view, QTreeView) and self.wrap:
            view.setItemDelegate(WrappingDelegate(view))
        view.viewport().installEventFilter(self)
        model = view.model()
        for signal in (
            model.modelReset,
            model.rowsInserted,
            model.rowsRemoved,
            model.layoutChanged,
            model.dataChanged,
        ):
            signal.connect(self.schedule)
        self.schedule()

    def _header(self) -> QHeaderView:
        view = self.view
        return view.horizontalHeader() if isinstance(view, QTableView) else view.header()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            self.schedule()
        return False

    def pending(self) -> bool:
        """Whether a fit is waiting for the event loop (tests wait until it is done)."""
        return self._timer.isActive()

    def schedule(self, *_args: object) -> None:
        """Fit once the current batch of changes is done (one fit for many rows)."""
        self._timer.start()

    def _longest_word(self, column: int, rows: int) -> int:
        """The widest single word of a column (a word cannot wrap), over the first rows."""
        model = self.view.model()
        widest = 0
        for row in range(min(rows, model.rowCount())):
            index = model.index(row, column)
            text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
            metrics = self._metrics(index)
            for word in text.split():
                widest = max(widest, metrics.horizontalAdvance(word))
        # A tree's cell may lose a little more to its padding (see WrappingDelegate).
        slack = SLACK if isinstance(self.view, QTreeView) else 0
        return widest + 2 * MARGIN + slack

    def _metrics(self, index: QModelIndex) -> QFontMetrics:
        """The metrics of the cell's own font (a bold line is wider)."""
        font = index.data(Qt.ItemDataRole.FontRole)
        return QFontMetrics(font) if isinstance(font, QFont) else self.view.fontMetrics()

    def _two_lines(self, column: int, least: int, most: int) -> int:
        """The narrowest width at which the column's texts take two lines at most (the
        first rows), found by halving between its least and its one-line width."""
        if self._lines_needed(column, least, LINE_ROWS) <= 2:
            return least
        low, high = least, max(least, most)
        while high - low > 4:
            middle = (low + high) // 2
            if self._lines_needed(column, middle, LINE_ROWS) <= 2:
                high = middle
            else:
                low = middle
        return high

    def _lines_needed(self, column: int, width: int, rows: int = WORD_ROWS) -> int:
        """How many lines the longest text of a column takes at `width` (first rows)."""
        model = self.view.model()
        line = max(self.view.fontMetrics().lineSpacing(), 1)
        most = 1
        for row in range(min(rows, model.rowCount())):
            index = model.index(row, column)
            text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
            metrics = self._metrics(index)
            if text:
                box = QRect(0, 0, max(width - 2 * MARGIN, 1), 100000)
                height = metrics.boundingRect(box, Qt.TextFlag.TextWordWrap, text).height()
                most = max(most, -(-height // line))
        return most

    def _least(self, column: int) -> int:
        """The narrowest a column can be: its heading, and its longest word if it wraps."""
        header = self._header()
        if column not in self.wrap:
            return max(header.sectionSizeHint(column), self.view.sizeHintForColumn(column))
        return max(header.sectionSizeHint(column), self._longest_word(column, WORD_ROWS))

    def _drop_or_bring_back(self, room: int) -> None:
        """A column that can be spared is hidden while the others' least widths leave no
        room for it, and comes back when there is room again."""
        header = self._header()
        for c in self.spare:
            shown = [k for k in range(header.count()) if k != c and not header.isSectionHidden(k)]
            fits = sum(self._least(k) for k in shown) + self._least(c) <= room
            if fits and c in self._dropped:
                header.setSectionHidden(c, False)
                self._dropped.discard(c)
            elif not fits and not header.isSectionHidden(c):
                header.setSectionHidden(c, True)
                self._dropped.add(c)

    def fit(self) -> None:
        view, header = self.view, self._header()
        room = view.viewport().width()
        if self.spare:
            self._drop_or_bring_back(room)
        columns = [c for c in range(header.count()) if not header.isSectionHidden(c)]
        if not columns:
            return
        char = view.fontMetrics().averageCharWidth()
        natural = {}
        for c in columns:
            width = max(header.sectionSizeHint(c), view.sizeHintForColumn(c))
            if c in self.at_most:
                width = min(width, self.at_most[c] * char)
            natural[c] = width
        wrapping = [c for c in columns if c in self.wrap]
        widths = dict(natural)
        fixed = sum(natural[c] for c in columns if c not in wrapping)
        left = max(room - fixed, 0)
        lines = 1
        if sum(natural[c] for c in wrapping) <= left or not wrapping:
            # Room for every text on one line: what is left goes to the wrapping columns.
            takers = wrapping or columns[-1:]
            for c in takers:
                widths[c] += max(0, room - sum(natural.values())) // len(takers)
        else:
            # The short columns keep their width; the wrapping ones share the rest. A
            # heading does not wrap: a column keeps room for it, and for its longest word.
            floor = {
                c: max(header.sectionSizeHint(c), self._longest_word(c, WORD_ROWS))
                for c in wrapping
            }
            # Two lines each, when there is room for that, the rest shared by need...
            two = {c: self._two_lines(c, floor[c], natural[c]) for c in wrapping}
            # Short ones (a kind, a date) stay on one line when that still leaves room.
            short = {c: natural[c] for c in wrapping if natural[c] <= SHORT * char}
            if sum({**two, **short}.values()) <= left:
                two.update(short)
            if sum(two.values()) <= left:
                spare = left - sum(two.values())
                more = {c: natural[c] - two[c] for c in wrapping}
                for c in wrapping:
                    widths[c] = two[c] + spare * more[c] // max(sum(more.values()), 1)
            else:
                # ...else the narrow ones whole and the long ones evenly.
                widths.update(_share(left, {c: natural[c] for c in wrapping}, floor))
            lines = max(self._lines_needed(c, widths[c]) for c in wrapping)
        # Never wider than the view: what is over comes off the wrapping columns' words.
        over = sum(widths.values()) - room
        for c in sorted(wrapping, key=lambda c: -widths[c]):
            if over <= 0:
                break
            cut = min(over, max(0, widths[c] - self._longest_word(c, WORD_ROWS)))
            widths[c] -= cut
            over -= cut
        changed = False
        for c in columns:
            if header.sectionSize(c) != widths[c]:
                header.resizeSection(c, widths[c])
                changed = True
        if changed and isinstance(view, QTreeView):
            # A tree measures its rows' heights once; wrapped words need them measured again.
            view.doItemsLayout()
        if isinstance(view, QTableView):
            lines = min(lines, LINES)
            height = self._one_line + (lines - 1) * view.fontMetrics().lineSpacing()
            if view.verticalHeader().defaultSectionSize() != height:
                view.verticalHeader().setDefaultSectionSize(height)


def _share(room: int, wanted: dict[int, int], floor: dict[int, int]) -> dict[int, int]:
    """Share `room` among columns like water poured into glasses: a column that needs less
    than an equal share gets what it needs; the longer ones split the rest evenly. No
    column gets less than its floor (its longest word)."""
    widths = dict(floor)
    left = room - sum(floor.values())
    open_columns = sorted(wanted, key=lambda c: wanted[c] - floor[c])
    while open_columns and left > 0:
        share = left // len(open_columns)
        c = open_columns[0]
        gap = wanted[c] - widths[c]
        if gap <= share:
            widths[c] += max(gap, 0)
            left -= max(gap, 0)
            open_columns.pop(0)
        else:
            for c in open_columns:
                widths[c] += share
            break
    return widths


class WrappingDelegate(QStyledItemDelegate):
    """A tree's rows as tall as their wrapped words (a tree does not measure wrapped text
    by itself): each cell's height is measured at its column's width."""

    def __init__(self, view: QTreeView) -> None:
        super().__init__(view)
        self.view = view

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        size = super().sizeHint(option, index)
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        # Measured a little narrower than the cell (its padding, a style's own margins):
        # a row one line too tall is better than a line drawn cut.
        width = self.view.header().sectionSize(index.column()) - 2 * MARGIN - SLACK
        if not text or width <= 0:
            return size
        font = index.data(Qt.ItemDataRole.FontRole)
        metrics = QFontMetrics(font if isinstance(font, QFont) else option.font)
        single = metrics.boundingRect(text).height()
        wrapped = metrics.boundingRect(
            QRect(0, 0, width, 100000), Qt.TextFlag.TextWordWrap, text
        ).height()
        return QSize(size.width(), size.height() + max(0, wrapped - single))


def fit_columns(
    view: QAbstractItemView,
    wrap: Sequence[int] = (),
    at_most: dict[int, int] | None = None,
    spare: Sequence[int] = (),
) -> ColumnFit:
    """Keep `view`'s columns fitted to its width (see the module's docstring). `at_most`
    gives, per column, the most characters worth room (a search excerpt); `spare` columns
    are hidden while even the least widths of all would not fit (large text, a narrow
    pane), and shown again when they do."""
    if not isinstance(view, QTableView | QTreeView):
        raise TypeError("only tables and trees have columns to fit")
    return ColumnFit(view, wrap, at_most or {}, spare)
