"""Creating and opening a binder: what is on disk, and what a wrong key does."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from app.records.people import add_person, list_people
from app.vault.binder import DB_FILE, Binder
from app.vault.errors import BinderDamaged, BinderExists
from app.vault.keys import KEYS_FILE, KeyFile, new_data_key
from app.vault.sqlcipher import DatabaseError, connect
from tests.conftest import PASSPHRASE


def _snapshot(folder: Path) -> dict[str, str]:
    """Every file under `folder` (lock file aside) and a hash of its bytes."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != "binder.lock"
    }


def _key(data_dir: Path) -> bytes:
    return KeyFile.load(data_dir).unwrap(PASSPHRASE)


def test_a_new_binder_opens_again_with_its_key_and_keeps_its_people(
    data_dir: Path, no_keyring: None
) -> None:
    with Binder.create(data_dir, PASSPHRASE) as binder:
        add_person(binder, "Ada Example", "1970-01-31")
        binder_id = binder.binder_id

    with Binder.open(data_dir, _key(data_dir)) as again:
        assert again.binder_id == binder_id
        assert [(p.name, p.born) for p in list_people(again)] == [("Ada Example", "1970-01-31")]
        assert again.check().ok


def test_the_database_file_is_not_readable_as_plain_sqlite(
    data_dir: Path, no_keyring: None
) -> None:
    with Binder.create(data_dir, PASSPHRASE) as binder:
        add_person(binder, "Ada Example")
    assert not (data_dir / DB_FILE).read_bytes().startswith(b"SQLite format 3")
    assert b"Ada Example" not in (data_dir / DB_FILE).read_bytes()


def test_the_data_dir_holds_only_the_database_the_files_and_keys_json(binder: Binder) -> None:
    names = {p.name for p in binder.data_dir.iterdir()}
    assert {DB_FILE, "files", KEYS_FILE} <= names
    assert names <= {DB_FILE, "files", KEYS_FILE, "binder.lock", "binder.db-wal", "binder.db-shm"}


def test_a_wrong_key_is_refused_with_a_clear_message_and_changes_nothing(
    data_dir: Path, no_keyring: None
) -> None:
    Binder.create(data_dir, PASSPHRASE).close()
    before = _snapshot(data_dir)

    with pytest.raises(BinderDamaged, match="does not belong to this binder"):
        Binder.open(data_dir, new_data_key())

    assert _snapshot(data_dir) == before


def test_the_database_cannot_be_opened_with_another_key(data_dir: Path, no_keyring: None) -> None:
    Binder.create(data_dir, PASSPHRASE).close()
    with pytest.raises(DatabaseError, match="not a database"):
        connect(data_dir / DB_FILE, new_data_key())


def test_creating_a_binder_where_one_exists_is_refused_and_the_binder_is_unchanged(
    data_dir: Path, no_keyring: None
) -> None:
    with Binder.create(data_dir, PASSPHRASE) as binder:
        add_person(binder, "Ada Example")
    before = _snapshot(data_dir)

    with pytest.raises(BinderExists, match="already a binder"):
        Binder.create(data_dir, "another passphrase entirely")

    assert _snapshot(data_dir) == before
    with Binder.open(data_dir, _key(data_dir)) as again:
        assert [p.name for p in list_people(again)] == ["Ada Example"]


def test_a_binder_cannot_be_opened_twice_at_once(binder: Binder) -> None:
    from app.vault.errors import BinderInUse

    with pytest.raises(BinderInUse, match="open in another"):
        Binder.open(binder.data_dir, _key(binder.data_dir))
