"""Faults a user meets from the command line: an existing binder, a folder that cannot be
written, a full disk, a wrong passphrase. Each gives a clear message and changes nothing.

Tests run as root here, and permission bits do not stop root. So "unwritable" is a regular
file standing where a folder should be (fails for everyone), and a read-only bind mount (or
chmod when not root). "Full" is a small tmpfs filled to the last byte; where this machine
does not let the tests mount one, those tests skip, since no package can grant that.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from tests.conftest import need
from tests.fixtures import fill_disk, make_pdf, mount, small_disk

if TYPE_CHECKING:
    from tests.conftest import Cli


def _snapshot(folder: Path) -> dict[str, str]:
    """The binder's own files and their hashes (SQLite's -wal/-shm scratch files aside)."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.endswith(("binder.lock", "-wal", "-shm"))
    }


@contextlib.contextmanager
def _read_only(folder: Path) -> Iterator[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        folder.chmod(0o500)
        try:
            yield folder
        finally:
            folder.chmod(0o700)
        return
    if not mount("--bind", "-o", "ro", str(folder), str(folder)):
        need(False, "this machine does not let the tests make a read-only bind mount")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def test_init_on_an_existing_binder_is_refused_and_the_binder_is_unchanged(
    cli: Cli, tmp_path: Path
) -> None:
    assert cli.run("init", "--person", "Ada Example").code == 0
    make_pdf(tmp_path / "pathology.pdf", "Pathology report")
    assert cli.run("import", str(tmp_path / "pathology.pdf")).code == 0
    before = _snapshot(cli.data_dir)
    other = tmp_path / "other-passphrase.txt"
    other.write_text("a completely different passphrase\n")

    refused = cli.run("--passphrase-file", str(other), "init", passphrase=False)

    assert refused.code == 2
    assert "already a binder" in refused.err
    assert _snapshot(cli.data_dir) == before
    listed = cli.run("list", "--json")
    assert [d["original_name"] for d in listed.json()] == ["pathology.pdf"]
    assert cli.run("check").code == 0


def test_init_where_a_file_stands_in_for_the_folder_fails_clearly_and_creates_nothing(
    cli: Cli, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file, where the data dir's parent should be")
    cli.data_dir = blocker / "binder"

    result = cli.run("init")

    assert result.code == 2
    assert str(blocker / "binder") in result.err
    assert "Traceback" not in result.err
    assert blocker.read_text() == "a file, where the data dir's parent should be"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["not-a-folder", "passphrase.txt"]


def test_init_in_a_read_only_folder_fails_clearly_and_creates_nothing(
    cli: Cli, tmp_path: Path
) -> None:
    with _read_only(tmp_path / "locked") as locked:
        cli.data_dir = locked / "binder"
        result = cli.run("init")
        assert result.code == 2
        assert "may not write" in result.err
        assert "Traceback" not in result.err
        assert list(locked.iterdir()) == []


def test_init_on_a_full_disk_fails_clearly_and_leaves_no_half_binder(
    cli: Cli, tmp_path: Path
) -> None:
    with small_disk(tmp_path / "disk", "1m") as disk:
        filler = fill_disk(disk)
        cli.data_dir = disk / "binder"

        result = cli.run("init", "--person", "Ada Example")

        assert result.code == 2
        assert "is full" in result.err
        assert "Traceback" not in result.err
        assert sorted(p.name for p in disk.iterdir()) == ["filler"]
        # Once there is room again, the same command works: nothing half-made is in the way.
        filler.unlink()
        assert cli.run("init", "--person", "Ada Example").code == 0
        assert cli.run("check").code == 0


def test_a_binder_on_a_full_disk_says_the_disk_is_full_and_opens_once_there_is_room(
    cli: Cli, tmp_path: Path
) -> None:
    make_pdf(tmp_path / "first.pdf", "Consult letter")
    make_pdf(tmp_path / "second.pdf", "Lab result")
    with small_disk(tmp_path / "disk", "2m") as disk:
        cli.data_dir = disk / "binder"
        assert cli.run("init", "--person", "Ada Example").code == 0
        assert cli.run("import", str(tmp_path / "first.pdf")).code == 0
        before = _snapshot(cli.data_dir)
        filler = fill_disk(disk)

        result = cli.run("import", "--json", str(tmp_path / "second.pdf"))

        assert result.code == 2
        assert "is full" in result.err
        assert "Traceback" not in result.err
        assert _snapshot(cli.data_dir) == before
        filler.unlink()
        listed = cli.run("list", "--json").json()
        assert [d["original_name"] for d in listed] == ["first.pdf"]
        assert cli.run("check").code == 0


def test_a_file_too_big_for_the_space_left_is_refused_and_the_others_are_imported(
    cli: Cli, tmp_path: Path
) -> None:
    (tmp_path / "in").mkdir()
    make_pdf(tmp_path / "in" / "a-small.pdf", "Consult letter")
    # A real PDF made large (readers ignore bytes after %%EOF): it cannot fit in what is left.
    big = make_pdf(None, "Imaging report") + b"\n%" + os.urandom(1 << 20)
    (tmp_path / "in" / "b-large.pdf").write_bytes(big)
    with small_disk(tmp_path / "disk", "3m") as disk:
        cli.data_dir = disk / "binder"
        assert cli.run("init", "--person", "Ada Example").code == 0
        filler = fill_disk(disk)
        os.truncate(filler, filler.stat().st_size - 400 * 1024)  # leave 400 KiB free

        result = cli.run("import", "--json", str(tmp_path / "in"))

        assert result.code == 1, result.err
        assert "Traceback" not in result.err
        outcome = {r["original_name"]: r for r in result.json()}
        assert outcome["a-small.pdf"]["status"] == "ok"
        assert outcome["b-large.pdf"]["status"] == "refused"
        assert "is full" in outcome["b-large.pdf"]["reason"]
        filler.unlink()
        check = cli.run("check")
        assert check.code == 0, check.out
        listed = cli.run("list", "--json").json()
        assert [d["original_name"] for d in listed] == ["a-small.pdf"]


def test_a_wrong_passphrase_file_exits_2_with_a_clear_message_and_changes_nothing(
    cli: Cli, tmp_path: Path
) -> None:
    assert cli.run("init", "--person", "Ada Example").code == 0
    before = _snapshot(cli.data_dir)
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("blue heron paper lanterns\n")

    result = cli.run("--passphrase-file", str(wrong), "person", "add", "Bo", passphrase=False)

    assert result.code == 2
    assert "passphrase does not open this binder" in result.err
    assert _snapshot(cli.data_dir) == before
    people = cli.run("person", "list", "--json").json()
    assert [p["name"] for p in people] == ["Ada Example"]
