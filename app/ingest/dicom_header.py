"""One DICOM file's header: which study, series and image it is, and for whom.

Reads the header only (pydicom, `stop_before_pixels`, large values deferred), so a file of
any size costs a few kilobytes of memory. A file without the DICOM preamble ("DICM" at byte
128) is not taken: a disc's viewer program, its autorun file or a text file is skipped with
a reason. A file whose pixel data stops before its header says it ends is "cut short" and
refused; a header promising an enormous image is kept (its picture is refused later, by
dicom_picture.py, before anything is decoded).

Modality codes become plain words here ("CT scan", "MRI", "PET-CT"), for the lists a patient
reads.
"""

from __future__ import annotations

import os
import struct
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.ingest.refusal import Refused

PREAMBLE = 128
DEFER_SIZE = 1024  # values larger than this stay on the disk until asked for
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
        return _read_header(path)


def _read_header(path: Path) -> DicomHeader:
    import pydicom

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
        handle.seek(0)
        try:
            ds = pydicom.dcmread(handle, stop_before_pixels=True, defer_size=DEFER_SIZE)
            has_pixels, cut_short = _pixel_data(handle, size)
        except OSError as exc:
            raise unreadable(exc) from None
        except Exception:  # pydicom raises many kinds of error on a damaged header
            raise Refused(NOT_REALLY_DICOM) from None
    meta = getattr(ds, "file_meta", None)
    syntax = _text(meta, "TransferSyntaxUID")
    if not syntax and not _text(meta, "MediaStorageSOPClassUID"):
        raise Refused(NOT_REALLY_DICOM)
    if syntax == DEFLATED:
        # The dataset is compressed as a whole: the file's bytes say nothing of the pixels.
        has_pixels, cut_short = True, False
    if cut_short:
        raise Refused(
            "This image file is cut short (it was not copied whole). Copy the disc again, or "
            "ask the hospital for a new disc."
        )
    if _text(meta, "MediaStorageSOPClassUID") == DIRECTORY_CLASS:
        raise NotAnImage("A disc's index (DICOMDIR), not an image.")
    sop_instance = _text(ds, "SOPInstanceUID") or _text(meta, "MediaStorageSOPInstanceUID")
    sop_class = _text(ds, "SOPClassUID") or _text(meta, "MediaStorageSOPClassUID")
    study_uid = _text(ds, "StudyInstanceUID")
    if not sop_instance or not study_uid:
        raise Refused(
            "A DICOM file that does not say which study it belongs to, so it cannot be kept "
            "with one."
        )
    if not syntax:
        raise Refused("A DICOM file that does not say how it is encoded; it cannot be kept.")
    series_uid = _text(ds, "SeriesInstanceUID") or f"{study_uid}.unnamed-series"
    rows, columns = _number(ds, "Rows") or 0, _number(ds, "Columns") or 0
    return DicomHeader(
        path=str(path),
        size=size,
        sop_instance_uid=sop_instance,
        sop_class_uid=sop_class,
        transfer_syntax_uid=syntax,
        study_uid=study_uid,
        series_uid=series_uid,
        patient_name=_text(ds, "PatientName"),
        patient_id=_text(ds, "PatientID"),
        patient_birth_date=dicom_date(_text(ds, "PatientBirthDate")),
        study_date=dicom_date(_text(ds, "StudyDate") or _text(ds, "SeriesDate")),
        modality=_text(ds, "Modality").upper(),
        body_part=_text(ds, "BodyPartExamined"),
        study_description=_text(ds, "StudyDescription"),
        series_description=_text(ds, "SeriesDescription"),
        series_number=_number(ds, "SeriesNumber"),
        instance_number=_number(ds, "InstanceNumber"),
        institution=_text(ds, "InstitutionName"),
        accession_number=_text(ds, "AccessionNumber"),
        rows=rows,
        columns=columns,
        frames=max(1, _number(ds, "NumberOfFrames") or 1),
        has_pixels=has_pixels and rows > 0 and columns > 0,
        study_time=_text(ds, "StudyTime"),
        study_id=_text(ds, "StudyID"),
        leaf_record=leaf_record(ds),
    )


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
