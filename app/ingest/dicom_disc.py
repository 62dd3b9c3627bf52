"""What is on an imaging disc: its patients, studies and series, and what is not an image.

A hospital's disc (CD, DVD, USB stick, or a folder copied from one) is a DICOM file set: a
`DICOMDIR` index, the image files it lists, and often a viewer program. `read_disc` reads the
index with pydicom's `FileSet` when there is one, then walks the folder: every file the
index lists, and every other file that starts like a DICOM file, has its header read
(dicom_header.py); everything else (the viewer, autorun files, a README) is skipped with a
reason. A damaged or empty index is said so, and the walk finds the images anyway.

Nothing here writes anything: the result is a plan for app.records.imaging_import.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from app.ingest.dicom_header import (
    DicomHeader,
    NotAnImage,
    has_preamble,
    modality_words,
    read_header,
    readable_name,
)
from app.ingest.refusal import Refused
from app.progress import CancelFlag, Progress, no_progress

INDEX_NAME = "DICOMDIR"
NOT_AN_IMAGE = "Not a DICOM image (a viewer program or other file)."
SAMPLE_FILES = 40  # how many files a drop looks at to tell a disc from a folder of documents


@dataclass(frozen=True)
class Skipped:
    path: str
    reason: str
    image: bool = True  # False for what is no image at all (a viewer program, the index)


@dataclass(frozen=True)
class SeriesFound:
    series_uid: str
    number: int | None
    modality: str
    body_part: str
    description: str
    instances: tuple[DicomHeader, ...]

    @property
    def images(self) -> int:
        return len(self.instances)

    def representative(self) -> DicomHeader | None:
        """The image in the middle of the series (the most telling slice of a scan)."""
        with_pixels = [i for i in self.instances if i.has_pixels]
        return with_pixels[len(with_pixels) // 2] if with_pixels else None


@dataclass(frozen=True)
class StudyFound:
    study_uid: str
    date: str
    modalities: tuple[str, ...]
    body_part: str
    description: str
    institution: str
    accession_number: str
    patient_name: str
    patient_id: str
    patient_birth_date: str
    series: tuple[SeriesFound, ...]
    study_time: str = ""
    study_id: str = ""

    @property
    def images(self) -> int:
        return sum(s.images for s in self.series)

    @property
    def size(self) -> int:
        return sum(i.size for s in self.series for i in s.instances)

    @property
    def what(self) -> str:
        """'CT scan', 'PET-CT': the study in plain words."""
        return modality_words(self.modalities)

    @property
    def patient_key(self) -> tuple[str, str]:
        return (self.patient_id.strip(), readable_name(self.patient_name).casefold())


@dataclass(frozen=True)
class PatientFound:
    key: tuple[str, str]
    name: str  # readable: "Jane Doe"
    patient_id: str
    birth_date: str
    studies: int
    images: int

    @property
    def label(self) -> str:
        born = f", born {self.birth_date}" if self.birth_date else ""
        number = f" (patient number {self.patient_id})" if self.patient_id else ""
        return f"{self.name or 'No name'}{born}{number}"


@dataclass(frozen=True)
class DiscContents:
    """What a disc holds, ready to be shown and imported."""

    source: str  # the folder (or files) read, for messages
    studies: tuple[StudyFound, ...]
    skipped: tuple[Skipped, ...] = ()
    index_used: bool = False
    index_note: str = ""  # a damaged or empty index, in plain words
    files_seen: int = 0

    @property
    def images(self) -> int:
        return sum(s.images for s in self.studies)

    @property
    def size(self) -> int:
        return sum(s.size for s in self.studies)

    def patients(self) -> list[PatientFound]:
        found: dict[tuple[str, str], list[StudyFound]] = {}
        for study in self.studies:
            found.setdefault(study.patient_key, []).append(study)
        found = dict(sorted(found.items(), key=lambda kv: (kv[0][1], kv[0][0])))
        return [
            PatientFound(
                key,
                readable_name(studies[0].patient_name),
                studies[0].patient_id,
                next((s.patient_birth_date for s in studies if s.patient_birth_date), ""),
                len(studies),
                sum(s.images for s in studies),
            )
            for key, studies in found.items()
        ]

    def only(self, patient_key: tuple[str, str]) -> DiscContents:
        """The same disc with one patient's studies: the others are not imported."""
        kept = tuple(s for s in self.studies if s.patient_key == patient_key)
        return replace(self, studies=kept)


@dataclass
class _Walk:
    files: list[Path] = field(default_factory=list)
    real: dict[Path, str] = field(default_factory=dict)  # each file's real path
    problems: list[Skipped] = field(default_factory=list)

    def add(self, path: Path, real: str) -> None:
        self.files.append(path)
        self.real[path] = real


def _walk(paths: list[Path], cancel: CancelFlag | None) -> _Walk:
    """Every file under `paths` in a stable order; symlinked folders followed once."""
    walk = _Walk()
    seen: set[tuple[int, int]] = set()

    def visit(folder: Path) -> None:
        try:
            stat = folder.stat()
            key = (stat.st_dev, stat.st_ino)
            if key in seen:
                return
            seen.add(key)
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
            real_folder = os.path.realpath(folder)  # once, not once a file
        except OSError as exc:
            walk.problems.append(
                Skipped(str(folder), f"The folder could not be read ({exc.strerror}).")
            )
            return
        for entry in entries:
            if cancel is not None:
                cancel.raise_if_cancelled()
            if entry.name.startswith("."):
                continue
            child = Path(entry.path)
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                visit(child)
            elif _is_link(entry):
                walk.add(child, os.path.realpath(child))
            else:
                walk.add(child, os.path.join(real_folder, entry.name))

    for path in paths:
        if path.is_dir():
            visit(path)
        elif path.exists():
            walk.add(path, os.path.realpath(path))
        else:
            walk.problems.append(Skipped(str(path), "There is no file or folder at this path."))
    return walk


def _is_link(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_symlink()
    except OSError:
        return True  # its real path is then asked of the file system


def find_index(folder: Path) -> Path | None:
    """The folder's DICOMDIR (any letter case), if it has one."""
    try:
        for entry in os.scandir(folder):
            if entry.name.upper() == INDEX_NAME and entry.is_file():
                return Path(entry.path)
    except OSError:
        return None
    return None


def _read_index(index: Path) -> tuple[set[str], str]:
    """The files a DICOMDIR lists (real paths), or a note saying why it could not be used."""
    import warnings

    import pydicom
    from pydicom.fileset import FileSet

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            file_set = FileSet(pydicom.dcmread(index))
            listed = {os.path.realpath(instance.path) for instance in file_set}
    except Exception:  # pydicom raises many kinds of error on a damaged index
        return set(), (
            "The disc's index (DICOMDIR) is damaged, so every file on the disc was read "
            "instead. Nothing is missed because of it."
        )
    if not listed:
        return set(), (
            "The disc's index (DICOMDIR) lists no images, so every file on the disc was read "
            "instead."
        )
    return listed, ""


def _first(values: Iterator[str]) -> str:
    return next((v for v in values if v), "")


def _in_series_order(header: DicomHeader) -> tuple[bool, int, str]:
    return (header.instance_number is None, header.instance_number or 0, header.path)


def _group(headers: list[DicomHeader]) -> tuple[StudyFound, ...]:
    studies: dict[str, dict[str, list[DicomHeader]]] = {}
    for header in headers:
        studies.setdefault(header.study_uid, {}).setdefault(header.series_uid, []).append(header)
    found = []
    for study_uid, series_map in studies.items():
        series_list = []
        for series_uid, instances in series_map.items():
            instances.sort(key=_in_series_order)
            series_list.append(
                SeriesFound(
                    series_uid,
                    next((i.series_number for i in instances if i.series_number is not None), None),
                    _first(i.modality for i in instances),
                    _first(i.body_part for i in instances),
                    _first(i.series_description for i in instances),
                    tuple(instances),
                )
            )
        series_list.sort(key=lambda s: (s.number is None, s.number or 0, s.description))
        every = [i for s in series_list for i in s.instances]
        found.append(
            StudyFound(
                study_uid=study_uid,
                date=_first(i.study_date for i in every),
                modalities=tuple(dict.fromkeys(s.modality for s in series_list if s.modality)),
                body_part=_first(s.body_part for s in series_list),
                description=_first(i.study_description for i in every),
                institution=_first(i.institution for i in every),
                accession_number=_first(i.accession_number for i in every),
                patient_name=_first(i.patient_name for i in every),
                patient_id=_first(i.patient_id for i in every),
                patient_birth_date=_first(i.patient_birth_date for i in every),
                series=tuple(series_list),
                study_time=_first(i.study_time for i in every),
                study_id=_first(i.study_id for i in every),
            )
        )
    found.sort(key=lambda s: (s.date, s.description, s.study_uid))
    return tuple(found)


def read_disc(
    paths: list[Path] | Path,
    progress: Progress = no_progress,
    cancel: CancelFlag | None = None,
) -> DiscContents:
    """Read the headers of every image on the disc (a folder, or chosen files)."""
    chosen = [paths] if isinstance(paths, Path) else list(paths)
    walk = _walk(chosen, cancel)
    listed: set[str] = set()
    notes = []
    indexes = [i for folder in chosen if folder.is_dir() and (i := find_index(folder))]
    for index in indexes:
        files, note = _read_index(index)
        listed |= files
        if note:
            notes.append(note)
    index_files = {os.path.realpath(i) for i in indexes}
    headers: list[DicomHeader] = []
    skipped = list(walk.problems)
    seen_instances: set[str] = set()
    total = len(walk.files)
    present: set[str] = set()
    for done, path in enumerate(walk.files):
        if cancel is not None:
            cancel.raise_if_cancelled()
        progress(done, total, path.name)
        real = walk.real[path]
        present.add(real)
        if real in index_files:
            continue  # the index itself: read above
        if real not in listed and not has_preamble(path):
            skipped.append(Skipped(str(path), NOT_AN_IMAGE, image=False))
            continue
        try:
            header = read_header(path)
        except NotAnImage as exc:
            skipped.append(Skipped(str(path), str(exc), image=False))
            continue
        except Refused as exc:
            skipped.append(Skipped(str(path), str(exc)))
            continue
        if header.sop_instance_uid in seen_instances:
            skipped.append(Skipped(str(path), "The same image is on the disc twice; kept once."))
            continue
        seen_instances.add(header.sop_instance_uid)
        headers.append(header)
    for missing in sorted(listed - present):
        skipped.append(Skipped(missing, "Listed in the disc's index, but not on the disc."))
    progress(total, total, "")
    return DiscContents(
        source=", ".join(str(p) for p in chosen),
        studies=_group(headers),
        skipped=tuple(skipped),
        index_used=bool(listed),
        index_note=" ".join(notes),
        files_seen=total,
    )


def looks_like_disc(paths: list[Path]) -> bool:
    """Whether dropped paths are an imaging disc rather than documents: a folder holding a
    DICOMDIR, or whose files are mostly DICOM (a sample of them is looked at), or only DICOM
    files. Reads at most a few kilobytes."""
    if not paths:
        return False
    if any(p.is_dir() and find_index(p) is not None for p in paths):
        return True
    sample: list[Path] = []
    for path in paths:
        if path.is_dir():
            for root, _dirs, files in os.walk(path):
                sample.extend(Path(root) / f for f in sorted(files) if not f.startswith("."))
                if len(sample) >= SAMPLE_FILES:
                    break
        else:
            sample.append(path)
        if len(sample) >= SAMPLE_FILES:
            break
    sample = sample[:SAMPLE_FILES]
    if not sample:
        return False
    dicom = sum(1 for p in sample if has_preamble(p))
    return dicom * 2 > len(sample)
