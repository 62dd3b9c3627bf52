"""Allergies and intolerances: what the person reacts to, and how."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from app.ingest.codes import NO_KNOWN_ALLERGY, SNOMED
from app.records import clinical
from app.records.coded import Code
from app.records.errors import InvalidValue
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


# "No known allergies" is a row of its own, as the International Patient Summary records it:
# then the doctor can tell "none" from "never asked".
NO_KNOWN_NAME = "No known allergies"
# The IPS "no known ..." codes a portal file may use (drug, environmental, food allergies).
_NO_KNOWN_CODES = frozenset({"716186003", "409137002", "428607008", "429625007"})
# Names a portal or a person gives such a row: "No known allergies", "NKA", "N.K.D.A."...
_NO_KNOWN_WORDS = re.compile(r"no known (drug |food )?allerg(y|ies)|nkd?a")


def is_no_known(allergy: Allergy) -> bool:
    """True for a row that says there are no known allergies, by its code or its name."""
    if any(c.system == SNOMED and c.code in _NO_KNOWN_CODES for c in allergy.codes):
        return True
    return _no_known_name(allergy.name)


def _no_known_name(name: str) -> bool:
    words = " ".join(re.sub(r"[^a-z ]", "", name.lower()).split())
    return _NO_KNOWN_WORDS.fullmatch(words) is not None


def _refuse_with(real: list[Allergy]) -> InvalidValue:
    names = ", ".join(a.name for a in real)
    return InvalidValue(
        f"Allergies are recorded ({names}), so “no known allergies” cannot be. "
        "Remove them first if they were a mistake."
    )


def record_no_known_allergies(binder: Binder, person_id: int, noted: str | None = None) -> Allergy:
    """Record that the person has no known allergies (noted today unless `noted` says when).
    Refused while real allergies are recorded; when already recorded, that row is returned."""
    with binder.transaction():
        rows = list_allergies(binder, person_id)
        real = [a for a in rows if not is_no_known(a)]
        if real:
            raise _refuse_with(real)
        if rows:
            return rows[0]
        values = _values("", "", noted or date.today().isoformat(), "active", "")
        return _TABLE.add(binder, person_id, NO_KNOWN_NAME, (NO_KNOWN_ALLERGY,), None, values)


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
    with binder.transaction() as db:
        rows = list_allergies(binder, person_id)
        no_known = [a for a in rows if is_no_known(a)]
        if is_no_known(_unsaved(name, codes)):
            # A portal file's "NKA": refused beside real allergies, and not recorded twice.
            real = [a for a in rows if not is_no_known(a)]
            if real:
                raise _refuse_with(real)
            if no_known:
                raise InvalidValue("“No known allergies” is already recorded.")
        else:
            # A real allergy takes the place of "no known allergies": they contradict.
            for row in no_known:
                db.execute("DELETE FROM allergies WHERE id = ?", [row.id])
        return _TABLE.add(binder, person_id, name, codes, source_document_id, values)


def _unsaved(name: str, codes: tuple[Code, ...]) -> Allergy:
    """A row not yet stored, only to ask is_no_known about it."""
    return Allergy(0, 0, name, "", "", tuple(codes), None, "", "", None)


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
    takes them; the codes and the document it came from stay. A "no known allergies" row
    cannot be renamed into an allergy, nor an allergy into one: remove and add instead."""
    values = _values(reaction, severity, noted, status, notes)
    now = get_allergy(binder, allergy_id)
    renamed = " ".join(name.split()).lower() != now.name.lower()
    if is_no_known(now) and renamed and not _no_known_name(name):
        raise InvalidValue(
            "This says there are no known allergies. Remove it, then add the allergy."
        )
    if not is_no_known(now) and _no_known_name(name):
        raise InvalidValue("To say there are no known allergies, remove the allergies first.")
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
