"""What each doctor said: diagnosis, stage, recommendation and how they got there, side by
side, with the patient's follow-up questions for each."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from app.records.date_display import shown_date
from app.records.dates import now_iso, optional_date
from app.records.errors import InvalidValue, NotFound
from app.records.questions import Question
from app.vault.binder import Binder

# The facts of an opinion, in the order the comparison shows them, with plain labels.
OPINION_FIELDS: tuple[tuple[str, str], ...] = (
    ("diagnosis", "Diagnosis"),
    ("stage", "Stage"),
    ("recommendation", "Recommended treatment"),
    ("other_options", "Other options discussed"),
    ("test_reading", "How they read the tests"),
    ("guidelines", "Guidelines or studies cited"),
    ("urgency", "How soon to decide"),
    ("notes", "Notes"),
)
_FIELD_NAMES = tuple(name for name, _ in OPINION_FIELDS)

FOLLOW_UP_STARTERS = (
    "How did you arrive at this plan?",
    "How did you read the pathology and the scans?",
    "Which guidelines or studies did you use?",
    "Can you review the case together with my other doctor?",
    "Would a third opinion help (a pathologist, surgeon, or radiation oncologist)?",
)


@dataclass(frozen=True)
class Opinion:
    id: int
    person_id: int
    doctor_id: int | None
    doctor: str | None
    given_on: str | None
    appointment_id: int | None
    diagnosis: str
    stage: str
    recommendation: str
    other_options: str
    test_reading: str
    guidelines: str
    urgency: str
    notes: str

    @property
    def heading(self) -> str:
        who = self.doctor or "A doctor"
        return f"{who}, {shown_date(self.given_on)}" if self.given_on else who

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


_SELECT = (
    "SELECT o.id, o.person_id, o.doctor_id, d.name, o.given_on, o.appointment_id, "
    + ", ".join(f"o.{name}" for name in _FIELD_NAMES)
    + " FROM opinions o LEFT JOIN doctors d ON d.id = o.doctor_id"
)


def add_opinion(
    binder: Binder,
    person_id: int,
    doctor_id: int | None = None,
    given_on: str | None = None,
    appointment_id: int | None = None,
    **facts: str,
) -> Opinion:
    unknown = set(facts) - set(_FIELD_NAMES)
    if unknown:
        raise InvalidValue(f"Unknown facts: {', '.join(sorted(unknown))}.")
    try:
        given = optional_date(given_on)
    except ValueError as exc:
        raise InvalidValue(str(exc)) from None
    values = {name: str(facts.get(name, "")).strip() for name in _FIELD_NAMES}
    now = now_iso()
    columns = [
        "person_id",
        "doctor_id",
        "given_on",
        "appointment_id",
        *values,
        "created",
        "updated",
    ]
    with binder.transaction() as db:
        cursor = db.execute(
            f"INSERT INTO opinions ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
            [person_id, doctor_id, given, appointment_id, *values.values(), now, now],
        )
        opinion_id = int(cursor.lastrowid or 0)
    return get_opinion(binder, opinion_id)


def get_opinion(binder: Binder, opinion_id: int) -> Opinion:
    row = binder.db.execute(f"{_SELECT} WHERE o.id = ?", [opinion_id]).fetchone()
    if row is None:
        raise NotFound(f"There is no opinion with id {opinion_id}.")
    return Opinion(*row)


def list_opinions(binder: Binder, person_id: int) -> list[Opinion]:
    rows = binder.db.execute(
        f"{_SELECT} WHERE o.person_id = ? ORDER BY o.given_on IS NULL, o.given_on, o.id",
        [person_id],
    )
    return [Opinion(*row) for row in rows]


def update_opinion(binder: Binder, opinion_id: int, **changes: Any) -> Opinion:
    allowed = {*_FIELD_NAMES, "doctor_id", "given_on", "appointment_id"}
    unknown = set(changes) - allowed
    if unknown:
        raise InvalidValue(f"These facts cannot be edited: {', '.join(sorted(unknown))}.")
    get_opinion(binder, opinion_id)
    values: dict[str, Any] = {}
    for key, value in changes.items():
        if key == "given_on":
            try:
                values[key] = optional_date(value)
            except ValueError as exc:
                raise InvalidValue(str(exc)) from None
        elif key in ("doctor_id", "appointment_id"):
            values[key] = value
        else:
            values[key] = str(value).strip()
    values["updated"] = now_iso()
    assignments = ", ".join(f"{column} = ?" for column in values)
    with binder.transaction() as db:
        db.execute(
            f"UPDATE opinions SET {assignments} WHERE id = ?", [*values.values(), opinion_id]
        )
    return get_opinion(binder, opinion_id)


def delete_opinion(binder: Binder, opinion_id: int) -> None:
    get_opinion(binder, opinion_id)
    with binder.transaction() as db:
        db.execute("DELETE FROM questions WHERE opinion_id = ?", [opinion_id])
        db.execute("DELETE FROM opinions WHERE id = ?", [opinion_id])


# -- follow-up questions ----------------------------------------------------------------------


def add_follow_up(binder: Binder, opinion_id: int, text: str) -> Question:
    """A question for the doctor who gave this opinion ("How did you arrive at this plan?")."""
    from app.records.questions import add_question, get_question

    opinion = get_opinion(binder, opinion_id)
    question = add_question(binder, opinion.person_id, text)
    with binder.transaction() as db:
        db.execute("UPDATE questions SET opinion_id = ? WHERE id = ?", [opinion_id, question.id])
    return get_question(binder, question.id)


def follow_ups(binder: Binder, opinion_id: int) -> list[Question]:
    from app.records.questions import get_question

    rows = binder.db.execute(
        "SELECT id FROM questions WHERE opinion_id = ? ORDER BY position, id", [opinion_id]
    )
    return [get_question(binder, row[0]) for row in rows]


# -- comparison -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ComparisonRow:
    field: str
    label: str
    values: tuple[str, ...]  # one per opinion, "" where it was not stated
    differs: bool


def _normal(text: str) -> str:
    return " ".join(text.casefold().replace(",", " ").replace(".", " ").split())


def compare(opinions: list[Opinion]) -> list[ComparisonRow]:
    """The opinions field by field. A row differs when two doctors stated it differently;
    a fact only one doctor stated is shown but not marked as a difference."""
    rows = []
    for name, label in OPINION_FIELDS:
        values = tuple(str(getattr(opinion, name)) for opinion in opinions)
        stated = {_normal(v) for v in values if v.strip()}
        rows.append(ComparisonRow(name, label, values, differs=len(stated) > 1))
    return rows
