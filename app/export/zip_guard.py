"""What a ZIP from outside must pass before any of it is decompressed (`carebinder verify`).

A ZIP can be built to hurt whoever opens it: a deflate bomb (a small stream of zeros that
unpacks to gigabytes), entries whose data overlap so the same bytes unpack many times (the
shape of CVE-2024-0450, which Python 3.11.7's zipfile does not check), names that climb out
of the folder, more entries than memory holds, or a "list of checksums" of a gigabyte. The
checks here read only the ZIP's directory and each entry's local header, in this order:

1. the end record: how many entries and how large the central directory is, before
   zipfile builds an object for every entry;
2. every entry's name;
3. where each entry's bytes really lie: its local header (whose name and extra field have
   their own lengths, unlike the central directory's) plus its data. No two may share a
   byte, and none may run into the central directory;
4. every entry's declared size and ratio (unpacked size against stored size), and the
   total the whole ZIP claims to unpack to, against the ZIP's own size.

The limits are far above any bundle CareBinder writes (its entries are stored, or deflated
when a password protects them, and are records, not zeros). Bytes that are decompressed
afterwards are bounded too: an entry never yields more than its declared size (`Bounded`).
"""

from __future__ import annotations

import io
import itertools
import struct
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import BinaryIO

MAX_ENTRIES = 50_000  # a binder of ten years (3,000 documents) makes about 3,000
MAX_CENTRAL_DIRECTORY = 32 << 20  # 50,000 entries with long names fit in 20 MB
MAX_ENTRY_SIZE = 8 << 30  # one original: CareBinder imports nothing above 1 GiB
MAX_LIST_SIZE = 16 << 20  # SHA256SUMS: 50,000 lines of about 300 bytes
MAX_RATIO = 200  # unpacked to stored, for an entry larger than RATIO_FLOOR
RATIO_FLOOR = 16 << 20
MAX_EXPANSION = 20  # the whole ZIP unpacked, against its size on disk (plus EXPANSION_FLOOR)
EXPANSION_FLOOR = 256 << 20

_END = struct.Struct("<4s4H2LH")  # end of central directory record
_END_SIGNATURE = b"PK\x05\x06"
_LOCATOR = struct.Struct("<4sLQL")  # zip64 end of central directory locator
_LOCATOR_SIGNATURE = b"PK\x06\x07"
_END64 = struct.Struct("<4sQ2H2L4Q")  # zip64 end of central directory record
_END64_SIGNATURE = b"PK\x06\x06"
_LOCAL = struct.Struct("<4s5H3L2H")  # local file header
_LOCAL_SIGNATURE = b"PK\x03\x04"


class ZipRefused(Exception):
    """The ZIP is refused before anything in it was decompressed; the message says why."""


@dataclass(frozen=True)
class Directory:
    entries: int
    size: int  # of the central directory, in bytes
    offset: int  # where it starts: every entry's data must end before it


def _size(count: int) -> str:
    for unit, step in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if count >= step:
            return f"{count / step:.1f} {unit}"
    return f"{count} bytes"


def read_directory(handle: BinaryIO) -> Directory:
    """The end record (zip64's when there is one): what the ZIP says it holds."""
    handle.seek(0, io.SEEK_END)
    length = handle.tell()
    tail_size = min(length, _END.size + 0xFFFF)  # the record, then a comment of up to 64 KB
    handle.seek(length - tail_size)
    tail = handle.read(tail_size)
    at = tail.rfind(_END_SIGNATURE)
    if at < 0 or len(tail) - at < _END.size:
        raise ZipRefused("This is not a readable ZIP file (its directory is missing).")
    _, _, _, _, entries, size, offset, _ = _END.unpack_from(tail, at)
    record = length - tail_size + at
    if record >= _LOCATOR.size and (
        entries == 0xFFFF or size == 0xFFFFFFFF or offset == 0xFFFFFFFF
    ):
        handle.seek(record - _LOCATOR.size)
        signature, _, end64, _ = _LOCATOR.unpack(handle.read(_LOCATOR.size))
        if signature == _LOCATOR_SIGNATURE and 0 <= end64 <= length - _END64.size:
            handle.seek(end64)
            fields = _END64.unpack(handle.read(_END64.size))
            if fields[0] != _END64_SIGNATURE:
                raise ZipRefused("This ZIP file is damaged (its directory is not readable).")
            entries, size, offset = fields[7], fields[8], fields[9]
    return Directory(entries, size, offset)


def check_directory(directory: Directory) -> None:
    """Refuse a ZIP with too many entries before zipfile makes an object for each."""
    if directory.entries > MAX_ENTRIES:
        raise ZipRefused(
            f"The ZIP holds {directory.entries:,} entries: far more than a bundle has. "
            "It was not opened further."
        )
    if directory.size > MAX_CENTRAL_DIRECTORY:
        raise ZipRefused(
            f"The ZIP's list of entries is {_size(directory.size)}: far more than a bundle "
            "needs. It was not opened further."
        )


def safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return (
        bool(name)
        and not path.is_absolute()
        and ".." not in path.parts
        and "\\" not in name
        and ":" not in name.split("/", 1)[0]  # C:something, on Windows a drive
        and "\0" not in name
    )


@dataclass(frozen=True)
class Entry:
    """What the central directory says of one entry (a zipfile.ZipInfo carries these)."""

    name: str
    header_offset: int
    compress_size: int
    file_size: int


def check_entries(
    handle: BinaryIO,
    entries: list[Entry],
    directory: Directory,
    archive_size: int,
    list_name: str,
) -> None:
    """Names, where each entry's bytes lie, sizes and ratios; raises `ZipRefused`."""
    for entry in entries:
        if not safe_name(entry.name):
            raise ZipRefused(f"The ZIP holds an unsafe path: {entry.name!r}. It was not unpacked.")
    _check_layout(handle, entries, directory)
    total = 0
    for entry in entries:
        if entry.file_size > MAX_ENTRY_SIZE:
            raise ZipRefused(
                f"{entry.name} would unpack to {_size(entry.file_size)}: far more than any "
                "record. The ZIP was not unpacked."
            )
        if entry.name == list_name and entry.file_size > MAX_LIST_SIZE:
            raise ZipRefused(
                f"{list_name} would unpack to {_size(entry.file_size)}: far more than a list "
                "of checksums. It was not read."
            )
        if (
            entry.file_size > RATIO_FLOOR
            and entry.file_size > max(entry.compress_size, 1) * MAX_RATIO
        ):
            raise ZipRefused(
                f"{entry.name} is built to unpack to an unsafe size ({_size(entry.file_size)} "
                f"from {_size(entry.compress_size)}). The ZIP was not unpacked."
            )
        total += entry.file_size
    if total > archive_size * MAX_EXPANSION + EXPANSION_FLOOR:
        raise ZipRefused(
            f"The ZIP would unpack to {_size(total)} from {_size(archive_size)}: it is built "
            "to unpack to an unsafe size. It was not unpacked."
        )


def _check_layout(handle: BinaryIO, entries: list[Entry], directory: Directory) -> None:
    """Each entry's bytes (local header, name, extra field, data) apart from the others'."""
    spans = []
    for entry in entries:
        handle.seek(entry.header_offset)
        header = handle.read(_LOCAL.size)
        if len(header) < _LOCAL.size or header[:4] != _LOCAL_SIGNATURE:
            raise ZipRefused(
                f"The ZIP's entry {entry.name} has no header where it should: it is damaged."
            )
        name_length, extra_length = _LOCAL.unpack(header)[-2:]
        end = entry.header_offset + _LOCAL.size + name_length + extra_length + entry.compress_size
        spans.append((entry.header_offset, end, entry.name))
    spans.sort()
    for (_, end, name), (start, _, following) in itertools.pairwise(spans):
        if start < end:
            raise ZipRefused(
                f"The ZIP's entries {name} and {following} overlap: it is damaged or built to "
                "unpack the same bytes many times. It was not unpacked."
            )
    if spans and spans[-1][1] > directory.offset:
        raise ZipRefused(f"The ZIP's entry {spans[-1][2]} runs into its directory: it is damaged.")


class Bounded(io.RawIOBase):
    """An entry opened for reading that never yields more than its declared size, and counts
    what it yields (`counter`), so the bytes decompressed stay bounded and can be checked."""

    def __init__(self, source: BinaryIO, limit: int, counter: Callable[[int], None]) -> None:
        super().__init__()
        self._source, self._left, self._counter = source, limit, counter

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        wanted = len(buffer)
        block = self._source.read(min(wanted, self._left + 1))
        if len(block) > self._left:
            raise ZipRefused("An entry of the ZIP unpacks to more than it declares: it is damaged.")
        self._left -= len(block)
        self._counter(len(block))
        buffer[: len(block)] = block
        return len(block)

    def close(self) -> None:
        self._source.close()
        super().close()
