"""Backups: the whole binder in one encrypted file that opens only with the passphrase.

    b"CBBACKUP" | header length (4 bytes, big endian) | header (JSON) | sealed stream

The header is public: the format, when it was made, and the binder's keys.json (the data
key wrapped by the recovery passphrase). The sealed stream (sealed_stream.py, keyed by a
key derived from the data key, with the header as its context) holds a sequence of entries:
a consistent snapshot of the database (SQLCipher's `VACUUM INTO`, never a copy of the live
file) and every stored original, still encrypted as in files/ (and in quarantine/, see
quarantine.py).

Restore writes into a fresh folder beside the target, checks the result with the binder's
own `check`, and only then swaps it in; a binder that was there is kept, renamed, never
deleted. Every entry name is checked, so a hostile backup cannot write outside the folder.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from app import __version__
from app.progress import CancelFlag, Progress, no_progress
from app.vault.atomic import atomic_writer, describe_os_error, fsync_dir
from app.vault.binder import DB_FILE, FILES_DIR, Binder
from app.vault.errors import BinderDamaged, StorageError, VaultError
from app.vault.keys import KEYS_FILE, KeyFile, subkey
from app.vault.quarantine import QUARANTINE_DIR
from app.vault.sealed_stream import SealedWriter, StreamDamaged, open_sealed
from app.vault.sqlcipher import Database

MAGIC = b"CBBACKUP"
STREAM_MAGIC = b"CBB1"
FORMAT = 1
MAX_HEADER = 64 * 1024
SUFFIX = ".cbbackup"
_ENTRY = struct.Struct(">cH")  # kind (b"E" entry, b"Z" end), name length
_SIZE = struct.Struct(">Q")
_FILE_NAME = re.compile(r"^(files|quarantine)/[0-9a-f]{64}$")


class BackupRefused(VaultError):
    """The file is not a CareBinder backup, or it is damaged; nothing was changed."""


@dataclass(frozen=True)
class BackupReport:
    path: Path
    files: int
    size: int
    created: str


def _header(binder: Binder, created: str) -> bytes:
    return json.dumps(
        {
            "format": FORMAT,
            "created": created,
            "app_version": __version__,
            "binder_id": binder.binder_id,
            "keys": binder.keyfile.to_json(),
        },
        sort_keys=True,
    ).encode("utf-8")


def _write_entry(writer: SealedWriter, name: str, source: BinaryIO) -> None:
    encoded = name.encode("ascii")
    size = os.fstat(source.fileno()).st_size
    writer.write(_ENTRY.pack(b"E", len(encoded)) + encoded + _SIZE.pack(size))
    remaining = size
    while remaining:
        block = source.read(min(remaining, 1 << 20))
        if not block:
            raise StorageError(f"{name} changed while it was being backed up.")
        writer.write(block)
        remaining -= len(block)


def backup(
    binder: Binder,
    target: Path,
    db: Database | None = None,
    progress: Progress = no_progress,
    cancel: CancelFlag | None = None,
) -> BackupReport:
    """Write the whole binder to `target` (atomically). `db`: a connection owned by the
    calling thread, when that is not the binder's own (a UI worker)."""
    connection = db or binder.db
    created = datetime.now(UTC).isoformat(timespec="seconds")
    header = _header(binder, created)
    # The originals, and the quarantine's files too: a backup never drops what the binder
    # could not explain (quarantine.py).
    names = [f"{FILES_DIR}/{name}" for name in binder.files.names()]
    names += [f"{QUARANTINE_DIR}/{name}" for name in binder.quarantined()]
    snapshot = binder.data_dir / f".tmp-snapshot-{secrets.token_hex(6)}"
    try:
        connection.execute("VACUUM INTO ?", [str(snapshot)])
        with atomic_writer(target) as out:
            out.write(MAGIC + struct.pack(">I", len(header)) + header)
            writer = SealedWriter(
                out, subkey(binder._data_key, "backup"), STREAM_MAGIC, header, os.urandom(8)
            )
            with open(snapshot, "rb") as source:
                _write_entry(writer, DB_FILE, source)
            for done, name in enumerate(names):
                if cancel is not None:
                    cancel.raise_if_cancelled()
                progress(done, len(names), "")
                with open(binder.data_dir / name, "rb") as source:
                    _write_entry(writer, name, source)
            writer.write(_ENTRY.pack(b"Z", 0))
            writer.close()
    except OSError as exc:
        raise StorageError(describe_os_error(exc, target.parent)) from exc
    finally:
        with contextlib.suppress(OSError):
            snapshot.unlink()
    progress(len(names), len(names), "")
    with connection.atomic():
        connection.execute(
            "INSERT OR REPLACE INTO settings (key, value) VALUES ('last_backup', ?)", [created]
        )
    return BackupReport(target, len(names), target.stat().st_size, created)


def last_backup(binder: Binder) -> str | None:
    """When the last backup that completed was made (ISO, UTC), or None."""
    row = binder.db.execute("SELECT value FROM settings WHERE key = 'last_backup'").fetchone()
    return str(row[0]) if row else None


def read_header(path: Path) -> tuple[dict[str, Any], bytes, int]:
    """The public header of a backup, its raw bytes, and where the sealed stream starts."""
    try:
        with open(path, "rb") as handle:
            start = handle.read(len(MAGIC) + 4)
            if len(start) < len(MAGIC) + 4 or start[: len(MAGIC)] != MAGIC:
                raise BackupRefused(f"{path.name} is not a CareBinder backup.")
            (length,) = struct.unpack(">I", start[len(MAGIC) :])
            if not 0 < length <= MAX_HEADER:
                raise BackupRefused(f"{path.name} is damaged (its header is not readable).")
            raw = handle.read(length)
            if len(raw) != length:  # the header promises more than the file holds
                raise BackupRefused(f"{path.name} is damaged (its header is cut short).")
    except OSError as exc:
        raise BackupRefused(f"{path} cannot be read ({exc.strerror}).") from None
    try:
        header = json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise BackupRefused(f"{path.name} is damaged (its header is not readable).") from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise BackupRefused(f"{path.name} was made by a CareBinder this one cannot read.")
    return header, raw, len(MAGIC) + 4 + length


def _keyfile(header: dict[str, Any], path: Path) -> KeyFile:
    try:
        keyfile = KeyFile.from_json(header.get("keys"))
    except ValueError as exc:
        raise BackupRefused(f"{path.name} is damaged ({exc}).") from None
    keyfile.keyring_backend = None  # the keyring of another computer means nothing here
    return keyfile


class _Plain:
    """Reads exact byte counts from the decrypted chunk iterator."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._buffer = bytearray()

    def read(self, size: int) -> bytes:
        while len(self._buffer) < size:
            try:
                self._buffer += next(self._chunks)
            except StopIteration:
                raise BackupRefused("The backup ends too early: it is incomplete.") from None
        data = bytes(self._buffer[:size])
        del self._buffer[:size]
        return data

    def at_end(self) -> bool:
        if self._buffer:
            return False
        return next(self._chunks, None) is None


def _unpack(plain: _Plain, folder: Path | None, cancel: CancelFlag | None) -> int:
    """Write every entry into `folder` (or only read it, when None: a verify); returns how
    many stored files there were. The same checks either way, so a backup that verifies is
    one that restores."""
    files = 0
    seen: set[str] = set()
    while True:
        if cancel is not None:
            cancel.raise_if_cancelled()
        kind, length = _ENTRY.unpack(plain.read(_ENTRY.size))
        if kind == b"Z":
            break
        if kind != b"E":
            raise BackupRefused("The backup is damaged (an unknown entry).")
        name = plain.read(length).decode("ascii", "replace")
        # Only the two kinds of name a backup holds: nothing can land outside `folder`.
        if name in seen or not (name == DB_FILE or _FILE_NAME.match(name)):
            raise BackupRefused("The backup holds an entry CareBinder would not write.")
        seen.add(name)
        (size,) = _SIZE.unpack(plain.read(_SIZE.size))
        if folder is None:
            remaining = size
            while remaining:
                remaining -= len(plain.read(min(remaining, 1 << 20)))
            files += name != DB_FILE
            continue
        target = folder / name
        target.parent.mkdir(mode=0o700, exist_ok=True)  # files/ or quarantine/, nothing else
        with open(target, "xb") as out:
            remaining = size
            while remaining:
                block = plain.read(min(remaining, 1 << 20))
                out.write(block)
                remaining -= len(block)
            out.flush()
            os.fsync(out.fileno())
        files += name != DB_FILE
    if DB_FILE not in seen:
        raise BackupRefused("The backup holds no database.")
    if not plain.at_end():
        raise BackupRefused("The backup has data after its end.")
    return files


def restore(
    backup_path: Path,
    data_dir: Path,
    passphrase: str,
    progress: Progress = no_progress,
    cancel: CancelFlag | None = None,
) -> Path | None:
    """Restore into `data_dir`. Returns where a binder that was there was moved, if any.

    Raises `WrongPassphrase`, `BackupRefused` or `StorageError`; in every case the data dir
    is left exactly as it was.
    """
    header, raw_header, offset = read_header(backup_path)
    keyfile = _keyfile(header, backup_path)
    data_key = keyfile.unwrap(passphrase)
    with open(backup_path, "rb") as handle:
        handle.seek(offset)
        data_dir = data_dir.absolute()
        staging = data_dir.parent / f".{data_dir.name}.restoring-{secrets.token_hex(4)}"
        try:
            data_dir.parent.mkdir(parents=True, exist_ok=True)
            (staging / FILES_DIR).mkdir(parents=True, mode=0o700)
            progress(0, 2, "")
            chunks = open_sealed(handle, subkey(data_key, "backup"), STREAM_MAGIC, raw_header)
            try:
                _unpack(_Plain(chunks), staging, cancel)
            except StreamDamaged:
                raise BackupRefused(
                    f"{backup_path.name} is damaged or was altered; nothing was restored."
                ) from None
            keyfile.save(staging)
            progress(1, 2, "")
            with Binder.open(staging, data_key) as restored:
                report = restored.check()
            if not report.ok:
                raise BackupRefused(
                    "The restored binder did not pass its check: " + report.problems[0]
                )
            moved = _swap_in(staging, data_dir)
        except OSError as exc:
            shutil.rmtree(staging, ignore_errors=True)
            raise StorageError(describe_os_error(exc, data_dir.parent)) from exc
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    progress(2, 2, "")
    return moved


def _swap_in(staging: Path, data_dir: Path) -> Path | None:
    """Put the checked binder in place. A binder already there is moved aside, not lost."""
    moved: Path | None = None
    if data_dir.exists():
        if any(data_dir.iterdir()):
            stamp = datetime.now().strftime("%Y-%m-%d %H%M%S")
            moved = data_dir.with_name(f"{data_dir.name} before restore {stamp}")
            # Holding the lock makes sure no window has the old binder open while it moves.
            import filelock

            lock = filelock.FileLock(str(data_dir / "binder.lock"), timeout=0)
            try:
                lock.acquire()
            except filelock.Timeout:
                raise VaultError(
                    "The binder being replaced is open in CareBinder. Close it and try again."
                ) from None
            try:
                os.replace(data_dir, moved)
            finally:
                lock.release()
        else:
            data_dir.rmdir()
    os.replace(staging, data_dir)
    fsync_dir(data_dir.parent)
    return moved


def backup_name(now: datetime | None = None) -> str:
    moment = now or datetime.now()
    return f"CareBinder backup {moment:%Y-%m-%d %H%M%S}{SUFFIX}"


def backup_to_folder(
    binder: Binder,
    folder: Path,
    keep: int = 7,
    db: Database | None = None,
    progress: Progress = no_progress,
    cancel: CancelFlag | None = None,
    now: datetime | None = None,
) -> BackupReport:
    """An automatic backup into `folder`, keeping the newest `keep` backups there.

    Older backups are removed only after the new one is complete, so a failed backup
    never costs a good one. Newest means latest in name (the name holds the local time it
    was made, `now`), never a file's modification time, which a copy or a sync changes.
    """
    if keep < 1:
        raise ValueError("keep at least one backup")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(describe_os_error(exc, folder)) from exc
    report = backup(binder, folder / backup_name(now), db, progress, cancel)
    existing = sorted(folder.glob(f"CareBinder backup *{SUFFIX}"))
    for old in existing[:-keep]:
        with contextlib.suppress(OSError):
            old.unlink()
    return report


BACKUP_INTERVALS = {"daily": 1, "weekly": 7}


def backup_due(last: str | None, every: str, now: datetime | None = None) -> bool:
    """Whether an automatic backup is due: `every` is "daily", "weekly" or "off"; `last` is
    the ISO time of the last good backup (None: never)."""
    from datetime import timedelta

    if every not in BACKUP_INTERVALS:
        return False
    if last is None:
        return True
    moment = now or datetime.now(UTC)
    try:
        previous = datetime.fromisoformat(last)
    except ValueError:
        return True
    if previous.tzinfo is None:
        previous = previous.replace(tzinfo=UTC)
    return moment - previous >= timedelta(days=BACKUP_INTERVALS[every]) - timedelta(minutes=30)


def verify_backup(path: Path, passphrase: str) -> int:
    """Decrypt a backup end to end without writing anything, with the checks a restore
    makes (entry names, the database, the end); returns its file count."""
    header, raw_header, offset = read_header(path)
    data_key = _keyfile(header, path).unwrap(passphrase)
    with open(path, "rb") as handle:
        handle.seek(offset)
        plain = _Plain(open_sealed(handle, subkey(data_key, "backup"), STREAM_MAGIC, raw_header))
        try:
            return _unpack(plain, None, None)
        except StreamDamaged:
            raise BackupRefused(f"{path.name} is damaged or was altered.") from None


__all__ = [
    "KEYS_FILE",
    "BackupRefused",
    "BackupReport",
    "BinderDamaged",
    "backup",
    "backup_to_folder",
    "restore",
    "verify_backup",
]
