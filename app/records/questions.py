"""Questions written before a visit, checked off with the answer during it."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from app.records.dates import now_iso
from app.records.errors import InvalidValue, NotFound
from app.vault.binder import Binder


@dataclass(frozen=True)
class Question:
    id: int
    person_id: int
    appointment_id: int | None  # None: for the next visit, whoever it is with
    text: str
    answered: bool
    answer: str
    position: int

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


_SELECT = "SELECT id, person_id, appointment_id, text, answered, answer, position FROM questions"


def _row(row: tuple[Any, ...]) -> Question:
    values = list(row)
    values[4] = bool(values[4])
    return Question(*values)


def add_question(
    binder: Binder, person_id: int, text: str, appointment_id: int | None = None
) -> Question:
    clean = " ".join(text.split())
    if not clean:
        raise InvalidValue("A question needs some words.")
    with binder.transaction() as db:
        last = db.execute(
            "SELECT coalesce(max(position), 0) FROM questions WHERE person_id = ? "
            "AND appointment_id IS ?",
            [person_id, appointment_id],
        ).fetchone()[0]
        cursor = db.execute(
            "INSERT INTO questions (person_id, appointment_id, text, position, created) "
            "VALUES (?, ?, ?, ?, ?)",
            [person_id, appointment_id, clean, int(last) + 1, now_iso()],
        )
        question_id = int(cursor.lastrowid or 0)
    return get_question(binder, question_id)


def get_question(binder: Binder, question_id: int) -> Question:
    row = binder.db.execute(f"{_SELECT} WHERE id = ?", [question_id]).fetchone()
    if row is None:
        raise NotFound(f"There is no question with id {question_id}.")
    return _row(row)


def list_questions(
    binder: Binder, person_id: int, appointment_id: int | None = None
) -> list[Question]:
    rows = binder.db.execute(
        f"{_SELECT} WHERE person_id = ? AND appointment_id IS ? ORDER BY position, id",
        [person_id, appointment_id],
    )
    return [_row(r) for r in rows]


def answer_question(
    binder: Binder, question_id: int, answer: str = "", answered: bool = True
) -> Question:
    get_question(binder, question_id)
    with binder.transaction() as db:
        db.execute(
            "UPDATE questions SET answered = ?, answer = ? WHERE id = ?",
            [int(answered), answer.strip(), question_id],
        )
    return get_question(binder, question_id)


def delete_question(binder: Binder, question_id: int) -> None:
    get_question(binder, question_id)
    with binder.transaction() as db:
        db.execute("DELETE FROM questions WHERE id = ?", [question_id])
