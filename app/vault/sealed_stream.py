"""A byte stream sealed with AES-256-GCM in chunks (STREAM construction), for backups.

    header  = MAGIC (4 bytes) | chunk_size (4 bytes, big endian) | nonce prefix (8 random bytes)
    chunk i = AES-256-GCM(key, nonce = prefix | i (4 bytes), data, aad = header | context | last)

`context` binds the stream to what it is (a backup's public header); the last-chunk flag
makes truncation and extension fail authentication. The file store uses the same layout
with the stored file's name as context (see filestore.py).
"""

from __future__ import annotations

import itertools
import struct
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from app.seekable import SeekableReader

CHUNK_SIZE = 1 << 20
TAG_SIZE = 16
HEADER_SIZE = 16


_ENCRYPT_INTO = hasattr(AESGCM, "encrypt_into")  # cryptography 46 and later
_SCRATCH = threading.local()


def _scratch(size: int) -> memoryview:
    """`size` bytes of this thread's own buffer (at most a chunk and its tag)."""
    buffer: bytearray | None = getattr(_SCRATCH, "buffer", None)
    if buffer is None:
        buffer = _SCRATCH.buffer = bytearray(CHUNK_SIZE + TAG_SIZE)
    return memoryview(buffer)[:size]


class StreamDamaged(Exception):
    """The sealed stream failed authentication: damaged, truncated or altered."""


class SealedWriter:
    """Write plaintext in; sealed chunks go out to `out`. Call `close()` to seal the end.

    `out` must take each chunk before its `write` returns (a file does): the chunks are
    sealed into a buffer the thread reuses."""

    def __init__(self, out: BinaryIO, key: bytes, magic: bytes, context: bytes, prefix: bytes):
        if len(magic) != 4 or len(prefix) != 8:
            raise ValueError("magic is 4 bytes and the nonce prefix 8")
        self._out = out
        self._aead = AESGCM(key)
        self._header = magic + struct.pack(">I", CHUNK_SIZE) + prefix
        self._context = context
        self._prefix = prefix
        self._buffer = bytearray()
        self._index = 0
        out.write(self._header)

    def _seal(self, chunk: bytes | memoryview, last: bool) -> None:
        nonce = self._prefix + struct.pack(">I", self._index)
        aad = self._header + self._context + (b"\x01" if last else b"\x00")
        if _ENCRYPT_INTO:
            # Into a buffer kept by the thread: a new MiB for each chunk costs more in page
            # faults than the encryption itself.
            sealed = _scratch(len(chunk) + TAG_SIZE)
            self._aead.encrypt_into(nonce, chunk, aad, sealed)
            self._out.write(sealed)
        else:
            self._out.write(self._aead.encrypt(nonce, chunk, aad))
        self._index += 1

    def write(self, data: bytes) -> None:
        self._buffer += data
        # Keep at least one byte back: the last chunk is only known at close().
        while len(self._buffer) > CHUNK_SIZE:
            self._seal(bytes(self._buffer[:CHUNK_SIZE]), last=False)
            del self._buffer[:CHUNK_SIZE]

    def close(self) -> None:
        self._seal(bytes(self._buffer), last=True)
        self._buffer.clear()

    def write_whole(self, data: bytes) -> None:
        """Seal `data` as the whole stream and close it, without copying it into the
        buffer first (a file already held in memory)."""
        if self._buffer or self._index:
            raise ValueError("write_whole seals a whole stream")
        view = memoryview(data)
        last = max(0, (len(data) - 1) // CHUNK_SIZE)
        for index in range(last + 1):
            piece = view[index * CHUNK_SIZE : (index + 1) * CHUNK_SIZE]
            self._seal(piece, last=index == last)  # AES-GCM reads the view: no copy


def open_sealed(source: BinaryIO, key: bytes, magic: bytes, context: bytes) -> Iterator[bytes]:
    """The plaintext of a sealed stream, chunk by chunk; raises `StreamDamaged`."""
    header = source.read(HEADER_SIZE)
    if len(header) != HEADER_SIZE or header[:4] != magic:
        raise StreamDamaged("bad header")
    (chunk_size,) = struct.unpack(">I", header[4:8])
    if not 0 < chunk_size <= 64 * CHUNK_SIZE:
        raise StreamDamaged("bad chunk size")
    aead, prefix = AESGCM(key), header[8:16]
    sealed_size = chunk_size + TAG_SIZE
    index = 0
    sealed = source.read(sealed_size)
    while True:
        following = source.read(sealed_size)
        last = not following
        aad = header + context + (b"\x01" if last else b"\x00")
        try:
            yield aead.decrypt(prefix + struct.pack(">I", index), sealed, aad)
        except InvalidTag:
            raise StreamDamaged(f"chunk {index} failed authentication") from None
        if last:
            return
        sealed, index = following, index + 1


ReadAt = Callable[[int, int], bytes]  # (offset, size) -> at most `size` bytes from `offset`


class _RecentChunks:
    """The chunks decrypted last, shared by every reader: a packet keeps hundreds of
    readers open at once, and a chunk kept by each would add up to hundreds of MiB."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._chunks: OrderedDict[tuple[int, int], bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[int, int]) -> bytes | None:
        with self._lock:
            chunk = self._chunks.get(key)
            if chunk is not None:
                self._chunks.move_to_end(key)
            return chunk

    def put(self, key: tuple[int, int], chunk: bytes) -> None:
        with self._lock:
            self._chunks[key] = chunk
            while len(self._chunks) > self._size:
                self._chunks.popitem(last=False)


_RECENT = _RecentChunks(4)
_READER_IDS = itertools.count()


class SealedReader(SeekableReader):
    """Random access to a sealed stream's plaintext, decrypting one chunk at a time.

    For readers that seek (a PDF library reads the end of a file first): only the chunks
    asked for are read and checked, and only the last few decrypted by any reader are kept,
    so memory stays at a few chunks whatever the files' sizes and number. Every chunk is
    authenticated as in `open_sealed`, including the last-chunk flag, so a truncated or
    altered stream raises `StreamDamaged`.
    """

    def __init__(
        self, read_at: ReadAt, sealed_size: int, key: bytes, magic: bytes, context: bytes
    ) -> None:
        header = read_at(0, HEADER_SIZE)
        if len(header) != HEADER_SIZE or header[:4] != magic:
            raise StreamDamaged("bad header")
        (chunk_size,) = struct.unpack(">I", header[4:8])
        if not 0 < chunk_size <= 64 * CHUNK_SIZE:
            raise StreamDamaged("bad chunk size")
        body = sealed_size - HEADER_SIZE
        sealed_chunk = chunk_size + TAG_SIZE
        self._chunks = max(1, -(-body // sealed_chunk))
        last_sealed = body - (self._chunks - 1) * sealed_chunk
        if last_sealed < TAG_SIZE:
            raise StreamDamaged("truncated")
        super().__init__((self._chunks - 1) * chunk_size + last_sealed - TAG_SIZE)
        self._read_sealed, self._header, self._context = read_at, header, context
        self._aead, self._chunk_size = AESGCM(key), chunk_size
        self._id = next(_READER_IDS)

    def _chunk(self, index: int) -> bytes:
        cached = _RECENT.get((self._id, index))
        if cached is not None:
            return cached
        sealed_chunk = self._chunk_size + TAG_SIZE
        sealed = self._read_sealed(HEADER_SIZE + index * sealed_chunk, sealed_chunk)
        last = index == self._chunks - 1
        aad = self._header + self._context + (b"\x01" if last else b"\x00")
        try:
            plain = self._aead.decrypt(self._header[8:16] + struct.pack(">I", index), sealed, aad)
        except InvalidTag:
            raise StreamDamaged(f"chunk {index} failed authentication") from None
        _RECENT.put((self._id, index), plain)
        return plain

    def read_at(self, position: int, limit: int) -> bytes:
        index, start = divmod(position, self._chunk_size)
        return self._chunk(index)[start : start + limit]
