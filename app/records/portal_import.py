"""Bring the structured parts of a patient-portal file into the binder, with the person in
control: `preview` says, item by item, what is new and what is already in CareBinder;
`apply` brings in the chosen items in one transaction, each remembering its source file.

What counts as "already in CareBinder" (names compared without case or extra spaces):
- a medication: the same drug name and start date;
- a doctor: the same name (titles, word order and punctuation ignored) and institution
  (a doctor recorded without an institution matches any);
- a visit: the same day and the same doctor (or, without a doctor, the same place);
- a problem: the same name and start date; an allergy: the same substance;
- a procedure: the same name and date; a result: the same test, date and value;
- a document: the same bytes.
The original file is kept as a document (for an export that holds several people, only
the chosen person's own records are kept, as an .ndjson file).

One room, though long: `preview` and `apply` must agree on what "already in CareBinder"
means, so both sit beside those matching rules.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from pathlib import PurePath
from typing import Any
from zoneinfo import ZoneInfo

from app.ingest.extract import Extracted, extract
from app.ingest.portal_model import (
    GROUP_LABELS,
    PortalAllergy,
    PortalClinician,
    PortalCondition,
    PortalDocument,
    PortalEncounter,
    PortalMedication,
    PortalPatient,
    PortalProcedure,
    PortalRecord,
    PortalResult,
    person_key,
)
from app.ingest.refusal import Refused
from app.progress import CancelFlag, Cancelled, Progress, no_progress
from app.records.allergies import add_allergy
from app.records.coded import codes_to_text
from app.records.conditions import add_condition, same_condition_key
from app.records.date_display import shown_date
from app.records.documents import add_document, find_by_content
from app.records.doses import dose_words
from app.records.errors import InvalidValue
from app.records.procedures import add_procedure
from app.records.results import add_result
from app.vault.binder import Binder
from app.vault.faults import fault_point

GROUPS = tuple(GROUP_LABELS)
ALREADY = "already in CareBinder"

# The coded lists: the function that adds an item, and the item's fields it takes after the
# name, in that function's argument order (the codes and the source document follow).
_CODED: dict[type[Any], tuple[Callable[..., object], tuple[str, ...]]] = {
    PortalCondition: (add_condition, ("onset", "resolved", "status")),
    PortalAllergy: (add_allergy, ("reaction", "severity", "noted", "status")),
    PortalProcedure: (add_procedure, ("date", "performer", "facility")),
    PortalResult: (add_result, ("value", "unit", "date", "reference_range", "interpretation")),
}


def _norm(text: str | None) -> str:
    return " ".join((text or "").lower().split())


@dataclass
class Item:
    """One thing found in the file, as the person sees it."""

    group: str
    label: str  # the plain name: "atenolol 25 MG Oral Tablet"
    detail: str  # dose, dates, place: "1, twice a day · from 2012-03-18"
    new: bool
    why: str  # when not new: "already in CareBinder", or "listed twice in this file"
    value: Any = field(repr=False)

    def to_json(self) -> dict[str, Any]:
        return {
            "group": self.group,
            "name": self.label,
            "detail": self.detail,
            "new": self.new,
            "note": self.why,
        }


@dataclass
class Preview:
    record: PortalRecord
    items: list[Item]
    source_name: str
    source_data: bytes = field(repr=False)

    def grouped(self) -> dict[str, list[Item]]:
        return {g: [i for i in self.items if i.group == g] for g in GROUPS}

    @property
    def new_items(self) -> list[Item]:
        return [i for i in self.items if i.new]


@dataclass
class Applied:
    added: dict[str, int]
    source_document_id: int | None
    notes: list[str]

    @property
    def total(self) -> int:
        return sum(self.added.values())

    def to_json(self) -> dict[str, Any]:
        return {
            "added": self.added,
            "total": self.total,
            "source_document_id": self.source_document_id,
            "notes": self.notes,
        }


# -- choosing the person in a file that holds several ------------------------------------------


def pick_patient(record: PortalRecord, wanted: str | None) -> PortalRecord:
    """The record of one person. A file for one person is returned as it is; for several,
    `wanted` (a part of the name, or the id in the file) must pick exactly one."""
    if len(record.patients) <= 1:
        return record
    if not wanted:
        names = "; ".join(p.name or p.key for p in record.patients[:20])
        raise Refused(
            f"This file holds the records of {len(record.patients)} people ({names}). "
            "Say whose records to bring in."
        )
    needle = _norm(wanted)
    found = [p for p in record.patients if p.key == wanted or needle in _norm(p.name)]
    if len(found) != 1:
        raise Refused(
            f"{len(found) or 'No'} people in this file match {wanted!r}: give more of the name."
        )
    return record.for_patient(found[0].key)


def someone_else(record: PortalRecord, person_name: str) -> str:
    """A warning when the file names a patient who shares no name with the binder's person
    (a caregiver keeping several people may pick the wrong one); "" otherwise."""
    if len(record.patients) != 1 or not record.patients[0].name:
        return ""
    theirs = set(person_key(record.patients[0].name).split())
    ours = set(person_key(person_name).split())
    if theirs & ours:
        return ""
    return (
        f"This file is about {record.patients[0].name}, not {person_name}: "
        "check that it is the right person before bringing anything in."
    )


def kept_source(record: PortalRecord, name: str, data: bytes) -> tuple[str, bytes]:
    """What is kept as the source document: the original file, or, for a file of several
    people, only the chosen person's own records."""
    if (record.from_several or not data) and record.raw_by_patient:
        lines = [line for group in record.raw_by_patient.values() for line in group]
        stem = PurePath(name).stem
        patient: PortalPatient | None = record.patients[0] if record.patients else None
        who = re.sub(r"[^\w .-]+", " ", patient.name if patient else "").strip()
        return f"{stem} - {who}.ndjson" if who else name, ("\n".join(lines) + "\n").encode()
    return name, data


# -- what is already in the binder ---------------------------------------------------------------


def _existing_keys(binder: Binder, person_id: int) -> dict[str, set[Any]]:
    db = binder.db
    keys: dict[str, set[Any]] = {g: set() for g in GROUPS}
    for name, start in db.execute(
        "SELECT name, start_date FROM medications WHERE person_id = ?", [person_id]
    ):
        keys["medications"].add((_norm(name), start or ""))
    for (name,) in db.execute("SELECT name FROM conditions WHERE person_id = ?", [person_id]):
        keys["conditions"].add(same_condition_key(name))
    for (name,) in db.execute("SELECT name FROM allergies WHERE person_id = ?", [person_id]):
        keys["allergies"].add(_norm(name))
    for name, day in db.execute(
        "SELECT name, performed_date FROM procedures WHERE person_id = ?", [person_id]
    ):
        keys["procedures"].add((_norm(name), day or ""))
    for name, day, value in db.execute(
        "SELECT name, taken_date, value FROM results WHERE person_id = ?", [person_id]
    ):
        keys["results"].add((_norm(name), day or "", _norm(value)))
    for starts_at, doctor, location in db.execute(
        "SELECT a.starts_at, d.name, a.location FROM appointments a "
        "LEFT JOIN doctors d ON d.id = a.doctor_id WHERE a.person_id = ?",
        [person_id],
    ):
        keys["encounters"].add(_visit_key(str(starts_at)[:10], doctor or "", location or ""))
    for name, institution in db.execute(
        "SELECT name, institution FROM doctors WHERE person_id = ?", [person_id]
    ):
        keys["care_team"].add((person_key(name), _norm(institution)))
    for (sha,) in db.execute("SELECT sha256 FROM documents WHERE person_id = ?", [person_id]):
        keys["documents"].add(sha)
    return keys


def _visit_key(day: str, doctor: str, place: str) -> tuple[str, str]:
    return (day, f"dr:{person_key(doctor)}" if doctor.strip() else f"at:{_norm(place)}")


def _key(group: str, value: Any) -> Any:
    if isinstance(value, PortalMedication):
        return (_norm(value.name), value.start or "")
    if isinstance(value, PortalCondition):
        return same_condition_key(value.name)
    if isinstance(value, PortalAllergy):
        return _norm(value.name)
    if isinstance(value, PortalProcedure):
        return (_norm(value.name), value.date or "")
    if isinstance(value, PortalResult):
        return (_norm(value.name), value.date or "", _norm(value.value))
    if isinstance(value, PortalEncounter):
        return _visit_key(value.date[:10], value.doctor, value.facility)
    if isinstance(value, PortalDocument):
        return hashlib.sha256(value.data).hexdigest()
    raise TypeError(group)


def _doctor_known(keys: set[Any], clinician: PortalClinician) -> bool:
    name, place = person_key(clinician.name), _norm(clinician.institution)
    return any(n == name and (p == place or not p or not place) for n, p in keys)


def _detail(value: Any) -> str:
    def span(start: str | None, stop: str | None) -> str:
        start, stop = shown_date(start), shown_date(stop)
        if start and stop:
            return f"{start} to {stop}"
        return f"from {start}" if start else (f"until {stop}" if stop else "")

    parts: list[str]
    if isinstance(value, PortalMedication):
        parts = [
            dose_words(value.dose, value.how_often, joiner=", "),
            span(value.start, value.stop),
        ]
    elif isinstance(value, PortalCondition):
        parts = [span(value.onset, value.resolved), value.status]
    elif isinstance(value, PortalAllergy):
        parts = [value.reaction, value.severity, shown_date(value.noted)]
    elif isinstance(value, PortalProcedure):
        parts = [shown_date(value.date), value.performer, value.facility]
    elif isinstance(value, PortalEncounter):
        parts = [value.date[:16].replace("T", " "), value.doctor, value.facility]
    elif isinstance(value, PortalClinician):
        parts = [value.specialty, value.institution, value.phone]
    elif isinstance(value, PortalResult):
        parts = [f"{value.value} {value.unit}".strip(), shown_date(value.date)]
    elif isinstance(value, PortalDocument):
        kind = "PDF" if value.media_type == "application/pdf" else "text"
        parts = [shown_date(value.date), f"{kind}, {max(1, len(value.data) // 1024)} KB"]
    else:
        parts = []
    return " · ".join(p for p in parts if p)


def _label(value: Any) -> str:
    if isinstance(value, PortalEncounter):
        return value.purpose or "Visit"
    if isinstance(value, PortalDocument):
        return value.title
    return str(value.name)


def preview(
    binder: Binder, person_id: int, record: PortalRecord, source_name: str, source_data: bytes
) -> Preview:
    """Every item of the file, marked new or already in the binder."""
    existing = _existing_keys(binder, person_id)
    items: list[Item] = []
    for group in GROUPS:
        seen: set[Any] = set()
        for value in getattr(record, group):
            if group == "care_team":
                key: Any = (person_key(value.name), _norm(value.institution))
                known = _doctor_known(existing["care_team"], value)
            else:
                key = _key(group, value)
                known = key in existing[group]
            why = ALREADY if known else ("listed twice in this file" if key in seen else "")
            seen.add(key)
            items.append(Item(group, _label(value), _detail(value), not why, why, value))
    name, data = kept_source(record, source_name, source_data)
    return Preview(record, items, name, data)


# -- bringing items in ----------------------------------------------------------------------------


def _starts_at(value: str) -> tuple[datetime, str, bool]:
    """An encounter's moment, its IANA zone ("" when the file gave an offset), and whether
    a time of day was given (a day alone is placed at noon, so no zone moves its date)."""
    from app.records.appointments import local_zone_name

    if "T" in value:
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is not None:
            return moment, "", True
        zone = local_zone_name()
        return moment.replace(tzinfo=ZoneInfo(zone)), zone, True
    zone = local_zone_name()
    day = datetime.fromisoformat(value[:10]).date()
    return datetime.combine(day, time(12, 0), ZoneInfo(zone)), zone, False


@dataclass
class _Prepared:
    item: PortalDocument | None
    name: str
    data: bytes
    facts: Extracted


def _prepare(
    name: str, data: bytes, progress: Progress, cancel: CancelFlag | None
) -> Extracted | None:
    try:
        return extract(data, name, progress=progress, cancel=cancel)
    except Refused:
        return None


def apply(
    binder: Binder,
    person_id: int,
    preview_: Preview,
    chosen: Iterable[Item] | None = None,
    progress: Progress = no_progress,
    cancel: CancelFlag | None = None,
) -> Applied:
    """Bring in `chosen` (by default every new item) in one transaction.

    Reading the documents (the slow part) happens first and stores nothing; a cancel then
    raises `Cancelled` and the binder is unchanged. Items already in the binder are never
    added again, even when chosen.
    """
    picked = [i for i in (preview_.new_items if chosen is None else chosen) if i.new]
    notes: list[str] = list(preview_.record.notes)
    total = 1 + sum(1 for i in picked if i.group == "documents")
    progress(0, total, "Reading the file")
    source_facts = None
    if find_by_content(binder, person_id, hashlib.sha256(preview_.source_data).hexdigest()) is None:
        source_facts = _prepare(preview_.source_name, preview_.source_data, no_progress, cancel)
    prepared: list[_Prepared] = []
    for done, item in enumerate((i for i in picked if i.group == "documents"), 1):
        if cancel is not None and cancel.cancelled:
            raise Cancelled()
        document: PortalDocument = item.value
        progress(done, total, document.title)
        facts = _prepare(document.file_name, document.data, no_progress, cancel)
        if facts is None:
            notes.append(f"“{document.title}” could not be read and was not brought in.")
            continue
        prepared.append(_Prepared(document, document.file_name, document.data, facts))
    if cancel is not None and cancel.cancelled:
        raise Cancelled()
    # Files go to the store before their rows: a crash between leaves only files the database
    # noted as being written, which the next open removes.
    stored_source = binder.store(preview_.source_data) if source_facts is not None else None
    stored = [(p, binder.store(p.data)) for p in prepared]
    added = dict.fromkeys(GROUPS, 0)
    with binder.transaction():
        if stored_source is not None and source_facts is not None:
            source = add_document(
                binder, person_id, stored_source, source_facts, preview_.source_name
            )
            source_id: int | None = source.id
        else:
            found = find_by_content(
                binder, person_id, hashlib.sha256(preview_.source_data).hexdigest()
            )
            source_id = found.id if found is not None else None
        for p, file in stored:
            add_document(binder, person_id, file, p.facts, p.name)
            added["documents"] += 1
        doctors = _Doctors(binder, person_id, source_id, preview_.source_name)
        doctors.team = preview_.record.care_team
        for item in picked:
            if item.group == "care_team":
                doctors.get(item.value.name, item.value.institution, item.value)
                added["care_team"] += 1
        for item in picked:
            try:
                if _add_one(binder, person_id, item, source_id, doctors, preview_.source_name):
                    added[item.group] += 1
            except InvalidValue as exc:
                notes.append(f"{GROUP_LABELS[item.group]}: “{item.label}” was left out ({exc})")
        added["care_team"] += doctors.created_for_visits
        # For the crash test: every row written, none committed (not in faults.POINTS,
        # whose test walks the document import).
        fault_point("portal-rows-written")
    return Applied({g: n for g, n in added.items() if n}, source_id, notes)


class _Doctors:
    """Doctors of this person by name and institution: found, or added once."""

    def __init__(self, binder: Binder, person_id: int, source_id: int | None, source: str):
        self.binder, self.person_id, self.source_id = binder, person_id, source_id
        self.source = source
        self.created_for_visits = 0
        self.team: list[PortalClinician] = []  # the file's own details, for visits' doctors
        self.rows = [
            (int(r[0]), person_key(r[1]), _norm(r[2]))
            for r in binder.db.execute(
                "SELECT id, name, institution FROM doctors WHERE person_id = ?", [person_id]
            )
        ]

    def find(self, name: str, institution: str = "") -> int | None:
        key, place = person_key(name), _norm(institution)
        for row_id, row_name, row_place in self.rows:
            if row_name == key and (row_place == place or not row_place or not place):
                return row_id
        return None

    def get(self, name: str, institution: str, clinician: PortalClinician | None = None) -> int:
        found = self.find(name, institution)
        if found is not None:
            return found
        from app.records.care_team import add_doctor

        details = {}
        if clinician is None:
            clinician = next((c for c in self.team if person_key(c.name) == person_key(name)), None)
            self.created_for_visits += 1
        if clinician is not None:
            details = {
                key: getattr(clinician, key)
                for key in ("specialty", "role", "phone", "email", "address")
                if getattr(clinician, key)
            }
        doctor = add_doctor(
            self.binder,
            self.person_id,
            name,
            institution=institution,
            notes=f"From {self.source}.",
            **details,
        )
        self.binder.db.execute(
            "UPDATE doctors SET source_document_id = ? WHERE id = ?", [self.source_id, doctor.id]
        )
        self.rows.append((doctor.id, person_key(name), _norm(institution)))
        return doctor.id


def _add_one(
    binder: Binder,
    person_id: int,
    item: Item,
    source_id: int | None,
    doctors: _Doctors,
    source_name: str,
) -> bool:
    value = item.value
    coded = _CODED.get(type(value))
    if isinstance(value, PortalMedication):
        from app.records.medications import add_medication

        details = {
            k: v
            for k, v in (
                ("dose", value.dose),
                ("how_often", value.how_often),
                ("route", value.route),
                ("purpose", value.purpose),
            )
            if v
        }
        if value.status and value.status not in ("active", "completed"):
            details["notes"] = f"Status in {source_name}: {value.status}."
        med = add_medication(
            binder,
            person_id,
            value.name,
            start=value.start,
            stop=value.stop,
            prescriber_id=doctors.find(value.prescriber) if value.prescriber else None,
            **details,
        )
        binder.db.execute(
            "UPDATE medications SET codes = ?, source_document_id = ? WHERE id = ?",
            [codes_to_text(value.codes), source_id, med.id],
        )
    elif coded is not None:
        add, fields = coded
        add(
            binder,
            person_id,
            value.name,
            *(getattr(value, name) for name in fields),
            value.codes,
            source_document_id=source_id,
        )
    elif isinstance(value, PortalEncounter):
        _add_visit(binder, person_id, value, source_id, doctors, source_name)
    else:
        return False  # care team and documents were brought in first
    return True


def _add_visit(
    binder: Binder,
    person_id: int,
    value: PortalEncounter,
    source_id: int | None,
    doctors: _Doctors,
    source_name: str,
) -> None:
    from app.records.appointments import AppointmentStatus, add_appointment

    try:
        starts_at, zone, timed = _starts_at(value.date)
    except ValueError:
        raise InvalidValue(f"{value.date!r} is not a date and time") from None
    past = starts_at < datetime.now(UTC)
    status = (
        AppointmentStatus.PLANNED
        if value.status == "planned" and not past
        else (AppointmentStatus.DONE)
    )
    notes = [f"From {source_name}."]
    if not timed:
        notes.append("The file gave no time of day.")
    if value.status == "planned" and past:
        notes.append("The file listed this visit as upcoming.")
    doctor_id = doctors.get(value.doctor, value.facility) if value.doctor else None
    appointment = add_appointment(
        binder,
        person_id,
        starts_at,
        zone,
        doctor_id=doctor_id,
        location=value.facility,
        purpose=value.purpose,
        status=status,
        reminder_minutes=None,
        notes=" ".join(notes),
    )
    binder.db.execute(
        "UPDATE appointments SET source_document_id = ? WHERE id = ?", [source_id, appointment.id]
    )


def describe(preview_: Preview) -> dict[str, Any]:
    """The preview as JSON: the file's format and people, and every item by group."""
    return {
        "format": preview_.record.format,
        "title": preview_.record.title,
        "kept_as": preview_.source_name,
        "about": [{"name": p.name, "born": p.born} for p in preview_.record.patients],
        "groups": {
            g: [i.to_json() for i in items] for g, items in preview_.grouped().items() if items
        },
        "new": len(preview_.new_items),
        "already": sum(1 for i in preview_.items if i.why == ALREADY),
        "notes": preview_.record.notes,
    }
