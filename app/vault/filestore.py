"""The encrypted store of originals: files/<keyed hash>, AES-256-GCM in 1 MiB chunks.

Each stored file is named by HMAC-SHA256 of its plaintext under a key derived from the data
key, so equal files share one name and a name reveals nothing without the key. The content
is a sealed stream (sealed_stream.py, magic b"CBF1") whose context is the file's name, so
chunks cannot be reordered, dropped, truncated, or moved between files without the tag
check failing.

Writes go to a temp file inside files/, are fsynced, and are renamed into place.
"""

from __future__ import annotations

import collections
import contextlib
import hashlib
import hmac
import io
import os
import secrets
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from app.progress import Cancelled
from app.vault.atomic import (
    TEMP_PREFIX,
    atomic_writer,
    describe_os_error,
    fsync_dir,
    sync_files,
)
from app.vault.errors import BinderDamaged, StorageError
from app.vault.sealed_stream import (
    CHUNK_SIZE,
    SealedReader,
    SealedWriter,
    StreamDamaged,
    open_sealed,
)

MAGIC = b"CBF1"
READ_SIZE = 1 << 20


def is_stored_name(name: str) -> bool:
    """A keyed hash in hex: the only names CareBinder gives stored files."""
    return len(name) == 64 and all(c in "0123456789abcdef" for c in name)


class FileTampered(BinderDamaged):
    """A stored file failed its authentication check."""


@dataclass(frozen=True)
class StoredFile:
    name: str
    size: int
    sha256: str


class SourceChanged(Exception):
    """The file being stored changed between reading it and sealing it."""


class FileStore:
    def __init__(self, folder: Path, file_key: bytes, name_key: bytes) -> None:
        self.folder = folder
        self._file_key = file_key
        self._name_key = name_key

    def elsewhere(self, folder: Path) -> FileStore:
        """The same keys over another folder (the quarantine)."""
        return FileStore(folder, self._file_key, self._name_key)

    def path(self, name: str) -> Path:
        if not is_stored_name(name):
            raise ValueError(f"not a stored file name: {name!r}")
        return self.folder / name

    def exists(self, name: str) -> bool:
        return self.path(name).exists()

    def names(self) -> list[str]:
        """Every stored file's name: temp files, and anything that is not a stored file
        (a folder, a file someone put there by hand), are not counted."""
        if not self.folder.is_dir():
            return []
        return sorted(
            entry.name
            for entry in os.scandir(self.folder)
            if is_stored_name(entry.name) and entry.is_file(follow_symlinks=False)
        )

    def strays(self) -> list[str]:
        """What is in the folder that CareBinder never writes there (temp files aside)."""
        if not self.folder.is_dir():
            return []
        return sorted(
            entry.name
            for entry in os.scandir(self.folder)
            if not entry.name.startswith(TEMP_PREFIX)
            and not (is_stored_name(entry.name) and entry.is_file(follow_symlinks=False))
        )

    def remove_temp_files(self) -> int:
        """Delete leftovers of writes a crash interrupted; returns how many."""
        count = 0
        for leftover in self.folder.glob(f"{TEMP_PREFIX}*"):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()
                count += 1
        return count

    def name_for(self, source: BinaryIO) -> StoredFile:
        """The name a file would get, its size and SHA-256, reading it once."""
        mac = hmac.new(self._name_key, digestmod=hashlib.sha256)
        sha = hashlib.sha256()
        size = 0
        while block := source.read(READ_SIZE):
            mac.update(block)
            sha.update(block)
            size += len(block)
        return StoredFile(mac.hexdigest(), size, sha.hexdigest())

    def put(self, data: bytes, before_write: Callable[[str], None] | None = None) -> StoredFile:
        """Store bytes held in memory (small files, generated content)."""
        return self.put_stream(lambda: io.BytesIO(data), before_write=before_write)

    def put_stream(
        self,
        opener: Callable[[], BinaryIO],
        should_stop: Callable[[], bool] | None = None,
        before_write: Callable[[str], None] | None = None,
    ) -> StoredFile:
        """Store what `opener` yields and return its entry; equal content is stored once.

        The source is read twice (name, then seal); if it changed in between, the write is
        abandoned with `SourceChanged` and nothing is left behind. `before_write(name)` is
        called once the name is known and a new file is about to be written (the binder
        notes it, so a crash's leftover can be told from a file it cannot explain).
        """
        with opener() as source:
            info = self.name_for(source)
        target = self.path(info.name)
        if target.exists():
            return info
        if before_write is not None:
            before_write(info.name)
        with opener() as source, atomic_writer(target) as out:
            mac = hmac.new(self._name_key, digestmod=hashlib.sha256)
            writer = SealedWriter(out, self._file_key, MAGIC, info.name.encode(), os.urandom(8))
            while block := source.read(CHUNK_SIZE):
                if should_stop is not None and should_stop():
                    raise Cancelled()
                mac.update(block)
                writer.write(block)
            writer.close()
            if mac.hexdigest() != info.name:
                raise SourceChanged("The file changed while it was being imported.")
        return info

    def iter_plain(self, name: str) -> Iterator[bytes]:
        """The original's bytes, chunk by chunk; raises `FileTampered` on any damage."""
        if not self.path(name).exists():
            raise BinderDamaged(f"The stored file {name} is missing.")
        with open(self.path(name), "rb") as handle:
            try:
                yield from open_sealed(handle, self._file_key, MAGIC, name.encode())
            except StreamDamaged as exc:
                raise FileTampered(
                    f"The stored file {name} is damaged or was altered ({exc})."
                ) from None

    def read(self, name: str) -> bytes:
        return b"".join(self.iter_plain(name))

    def open_plain(self, name: str) -> BinaryIO:
        """The original as a seekable read-only file, decrypted one chunk at a time as it is
        read: a PDF library can pick out the parts it needs of a file of any size."""
        path = self.path(name)
        if not path.exists():
            raise BinderDamaged(f"The stored file {name} is missing.")

        def read_at(offset: int, size: int) -> bytes:
            with open(path, "rb") as handle:  # opened per chunk: hundreds may be in use
                handle.seek(offset)
                return handle.read(size)

        try:
            raw = SealedReader(read_at, path.stat().st_size, self._file_key, MAGIC, name.encode())
        except StreamDamaged as exc:
            raise FileTampered(
                f"The stored file {name} is damaged or was altered ({exc})."
            ) from None
        return io.BufferedReader(raw, buffer_size=1 << 13)

    def verify(self, name: str) -> None:
        """Check every chunk's tag and that the content still hashes to the name."""
        mac = hmac.new(self._name_key, digestmod=hashlib.sha256)
        for block in self.iter_plain(name):
            mac.update(block)
        if not hmac.compare_digest(mac.hexdigest(), name):
            raise FileTampered(f"The stored file {name} does not match its name.")

    def remove(self, name: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path(name).unlink()


# Files up to this size are read once, into memory, and named and sealed from there; larger
# ones are read twice from their source (name, then seal), as `put_file` does.
IN_MEMORY_LIMIT = 64 << 20
# Bytes handed to a batch's sealing threads and not yet written: how far reading may run
# ahead of sealing. At least one file is always taken, whatever its size.
IN_FLIGHT_LIMIT = 32 << 20
SEALING_THREADS = 2


@dataclass
class _Part:
    """The files added to a batch between two commits."""

    sealing: list[Future[StoredFile]] = field(default_factory=list)
    written: dict[str, Path] = field(default_factory=dict)  # name -> temp file


class StoreBatch:
    """Many files stored together, made durable with one sync (an imaging disc's hundreds of
    images), the reading, the sealing and the syncing overlapping.

    `add(data)` hands bytes already read to the batch's sealing threads and returns at once,
    so the caller reads the next file while they work: each is named (the keyed hash) and
    hashed (SHA-256) from the same bytes and sealed into a temp file in files/ without its
    own fsync. hashlib, hmac and AES-GCM leave Python's lock while they work on large
    buffers, so two threads keep two cores busy. At most `IN_FLIGHT_LIMIT` bytes wait
    (memory stays flat), and a failure is raised by the next `add` or by the commit.

    `commit_in_background()` takes the files added since the last commit as one part; the
    batch's committing thread waits for their sealing, syncs them all (while the next part
    is sealed), renames each to its name and syncs the folder, so a name appears in files/
    only once its content is on the disk, as with `FileStore.put`. The caller goes on adding
    files, and writes the rows naming a part's files once its future is done; parts are
    committed in order, and after a part fails none that follows is. `commit()` does the
    same and waits. `discard()`, or a crash (the reconciler removes temp files, and files no
    row names, at the next open), leaves nothing behind. Use it as a context manager:
    leaving it waits for the threads, then discards what was not committed.
    """

    def __init__(
        self, store: FileStore, before_commit: Callable[[list[str]], None] | None = None
    ) -> None:
        self.store = store
        # Called on the caller's thread with the names about to appear in files/ (the
        # binder notes them, so a crash before their rows are committed leaves files it can
        # tell for leftovers); the database is never touched from the batch's threads.
        self._before_commit = before_commit
        self._pending: dict[str, Path] = {}  # name -> temp file, written, not yet renamed
        self._writing: set[str] = set()  # names being written by a sealing thread
        self._lock = threading.Lock()
        self._threads: ThreadPoolExecutor | None = None
        self._committer: ThreadPoolExecutor | None = None
        self._part = _Part()
        self._failed: BaseException | None = None  # a part's commit failed: no more commits
        self._in_flight: collections.deque[tuple[Future[StoredFile], int]] = collections.deque()
        self._in_flight_bytes = 0

    def __enter__(self) -> StoreBatch:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def add(self, data: bytes) -> Future[StoredFile]:
        """Store bytes held in memory: named, hashed and sealed from them on a sealing thread.
        The entry is ready once its part is committed; a storage error is raised here (an
        earlier file's) or by the commit."""
        self._collect(IN_FLIGHT_LIMIT - len(data))
        if self._threads is None:
            self._threads = ThreadPoolExecutor(SEALING_THREADS, "store-batch")
        part = self._part
        future = self._threads.submit(self._seal, data, part)
        part.sealing.append(future)
        self._in_flight.append((future, len(data)))
        self._in_flight_bytes += len(data)
        return future

    def _collect(self, room: int) -> None:
        """Take in what the sealing threads finished (raising their first failure), waiting
        for the oldest until `room` bytes at most are in flight."""
        while self._in_flight:
            future, size = self._in_flight[0]
            if not future.done() and self._in_flight_bytes <= max(room, 0):
                return
            future.result()  # waits for it; raises what it raised
            self._in_flight.popleft()
            self._in_flight_bytes -= size

    def _seal(self, data: bytes, part: _Part) -> StoredFile:
        mac = hmac.new(self.store._name_key, digestmod=hashlib.sha256)
        mac.update(data)  # update(), not new(key, data): it releases Python's lock
        info = StoredFile(mac.hexdigest(), len(data), hashlib.sha256(data).hexdigest())
        if self._reserve(info.name):
            self._write(info.name, lambda writer: writer.write_whole(data), part)
        return info

    def _reserve(self, name: str) -> bool:
        """Whether this name is to be written here: not already stored, in the batch or
        being written by another thread (equal content is stored once)."""
        with self._lock:
            if name in self._pending or name in self._writing or self.store.exists(name):
                return False
            self._writing.add(name)
            return True

    def add_file(self, path: Path, should_stop: Callable[[], bool] | None = None) -> StoredFile:
        """Store a file too large to hold in memory: read once to name it, once to seal it
        (on the caller's thread)."""
        with open(path, "rb") as source:
            info = self.store.name_for(source)
        if not self._reserve(info.name):
            return info

        def copy(writer: SealedWriter) -> None:
            mac = hmac.new(self.store._name_key, digestmod=hashlib.sha256)
            with open(path, "rb") as source:
                while block := source.read(CHUNK_SIZE):
                    if should_stop is not None and should_stop():
                        raise Cancelled()
                    mac.update(block)
                    writer.write(block)
            writer.close()
            if mac.hexdigest() != info.name:
                raise SourceChanged("The file changed while it was being imported.")

        self._write(info.name, copy, self._part)
        return info

    def _write(self, name: str, fill: Callable[[SealedWriter], None], part: _Part) -> None:
        """Seal into a new temp file and add it to the part (the name is reserved)."""
        temp = self.store.folder / f"{TEMP_PREFIX}{secrets.token_hex(8)}"
        try:
            fd = os.open(
                temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600
            )
            with os.fdopen(fd, "wb") as out:
                writer = SealedWriter(
                    out, self.store._file_key, MAGIC, name.encode(), os.urandom(8)
                )
                fill(writer)
        except OSError as exc:
            self._forget(name, temp)
            raise StorageError(describe_os_error(exc, self.store.folder)) from exc
        except BaseException:
            self._forget(name, temp)
            raise
        with self._lock:
            self._writing.discard(name)
            self._pending[name] = temp
            part.written[name] = temp

    def _forget(self, name: str, temp: Path) -> None:
        with contextlib.suppress(OSError):
            temp.unlink()
        with self._lock:
            self._writing.discard(name)

    def commit_in_background(self) -> Future[None]:
        """Commit the files added since the last commit, on the committing thread; done when
        they are durable under their names (or raising why not)."""
        part, self._part = self._part, _Part()
        if self._before_commit is not None:
            # The part's names are known once it is sealed (at most IN_FLIGHT_LIMIT bytes
            # still under way; a large file's `add_file` sealed it already); they are noted
            # here, before the committing thread renames.
            try:
                for sealing in part.sealing:
                    sealing.result()
            except Exception:
                pass  # raised again by the commit, which then names nothing of this part
            else:
                with self._lock:
                    names = list(part.written)
                if names and self._failed is None:
                    self._before_commit(names)
        if self._committer is None:
            self._committer = ThreadPoolExecutor(1, "store-batch-commit")
        return self._committer.submit(self._commit, part)

    def commit(self) -> None:
        """Make every file added so far durable under its name. Raises the first failure
        of a file handed to `add`, having named nothing of its part."""
        self.commit_in_background().result()

    def _commit(self, part: _Part) -> None:
        if self._failed is not None:
            raise self._failed  # a part before this one failed: its files may be named here
        try:
            for sealing in part.sealing:
                sealing.result()
            with self._lock:
                written = dict(part.written)
            if not written:
                return
            folder = self.store.folder
            try:
                sync_files(folder, list(written.values()))
                for name, temp in written.items():
                    os.replace(temp, folder / name)
                    with self._lock:
                        del self._pending[name]
                fsync_dir(folder)
            except OSError as exc:
                raise StorageError(describe_os_error(exc, folder)) from exc
        except BaseException as exc:
            self._failed = exc
            raise

    def discard(self) -> None:
        """Remove what was written and not committed (waiting for the threads)."""
        for future, _size in self._in_flight:
            future.cancel()
        for future, _size in self._in_flight:
            with contextlib.suppress(BaseException):
                future.result()
        self._in_flight.clear()
        self._in_flight_bytes = 0
        if self._committer is not None:
            self._committer.shutdown(wait=True, cancel_futures=True)  # one under way finishes
            self._committer = None
        self._part = _Part()
        for temp in self._pending.values():
            with contextlib.suppress(OSError):
                temp.unlink()
        self._pending.clear()

    def close(self) -> None:
        """Wait for the threads, discard what was not committed and stop them."""
        try:
            self.discard()
        finally:
            if self._threads is not None:
                self._threads.shutdown(wait=True)
                self._threads = None
