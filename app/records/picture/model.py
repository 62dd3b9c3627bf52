"""The clinical picture's shape: what it holds for each cancer and for the treatment, the
state of each value, where each value came from, and the plain words every consumer uses to
say it ("Invasive ductal carcinoma of the left breast, stage IIA").

No database and no reading here: `app.records.picture` builds a `ClinicalPicture` from the
records and the user's decisions; the Overview, the sheets, the FHIR summary, the checklist
and the timeline only read it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

from app.records.date_display import shown_date
from app.records.errors import NotFound


class FieldState(StrEnum):
    EMPTY = "empty"  # nothing found, nothing said by the user
    FOUND = "found"  # found in the records, not yet checked
    CONFLICT = "conflict"  # two records disagree: the user settles it
    CONFIRMED = "confirmed"  # the user said the value is right (or chose one of a conflict)
    CORRECTED = "corrected"  # the user wrote a value over what the records say
    TYPED = "typed"  # the user wrote a value the records do not give

    @property
    def words(self) -> str:
        return {
            "empty": "Not found in the records",
            "found": "Found in the records, not checked yet",
            "conflict": "The records disagree: choose the right one",
            "confirmed": "Checked by you",
            "corrected": "Corrected by you",
            "typed": "Written by you",
        }[self.value]

    @property
    def checked(self) -> bool:
        return self in (FieldState.CONFIRMED, FieldState.CORRECTED, FieldState.TYPED)

    @property
    def by_user(self) -> bool:
        """The value shown is the user's own words."""
        return self in (FieldState.CORRECTED, FieldState.TYPED)


@dataclass(frozen=True)
class Source:
    kind: str  # "document", "medication", "opinion", "procedure" or "doctor"
    id: int
    label: str  # "Pathology report: left breast core biopsy, 18 Sep 2026"
    title: str = ""  # the document's (or medicine's...) own title
    date: str | None = None  # its date, partial ISO


@dataclass(frozen=True)
class Candidate:
    """One value the records give for a field, and every record that gives it."""

    value: str
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class PictureField:
    key: str  # "diagnosis.site", "stage2.pathologic_t", "biomarker.er", "surgery.d12.date"
    label: str
    value: str  # what is shown and printed ("" while a conflict is not settled)
    found: str  # what the records say now ("" when nothing, or when they disagree)
    state: FieldState
    sources: tuple[Source, ...] = ()
    is_date: bool = False
    candidates: tuple[Candidate, ...] = ()  # every distinct value the records give
    records_changed: bool = False  # checked by the user, and the records now say otherwise

    @property
    def name(self) -> str:
        """The last part of the key: "site", "pathologic_t", "er"."""
        return self.key.rsplit(".", 1)[1]

    @property
    def in_conflict(self) -> bool:
        return self.state is FieldState.CONFLICT


@dataclass(frozen=True)
class PictureRow:
    key: str  # "diagnosis", "biomarker2" for a section of one row; "surgery.d12" repeating
    fields: tuple[PictureField, ...]
    added_by_user: bool = False

    def get(self, name: str) -> PictureField:
        found = next((f for f in self.fields if f.name == name), None)
        if found is None:
            raise NotFound(f"No field {name!r} in {self.key!r}.")
        return found

    def value(self, name: str) -> str:
        found = next((f for f in self.fields if f.name == name), None)
        return found.value if found else ""

    @property
    def is_empty(self) -> bool:
        return not any(f.value or f.in_conflict for f in self.fields)


@dataclass(frozen=True)
class Section:
    key: str  # "diagnosis", "stage2", "biomarkers", "surgery"...
    title: str
    rows: tuple[PictureRow, ...]
    repeating: bool
    empty_text: str  # said plainly where the section has nothing

    @property
    def is_empty(self) -> bool:
        return all(row.is_empty for row in self.rows)


@dataclass(frozen=True)
class ClinicalPicture:
    """One person's cancer (or cancers) and treatment, each value with its sources and
    state. `numbers`: the diagnoses it shows (1 always, maybe empty; 2 for a second
    primary cancer, whose keys are "diagnosis2.site", "stage2.group", "biomarker2.er")."""

    person_id: int
    sections: tuple[Section, ...]
    hidden: tuple[str, ...] = ()  # row keys the user took out ("systemic.m4", "diagnosis2")
    numbers: tuple[int, ...] = (1,)

    def section(self, key: str) -> Section:
        found = next((s for s in self.sections if s.key == key), None)
        if found is None:
            raise NotFound(f"The clinical picture has no section {key!r}.")
        return found

    def has_section(self, key: str) -> bool:
        return any(s.key == key for s in self.sections)

    def fields(self) -> Iterator[PictureField]:
        for section in self.sections:
            for row in section.rows:
                yield from row.fields

    def get(self, key: str) -> PictureField | None:
        return next((f for f in self.fields() if f.key == key), None)

    def field(self, key: str) -> PictureField:
        found = self.get(key)
        if found is None:
            raise NotFound(
                f"The treatment summary has no field {key!r}. See `carebinder summary show`."
            )
        return found

    def value(self, key: str) -> str:
        found = self.get(key)
        return found.value if found else ""

    def conflicts(self) -> list[PictureField]:
        return [f for f in self.fields() if f.in_conflict]

    def diagnosis(self, number: int = 1) -> Diagnosis:
        return Diagnosis(self, number)

    def cancers(self) -> list[Diagnosis]:
        """Each cancer the picture names (main one first); none when nothing is known."""
        return [d for d in (Diagnosis(self, n) for n in self.numbers) if not d.is_empty]


# -- the shape ------------------------------------------------------------------------------------

_Names = tuple[tuple[str, str, bool], ...]  # (name, label, is a date)

DIAGNOSIS_FIELDS: _Names = (
    ("site", "Site", False), ("laterality", "Side", False),
    ("histology", "Histology (type of cancer)", False), ("grade", "Grade", False),
    ("grade_system", "Grading system", False), ("date", "Date of diagnosis", True),
    ("size", "Tumour size", False), ("margins", "Margins", False),
    ("lymph_nodes", "Lymph nodes", False), ("lvi", "Lymphovascular invasion", False),
)  # fmt: skip
STAGE_FIELDS: _Names = (
    ("group", "Stage", False), ("clinical_t", "Clinical T (tumour)", False),
    ("clinical_n", "Clinical N (nodes)", False), ("clinical_m", "Clinical M (spread)", False),
    ("pathologic_t", "Pathological T (tumour)", False),
    ("pathologic_n", "Pathological N (nodes)", False),
    ("pathologic_m", "Pathological M (spread)", False),
    ("ajcc_edition", "AJCC edition", False), ("note", "Notes on the stage", False),
)  # fmt: skip
# Biomarkers by the reader's key, in the order a doctor reads them; others follow by name.
BIOMARKERS: dict[str, str] = {
    "er": "Estrogen receptor (ER)", "pr": "Progesterone receptor (PR)", "her2": "HER2",
    "ki67": "Ki-67", "mmr": "Mismatch repair (MMR)", "msi": "Microsatellite instability (MSI)",
    "pdl1": "PD-L1", "mgmt": "MGMT", "egfr": "EGFR", "alk": "ALK", "ros1": "ROS1",
    "kras": "KRAS", "nras": "NRAS", "braf": "BRAF", "brca1": "BRCA1", "brca2": "BRCA2",
    "pik3ca": "PIK3CA", "idh1": "IDH1", "idh2": "IDH2", "1p19q": "1p/19q codeletion",
    "tp53": "TP53", "psa": "PSA", "oncotype": "Oncotype DX recurrence score",
    "other": "Other results",
}  # fmt: skip
BIOMARKER_NAME = re.compile(r"[a-z0-9][a-z0-9_]{0,23}")

SURGERY_FIELDS: _Names = (
    ("date", "Date", True), ("procedure", "Procedure", False), ("surgeon", "Surgeon", False),
    ("institution", "Institution", False),
)  # fmt: skip
SYSTEMIC_FIELDS: _Names = (
    ("drug", "Medicine", False), ("regimen", "Regimen or purpose", False),
    ("doses", "Doses", False), ("cycles", "Cycles", False), ("start", "Started", True),
    ("end", "Ended", True), ("reason", "Reason stopped", False),
)  # fmt: skip
RADIATION_FIELDS: _Names = (
    ("site", "Site", False), ("dose", "Total dose", False), ("fractions", "Fractions", False),
    ("start", "Started", True), ("end", "Ended", True),
)  # fmt: skip

# Sections after the cancer diagnoses: key -> (title, repeating, fields, said when empty).
TREATMENT_SHAPE: tuple[tuple[str, str, bool, _Names, str], ...] = (
    ("symptom", "First symptom", False,
     (("what", "What was noticed", False), ("date", "When", True)),
     "No first symptom is recorded."),
    ("surgery", "Surgeries", True, SURGERY_FIELDS, "No surgery is recorded."),
    ("systemic", "Chemotherapy and other cancer medicines", True, SYSTEMIC_FIELDS,
     "No chemotherapy or other cancer medicine is recorded."),
    ("radiation", "Radiation", True, RADIATION_FIELDS, "No radiation is recorded."),
    ("side_effects", "Side effects and complications", False,
     (("text", "Side effects", False),), "No side effect or complication is recorded."),
    ("plan", "Current plan", False, (("text", "Plan", False),), "No current plan is recorded."),
)  # fmt: skip
REPEATING = ("surgery", "systemic", "radiation")
ORDINALS = ("", "", "second", "third", "fourth", "fifth", "sixth")


def group_key(base: str, number: int) -> str:
    """ "diagnosis", 1 -> "diagnosis"; "stage", 2 -> "stage2" (a second primary cancer)."""
    return base if number == 1 else f"{base}{number}"


def split_group(row_key: str) -> tuple[str, int]:
    """ "biomarker2" -> ("biomarker", 2); "diagnosis" -> ("diagnosis", 1)."""
    match = re.fullmatch(r"([a-z_]+?)(\d*)", row_key)
    if not match:
        return row_key, 1
    return match.group(1), int(match.group(2) or 1)


def diagnosis_titles(number: int) -> tuple[str, str, str]:
    """The titles of a diagnosis's three sections: diagnosis, stage, biomarkers."""
    if number == 1:
        return "Diagnosis", "Stage", "Biomarkers and genetic results"
    nth = ORDINALS[number] if number < len(ORDINALS) else f"number {number}"
    return (
        f"Diagnosis: the {nth} cancer",
        f"Stage of the {nth} cancer",
        f"Biomarkers of the {nth} cancer",
    )


def biomarker_label(name: str) -> str:
    return BIOMARKERS.get(name, name.upper().replace("_", " "))


def biomarker_order(name: str) -> tuple[int, str]:
    names = list(BIOMARKERS)
    if name == "other":
        return len(names) + 1, name
    return (names.index(name), name) if name in names else (len(names), name)


# -- plain words -----------------------------------------------------------------------------


def short_date(iso: str | None) -> str:
    """The one way dates are shown (`shown_date`), "undated" when there is none."""
    return shown_date(iso, "undated")


def _lower_first(text: str) -> str:
    """ "Invasive ductal carcinoma" -> "invasive ductal carcinoma"; "HER2" stays."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


_BARE_GRADE = re.compile(r"(?:grade\s*)?([1-4]|I{1,3}|IV)", re.IGNORECASE)


@dataclass(frozen=True)
class Diagnosis:
    """One cancer of the picture, read as a doctor would say it."""

    picture: ClinicalPicture
    number: int

    def _field(self, base: str, name: str) -> PictureField | None:
        return self.picture.get(f"{group_key(base, self.number)}.{name}")

    def value(self, base: str, name: str) -> str:
        found = self._field(base, name)
        return found.value if found else ""

    @property
    def key_fields(self) -> list[PictureField]:
        """The fields the plain sentence is made of."""
        wanted = [("diagnosis", "histology"), ("diagnosis", "site"), ("diagnosis", "laterality"),
                  ("stage", "group")]  # fmt: skip
        return [f for b, n in wanted if (f := self._field(b, n)) and (f.value or f.in_conflict)]

    @property
    def is_empty(self) -> bool:
        return not self.histology and not self.site

    @property
    def histology(self) -> str:
        return self.value("diagnosis", "histology")

    @property
    def site(self) -> str:
        """ "Left breast": the site with its side, when the side is known."""
        site = self.value("diagnosis", "site")
        side = self.value("diagnosis", "laterality")
        if side and site and side.casefold().split()[0] not in site.casefold():
            return f"{_upper_first(side.lower())} {_lower_first(site)}"
        return site

    @property
    def name(self) -> str:
        """ "Invasive ductal carcinoma of the left breast"; "" when nothing is known."""
        histology, site = self.histology, self.site
        if histology and site:
            return f"{_upper_first(histology)} of the {_lower_first(site)}"
        if histology:
            return _upper_first(histology)
        return f"Cancer of the {_lower_first(site)}" if site else ""

    @property
    def grade(self) -> str:
        """ "Nottingham grade 2", "moderately differentiated", "Gleason 3+4=7"."""
        grade = self.value("diagnosis", "grade")
        system = self.value("diagnosis", "grade_system")
        if not grade:
            return ""
        if _BARE_GRADE.fullmatch(grade.strip()):
            number = _BARE_GRADE.fullmatch(grade.strip())
            assert number is not None
            return (
                f"{system} grade {number.group(1)}".strip()
                if system
                else (f"grade {number.group(1)}")
            )
        named = system.casefold() not in ("", "differentiation", "histologic", "histological")
        if named and not set(system.casefold().split()) & set(grade.casefold().split()):
            return f"{grade} ({system})"
        return grade

    @property
    def stage_group(self) -> str:
        """ "stage IIA" (or "" when no stage group is known)."""
        group = self.value("stage", "group")
        if not group:
            return ""
        return group if group.lower().startswith("stage") else f"stage {group}"

    def tnm(self, which: str) -> str:
        """ "cT2 cN0 M0" for which="clinical", "pT2 pN1a" for "pathologic"."""
        parts = [self.value("stage", f"{which}_{x}") for x in ("t", "n", "m")]
        return " ".join(p for p in parts if p)

    @property
    def stage(self) -> str:
        """ "Stage IIA (clinical cT2 cN0 M0; AJCC 8th edition)"; the TNM alone without a
        group; "" when nothing is known."""
        details = []
        for which, word in (("pathologic", "pathological"), ("clinical", "clinical")):
            if tnm := self.tnm(which):
                details.append(f"{word} {tnm}")
        edition = self.value("stage", "ajcc_edition")
        if edition:
            digits = re.sub(r"\D", "", edition)
            details.append(f"AJCC {_ordinal(int(digits))} edition" if digits else edition)
        group = _upper_first(self.stage_group)
        if group:
            return f"{group} ({'; '.join(details)})" if details else group
        if self.tnm("pathologic") or self.tnm("clinical"):
            return _upper_first("; ".join(details))
        return ""

    @property
    def sentence(self) -> str:
        """ "Invasive ductal carcinoma of the left breast, stage IIA"."""
        name = self.name
        if not name:
            return ""
        if self.stage_group:
            return f"{name}, {self.stage_group}"
        tnm = self.tnm("pathologic") or self.tnm("clinical")
        return f"{name}, {tnm}" if tnm else name

    @property
    def check_words(self) -> str:
        """How far the user has checked it: "found in the records, not checked yet"."""
        fields = self.key_fields
        if any(f.in_conflict for f in fields):
            return "the records disagree on part of it: please settle it"
        if not fields or all(f.state.checked for f in fields):
            return "checked by you" if fields else ""
        if any(f.state is FieldState.FOUND for f in fields):
            return "found in the records, not checked yet"
        return "checked by you"

    def biomarkers(self) -> list[PictureField]:
        key = group_key("biomarker", self.number)
        return [f for f in self.picture.fields() if f.key.startswith(f"{key}.") and f.value]


def _ordinal(number: int) -> str:
    if 10 <= number % 100 <= 20:
        return f"{number}th"
    return f"{number}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(number % 10, 'th') }"


_SHORT_NAMES = {"er": "ER", "pr": "PR", "ki67": "Ki-67", "mmr": "MMR", "msi": "MSI",
                "pdl1": "PD-L1", "oncotype": "Oncotype DX"}  # fmt: skip


def biomarker_words(item: PictureField) -> str:
    """ "ER positive (95%, strong)"; "HER2 negative (IHC 1+)"."""
    name = item.name
    short = _SHORT_NAMES.get(name, biomarker_label(name))
    if name == "other":
        return item.value
    return f"{short} {item.value}"


def opinion_words(picture: ClinicalPicture) -> dict[str, str]:
    """The main cancer's diagnosis and stage as the opinions comparison shows them beside
    each doctor's ("diagnosis", "stage"), with how far the user checked them."""
    cancers = picture.cancers()
    if not cancers:
        return {}
    main = cancers[0]
    checked = f" ({main.check_words})" if main.check_words else ""
    named = f"{main.name}, {main.grade}" if main.grade else main.name
    words = {"diagnosis": f"{named}{checked}"}
    if main.stage:
        words["stage"] = main.stage
    return words
