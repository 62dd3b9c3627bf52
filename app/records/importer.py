"""Import files and folders into a person's documents, one transaction per file.

Each file ends as `ok`, `duplicate` (with the existing document) or `refused` (with a reason
a person understands). A cancelled or killed import keeps every file that finished; the file
store write comes before the row, so a crash in between leaves only an orphan file that the
next open removes.

An import of many files is a pipeline: files are read (type, text, thumbnail, OCR) by
several threads side by side, each with its own sandbox child, while the calling thread,
which owns the database connection, stores the files already read (hashing, encryption,
fsync, the database) in the order they were given. A few files are read ahead, never more,
so memory holds a handful of files however many are imported.
"""

from __future__ import annotations

import hashlib
import logging
import os
import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from app.ingest.extract import MAX_FILE_SIZE, Extracted, Options, choose_title, extract
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
    return _store(binder, person_id, data, facts, original_name, kind, label)


def _store(
    binder: Binder,
    person_id: int,
    data: bytes,
    facts: Extracted,
    original_name: str,
    kind: DocumentKind | None,
    label: str,
) -> ImportResult:
    """The original into the file store, then its row: one transaction."""
    try:
        stored = binder.files.put(data)
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


def reader_count() -> int:
    """Files read side by side: two on two cores, more on more."""
    from app.ingest.ocr_pool import worker_count

    return max(2, worker_count())


def import_paths(
    binder: Binder,
    person_id: int,
    paths: Iterable[Path],
    kind: DocumentKind | None = None,
    pdf_password: str | None = None,
    progress: Progress = no_progress,
    cancel: CancelFlag | None = None,
    options: Options | None = None,
    pages: Progress = no_progress,
) -> list[ImportResult]:
    """Import every file under `paths`, results in the order the files were found.

    `progress(done, total, name)` counts files; while a scan is read, `pages(done, total,
    name)` counts its pages (and `progress` names the page in its label). Both are called
    on this thread. Stops when `cancel` is set: a file being read then is not stored;
    every file before it stays, whole."""
    candidates = list(collect(paths))
    total = len(candidates)
    results: list[ImportResult] = []
    with _Readers(binder, person_id, candidates, pdf_password, options, cancel) as readers:
        twins: dict[str, ImportResult] = {}  # sha256 -> result, for duplicates in this drop
        for done, candidate in enumerate(candidates):
            if cancel is not None and cancel.cancelled:
                break
            name = display_path(Path(candidate.path.name))
            progress(done, total, name)

            def page(count: int, of: int, what: str, done: int = done, name: str = name) -> None:
                # Where pages are shown apart, the file's line keeps to the file's name.
                apart = pages is not no_progress
                progress(done, total, f"{name} ({what})" if what and not apart else name)
                pages(count, of, name if what else "")

            read = readers.result(done, page)
            if read is None or (cancel is not None and cancel.cancelled):
                break  # cancelled while it was being read: not stored
            result = _store_read(binder, person_id, read, kind, twins)
            results.append(result)
            if read.sha256 and read.sha256 not in twins:
                twins[read.sha256] = result
    progress(len(results), total, "")
    counts = {o: sum(1 for r in results if r.status is o) for o in Outcome}
    # Counts and ids only: file names are medical content too (see app/logs.py).
    _log.info(
        "import into person %d: %d ok, %d duplicate, %d refused",
        person_id, counts[Outcome.OK], counts[Outcome.DUPLICATE], counts[Outcome.REFUSED],
    )  # fmt: skip
    return results


@dataclass(frozen=True)
class _Read:
    """One file as a reader thread left it for the storing thread."""

    label: str
    name: str
    data: bytes | None = None
    sha256: str = ""
    facts: Extracted | None = None
    refused: str | None = None  # the reason it cannot be imported
    known: bool = False  # already in the binder, or the same bytes as a file before it


def _store_read(
    binder: Binder,
    person_id: int,
    read: _Read,
    kind: DocumentKind | None,
    twins: dict[str, ImportResult],
) -> ImportResult:
    if read.refused is not None:
        return ImportResult(read.label, Outcome.REFUSED, reason=read.refused)
    existing = find_by_content(binder, person_id, read.sha256)
    if existing is not None:
        return ImportResult(read.label, Outcome.DUPLICATE, existing, _duplicate_reason(existing))
    twin = twins.get(read.sha256)
    if twin is not None:  # the same bytes earlier in this drop, which was not imported
        return ImportResult(read.label, twin.status, twin.document, twin.reason)
    if read.facts is None or read.data is None:  # a twin of a later file's reading: read now
        return import_bytes(binder, person_id, read.data or b"", read.name, kind, label=read.label)
    return _store(binder, person_id, read.data, read.facts, read.name, kind, read.label)


class _Stop(CancelFlag):
    """Set by the import when it ends early, or by the user's own cancel."""

    def __init__(self, user: CancelFlag | None) -> None:
        super().__init__()
        self._user = user

    @property
    def cancelled(self) -> bool:
        return super().cancelled or (self._user is not None and self._user.cancelled)

    def raise_if_cancelled(self) -> None:
        if self.cancelled:
            raise Cancelled()


class _Readers:
    """Files read ahead of the storing thread by `reader_count()` threads, each with its
    own sandbox child, at most a few files ahead."""

    def __init__(
        self,
        binder: Binder,
        person_id: int,
        candidates: list[Candidate],
        password: str | None,
        options: Options | None,
        cancel: CancelFlag | None,
    ) -> None:
        from app.ingest.sandbox import shared

        rows = binder.db.execute("SELECT sha256 FROM documents WHERE person_id = ?", [person_id])
        self._known = {str(sha) for (sha,) in rows}  # read nothing already in the binder
        self._first: dict[str, int] = {}  # sha256 -> index of the first file with it
        self._lock = threading.Lock()
        self._candidates, self._password, self._options = candidates, password, options
        self._stop = _Stop(cancel)
        count = reader_count()
        self._boxes: queue.Queue[Any] = queue.Queue()
        for n in range(count):  # the first is the child single files are read by
            self._boxes.put(shared("default" if n == 0 else f"reader-{n}"))
        self._pool = ThreadPoolExecutor(count, thread_name_prefix="carebinder-reader")
        self._ahead = count + 2
        self._futures: dict[int, Future[_Read]] = {}
        self._events: queue.Queue[tuple[int, int, int, str]] = queue.Queue()
        self._submitted = 0

    def __enter__(self) -> _Readers:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.cancel()
        self._pool.shutdown(wait=True, cancel_futures=True)

    def result(self, index: int, page: Callable[[int, int, str], None]) -> _Read | None:
        """File `index` read; page progress for it reported through `page` on this thread.
        None when the import was cancelled before it was read."""
        while self._submitted < min(index + self._ahead, len(self._candidates)):
            n = self._submitted
            self._futures[n] = self._pool.submit(self._read, n)
            self._submitted += 1
        future = self._futures.pop(index)
        # The reader's page events arrive on a queue; its end is one more event, so this
        # thread wakes the moment the file is read.
        future.add_done_callback(lambda _: self._events.put((index, -1, -1, "")))
        while True:
            which, count, of, what = self._events.get()
            if which != index:
                continue  # a file read ahead: its pages are shown when its turn comes
            if count < 0:
                break
            page(count, of, what)
        try:
            return future.result()
        except Cancelled:
            return None

    def _read(self, index: int) -> _Read:
        candidate = self._candidates[index]
        label = display_path(candidate.path)
        name = label.rsplit(os.sep, 1)[-1]
        self._stop.raise_if_cancelled()
        if candidate.problem:
            return _Read(label, name, refused=candidate.problem)
        try:
            data = _read(candidate.path)
        except Refused as exc:
            return _Read(label, name, refused=str(exc))
        sha = hashlib.sha256(data).hexdigest()
        with self._lock:
            first = self._first.setdefault(sha, index)
            if index < first:
                self._first[sha] = first = index
        if sha in self._known or first != index:
            return _Read(label, name, data, sha, known=True)
        box = self._boxes.get()
        try:
            facts = extract(
                data,
                name,
                self._password,
                options=self._options,
                progress=lambda count, of, what: self._events.put((index, count, of, what)),
                cancel=self._stop,
                reader=box,
            )
        except Refused as exc:
            return _Read(label, name, data, sha, refused=str(exc))
        finally:
            self._boxes.put(box)
        return _Read(label, name, data, sha, facts)


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
    from app.records.page_words import save_page_words

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
    if doc.title == choose_title(doc.original_name, "", "", doc.kind):
        values["title"] = facts.title  # still the name's placeholder: the text names it now
    assignments = ", ".join(f"{column} = ?" for column in values)
    with binder.transaction() as db:
        db.execute(f"UPDATE documents SET {assignments} WHERE id = ?", [*values.values(), doc_id])
        db.execute("UPDATE document_text SET body = ? WHERE document_id = ?", [facts.text, doc_id])
        save_page_words(db, doc_id, facts.page_words)
    return get_document(binder, doc_id)
