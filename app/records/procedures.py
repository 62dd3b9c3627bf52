"""Procedures and surgeries: what was done, when, and by whom."""

from __future__ import annotations

from dataclasses import dataclass

from app.records import clinical
from app.records.coded import Code
from app.vault.binder import Binder


@dataclass(frozen=True)
class Procedure(clinical.CodedRow):
    id: int
    person_id: int
    name: str
    codes: tuple[Code, ...]
    performed_date: str | None
    performer: str
    facility: str
    notes: str
    source_document_id: int | None


_TABLE = clinical.Table(
    "procedures",
    Procedure,
    "procedure",
    "performed_date IS NULL, performed_date, name COLLATE NOCASE",
)


def add_procedure(
    binder: Binder,
    person_id: int,
    name: str,
    performed: str | None = None,
    performer: str = "",
    facility: str = "",
    codes: tuple[Code, ...] = (),
    notes: str = "",
    source_document_id: int | None = None,
) -> Procedure:
    values = {
        "performed_date": clinical.clean_date(performed, "Date"),
        "performer": performer,
        "facility": facility,
        "notes": notes,
    }
    return _TABLE.add(binder, person_id, name, codes, source_document_id, values)


# Read, list and delete are the same for every coded list.
get_procedure = _TABLE.get
list_procedures = _TABLE.of_person
delete_procedure = _TABLE.delete
