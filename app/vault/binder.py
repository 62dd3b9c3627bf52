"""A binder on disk: its data dir, its encrypted database and file store, and its checks.

    <data dir>/binder.db   SQLCipher database (raw 32-byte key derived from the data key)
    <data dir>/files/      encrypted originals (see filestore.py)
    <data dir>/keys.json   the data key wrapped by the recovery passphrase (see keys.py)
    <data dir>/binder.lock held while a window or command has the binder open

    <data dir>/quarantine/ stored files no record explains (see quarantine.py)

Opening never creates a key: `create` refuses any folder that is not empty, and `open`
needs the existing key. Open reconciles what a crash can leave behind: temp files and a
crash's leftover stored file are removed, a stored file no record explains goes to the
quarantine, an export a crash cut short is removed, and rows whose file is missing are
reported.
"""

from __future__ import annotations

import contextlib
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import filelock

from app.vault import os_keyring
from app.vault.atomic import describe_os_error
from app.vault.errors import (
    BinderDamaged,
    BinderExists,
    BinderInUse,
    BinderMissing,
    StorageError,
)
from app.vault.filestore import FileStore, StoredFile
from app.vault.keys import KEYS_FILE, KeyFile, new_data_key, subkey
from app.vault.migrations import migrate
from app.vault.quarantine import QUARANTINE_DIR, QuarantinedFile
from app.vault.sqlcipher import Database, DatabaseError, OperationalError, connect

DB_FILE = "binder.db"
FILES_DIR = "files"
LOCK_FILE = "binder.lock"
# Every stored file a row names: documents' originals and imaging studies' images.
_FILES_NAMED = "SELECT file_name FROM documents UNION SELECT file_name FROM imaging_instances"
_IMAGING_FILES = (
    "SELECT s.study_id, i.file_name FROM imaging_instances i "
    "JOIN imaging_series s ON s.id = i.series_id ORDER BY s.study_id, i.id"
)


# Files an operating system leaves in any folder it shows: not content of anyone's.
OS_LITTER = frozenset({".DS_Store", "Thumbs.db", "desktop.ini", LOCK_FILE})
_PARTIAL_EXPORT = re.compile(r"^\..+\.partial-[0-9a-f]{8}$")


@dataclass
class ReconcileReport:
    temp_files_removed: int = 0
    orphans_removed: list[str] = field(default_factory=list)  # crash leftovers only
    quarantined: list[str] = field(default_factory=list)  # moved to quarantine/ this open
    missing_files: list[str] = field(default_factory=list)
    exports_removed: list[Path] = field(default_factory=list)  # cut short by a crash


@dataclass
class CheckReport:
    problems: list[str] = field(default_factory=list)
    files_checked: int = 0
    quarantined: list[QuarantinedFile] = field(default_factory=list)  # not a problem
    strays: list[str] = field(default_factory=list)  # in files/, not ours: left alone

    @property
    def ok(self) -> bool:
        return not self.problems


def binder_exists(data_dir: Path) -> bool:
    return (data_dir / KEYS_FILE).exists() or (data_dir / DB_FILE).exists()


def folder_contents(data_dir: Path) -> list[str]:
    """What is in `data_dir` besides operating-system litter (empty: a binder may be made)."""
    try:
        return sorted(p.name for p in data_dir.iterdir() if p.name not in OS_LITTER)
    except (FileNotFoundError, NotADirectoryError):
        return []  # nothing there yet (or no folder can be: `create` says why when it tries)
    except OSError as exc:
        raise StorageError(describe_os_error(exc, data_dir)) from exc


def not_empty_message(data_dir: Path, contents: list[str]) -> str:
    if DB_FILE in contents or KEYS_FILE in contents:
        return (
            f"There is already a binder in {data_dir}. CareBinder never replaces one; "
            "open it, or choose another folder."
        )
    shown = ", ".join(contents[:3]) + (", ..." if len(contents) > 3 else "")
    return (
        f"The folder {data_dir} is not empty (it holds {shown}). A new binder is made only "
        "in an empty or new folder, so nothing already there can be mistaken for part of "
        "it. Choose another folder; nothing was changed."
    )


def load_keyfile(data_dir: Path) -> KeyFile:
    """keys.json, with a plain message when only it is missing."""
    try:
        return KeyFile.load(data_dir)
    except BinderMissing:
        if (data_dir / DB_FILE).exists():
            raise BinderDamaged(
                f"{data_dir} holds a binder database but its keys.json is missing. "
                "Put keys.json back from a backup, or restore the binder from a backup."
            ) from None
        raise


def describe_database_error(exc: Exception, data_dir: Path) -> str | None:
    """A sentence for a person when SQLite failed for lack of room or of a working drive."""
    import errno

    code = int(getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF
    text = str(exc).lower()
    if code == 13 or "disk is full" in text:  # SQLITE_FULL
        return describe_os_error(OSError(errno.ENOSPC, "full"), data_dir)
    if code == 8 or "readonly" in text:  # SQLITE_READONLY
        return describe_os_error(OSError(errno.EROFS, "read-only"), data_dir)
    if code in (10, 14) or "disk i/o error" in text:  # SQLITE_IOERR, SQLITE_CANTOPEN
        # SQLite says "disk I/O error" when it cannot even make its -shm file on a full disk.
        with contextlib.suppress(OSError):
            if shutil.disk_usage(data_dir).free < 1 << 20:
                return describe_os_error(OSError(errno.ENOSPC, "full"), data_dir)
        return describe_os_error(OSError(errno.EIO, "I/O error"), data_dir)
    return None


def _remove_new_binder(data_dir: Path, made_dirs: list[Path], lock_made: bool) -> None:
    """Take away what a failed `create` made: its files, then the folders it made."""
    made = [DB_FILE, f"{DB_FILE}-wal", f"{DB_FILE}-shm", ".write-test"]
    for name in made + ([LOCK_FILE] if lock_made else []):
        with contextlib.suppress(OSError):
            (data_dir / name).unlink()
    for folder in (data_dir / FILES_DIR, *made_dirs):
        with contextlib.suppress(OSError):
            folder.rmdir()  # only when empty: nothing of anyone else's goes


def _take_lock(data_dir: Path) -> filelock.BaseFileLock:
    lock = filelock.FileLock(str(data_dir / LOCK_FILE), timeout=0)
    try:
        lock.acquire()
    except filelock.Timeout:
        raise BinderInUse(
            "This binder is open in another CareBinder window or command. Close it and try again."
        ) from None
    except OSError as exc:
        raise StorageError(describe_os_error(exc, data_dir)) from exc
    return lock


class Binder:
    """An open binder. Its `db` belongs to the thread that opened it (see `connect`)."""

    def __init__(self, data_dir: Path, data_key: bytes, keyfile: KeyFile) -> None:
        self.data_dir = data_dir
        self.keyfile = keyfile
        self._data_key = data_key
        self._lock = _take_lock(data_dir)
        try:
            self.db = self._connect_checked()
            migrate(self.db)
            self.files = FileStore(
                data_dir / FILES_DIR, subkey(data_key, "files"), subkey(data_key, "names")
            )
            self.last_reconcile = self.reconcile()
        except OperationalError as exc:
            # A migration on a full disk, say: a plain message, and nothing kept open.
            with contextlib.suppress(Exception):
                self.db.close()
            self._lock.release()
            message = describe_database_error(exc, data_dir)
            if message:
                raise StorageError(message) from exc
            raise
        except BaseException:
            # Close what was opened, so a refused binder (newer, damaged) keeps no handle.
            if hasattr(self, "db"):
                with contextlib.suppress(Exception):
                    self.db.close()
            self._lock.release()
            raise

    # -- creation and opening -------------------------------------------------------------

    @classmethod
    def create(cls, data_dir: Path, passphrase: str) -> Binder:
        """Make a new binder with a fresh key, only in an empty or new folder.

        The lock is taken before the folder is looked at, so two `create`s (or a `create`
        and an `open`) cannot both find it empty. Anything in the folder (a binder, a
        `files/` folder of another binder's originals, anyone's files) makes it refuse:
        otherwise the next open would take those files for this binder's.
        """
        # What this call makes, so a failure (full disk, no permission) can take it away again.
        made_dirs = []
        missing = data_dir
        while not missing.exists() and missing != missing.parent:
            made_dirs.append(missing)
            missing = missing.parent
        try:
            data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as exc:
            _remove_new_binder(data_dir, made_dirs, lock_made=False)
            raise StorageError(describe_os_error(exc, data_dir)) from exc
        lock_made = not (data_dir / LOCK_FILE).exists()
        lock = _take_lock(data_dir)
        contents = folder_contents(data_dir)
        if contents:
            lock.release()
            if lock_made:  # the one thing this call made there; nothing else is touched
                with contextlib.suppress(OSError):
                    (data_dir / LOCK_FILE).unlink()
            raise BinderExists(not_empty_message(data_dir, contents))
        try:
            (data_dir / FILES_DIR).mkdir(mode=0o700)
        except OSError as exc:
            lock.release()
            _remove_new_binder(data_dir, made_dirs, lock_made)
            raise StorageError(describe_os_error(exc, data_dir)) from exc
        data_key = new_data_key()
        keyfile = KeyFile.wrap(data_key, passphrase)
        # The database first, keys.json last. A crash in between leaves a binder.db with no
        # keys.json; `create` then refuses (the folder is not empty) instead of deleting it.
        try:
            probe = data_dir / ".write-test"
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as exc:
            lock.release()
            _remove_new_binder(data_dir, made_dirs, lock_made)
            raise StorageError(describe_os_error(exc, data_dir)) from exc
        binder = cls.__new__(cls)
        binder.data_dir, binder.keyfile, binder._data_key = data_dir, keyfile, data_key
        binder._lock = lock
        try:
            binder.db = connect(data_dir / DB_FILE, subkey(data_key, "database"))
            migrate(binder.db)
            binder.files = FileStore(
                data_dir / FILES_DIR, subkey(data_key, "files"), subkey(data_key, "names")
            )
            keyfile.save(data_dir)
            binder.last_reconcile = ReconcileReport()
        except BaseException as exc:
            with contextlib.suppress(Exception):
                binder.db.close()
            binder._lock.release()
            # A handled failure (not a crash): what this call made is no binder yet, and
            # leaving it would make every later `create` refuse. keys.json marks success.
            if not (data_dir / KEYS_FILE).exists():
                _remove_new_binder(data_dir, made_dirs, lock_made)
            if isinstance(exc, OperationalError):
                message = describe_database_error(exc, data_dir)
                if message:
                    raise StorageError(message) from exc
            raise
        return binder

    @classmethod
    def open(cls, data_dir: Path, data_key: bytes) -> Binder:
        keyfile = load_keyfile(data_dir)
        if not keyfile.matches(data_key):
            raise BinderDamaged("The key given does not belong to this binder.")
        return cls(data_dir, data_key, keyfile)

    def _connect_checked(self) -> Database:
        path = self.data_dir / DB_FILE
        if not path.exists():
            raise BinderMissing(f"The binder's database is missing from {self.data_dir}.")
        try:
            return connect(path, subkey(self._data_key, "database"))
        except OperationalError as exc:
            message = describe_database_error(exc, self.data_dir)
            if message:
                raise StorageError(message) from exc
            raise BinderDamaged(f"The binder's database cannot be opened: {exc}.") from exc
        except DatabaseError as exc:
            raise BinderDamaged(f"The binder's database cannot be opened: {exc}.") from exc

    def connect(self) -> Database:
        """A new connection for another thread (a connection belongs to its thread)."""
        return self._connect_checked()

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.db.close()
        self._lock.release()

    def __enter__(self) -> Binder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Database]:
        """One transaction per user action: all of it is saved, or none.

        A full disk or a failing drive becomes `StorageError` with a plain message.
        """
        try:
            with self.db.atomic():
                yield self.db
        except OperationalError as exc:
            message = describe_database_error(exc, self.data_dir)
            if message is None:
                raise
            raise StorageError(message) from exc

    # -- keys ------------------------------------------------------------------------------

    @property
    def binder_id(self) -> str:
        return self.keyfile.binder_id

    def remember_key(self) -> os_keyring.KeyringAnswer:
        """Put the data key in the OS keyring so daily use needs no passphrase."""
        answer = os_keyring.store(self.binder_id, self._data_key.hex())
        if answer.ok and answer.backend != self.keyfile.keyring_backend:
            self.keyfile.keyring_backend = answer.backend
            self.keyfile.save(self.data_dir)
        return answer

    def change_passphrase(self, new_passphrase: str) -> None:
        self.keyfile = self.keyfile.rewrap(self._data_key, new_passphrase)
        self.keyfile.save(self.data_dir)

    # -- consistency -----------------------------------------------------------------------

    # -- stored files ----------------------------------------------------------------------

    def store(self, data: bytes) -> StoredFile:
        """Put an original into the file store, noting it first as being written, so that
        a crash before its row is committed leaves a file the next open can recognise (and
        remove) rather than one it must keep in the quarantine."""
        return self.files.put(data, before_write=lambda name: self.note_unsettled([name]))

    def note_unsettled(self, names: list[str]) -> None:
        """Note (committed) that these stored files are about to be written, or removed:
        until a row names them, the next open may take them for a crash's leftovers."""
        from datetime import UTC, datetime

        when = datetime.now(UTC).isoformat(timespec="seconds")
        with self.transaction() as db:
            for name in names:
                db.execute(
                    "INSERT OR REPLACE INTO unsettled_files (name, since) VALUES (?, ?)",
                    [name, when],
                )

    @property
    def quarantine_dir(self) -> Path:
        return self.data_dir / QUARANTINE_DIR

    def quarantined(self) -> list[str]:
        """The names of the stored files in the quarantine."""
        return self.files.elsewhere(self.quarantine_dir).names()

    # -- exports written outside the binder ------------------------------------------------

    @contextlib.contextmanager
    def pending_export(self, partial: Path) -> Iterator[None]:
        """Note `partial` (the temp name an export is written under, in a folder the user
        chose) before it is written, and forget it once the export is renamed or removed.
        If the process dies in between, the next open removes what was written."""
        if not _PARTIAL_EXPORT.match(partial.name):
            raise ValueError(f"not a temp name of an export: {partial.name!r}")
        from datetime import UTC, datetime

        with self.transaction() as db:
            cursor = db.execute(
                "INSERT INTO pending_exports (partial, started) VALUES (?, ?)",
                [str(partial.absolute()), datetime.now(UTC).isoformat(timespec="seconds")],
            )
            row_id = cursor.lastrowid
        try:
            yield
        finally:
            with contextlib.suppress(Exception), self.transaction() as db:
                db.execute("DELETE FROM pending_exports WHERE id = ?", [row_id])

    def _remove_cut_exports(self) -> list[Path]:
        removed = []
        rows = self.db.execute("SELECT id, partial FROM pending_exports").fetchall()
        for row_id, partial in rows:
            path = Path(partial)
            if not path.parent.exists():
                continue  # the drive is not there now: tried again at the next open
            # Only a name this binder gave: never anything else in the user's folder.
            if _PARTIAL_EXPORT.match(path.name) and (path.exists() or path.is_symlink()):
                try:
                    if path.is_dir() and not path.is_symlink():
                        shutil.rmtree(path)
                    else:
                        path.unlink()
                except OSError:
                    continue  # not ours to remove now (a read-only stick): tried again
                removed.append(path)
            with self.transaction() as db:
                db.execute("DELETE FROM pending_exports WHERE id = ?", [row_id])
        return removed

    # -- consistency -----------------------------------------------------------------------

    def _referenced_files(self) -> set[str]:
        return {row[0] for row in self.db.execute(_FILES_NAMED)}

    def reconcile(self) -> ReconcileReport:
        """Repair what an interrupted write can leave behind. Runs at every open.

        A stored file no row names is removed only when the database noted it as being
        written (or purged) and it is named by no row: a crash's leftover. Every other such
        file goes to the quarantine, never deleted (docs/design.md, "Crash leftovers").
        """
        from app.vault import quarantine

        report = ReconcileReport()
        report.temp_files_removed = self.files.remove_temp_files()
        for leftover in self.data_dir.glob(".tmp-*"):
            with contextlib.suppress(OSError):
                leftover.unlink()
                report.temp_files_removed += 1
        referenced = self._referenced_files()
        unsettled = {row[0] for row in self.db.execute("SELECT name FROM unsettled_files")}
        stored = set(self.files.names())
        for orphan in sorted(stored - referenced):
            if orphan in unsettled:
                self.files.remove(orphan)
                report.orphans_removed.append(orphan)
            else:
                try:
                    moved = quarantine.move_in(self.files, self.quarantine_dir, orphan)
                except OSError as exc:
                    raise StorageError(describe_os_error(exc, self.quarantine_dir)) from exc
                if moved:
                    report.quarantined.append(orphan)
        if unsettled:
            with self.transaction() as db:
                db.execute("DELETE FROM unsettled_files")
        report.missing_files = sorted(referenced - stored)
        report.exports_removed = self._remove_cut_exports()
        return report

    def check(self) -> CheckReport:
        """Verify the whole binder: database, every file's tag and hash, rows against files."""
        report = CheckReport()
        for (line,) in self.db.execute("PRAGMA cipher_integrity_check"):
            report.problems.append(f"Database page check: {line}")
        rows = [r[0] for r in self.db.execute("PRAGMA integrity_check")]
        if rows != ["ok"]:
            report.problems.extend(f"Database: {r}" for r in rows)
        try:
            self.db.execute(
                "INSERT INTO document_text_fts(document_text_fts) VALUES('integrity-check')"
            )
        except DatabaseError as exc:
            report.problems.append(f"Search index: {exc}")
        from app.vault import quarantine

        referenced = self._referenced_files()
        stored = set(self.files.names())
        for name in sorted(stored - referenced):
            report.problems.append(f"files/{name}: a stored file that no document names")
        report.quarantined = quarantine.describe(self.files, self.quarantine_dir)
        report.strays = self.files.strays()
        by_file: dict[str, list[str]] = {}
        for doc_id, name in self.db.execute("SELECT id, file_name FROM documents ORDER BY id"):
            by_file.setdefault(name, []).append(f"document {doc_id}")
        for study_id, name in self.db.execute(_IMAGING_FILES):
            by_file.setdefault(name, []).append(f"imaging study {study_id}")
        for name, owners in sorted(by_file.items()):
            which = ", ".join(dict.fromkeys(owners))
            if name not in stored:
                report.problems.append(f"files/{name}: missing ({which})")
                continue
            try:
                self.files.verify(name)
                report.files_checked += 1
            except BinderDamaged as exc:
                report.problems.append(f"files/{name}: {exc} ({which})")
        return report
