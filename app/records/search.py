"""Full-text search over titles and extracted text, with highlighted snippets."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from app.records.documents import get_document
from app.records.models import Document
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
    binder: Binder, text: str, person_id: int | None = None, limit: int = 100
) -> list[SearchHit]:
    query = fts_query(text)
    if not query:
        return []
    # Filter through a subquery on the FTS table, so the FTS index drives the search.
    sql = (
        "SELECT f.rowid, snippet(document_text_fts, 1, ?, ?, ' … ', 24) "
        "FROM document_text_fts f JOIN documents d ON d.id = f.rowid "
        "WHERE document_text_fts MATCH ? AND d.trashed_at IS NULL "
    )
    params: list[Any] = [MARK_START, MARK_END, query]
    if person_id is not None:
        sql += "AND d.person_id = ? "
        params.append(person_id)
    sql += "ORDER BY bm25(document_text_fts, 5.0, 1.0) LIMIT ?"
    params.append(limit)
    rows = binder.db.execute(sql, params).fetchall()
    # Extracted text keeps the PDF's line breaks; a snippet reads better as one line.
    return [
        SearchHit(get_document(binder, row[0]), " ".join((row[1] or "").split())) for row in rows
    ]
