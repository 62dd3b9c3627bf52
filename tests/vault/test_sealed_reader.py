"""Reading a stored original at any position, as a PDF library does, without ever holding
it whole: every slice matches the original, and damage is still caught."""

from __future__ import annotations

import io
import os
import random

import pytest

from app.vault.binder import Binder
from app.vault.filestore import FileTampered
from app.vault.sealed_stream import CHUNK_SIZE, StreamDamaged


@pytest.mark.parametrize(
    "size", [0, 1, CHUNK_SIZE - 1, CHUNK_SIZE, CHUNK_SIZE + 1, 3 * CHUNK_SIZE + 17]
)
def test_any_slice_reads_back_as_stored(binder: Binder, size: int) -> None:
    original = os.urandom(size)
    name = binder.files.put(original).name
    reader = binder.files.open_plain(name)
    assert reader.seek(0, io.SEEK_END) == size
    picks = random.Random(size)
    for _ in range(40):
        start = picks.randrange(0, size + 1)
        length = picks.randrange(0, 2 * CHUNK_SIZE)
        reader.seek(start)
        assert reader.read(length) == original[start : start + length]
    reader.seek(0)
    assert reader.read() == original
    binder.files.remove(name)  # no document names it


@pytest.mark.breaks_binder  # it alters a stored file on purpose
def test_an_altered_chunk_is_refused_when_it_is_read(binder: Binder) -> None:
    original = os.urandom(2 * CHUNK_SIZE + 5)
    name = binder.files.put(original).name
    path = binder.files.path(name)
    damaged = bytearray(path.read_bytes())
    damaged[16 + (CHUNK_SIZE + 16) + 10] ^= 0x01  # inside the second chunk
    path.write_bytes(bytes(damaged))
    reader = binder.files.open_plain(name)
    assert reader.read(1000) == original[:1000]  # the first chunk is still good
    reader.seek(2 * CHUNK_SIZE)
    assert reader.read(5) == original[-5:]  # and so is the last
    reader.seek(CHUNK_SIZE + 3)
    with pytest.raises(StreamDamaged):
        reader.read(5)


@pytest.mark.breaks_binder  # it cuts a stored file on purpose
def test_a_stored_file_cut_at_a_chunk_boundary_is_refused(binder: Binder) -> None:
    original = os.urandom(2 * CHUNK_SIZE + 5)
    name = binder.files.put(original).name
    path = binder.files.path(name)
    whole = path.read_bytes()
    path.write_bytes(whole[: 16 + 2 * (CHUNK_SIZE + 16)])  # the last chunk dropped
    reader = binder.files.open_plain(name)
    reader.seek(CHUNK_SIZE + 10)
    with pytest.raises(StreamDamaged):  # chunk 1 was sealed as "not the last"
        reader.read(10)
    path.write_bytes(whole[:10])
    with pytest.raises(FileTampered):
        binder.files.open_plain(name)
