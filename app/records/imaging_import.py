"""Import an imaging disc (read by app.ingest.dicom_disc) into a person's binder.

Each study becomes one imaging-study record with its series; every image file is stored
encrypted byte for byte, never altered. An image whose SOP Instance UID the person's binder
already holds is not stored again, so a second import of the same disc adds nothing.

The import streams: each image is read once (one larger than 64 MB twice instead of held)
and checked to be still the file whose header was read, then sealed on the store batch's
threads while the next is read, at most 32 MB waiting (app.vault.filestore.StoreBatch).
Files are committed in parts: a part's files are made durable with one sync on the batch's
committing thread while the next part is read, then its rows are written in one
transaction. A cancel, a failure, a crash or a disc pulled out mid-import keeps every part
already made durable, whole; a file that cannot be read is reported and the import goes on
with the next. A disc holding two patients is refused until one is chosen
(`DiscContents.only`).
"""

from __future__ import annotations

import collections
import contextlib
import logging
import os
import re
import unicodedata
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.ingest.dicom_disc import DiscContents, SeriesFound, Skipped, StudyFound
from app.ingest.dicom_header import DicomHeader, head_digest, unreadable
from app.ingest.refusal import Refused
from app.progress import CancelFlag, Progress, no_progress
from app.records.date_display import shown_date
from app.records.dates import now_iso
from app.records.errors import InvalidValue
from app.records.imaging import ImagingStudy, find_report, get_study
from app.records.people import get_person
from app.vault.binder import Binder
from app.vault.filestore import IN_MEMORY_LIMIT, SourceChanged, StoreBatch, StoredFile

_log = logging.getLogger(__name__)

BATCH_FILES = 200
BATCH_BYTES = 128 << 20
COMMITS_AHEAD = 2  # parts of the batch being made durable while the next is read


@dataclass(frozen=True)
class ImportedStudy:
    study: ImagingStudy
    new: bool  # the binder did not have this study before
    stored: int  # images stored by this import
    already: int  # images the binder had already


@dataclass(frozen=True)
class ImagingImportReport:
    studies: tuple[ImportedStudy, ...]
    problems: tuple[Skipped, ...]  # files not imported, each with why
    not_reached: int = 0  # images left when the import was cancelled
    cancelled: bool = False
    warnings: tuple[str, ...] = ()

    @property
    def stored(self) -> int:
        return sum(s.stored for s in self.studies)

    @property
    def already(self) -> int:
        return sum(s.already for s in self.studies)

    @property
    def failed(self) -> list[Skipped]:
        """Images that could not be imported (not the disc's viewer or index)."""
        return [p for p in self.problems if p.image]

    def summary(self) -> str:
        new = sum(1 for s in self.studies if s.new and s.stored)
        words = [f"{self.stored} image{'s' if self.stored != 1 else ''} kept"]
        if new:
            words.append(f"{new} new stud{'ies' if new != 1 else 'y'}")
        if self.already:
            words.append(f"{self.already} already in the binder")
        failed = sum(1 for p in self.problems if p.image)
        others = len(self.problems) - failed
        if failed:
            words.append(f"{failed} image{'s' if failed != 1 else ''} not imported (see why)")
        if others:
            words.append(f"{others} other file{'s' if others != 1 else ''} skipped (not images)")
        start = "Import stopped: " if self.cancelled else "Import finished: "
        return start + ", ".join(words) + "."

    def to_json(self) -> dict[str, Any]:
        return {
            "studies": [
                {**s.study.to_json(), "new": s.new, "stored": s.stored, "already": s.already}
                for s in self.studies
            ],
            "stored": self.stored,
            "already": self.already,
            "problems": [
                {"path": p.path, "reason": p.reason, "image": p.image} for p in self.problems
            ],
            "not_reached": self.not_reached,
            "cancelled": self.cancelled,
            "warnings": list(self.warnings),
        }


def _name_words(name: str) -> set[str]:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()
    return {w for w in re.split(r"[^a-z0-9]+", plain) if len(w) > 1}


def patient_warnings(binder: Binder, person_id: int, disc: DiscContents) -> list[str]:
    """What does not match between the disc's patient and the person: their name or their
    birth date. Said plainly; the import goes on only if the person agrees."""
    person = get_person(binder, person_id)
    warnings = []
    for patient in disc.patients():
        mine, theirs = _name_words(person.name), _name_words(patient.name)
        if theirs and not (mine & theirs and (len(mine & theirs) >= min(2, len(theirs)))):
            warnings.append(
                f"The disc names the patient “{patient.name}”, not “{person.name}”. Make sure "
                "these are the right person's images."
            )
        if patient.birth_date and person.born and patient.birth_date != person.born:
            warnings.append(
                f"The disc gives the birth date {shown_date(patient.birth_date)}; {person.name}'s "
                f"is {shown_date(person.born)}. Make sure these are the right person's images."
            )
    return warnings


def describe_patients(disc: DiscContents) -> str:
    names = "; ".join(p.label for p in disc.patients())
    return (
        f"This disc holds the images of {len(disc.patients())} patients: {names}. Choose "
        "whose images to import; only that patient's are kept."
    )


@dataclass
class _Pending:
    study: StudyFound
    series: SeriesFound
    header: DicomHeader
    stored: Future[StoredFile]  # ready once the batch is committed


@dataclass
class _Import:
    binder: Binder
    person_id: int
    batch: StoreBatch
    study_ids: dict[str, int] = field(default_factory=dict)
    new_studies: set[str] = field(default_factory=set)
    series_ids: dict[tuple[str, str], int] = field(default_factory=dict)
    pending: list[_Pending] = field(default_factory=list)
    pending_bytes: int = 0
    # Parts of the batch being made durable in the background, in order, with their rows.
    committing: collections.deque[tuple[Future[None], list[_Pending]]] = field(
        default_factory=collections.deque
    )
    stored: dict[str, int] = field(default_factory=dict)
    already: dict[str, int] = field(default_factory=dict)

    def flush(self) -> None:
        """Have the files read so far made durable in the background (their rows are
        written once they are: `write_rows`); the next files are read meanwhile."""
        if not self.pending:
            return
        while len(self.committing) >= COMMITS_AHEAD:
            self.write_rows(wait=True, at_most=1)
        pending, self.pending, self.pending_bytes = self.pending, [], 0
        self.committing.append((self.batch.commit_in_background(), pending))

    def write_rows(self, wait: bool, at_most: int | None = None) -> None:
        """Write the rows of each part whose files are durable, in order (waiting for them
        with `wait`); raises the failure of a part, whose rows and the next ones' are
        then never written."""
        written = 0
        while self.committing and (wait or self.committing[0][0].done()):
            if at_most is not None and written >= at_most:
                return
            future, pending = self.committing[0]
            future.result()
            self.committing.popleft()
            self._write(pending)
            written += 1

    def salvage(self) -> None:
        """After a failure: the rows of every part made durable before it are written."""
        self.pending = []
        with contextlib.suppress(Exception):
            self.write_rows(wait=True)
        self.committing.clear()

    def _write(self, pending: list[_Pending]) -> None:
        """The rows of files made durable, in one transaction."""
        # One picture for each series new to the binder, drawn before the transaction.
        new_series = {
            (p.study.study_uid, p.series.series_uid): p.series
            for p in pending
            if (p.study.study_uid, p.series.series_uid) not in self.series_ids
        }
        pictures = {key: _picture(series) for key, series in new_series.items()}
        with self.binder.transaction() as db:
            # Rows name these files now: no longer a crash's possible leftovers.
            for done in pending:
                db.execute(
                    "DELETE FROM unsettled_files WHERE name = ?", [done.stored.result().name]
                )
            for item in pending:
                study_id = self._study_id(db, item.study)
                key = (item.study.study_uid, item.series.series_uid)
                if key not in self.series_ids:
                    picture, note = pictures.get(key) or _picture(item.series)
                    self.series_ids[key] = _series_id(db, study_id, item.series, picture, note)
                header, stored = item.header, item.stored.result()
                cursor = db.execute(
                    "INSERT OR IGNORE INTO imaging_instances (series_id, sop_instance_uid, "
                    "sop_class_uid, transfer_syntax_uid, number, size, sha256, file_name, "
                    "record) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        self.series_ids[key],
                        header.sop_instance_uid,
                        header.sop_class_uid,
                        header.transfer_syntax_uid,
                        header.instance_number,
                        stored.size,
                        stored.sha256,
                        stored.name,
                        header.leaf_record,
                    ],
                )
                if cursor.rowcount:
                    uid = item.study.study_uid
                    self.stored[uid] = self.stored.get(uid, 0) + 1

    def _study_id(self, db: Any, study: StudyFound) -> int:
        if study.study_uid in self.study_ids:
            return self.study_ids[study.study_uid]
        row = db.execute(
            "SELECT id FROM imaging_studies WHERE person_id = ? AND study_uid = ?",
            [self.person_id, study.study_uid],
        ).fetchone()
        if row is not None:
            self.study_ids[study.study_uid] = int(row[0])
            return int(row[0])
        now = now_iso()
        report = find_report(
            self.binder, self.person_id, study.date or None, study.accession_number
        )
        cursor = db.execute(
            "INSERT INTO imaging_studies (person_id, study_uid, date, modalities, body_part, "
            "description, institution, accession_number, patient_name, patient_birth_date, "
            "patient_id, study_time, study_id, report_document_id, created, updated) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                self.person_id,
                study.study_uid,
                study.date or None,
                ",".join(study.modalities),
                study.body_part,
                study.description,
                study.institution,
                study.accession_number,
                study.patient_name,
                study.patient_birth_date,
                study.patient_id,
                study.study_time,
                study.study_id,
                report,
                now,
                now,
            ],
        )
        study_id = int(cursor.lastrowid or 0)
        self.study_ids[study.study_uid] = study_id
        self.new_studies.add(study.study_uid)
        return study_id


def _series_id(
    db: Any, study_id: int, series: SeriesFound, picture: bytes | None, note: str
) -> int:
    row = db.execute(
        "SELECT id FROM imaging_series WHERE study_id = ? AND series_uid = ?",
        [study_id, series.series_uid],
    ).fetchone()
    if row is not None:
        return int(row[0])
    cursor = db.execute(
        "INSERT INTO imaging_series (study_id, series_uid, number, modality, body_part, "
        "description, picture, picture_note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            study_id,
            series.series_uid,
            series.number,
            series.modality,
            series.body_part,
            series.description,
            picture,
            note,
        ],
    )
    return int(cursor.lastrowid or 0)


def _picture(series: SeriesFound) -> tuple[bytes | None, str]:
    from app.ingest.dicom_picture import NO_IMAGE, draw_picture

    chosen = series.representative()
    if chosen is None:
        return None, NO_IMAGE
    try:
        return draw_picture(chosen.path), ""
    except Refused as exc:
        return None, str(exc)


CHANGED = "The file changed while it was being imported (was the disc taken out?)."
SWAPPED = (
    "This file is no longer the one read when the disc was opened (was another disc put "
    "in?). Open the disc again to import it."
)


def _store(batch: StoreBatch, header: DicomHeader) -> Future[StoredFile]:
    """Store one image file from the disc, read once; `Refused` when it cannot be read now,
    or is no longer the file whose header was read."""
    path = Path(header.path)
    if header.size > IN_MEMORY_LIMIT:
        return _store_large(batch, header)
    try:
        with open(path, "rb") as source:
            data = source.read(header.size + 1)  # one byte more shows a file grown since
    except OSError as exc:
        raise unreadable(exc) from None
    if len(data) != header.size:
        raise Refused(CHANGED)
    if head_digest(data[: header.head_size]) != header.head_digest:
        raise Refused(SWAPPED)
    return batch.add(data)


def _store_large(batch: StoreBatch, header: DicomHeader) -> Future[StoredFile]:
    """A file too large to hold in memory, read twice (its content must not change in
    between, and its header must still be the one read)."""
    path = Path(header.path)
    try:
        with open(path, "rb") as source:
            size = os.fstat(source.fileno()).st_size
            head = source.read(header.head_size)
        if size != header.size:
            raise Refused(CHANGED)
        if head_digest(head) != header.head_digest:
            raise Refused(SWAPPED)
        stored = batch.add_file(path)
    except SourceChanged:
        raise Refused(CHANGED) from None
    except OSError as exc:
        raise unreadable(exc) from None
    if stored.size != header.size:
        raise Refused(CHANGED)  # the name is kept: nothing names it, the reconciler removes it
    done: Future[StoredFile] = Future()
    done.set_result(stored)
    return done


def _stored_uids(binder: Binder, person_id: int) -> set[str]:
    rows = binder.db.execute(
        "SELECT i.sop_instance_uid FROM imaging_instances i "
        "JOIN imaging_series s ON s.id = i.series_id "
        "JOIN imaging_studies st ON st.id = s.study_id WHERE st.person_id = ?",
        [person_id],
    )
    return {row[0] for row in rows}


def import_disc(
    binder: Binder,
    person_id: int,
    disc: DiscContents,
    progress: Progress = no_progress,
    cancel: CancelFlag | None = None,
) -> ImagingImportReport:
    """Import the disc's studies for the person. A cancel stops after the current file and
    keeps everything before it; the report says what was kept and what was not."""
    get_person(binder, person_id)
    if len(disc.patients()) > 1:
        raise InvalidValue(describe_patients(disc))
    problems = list(disc.skipped)
    existing = _stored_uids(binder, person_id)
    total = disc.images
    done = 0
    cancelled = False
    with StoreBatch(binder.files, before_commit=binder.note_unsettled) as batch:
        work = _Import(binder, person_id, batch)
        try:
            for study in disc.studies:
                for series in study.series:
                    label = f"{study.what}, {series.description or 'series'}"
                    for header in series.instances:
                        if cancel is not None and cancel.cancelled:
                            cancelled = True
                            break
                        progress(done, total, label)
                        done += 1
                        if header.sop_instance_uid in existing:
                            uid = study.study_uid
                            work.already[uid] = work.already.get(uid, 0) + 1
                            continue
                        try:
                            stored = _store(batch, header)
                        except Refused as exc:
                            problems.append(Skipped(header.path, str(exc)))
                            continue
                        existing.add(header.sop_instance_uid)
                        work.pending.append(_Pending(study, series, header, stored))
                        work.pending_bytes += header.size
                        if len(work.pending) >= BATCH_FILES or work.pending_bytes >= BATCH_BYTES:
                            work.flush()
                        work.write_rows(wait=False)
                    if cancelled:
                        break
                if cancelled:
                    break
            work.flush()  # what was read whole before a cancel is kept
            work.write_rows(wait=True)
        except BaseException:
            work.salvage()  # what was made durable before the failure stays, whole
            raise
    progress(done, total, "")
    studies = []
    for study in disc.studies:
        row = binder.db.execute(
            "SELECT id FROM imaging_studies WHERE person_id = ? AND study_uid = ?",
            [person_id, study.study_uid],
        ).fetchone()
        if row is None:
            continue
        studies.append(
            ImportedStudy(
                get_study(binder, int(row[0])),
                study.study_uid in work.new_studies,
                work.stored.get(study.study_uid, 0),
                work.already.get(study.study_uid, 0),
            )
        )
    warnings = patient_warnings(binder, person_id, disc)
    if disc.index_note:
        warnings.append(disc.index_note)
    report = ImagingImportReport(
        tuple(studies),
        tuple(problems),
        not_reached=total - done if cancelled else 0,
        cancelled=cancelled,
        warnings=tuple(warnings),
    )
    # Counts only: names and descriptions are medical content (see app/logs.py).
    _log.info(
        "imaging import into person %d: %d stored, %d already, %d problems%s",
        person_id, report.stored, report.already, len(problems),
        " (cancelled)" if cancelled else "",
    )  # fmt: skip
    return report
