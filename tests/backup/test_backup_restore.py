"""Backups open only with the passphrase, restore whole or not at all, and refuse hostile
files without writing anything."""

from __future__ import annotations

import hashlib
import io
import struct
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.vault.backup import (
    MAGIC,
    BackupRefused,
    backup,
    backup_name,
    backup_to_folder,
    restore,
    verify_backup,
)
from app.vault.binder import Binder
from app.vault.errors import WrongPassphrase
from app.vault.unlock import open_with_passphrase
from tests.conftest import PASSPHRASE, Cli


@pytest.fixture
def demo(tmp_path: Path, no_keyring: None) -> Iterator[Binder]:
    """A binder with every kind of record: the demo people, plus an opinion and a request."""
    from app.demo import create_demo_binder
    from app.records.opinions import add_opinion
    from app.records.records_requests import add_request

    binder = create_demo_binder(tmp_path / "demo")
    binder.change_passphrase(PASSPHRASE)
    add_opinion(binder, 1, given_on="2026-10-06", diagnosis="IDC", stage="IIA")
    add_request(
        binder, 1, "Riverside General Hospital", "Operative report", checklist_item="operative"
    )
    yield binder
    binder.close()


def fingerprint(binder: Binder) -> dict[str, str]:
    """A hash of every table's rows and of every original's bytes."""
    prints = {}
    for table in binder.db.table_names():
        if table.startswith("document_text_fts"):
            continue
        rows = binder.db.execute(f"SELECT * FROM [{table}] ORDER BY 1").fetchall()
        prints[table] = hashlib.sha256(repr(rows).encode()).hexdigest()
    for name in binder.files.names():
        prints[name] = hashlib.sha256(binder.files.read(name)).hexdigest()
    return prints


def test_a_restored_binder_holds_the_same_rows_and_identical_originals(
    demo: Binder, tmp_path: Path
) -> None:
    before = fingerprint(demo)
    target = tmp_path / "backup.cbbackup"
    report = backup(demo, target)
    stored = {
        row[0]
        for row in demo.db.execute(
            "SELECT file_name FROM documents UNION SELECT file_name FROM imaging_instances"
        )
    }
    assert report.files == len(demo.files.names()) == len(stored) > 0

    restored_dir = tmp_path / "new computer" / "CareBinder"
    assert restore(target, restored_dir, PASSPHRASE) is None
    with open_with_passphrase(restored_dir, PASSPHRASE, remember=False) as restored:
        assert fingerprint(restored) == before
        assert restored.check().ok
        from app.records.search import search

        assert [h.document.title for h in search(restored, "letrozole")] == [
            "Treatment plan summary"
        ]


def test_a_backup_holds_no_readable_word_of_the_records(demo: Binder, tmp_path: Path) -> None:
    target = tmp_path / "backup.cbbackup"
    backup(demo, target)
    data = target.read_bytes()
    for word in ("Whitfield", "carcinoma", "Letrozole", "Castellanos"):
        assert word.encode() not in data
        assert word.encode("utf-16-le") not in data


def test_the_wrong_passphrase_restores_nothing(demo: Binder, tmp_path: Path) -> None:
    target = tmp_path / "backup.cbbackup"
    backup(demo, target)
    with pytest.raises(WrongPassphrase):
        restore(target, tmp_path / "restored", "not the passphrase")
    assert not (tmp_path / "restored").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backup.cbbackup", "demo"]


@pytest.mark.parametrize("damage", ["truncated", "bit flipped", "tail added"])
def test_a_damaged_backup_is_refused_and_the_binder_there_is_untouched(
    demo: Binder, tmp_path: Path, damage: str
) -> None:
    target = tmp_path / "backup.cbbackup"
    backup(demo, target)
    data = bytearray(target.read_bytes())
    if damage == "truncated":
        data = data[: len(data) // 2]
    elif damage == "bit flipped":
        data[len(data) // 2] ^= 0x01
    else:
        data += b"\x00" * 40
    target.write_bytes(bytes(data))

    existing = tmp_path / "existing"
    with Binder.create(existing, PASSPHRASE) as other:
        other_before = fingerprint(other)
    with pytest.raises(BackupRefused, match=r"damaged|incomplete"):
        restore(target, existing, PASSPHRASE)
    with open_with_passphrase(existing, PASSPHRASE, remember=False) as other:
        assert fingerprint(other) == other_before
    assert not [p for p in tmp_path.iterdir() if "restoring" in p.name]


def _a_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("binder.db", b"not this way")
    return out.getvalue()


# Files that are no backup at all: refused at the first bytes. The backup format's own
# hostile inputs (its chunks, its entries, its header) are in test_hostile_backups.py.
@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"not a backup at all",
        _a_zip(),
        MAGIC + struct.pack(">I", 10**9),
        MAGIC + struct.pack(">I", 5) + b"{oops",
    ],
    ids=["empty", "text", "a zip", "huge header", "bad json"],
)
def test_a_file_that_is_not_a_backup_is_refused_writing_nothing(
    tmp_path: Path, content: bytes
) -> None:
    hostile = tmp_path / "hostile.cbbackup"
    hostile.write_bytes(content)
    with pytest.raises(BackupRefused):
        restore(hostile, tmp_path / "restored", PASSPHRASE)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hostile.cbbackup"]


def test_restoring_over_a_binder_keeps_the_old_one_aside(demo: Binder, tmp_path: Path) -> None:
    target = tmp_path / "backup.cbbackup"
    backup(demo, target)
    existing = tmp_path / "binder"
    with Binder.create(existing, PASSPHRASE):
        pass
    moved = restore(target, existing, PASSPHRASE)
    assert moved is not None and moved.name.startswith("binder before restore")
    assert (moved / "keys.json").exists()
    with open_with_passphrase(existing, PASSPHRASE, remember=False) as restored:
        assert restored.binder_id == demo.binder_id


def test_automatic_backups_keep_the_newest_few(demo: Binder, tmp_path: Path) -> None:
    from datetime import datetime, timedelta

    folder = tmp_path / "usb stick"
    first = datetime(2026, 11, 23, 23, 59, 58)  # the names cross midnight and a new day
    moments = [first + timedelta(seconds=n) for n in range(4)]
    for moment in moments:
        backup_to_folder(demo, folder, keep=2, now=moment)
    kept = sorted(p.name for p in folder.iterdir())
    assert kept == [backup_name(moments[2]), backup_name(moments[3])], "the newest two"
    assert kept == [
        "CareBinder backup 2026-11-24 000000.cbbackup",
        "CareBinder backup 2026-11-24 000001.cbbackup",
    ]
    originals = len(demo.files.names())
    assert all(verify_backup(folder / name, PASSPHRASE) == originals > 0 for name in kept)


def test_the_command_line_backs_up_and_restores(cli: Cli, tmp_path: Path) -> None:
    from tests.fixtures import make_pdf

    assert cli.run("init", "--person", "Ada Example").code == 0
    make_pdf(tmp_path / "scan.pdf", "Histology: zyxwvut unique marker")
    assert cli.run("import", str(tmp_path / "scan.pdf")).code == 0
    result = cli.run("backup", str(tmp_path / "b.cbbackup"))
    assert result.code == 0, result.err

    other = Cli(tmp_path / "elsewhere", cli.passphrase_file)
    restored = other.run("restore", str(tmp_path / "b.cbbackup"))
    assert restored.code == 0, restored.err
    found = other.run("search", "zyxwvut", "--json")
    assert [d["title"] for d in found.json()] == ["scan"]  # type: ignore[union-attr]
    assert other.run("check").code == 0

    wrong = tmp_path / "wrong.txt"
    wrong.write_text("not the passphrase\n")
    third = Cli(tmp_path / "third", wrong)
    refused = third.run("restore", str(tmp_path / "b.cbbackup"))
    assert refused.code == 2 and "passphrase" in refused.err
    assert not (tmp_path / "third").exists()


def test_the_date_of_the_last_good_backup_is_kept(demo: Binder, tmp_path: Path) -> None:
    from app.vault.backup import last_backup

    assert last_backup(demo) is None
    report = backup(demo, tmp_path / "b.cbbackup")
    assert last_backup(demo) == report.created
    with pytest.raises(Exception):  # noqa: B017 - any failure must leave the date alone
        backup(demo, tmp_path / "missing folder" / "b.cbbackup")
    assert last_backup(demo) == report.created


def test_an_automatic_backup_is_due_by_the_chosen_rhythm() -> None:
    from datetime import UTC, datetime, timedelta

    from app.vault.backup import backup_due

    now = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    day_ago = (now - timedelta(hours=24)).isoformat()
    hour_ago = (now - timedelta(hours=1)).isoformat()
    assert backup_due(None, "daily", now)
    assert backup_due(day_ago, "daily", now)
    assert not backup_due(hour_ago, "daily", now)
    assert not backup_due(day_ago, "weekly", now)
    assert backup_due((now - timedelta(days=7)).isoformat(), "weekly", now)
    assert not backup_due(None, "off", now)
