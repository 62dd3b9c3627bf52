"""Documents: add from a file's bytes, list, get, edit facts, trash, restore, purge."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from app.records.dates import now_iso, optional_date
from app.records.errors import InvalidValue, NotFound
from app.records.models import Document, DocumentKind, TextStatus
from app.vault.binder import Binder
from app.vault.filestore import StoredFile
from app.vault.sqlcipher import IntegrityError

if TYPE_CHECKING:  # only a type here: the window starts without loading the ingest stack
    from app.ingest.extract import Extracted

_COLUMNS = (
    "d.id, d.person_id, p.name, d.kind, d.title, d.date, d.facility, d.author, d.doctor_id, "
    "d.pages, d.original_name, d.media_type, d.size, d.sha256, d.file_name, d.notes, "
    "d.include_in_bundle, d.kind_set_by_user, d.date_set_by_user, d.text_status, "
    "d.trashed_at, d.created, d.updated"
)
_FROM = "FROM documents d JOIN people p ON p.id = d.person_id"


def _row_to_document(row: tuple[Any, ...]) -> Document:
    return Document(
        id=row[0],
        person_id=row[1],
        person=row[2],
        kind=DocumentKind(row[3]),
        title=row[4],
        date=row[5],
        facility=row[6],
        author=row[7],
        doctor_id=row[8],
        pages=row[9],
        original_name=row[10],
        media_type=row[11],
        size=row[12],
        sha256=row[13],
        file_name=row[14],
        notes=row[15],
        include_in_bundle=bool(row[16]),
        kind_set_by_user=bool(row[17]),
        date_set_by_user=bool(row[18]),
        text_status=TextStatus(row[19]),
        trashed_at=row[20],
        created=row[21],
        updated=row[22],
    )


@dataclass(frozen=True)
class Duplicate(Exception):
    """The person already has a document with these exact bytes."""

    existing: Document


def find_by_content(binder: Binder, person_id: int, sha256: str) -> Document | None:
    row = binder.db.execute(
        f"SELECT {_COLUMNS} {_FROM} WHERE d.person_id = ? AND d.sha256 = ?", [person_id, sha256]
    ).fetchone()
    return _row_to_document(row) if row else None


def add_document(
    binder: Binder,
    person_id: int,
    stored: StoredFile,
    facts: Extracted,
    original_name: str,
    kind: DocumentKind | None = None,
) -> Document:
    """Record a document whose original is already in the file store (one transaction)."""
    now = now_iso()
    chosen_kind = kind or facts.kind
    try:
        with binder.transaction() as db:
            cursor = db.execute(
                "INSERT INTO documents (person_id, kind, title, date, facility, author, pages, "
                "original_name, media_type, size, sha256, file_name, kind_set_by_user, "
                "text_status, created, updated) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    person_id,
                    chosen_kind.value,
                    facts.title,
                    facts.date,
                    facts.facility,
                    facts.author,
                    facts.pages,
                    original_name,
                    facts.media_type,
                    stored.size,
                    stored.sha256,
                    stored.name,
                    int(kind is not None),
                    facts.text_status,
                    now,
                    now,
                ],
            )
            doc_id = int(cursor.lastrowid or 0)
            db.execute(
                "INSERT INTO document_text (document_id, title, body) VALUES (?, ?, ?)",
                [doc_id, facts.title, facts.text],
            )
            if facts.thumbnail:
                # Encrypted with the database, like the text: never a file on disk.
                db.execute(
                    "INSERT INTO document_thumbnails (document_id, media_type, image) "
                    "VALUES (?, ?, ?)",
                    [doc_id, "image/png", facts.thumbnail],
                )
            if facts.page_words:
                from app.records.page_words import save_page_words

                save_page_words(db, doc_id, facts.page_words)
    except IntegrityError:
        existing = find_by_content(binder, person_id, stored.sha256)
        if existing is None:
            raise
        raise Duplicate(existing) from None
    return get_document(binder, doc_id)


def get_document(binder: Binder, doc_id: int) -> Document:
    row = binder.db.execute(f"SELECT {_COLUMNS} {_FROM} WHERE d.id = ?", [doc_id]).fetchone()
    if row is None:
        raise NotFound(f"There is no document with id {doc_id}.")
    return _row_to_document(row)


def get_documents(binder: Binder, doc_ids: list[int]) -> list[Document]:
    """Several documents in one query, in no particular order (missing ids are skipped)."""
    found: list[Document] = []
    for start in range(0, len(doc_ids), 500):  # well under SQLite's limit on parameters
        chunk = doc_ids[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        rows = binder.db.execute(f"SELECT {_COLUMNS} {_FROM} WHERE d.id IN ({marks})", chunk)
        found.extend(_row_to_document(r) for r in rows)
    return found


def list_documents(
    binder: Binder,
    person_id: int | None = None,
    kind: DocumentKind | None = None,
    trashed: bool = False,
    limit: int | None = None,
    offset: int = 0,
) -> list[Document]:
    """Documents newest first (undated last); the Trash when `trashed`. `limit` and
    `offset` read one page of that order (the documents table loads page by page)."""
    where, params = _where(person_id, kind, trashed)
    # SQLite sorts NULL lowest, so "DESC" puts undated documents last, and the
    # documents_listing index gives this order without a sort.
    order = "ORDER BY d.date DESC, d.id DESC"
    sql = f"SELECT {_COLUMNS} {_FROM} WHERE {where} {order}"
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params += [limit, offset]
    return [_row_to_document(r) for r in binder.db.execute(sql, params)]


def _where(
    person_id: int | None, kind: DocumentKind | None, trashed: bool
) -> tuple[str, list[Any]]:
    where = ["d.trashed_at IS NOT NULL" if trashed else "d.trashed_at IS NULL"]
    params: list[Any] = []
    if person_id is not None:
        where.append("d.person_id = ?")
        params.append(person_id)
    if kind is not None:
        where.append("d.kind = ?")
        params.append(kind.value)
    return " AND ".join(where), params


def kind_counts(binder: Binder, person_id: int) -> dict[DocumentKind, int]:
    """How many documents of each kind the person has (not counting the Trash)."""
    rows = binder.db.execute(
        "SELECT kind, count(*) FROM documents WHERE person_id = ? AND trashed_at IS NULL "
        "GROUP BY kind",
        [person_id],
    )
    return {DocumentKind(kind): int(count) for kind, count in rows}


def latest_date(binder: Binder, person_id: int) -> str | None:
    row = binder.db.execute(
        "SELECT max(date) FROM documents WHERE person_id = ? AND trashed_at IS NULL", [person_id]
    ).fetchone()
    return row[0] if row else None


def dated_documents(
    binder: Binder, person_id: int
) -> list[tuple[int, str, str, DocumentKind, str]]:
    """(id, date, title, kind, facility) of every dated document, oldest first: the few
    facts a timeline needs, without building a Document for each of thousands."""
    rows = binder.db.execute(
        "SELECT id, date, title, kind, facility FROM documents WHERE person_id = ? "
        "AND trashed_at IS NULL AND date IS NOT NULL ORDER BY date, id",
        [person_id],
    )
    return [(r[0], r[1], r[2], DocumentKind(r[3]), r[4]) for r in rows]


def count_documents(binder: Binder, person_id: int | None = None, trashed: bool = False) -> int:
    where, params = _where(person_id, None, trashed)
    row = binder.db.execute(f"SELECT count(*) FROM documents d WHERE {where}", params).fetchone()
    return int(row[0])


def document_sources(binder: Binder, person_id: int, trashed: bool = False) -> list[str]:
    """Every doctor and facility named on the person's documents, in alphabetical order."""
    where, params = _where(person_id, None, trashed)
    rows = binder.db.execute(
        f"SELECT d.author FROM documents d WHERE {where} "
        f"UNION SELECT d.facility FROM documents d WHERE {where}",
        params + params,
    )
    return sorted((r[0] for r in rows if r[0]), key=str.casefold)


def document_text(binder: Binder, doc_id: int) -> str:
    row = binder.db.execute(
        "SELECT body FROM document_text WHERE document_id = ?", [doc_id]
    ).fetchone()
    return row[0] if row else ""


def read_original(binder: Binder, doc_id: int) -> bytes:
    """The original's bytes, decrypted in memory and checked."""
    return binder.files.read(get_document(binder, doc_id).file_name)


_EDITABLE = {
    "title",
    "date",
    "facility",
    "author",
    "notes",
    "kind",
    "include_in_bundle",
    "doctor_id",
}


def update_document(binder: Binder, doc_id: int, **changes: Any) -> Document:
    """Change a document's facts. A kind or date the user sets is never overwritten later."""
    unknown = set(changes) - _EDITABLE
    if unknown:
        raise InvalidValue(f"These facts cannot be edited: {', '.join(sorted(unknown))}.")
    get_document(binder, doc_id)  # NotFound before any write
    values: dict[str, Any] = {}
    for key, value in changes.items():
        if key == "title":
            title = " ".join(str(value).split())
            if not title:
                raise InvalidValue("A document needs a title.")
            values["title"] = title[:300]
        elif key == "date":
            try:
                values["date"] = optional_date(value)
            except ValueError as exc:
                raise InvalidValue(str(exc)) from None
            values["date_set_by_user"] = 1
        elif key == "kind":
            values["kind"] = DocumentKind.parse(str(value)).value
            values["kind_set_by_user"] = 1
        elif key == "doctor_id":
            values["doctor_id"] = None if value is None else int(value)
        elif key == "include_in_bundle":
            values["include_in_bundle"] = int(bool(value))
        else:
            values[key] = str(value)
    values["updated"] = now_iso()
    assignments = ", ".join(f"{column} = ?" for column in values)
    with binder.transaction() as db:
        db.execute(f"UPDATE documents SET {assignments} WHERE id = ?", [*values.values(), doc_id])
        if "title" in values:
            db.execute(
                "UPDATE document_text SET title = ? WHERE document_id = ?",
                [values["title"], doc_id],
            )
    return get_document(binder, doc_id)


def trash_document(binder: Binder, doc_id: int) -> Document:
    get_document(binder, doc_id)
    with binder.transaction() as db:
        db.execute(
            "UPDATE documents SET trashed_at = ?, updated = ? WHERE id = ?",
            [now_iso(), now_iso(), doc_id],
        )
    return get_document(binder, doc_id)


def restore_document(binder: Binder, doc_id: int) -> Document:
    get_document(binder, doc_id)
    with binder.transaction() as db:
        db.execute(
            "UPDATE documents SET trashed_at = NULL, updated = ? WHERE id = ?", [now_iso(), doc_id]
        )
    return get_document(binder, doc_id)


def purge_document(binder: Binder, doc_id: int) -> None:
    """Delete a document from the Trash for good: its row, its text, then its file.

    The row goes first; a crash before the file is removed leaves an orphan that the next
    open's reconciler removes.
    """
    doc = get_document(binder, doc_id)
    if not doc.in_trash:
        raise InvalidValue("Only a document in the Trash can be deleted for good.")
    with binder.transaction() as db:
        # Links from appointments ("bring", attachments) go with it, never left dangling.
        db.execute("DELETE FROM appointment_attachments WHERE document_id = ?", [doc_id])
        # Records imported from this file stay; they only forget where they came from.
        for table in ("medications", "doctors", "appointments"):
            db.execute(
                f"UPDATE {table} SET source_document_id = NULL WHERE source_document_id = ?",
                [doc_id],
            )
        db.execute("DELETE FROM documents WHERE id = ?", [doc_id])
        still_used = db.execute(
            "SELECT 1 FROM documents WHERE file_name = ? LIMIT 1", [doc.file_name]
        ).fetchone()
    if not still_used:
        binder.files.remove(doc.file_name)
