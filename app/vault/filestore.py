"""The encrypted store of originals: files/<keyed hash>, AES-256-GCM in 1 MiB chunks.

Each stored file is named by HMAC-SHA256 of its plaintext under a key derived from the data
key, so equal files share one name and a name reveals nothing without the key. The content
is a sealed stream (sealed_stream.py, magic b"CBF1") whose context is the file's name, so
chunks cannot be reordered, dropped, truncated, or moved between files without the tag
check failing.

Writes go to a temp file inside files/, are fsynced, and are renamed into place.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import io
import os
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from app.progress import Cancelled
from app.vault.atomic import TEMP_PREFIX, atomic_writer, describe_os_error, fsync_dir, sync_files
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


class StoreBatch:
    """Many files stored together, made durable with one sync (an imaging disc's hundreds of
    images).

    Each file is sealed into a temp file in files/ as it comes, without its own fsync.
    `commit()` syncs them all, then renames each to its name and syncs the folder, so a name
    appears in files/ only once its content is on the disk, as with `FileStore.put`; the
    caller commits the rows naming them after that. `discard()`, or a crash (the reconciler
    removes temp files at the next open), leaves nothing behind.
    """

    def __init__(
        self, store: FileStore, before_commit: Callable[[list[str]], None] | None = None
    ) -> None:
        self.store = store
        # Called with the names about to appear in files/ (the binder notes them, so a
        # crash before their rows are committed leaves files it can tell for leftovers).
        self._before_commit = before_commit
        self._pending: dict[str, Path] = {}  # name -> temp file

    def __enter__(self) -> StoreBatch:
        return self

    def __exit__(self, *exc: object) -> None:
        self.discard()

    def __len__(self) -> int:
        return len(self._pending)

    def add(self, data: bytes) -> StoredFile:
        """Store bytes held in memory (named and sealed in one pass)."""
        mac = hmac.new(self.store._name_key, data, hashlib.sha256)
        info = StoredFile(mac.hexdigest(), len(data), hashlib.sha256(data).hexdigest())
        if info.name in self._pending or self.store.exists(info.name):
            return info
        self._write(info.name, lambda writer: writer.write_whole(data))
        return info

    def add_file(self, path: Path, should_stop: Callable[[], bool] | None = None) -> StoredFile:
        """Store a file too large to hold in memory: read once to name it, once to seal it."""
        with open(path, "rb") as source:
            info = self.store.name_for(source)
        if info.name in self._pending or self.store.exists(info.name):
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

        self._write(info.name, copy)
        return info

    def _write(self, name: str, fill: Callable[[SealedWriter], None]) -> None:
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
            with contextlib.suppress(OSError):
                temp.unlink()
            raise StorageError(describe_os_error(exc, self.store.folder)) from exc
        except BaseException:
            with contextlib.suppress(OSError):
                temp.unlink()
            raise
        self._pending[name] = temp

    def commit(self) -> None:
        """Make every file of the batch durable under its name; the batch is then empty."""
        if not self._pending:
            return
        folder = self.store.folder
        if self._before_commit is not None:
            self._before_commit(list(self._pending))
        try:
            sync_files(folder, list(self._pending.values()))
            for name, temp in list(self._pending.items()):
                os.replace(temp, folder / name)
                del self._pending[name]
            fsync_dir(folder)
        except OSError as exc:
            raise StorageError(describe_os_error(exc, folder)) from exc

    def discard(self) -> None:
        """Remove what was written and not committed."""
        for temp in self._pending.values():
            with contextlib.suppress(OSError):
                temp.unlink()
        self._pending.clear()
