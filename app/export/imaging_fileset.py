"""Imaging studies as a standard DICOM file set: a `DICOMDIR` index and the image files it
lists, byte for byte as the hospital's disc gave them. Any viewer opens it (RadiAnt, Horos,
OsiriX, Weasis), and so does a hospital's import station.

pydicom's `FileSet.write` re-encodes every instance it adds (and stages a copy in a temp
folder), which would change the files and leave readable copies behind. So the index is
written here, over the stored files: the directory records are pydicom Datasets (each
image's own record was made at import by pydicom's file-set recorders, see
app.ingest.dicom_header.leaf_record), encoded once with pydicom with their offsets at 0;
each record's place is found by walking the encoded items by their lengths, and the offsets
are written into their fields (fixed-size, so nothing moves). Files are named as pydicom
names them: PT000000/ST000000/SE000000/IM000000.

`plan_file_set` says what goes where (used by the bundle); `write_file_set` writes one or
several studies into a new folder ("Copy to a stick or disc folder", "Open in a viewer").
"""

from __future__ import annotations

import contextlib
import io
import os
import secrets
import shutil
import struct
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from app.export.names import safe_part
from app.progress import CancelFlag, Progress, no_progress
from app.records.errors import RecordsError
from app.records.imaging import ImagingInstance, ImagingStudy, get_study, list_instances
from app.records.people import get_person
from app.vault.atomic import describe_os_error, fsync_dir, sync_files
from app.vault.binder import Binder

INDEX = "DICOMDIR"
DIRECTORY_STORAGE = "1.2.840.10008.1.3.10"  # Media Storage Directory Storage
FILE_SET_ID = "CAREBINDER"
README_LINES = (
    "Open the DICOMDIR file in this folder with a DICOM viewer (RadiAnt, Horos, OsiriX,",
    "Weasis, MicroDicom) or a hospital's import station.",
)


class FileSetError(RecordsError):
    """The file set could not be written; nothing was left under its name."""


@dataclass(frozen=True)
class Member:
    path: str  # inside the file set: "PT000000/ST000000/SE000000/IM000000"
    instance: ImagingInstance


@dataclass(frozen=True)
class FileSetPlan:
    studies: tuple[ImagingStudy, ...]
    members: tuple[Member, ...]
    dicomdir: bytes

    @property
    def size(self) -> int:
        return sum(m.instance.size for m in self.members)


def _study_facts(binder: Binder, study_id: int) -> tuple[str, str]:
    row = binder.db.execute(
        "SELECT study_time, study_id FROM imaging_studies WHERE id = ?", [study_id]
    ).fetchone()
    return (row[0], row[1]) if row else ("", "")


def _series_facts(binder: Binder, study_id: int) -> dict[int, tuple[str, str, int | None]]:
    rows = binder.db.execute(
        "SELECT id, series_uid, modality, number FROM imaging_series WHERE study_id = ?",
        [study_id],
    )
    return {r[0]: (r[1], r[2], r[3]) for r in rows}


def _records(binder: Binder, study_ids: list[int]) -> tuple[list[Any], tuple[Member, ...]]:
    """The directory records in index order (patient, its studies, each study's series, each
    series' images), as (record, depth) pairs, and where each image file goes."""
    from pydicom import Dataset

    studies = [get_study(binder, i) for i in study_ids]
    patients: dict[tuple[str, str], list[ImagingStudy]] = {}
    for study in studies:
        patients.setdefault((study.patient_id, study.patient_name), []).append(study)
    records: list[Any] = []
    members = []
    for p_index, ((patient_id, patient_name), its_studies) in enumerate(patients.items()):
        patient = Dataset()
        patient.DirectoryRecordType = "PATIENT"
        patient.PatientID = patient_id or "UNKNOWN"
        patient.PatientName = patient_name
        records.append((patient, 0))
        for s_index, study in enumerate(its_studies):
            study_time, study_number = _study_facts(binder, study.id)
            record = Dataset()
            record.DirectoryRecordType = "STUDY"
            record.StudyDate = (study.date or "").replace("-", "")
            record.StudyTime = study_time
            record.StudyDescription = study.description
            record.StudyInstanceUID = study.study_uid
            record.StudyID = study_number
            record.AccessionNumber = study.accession_number
            records.append((record, 1))
            series_facts = _series_facts(binder, study.id)
            by_series: dict[int, list[ImagingInstance]] = {}
            for instance in list_instances(binder, study.id):
                by_series.setdefault(instance.series_id, []).append(instance)
            for r_index, (series_id, instances) in enumerate(by_series.items()):
                series_uid, modality, number = series_facts[series_id]
                series = Dataset()
                series.DirectoryRecordType = "SERIES"
                series.Modality = modality or "OT"
                series.SeriesInstanceUID = series_uid
                series.SeriesNumber = number if number is not None else r_index + 1
                records.append((series, 2))
                for i_index, instance in enumerate(instances):
                    parts = [
                        f"PT{p_index:06d}",
                        f"ST{s_index:06d}",
                        f"SE{r_index:06d}",
                        f"IM{i_index:06d}",
                    ]
                    leaf = _leaf(binder, instance)
                    leaf.ReferencedFileID = parts
                    leaf.ReferencedSOPClassUIDInFile = instance.sop_class_uid
                    leaf.ReferencedSOPInstanceUIDInFile = instance.sop_instance_uid
                    leaf.ReferencedTransferSyntaxUIDInFile = instance.transfer_syntax_uid
                    records.append((leaf, 3))
                    members.append(Member("/".join(parts), instance))
    return records, tuple(members)


def _leaf(binder: Binder, instance: ImagingInstance) -> Any:
    from pydicom import Dataset

    row = binder.db.execute(
        "SELECT record FROM imaging_instances WHERE id = ?", [instance.id]
    ).fetchone()
    if row and row[0]:
        with contextlib.suppress(Exception):
            return Dataset.from_json(row[0])
    leaf = Dataset()
    leaf.DirectoryRecordType = "IMAGE"
    leaf.InstanceNumber = instance.number or 0
    return leaf


def _encode(ds: Any) -> bytes:
    from pydicom import dcmwrite

    out = io.BytesIO()
    dcmwrite(out, ds, enforce_file_format=True)
    return out.getvalue()


def dicomdir_bytes(records: list[Any], quick: bool = True) -> bytes:
    """The DICOMDIR for `records` ((record, depth) in index order), with every offset set.

    Encoded once with the offsets at 0; each record's place is then found by walking the
    encoded items by their lengths, and the offsets are written into their fixed-size
    fields. If the encoding is not laid out as expected (or `quick` is false), the index is
    read back with pydicom and encoded again instead: the same bytes, at three times the
    cost (half of a study's export went to it)."""
    import warnings

    from pydicom import Dataset, dcmread
    from pydicom.dataset import FileMetaDataset
    from pydicom.sequence import Sequence
    from pydicom.uid import (
        PYDICOM_IMPLEMENTATION_UID,
        UID,
        ExplicitVRLittleEndian,
        generate_uid,
    )

    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = UID(DIRECTORY_STORAGE)
    meta.MediaStorageSOPInstanceUID = generate_uid()
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    meta.ImplementationClassUID = PYDICOM_IMPLEMENTATION_UID
    ds = Dataset()
    ds.file_meta = meta
    ds.FileSetID = FILE_SET_ID
    ds.OffsetOfTheFirstDirectoryRecordOfTheRootDirectoryEntity = 0
    ds.OffsetOfTheLastDirectoryRecordOfTheRootDirectoryEntity = 0
    ds.FileSetConsistencyFlag = 0
    if any(_not_ascii(record) for record, _depth in records):
        ds.SpecificCharacterSet = "ISO_IR 192"
    for record, _depth in records:
        record.OffsetOfTheNextDirectoryRecord = 0
        record.RecordInUseFlag = 0xFFFF
        record.OffsetOfReferencedLowerLevelDirectoryEntity = 0
        if "SpecificCharacterSet" in ds:
            record.SpecificCharacterSet = "ISO_IR 192"
    ds.DirectoryRecordSequence = Sequence([record for record, _depth in records])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        first = _encode(ds)
    where = _positions(first, len(records)) if quick else None
    if where is not None:
        patched = _patched(first, _offsets([depth for _record, depth in records], where))
        if patched is not None:
            return patched
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        read = dcmread(io.BytesIO(first))
        where = [item.seq_item_tell for item in read.DirectoryRecordSequence]
    _link(ds, records, where)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        final = _encode(ds)
    if len(final) != len(first):  # the offsets are fixed-size: this never happens
        raise FileSetError("The imaging index could not be written.")
    return final


# Explicit VR little endian element headers, as pydicom encodes the index.
_RECORDS = b"\x04\x00\x20\x12SQ\x00\x00"  # (0004,1220) Directory Record Sequence
_ITEM = b"\xfe\xff\x00\xe0"
_NEXT = b"\x04\x00\x00\x14UL\x04\x00"  # (0004,1400), a record's first element
_LOWER = b"\x04\x00\x20\x14UL\x04\x00"  # (0004,1420), after (0004,1410) US
_FIRST_ROOT = b"\x04\x00\x00\x12UL\x04\x00"  # (0004,1200)
_LAST_ROOT = b"\x04\x00\x02\x12UL\x04\x00"  # (0004,1202)
_LOWER_AT = 8 + 12 + 10  # in a record: its item header, (0004,1400), (0004,1410)


def _positions(encoded: bytes, count: int) -> list[int] | None:
    """Where each record's item starts in the encoded index (pydicom's `seq_item_tell`),
    walked by the items' lengths; None if they are not laid out as expected."""
    start = encoded.find(_RECORDS)
    if start < 0:
        return None
    (length,) = struct.unpack_from("<I", encoded, start + 8)
    position, end = start + 12, start + 12 + length
    if length == 0xFFFFFFFF or end > len(encoded):
        return None
    where = []
    while position < end:
        if encoded[position : position + 4] != _ITEM:
            return None
        (size,) = struct.unpack_from("<I", encoded, position + 4)
        if size == 0xFFFFFFFF:
            return None
        where.append(position)
        position += 8 + size
    return where if len(where) == count and position == end else None


def _patched(encoded: bytes, offsets: _Offsets) -> bytes | None:
    """`encoded` with the offsets written into their fields; None if a field is not where
    it is expected."""
    out = bytearray(encoded)
    fields = []
    for at, following, child in zip(offsets.where, offsets.next, offsets.lower, strict=True):
        fields.append((at + 8, _NEXT, following))
        fields.append((at + _LOWER_AT, _LOWER, child))
    before_records = encoded.find(_RECORDS)
    fields.append((encoded.find(_FIRST_ROOT, 0, before_records), _FIRST_ROOT, offsets.first))
    fields.append((encoded.find(_LAST_ROOT, 0, before_records), _LAST_ROOT, offsets.last))
    for at, header, value in fields:
        if at < 0 or out[at : at + len(header)] != header:
            return None
        struct.pack_into("<I", out, at + len(header), value)
    return bytes(out)


def _not_ascii(record: Any) -> bool:
    return any(not str(element.value).isascii() for element in record)


@dataclass(frozen=True)
class _Offsets:
    where: list[int]  # each record's place in the index
    next: list[int]  # each record's next sibling's place, or 0
    lower: list[int]  # each record's first child's place, or 0
    first: int  # the first and last root records' places
    last: int


def _offsets(depths: list[int], where: list[int]) -> _Offsets:
    """Each record's offsets: to its next sibling, and to its first child."""
    following, lower = [0] * len(depths), [0] * len(depths)
    for index, depth in enumerate(depths):
        if index + 1 < len(depths) and depths[index + 1] == depth + 1:
            lower[index] = where[index + 1]
        for later in range(index + 1, len(depths)):
            if depths[later] < depth:
                break
            if depths[later] == depth:
                following[index] = where[later]
                break
    roots = [where[i] for i, depth in enumerate(depths) if depth == 0]
    return _Offsets(where, following, lower, roots[0] if roots else 0, roots[-1] if roots else 0)


def _link(ds: Any, records: list[Any], where: list[int]) -> None:
    """Set each record's offsets on the datasets, to be encoded again."""
    offsets = _offsets([depth for _record, depth in records], where)
    for index, (record, _depth) in enumerate(records):
        record.OffsetOfTheNextDirectoryRecord = offsets.next[index]
        record.OffsetOfReferencedLowerLevelDirectoryEntity = offsets.lower[index]
    ds.OffsetOfTheFirstDirectoryRecordOfTheRootDirectoryEntity = offsets.first
    ds.OffsetOfTheLastDirectoryRecordOfTheRootDirectoryEntity = offsets.last


def plan_file_set(binder: Binder, study_ids: list[int]) -> FileSetPlan:
    """The file set of these studies: its index, and which stored file goes where."""
    records, members = _records(binder, study_ids)
    return FileSetPlan(
        tuple(get_study(binder, i) for i in study_ids), members, dicomdir_bytes(records)
    )


def folder_name(binder: Binder, study_ids: list[int]) -> str:
    """'Imaging for Ada Example 2026-05-04': a new folder's name on the stick."""
    studies = [get_study(binder, i) for i in study_ids]
    person = get_person(binder, studies[0].person_id) if studies else None
    who = f" for {safe_part(person.name, 40, 'the patient')}" if person else ""
    return f"Imaging{who} {date.today().isoformat()}"


def write_file_set(
    binder: Binder,
    study_ids: list[int],
    parent: Path,
    name: str | None = None,
    progress: Progress = no_progress,
    cancel: CancelFlag | None = None,
) -> Path:
    """Write the studies as a file set into a new folder inside `parent` (written under a
    temporary name and renamed at the end); returns the folder."""
    if not study_ids:
        raise FileSetError("Choose at least one imaging study.")
    plan = plan_file_set(binder, study_ids)
    wanted = name or folder_name(binder, study_ids)
    target = parent / wanted
    number = 2
    while target.exists():
        target = parent / f"{wanted} ({number})"
        number += 1
    partial = parent / f".{target.name}.partial-{secrets.token_hex(4)}"
    written: list[Path] = []
    try:
        partial.mkdir(mode=0o700)
        (partial / INDEX).write_bytes(plan.dicomdir)
        (partial / "README.txt").write_text("\n".join(README_LINES) + "\n", encoding="utf-8")
        written += [partial / INDEX, partial / "README.txt"]
        total = len(plan.members)
        for done, member in enumerate(plan.members):
            if cancel is not None:
                cancel.raise_if_cancelled()
            progress(done, total, member.path)
            path = partial / member.path
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "wb") as out:
                for chunk in binder.files.iter_plain(member.instance.file_name):
                    out.write(chunk)
            written.append(path)
        progress(total, total, "")
        sync_files(partial, written)
        os.replace(partial, target)
        fsync_dir(parent)
    except OSError as exc:
        shutil.rmtree(partial, ignore_errors=True)
        raise FileSetError(describe_os_error(exc, parent)) from exc
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return target
