"""The packet's writes on a thread of their own: everything arrives, in order, and a sink
that fails (a full disk, a stick pulled out) fails the export instead of hanging it."""

from __future__ import annotations

import errno
import io

import pytest

from app.export.writer_thread import PIECE, WriterThread


def test_small_and_large_writes_arrive_whole_and_in_order() -> None:
    sink = io.BytesIO()
    writer = WriterThread(sink, depth=2)
    expected = bytearray()
    for number in range(300):
        piece = bytes([number % 256]) * (PIECE + 7 if number % 50 == 0 else 100 + number)
        writer.write(piece)
        expected += piece
    writer.close()
    assert sink.getvalue() == bytes(expected)


class _FullDisk(io.RawIOBase):
    def __init__(self, room: int) -> None:
        super().__init__()
        self.room = room

    def writable(self) -> bool:
        return True

    def write(self, data: object) -> int:
        size = len(data)  # type: ignore[arg-type]
        if size > self.room:
            raise OSError(errno.ENOSPC, "No space left on device")
        self.room -= size
        return size


def test_a_full_disk_is_raised_to_the_writer_and_nothing_waits_forever() -> None:
    writer = WriterThread(_FullDisk(3 * PIECE), depth=2)  # type: ignore[arg-type]
    with pytest.raises(OSError) as failed:
        for _ in range(200):  # far more than the queue holds: must not block
            writer.write(b"x" * PIECE)
        writer.close()
    assert failed.value.errno == errno.ENOSPC
    writer.stop()  # ends at once; the thread is gone
