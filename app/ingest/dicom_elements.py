"""A DICOM file's header elements read straight from its bytes: the quick way to read the
header of an image on a disc (dicom_header.read_header).

pydicom builds a whole Dataset and runs every value through its converters and validators:
about 2 ms an image, which for a disc of hundreds of images cost more than storing them.
Only a handful of values are needed (who, which study, series and image, its size), so this
walks the elements of the file meta and of the dataset up to the pixel data, by their
lengths, keeps the raw bytes of the elements asked for, and decodes those as pydicom does.

It takes only what it reads exactly as pydicom would: explicit or implicit VR little
endian, values in ASCII, Latin-1 or UTF-8, sequences it can walk. Anything else raises
`Unusual` (big endian, a deflated dataset, a private transfer syntax, an unknown VR, a
length past the end of the file, an element out of order, a character set it does not
know, a value pydicom would have to guess at), and the caller reads the file with pydicom,
whose answer is the reference. The tests check that both give the same header for every
file of pydicom's own test set.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass
from typing import BinaryIO

WINDOW = 64 << 10  # read this much at a time: a header is a few kilobytes
MAX_VALUE = 64 << 10  # a value asked for that is longer than this is not a header's
MAX_DEPTH = 16  # nested sequences walked, deeper is left to pydicom
PREAMBLE = 128

IMPLICIT_LITTLE = "1.2.840.10008.1.2"
EXPLICIT_BIG = "1.2.840.10008.1.2.2"
DEFLATED = "1.2.840.10008.1.2.1.99"
DEFLATED_IMAGE_FRAMES = "1.2.840.10008.1.2.8.1"

PIXEL_TAGS = frozenset({0x7FE00010, 0x7FE00009, 0x7FE00008})  # where pydicom stops
ITEM, ITEM_END, SEQUENCE_END = 0xFFFEE000, 0xFFFEE00D, 0xFFFEE0DD
UNDEFINED = 0xFFFFFFFF

# Every VR pydicom reads, and those whose explicit length takes four bytes.
VRS = frozenset(
    b"AE AS AT CS DA DS DT FD FL IS LO LT OB OD OF OL OV OW PN SH SL SQ SS ST SV TM UC UI "
    b"UL UN UR US UT UV".split()
)
LONG_VRS = frozenset(b"OB OD OF OL OV OW SQ UC UN UR UT SV UV".split())

# The character sets whose values decode with one Python codec, as pydicom names them.
CODECS = {"": "iso8859", "ISO_IR 6": "iso8859", "ISO_IR 100": "latin_1", "ISO_IR 192": "utf-8"}
CHARSET = 0x00080005

_ELEMENT = struct.Struct("<HHI")  # implicit VR: group, element, length
_EXPLICIT = struct.Struct("<HH2sH")  # explicit VR, short length
_LONG_LENGTH = struct.Struct("<I")
_INTEGER = re.compile(r" *[+-]?[0-9]{1,10} *")


class Unusual(Exception):
    """A header this reader does not take: pydicom must read it."""


class _Source:
    """The file read through a window that moves as the walk goes: a long value that is not
    wanted is skipped without being read."""

    def __init__(self, handle: BinaryIO, size: int) -> None:
        self._handle, self.size = handle, size
        self._start, self._data = 0, b""

    def get(self, offset: int, length: int) -> tuple[bytes, int]:
        """(a buffer holding `length` bytes from `offset`, where they start in it)."""
        if offset + length > self.size:
            raise Unusual("past the end of the file")
        start = offset - self._start
        if start < 0 or start + length > len(self._data):
            self._handle.seek(offset)
            self._data = self._handle.read(max(length, WINDOW))
            self._start, start = offset, 0
            if len(self._data) < length:
                raise Unusual("the file is shorter than it was")
        return self._data, start

    def window(self) -> tuple[bytes, int]:
        """(the bytes read last, where in the file they start)."""
        return self._data, self._start

    def head(self, length: int) -> bytes:
        """The file's first `length` bytes."""
        data, start = self.get(0, length)
        return data[start : start + length]


@dataclass(frozen=True)
class Element:
    vr: str  # as written (explicit VR) or from the dictionary (implicit VR)
    value: bytes


@dataclass(frozen=True)
class RawHeader:
    """The elements asked for, the file meta's and the dataset's top level, as written."""

    meta: dict[int, Element]
    elements: dict[int, Element]
    codec: str  # the dataset's character set, as a Python codec
    pixel_offset: int  # where the pixel data element starts (the file's size if none)
    head: bytes  # the file's first bytes, up to the pixel data (at most WINDOW)

    def text(self, tag: int, meta: bool = False) -> str:
        """The value as dicom_header's `_text` reads it from pydicom, or "" if absent."""
        element = (self.meta if meta else self.elements).get(tag)
        if element is None or not element.value:
            return ""
        return collapse(_decode(element, self.codec))

    def number(self, tag: int) -> int | None:
        """The value as dicom_header's `_number` reads it from pydicom."""
        element = self.elements.get(tag)
        if element is None or not element.value:
            return None
        if element.vr == "US":
            if len(element.value) != 2:
                raise Unusual("several numbers")
            return int.from_bytes(element.value, "little")
        if element.vr != "IS":
            raise Unusual("not a number")
        text = element.value.decode("iso8859").rstrip(" \x00")
        if not text or "\\" in text:
            return None  # several numbers: not one (`_number` finds no int in them either)
        if not _INTEGER.fullmatch(text):
            raise Unusual("a number pydicom would have to guess at")
        return int(text)

    def has(self, tag: int) -> bool:
        return tag in self.elements

    def several(self, tag: int) -> bool:
        """Whether the element holds several values."""
        element = self.elements.get(tag)
        return element is not None and b"\\" in element.value


def collapse(text: str) -> str:
    """Spaces and NULs as one space, none at the ends (as `_text` leaves every value)."""
    if " " not in text and text.isprintable():
        return text  # no space of any kind (most UIDs, codes and dates)
    return " ".join(text.replace("\x00", " ").split())


def _decode(element: Element, codec: str) -> str:
    vr, raw = element.vr, element.value
    if vr in ("UI", "CS", "DA", "TM", "AS", "DS", "IS"):
        return raw.decode("iso8859").rstrip(" \x00")  # pydicom's default encoding, always
    if b"\x1b" in raw:
        raise Unusual("a value switching character sets")
    try:
        if vr == "PN":
            text = raw.rstrip(b"\x00 ").decode(codec)
            if "=" in text:
                raise Unusual("a name in several alphabets")
            return text
        if vr in ("LO", "SH"):
            return "\\".join(v.rstrip("\x00 ") for v in raw.decode(codec).split("\\"))
    except UnicodeDecodeError:
        raise Unusual("a value not in its character set") from None
    raise Unusual(f"a {vr} value")


# The VR of each element that may be asked for, for implicit VR files (pydicom's dictionary).
VR_OF = {
    0x00020002: "UI",
    0x00020003: "UI",
    0x00020010: "UI",
    0x00080005: "CS",
    0x00080016: "UI",
    0x00080018: "UI",
    0x00080020: "DA",
    0x00080021: "DA",
    0x00080030: "TM",
    0x00080050: "SH",
    0x00080060: "CS",
    0x00080080: "LO",
    0x00081030: "LO",
    0x0008103E: "LO",
    0x00100010: "PN",
    0x00100020: "LO",
    0x00100030: "DA",
    0x00180015: "CS",
    0x0020000D: "UI",
    0x0020000E: "UI",
    0x00200010: "SH",
    0x00200011: "IS",
    0x00200013: "IS",
    0x00280008: "IS",
    0x00280010: "US",
    0x00280011: "US",
    0x00420011: "OB",
    0x300A0002: "SH",
}


def read_elements(handle: BinaryIO, size: int, wanted: frozenset[int]) -> RawHeader:
    """The wanted elements of the DICOM file open as `handle` (`size` bytes, starting with
    the preamble and "DICM"); raises `Unusual` when pydicom must read it instead."""
    source = _Source(handle, size)
    meta: dict[int, Element] = {}
    position = _walk_meta(source, PREAMBLE + 4, meta)
    syntax = meta.get(0x00020010)
    if syntax is None:
        raise Unusual("no transfer syntax")
    uid = syntax.value.decode("iso8859").rstrip("\x00 ")
    if uid in (EXPLICIT_BIG, DEFLATED, DEFLATED_IMAGE_FRAMES) or _private_syntax(uid):
        raise Unusual("big endian, deflated or private")
    implicit = uid == IMPLICIT_LITTLE
    elements: dict[int, Element] = {}
    pixel_offset = _walk_top(source, position, implicit, wanted | {CHARSET}, elements)
    codec = _codec(elements.pop(CHARSET, None))
    head = source.head(min(pixel_offset, WINDOW))
    return RawHeader(meta, elements, codec, pixel_offset, head)


def _private_syntax(uid: str) -> bool:
    from pydicom import uid as uids

    return bool(uids.PrivateTransferSyntaxes) and uid in uids.PrivateTransferSyntaxes


def _codec(element: Element | None) -> str:
    if element is None:
        return CODECS[""]
    name = element.value.decode("iso8859").rstrip(" \x00")
    if name not in CODECS:
        raise Unusual("a character set this reader does not decode")
    return CODECS[name]


def _walk_meta(source: _Source, position: int, meta: dict[int, Element]) -> int:
    """The file meta group (0002), always explicit VR little endian; returns where the
    dataset starts."""
    while position < source.size:
        if position + 8 > source.size:
            raise Unusual("the file ends in its meta information")
        data, at = source.get(position, 8)
        group, element, vr, length = _EXPLICIT.unpack_from(data, at)
        if group != 0x0002:
            return position
        if vr not in VRS:
            raise Unusual("file meta not in explicit VR")
        start = position + 8
        if vr in LONG_VRS:
            data, at = source.get(start, 4)
            (length,) = _LONG_LENGTH.unpack_from(data, at)
            start += 4
        if length == UNDEFINED or length > MAX_VALUE:
            raise Unusual("an odd file meta element")
        tag = group << 16 | element
        if tag in VR_OF:
            data, at = source.get(start, length)
            meta[tag] = Element(vr.decode(), data[at : at + length])
        position = start + length
    return position


def _walk_top(
    source: _Source,
    position: int,
    implicit: bool,
    wanted: frozenset[int],
    found: dict[int, Element],
) -> int:
    """The dataset's top-level elements up to the pixel data; returns where it starts."""
    last = -1
    first = True
    size = source.size
    unpack = _ELEMENT.unpack_from
    data, base = source.window()
    while position < size:
        if position + 8 > size:
            raise Unusual("the file ends inside an element")
        at = position - base
        if at < 0 or at + 12 > len(data):  # the window moves on
            data, at = source.get(position, min(12, size - position))
            base = position - at
        group, element, length = unpack(data, at)
        tag = group << 16 | element
        if tag in PIXEL_TAGS:
            if not implicit and data[at + 4 : at + 6] in LONG_VRS and position + 12 > size:
                raise Unusual("the file ends inside the pixel data's header")  # pydicom fails
            return position
        if tag <= last or group in (0x0000, 0x0002, 0xFFFE):
            raise Unusual("elements out of order or out of place")
        last = tag
        looks_explicit = 0x40 < data[at + 4] < 0x5B and 0x40 < data[at + 5] < 0x5B
        if first and looks_explicit == implicit:
            raise Unusual("the dataset is not encoded as its transfer syntax says")
        first = False
        if implicit:
            vr, start = "", position + 8
        else:
            raw_vr = data[at + 4 : at + 6]
            if raw_vr not in VRS:
                raise Unusual("an unknown VR")
            vr = raw_vr.decode()
            if raw_vr in LONG_VRS:
                if position + 12 > size or at + 12 > len(data):
                    raise Unusual("the file ends inside an element")
                (length,) = _LONG_LENGTH.unpack_from(data, at + 8)
                start = position + 12
            else:
                length = data[at + 6] | data[at + 7] << 8
                start = position + 8
        if length == UNDEFINED:
            if tag in wanted:
                raise Unusual("a wanted element of undefined length")
            position = _skip_undefined(source, start, implicit, vr, 0)
            continue
        if tag in wanted:
            expected = VR_OF.get(tag, vr)
            if (vr or expected) != expected or length > MAX_VALUE:
                raise Unusual("a wanted element with another VR")
            value, at = source.get(start, length)
            found[tag] = Element(expected, value[at : at + length])
            data, base = source.window()
        position = start + length
    if position != size:
        raise Unusual("an element runs past the end of the file")
    return position


def _value_at(source: _Source, position: int, implicit: bool) -> tuple[str, int, int]:
    """(VR or "" in implicit VR, where the value starts, its length) of the element at
    `position`."""
    data, at = source.get(position, 8)
    if implicit:
        _group, _element, length = _ELEMENT.unpack_from(data, at)
        return "", position + 8, length
    _group, _element, raw_vr, length = _EXPLICIT.unpack_from(data, at)
    if raw_vr not in VRS:
        raise Unusual("an unknown VR")
    if raw_vr in LONG_VRS:
        data, at = source.get(position + 8, 4)
        (length,) = _LONG_LENGTH.unpack_from(data, at)
        return raw_vr.decode(), position + 12, length
    return raw_vr.decode(), position + 8, length


def _skip_undefined(source: _Source, position: int, implicit: bool, vr: str, depth: int) -> int:
    """Past a value of undefined length, which must be a sequence of items; returns where
    the next element starts."""
    if depth > MAX_DEPTH:
        raise Unusual("sequences nested too deep")
    if not implicit and vr not in ("SQ", "UN"):
        raise Unusual("undefined length outside a sequence")
    # A UN of undefined length is a sequence encoded in implicit VR (PS3.5 6.2.2).
    items_implicit = implicit or vr == "UN"
    while True:
        if position + 8 > source.size:
            raise Unusual("a sequence runs past the end of the file")
        data, at = source.get(position, 8)
        group, element, length = _ELEMENT.unpack_from(data, at)
        tag = group << 16 | element
        position += 8
        if tag == SEQUENCE_END:
            return position
        if tag != ITEM:
            raise Unusual("not an item in a sequence")
        if length != UNDEFINED:
            position += length
            continue
        position = _skip_item(source, position, items_implicit, depth + 1)


def _skip_item(source: _Source, position: int, implicit: bool, depth: int) -> int:
    """Past the elements of an item of undefined length and its delimiter."""
    while True:
        if position + 8 > source.size:
            raise Unusual("an item runs past the end of the file")
        data, at = source.get(position, 8)
        group, element, length = _ELEMENT.unpack_from(data, at)
        if (group << 16 | element) == ITEM_END:
            return position + 8
        if group == 0xFFFE:
            raise Unusual("a delimiter out of place")
        if not implicit and data[at + 4 : at + 6] not in VRS:
            raise Unusual("an item not encoded as its dataset")
        vr, start, length = _value_at(source, position, implicit)
        if length == UNDEFINED:
            position = _skip_undefined(source, start, implicit, vr, depth)
        else:
            position = start + length
            if position > source.size:
                raise Unusual("an element runs past the end of the file")
