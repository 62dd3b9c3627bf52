"""The documents table: a model of one person's documents and a proxy that sorts and filters.

The model holds `Document` records (loaded by the page through app.records, never by SQL
here), a page at a time: the first `PAGE_ROWS` newest, then more through Qt's
canFetchMore/fetchMore as the table is scrolled (a binder of ten years has thousands). The
rows hold facts only; text and thumbnails stay in the binder. The proxy filters by kind,
date range, doctor or facility, and by the set of ids a full-text search found; the
"Found in the text" column shows that search's highlighted snippet, drawn by
`SnippetDelegate`.
"""

from __future__ import annotations

import bisect
import html
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QRectF,
    QSize,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QFont,
    QPainter,
    QPalette,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from app.records.date_display import shown_date
from app.records.models import Document, DocumentKind
from app.records.search import MARK_END, MARK_START
from app.ui.record_table import RecordTableModel

COL_KIND, COL_TITLE, COL_DATE, COL_FROM, COL_PAGES, COL_FOUND = range(6)
HEADERS = ("Kind", "Title", "Date", "Doctor or facility", "Pages", "Found in the text")
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
DOCUMENT_ROLE = Qt.ItemDataRole.UserRole + 2
SNIPPET_ROLE = Qt.ItemDataRole.UserRole + 3

Index = QModelIndex | QPersistentModelIndex
PAGE_ROWS = 200  # about ten screens of rows; each page is one short query
# Reads `limit` documents from `offset` in the table's order (newest first).
PageReader = Callable[[int, int], list[Document]]


def who(doc: Document) -> str:
    """The doctor and the facility, as one line."""
    return " · ".join(part for part in (doc.author, doc.facility) if part)


def snippet_html(snippet: str, lead: int = 16) -> str:
    """A search snippet as HTML, the matched words in bold, starting shortly before the
    first match so that the match is visible in a narrow column."""
    first = snippet.find(MARK_START)
    if first > lead:
        cut = snippet.rfind(" ", 0, first - lead)
        snippet = "… " + snippet[cut + 1 if cut >= 0 else first - lead :].lstrip("… ")
    return html.escape(snippet).replace(MARK_START, "<b>").replace(MARK_END, "</b>")


class _Descending:
    """Reverses the order of a key, for bisect on a list sorted newest first."""

    __slots__ = ("key",)

    def __init__(self, key: tuple[str, int]) -> None:
        self.key = key

    def __lt__(self, other: _Descending) -> bool:
        return self.key > other.key

    def __ge__(self, other: _Descending) -> bool:
        return self.key <= other.key


def _newest_first(doc: Document) -> _Descending:
    """The model's own row order, the binder's (list_documents): newest first, undated
    last, the later added first on the same date."""
    return _Descending((doc.date or "", doc.id))


class DocumentTableModel(RecordTableModel):
    headers = HEADERS

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[Document] = []
        self._snippets: dict[int, str] = {}
        self._reader: PageReader | None = None
        self._total = 0  # rows the reader can give in all
        self._paged = 0  # rows read from it so far (rows a search added are not counted)

    # -- contents --------------------------------------------------------------------------

    def set_documents(
        self, documents: list[Document], reader: PageReader | None = None, total: int = 0
    ) -> None:
        """Show these documents: rows already there are updated, new ones added, gone removed.

        Done row by row (not a reset) so the selection survives a refresh during an import.
        With `reader`, `documents` are the first of `total` and the rest come page by page.
        """
        self._reader = reader
        self._total = total if reader is not None else len(documents)
        self._paged = len(documents)
        wanted = {doc.id: doc for doc in documents}
        for row in reversed(range(len(self._rows))):
            if self._rows[row].id not in wanted:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._rows[row]
                self.endRemoveRows()
        present = {doc.id: doc for doc in self._rows}
        for doc_id, doc in wanted.items():
            if doc_id in present and present[doc_id] != doc:
                self.update_document(doc)
        self.add_documents([doc for doc_id, doc in wanted.items() if doc_id not in present])

    def replace_documents(
        self, documents: list[Document], reader: PageReader | None = None, total: int = 0
    ) -> None:
        """Show these documents instead (another person, the Trash): one reset."""
        self.beginResetModel()
        self._rows = sorted(documents, key=_newest_first)
        self._reader = reader
        self._total = total if reader is not None else len(documents)
        self._paged = len(documents)
        self.endResetModel()

    def add_documents(self, documents: list[Document]) -> None:
        """Give these documents rows, each in its place newest first (a page read from the
        binder, or what a search found before its page was read; a later page skips it)."""
        present = {doc.id for doc in self._rows}
        new = sorted((d for d in documents if d.id not in present), key=_newest_first)
        if not new:
            return
        if not self._rows or _newest_first(new[0]) >= _newest_first(self._rows[-1]):
            # The next page: all of it after the rows there, in one insertion.
            start = len(self._rows)
            self.beginInsertRows(QModelIndex(), start, start + len(new) - 1)
            self._rows.extend(new)
            self.endInsertRows()
            return
        for doc in new:
            row = bisect.bisect_left(self._rows, _newest_first(doc), key=_newest_first)
            self.beginInsertRows(QModelIndex(), row, row)
            self._rows.insert(row, doc)
            self.endInsertRows()

    def paged(self) -> int:
        """How many rows were read page by page so far."""
        return self._paged

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and self._reader is not None and self._paged < self._total

    def fetchMore(self, parent: Index) -> None:
        self.fetch(PAGE_ROWS)

    def fetch_all(self) -> None:
        """Every remaining row (a filter, a search or another sort needs them all)."""
        if self.canFetchMore(QModelIndex()):
            self.fetch(self._total)

    def fetch(self, count: int) -> None:
        if self._reader is None:
            return
        page = self._reader(self._paged, count)
        self._paged += len(page)
        if len(page) < count:
            self._total = self._paged  # fewer than there were: nothing more to read
        self.add_documents(page)

    def update_document(self, doc: Document) -> None:
        row = self.row_of(doc.id)
        if row is None:
            return
        self._rows[row] = doc
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(HEADERS) - 1))
        # A new date moves the row to its place (a move keeps it selected).
        rest = self._rows[:row] + self._rows[row + 1 :]
        place = bisect.bisect_left(rest, _newest_first(doc), key=_newest_first)
        if place != row:
            destination = place + 1 if place > row else place
            self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), destination)
            self._rows = [*rest[:place], doc, *rest[place:]]
            self.endMoveRows()

    def set_snippets(self, snippets: dict[int, str]) -> None:
        changed = bool(self._snippets or snippets)
        self._snippets = snippets
        if self._rows and changed:
            top, bottom = self.index(0, COL_FOUND), self.index(len(self._rows) - 1, COL_FOUND)
            self.dataChanged.emit(top, bottom)

    def document(self, row: int) -> Document:
        return self._rows[row]

    def documents(self) -> list[Document]:
        return list(self._rows)

    def row_of(self, doc_id: int) -> int | None:
        for row, doc in enumerate(self._rows):
            if doc.id == doc_id:
                return row
        return None

    # -- Qt model --------------------------------------------------------------------------

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        doc = self._rows[index.row()]
        column = index.column()
        if role == DOCUMENT_ROLE:
            return doc
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._display(doc, column)
        if role == SORT_ROLE:
            return self._sort_key(doc, column)
        if role == SNIPPET_ROLE and column == COL_FOUND:
            return snippet_html(self._snippets.get(doc.id, ""))
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == COL_FROM:
                return who(doc) or None
            if column == COL_TITLE:
                return f"{doc.title}\nOriginal file: {doc.original_name}"
        if role == Qt.ItemDataRole.TextAlignmentRole and column == COL_PAGES:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, doc: Document, column: int) -> str:
        if column == COL_KIND:
            return doc.kind.label
        if column == COL_TITLE:
            return doc.title
        if column == COL_DATE:
            return shown_date(doc.date, "No date")
        if column == COL_FROM:
            return who(doc)
        if column == COL_PAGES:
            return "" if doc.pages is None else str(doc.pages)
        if column == COL_FOUND:
            snippet = self._snippets.get(doc.id, "")
            return snippet.replace(MARK_START, "").replace(MARK_END, "")
        return ""

    def _sort_key(self, doc: Document, column: int) -> Any:
        if column == COL_DATE:
            return doc.date or ""
        if column == COL_PAGES:
            return doc.pages or 0
        return self._display(doc, column).casefold()


class DocumentFilter(QSortFilterProxyModel):
    """Filters by kind, date range (ISO text, inclusive), doctor or facility, search ids."""

    def __init__(self) -> None:
        super().__init__()
        self.setSortRole(SORT_ROLE)
        self.kind: DocumentKind | None = None
        self.date_from: str | None = None
        self.date_to: str | None = None
        self.who: str | None = None
        self.ids: set[int] | None = None

    def set_filters(
        self,
        kind: DocumentKind | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        who: str | None = None,
    ) -> None:
        self.beginFilterChange()
        self.kind, self.date_from, self.date_to, self.who = kind, date_from, date_to, who
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        # Newest first is the model's own order: keep it (column -1) rather than sort
        # thousands of rows through calls into Python at every change.
        # (Column -1 in descending order would mean the source order reversed.)
        if column == COL_DATE and order == Qt.SortOrder.DescendingOrder:
            column, order = -1, Qt.SortOrder.AscendingOrder
        super().sort(column, order)

    def set_search_ids(self, ids: set[int] | None) -> None:
        self.beginFilterChange()
        self.ids = ids
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        if not isinstance(model, DocumentTableModel):
            return True
        doc = model.document(source_row)
        if self.ids is not None and doc.id not in self.ids:
            return False
        if self.kind is not None and doc.kind is not self.kind:
            return False
        if self.who and self.who not in (doc.author, doc.facility):
            return False
        if self.date_from or self.date_to:
            if not doc.date:
                return False
            # A partial date ("2026-09") counts from its first day to its last.
            if self.date_from and doc.date.ljust(10, "~") < self.date_from:
                return False
            if self.date_to and doc.date > self.date_to:
                return False
        return True


def fitted_snippet(html_text: str, font: QFont, width: int, height: int) -> QTextDocument:
    """The snippet laid out `width` wide; when it needs more than `height`, it is cut after
    the last character that fits and ends in "…" (an excerpt shows where it stops)."""

    def laid_out(keep: int | None) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(font)
        doc.setHtml(html_text)
        doc.setDocumentMargin(2)
        doc.setTextWidth(width)
        if keep is not None:
            cursor = QTextCursor(doc)
            cursor.setPosition(keep)
            cursor.movePosition(QTextCursor.MoveOperation.End, QTextCursor.MoveMode.KeepAnchor)
            cursor.removeSelectedText()
            cursor.insertText("…")
        return doc

    whole = laid_out(None)
    if whole.size().height() <= height:
        return whole
    low, high = 0, whole.characterCount() - 1  # the most characters that fit, searched
    while low < high:
        middle = (low + high + 1) // 2
        if laid_out(middle).size().height() <= height:
            low = middle
        else:
            high = middle - 1
    return laid_out(low)


class SnippetDelegate(QStyledItemDelegate):
    """Draws the search snippet as rich text, the matched words in bold."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        html_text = index.data(SNIPPET_ROLE) or ""
        self.initStyleOption(option, index)
        option.text = ""
        style = option.widget.style() if option.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        # Wrapped onto the row's lines; what does not fit ends in "…".
        doc = fitted_snippet(html_text, option.font, option.rect.width(), option.rect.height())
        context = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        context.palette.setColor(QPalette.ColorRole.Text, option.palette.color(role))
        painter.save()
        top = max(0.0, (option.rect.height() - doc.size().height()) / 2)
        painter.translate(option.rect.left(), option.rect.top() + top)
        clip = QRectF(0, -top, option.rect.width(), option.rect.height())
        painter.setClipRect(clip)
        context.clip = clip
        doc.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        base = super().sizeHint(option, index)
        return QSize(base.width(), base.height())
