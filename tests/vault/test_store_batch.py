"""Many files stored together (StoreBatch, an imaging disc's images): sealed on the batch's
threads while the caller reads on, each named and kept byte for byte as `put` would keep
it, equal content stored once, nothing named in files/ before the batch is committed, and
nothing left behind by a batch discarded or failing."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
from pathlib import Path

import pytest

from app.vault.errors import StorageError
from app.vault.filestore import IN_FLIGHT_LIMIT, FileStore, StoreBatch, StoredFile
from app.vault.keys import new_data_key
from app.vault.sealed_stream import CHUNK_SIZE


@pytest.fixture
def store(tmp_path: Path) -> FileStore:
    (tmp_path / "files").mkdir()
    return FileStore(tmp_path / "files", new_data_key(), new_data_key())


def contents() -> list[bytes]:
    sizes = [0, 1, 4096, CHUNK_SIZE - 1, CHUNK_SIZE, CHUNK_SIZE + 1, 3 * CHUNK_SIZE + 7]
    # More bytes than may wait at once, so reading has to wait for sealing at times.
    sizes += [IN_FLIGHT_LIMIT // 4 + n for n in range(6)]
    return [os.urandom(size) for size in sizes]


def on_disk(store: FileStore) -> list[str]:
    return sorted(p.name for p in store.folder.iterdir())


def test_a_batch_keeps_each_file_byte_for_byte_named_as_put_names_it(store: FileStore) -> None:
    originals = contents()
    with StoreBatch(store) as batch:
        sealing = [batch.add(data) for data in originals]
        batch.commit()
    for data, future in zip(originals, sealing, strict=True):
        stored = future.result()
        assert stored == store.name_for(io.BytesIO(data))  # the name, size and SHA-256
        assert stored.sha256 == hashlib.sha256(data).hexdigest()
        assert store.read(stored.name) == data
        store.verify(stored.name)
    assert on_disk(store) == sorted(f.result().name for f in sealing)  # no temp file left


def test_equal_content_is_stored_once_in_a_batch_and_beside_what_is_stored(
    store: FileStore,
) -> None:
    kept_before = store.put(b"a report already in the binder")
    same = os.urandom(CHUNK_SIZE + 5)
    with StoreBatch(store) as batch:
        sealing = [batch.add(same) for _ in range(12)]
        sealing.append(batch.add(b"a report already in the binder"))
        batch.commit()
    names = {f.result().name for f in sealing}
    assert names == {sealing[0].result().name, kept_before.name}
    assert on_disk(store) == sorted(names)
    assert store.read(sealing[0].result().name) == same


def test_nothing_is_named_before_the_commit_and_a_batch_left_uncommitted_leaves_nothing(
    store: FileStore,
) -> None:
    originals = contents()[:5]
    with StoreBatch(store) as batch:
        sealed: list[StoredFile] = [batch.add(data).result() for data in originals]
        # Sealed and written, but under temp names only: no row may name them yet.
        assert store.names() == []
        assert len(on_disk(store)) == len({s.name for s in sealed})
        assert not any(store.exists(s.name) for s in sealed)
    assert on_disk(store) == []  # left without a commit: the temp files are gone


def test_a_batch_that_cannot_write_says_so_and_names_nothing(
    store: FileStore, tmp_path: Path
) -> None:
    batch = StoreBatch(store)
    with batch:
        batch.add(os.urandom(1000)).result()
        shutil.rmtree(store.folder)  # the binder's drive is gone
        batch.add(os.urandom(1000))
        with pytest.raises(StorageError, match="could not be written"):
            batch.commit()
    store.folder.mkdir()
    assert on_disk(store) == []


def test_parts_committed_in_the_background_stop_at_the_first_that_fails(
    store: FileStore,
) -> None:
    with StoreBatch(store) as batch:
        first = [batch.add(os.urandom(3000)) for _ in range(3)]
        batch.commit_in_background().result()
        kept = sorted(f.result().name for f in first)
        assert on_disk(store) == kept  # durable under their names, while the batch goes on

        sealed = batch.add(os.urandom(3000)).result()  # written under a temp name
        shutil.rmtree(store.folder)  # the drive is gone when its part is committed
        failing = batch.commit_in_background()
        with pytest.raises(StorageError, match="could not be written"):
            failing.result()
        store.folder.mkdir()
        later = batch.add(os.urandom(3000))
        after = batch.commit_in_background()
        with pytest.raises(StorageError):
            after.result()  # a part after a failed one is never named
        assert not store.exists(later.result().name) and not store.exists(sealed.name)
        batch.add(os.urandom(3000))
        with pytest.raises(StorageError):
            batch.commit()  # nor is anything added later
    assert on_disk(store) == []


def test_a_file_that_cannot_be_sealed_makes_the_next_add_fail(store: FileStore) -> None:
    with StoreBatch(store) as batch:
        batch.add(os.urandom(3000)).result()
        shutil.rmtree(store.folder)
        failed = batch.add(os.urandom(3000))
        with pytest.raises(StorageError):
            failed.result()
        store.folder.mkdir()
        with pytest.raises(StorageError, match="could not be written"):
            batch.add(os.urandom(3000))  # said at once: the import stops there
    assert on_disk(store) == []


@pytest.mark.parametrize("large", [False, True], ids=["held in memory", "too large to hold"])
def test_every_name_is_noted_before_it_appears_in_the_folder(
    store: FileStore, tmp_path: Path, large: bool
) -> None:
    # The binder notes a name as unsettled before its file is renamed into files/, so a
    # crash before its row leaves a file it can tell for a leftover; a part made only of
    # files too large to hold in memory (`add_file`) is noted too.
    noted: list[tuple[str, list[str]]] = []

    def note(names: list[str]) -> None:
        noted.append(("noted", sorted(names)))
        assert not set(names) & set(on_disk(store)), "noted after it appeared"

    data = os.urandom(3 * CHUNK_SIZE + 5)
    with StoreBatch(store, before_commit=note) as batch:
        if large:
            source = tmp_path / "large.dcm"
            source.write_bytes(data)
            name = batch.add_file(source).name
        else:
            name = batch.add(data).result().name
        batch.commit()
    assert noted == [("noted", [name])]
    assert on_disk(store) == [name] and store.read(name) == data
