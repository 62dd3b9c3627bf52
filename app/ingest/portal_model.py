"""What a patient-portal file holds, as one plain tree (no database, no Qt).

Every parser (portal_cda, portal_fhir, portal_bluebutton) fills a `PortalRecord`; the
records layer compares it with the binder and brings in what the person ticks. Dates are
ISO text of the precision the file gave ("2012-08-06", "2012-08", "2012"); an encounter may
carry a time with its offset ("2012-08-06T10:30:00-05:00").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date as _date

from app.ingest.codes import Code

# A patient key for files that hold one person only.
ONLY = ""


@dataclass(frozen=True)
class PortalMedication:
    name: str
    dose: str = ""
    how_often: str = ""
    route: str = ""
    start: str | None = None
    stop: str | None = None
    status: str = ""
    prescriber: str = ""
    purpose: str = ""
    codes: tuple[Code, ...] = ()
    patient: str = ONLY


@dataclass(frozen=True)
class PortalCondition:
    name: str
    onset: str | None = None
    resolved: str | None = None
    status: str = ""
    codes: tuple[Code, ...] = ()
    patient: str = ONLY


@dataclass(frozen=True)
class PortalAllergy:
    name: str
    reaction: str = ""
    severity: str = ""
    noted: str | None = None
    status: str = ""
    codes: tuple[Code, ...] = ()
    patient: str = ONLY


@dataclass(frozen=True)
class PortalProcedure:
    name: str
    date: str | None = None
    performer: str = ""
    facility: str = ""
    codes: tuple[Code, ...] = ()
    patient: str = ONLY


@dataclass(frozen=True)
class PortalEncounter:
    date: str  # a day, or a day and time with its offset
    doctor: str = ""
    facility: str = ""
    purpose: str = ""
    status: str = "done"  # done, planned or cancelled
    codes: tuple[Code, ...] = ()
    patient: str = ONLY


@dataclass(frozen=True)
class PortalClinician:
    name: str
    specialty: str = ""
    role: str = ""
    institution: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    patient: str = ONLY


@dataclass(frozen=True)
class PortalResult:
    name: str
    value: str = ""
    unit: str = ""
    reference_range: str = ""
    interpretation: str = ""
    date: str | None = None
    codes: tuple[Code, ...] = ()
    patient: str = ONLY


@dataclass(frozen=True)
class PortalDocument:
    title: str
    media_type: str
    data: bytes = field(repr=False)
    date: str | None = None
    patient: str = ONLY

    @property
    def file_name(self) -> str:
        from app.ingest.sniff import extension_for

        stem = re.sub(r"[^\w .-]+", " ", self.title).strip()[:80] or "document"
        when = f" {self.date[:10]}" if self.date else ""
        return f"{stem}{when}{extension_for(self.media_type)}"


@dataclass(frozen=True)
class PortalPatient:
    key: str
    name: str
    born: str | None = None


@dataclass
class PortalRecord:
    """Everything read from one portal file (or one bulk export folder)."""

    format: str  # in words: "C-CDA document", "FHIR bundle", "Blue Button text"...
    title: str = ""
    patients: list[PortalPatient] = field(default_factory=list)
    medications: list[PortalMedication] = field(default_factory=list)
    conditions: list[PortalCondition] = field(default_factory=list)
    allergies: list[PortalAllergy] = field(default_factory=list)
    procedures: list[PortalProcedure] = field(default_factory=list)
    encounters: list[PortalEncounter] = field(default_factory=list)
    care_team: list[PortalClinician] = field(default_factory=list)
    results: list[PortalResult] = field(default_factory=list)
    documents: list[PortalDocument] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what was left out, and why
    # The file's own lines per patient (FHIR ndjson) to keep when the file holds several people.
    raw_by_patient: dict[str, list[str]] = field(default_factory=dict)
    from_several: bool = False  # narrowed to one person of a file that holds several

    GROUPS = (
        "medications",
        "conditions",
        "allergies",
        "procedures",
        "encounters",
        "care_team",
        "results",
        "documents",
    )

    def count(self) -> int:
        return sum(len(getattr(self, group)) for group in self.GROUPS)

    def for_patient(self, key: str) -> PortalRecord:
        """Only what belongs to one of the people in a file that holds several."""
        picked = replace(self, patients=[p for p in self.patients if p.key == key])
        for group in self.GROUPS:
            items = [i for i in getattr(self, group) if i.patient in (key, ONLY)]
            setattr(picked, group, items)
        picked.raw_by_patient = {key: self.raw_by_patient.get(key, [])}
        picked.from_several = True
        return picked


GROUP_LABELS = {
    "medications": "Medications",
    "conditions": "Problems and diagnoses",
    "allergies": "Allergies",
    "procedures": "Procedures and surgeries",
    "encounters": "Past visits",
    "care_team": "Care team",
    "results": "Test results",
    "documents": "Documents",
}

_SEMANTIC_TAG = re.compile(
    r"\s*\((disorder|finding|situation|procedure|morphologic abnormality|substance|"
    r"regime/therapy|observable entity|qualifier value|event|person)\)\s*$",
    re.I,
)


def plain(text: str | None, limit: int = 300) -> str:
    """Whitespace squeezed, SNOMED's "(disorder)" tag dropped: the name a person reads."""
    squeezed = " ".join(re.sub(r"[\u200b-\u200d\ufeff]", "", text or "").split())
    return _SEMANTIC_TAG.sub("", squeezed)[:limit]


def iso_date(value: str | None) -> str | None:
    """ "2012-08-06T10:30:00-05:00" -> "2012-08-06"; partial dates kept; junk -> None."""
    if not value:
        return None
    match = re.match(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value.strip())
    if not match:
        return None
    year, month, day = match.groups()
    try:  # a month 30 (seen in a real example file) is no date at all
        _date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return None
    return "-".join(p for p in (year, month, day) if p)


def merge_team(people: list[PortalClinician]) -> list[PortalClinician]:
    """One entry per person (a document names its author in several places)."""
    merged: dict[tuple[str, str], PortalClinician] = {}
    for person in people:
        key = (person_key(person.name), person.patient)
        known = merged.get(key)
        if known is None:
            merged[key] = person
            continue
        filled = {
            f: getattr(person, f)
            for f in ("specialty", "role", "institution", "phone", "email", "address")
            if not getattr(known, f) and getattr(person, f)
        }
        merged[key] = replace(known, **filled)
    return list(merged.values())


_TITLES = re.compile(r"\b(dr|md|m\.d|do|rn|np|pa|phd|mbbs|frcp)\b\.?", re.I)


def person_key(name: str) -> str:
    """A doctor's name for matching: no titles, no punctuation, any word order, no case.
    "Dr. Henry Seven", "SEVEN, HENRY" and "Henry Seven MD" are the same person."""
    words = re.sub(r"[^\w\s]", " ", _TITLES.sub(" ", name.lower())).split()
    words = [re.sub(r"\d+$", "", w) for w in words]  # Synthea's "Olevia458"
    return " ".join(sorted(w for w in words if w))
