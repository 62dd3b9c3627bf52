"""A read-only stream that can seek, for readers put together from parts (a sealed file
decrypted one chunk at a time, pieces joined end to end), so libraries that seek around a
file (pikepdf, Pillow) can read one without it ever being whole in memory or on disk.
A subclass says how long it is and how to read at a position."""

from __future__ import annotations

import io
from typing import Any


class SeekableReader(io.RawIOBase):
    def __init__(self, size: int) -> None:
        super().__init__()
        self._size, self._position = size, 0

    @property
    def size(self) -> int:
        return self._size

    def read_at(self, position: int, limit: int) -> bytes:
        """Up to `limit` bytes from `position` (at least one, before the end)."""
        raise NotImplementedError

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self._size}[whence]
        if base + offset < 0:
            raise ValueError("negative seek position")
        self._position = base + offset
        return self._position

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        done = 0
        while done < len(view) and self._position < self._size:
            piece = self.read_at(self._position, len(view) - done)
            if not piece:
                break
            view[done : done + len(piece)] = piece
            done += len(piece)
            self._position += len(piece)
        return done
