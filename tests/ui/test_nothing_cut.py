"""Nothing cut: on the demo binder, at 1280x800, every cell of the main lists shows its
whole text (on one line, or on the lines its row has room for), and no list scrolls
sideways. The check measures each cell the way Qt draws it: the cell's rectangle less the
style's text margin, the cell's font, word wrap where the view wraps.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFont, QFontMetrics, QTextDocument
from PySide6.QtWidgets import QAbstractItemView, QApplication, QListView, QStyle, QTableView
from pytestqt.qtbot import QtBot

from app.ui.column_fit import ColumnFit
from app.ui.documents_model import SNIPPET_ROLE, fitted_snippet
from app.ui.main_window import MainWindow


def settle(view: QAbstractItemView) -> None:
    """Let the view's layout and its column fitting finish (each fit may bring a scroll
    bar, and one more fit)."""
    fit = view.findChild(ColumnFit)
    for _ in range(20):
        QApplication.processEvents()
        if fit is None or not fit.pending():
            break
    QApplication.processEvents()  # the view's own geometry (its scroll range) follows


def cut_cells(view: QAbstractItemView, tooltip_ok: bool = False) -> list[str]:
    """What `view` does not show whole: "header: text" per cut cell, and a sideways scroll.
    With `tooltip_ok`, a cell elided in the middle whose tooltip holds its words is whole."""
    model = view.model()
    cut = []
    if view.horizontalScrollBar().maximum() > 0:
        cut.append(f"{view.accessibleName()} scrolls sideways")
    margin = view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1
    columns = 1 if isinstance(view, QListView) else model.columnCount()
    for row in range(model.rowCount()):
        for column in range(columns):
            if not isinstance(view, QListView) and view.isColumnHidden(column):  # type: ignore[attr-defined]
                continue
            index = model.index(row, column)
            rect = view.visualRect(index)
            snippet = index.data(SNIPPET_ROLE)
            text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
            if not text or rect.height() <= 0:
                continue
            font = index.data(Qt.ItemDataRole.FontRole)
            metrics = QFontMetrics(font if isinstance(font, QFont) else view.font())
            width = rect.width() - 2 * margin
            if snippet:  # rich text, drawn by SnippetDelegate: an excerpt around a match
                doc = fitted_snippet(snippet, view.font(), rect.width(), rect.height())
                # It fits its cell, ends in "…" where it was cut, and shows the word found.
                shown = doc.toPlainText()
                first_match = snippet.split("<b>")[1].split("</b>")[0] if "<b>" in snippet else ""
                whole = doc.size().height() <= rect.height() and first_match in shown
                whole = whole and (shown == plain_text(snippet) or shown.endswith("…"))
            elif view.wordWrap():
                bound = metrics.boundingRect(
                    QRect(0, 0, width, 100000), Qt.TextFlag.TextWordWrap, text
                )
                whole = bound.width() <= width and bound.height() <= rect.height()
            else:
                whole = metrics.horizontalAdvance(text) <= width
                if not whole and view.textElideMode() == Qt.TextElideMode.ElideMiddle:
                    # A list that elides in the middle keeps the whole text in the tooltip.
                    whole = index.data(Qt.ItemDataRole.ToolTipRole) == text
            if not whole and tooltip_ok and view.textElideMode() == Qt.TextElideMode.ElideMiddle:
                whole = text in str(index.data(Qt.ItemDataRole.ToolTipRole) or "")
            if not whole:
                header = model.headerData(column, Qt.Orientation.Horizontal)
                cut.append(f"{header or view.accessibleName()}: {text}")
    return cut


def plain_text(html_text: str) -> str:
    doc = QTextDocument()
    doc.setHtml(html_text)
    return doc.toPlainText()


def main_lists(window: MainWindow) -> Iterator[tuple[str, QAbstractItemView]]:
    """Each main list of the window, shown as a user would see it."""
    window.show_place("Overview")
    yield "Overview, care journey", window.overview.timeline.list
    yield "Overview, latest documents", window.overview.recent
    window.show_place("Documents")
    yield "Documents", window.documents.table
    window.documents.search_box.setText("report")
    window.documents.run_search()
    yield "Documents, search", window.documents.table
    window.documents.clear_filters()
    window.show_place("Medications")
    meds = window.other_pages["Medications"]
    for view in ("Current", "Past", "All"):
        meds.show_view(view)  # type: ignore[attr-defined]
        yield f"Medications, {view}", meds.table  # type: ignore[attr-defined]
    window.show_place("Care team")
    yield "Care team", window.other_pages["Care team"].table  # type: ignore[attr-defined]
    window.show_place("Second opinion")
    page = window.other_pages["Second opinion"]
    page.tabs.setCurrentWidget(page.requests)  # type: ignore[attr-defined]
    yield "Records requests", page.requests.table  # type: ignore[attr-defined]


def all_cut(window: MainWindow, tooltip_ok: bool = False) -> dict[str, list[str]]:
    """The cut cells of every main list, for both demo people."""
    found, seen = {}, []
    for person in range(window.person_box.count()):
        window.person_box.setCurrentIndex(person)
        for name, view in main_lists(window):
            settle(view)
            where = f"{window.person_box.currentText()}, {name}"
            assert view.isVisible(), where
            assert view.model().rowCount() > 0, where
            seen.append(where)
            cut = cut_cells(view, tooltip_ok)
            if cut:
                found[where] = cut
    assert len(seen) == 2 * 9  # every list of both people was looked at
    return found


def test_no_list_cuts_its_words_at_1280x800(qtbot: QtBot, demo_window: MainWindow) -> None:
    assert (demo_window.width(), demo_window.height()) == (1280, 800)
    assert all_cut(demo_window) == {}


@pytest.fixture
def large_text() -> Iterator[None]:
    """Text at 150% of the system's size, as a person who needs large text sets it."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    normal = app.font()
    large = QFont(normal)
    large.setPointSizeF(normal.pointSizeF() * 1.5)
    app.setFont(large)
    yield
    app.setFont(normal)


def test_with_text_at_150_percent_the_window_still_fits_1280_and_cuts_nothing(
    qtbot: QtBot, large_text: None, demo_window: MainWindow
) -> None:
    # With large text a long title may take its lines and end in "…" in the middle; its
    # tooltip then holds it whole. Nothing scrolls sideways; short columns are never cut.
    assert all_cut(demo_window, tooltip_ok=True) == {}
    # Every page made, the window still fits a 1280-pixel screen.
    assert demo_window.minimumSizeHint().width() <= 1280
    assert demo_window.width() == 1280


def test_the_check_sees_a_cut_cell(qtbot: QtBot, demo_window: MainWindow) -> None:
    # Guards the guard: a column too narrow for its titles is reported.
    demo_window.show_place("Documents")
    table = demo_window.documents.table
    assert isinstance(table, QTableView)
    table.setWordWrap(False)
    table.horizontalHeader().resizeSection(1, 40)
    assert any(line.startswith("Title: ") for line in cut_cells(table))
