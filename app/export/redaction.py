"""Leaving out what a doctor need not see: insurance ids, social security or national id
numbers, addresses, and notes the user picks.

"Addresses" means the street addresses of the person and their family, wherever they are
written (a note, a question, a title). The places care happens stay, one rule everywhere:
a hospital's or a doctor's name, a visit's place, the care team's own addresses and any
city are what the second-opinion doctor needs to read the records.

The choice is applied once, to the `Facts` snapshot every sheet, the README, the FHIR
summary and the calendar read (`redact_facts`), so no sheet can forget it. Masked values
read `[withheld]`. Original files are never edited: they go into a bundle whole or not at
all. No Qt here: the CLI and the tests use it too.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from app.records.date_display import shown_date

WITHHELD = "[withheld]"

# Numbers that identify a person to the state. Bare shapes only where they cannot be a date
# or a phone number; the others only after words that name them ("SSN: 123456789").
_BARE = (
    r"\b\d{3}-\d{2}-\d{4}\b",  # US social security number, 123-45-6789
    r"\b\d{3} \d{2} \d{4}\b",
    r"\b[A-CEGHJ-PR-TW-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b",  # UK National Insurance
    r"\b[12] ?\d{2} ?(?:0[1-9]|1[0-2]) ?\d{2} ?\d{3} ?\d{3} ?\d{2}\b",  # French NIR
)
_NAMED = (
    r"(?i:\b(?:SSN|SSA|SIN|NINO|NI|BSN|NHS|social security|social insurance|national insurance|"
    r"national id(?:entity)?|personal id(?:entity)?|personnummer|steuer-?id|codice fiscale)"
    r"(?:\s+(?:number|no\.?|nr\.?|#))?\s*[:#]?\s*)"
    r"((?:[A-Za-z]{1,2} ?)?[0-9][0-9 .\-/]{4,18}[0-9A-Za-z]\b)"
)
ID_NUMBER = re.compile("|".join(f"(?:{p})" for p in _BARE))
NAMED_ID_NUMBER = re.compile(_NAMED)
# A street address written in free text: "12 Rue de la Paix", "1200 Elm Street, Apt 4".
STREET = re.compile(
    r"\b\d{1,5}[A-Za-z]?,?\s+(?:(?i:rue|avenue|boulevard|chemin|via|calle)\s+(?:[\w'\u2019-]+\s?){1,4}"
    r"|(?:[A-Z][\w'\u2019-]*\s+){1,4}(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|"
    r"Dr|Court|Ct|Way|Place|Pl|Terrace|Close|Crescent|Square|Sq|Highway|Hwy|Parkway|Pkwy)\b\.?)"
    r"(?:,?\s*(?:Apt|Apartment|Suite|Unit|Flat)\.?\s*\w+)?"
)


@dataclass(frozen=True)
class Redaction:
    """What to leave out. `notes`: keys from `note_choices` ("medication:3",
    "dose-change:7", "appointment:2", "doctor:4", "opinion:1")."""

    insurance_ids: bool = False
    id_numbers: bool = False
    addresses: bool = False
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def anything(self) -> bool:
        return self.insurance_ids or self.id_numbers or self.addresses or bool(self.notes)

    def to_json(self) -> dict[str, Any]:
        return {
            "insurance_ids": self.insurance_ids,
            "id_numbers": self.id_numbers,
            "addresses": self.addresses,
            "notes": list(self.notes),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Redaction:
        data = data or {}
        return cls(
            insurance_ids=bool(data.get("insurance_ids")),
            id_numbers=bool(data.get("id_numbers")),
            addresses=bool(data.get("addresses")),
            notes=tuple(str(n) for n in data.get("notes") or ()),
        )

    def words(self) -> str:
        """In plain words, for the log and the dialogs."""
        parts = []
        if self.insurance_ids:
            parts.append("insurance numbers")
        if self.id_numbers:
            parts.append("social security and ID numbers")
        if self.addresses:
            parts.append("addresses")
        if self.notes:
            parts.append(f"{len(self.notes)} note{'s' if len(self.notes) != 1 else ''}")
        return ", ".join(parts) if parts else "nothing"


def mask_id_numbers(text: str) -> str:
    text = NAMED_ID_NUMBER.sub(lambda m: m.group(0)[: m.start(1) - m.start(0)] + WITHHELD, text)
    return ID_NUMBER.sub(WITHHELD, text)


@dataclass(frozen=True)
class NoteChoice:
    key: str
    label: str  # where the note is, in plain words
    text: str


def note_choices(facts: Any) -> list[NoteChoice]:
    """Every note in the snapshot that could reach a generated file, for the user to pick."""
    found: list[NoteChoice] = []
    for med in facts.medications:
        if med.notes.strip():
            found.append(NoteChoice(f"medication:{med.id}", f"Note on {med.name}", med.notes))
        for change in med.changes:
            if change.note.strip():
                label = f"Note on the {med.name} dose change of {shown_date(change.changed_on)}"
                found.append(NoteChoice(f"dose-change:{change.id}", label, change.note))
    for appointment in facts.appointments:
        if appointment.notes.strip():
            when = shown_date(appointment.local_start.date())
            label = f"Note on the appointment of {when}"
            found.append(NoteChoice(f"appointment:{appointment.id}", label, appointment.notes))
    for doctor in facts.doctors:
        if doctor.notes.strip():
            label = f"Note on {doctor.name}"
            found.append(NoteChoice(f"doctor:{doctor.id}", label, doctor.notes))
    seen: set[int] = set()
    for opinion in (facts.diagnosis, facts.stage, facts.plan):
        notes = getattr(opinion, "notes", "") if opinion is not None else ""
        if opinion is not None and opinion.id not in seen and notes.strip():
            seen.add(opinion.id)
            label = f"Note on the opinion of {opinion.doctor or 'a doctor'}"
            found.append(NoteChoice(f"opinion:{opinion.id}", label, notes))
    return found


T = TypeVar("T")


def street_addresses(text: str, places: Iterable[str] = ()) -> list[str]:
    """The street addresses written in `text`, less those of the places where care happens
    (`places`: the care team's addresses, the visits' places)."""
    kept = [_squash(p) for p in places if p.strip()]
    return [
        m.group(0) for m in STREET.finditer(text) if not any(_squash(m.group(0)) in p for p in kept)
    ]


def _squash(text: str) -> str:
    return "".join(text.split()).casefold()


def care_places(facts: Any) -> list[str]:
    """Where care happens, as the binder knows it: never withheld as an address."""
    return [d.address for d in facts.doctors] + [a.location for a in facts.appointments]


class _Masker:
    def __init__(
        self, redaction: Redaction, literals: Iterable[str], places: Iterable[str] = ()
    ) -> None:
        self.redaction = redaction
        self.places = tuple(places)
        # Longest first, so a value is not half-replaced by a shorter one inside it.
        self.literals = sorted({v.strip() for v in literals if len(v.strip()) >= 3}, key=len)[::-1]

    def text(self, value: str) -> str:
        for literal in self.literals:
            if literal in value:
                value = value.replace(literal, WITHHELD)
        if self.redaction.id_numbers:
            value = mask_id_numbers(value)
        if self.redaction.addresses:
            for address in street_addresses(value, self.places):
                value = value.replace(address, WITHHELD)
        return value

    def walk(self, value: T) -> T:
        """Every string inside `value` (dataclasses, tuples, lists) passed through `text`."""
        if isinstance(value, str):
            return self.text(value)  # type: ignore[return-value]
        if isinstance(value, tuple):
            return tuple(self.walk(v) for v in value)  # type: ignore[return-value]
        if isinstance(value, list):
            return [self.walk(v) for v in value]  # type: ignore[return-value]
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            changes = {}
            for f in dataclasses.fields(value):
                if not f.init:
                    continue
                old = getattr(value, f.name)
                # Keep identifiers, enums, dates and numbers as they are.
                if isinstance(old, str) and type(old) is not str:
                    continue
                new = self.walk(old)
                if new is not old and new != old:
                    changes[f.name] = new
            return dataclasses.replace(value, **changes) if changes else value
        return value


def _masked_fields(obj: T, names: Iterable[str]) -> T:
    changes = {n: WITHHELD for n in names if str(getattr(obj, n) or "").strip()}
    return dataclasses.replace(obj, **changes) if changes else obj  # type: ignore[type-var]


def _without_notes(item: T, key: str, chosen: set[str], attribute: str = "notes") -> T:
    return _masked_fields(item, [attribute]) if key in chosen else item


INSURANCE_IDS = ("member_id", "group_id", "authorization_number")


def redact_facts(facts: T, redaction: Redaction | None) -> T:
    """A copy of `facts` with the chosen values replaced by `[withheld]`, wherever they
    appear: in their own fields and inside any other text of the snapshot."""
    if redaction is None or not redaction.anything:
        return facts
    f: Any = facts
    literals: list[str] = []
    chosen = set(redaction.notes)
    insurance = f.insurance
    if redaction.insurance_ids:
        literals += [getattr(insurance, n) for n in INSURANCE_IDS]
        insurance = _masked_fields(insurance, INSURANCE_IDS)
    doctors = list(f.doctors)
    appointments = list(f.appointments)
    places = care_places(f) if redaction.addresses else []
    literals += [n.text for n in note_choices(f) if n.key in chosen]
    doctors = [_without_notes(d, f"doctor:{d.id}", chosen) for d in doctors]
    appointments = [_without_notes(a, f"appointment:{a.id}", chosen) for a in appointments]
    medications = []
    for med in f.medications:
        changes = tuple(
            _without_notes(c, f"dose-change:{c.id}", chosen, "note") for c in med.changes
        )
        med = _without_notes(med, f"medication:{med.id}", chosen)
        medications.append(dataclasses.replace(med, changes=changes))

    def opinion(o: Any) -> Any:
        return _without_notes(o, f"opinion:{o.id}", chosen) if o is not None else None

    doctor = next((d for d in doctors if f.doctor and d.id == f.doctor.id), f.doctor)
    visit = next((a for a in appointments if f.visit and a.id == f.visit.id), f.visit)
    # The records' own descriptions are masked as `redact_documents` masks them, not walked.
    documents = tuple(redact_documents(list(f.documents), redaction))
    replaced = dataclasses.replace(
        f,
        documents=(),
        insurance=insurance,
        doctors=tuple(doctors),
        appointments=tuple(appointments),
        medications=tuple(medications),
        doctor=doctor,
        visit=visit,
        diagnosis=opinion(f.diagnosis),
        stage=opinion(f.stage),
        plan=opinion(f.plan),
    )
    walked = _Masker(redaction, literals, places).walk(replaced)
    return dataclasses.replace(walked, documents=documents)


def redact_more(raw_facts: Any, redaction: Redaction | None, value: T) -> T:
    """`value` (an appointment, a doctor, questions, documents...) read apart from the
    snapshot, masked as `redact_facts(raw_facts, redaction)` masks the snapshot."""
    if redaction is None or not redaction.anything:
        return value
    masked = redact_facts(raw_facts, redaction)
    literals: list[str] = []
    if redaction.insurance_ids:
        literals += [getattr(raw_facts.insurance, n) for n in INSURANCE_IDS]
    literals += [n.text for n in note_choices(raw_facts) if n.key in set(redaction.notes)]
    places = care_places(raw_facts) if redaction.addresses else []
    known = {(type(x).__name__, x.id): x for x in (*masked.doctors, *masked.appointments)}

    def swap(item: Any) -> Any:
        if isinstance(item, (list, tuple)):
            return type(item)(swap(x) for x in item)
        key = (type(item).__name__, getattr(item, "id", None))
        return known.get(key, item)

    return _Masker(redaction, literals, places).walk(swap(value))


def redact_documents(documents: list[T], redaction: Redaction | None) -> list[T]:
    """The records' own descriptions (title, facility, notes) with the same masking; the
    files themselves are untouched. A record's facility is a place of care: kept."""
    if redaction is None or not (redaction.id_numbers or redaction.addresses):
        return documents
    masker = _Masker(redaction, [], [str(getattr(d, "facility", "")) for d in documents])
    return [masker.walk(d) for d in documents]
