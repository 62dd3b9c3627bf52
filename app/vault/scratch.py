"""Encrypted scratch space for intermediate work too big to hold in memory (a records
packet's pictures turned into pages, say).

Everything goes into one unnamed temporary file, sealed with a key that exists only in this
process: nothing written is readable on disk, and after a crash there is no name to find
and no key to read it with. Each piece put in comes back as a seekable file.
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
from collections.abc import Iterator
from typing import BinaryIO

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from app.vault.sealed_stream import SealedReader, SealedWriter

MAGIC = b"CBS1"


class Scratch:
    def __init__(self, file: BinaryIO) -> None:
        self._file = file
        self._key = AESGCM.generate_key(bit_length=256)
        self._end = 0

    def put(self, data: bytes) -> BinaryIO:
        """Seal `data` into the scratch file; return it as a file to read back."""
        start = self._end
        context = f"piece at {start}".encode()
        self._file.seek(start)
        writer = SealedWriter(self._file, self._key, MAGIC, context, os.urandom(8))
        writer.write(data)
        writer.close()
        self._file.flush()
        self._end = self._file.tell()

        def read_at(offset: int, size: int) -> bytes:
            self._file.seek(start + offset)
            return self._file.read(size)

        raw = SealedReader(read_at, self._end - start, self._key, MAGIC, context)
        return io.BufferedReader(raw, buffer_size=1 << 13)


@contextlib.contextmanager
def scratch_space() -> Iterator[Scratch]:
    """Scratch space for the length of a `with` block; the file is gone when it ends."""
    with tempfile.TemporaryFile(prefix="carebinder-") as file:
        yield Scratch(file)
