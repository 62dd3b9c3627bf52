"""The people a binder holds: the patient, and whoever else a caregiver looks after."""

from __future__ import annotations

from app.records.dates import now_iso, optional_date
from app.records.errors import Ambiguous, InvalidValue, NotFound
from app.records.lookup import pick
from app.records.models import Person
from app.vault.binder import Binder


def _row_to_person(row: tuple[int, str, str | None]) -> Person:
    return Person(id=row[0], name=row[1], born=row[2])


def add_person(binder: Binder, name: str, born: str | None = None) -> Person:
    clean = " ".join(name.split())
    if not clean:
        raise InvalidValue("A person needs a name.")
    try:
        born_iso = optional_date(born)
    except ValueError as exc:
        raise InvalidValue(str(exc)) from None
    now = now_iso()
    with binder.transaction() as db:
        cursor = db.execute(
            "INSERT INTO people (name, born, created, updated) VALUES (?, ?, ?, ?)",
            [clean, born_iso, now, now],
        )
        person_id = int(cursor.lastrowid or 0)
    return Person(person_id, clean, born_iso)


def list_people(binder: Binder) -> list[Person]:
    rows = binder.db.execute("SELECT id, name, born FROM people ORDER BY name COLLATE NOCASE, id")
    return [_row_to_person(r) for r in rows]


def get_person(binder: Binder, person_id: int) -> Person:
    row = binder.db.execute(
        "SELECT id, name, born FROM people WHERE id = ?", [person_id]
    ).fetchone()
    if row is None:
        raise NotFound(f"There is no person with id {person_id}.")
    return _row_to_person(row)


def find_person(binder: Binder, name_or_id: str | None) -> Person:
    """The person meant by a name (case-insensitive) or an id.

    With no name, the binder's only person; with several people, the caller must say which.
    """
    people = list_people(binder)
    if name_or_id is None:
        if len(people) == 1:
            return people[0]
        if not people:
            raise NotFound("This binder has no person yet. Add one first (person add NAME).")
        names = ", ".join(p.name for p in people)
        raise Ambiguous(f"This binder holds several people ({names}). Say which one.")
    return pick(people, name_or_id, f"No person called {name_or_id!r} is in this binder.")
