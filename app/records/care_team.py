"""The care team: each doctor or clinic, with their role for this person."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from app.records.dates import now_iso
from app.records.errors import InvalidValue, NotFound, RecordsError
from app.records.lookup import pick
from app.vault.binder import Binder

ROLES = (
    "Treating oncologist",
    "Surgeon",
    "Pathologist",
    "Radiologist",
    "Radiation oncologist",
    "Second-opinion doctor",
    "Primary care",
    "Nurse navigator",
    "Other",
)

_FIELDS = (
    "name",
    "specialty",
    "role",
    "institution",
    "phone",
    "fax",
    "email",
    "address",
    "portal",
    "notes",
)

# Where a doctor can be named; deleting one must never leave these dangling.
_REFERENCES = (
    ("documents", "doctor_id", "document"),
    ("medications", "prescriber_id", "medication"),
    ("appointments", "doctor_id", "appointment"),
    ("opinions", "doctor_id", "opinion"),
)


@dataclass(frozen=True)
class Doctor:
    id: int
    person_id: int
    name: str
    specialty: str = ""
    role: str = ""
    institution: str = ""
    phone: str = ""
    fax: str = ""
    email: str = ""
    address: str = ""
    portal: str = ""
    notes: str = ""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def display_name(self) -> str:
        return f"{self.name} ({self.institution})" if self.institution else self.name


class DoctorInUse(RecordsError):
    """The doctor is still named by other records; the message says by which."""


_SELECT = f"SELECT id, person_id, {', '.join(_FIELDS)} FROM doctors"


def _clean(values: dict[str, Any]) -> dict[str, str]:
    cleaned = {key: " ".join(str(value).split()) for key, value in values.items() if key != "notes"}
    if "notes" in values:
        cleaned["notes"] = str(values["notes"]).strip()
    return cleaned


def add_doctor(binder: Binder, person_id: int, name: str, **details: str) -> Doctor:
    unknown = set(details) - set(_FIELDS)
    if unknown:
        raise InvalidValue(f"Unknown details: {', '.join(sorted(unknown))}.")
    values = _clean({"name": name, **details})
    if not values["name"]:
        raise InvalidValue("A doctor or clinic needs a name.")
    now = now_iso()
    columns = ["person_id", *values, "created", "updated"]
    with binder.transaction() as db:
        cursor = db.execute(
            f"INSERT INTO doctors ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
            [person_id, *values.values(), now, now],
        )
        doctor_id = int(cursor.lastrowid or 0)
    return get_doctor(binder, doctor_id)


def get_doctor(binder: Binder, doctor_id: int) -> Doctor:
    row = binder.db.execute(f"{_SELECT} WHERE id = ?", [doctor_id]).fetchone()
    if row is None:
        raise NotFound(f"There is no doctor with id {doctor_id}.")
    return Doctor(*row)


def list_doctors(binder: Binder, person_id: int) -> list[Doctor]:
    rows = binder.db.execute(
        f"{_SELECT} WHERE person_id = ? ORDER BY name COLLATE NOCASE", [person_id]
    )
    return [Doctor(*row) for row in rows]


def find_doctor(binder: Binder, person_id: int, name_or_id: str) -> Doctor:
    """A doctor of this person by id or by (part of) the name, case-insensitive."""
    return doctor_among(list_doctors(binder, person_id), name_or_id)


def doctor_among(doctors: list[Doctor], name_or_id: str) -> Doctor:
    """`find_doctor` over a care team already listed."""
    return pick(
        doctors,
        name_or_id,
        f"No doctor called {name_or_id!r} is in this person's care team.",
        lambda doctor: doctor.display_name,
    )


def update_doctor(binder: Binder, doctor_id: int, **changes: str) -> Doctor:
    unknown = set(changes) - set(_FIELDS)
    if unknown:
        raise InvalidValue(f"These details cannot be edited: {', '.join(sorted(unknown))}.")
    get_doctor(binder, doctor_id)
    values = _clean(changes)
    if "name" in values and not values["name"]:
        raise InvalidValue("A doctor or clinic needs a name.")
    values["updated"] = now_iso()
    assignments = ", ".join(f"{column} = ?" for column in values)
    with binder.transaction() as db:
        db.execute(f"UPDATE doctors SET {assignments} WHERE id = ?", [*values.values(), doctor_id])
    return get_doctor(binder, doctor_id)


def references(binder: Binder, doctor_id: int) -> dict[str, int]:
    """How many records of each kind name this doctor."""
    counts = {}
    for table, column, label in _REFERENCES:
        row = binder.db.execute(
            f"SELECT count(*) FROM {table} WHERE {column} = ?", [doctor_id]
        ).fetchone()
        if row[0]:
            counts[label] = int(row[0])
    return counts


def delete_doctor(binder: Binder, doctor_id: int, unlink: bool = False) -> None:
    """Remove a doctor. Refused while records name them, unless the user agreed to unlink
    those records (they stay, with no doctor named)."""
    doctor = get_doctor(binder, doctor_id)
    used = references(binder, doctor_id)
    if used and not unlink:
        what = ", ".join(f"{n} {label}{'s' if n > 1 else ''}" for label, n in used.items())
        raise DoctorInUse(
            f"{doctor.name} is named by {what}. Unlink them first, or confirm that those "
            "records should keep no doctor."
        )
    with binder.transaction() as db:
        for table, column, _ in _REFERENCES:
            db.execute(f"UPDATE {table} SET {column} = NULL WHERE {column} = ?", [doctor_id])
        db.execute("DELETE FROM doctors WHERE id = ?", [doctor_id])
