"""The words OCR read on a document's scanned pages, and where they are on each page.

Kept in the database (encrypted, like the text) at import or at "make searchable", so the
records packet can lay an invisible text layer under each scanned picture without reading
it again. A binder made before this was kept gets them from `make-searchable --all`.
"""

from __future__ import annotations

from collections.abc import Iterable

from app.ingest.ocr_words import PageWords, pack, unpack
from app.vault.binder import Binder
from app.vault.sqlcipher import Database

__all__ = [
    "PageWords",
    "page_words",
    "pages_read_by_ocr",
    "save_page_words",
    "without_page_words",
]


def save_page_words(db: Database, doc_id: int, pages: Iterable[PageWords]) -> None:
    """Replace the document's page words, inside the caller's transaction."""
    db.execute("DELETE FROM document_page_words WHERE document_id = ?", [doc_id])
    for page in pages:
        db.execute(
            "INSERT INTO document_page_words (document_id, page, width, height, words) "
            "VALUES (?, ?, ?, ?, ?)",
            [doc_id, page.page, page.width, page.height, pack(page.words)],
        )


def page_words(binder: Binder, doc_id: int) -> dict[int, PageWords]:
    """The document's pages read by OCR, by page index (0-based in the original)."""
    rows = binder.db.execute(
        "SELECT page, width, height, words FROM document_page_words WHERE document_id = ? "
        "ORDER BY page",
        [doc_id],
    )
    return {
        int(page): PageWords(int(page), int(width), int(height), unpack(bytes(words)))
        for page, width, height, words in rows
    }


def pages_read_by_ocr(binder: Binder, doc_id: int) -> list[int]:
    """Which pages (0-based) carry words read by OCR, without unpacking them."""
    rows = binder.db.execute(
        "SELECT page FROM document_page_words WHERE document_id = ? ORDER BY page", [doc_id]
    )
    return [int(page) for (page,) in rows]


def without_page_words(binder: Binder) -> list[int]:
    """Photos and PDFs (not in the Trash) with no page words kept: scans imported before
    CareBinder kept them, and PDFs that are text already (read again, they stay as they
    are)."""
    rows = binder.db.execute(
        "SELECT d.id FROM documents d WHERE d.trashed_at IS NULL "
        "AND (d.media_type LIKE 'image/%' OR d.media_type = 'application/pdf') "
        "AND NOT EXISTS (SELECT 1 FROM document_page_words w WHERE w.document_id = d.id) "
        "ORDER BY d.id"
    )
    return [int(doc_id) for (doc_id,) in rows]
