"""The person's insurance: what a second opinion needs to be paid for."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from app.records.dates import now_iso
from app.records.errors import InvalidValue
from app.vault.binder import Binder

ANSWERS = ("yes", "no", "unknown")
_TEXT = ("plan", "member_id", "group_id", "phone", "authorization_number", "notes")
_ANSWERED = ("second_opinion_covered", "referral_needed", "in_network")


@dataclass(frozen=True)
class Insurance:
    person_id: int
    plan: str = ""
    member_id: str = ""
    group_id: str = ""
    phone: str = ""
    second_opinion_covered: str = "unknown"
    referral_needed: str = "unknown"
    authorization_number: str = ""
    in_network: str = "unknown"
    notes: str = ""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


_COLUMNS = ("person_id", *_TEXT[:4], _ANSWERED[0], _ANSWERED[1], _TEXT[4], _ANSWERED[2], "notes")


def get_insurance(binder: Binder, person_id: int) -> Insurance:
    """The person's insurance (all "unknown" until the person fills it in)."""
    row = binder.db.execute(
        f"SELECT {', '.join(_COLUMNS)} FROM insurance WHERE person_id = ? ORDER BY id LIMIT 1",
        [person_id],
    ).fetchone()
    return Insurance(*row) if row else Insurance(person_id)


def save_insurance(binder: Binder, person_id: int, **facts: str) -> Insurance:
    unknown = set(facts) - set(_TEXT) - set(_ANSWERED)
    if unknown:
        raise InvalidValue(f"Unknown insurance facts: {', '.join(sorted(unknown))}.")
    for key in _ANSWERED:
        if key in facts and facts[key] not in ANSWERS:
            raise InvalidValue(f"{key.replace('_', ' ')} is yes, no or unknown.")
    values = {key: str(value).strip() for key, value in facts.items()}
    now = now_iso()
    with binder.transaction() as db:
        exists = db.execute(
            "SELECT id FROM insurance WHERE person_id = ? ORDER BY id LIMIT 1", [person_id]
        ).fetchone()
        if exists:
            if values:
                assignments = ", ".join(f"{k} = ?" for k in values)
                db.execute(
                    f"UPDATE insurance SET {assignments}, updated = ? WHERE id = ?",
                    [*values.values(), now, exists[0]],
                )
        else:
            columns = ["person_id", *values, "created", "updated"]
            db.execute(
                f"INSERT INTO insurance ({', '.join(columns)}) "
                f"VALUES ({', '.join('?' * len(columns))})",
                [person_id, *values.values(), now, now],
            )
    return get_insurance(binder, person_id)
