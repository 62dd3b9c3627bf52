"""One DICOM file's header: which study, series and image it is, and for whom.

Reads the header only, so a file of any size costs a few kilobytes of memory: straight from
the bytes (dicom_elements.py, a tenth of pydicom's time, which counts on a disc of hundreds of
images), or with pydicom (`stop_before_pixels`, large values deferred) for any header that
reader leaves to it. A file without the DICOM preamble ("DICM" at byte
128) is not taken: a disc's viewer program, its autorun file or a text file is skipped with
a reason. A file whose pixel data stops before its header says it ends is "cut short" and
refused; a header promising an enormous image is kept (its picture is refused later, by
dicom_picture.py, before anything is decoded).

Modality codes become plain words here ("CT scan", "MRI", "PET-CT"), for the lists a patient
reads.
"""

from __future__ import annotations

import hashlib
import os
import struct
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Protocol

from app.ingest.dicom_elements import WINDOW, RawHeader, Unusual, read_elements
from app.ingest.refusal import Refused

PREAMBLE = 128
DEFER_SIZE = 1024  # values larger than this stay on the disk until asked for
HEAD_LIMIT = WINDOW  # how much of a header its fingerprint covers
_PIXEL_TAGS = {b"\xe0\x7f\x10\x00", b"\x7f\xe0\x00\x10"}  # (7FE0,0010) little, big endian
_ITEM, _SEQUENCE_END = 0xE000, 0xE0DD
DEFLATED = "1.2.840.10008.1.2.1.99"
NOT_REALLY_DICOM = (
    "This file says it is a DICOM image, but its header cannot be read: it is damaged, or "
    "not really a DICOM file."
)
DIRECTORY_CLASS = "1.2.840.10008.1.3.10"  # Media Storage Directory Storage: a DICOMDIR
_EXPLICIT_LONG = {b"OB", b"OW", b"OF", b"OD", b"OL", b"OV", b"UN", b"SQ", b"UT", b"UC", b"UR"}

# DICOM modality codes, in the words a patient uses. Unknown codes are shown as they are.
MODALITY_WORDS: dict[str, str] = {
    "CT": "CT scan",
    "MR": "MRI",
    "PT": "PET scan",
    "NM": "nuclear medicine scan",
    "MG": "mammogram",
    "US": "ultrasound",
    "CR": "X-ray",
    "DX": "X-ray",
    "RF": "fluoroscopy",
    "XA": "angiogram",
    "OT": "other image",
    "SC": "captured image",
    "SR": "report",
    "DOC": "document",
    "KO": "key images list",
    "PR": "display settings",
    "SEG": "outlined areas",
    "REG": "image alignment",
    "RTPLAN": "radiotherapy plan",
    "RTDOSE": "radiotherapy dose",
    "RTSTRUCT": "radiotherapy outlines",
    "RTIMAGE": "radiotherapy image",
    "ECG": "ECG",
    "BMD": "bone density scan",
    "IO": "dental X-ray",
    "PX": "dental X-ray",
    "XC": "photograph",
    "OP": "eye photograph",
    "SM": "microscope slide image",
}
# Modalities that carry no image of the body: they never make a study "a report".
_SUPPORTING = {"SR", "KO", "PR", "SEG", "REG", "DOC", "RTPLAN", "RTDOSE", "RTSTRUCT", "OT"}


class NotAnImage(Refused):
    """A file on a disc that is no image at all: a viewer program, the disc's index."""


def modality_words(codes: list[str] | tuple[str, ...] | str) -> str:
    """'CT scan', 'PET-CT', 'MRI': what a study is, from the modalities of its series."""
    if isinstance(codes, str):
        codes = [c for c in codes.replace("\\", ",").split(",") if c]
    wanted = [c.strip().upper() for c in codes if c.strip()]
    imaging = [c for c in wanted if c not in _SUPPORTING] or wanted
    found = set(imaging)
    if {"PT", "CT"} <= found:
        return "PET-CT"
    if {"PT", "MR"} <= found:
        return "PET-MRI"
    words = list(dict.fromkeys(MODALITY_WORDS.get(c, c) for c in imaging))
    return " and ".join(words) if words else "imaging"


@dataclass(frozen=True)
class DicomHeader:
    """What one DICOM file says about itself (no pixels)."""

    path: str
    size: int
    sop_instance_uid: str
    sop_class_uid: str
    transfer_syntax_uid: str
    study_uid: str
    series_uid: str
    patient_name: str  # as written: "DOE^JANE"
    patient_id: str
    patient_birth_date: str  # YYYY-MM-DD, or ""
    study_date: str  # YYYY-MM-DD, or ""
    modality: str
    body_part: str
    study_description: str
    series_description: str
    series_number: int | None
    instance_number: int | None
    institution: str
    accession_number: str
    rows: int
    columns: int
    frames: int
    has_pixels: bool
    study_time: str = ""
    study_id: str = ""
    # The file's first bytes, up to its pixel data (at most HEAD_LIMIT), as read: their
    # size and `head_digest`.
    head_size: int = 0
    head_digest: str = ""
    # This image's entry in a DICOMDIR (its record type and keys, as pydicom's file-set
    # support makes it), as DICOM JSON: a file set can be written without opening it again.
    leaf_record: str = ""

    @property
    def patient_key(self) -> tuple[str, str]:
        """Who the image belongs to, for telling the patients of one disc apart."""
        return (self.patient_id.strip(), readable_name(self.patient_name).casefold())


def readable_name(name: str) -> str:
    """'DOE^JANE^M' as 'Jane M Doe'; a name without carets is kept."""
    if "^" not in name:
        return " ".join(name.split())
    family, _, rest = name.partition("^")
    given = " ".join(part for part in rest.split("^")[:2] if part.strip())
    return " ".join(f"{given} {family}".split()).title() if given else family.strip().title()


def dicom_date(value: str) -> str:
    """YYYYMMDD as YYYY-MM-DD; anything else as ""."""
    digits = value.strip().replace(".", "")[:8]
    if len(digits) == 8 and digits.isdigit():
        year, month, day = int(digits[:4]), int(digits[4:6]), int(digits[6:])
        if 1800 <= year <= 2200 and 1 <= month <= 12 and 1 <= day <= 31:
            return f"{digits[:4]}-{digits[4:6]}-{digits[6:]}"
    return ""


def unreadable(exc: OSError) -> Refused:
    """Why a file on a disc could not be read, in plain words."""
    import errno

    if exc.errno in (errno.ENOENT, errno.ENODEV, errno.ENXIO, errno.EIO, errno.ESTALE):
        return Refused("The file could not be read: was the disc or stick taken out?")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return Refused("CareBinder is not allowed to read this file.")
    return Refused(f"The file could not be read ({exc.strerror or 'input/output error'}).")


def has_preamble(path: Path) -> bool:
    """Whether the file starts like a DICOM file (reads 132 bytes)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(PREAMBLE + 4)
    except OSError:
        return False
    return len(head) == PREAMBLE + 4 and head[PREAMBLE:] == b"DICM"


def _text(ds: Any, keyword: str) -> str:
    try:
        value = ds.get(keyword, "")
    except Exception:  # a damaged value: the header is still worth reading
        return ""
    if value is None:
        return ""
    if isinstance(value, list | tuple) or type(value).__name__ == "MultiValue":
        value = "\\".join(str(v) for v in value)
    return " ".join(str(value).replace("\x00", " ").split())


def _number(ds: Any, keyword: str) -> int | None:
    try:
        value = ds.get(keyword)
        return None if value is None or value == "" else int(value)
    except Exception:
        return None


def _pixel_data(handle: Any, size: int) -> tuple[bool, bool]:
    """(present, cut short) for the Pixel Data element, where `stop_before_pixels` left
    `handle`."""
    start = handle.tell()
    head = handle.read(8)
    if len(head) < 8 or head[:4] not in _PIXEL_TAGS:
        return False, False
    return True, _cut_short(handle, start, head, size)


def _cut_short(handle: Any, start: int, head: bytes, size: int) -> bool:
    """Does the file end before the pixel data does? Walks encapsulated fragments by their
    lengths, reading 8 bytes each."""
    little = head[:4] == b"\xe0\x7f\x10\x00"
    order = "<" if little else ">"
    if head[4:6] in _EXPLICIT_LONG:
        extra = handle.read(4)
        if len(extra) < 4:
            return True
        length = struct.unpack(order + "I", extra)[0]
        data_start = start + 12
    else:
        length = struct.unpack(order + "I", head[4:8])[0]
        data_start = start + 8
    if length != 0xFFFFFFFF:
        return data_start + length > size
    position = data_start
    while True:
        handle.seek(position)
        item = handle.read(8)
        if len(item) < 8:
            return True  # no sequence delimiter before the end of the file
        group, element, item_length = struct.unpack(order + "HHI", item)
        if group != 0xFFFE or element not in (_ITEM, _SEQUENCE_END):
            return False  # not well formed, but not cut short: the picture will say
        if element == _SEQUENCE_END:
            return False
        position += 8 + item_length
        if position > size:
            return True


def read_header(path: Path) -> DicomHeader:
    """The header of the DICOM file at `path`; raises `Refused` with a reason otherwise."""
    with warnings.catch_warnings():
        # Odd values in a header are common and harmless to reading it; pydicom warns of
        # each as it is read, and a warning may quote a name.
        warnings.simplefilter("ignore")
        return _read_header(path, quickly=True)


def read_header_with_pydicom(path: Path) -> DicomHeader:
    """The header as pydicom reads it, always: the reference `read_header` agrees with."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _read_header(path, quickly=False)


def _read_header(path: Path, quickly: bool) -> DicomHeader:
    try:
        size = os.stat(path).st_size
        handle = open(path, "rb")  # noqa: SIM115 (closed below, after the pixel check)
    except OSError as exc:
        raise unreadable(exc) from None
    with handle:
        try:
            head = handle.read(PREAMBLE + 4)
        except OSError as exc:
            raise unreadable(exc) from None
        if len(head) < PREAMBLE + 4 or head[PREAMBLE:] != b"DICM":
            raise NotAnImage("Not a DICOM image (a viewer program, an index or another file).")
        if quickly:
            try:
                return _read_quickly(path, size, handle)
            except Refused:
                raise
            except OSError as exc:
                raise unreadable(exc) from None
            except Exception:  # `Unusual`, or anything else the quick reader did not foresee
                pass
        return _read_with_pydicom(path, size, handle)


class _Values(Protocol):
    """The header's values, read by pydicom or straight from the bytes."""

    def text(self, keyword: str) -> str: ...
    def meta(self, keyword: str) -> str: ...
    def number(self, keyword: str) -> int | None: ...
    def leaf_record(self) -> str: ...


class _PydicomValues:
    def __init__(self, ds: Any) -> None:
        self._ds = ds

    def text(self, keyword: str) -> str:
        return _text(self._ds, keyword)

    def meta(self, keyword: str) -> str:
        return _text(getattr(self._ds, "file_meta", None), keyword)

    def number(self, keyword: str) -> int | None:
        return _number(self._ds, keyword)

    def leaf_record(self) -> str:
        return leaf_record(self._ds)


# The elements a header is read for, by keyword (their tags: pydicom's dictionary).
_TAGS = {
    "MediaStorageSOPClassUID": 0x00020002,
    "MediaStorageSOPInstanceUID": 0x00020003,
    "TransferSyntaxUID": 0x00020010,
    "SOPClassUID": 0x00080016,
    "SOPInstanceUID": 0x00080018,
    "StudyDate": 0x00080020,
    "SeriesDate": 0x00080021,
    "StudyTime": 0x00080030,
    "AccessionNumber": 0x00080050,
    "Modality": 0x00080060,
    "InstitutionName": 0x00080080,
    "StudyDescription": 0x00081030,
    "SeriesDescription": 0x0008103E,
    "PatientName": 0x00100010,
    "PatientID": 0x00100020,
    "PatientBirthDate": 0x00100030,
    "BodyPartExamined": 0x00180015,
    "StudyInstanceUID": 0x0020000D,
    "SeriesInstanceUID": 0x0020000E,
    "StudyID": 0x00200010,
    "SeriesNumber": 0x00200011,
    "InstanceNumber": 0x00200013,
    "NumberOfFrames": 0x00280008,
    "Rows": 0x00280010,
    "Columns": 0x00280011,
    "EncapsulatedDocument": 0x00420011,
    "RTPlanLabel": 0x300A0002,
}
_WANTED = frozenset(_TAGS.values())
# An IMAGE record as pydicom's recorder makes it (`leaf_record`), for an Instance Number.
_IMAGE_RECORD = (
    '{"00041430": {"Value": ["IMAGE"], "vr": "CS"}, "00200013": {"Value": [%d], "vr": "IS"}}'
)


class _RawValues:
    def __init__(self, raw: RawHeader) -> None:
        self._raw = raw

    def text(self, keyword: str) -> str:
        return self._raw.text(_TAGS[keyword])

    def meta(self, keyword: str) -> str:
        return self._raw.text(_TAGS[keyword], meta=True)

    def number(self, keyword: str) -> int | None:
        return self._raw.number(_TAGS[keyword])

    def leaf_record(self) -> str:
        """An IMAGE record; any other kind of record is left to pydicom's recorders."""
        from pydicom import fileset

        if self._raw.has(_TAGS["EncapsulatedDocument"]) or self._raw.has(_TAGS["RTPlanLabel"]):
            raise Unusual("not an image")
        if self._raw.several(_TAGS["InstanceNumber"]):
            raise Unusual("the record would hold several numbers")
        table = getattr(fileset, "_FOUR_LEVEL_SOP_CLASSES", {})
        if table.get(self.text("SOPClassUID"), "IMAGE") != "IMAGE":
            raise Unusual("not an image")
        return _IMAGE_RECORD % (self.number("InstanceNumber") or 0)


def _read_quickly(path: Path, size: int, handle: BinaryIO) -> DicomHeader:
    raw = read_elements(handle, size, _WANTED)
    handle.seek(raw.pixel_offset)
    has_pixels, cut_short = _pixel_data(handle, size)
    return _header(path, size, _RawValues(raw), has_pixels, cut_short, raw.head)


def _read_with_pydicom(path: Path, size: int, handle: BinaryIO) -> DicomHeader:
    import pydicom

    handle.seek(0)
    try:
        ds = pydicom.dcmread(handle, stop_before_pixels=True, defer_size=DEFER_SIZE)
        pixel_offset = handle.tell()
        has_pixels, cut_short = _pixel_data(handle, size)
        handle.seek(0)
        head = handle.read(min(pixel_offset, HEAD_LIMIT))
    except OSError as exc:
        raise unreadable(exc) from None
    except Exception:  # pydicom raises many kinds of error on a damaged header
        raise Refused(NOT_REALLY_DICOM) from None
    return _header(path, size, _PydicomValues(ds), has_pixels, cut_short, head)


def _header(
    path: Path, size: int, values: _Values, has_pixels: bool, cut_short: bool, head: bytes
) -> DicomHeader:
    syntax = values.meta("TransferSyntaxUID")
    if not syntax and not values.meta("MediaStorageSOPClassUID"):
        raise Refused(NOT_REALLY_DICOM)
    if syntax == DEFLATED:
        # The dataset is compressed as a whole: the file's bytes say nothing of the pixels.
        has_pixels, cut_short = True, False
    if cut_short:
        raise Refused(
            "This image file is cut short (it was not copied whole). Copy the disc again, or "
            "ask the hospital for a new disc."
        )
    if values.meta("MediaStorageSOPClassUID") == DIRECTORY_CLASS:
        raise NotAnImage("A disc's index (DICOMDIR), not an image.")
    sop_instance = values.text("SOPInstanceUID") or values.meta("MediaStorageSOPInstanceUID")
    sop_class = values.text("SOPClassUID") or values.meta("MediaStorageSOPClassUID")
    study_uid = values.text("StudyInstanceUID")
    if not sop_instance or not study_uid:
        raise Refused(
            "A DICOM file that does not say which study it belongs to, so it cannot be kept "
            "with one."
        )
    if not syntax:
        raise Refused("A DICOM file that does not say how it is encoded; it cannot be kept.")
    series_uid = values.text("SeriesInstanceUID") or f"{study_uid}.unnamed-series"
    rows, columns = values.number("Rows") or 0, values.number("Columns") or 0
    return DicomHeader(
        path=str(path),
        size=size,
        sop_instance_uid=sop_instance,
        sop_class_uid=sop_class,
        transfer_syntax_uid=syntax,
        study_uid=study_uid,
        series_uid=series_uid,
        patient_name=values.text("PatientName"),
        patient_id=values.text("PatientID"),
        patient_birth_date=dicom_date(values.text("PatientBirthDate")),
        study_date=dicom_date(values.text("StudyDate") or values.text("SeriesDate")),
        modality=values.text("Modality").upper(),
        body_part=values.text("BodyPartExamined"),
        study_description=values.text("StudyDescription"),
        series_description=values.text("SeriesDescription"),
        series_number=values.number("SeriesNumber"),
        instance_number=values.number("InstanceNumber"),
        institution=values.text("InstitutionName"),
        accession_number=values.text("AccessionNumber"),
        rows=rows,
        columns=columns,
        frames=max(1, values.number("NumberOfFrames") or 1),
        has_pixels=has_pixels and rows > 0 and columns > 0,
        study_time=values.text("StudyTime"),
        study_id=values.text("StudyID"),
        leaf_record=values.leaf_record(),
        head_size=len(head),
        head_digest=head_digest(head),
    )


def head_digest(head: bytes) -> str:
    """A fingerprint of a file's header bytes: the import checks that the file it stores is
    still the one whose header was read (a disc swapped in the drive has the same paths)."""
    return hashlib.blake2b(head, digest_size=16).hexdigest()


def leaf_record(ds: Any) -> str:
    """The DICOMDIR record of this instance (without the file's name and UIDs, added when
    the file set is written), as DICOM JSON. pydicom's own recorder for the record type when
    the header has what it needs, else an IMAGE record."""
    from pydicom import Dataset, fileset

    kind = "IMAGE"
    if "EncapsulatedDocument" in ds:
        kind = "ENCAP DOC"
    elif "RTPlanLabel" in ds:
        kind = "RT PLAN"
    else:
        # pydicom's table of SOP classes to record types (private, hence the fallback).
        table = getattr(fileset, "_FOUR_LEVEL_SOP_CLASSES", {})
        kind = table.get(_text(ds, "SOPClassUID"), "IMAGE")
    record = None
    recorder = fileset.DIRECTORY_RECORDERS.get(kind)
    if recorder is not None:
        try:
            record = recorder(ds)
        except Exception:  # the header lacks a key that record type requires
            record = None
    if record is None:
        kind, record = "IMAGE", Dataset()
        record.InstanceNumber = _number(ds, "InstanceNumber") or 0
    record.DirectoryRecordType = kind
    try:
        return str(record.to_json())
    except Exception:
        fallback = Dataset()
        fallback.DirectoryRecordType = "IMAGE"
        fallback.InstanceNumber = _number(ds, "InstanceNumber") or 0
        return str(fallback.to_json())
