"""The documents table: a model of one person's documents and a proxy that sorts and filters.

The model holds `Document` records (loaded by the page through app.records, never by SQL
here). The proxy filters by kind, date range, doctor or facility, and by the set of ids a
full-text search found; the "Found in the text" column shows that search's highlighted
snippet, drawn by `SnippetDelegate`.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QRectF,
    QSize,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QAbstractTextDocumentLayout, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from app.records.models import Document, DocumentKind
from app.records.search import MARK_END, MARK_START
from app.ui.record_table import RecordTableModel

COL_KIND, COL_TITLE, COL_DATE, COL_FROM, COL_PAGES, COL_FOUND = range(6)
HEADERS = ("Kind", "Title", "Date", "Doctor or facility", "Pages", "Found in the text")
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
DOCUMENT_ROLE = Qt.ItemDataRole.UserRole + 2
SNIPPET_ROLE = Qt.ItemDataRole.UserRole + 3

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

Index = QModelIndex | QPersistentModelIndex


def readable_date(iso: str | None) -> str:
    """'2026-09-05' -> '5 Sep 2026'; '2026-09' -> 'Sep 2026'; None -> 'No date'."""
    if not iso:
        return "No date"
    parts = iso.split("-")
    try:
        if len(parts) == 3:
            return f"{int(parts[2])} {_MONTHS[int(parts[1]) - 1]} {parts[0]}"
        if len(parts) == 2:
            return f"{_MONTHS[int(parts[1]) - 1]} {parts[0]}"
    except (ValueError, IndexError):
        pass
    return iso


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


class DocumentTableModel(RecordTableModel):
    headers = HEADERS

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[Document] = []
        self._snippets: dict[int, str] = {}

    # -- contents --------------------------------------------------------------------------

    def set_documents(self, documents: list[Document]) -> None:
        """Show these documents: rows already there are updated, new ones added, gone removed.

        Done row by row (not a reset) so the selection survives a refresh during an import.
        """
        wanted = {doc.id: doc for doc in documents}
        for row in reversed(range(len(self._rows))):
            if self._rows[row].id not in wanted:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._rows[row]
                self.endRemoveRows()
        present = {doc.id: row for row, doc in enumerate(self._rows)}
        for doc_id, doc in wanted.items():
            if doc_id in present and self._rows[present[doc_id]] != doc:
                self.update_document(doc)
        new = [doc for doc_id, doc in wanted.items() if doc_id not in present]
        if new:
            start = len(self._rows)
            self.beginInsertRows(QModelIndex(), start, start + len(new) - 1)
            self._rows.extend(new)
            self.endInsertRows()

    def update_document(self, doc: Document) -> None:
        for row, current in enumerate(self._rows):
            if current.id == doc.id:
                self._rows[row] = doc
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(HEADERS) - 1))
                return

    def set_snippets(self, snippets: dict[int, str]) -> None:
        self._snippets = snippets
        if self._rows:
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
            return readable_date(doc.date)
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


class SnippetDelegate(QStyledItemDelegate):
    """Draws the search snippet as rich text, the matched words in bold."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        html_text = index.data(SNIPPET_ROLE) or ""
        self.initStyleOption(option, index)
        option.text = ""
        style = option.widget.style() if option.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        doc.setHtml(html_text)
        doc.setDocumentMargin(2)
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
