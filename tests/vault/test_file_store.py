"""The encrypted store of originals: byte-for-byte round trips, and damage that `check` finds."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from app.records.documents import read_original
from app.records.importer import Outcome, import_bytes
from app.records.people import find_person
from app.vault.binder import FILES_DIR, Binder
from app.vault.filestore import FileStore, FileTampered
from app.vault.keys import KeyFile, new_data_key
from app.vault.sealed_stream import CHUNK_SIZE, HEADER_SIZE, TAG_SIZE
from tests.conftest import PASSPHRASE
from tests.fixtures import make_pdf


@pytest.fixture
def store(tmp_path: Path) -> FileStore:
    """A file store on its own, with no binder around it (so no row names its files)."""
    (tmp_path / "files").mkdir()
    return FileStore(tmp_path / "files", new_data_key(), new_data_key())


def _reopen(binder: Binder) -> Binder:
    binder.close()
    return Binder.open(binder.data_dir, KeyFile.load(binder.data_dir).unwrap(PASSPHRASE))


def _import(binder: Binder, data: bytes, name: str) -> int:
    result = import_bytes(binder, find_person(binder, None).id, data, name)
    assert result.status is Outcome.OK, result.reason
    assert result.document is not None
    return result.document.id


@pytest.mark.parametrize(
    "size", [0, 1, CHUNK_SIZE - 1, CHUNK_SIZE, CHUNK_SIZE + 1, 2 * CHUNK_SIZE + 12345]
)
def test_a_stored_file_comes_back_byte_for_byte(store: FileStore, size: int) -> None:
    original = os.urandom(size)
    stored = store.put(original)

    assert stored.size == size
    assert stored.sha256 == hashlib.sha256(original).hexdigest()
    assert store.read(stored.name) == original
    store.verify(stored.name)
    assert [p.name for p in store.folder.iterdir()] == [stored.name]  # no temp file left


def test_a_stored_file_holds_no_plaintext_and_equal_files_are_stored_once(
    store: FileStore,
) -> None:
    original = b"Ductal carcinoma in situ, grade 2. " * 2000
    first = store.put(original)
    second = store.put(original)

    assert first.name == second.name
    assert store.names() == [first.name]
    on_disk = store.path(first.name).read_bytes()
    assert b"carcinoma" not in on_disk
    assert first.sha256 not in first.name  # the name is keyed, not the bare hash


def test_a_multi_chunk_pdf_imported_comes_back_whole(binder: Binder, tmp_path: Path) -> None:
    # A real PDF padded past one chunk (PDF readers ignore bytes after %%EOF).
    pdf = make_pdf(None, "Operative report") + b"\n%" + os.urandom(CHUNK_SIZE + 4096)
    doc_id = _import(binder, pdf, "operative.pdf")

    binder = _reopen(binder)
    try:
        assert read_original(binder, doc_id) == pdf
        report = binder.check()
        assert report.ok, report.problems
        assert report.files_checked == 1
    finally:
        binder.close()


def _flip_one_byte(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


@pytest.mark.breaks_binder
@pytest.mark.parametrize("where", ["header", "first chunk", "last byte"])
def test_one_byte_changed_in_a_stored_file_fails_check_naming_that_file(
    binder: Binder, where: str
) -> None:
    doc_id = _import(binder, make_pdf(None, "Pathology report"), "pathology.pdf")
    name = binder.files.names()[0]
    path = binder.data_dir / FILES_DIR / name
    offset = {"header": 5, "first chunk": HEADER_SIZE + 10, "last byte": path.stat().st_size - 1}
    _flip_one_byte(path, offset[where])

    report = binder.check()

    assert not report.ok
    assert len(report.problems) == 1
    assert name in report.problems[0]
    assert f"document {doc_id}" in report.problems[0]
    with pytest.raises(FileTampered):
        read_original(binder, doc_id)


@pytest.mark.breaks_binder
def test_a_stored_file_cut_short_by_its_last_chunk_fails_check(binder: Binder) -> None:
    original = os.urandom(2 * CHUNK_SIZE + 100)
    doc_id = _import(binder, make_pdf(None, "Imaging") + b"\n%" + original, "ct.pdf")
    name = binder.files.names()[0]
    path = binder.data_dir / FILES_DIR / name
    sealed_chunk = CHUNK_SIZE + TAG_SIZE
    full = path.read_bytes()
    # Drop the short final chunk: what is left is a whole number of full chunks.
    kept = HEADER_SIZE + sealed_chunk * ((len(full) - HEADER_SIZE) // sealed_chunk)
    assert kept < len(full)
    path.write_bytes(full[:kept])

    report = binder.check()

    assert not report.ok
    assert any(name in p and f"document {doc_id}" in p for p in report.problems)


@pytest.mark.breaks_binder
def test_an_empty_stored_file_is_reported_as_damaged(binder: Binder) -> None:
    _import(binder, make_pdf(None, "Lab result"), "lab.pdf")
    name = binder.files.names()[0]
    (binder.data_dir / FILES_DIR / name).write_bytes(b"")

    report = binder.check()
    assert [p for p in report.problems if name in p]


def test_a_crash_leftover_stored_file_is_removed_when_the_binder_opens(
    binder: Binder,
) -> None:
    _import(binder, make_pdf(None, "Kept"), "kept.pdf")
    # Stored as an import stores it (noted first), and its row never committed.
    orphan = binder.store(b"left behind by an import that never committed")
    leftover_temp = binder.data_dir / FILES_DIR / ".tmp-0123456789abcdef"
    leftover_temp.write_bytes(b"half a write")

    binder = _reopen(binder)
    try:
        assert orphan.name in binder.last_reconcile.orphans_removed
        assert binder.last_reconcile.temp_files_removed == 1
        assert orphan.name not in binder.files.names()
        assert not leftover_temp.exists()
        assert len(binder.files.names()) == 1
        assert binder.last_reconcile.quarantined == [] and binder.quarantined() == []
        assert binder.check().ok
    finally:
        binder.close()


@pytest.mark.breaks_binder
def test_a_document_whose_file_is_missing_is_reported_by_check(binder: Binder) -> None:
    doc_id = _import(binder, make_pdf(None, "Discharge summary"), "discharge.pdf")
    name = binder.files.names()[0]
    (binder.data_dir / FILES_DIR / name).unlink()

    binder = _reopen(binder)
    try:
        assert binder.last_reconcile.missing_files == [name]
        report = binder.check()
        assert not report.ok
        assert report.problems == [f"files/{name}: missing (document {doc_id})"]
    finally:
        binder.close()
