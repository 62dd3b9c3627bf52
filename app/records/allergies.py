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


def _values(
    reaction: str, severity: str, noted: str | None, status: str, notes: str
) -> dict[str, str | None]:
    return {
        "reaction": reaction,
        "severity": severity,
        "noted_date": clinical.clean_date(noted, "Date noted"),
        "status": status,
        "notes": notes,
    }


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
    values = _values(reaction, severity, noted, status, notes)
    return _TABLE.add(binder, person_id, name, codes, source_document_id, values)


def update_allergy(
    binder: Binder,
    allergy_id: int,
    name: str,
    reaction: str = "",
    severity: str = "",
    noted: str | None = None,
    status: str = "",
    notes: str = "",
) -> Allergy:
    """Every value given replaces the one stored (an empty one clears it), as add_allergy
    takes them; the codes and the document it came from stay."""
    values = _values(reaction, severity, noted, status, notes)
    return _TABLE.update(binder, allergy_id, name, values)


# Read, list and delete are the same for every coded list.
get_allergy = _TABLE.get
list_allergies = _TABLE.of_person
delete_allergy = _TABLE.delete


# How bad, in the words the window and the command line offer; stored as the word itself
# ("" for not sure). A portal file may say something else ("Severe", "high"): that is kept.
SEVERITIES = ("mild", "moderate", "severe")
NOT_SURE = "not sure"


def severity_word(severity: str) -> str:
    """The plain choice a stored severity falls under: mild, moderate, severe or not sure."""
    word = severity.strip().lower()
    return word if word in SEVERITIES else NOT_SURE


def allergy_words(allergy: Allergy) -> str:
    """The name with what happens and how bad, when known: "Penicillin (rash, severe)"."""
    details = [d for d in (allergy.reaction, allergy.severity.lower()) if d]
    return f"{allergy.name} ({', '.join(details)})" if details else allergy.name
