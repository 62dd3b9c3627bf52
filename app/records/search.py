"""Full-text search over titles and extracted text, with highlighted snippets."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from app.records.documents import get_documents
from app.records.models import Document, DocumentKind
from app.vault.binder import Binder

# Snippet markers: control characters that never occur in extracted text. The UI turns them
# into bold, the CLI into [brackets].
MARK_START = "\x02"
MARK_END = "\x03"
_TOKEN = re.compile(r'"[^"]+"|[^\s"]+')


@dataclass(frozen=True)
class SearchHit:
    document: Document
    snippet: str

    def snippet_with(self, start: str, end: str) -> str:
        return self.snippet.replace(MARK_START, start).replace(MARK_END, end)


def fts_query(text: str) -> str:
    """Turn what a person typed into a safe FTS5 query: every word must appear.

    Words are quoted, so FTS5 syntax (AND, NEAR, column:, *) typed by accident is taken as
    words; "a quoted phrase" stays a phrase; a trailing * keeps prefix search.
    """
    parts = []
    for token in _TOKEN.findall(text):
        prefix = token.endswith("*") and not token.startswith('"')
        word = token.strip('"').rstrip("*").replace('"', "")
        if not word.strip():
            continue
        parts.append(f'"{word}"' + ("*" if prefix else ""))
    return " ".join(parts)


def search(
    binder: Binder,
    text: str,
    person_id: int | None = None,
    limit: int = 100,
    kind: DocumentKind | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
) -> list[SearchHit]:
    """The best `limit` matches, best first, among the documents the filters allow (dates
    are ISO text, inclusive; a partial date counts from its first day to its last)."""
    query = fts_query(text)
    if not query:
        return []
    # FTS5 orders by its own `rank` (bm25 with titles weighted 5 to 1) and stops at `limit`,
    # so snippets are made only for the rows returned. The filters go through a correlated
    # subquery, one primary-key lookup per match in rank order: as rowid constraints offered
    # to FTS5 (a join, "rowid IN"), they would run the full-text query once per document.
    where = ["d.trashed_at IS NULL"]
    params: list[Any] = []
    if person_id is not None:
        where.append("d.person_id = ?")
        params.append(person_id)
    if kind is not None:
        where.append("d.kind = ?")
        params.append(kind.value)
    if date_from:
        where.append("substr(d.date || '-99-99', 1, 10) >= ?")
        params.append(date_from)
    if date_to:
        where.append("d.date <= ?")
        params.append(date_to)
    sql = (
        "SELECT rowid, snippet(document_text_fts, 1, ?, ?, ' … ', 24) FROM document_text_fts "
        "WHERE document_text_fts MATCH ? AND rank MATCH 'bm25(5.0, 1.0)' "
        "AND EXISTS (SELECT 1 FROM documents d WHERE d.id = document_text_fts.rowid "
        f"AND {' AND '.join(where)}) "
        "ORDER BY rank LIMIT ?"
    )
    rows = binder.db.execute(sql, [MARK_START, MARK_END, query, *params, limit]).fetchall()
    documents = {doc.id: doc for doc in get_documents(binder, [row[0] for row in rows])}
    # Extracted text keeps the PDF's line breaks; a snippet reads better as one line.
    return [SearchHit(documents[row[0]], " ".join((row[1] or "").split())) for row in rows]
