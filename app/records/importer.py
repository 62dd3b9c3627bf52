"""Import files and folders into a person's documents, one transaction per file.

Each file ends as `ok`, `duplicate` (with the existing document) or `refused` (with a reason
a person understands). A cancelled or killed import keeps every file that finished; the file
store write comes before the row, so a crash in between leaves only a stored file the
database noted as being written, which the next open removes.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from app.ingest.extract import MAX_FILE_SIZE, Extracted, Options, extract
from app.ingest.kinds import DocumentKind
from app.ingest.refusal import Refused
from app.progress import CancelFlag, Cancelled, Progress, no_progress
from app.records.documents import Duplicate, add_document, find_by_content
from app.records.models import Document
from app.vault.binder import Binder
from app.vault.errors import StorageError
from app.vault.faults import fault_point

_log = logging.getLogger(__name__)


class Outcome(StrEnum):
    OK = "ok"
    DUPLICATE = "duplicate"
    REFUSED = "refused"


@dataclass(frozen=True)
class ImportResult:
    path: str
    status: Outcome
    document: Document | None = None
    reason: str | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "path": self.path,
            "status": self.status.value,
            "reason": self.reason,
            "id": None,
            "person": None,
            "kind": None,
            "title": None,
            "date": None,
            "pages": None,
            "size": None,
            "sha256": None,
            "original_name": Path(self.path).name,
        }
        if self.document is not None:
            doc = self.document.to_json()
            data.update({key: doc[key] for key in data if key in doc and key != "path"})
            if self.status is Outcome.DUPLICATE:
                data["duplicate_of"] = self.document.id
        return data


@dataclass(frozen=True)
class Candidate:
    """A path found while walking the user's selection, or why it cannot be read."""

    path: Path
    problem: str | None = None


def display_path(path: Path) -> str:
    """A path as text even when its bytes are not valid UTF-8."""
    return os.fsdecode(path).encode("utf-8", "replace").decode("utf-8")


def collect(paths: Iterable[Path]) -> Iterator[Candidate]:
    """Every file under the given paths, folders recursively, in a stable order.

    Symlinked folders are followed once (a loop is cut), hidden files are skipped.
    """
    seen_dirs: set[tuple[int, int]] = set()

    def walk(folder: Path) -> Iterator[Candidate]:
        try:
            stat = folder.stat()
        except OSError as exc:
            yield Candidate(folder, f"The folder cannot be read ({exc.strerror}).")
            return
        key = (stat.st_dev, stat.st_ino)
        if key in seen_dirs:
            return
        seen_dirs.add(key)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: os.fsencode(e.name))
        except OSError as exc:
            yield Candidate(folder, f"The folder cannot be read ({exc.strerror}).")
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            child = Path(entry.path)
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                yield from walk(child)
            else:
                yield Candidate(child)

    for path in paths:
        if path.is_dir():
            yield from walk(path)
        elif path.exists() or path.is_symlink():
            yield Candidate(path)
        else:
            yield Candidate(path, "There is no file or folder at this path.")


def _read(path: Path) -> bytes:
    # Checked before opening: opening a pipe or a device could block for ever.
    if path.exists() and not path.is_file():
        raise Refused("This is not a regular file (a device, a pipe or a socket).")
    if path.is_symlink() and not path.exists():
        raise Refused("This is a link to a file that is not there (a broken shortcut).")
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_FILE_SIZE + 1)
    except FileNotFoundError:
        raise Refused("The file disappeared before it could be read.") from None
    except PermissionError:
        raise Refused("CareBinder is not allowed to read this file.") from None
    except IsADirectoryError:
        raise Refused("This is a folder, not a file.") from None
    except OSError as exc:
        reason = exc.strerror or "input/output error"
        raise Refused(f"The file could not be read ({reason}).") from None
    return data


def import_bytes(
    binder: Binder,
    person_id: int,
    data: bytes,
    original_name: str,
    kind: DocumentKind | None = None,
    pdf_password: str | None = None,
    label: str | None = None,
    *,
    options: Options | None = None,
    progress: Progress = no_progress,
    cancel: CancelFlag | None = None,
) -> ImportResult:
    """Import one original held in memory (the demo binder uses this directly).

    `progress` reports OCR pages; a cancel raises `Cancelled` and stores nothing.
    """
    label = label or original_name
    existing = find_by_content(binder, person_id, hashlib.sha256(data).hexdigest())
    if existing is not None:
        return ImportResult(label, Outcome.DUPLICATE, existing, _duplicate_reason(existing))
    try:
        facts: Extracted = extract(
            data, original_name, pdf_password, options=options, progress=progress, cancel=cancel
        )
    except Refused as exc:
        return ImportResult(label, Outcome.REFUSED, reason=str(exc))
    try:
        stored = binder.store(data)
        fault_point("file-stored")
        document = add_document(binder, person_id, stored, facts, original_name, kind)
        fault_point("row-committed")
    except Duplicate as dup:
        return ImportResult(label, Outcome.DUPLICATE, dup.existing, _duplicate_reason(dup.existing))
    except StorageError as exc:
        return ImportResult(label, Outcome.REFUSED, reason=str(exc))
    return ImportResult(label, Outcome.OK, document)


def _duplicate_reason(existing: Document) -> str:
    where = " (in the Trash)" if existing.in_trash else ""
    return f"Already in the binder as document {existing.id}, “{existing.title}”{where}."


def import_file(
    binder: Binder,
    person_id: int,
    path: Path,
    kind: DocumentKind | None = None,
    pdf_password: str | None = None,
    *,
    options: Options | None = None,
    progress: Progress = no_progress,
    cancel: CancelFlag | None = None,
) -> ImportResult:
    label = display_path(path)
    try:
        data = _read(path)
    except Refused as exc:
        return ImportResult(label, Outcome.REFUSED, reason=str(exc))
    return import_bytes(
        binder,
        person_id,
        data,
        label.rsplit(os.sep, 1)[-1],
        kind,
        pdf_password,
        label,
        options=options,
        progress=progress,
        cancel=cancel,
    )


def import_paths(
    binder: Binder,
    person_id: int,
    paths: Iterable[Path],
    kind: DocumentKind | None = None,
    pdf_password: str | None = None,
    progress: Progress = no_progress,
    cancel: CancelFlag | None = None,
    options: Options | None = None,
) -> list[ImportResult]:
    """Import every file under `paths`; stops when `cancel` is set (a file being read when
    it is set is not stored; every file before it stays)."""
    candidates = list(collect(paths))
    results: list[ImportResult] = []
    for done, candidate in enumerate(candidates):
        if cancel is not None and cancel.cancelled:
            break
        progress(done, len(candidates), display_path(Path(candidate.path.name)))
        if candidate.problem:
            results.append(
                ImportResult(
                    display_path(candidate.path), Outcome.REFUSED, reason=candidate.problem
                )
            )
            continue
        name = display_path(Path(candidate.path.name))

        def pages(page: int, total: int, what: str, done: int = done, name: str = name) -> None:
            progress(done, len(candidates), f"{name} ({what})" if what else name)

        try:
            result = import_file(
                binder,
                person_id,
                candidate.path,
                kind,
                pdf_password,
                options=options,
                progress=pages,
                cancel=cancel,
            )
        except Cancelled:
            break
        results.append(result)
    progress(len(results), len(candidates), "")
    counts = {o: sum(1 for r in results if r.status is o) for o in Outcome}
    # Counts and ids only: file names are medical content too (see app/logs.py).
    _log.info(
        "import into person %d: %d ok, %d duplicate, %d refused",
        person_id, counts[Outcome.OK], counts[Outcome.DUPLICATE], counts[Outcome.REFUSED],
    )  # fmt: skip
    return results


def make_searchable(
    binder: Binder,
    doc_id: int,
    pdf_password: str | None = None,
    progress: Progress = no_progress,
    cancel: CancelFlag | None = None,
) -> Document:
    """Read a stored document again with OCR ("Make searchable", once tesseract is installed).

    Replaces its text and text status in one transaction. Its kind and date are updated from
    the new text only where the user has not set them. A cancel raises `Cancelled` and
    changes nothing; an unreadable original raises `Refused`.
    """
    from app.records.dates import now_iso
    from app.records.documents import get_document, read_original

    doc = get_document(binder, doc_id)
    facts = extract(
        read_original(binder, doc_id),
        doc.original_name,
        pdf_password,
        options=Options(ocr=True),
        progress=progress,
        cancel=cancel,
    )
    values: dict[str, Any] = {"text_status": facts.text_status, "updated": now_iso()}
    if not doc.kind_set_by_user and doc.kind is DocumentKind.OTHER:
        values["kind"] = facts.kind.value
    if not doc.date_set_by_user and doc.date is None and facts.date:
        values["date"] = facts.date
    assignments = ", ".join(f"{column} = ?" for column in values)
    with binder.transaction() as db:
        db.execute(f"UPDATE documents SET {assignments} WHERE id = ?", [*values.values(), doc_id])
        db.execute("UPDATE document_text SET body = ? WHERE document_id = ?", [facts.text, doc_id])
    return get_document(binder, doc_id)
