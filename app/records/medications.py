"""The medication history: every drug with its dose, its dates, and every dose change.

A second-opinion doctor needs what was taken and when, not only today's list, because some
drugs have long-term effects. Dates may be partial ("2024-03") because patients often
remember no more; checks on dates only refuse what is surely wrong (see dates.surely_before).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

from app.records.date_display import shown_date
from app.records.dates import (
    latest,
    now_iso,
    optional_date,
    parse_partial_date,
    surely_before,
    today_iso,
)
from app.records.errors import InvalidValue, NotFound
from app.vault.binder import Binder

_DETAILS = (
    "strength",
    "form",
    "dose",
    "how_often",
    "route",
    "purpose",
    "cycles",
    "side_effects",
    "notes",
)


class MedicationView(StrEnum):
    CURRENT = "current"
    PAST = "past"
    ALL = "all"


@dataclass(frozen=True)
class DoseChange:
    id: int
    changed_on: str
    dose: str
    how_often: str
    note: str


@dataclass(frozen=True)
class Medication:
    id: int
    person_id: int
    name: str
    strength: str
    form: str
    dose: str  # the starting dose; `current_dose` follows the changes
    how_often: str
    route: str
    purpose: str
    prescriber_id: int | None
    prescriber: str | None
    start_date: str | None
    stop_date: str | None
    cycles: str
    side_effects: str
    notes: str
    changes: tuple[DoseChange, ...] = field(default_factory=tuple)

    @property
    def still_taking(self) -> bool:
        return self.stop_date is None or latest(self.stop_date).isoformat() >= today_iso()

    @property
    def current_dose(self) -> str:
        return self.changes[-1].dose if self.changes and self.changes[-1].dose else self.dose

    @property
    def current_how_often(self) -> str:
        for change in reversed(self.changes):
            if change.how_often:
                return change.how_often
        return self.how_often

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["still_taking"] = self.still_taking
        data["current_dose"] = self.current_dose
        return data


def _date(value: str | None, what: str) -> str | None:
    try:
        return optional_date(value)
    except ValueError as exc:
        raise InvalidValue(f"{what}: {exc}") from None


def _check_span(start: str | None, stop: str | None) -> None:
    if start and stop and surely_before(stop, start):
        raise InvalidValue(
            f"The stop date ({shown_date(stop)}) is before the start date ({shown_date(start)})."
        )


def add_medication(
    binder: Binder,
    person_id: int,
    name: str,
    start: str | None = None,
    stop: str | None = None,
    prescriber_id: int | None = None,
    **details: str,
) -> Medication:
    unknown = set(details) - set(_DETAILS)
    if unknown:
        raise InvalidValue(f"Unknown details: {', '.join(sorted(unknown))}.")
    clean_name = " ".join(name.split())
    if not clean_name:
        raise InvalidValue("A medication needs a name.")
    start_iso, stop_iso = _date(start, "Start date"), _date(stop, "Stop date")
    _check_span(start_iso, stop_iso)
    now = now_iso()
    values = {key: str(value).strip() for key, value in details.items()}
    columns = ["person_id", "name", "prescriber_id", "start_date", "stop_date", *values]
    columns += ["created", "updated"]
    with binder.transaction() as db:
        cursor = db.execute(
            f"INSERT INTO medications ({', '.join(columns)}) "
            f"VALUES ({', '.join('?' * len(columns))})",
            [person_id, clean_name, prescriber_id, start_iso, stop_iso, *values.values(), now, now],
        )
        med_id = int(cursor.lastrowid or 0)
    return get_medication(binder, med_id)


_SELECT = (
    "SELECT m.id, m.person_id, m.name, m.strength, m.form, m.dose, m.how_often, m.route, "
    "m.purpose, m.prescriber_id, d.name, m.start_date, m.stop_date, m.cycles, "
    "m.side_effects, m.notes FROM medications m LEFT JOIN doctors d ON d.id = m.prescriber_id"
)


_COLUMNS = (
    "id", "person_id", "name", "strength", "form", "dose", "how_often", "route", "purpose",
    "prescriber_id", "prescriber", "start_date", "stop_date", "cycles", "side_effects", "notes",
)  # fmt: skip


def _medication(binder: Binder, row: tuple[Any, ...]) -> Medication:
    return Medication(**dict(zip(_COLUMNS, row, strict=True)), changes=_changes(binder, row[0]))


def _changes(binder: Binder, med_id: int) -> tuple[DoseChange, ...]:
    rows = binder.db.execute(
        "SELECT id, changed_on, dose, how_often, note FROM medication_changes "
        "WHERE medication_id = ? ORDER BY changed_on, id",
        [med_id],
    )
    return tuple(DoseChange(*row) for row in rows)


def get_medication(binder: Binder, med_id: int) -> Medication:
    row = binder.db.execute(f"{_SELECT} WHERE m.id = ?", [med_id]).fetchone()
    if row is None:
        raise NotFound(f"There is no medication with id {med_id}.")
    return _medication(binder, row)


def list_medications(
    binder: Binder, person_id: int, view: MedicationView = MedicationView.ALL
) -> list[Medication]:
    """Medications by start date (unknown first dates last), with their dose changes."""
    rows = binder.db.execute(
        f"{_SELECT} WHERE m.person_id = ? "
        "ORDER BY m.start_date IS NULL, m.start_date, m.name COLLATE NOCASE",
        [person_id],
    ).fetchall()
    meds = [_medication(binder, row) for row in rows]
    if view is MedicationView.CURRENT:
        return [m for m in meds if m.still_taking]
    if view is MedicationView.PAST:
        return [m for m in meds if not m.still_taking]
    return meds


def medication_names(binder: Binder) -> list[str]:
    """Every drug name already in the binder, for autocompletion."""
    rows = binder.db.execute(
        "SELECT DISTINCT name FROM medications ORDER BY name COLLATE NOCASE"
    ).fetchall()
    return [row[0] for row in rows]


def change_dose(
    binder: Binder,
    med_id: int,
    dose: str,
    on: str | None,
    how_often: str = "",
    note: str = "",
) -> Medication:
    """Record a dose change on a date inside the medication's dates."""
    med = get_medication(binder, med_id)
    changed_on = parse_partial_date_or_invalid(on, "Date of the change")
    if not dose.strip() and not how_often.strip():
        raise InvalidValue("Say the new dose (or how often).")
    if med.start_date and surely_before(changed_on, med.start_date):
        raise InvalidValue(
            f"The change ({shown_date(changed_on)}) is before {med.name} was started "
            f"({shown_date(med.start_date)})."
        )
    if med.stop_date and surely_before(med.stop_date, changed_on):
        raise InvalidValue(
            f"The change ({shown_date(changed_on)}) is after {med.name} was stopped "
            f"({shown_date(med.stop_date)})."
        )
    with binder.transaction() as db:
        db.execute(
            "INSERT INTO medication_changes (medication_id, changed_on, dose, how_often, note) "
            "VALUES (?, ?, ?, ?, ?)",
            [med_id, changed_on, dose.strip(), how_often.strip(), note.strip()],
        )
        db.execute("UPDATE medications SET updated = ? WHERE id = ?", [now_iso(), med_id])
    return get_medication(binder, med_id)


def stop_medication(binder: Binder, med_id: int, on: str | None = None) -> Medication:
    """Mark a medication stopped (today when no date is given)."""
    med = get_medication(binder, med_id)
    stop = parse_partial_date_or_invalid(on, "Stop date") if on else today_iso()
    _check_span(med.start_date, stop)
    for change in med.changes:
        if surely_before(stop, change.changed_on):
            raise InvalidValue(
                f"The stop date ({shown_date(stop)}) is before a recorded dose change "
                f"({shown_date(change.changed_on)})."
            )
    with binder.transaction() as db:
        db.execute(
            "UPDATE medications SET stop_date = ?, updated = ? WHERE id = ?",
            [stop, now_iso(), med_id],
        )
    return get_medication(binder, med_id)


def update_medication(binder: Binder, med_id: int, **changes: Any) -> Medication:
    allowed = set(_DETAILS) | {"name", "start_date", "stop_date", "prescriber_id"}
    unknown = set(changes) - allowed
    if unknown:
        raise InvalidValue(f"These details cannot be edited: {', '.join(sorted(unknown))}.")
    med = get_medication(binder, med_id)
    values: dict[str, Any] = {}
    for key, value in changes.items():
        if key in ("start_date", "stop_date"):
            values[key] = _date(value, "Date")
        elif key == "name":
            values[key] = " ".join(str(value).split())
            if not values[key]:
                raise InvalidValue("A medication needs a name.")
        elif key == "prescriber_id":
            values[key] = value
        else:
            values[key] = str(value).strip()
    start = values.get("start_date", med.start_date)
    stop = values.get("stop_date", med.stop_date)
    _check_span(start, stop)
    values["updated"] = now_iso()
    assignments = ", ".join(f"{column} = ?" for column in values)
    with binder.transaction() as db:
        db.execute(f"UPDATE medications SET {assignments} WHERE id = ?", [*values.values(), med_id])
    return get_medication(binder, med_id)


def delete_medication(binder: Binder, med_id: int) -> None:
    get_medication(binder, med_id)
    with binder.transaction() as db:
        db.execute("DELETE FROM medications WHERE id = ?", [med_id])


def parse_partial_date_or_invalid(text: str | None, what: str) -> str:
    if text is None:
        raise InvalidValue(f"{what} is needed.")
    try:
        return parse_partial_date(text)
    except ValueError as exc:
        raise InvalidValue(f"{what}: {exc}") from None
