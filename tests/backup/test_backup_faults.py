"""A backup that cannot be written says so and leaves the binder and the previous backup
intact; a binder folder moved elsewhere still opens with the keyring."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.records.importer import import_bytes
from app.records.people import add_person
from app.vault.backup import backup, backup_to_folder, last_backup, verify_backup
from app.vault.binder import Binder
from app.vault.errors import StorageError
from tests.conftest import PASSPHRASE
from tests.fixtures import make_pdf, small_disk


def test_a_backup_onto_a_full_disk_fails_clearly_and_keeps_the_previous_one(
    binder: Binder, tmp_path: Path
) -> None:
    import os

    import_bytes(binder, 1, make_pdf(None, "Consult letter") + b"%" + os.urandom(900_000), "a.pdf")
    with small_disk(tmp_path / "stick", "1600k") as stick:
        first = backup_to_folder(binder, stick, keep=5)
        before = last_backup(binder)
        import_bytes(binder, 1, make_pdf(None, "Scan") + b"%" + os.urandom(900_000), "b.pdf")
        with pytest.raises(StorageError, match="is full"):
            backup_to_folder(binder, stick, keep=5)
        assert [p.name for p in stick.iterdir()] == [first.path.name], "no half-written backup"
        assert verify_backup(first.path, PASSPHRASE) == 1
        assert last_backup(binder) == before
    assert binder.check().ok


def test_a_backup_into_a_folder_that_vanished_says_so(binder: Binder, tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="could not be written"):
        backup(binder, tmp_path / "unplugged stick" / "b.cbbackup")


def test_a_moved_binder_still_opens_with_the_key_in_the_keyring(
    data_dir: Path, tmp_path: Path, secret_service: object
) -> None:
    from app.vault.unlock import open_with_keyring

    with Binder.create(data_dir, PASSPHRASE) as binder:
        assert binder.remember_key().ok
        add_person(binder, "Ada Example")
    moved = tmp_path / "elsewhere" / "my binder"
    moved.parent.mkdir()
    shutil.move(str(data_dir), str(moved))

    opened, problem = open_with_keyring(moved)
    assert opened is not None, problem
    with opened:
        assert opened.check().ok
