"""Never delete what cannot be explained: a stored file no record names goes to the
quarantine (still encrypted) unless the database noted it as being written, a backup keeps
the quarantine, a quarantined original comes back as a document, and `create` refuses any
folder that is not empty."""

from __future__ import annotations

import shutil
from pathlib import Path

import filelock
import pytest

from app.records.documents import document_text, get_document, list_documents, read_original
from app.records.importer import Outcome, import_bytes
from app.records.people import add_person
from app.records.quarantined import NOT_THIS_BINDER, bring_back, describe
from app.records.search import search
from app.vault.backup import backup, restore
from app.vault.binder import DB_FILE, FILES_DIR, LOCK_FILE, Binder
from app.vault.errors import BinderExists, BinderInUse
from app.vault.keys import KeyFile
from app.vault.quarantine import QUARANTINE_DIR
from tests.conftest import PASSPHRASE, Cli
from tests.fixtures import make_pdf


def _open(data_dir: Path) -> Binder:
    return Binder.open(data_dir, KeyFile.load(data_dir).unwrap(PASSPHRASE))


def _import(binder: Binder, text: str, name: str) -> int:
    result = import_bytes(binder, 1, make_pdf(None, text), name)
    assert result.status is Outcome.OK, result.reason
    assert result.document is not None
    return result.document.id


def _put_back_old_database(data_dir: Path, old: Path) -> None:
    """As a sync or a hand copy does: the old binder.db over the new one, WAL and all."""
    for suffix in ("-wal", "-shm"):
        (data_dir / f"{DB_FILE}{suffix}").unlink(missing_ok=True)
    shutil.copy2(old, data_dir / DB_FILE)


def test_an_older_database_put_back_loses_no_original(
    data_dir: Path, tmp_path: Path, no_keyring: None
) -> None:
    with Binder.create(data_dir, PASSPHRASE) as binder:
        add_person(binder, "Ada Example")
        _import(binder, "Pathology report: first biopsy", "biopsy.pdf")
    old = tmp_path / "binder.db from the synced folder"
    shutil.copy2(data_dir / DB_FILE, old)
    with _open(data_dir) as binder:
        second = _import(binder, "Operative report: lumpectomy, margins clear", "surgery.pdf")
        read_name = get_document(binder, second).file_name
        sealed = binder.files.path(read_name).read_bytes()
        every_original = set(binder.files.names())
        assert len(every_original) == 2
    _put_back_old_database(data_dir, old)

    with _open(data_dir) as binder:
        assert [d.title for d in list_documents(binder)] == ["biopsy"], "the old database"
        assert binder.last_reconcile.orphans_removed == []
        assert binder.last_reconcile.quarantined == [read_name]
        kept = set(binder.files.names()) | set(binder.quarantined())
        assert kept == every_original, "every original is still there"
        assert (data_dir / QUARANTINE_DIR / read_name).read_bytes() == sealed, "moved as it was"
        report = binder.check()
        assert report.ok, report.problems
        assert [(q.name, q.readable) for q in report.quarantined] == [(read_name, True)]
    with _open(data_dir) as binder:  # a second open changes nothing more
        assert binder.last_reconcile.quarantined == []
        assert binder.quarantined() == [read_name]


def test_check_on_the_command_line_reports_the_quarantine(cli: Cli, tmp_path: Path) -> None:
    make_pdf(tmp_path / "first.pdf", "Pathology report: first biopsy")
    make_pdf(tmp_path / "second.pdf", "Operative report: lumpectomy")
    assert cli.run("init", "--person", "Ada Example").code == 0
    assert cli.run("import", str(tmp_path / "first.pdf")).code == 0
    old = tmp_path / "old binder.db"
    shutil.copy2(cli.data_dir / DB_FILE, old)
    assert cli.run("import", str(tmp_path / "second.pdf")).code == 0
    _put_back_old_database(cli.data_dir, old)

    listed = cli.run("list", "--json")  # what the user tried: the original must survive it
    assert listed.code == 0 and [d["title"] for d in listed.json()] == ["first"]
    checked = cli.run("check")
    assert checked.code == 0, checked.out + checked.err
    assert "1 file in the quarantine" in checked.out
    assert "no document in this binder names it" in checked.out
    assert "carebinder recover" in checked.out

    recovered = cli.run("recover", "--json")
    assert recovered.code == 0, recovered.err
    [result] = recovered.json()
    assert result["status"] == "ok"
    assert "lumpectomy" in cli.run("show", str(result["id"]), "--text").out
    assert "quarantine" not in cli.run("check").out


def test_a_quarantined_original_comes_back_as_a_document(binder: Binder) -> None:
    _import(binder, "Pathology report: first biopsy", "biopsy.pdf")
    stray = binder.files.put(make_pdf(None, "Discharge summary: Ada went home on day two"))
    data_dir = binder.data_dir
    binder.close()
    with _open(data_dir) as reopened:
        assert reopened.last_reconcile.quarantined == [stray.name]
        assert search(reopened, "discharge") == []
        [result] = bring_back(reopened, 1)
        assert result.status is Outcome.OK, result.reason
        assert result.document is not None
        doc = result.document
        assert "went home on day two" in document_text(reopened, doc.id)
        assert [h.document.id for h in search(reopened, "discharge")] == [doc.id]
        assert read_original(reopened, doc.id).startswith(b"%PDF")
        assert doc.file_name == stray.name
        assert reopened.quarantined() == [] and not (data_dir / QUARANTINE_DIR).exists()
        assert reopened.check().ok


def test_another_binder_s_file_stays_in_the_quarantine(
    data_dir: Path, tmp_path: Path, no_keyring: None
) -> None:
    other_dir = tmp_path / "another binder"
    with Binder.create(other_dir, PASSPHRASE) as other:
        add_person(other, "Bo Example")
        foreign = other.files.put(b"another binder's original")
    with Binder.create(data_dir, PASSPHRASE) as binder:
        add_person(binder, "Ada Example")
    shutil.copy2(other_dir / FILES_DIR / foreign.name, data_dir / FILES_DIR / foreign.name)

    with _open(data_dir) as binder:
        assert binder.quarantined() == [foreign.name]
        assert [(q.name, q.readable) for q in describe(binder)] == [(foreign.name, False)]
        [result] = bring_back(binder, 1)
        assert result.status is Outcome.REFUSED and result.reason == NOT_THIS_BINDER
        assert binder.quarantined() == [foreign.name], "kept"
        assert list_documents(binder) == []


def test_a_backup_keeps_the_quarantine(binder: Binder, tmp_path: Path) -> None:
    stray = binder.files.put(make_pdf(None, "Lab results: haemoglobin 13.2"))
    data_dir = binder.data_dir
    binder.close()
    with _open(data_dir) as reopened:
        assert reopened.quarantined() == [stray.name]
        backup(reopened, tmp_path / "b.cbbackup")
    elsewhere = tmp_path / "new computer"
    restore(tmp_path / "b.cbbackup", elsewhere, PASSPHRASE)
    with _open(elsewhere) as restored:
        assert restored.quarantined() == [stray.name]
        [result] = bring_back(restored, 1)
        assert result.status is Outcome.OK
        assert [h.document.id for h in search(restored, "haemoglobin")] == [result.document.id]  # type: ignore[union-attr]


# -- create refuses any folder that is not empty -----------------------------------------


def test_create_refuses_a_folder_holding_another_binder_s_originals(
    tmp_path: Path, no_keyring: None
) -> None:
    other_dir = tmp_path / "old binder"
    with Binder.create(other_dir, PASSPHRASE) as other:
        add_person(other, "Ada Example")
        _ = import_bytes(other, 1, make_pdf(None, "Pathology report"), "path.pdf")
    target = tmp_path / "chosen"
    shutil.copytree(other_dir / FILES_DIR, target / FILES_DIR)  # only files/, no binder.db
    before = sorted((target / FILES_DIR).iterdir())

    with pytest.raises(BinderExists, match="is not empty"):
        Binder.create(target, PASSPHRASE)
    assert sorted((target / FILES_DIR).iterdir()) == before, "nothing touched"
    assert sorted(p.name for p in target.iterdir()) == [FILES_DIR]


@pytest.mark.parametrize("content", ["notes.txt", "a folder/", DB_FILE, "keys.json"])
def test_create_refuses_any_folder_that_is_not_empty(
    tmp_path: Path, no_keyring: None, content: str
) -> None:
    target = tmp_path / "chosen"
    target.mkdir()
    if content.endswith("/"):
        (target / content).mkdir()
    else:
        (target / content).write_bytes(b"someone's")
    with pytest.raises(BinderExists):
        Binder.create(target, PASSPHRASE)
    assert sorted(p.name for p in target.iterdir()) == [content.rstrip("/")]


def test_create_takes_an_empty_folder_or_one_with_only_system_litter(
    tmp_path: Path, no_keyring: None
) -> None:
    for target in (tmp_path / "empty", tmp_path / "litter", tmp_path / "new" / "folder"):
        if target.name != "folder":
            target.mkdir()
        if target.name == "litter":
            (target / ".DS_Store").write_bytes(b"\0")
        with Binder.create(target, PASSPHRASE) as binder:
            assert binder.check().ok


def test_create_takes_the_lock_before_it_looks_at_the_folder(
    tmp_path: Path, no_keyring: None
) -> None:
    target = tmp_path / "chosen"
    target.mkdir()
    held = filelock.FileLock(str(target / LOCK_FILE), timeout=0)
    held.acquire()
    try:
        # Another process holds the folder (about to make or open a binder there): this
        # one must not decide it is empty behind its back.
        with pytest.raises(BinderInUse):
            Binder.create(target, PASSPHRASE)
    finally:
        held.release()
    assert sorted(p.name for p in target.iterdir()) == [LOCK_FILE]
    with Binder.create(target, PASSPHRASE) as binder:  # the lock file alone is no content
        assert binder.check().ok


def test_a_file_put_aside_twice_is_kept_once_and_still_reads(
    data_dir: Path, tmp_path: Path, no_keyring: None
) -> None:
    labs = make_pdf(None, "Lab results: ferritin low")
    with Binder.create(data_dir, PASSPHRASE) as binder:
        add_person(binder, "Ada Example")
    old = tmp_path / "old binder.db"
    shutil.copy2(data_dir / DB_FILE, old)
    with _open(data_dir) as binder:
        name = import_bytes(binder, 1, labs, "labs.pdf").document.file_name  # type: ignore[union-attr]
    _put_back_old_database(data_dir, old)
    with _open(data_dir) as binder:
        assert binder.quarantined() == [name]
        # The same file imported again (sealed anew), then the old database once more.
        assert import_bytes(binder, 1, labs, "labs.pdf").status is Outcome.OK
        assert binder.files.names() == [name]
    _put_back_old_database(data_dir, old)
    with _open(data_dir) as binder:
        assert binder.last_reconcile.quarantined == [name]
        assert binder.quarantined() == [name] and binder.files.names() == []
        [result] = bring_back(binder, 1)
        assert result.status is Outcome.OK
        assert "ferritin" in document_text(binder, result.document.id)  # type: ignore[union-attr]
