"""Schema migrations: a new binder is at the latest version, a newer binder is refused."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from app.vault.binder import DB_FILE, Binder
from app.vault.errors import NewerBinder
from app.vault.keys import KeyFile, new_data_key, subkey
from app.vault.migrations import LATEST, MIGRATIONS, migrate, schema_version
from app.vault.sqlcipher import connect
from tests.conftest import PASSPHRASE

# Every table DESIGN.md section 4 asks for, there from the first version on.
DESIGN_TABLES = {
    "people",
    "documents",
    "document_text",
    "doctors",
    "medications",
    "medication_changes",
    "appointments",
    "questions",
    "visit_notes",
    "opinions",
    "records_requests",
    "insurance",
}


def _db_key(data_dir: Path) -> bytes:
    return subkey(KeyFile.load(data_dir).unwrap(PASSPHRASE), "database")


def test_a_new_binder_is_at_the_latest_schema_with_room_for_every_record(
    binder: Binder,
) -> None:
    assert schema_version(binder.db) == LATEST == len(MIGRATIONS)
    assert set(binder.db.table_names()) >= DESIGN_TABLES


@pytest.mark.parametrize("start", range(LATEST))
def test_a_database_at_every_earlier_version_migrates_to_the_latest(
    tmp_path: Path, start: int
) -> None:
    db = connect(tmp_path / "old.db", new_data_key())
    for version in range(start):
        MIGRATIONS[version](db)
        db.execute(f"PRAGMA user_version = {version + 1}")
    assert schema_version(db) == start

    assert migrate(db) == start
    assert schema_version(db) == LATEST
    assert migrate(db) == LATEST  # running again does nothing
    db.close()


def test_a_binder_from_a_newer_carebinder_is_refused_and_left_unchanged(
    data_dir: Path, no_keyring: None
) -> None:
    Binder.create(data_dir, PASSPHRASE).close()
    db = connect(data_dir / DB_FILE, _db_key(data_dir))
    db.execute(f"PRAGMA user_version = {LATEST + 1}")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    before = hashlib.sha256((data_dir / DB_FILE).read_bytes()).hexdigest()

    with pytest.raises(NewerBinder, match="newer version of CareBinder"):
        Binder.open(data_dir, KeyFile.load(data_dir).unwrap(PASSPHRASE))

    assert hashlib.sha256((data_dir / DB_FILE).read_bytes()).hexdigest() == before
    db = connect(data_dir / DB_FILE, _db_key(data_dir))
    assert schema_version(db) == LATEST + 1
    db.close()
