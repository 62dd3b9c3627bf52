"""What was given to whom: a line for every bundle written and every sheet printed or saved.

It answers "what did I give Dr. X, and when?" and keeps what is needed to make the same
bundle again: the documents (id, title, date, checksum) and the options chosen. It never
keeps a password, only whether there was one.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from app.records.dates import now_iso
from app.records.errors import NotFound
from app.vault.binder import Binder

BUNDLE = "bundle"
SHEET_PRINTED = "sheet printed"
SHEET_SAVED = "sheet saved"


@dataclass(frozen=True)
class SharedDocument:
    id: int
    title: str
    date: str | None
    kind: str
    sha256: str

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "date": self.date,
            "kind": self.kind,
            "sha256": self.sha256,
        }


@dataclass(frozen=True)
class ShareEntry:
    id: int
    person_id: int
    shared_at: str  # UTC, ISO 8601
    what: str  # "bundle", "sheet printed", "sheet saved"
    for_doctor: str
    target: str  # where it was written ("" when printed)
    documents: tuple[SharedDocument, ...]
    files: dict[str, str] = field(default_factory=dict)  # generated file name -> sha256
    options: dict[str, Any] = field(default_factory=dict)
    password_protected: bool = False

    @property
    def is_bundle(self) -> bool:
        return self.what == BUNDLE

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "person_id": self.person_id,
            "shared_at": self.shared_at,
            "what": self.what,
            "for_doctor": self.for_doctor,
            "target": self.target,
            "documents": [d.to_json() for d in self.documents],
            "files": dict(self.files),
            "options": dict(self.options),
            "password_protected": self.password_protected,
        }


_SELECT = (
    "SELECT id, person_id, shared_at, what, for_doctor, target, documents, files, options, "
    "password_protected FROM share_log"
)


def _entry(row: tuple[Any, ...]) -> ShareEntry:
    docs = tuple(
        SharedDocument(
            int(d["id"]), str(d["title"]), d.get("date"), str(d.get("kind", "")), str(d["sha256"])
        )
        for d in json.loads(row[6] or "[]")
    )
    return ShareEntry(
        id=row[0],
        person_id=row[1],
        shared_at=row[2],
        what=row[3],
        for_doctor=row[4],
        target=row[5],
        documents=docs,
        files=json.loads(row[7] or "{}"),
        options=json.loads(row[8] or "{}"),
        password_protected=bool(row[9]),
    )


def record_share(
    binder: Binder,
    person_id: int,
    what: str,
    documents: Sequence[SharedDocument],
    for_doctor: str = "",
    target: str = "",
    files: dict[str, str] | None = None,
    options: dict[str, Any] | None = None,
    password_protected: bool = False,
    shared_at: str | None = None,
) -> ShareEntry:
    """Log one bundle or sheet; `shared_at` (UTC, ISO 8601) is now unless given (the demo
    tells of a bundle shared weeks ago)."""
    if options and any("password" in key for key in options):
        raise ValueError("the share log never keeps a password")
    with binder.transaction() as db:
        cursor = db.execute(
            "INSERT INTO share_log (person_id, shared_at, what, for_doctor, target, documents, "
            "files, options, password_protected) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                person_id,
                shared_at or now_iso(),
                what,
                for_doctor.strip(),
                target,
                json.dumps([d.to_json() for d in documents]),
                json.dumps(files or {}),
                json.dumps(options or {}),
                int(password_protected),
            ],
        )
        entry_id = int(cursor.lastrowid or 0)
    return get_share(binder, entry_id)


def get_share(binder: Binder, entry_id: int) -> ShareEntry:
    row = binder.db.execute(f"{_SELECT} WHERE id = ?", [entry_id]).fetchone()
    if row is None:
        raise NotFound(f"Nothing shared is logged with number {entry_id}.")
    return _entry(row)


def list_shares(binder: Binder, person_id: int, for_doctor: str | None = None) -> list[ShareEntry]:
    """Newest first. `for_doctor`: only what was given to a doctor whose name contains it."""
    rows = binder.db.execute(
        f"{_SELECT} WHERE person_id = ? ORDER BY shared_at DESC, id DESC", [person_id]
    ).fetchall()
    entries = [_entry(row) for row in rows]
    if for_doctor:
        wanted = " ".join(for_doctor.split()).casefold()
        entries = [e for e in entries if wanted in e.for_doctor.casefold()]
    return entries


def doctors_shared_with(binder: Binder, person_id: int) -> list[str]:
    rows = binder.db.execute(
        "SELECT DISTINCT for_doctor FROM share_log WHERE person_id = ? AND for_doctor != '' "
        "ORDER BY for_doctor COLLATE NOCASE",
        [person_id],
    ).fetchall()
    return [r[0] for r in rows]
