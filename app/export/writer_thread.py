"""Writes gathered into large pieces and handed to a thread of their own, so that hashing
and storing what is written (SHA-256, the ZIP's CRC, the disk) overlap with making what
comes next. hashlib, zlib and file writes let go of the GIL for large pieces, so on two
cores the two really run at once.

At most `depth` pieces of about 1 MiB wait at a time, so memory stays bounded when the sink
is slow. A
failure in the sink (a full disk, a stick pulled out) is raised to the writer at its next
write, or at `close`.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable
from typing import BinaryIO

PIECE = 1 << 20


class WriterThread:
    def __init__(self, sink: BinaryIO, depth: int = 8) -> None:
        self._sink = sink
        self._pending = bytearray()
        self._queue: queue.Queue[bytes | memoryview | None] = queue.Queue(maxsize=depth)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="bundle-writer", daemon=True)
        self._thread.start()

    def write(self, data: bytes) -> int:
        if self._error is not None:
            raise self._error
        if len(data) >= PIECE:  # a large piece goes as it is, after what came before it
            self._hand_over()
            # In slices, so a slow sink holds the writer back within this piece, not after
            # several more like it have been made.
            view = memoryview(data)
            for start in range(0, len(view), PIECE):
                self._queue.put(view[start : start + PIECE])
        else:
            self._pending += data
            if len(self._pending) >= PIECE:
                self._hand_over()
        return len(data)

    @property
    def error(self) -> BaseException | None:
        """What the sink raised, if it failed."""
        return self._error

    def close(self) -> None:
        """Wait until everything written has reached the sink; raise the sink's failure."""
        self._hand_over()
        self.stop()
        if self._error is not None:
            raise self._error

    def stop(self) -> None:
        """End the thread once what was handed over is written (what is still gathered is
        dropped): for when something else failed."""
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()

    def _hand_over(self) -> None:
        if self._pending:
            self._queue.put(bytes(self._pending))
            self._pending.clear()

    def _run(self) -> None:
        while (data := self._queue.get()) is not None:
            if self._error is None:  # after a failure the rest is dropped, never blocked on
                try:
                    self._sink.write(data if isinstance(data, bytes) else bytes(data))
                except BaseException as exc:  # handed to the writer
                    self._error = exc


def write_all(sink: BinaryIO, pieces: Iterable[bytes]) -> None:
    """Write `pieces` into `sink`, each stored on the thread while the next is made."""
    writer = WriterThread(sink)
    try:
        for piece in pieces:
            writer.write(piece)
        writer.close()
    finally:
        writer.stop()
