"""Problems and diagnoses, as recorded by a doctor or brought in from a patient portal."""

from __future__ import annotations

from dataclasses import dataclass

from app.records import clinical
from app.records.coded import Code
from app.vault.binder import Binder


@dataclass(frozen=True)
class Condition(clinical.CodedRow):
    id: int
    person_id: int
    name: str
    codes: tuple[Code, ...]
    onset_date: str | None
    resolved_date: str | None
    status: str  # as the source said: active, resolved, inactive... ("" when not said)
    notes: str
    source_document_id: int | None


# A person's conditions are listed by the date each began (unknown dates last), then by name.
_TABLE = clinical.Table(
    "conditions", Condition, "condition", "onset_date IS NULL, onset_date, name COLLATE NOCASE"
)


def add_condition(
    binder: Binder,
    person_id: int,
    name: str,
    onset: str | None = None,
    resolved: str | None = None,
    status: str = "",
    codes: tuple[Code, ...] = (),
    notes: str = "",
    source_document_id: int | None = None,
) -> Condition:
    values = {
        "onset_date": clinical.clean_date(onset, "Date it began"),
        "resolved_date": clinical.clean_date(resolved, "Date it ended"),
        "status": status,
        "notes": notes,
    }
    return _TABLE.add(binder, person_id, name, codes, source_document_id, values)


# Read, list and delete are the same for every coded list.
get_condition = _TABLE.get
list_conditions = _TABLE.of_person
delete_condition = _TABLE.delete
