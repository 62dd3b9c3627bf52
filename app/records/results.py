"""Test results (a blood count, a tumour marker...): the value as the lab gave it, as text."""

from __future__ import annotations

from dataclasses import dataclass

from app.records import clinical
from app.records.coded import Code
from app.vault.binder import Binder


@dataclass(frozen=True)
class Result(clinical.CodedRow):
    id: int
    person_id: int
    name: str
    value: str
    unit: str
    reference_range: str
    interpretation: str
    taken_date: str | None
    codes: tuple[Code, ...]
    notes: str
    source_document_id: int | None


_TABLE = clinical.Table(
    "results", Result, "result", "taken_date IS NULL, taken_date, name COLLATE NOCASE"
)


def add_result(
    binder: Binder,
    person_id: int,
    name: str,
    value: str = "",
    unit: str = "",
    taken: str | None = None,
    reference_range: str = "",
    interpretation: str = "",
    codes: tuple[Code, ...] = (),
    notes: str = "",
    source_document_id: int | None = None,
) -> Result:
    values = {
        "value": value,
        "unit": unit,
        "reference_range": reference_range,
        "interpretation": interpretation,
        "taken_date": clinical.clean_date(taken, "Date taken"),
        "notes": notes,
    }
    return _TABLE.add(binder, person_id, name, codes, source_document_id, values)


# Read, list and delete are the same for every coded list.
get_result = _TABLE.get
list_results = _TABLE.of_person
delete_result = _TABLE.delete
