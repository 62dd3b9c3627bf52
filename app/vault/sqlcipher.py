"""Open SQLCipher databases through sqlite-utils.

sqlite-utils catches the `OperationalError` of the sqlite3 module it imported. It prefers a
module named `pysqlite3`, so we make that name resolve to sqlcipher3 before sqlite-utils is
first imported; then its error handling (``alter=True``, ``ignore=True``) sees our errors.
Import `Database` from here, not from sqlite_utils.
"""

from __future__ import annotations

import importlib.abc
import sys
from pathlib import Path

import sqlcipher3
import sqlcipher3.dbapi2

if "sqlite_utils" in sys.modules and "pysqlite3" not in sys.modules:
    raise ImportError("app.vault.sqlcipher must be imported before sqlite_utils")
sys.modules.setdefault("pysqlite3", sqlcipher3)
sys.modules.setdefault("pysqlite3.dbapi2", sqlcipher3.dbapi2)


class _WithoutArrayLibraries(importlib.abc.MetaPathFinder):
    """sqlite-utils imports numpy and pandas, when installed, only to map their types to
    column types. CareBinder never stores either, and numpy (installed for imaging pictures)
    takes a tenth of a second at start-up; while sqlite-utils is imported they are not found,
    and importable again after."""

    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        if name.partition(".")[0] in ("numpy", "pandas"):
            raise ModuleNotFoundError(f"{name} is not needed by sqlite-utils here", name=name)
        return None


_finder = _WithoutArrayLibraries()
sys.meta_path.insert(0, _finder)
try:
    import sqlite_utils  # (must follow the alias above)
    from sqlite_utils import Database
finally:
    sys.meta_path.remove(_finder)

DatabaseError = sqlcipher3.dbapi2.DatabaseError
OperationalError = sqlcipher3.dbapi2.OperationalError
IntegrityError = sqlcipher3.dbapi2.IntegrityError


__all__ = ["Database", "DatabaseError", "IntegrityError", "OperationalError", "connect"]


def connect(path: Path, key: bytes) -> Database:
    """Open (or create) the database at `path` with a raw 32-byte key.

    A raw key skips SQLCipher's own passphrase KDF (~150 ms an open): the key is already
    random. Raises `DatabaseError` ("file is not a database") when the key is wrong.
    """
    if len(key) != 32:
        raise ValueError("the database key must be 32 bytes")
    conn = sqlcipher3.connect(str(path), isolation_level=None, timeout=10.0)
    try:
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        # Reading the schema is what fails on a wrong key; do it before anything else.
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        # Temp tables and sort spills stay in memory, so no plaintext temp file is written.
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.execute("PRAGMA foreign_keys = ON")
        # Deleted text is overwritten, not left in free pages.
        conn.execute("PRAGMA secure_delete = ON")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
    except BaseException:
        conn.close()
        raise
    return sqlite_utils.Database(conn)
