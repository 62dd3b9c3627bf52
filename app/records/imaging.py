"""Imaging studies: the CTs, MRIs and PET scans a person brought home on a disc.

A study holds series, a series holds images (DICOM files), each kept encrypted in the file
store byte for byte like any original and known by its SOP Instance UID, so the same image
is never stored twice. A study may be linked to the imaging report of the same date and
accession number. Importing a disc is app.records.imaging_import; this module reads, links
and removes what is stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.ingest.dicom_header import modality_words
from app.ingest.kinds import DocumentKind
from app.records.dates import now_iso
from app.records.errors import InvalidValue, NotFound
from app.vault.binder import Binder

ACCESSION_MIN = 4  # a shorter accession number ("1") would match any report's text


@dataclass(frozen=True)
class ImagingStudy:
    id: int
    person_id: int
    study_uid: str
    date: str | None
    modalities: tuple[str, ...]
    body_part: str
    description: str
    institution: str
    accession_number: str
    patient_name: str  # as the disc writes it
    patient_birth_date: str
    patient_id: str
    report_document_id: int | None
    include_in_bundle: bool
    series_count: int
    images: int
    size: int
    created: str

    @property
    def what(self) -> str:
        """'CT scan', 'MRI', 'PET-CT': the study in plain words."""
        return modality_words(self.modalities)

    @property
    def title(self) -> str:
        """'CT scan: Chest with contrast', or 'CT scan of the chest'."""
        if self.description:
            return f"{self.what}: {self.description}"
        if self.body_part:
            return f"{self.what} of the {self.body_part.lower()}"
        return self.what[:1].upper() + self.what[1:]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "person_id": self.person_id,
            "study_uid": self.study_uid,
            "date": self.date,
            "what": self.what,
            "modalities": list(self.modalities),
            "body_part": self.body_part,
            "description": self.description,
            "institution": self.institution,
            "accession_number": self.accession_number,
            "patient_name": self.patient_name,
            "patient_birth_date": self.patient_birth_date,
            "report_document_id": self.report_document_id,
            "include_in_bundle": self.include_in_bundle,
            "series": self.series_count,
            "images": self.images,
            "size": self.size,
        }


@dataclass(frozen=True)
class ImagingSeries:
    id: int
    study_id: int
    series_uid: str
    number: int | None
    modality: str
    body_part: str
    description: str
    images: int
    picture: bytes | None  # PNG, for recognising the series; never for diagnosis
    picture_note: str  # why there is no picture

    @property
    def label(self) -> str:
        what = self.description or (modality_words([self.modality]) if self.modality else "")
        count = f"{self.images} image{'s' if self.images != 1 else ''}"
        return f"{what or 'Series'} ({count})"

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "series_uid": self.series_uid,
            "number": self.number,
            "modality": self.modality,
            "body_part": self.body_part,
            "description": self.description,
            "images": self.images,
            "picture": self.picture is not None,
            "picture_note": self.picture_note,
        }


@dataclass(frozen=True)
class ImagingInstance:
    """One stored image file, with what a DICOMDIR record needs to name it."""

    id: int
    study_id: int
    series_id: int
    sop_instance_uid: str
    sop_class_uid: str
    transfer_syntax_uid: str
    number: int | None
    size: int
    sha256: str
    file_name: str


_STUDY_COLUMNS = (
    "st.id, st.person_id, st.study_uid, st.date, st.modalities, st.body_part, st.description, "
    "st.institution, st.accession_number, st.patient_name, st.patient_birth_date, "
    "st.patient_id, st.report_document_id, st.include_in_bundle, "
    "(SELECT count(*) FROM imaging_series s WHERE s.study_id = st.id), "
    "(SELECT count(*) FROM imaging_instances i JOIN imaging_series s ON s.id = i.series_id "
    " WHERE s.study_id = st.id), "
    "(SELECT coalesce(sum(i.size), 0) FROM imaging_instances i "
    " JOIN imaging_series s ON s.id = i.series_id WHERE s.study_id = st.id), "
    "st.created"
)


def _study(row: tuple[Any, ...]) -> ImagingStudy:
    return ImagingStudy(
        id=row[0],
        person_id=row[1],
        study_uid=row[2],
        date=row[3],
        modalities=tuple(m for m in row[4].split(",") if m),
        body_part=row[5],
        description=row[6],
        institution=row[7],
        accession_number=row[8],
        patient_name=row[9],
        patient_birth_date=row[10],
        patient_id=row[11],
        report_document_id=row[12],
        include_in_bundle=bool(row[13]),
        series_count=row[14],
        images=row[15],
        size=row[16],
        created=row[17],
    )


def list_studies(binder: Binder, person_id: int) -> list[ImagingStudy]:
    """The person's studies, newest first."""
    rows = binder.db.execute(
        f"SELECT {_STUDY_COLUMNS} FROM imaging_studies st WHERE st.person_id = ? "
        "ORDER BY st.date IS NULL, st.date DESC, st.id DESC",
        [person_id],
    ).fetchall()
    return [_study(row) for row in rows]


def count_studies(binder: Binder, person_id: int) -> int:
    row = binder.db.execute(
        "SELECT count(*) FROM imaging_studies WHERE person_id = ?", [person_id]
    ).fetchone()
    return int(row[0])


def get_study(binder: Binder, study_id: int) -> ImagingStudy:
    row = binder.db.execute(
        f"SELECT {_STUDY_COLUMNS} FROM imaging_studies st WHERE st.id = ?", [study_id]
    ).fetchone()
    if row is None:
        raise NotFound(f"There is no imaging study with id {study_id}.")
    return _study(row)


def list_series(binder: Binder, study_id: int) -> list[ImagingSeries]:
    rows = binder.db.execute(
        "SELECT s.id, s.study_id, s.series_uid, s.number, s.modality, s.body_part, "
        "s.description, (SELECT count(*) FROM imaging_instances i WHERE i.series_id = s.id), "
        "s.picture, s.picture_note FROM imaging_series s WHERE s.study_id = ? "
        "ORDER BY s.number IS NULL, s.number, s.id",
        [study_id],
    ).fetchall()
    return [ImagingSeries(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9]) for r in rows]


def list_instances(binder: Binder, study_id: int) -> list[ImagingInstance]:
    """Every image of the study, series by series in order."""
    rows = binder.db.execute(
        "SELECT i.id, s.study_id, i.series_id, i.sop_instance_uid, i.sop_class_uid, "
        "i.transfer_syntax_uid, i.number, i.size, i.sha256, i.file_name "
        "FROM imaging_instances i JOIN imaging_series s ON s.id = i.series_id "
        "WHERE s.study_id = ? ORDER BY s.number IS NULL, s.number, s.id, "
        "i.number IS NULL, i.number, i.id",
        [study_id],
    ).fetchall()
    return [ImagingInstance(*row) for row in rows]


def find_report(binder: Binder, person_id: int, date: str | None, accession: str) -> int | None:
    """The imaging report that goes with a study: an imaging report of the same date whose
    words hold the study's accession number; or the only imaging report of that date; or,
    with a long enough accession number, the imaging report that names it."""
    accession = accession.strip()
    base = (
        "SELECT d.id FROM documents d LEFT JOIN document_text t ON t.document_id = d.id "
        "WHERE d.person_id = ? AND d.trashed_at IS NULL AND d.kind = ?"
    )
    args: list[Any] = [person_id, DocumentKind.IMAGING.value]
    same_day = (
        [r[0] for r in binder.db.execute(f"{base} AND d.date = ?", [*args, date])] if date else []
    )
    if accession and len(accession) >= ACCESSION_MIN:
        naming = [
            r[0]
            for r in binder.db.execute(
                f"{base} AND (instr(t.body, ?) > 0 OR instr(d.title, ?) > 0) ORDER BY d.id",
                [*args, accession, accession],
            )
        ]
        both = [doc_id for doc_id in naming if doc_id in same_day]
        if both:
            return both[0]
        if naming and not same_day:
            return naming[0]
    if len(same_day) == 1:
        return int(same_day[0])
    return None


def link_report(binder: Binder, study_id: int, document_id: int | None) -> ImagingStudy:
    """Link the study to its imaging report (None: no report)."""
    study = get_study(binder, study_id)
    if document_id is not None:
        owner = binder.db.execute(
            "SELECT person_id FROM documents WHERE id = ?", [document_id]
        ).fetchone()
        if owner is None or owner[0] != study.person_id:
            raise InvalidValue(f"Document {document_id} is not one of this person's documents.")
    with binder.transaction() as db:
        db.execute(
            "UPDATE imaging_studies SET report_document_id = ?, updated = ? WHERE id = ?",
            [document_id, now_iso(), study_id],
        )
    return get_study(binder, study_id)


def set_in_bundle(binder: Binder, study_id: int, included: bool) -> ImagingStudy:
    get_study(binder, study_id)
    with binder.transaction() as db:
        db.execute(
            "UPDATE imaging_studies SET include_in_bundle = ?, updated = ? WHERE id = ?",
            [int(included), now_iso(), study_id],
        )
    return get_study(binder, study_id)


def remove_study(binder: Binder, study_id: int) -> None:
    """Take a study out of the binder: its rows first, then the files nothing else names.
    Those files are noted as being removed in the rows' transaction, so a crash in between
    leaves files the next open removes (rather than keeping them aside)."""
    names = {i.file_name for i in list_instances(binder, study_id)}
    get_study(binder, study_id)
    with binder.transaction() as db:
        db.execute("DELETE FROM imaging_studies WHERE id = ?", [study_id])
        unnamed = [
            name
            for name in sorted(names)
            if db.execute(
                "SELECT 1 FROM imaging_instances WHERE file_name = ? UNION ALL "
                "SELECT 1 FROM documents WHERE file_name = ? LIMIT 1",
                [name, name],
            ).fetchone()
            is None
        ]
        binder.note_unsettled(unnamed)  # in the same transaction (a savepoint inside it)
    for name in unnamed:
        binder.files.remove(name)
    with binder.transaction() as db:
        for name in unnamed:
            db.execute("DELETE FROM unsettled_files WHERE name = ?", [name])
