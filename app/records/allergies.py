"""Allergies and intolerances: what the person reacts to, and how."""

from __future__ import annotations

from dataclasses import dataclass

from app.records import clinical
from app.records.coded import Code
from app.vault.binder import Binder


@dataclass(frozen=True)
class Allergy(clinical.CodedRow):
    id: int
    person_id: int
    name: str  # the substance: "Penicillin G"
    reaction: str
    severity: str
    codes: tuple[Code, ...]
    noted_date: str | None
    status: str
    notes: str
    source_document_id: int | None


_TABLE = clinical.Table("allergies", Allergy, "allergy", "name COLLATE NOCASE")


def add_allergy(
    binder: Binder,
    person_id: int,
    name: str,
    reaction: str = "",
    severity: str = "",
    noted: str | None = None,
    status: str = "",
    codes: tuple[Code, ...] = (),
    notes: str = "",
    source_document_id: int | None = None,
) -> Allergy:
    values = {
        "reaction": reaction,
        "severity": severity,
        "noted_date": clinical.clean_date(noted, "Date noted"),
        "status": status,
        "notes": notes,
    }
    return _TABLE.add(binder, person_id, name, codes, source_document_id, values)


# Read, list and delete are the same for every coded list.
get_allergy = _TABLE.get
list_allergies = _TABLE.of_person
delete_allergy = _TABLE.delete
