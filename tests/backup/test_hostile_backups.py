"""The backup format's own hostile inputs, each made with the binder's real key where the
attack needs it: chunks reordered, duplicated or cut off; a header or an entry that promises
more than follows; a header that does not belong to the data after it; entries named to
land outside the folder. Each is refused, and nothing is written: no binder, no staging
folder, nothing beside it."""

from __future__ import annotations

import io
import json
import os
import struct
from collections.abc import Callable
from pathlib import Path

import pytest

from app.records.importer import Outcome, import_bytes
from app.vault.backup import MAGIC, STREAM_MAGIC, BackupRefused, backup, restore, verify_backup
from app.vault.binder import Binder
from app.vault.keys import subkey
from app.vault.sealed_stream import CHUNK_SIZE, HEADER_SIZE, TAG_SIZE, SealedWriter
from tests.conftest import PASSPHRASE
from tests.fixtures import make_pdf

SEALED_CHUNK = CHUNK_SIZE + TAG_SIZE


def _backup_of_three_chunks(binder: Binder, target: Path) -> bytes:
    """A real backup whose sealed stream has more than three chunks (an original of 3 MiB)."""
    scan = make_pdf(None, "Pathology report") + b"\n%" + os.urandom(CHUNK_SIZE * 3)
    assert import_bytes(binder, 1, scan, "scan.pdf").status is Outcome.OK
    backup(binder, target)
    data = target.read_bytes()
    assert len(data) > 3 * SEALED_CHUNK
    return data


def _stream_start(data: bytes) -> int:
    """Where the sealed stream's chunks begin: after the public header and the stream's."""
    (length,) = struct.unpack(">I", data[len(MAGIC) : len(MAGIC) + 4])
    return len(MAGIC) + 4 + length + HEADER_SIZE


def _chunks(data: bytes) -> tuple[bytes, list[bytes]]:
    start = _stream_start(data)
    body = data[start:]
    return data[:start], [body[i : i + SEALED_CHUNK] for i in range(0, len(body), SEALED_CHUNK)]


def _refused_writing_nothing(hostile: Path, tmp_path: Path, match: str) -> None:
    before = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(BackupRefused, match=match):
        restore(hostile, tmp_path / "restored", PASSPHRASE)
    assert sorted(p.name for p in tmp_path.iterdir()) == before, "nothing written beside it"
    assert not (tmp_path / "restored").exists()
    with pytest.raises(BackupRefused):
        verify_backup(hostile, PASSPHRASE)


CHUNK_DAMAGE: dict[str, Callable[[list[bytes]], list[bytes]]] = {
    "two chunks swapped": lambda c: [c[1], c[0], *c[2:]],
    "a chunk twice": lambda c: [c[0], c[1], c[1], *c[2:]],
    "a chunk left out": lambda c: [c[0], *c[2:]],
    "the last chunk cut off": lambda c: c[:-1],
    "the last chunk cut in half": lambda c: [*c[:-1], c[-1][: len(c[-1]) // 2]],
    "a chunk from the end put first": lambda c: [c[-1], *c[1:-1], c[0]],
}


@pytest.mark.parametrize("damage", list(CHUNK_DAMAGE))
def test_chunks_reordered_duplicated_or_cut_are_refused(
    binder: Binder, tmp_path: Path, damage: str
) -> None:
    made = tmp_path / "made" / "backup.cbbackup"
    made.parent.mkdir()
    head, chunks = _chunks(_backup_of_three_chunks(binder, made))
    hostile = tmp_path / "hostile.cbbackup"
    hostile.write_bytes(head + b"".join(CHUNK_DAMAGE[damage](chunks)))
    _refused_writing_nothing(hostile, tmp_path, "damaged or was altered")


def _sealed_backup(binder: Binder, entries: bytes, header: bytes | None = None) -> bytes:
    """A backup sealed with the binder's real key around `entries` (the plaintext)."""
    header = (
        header
        or json.dumps(
            {
                "format": 1,
                "created": "x",
                "binder_id": binder.binder_id,
                "keys": binder.keyfile.to_json(),
            }
        ).encode()
    )
    out = io.BytesIO()
    out.write(MAGIC + struct.pack(">I", len(header)) + header)
    key = subkey(binder._data_key, "backup")
    writer = SealedWriter(out, key, STREAM_MAGIC, header, os.urandom(8))
    writer.write(entries)
    writer.close()
    return out.getvalue()


def _entry(name: bytes, size: int, content: bytes) -> bytes:
    return struct.pack(">cH", b"E", len(name)) + name + struct.pack(">Q", size) + content


END = struct.pack(">cH", b"Z", 0)


def test_an_entry_that_promises_more_than_follows_is_refused(
    binder: Binder, tmp_path: Path
) -> None:
    # A terabyte promised, four bytes given, and the stream's end properly sealed.
    entries = _entry(b"binder.db", 1 << 40, b"tiny") + END
    hostile = tmp_path / "hostile.cbbackup"
    hostile.write_bytes(_sealed_backup(binder, entries))
    _refused_writing_nothing(hostile, tmp_path, "ends too early: it is incomplete")


def test_a_public_header_that_promises_more_than_follows_is_refused(tmp_path: Path) -> None:
    hostile = tmp_path / "hostile.cbbackup"
    hostile.write_bytes(MAGIC + struct.pack(">I", 60_000) + b'{"format": 1}')
    _refused_writing_nothing(hostile, tmp_path, "its header is cut short")


@pytest.mark.parametrize(
    "name",
    [
        b"../escape",
        b"/etc/evil",
        b"files/../../escape",
        b"quarantine/../../escape",
        b"files/" + b"a" * 64 + b"/x",
    ],
)
def test_an_entry_named_to_land_outside_the_folder_is_refused(
    binder: Binder, tmp_path: Path, name: bytes
) -> None:
    hostile = tmp_path / "hostile.cbbackup"
    hostile.write_bytes(_sealed_backup(binder, _entry(name, 4, b"evil") + END))
    _refused_writing_nothing(hostile, tmp_path, "would not write")
    assert not (tmp_path.parent / "escape").exists()


def test_a_valid_header_over_another_binder_s_data_is_refused(
    binder: Binder, tmp_path: Path
) -> None:
    other_dir = tmp_path / "another binder"
    with Binder.create(other_dir, PASSPHRASE) as other:
        backup(other, tmp_path / "theirs.cbbackup")
    backup(binder, tmp_path / "ours.cbbackup")
    ours, theirs = ((tmp_path / n).read_bytes() for n in ("ours.cbbackup", "theirs.cbbackup"))
    # Our header (our keys, which the passphrase opens) over their sealed stream.
    hostile = tmp_path / "hostile.cbbackup"
    split_ours, split_theirs = (_stream_start(b) - HEADER_SIZE for b in (ours, theirs))
    hostile.write_bytes(ours[:split_ours] + theirs[split_theirs:])
    _refused_writing_nothing(hostile, tmp_path, "damaged or was altered")


def test_a_header_from_another_backup_of_the_same_binder_is_refused(
    binder: Binder, tmp_path: Path
) -> None:
    backup(binder, tmp_path / "first.cbbackup")
    binder.change_passphrase(PASSPHRASE)  # keys.json wrapped anew: the next header differs
    assert import_bytes(binder, 1, make_pdf(None, "Lab results"), "labs.pdf").status is Outcome.OK
    backup(binder, tmp_path / "second.cbbackup")
    first, second = ((tmp_path / n).read_bytes() for n in ("first.cbbackup", "second.cbbackup"))
    split_first, split_second = (_stream_start(b) - HEADER_SIZE for b in (first, second))
    assert first[:split_first] != second[:split_second]
    # The same key opens both streams; each is bound to its own header only.
    hostile = tmp_path / "hostile.cbbackup"
    hostile.write_bytes(first[:split_first] + second[split_second:])
    _refused_writing_nothing(hostile, tmp_path, "damaged or was altered")
