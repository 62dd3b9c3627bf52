"""The treatment summary: the story of a cancer on one or two pages, in the shape oncologists
use for treatment and survivorship summaries (the ASCO templates are the reference point).

`prefill` reads what the binder already knows and says where each value came from:

- diagnosis (site, histology, date) from the earliest pathology report's text and date,
- biomarkers and genetic results from the pathology reports (and lab results),
- stage from the latest opinion that states one, else from a report that states it,
- surgeries from operative reports (date, title, author or linked doctor, facility),
- systemic therapy from cancer medicines and their dose changes,
- radiation from a document whose text states a dose in Gy and a number of fractions,
- side effects from the medicines' side effects and dose-change notes,
- the current plan from the latest opinion's recommendation, else the latest plan document.

The patterns are simple on purpose: they take what a report says in plain words and never
guess (docs/treatment-summary.md lists what they find and what they miss). The user confirms
or corrects each value; only those decisions are stored (table treatment_summary_fields),
so `treatment_summary` always starts from a fresh prefill, keeps what the user confirmed or
corrected, and refreshes the rest.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from app.ingest.kinds import DocumentKind
from app.records.care_team import get_doctor
from app.records.date_display import shown_date
from app.records.date_input import parse_typed_date
from app.records.dates import now_iso, parse_partial_date
from app.records.documents import document_text, list_documents
from app.records.doses import dose_words
from app.records.errors import InvalidValue, NotFound
from app.records.medications import Medication, list_medications
from app.records.models import Document
from app.records.opinions import Opinion, list_opinions
from app.vault.binder import Binder


class FieldState(StrEnum):
    EMPTY = "empty"  # nothing found, nothing said by the user
    FOUND = "found"  # prefilled from the records, not yet checked
    CONFIRMED = "confirmed"  # the user said the value is right
    CORRECTED = "corrected"  # the user wrote the value

    @property
    def words(self) -> str:
        return {
            "empty": "Not found in the records",
            "found": "Found in the records, not checked yet",
            "confirmed": "Checked by you",
            "corrected": "Written by you",
        }[self.value]


@dataclass(frozen=True)
class Source:
    kind: str  # "document", "medication", "opinion" or "doctor"
    id: int
    label: str  # "Pathology report, 18 Sep 2026"


@dataclass(frozen=True)
class SummaryField:
    key: str  # "diagnosis.site", "surgery.d12.date", "radiation.u1.dose"
    label: str
    value: str  # what is shown and printed
    found: str  # what the records say now ("" when nothing)
    state: FieldState
    sources: tuple[Source, ...] = ()
    is_date: bool = False

    @property
    def records_changed(self) -> bool:
        """The user confirmed a value and the records now say something else."""
        return self.state is FieldState.CONFIRMED and self.found != self.value and bool(self.found)


@dataclass(frozen=True)
class SummaryRow:
    key: str  # "diagnosis" for a section of one row, "surgery.d12" for a repeating one
    fields: tuple[SummaryField, ...]
    added_by_user: bool = False

    def get(self, name: str) -> SummaryField:
        return next(f for f in self.fields if f.key.rsplit(".", 1)[1] == name)

    def value(self, name: str) -> str:
        return self.get(name).value

    @property
    def is_empty(self) -> bool:
        return not any(f.value for f in self.fields)


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    rows: tuple[SummaryRow, ...]
    repeating: bool
    empty_text: str  # said plainly where the section has nothing

    @property
    def is_empty(self) -> bool:
        return all(row.is_empty for row in self.rows)


@dataclass(frozen=True)
class TreatmentSummary:
    person_id: int
    sections: tuple[Section, ...]
    hidden: tuple[str, ...] = ()  # row keys the user took out ("systemic.m4")

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)

    def fields(self) -> Iterator[SummaryField]:
        for section in self.sections:
            for row in section.rows:
                yield from row.fields

    def field(self, key: str) -> SummaryField:
        for found in self.fields():
            if found.key == key:
                return found
        raise NotFound(
            f"The treatment summary has no field {key!r}. See `carebinder summary show`."
        )

    def value(self, key: str) -> str:
        return self.field(key).value


# The shape of the summary: section -> (title, repeating, fields (name, label, is a date)).
_F = tuple[tuple[str, str, bool], ...]
SHAPE: tuple[tuple[str, str, bool, _F, str], ...] = (
    ("diagnosis", "Diagnosis", False,
     (("site", "Site", False), ("histology", "Histology (type of cancer)", False),
      ("date", "Date of diagnosis", True)),
     "No diagnosis is recorded yet."),
    ("symptom", "First symptom", False,
     (("what", "What was noticed", False), ("date", "When", True)),
     "No first symptom is recorded."),
    ("stage", "Stage", False,
     (("stage", "Stage", False), ("how", "How it was determined", False)),
     "No stage is recorded yet."),
    ("biomarkers", "Biomarkers and genetic results", False,
     (("results", "Results", False),),
     "No biomarker or genetic result is recorded."),
    ("surgery", "Surgeries", True,
     (("date", "Date", True), ("procedure", "Procedure", False), ("surgeon", "Surgeon", False),
      ("institution", "Institution", False)),
     "No surgery is recorded."),
    ("systemic", "Chemotherapy and other cancer medicines", True,
     (("drug", "Medicine", False), ("regimen", "Regimen or purpose", False),
      ("doses", "Doses", False), ("cycles", "Cycles", False), ("start", "Started", True),
      ("end", "Ended", True), ("reason", "Reason stopped", False)),
     "No chemotherapy or other cancer medicine is recorded."),
    ("radiation", "Radiation", True,
     (("site", "Site", False), ("dose", "Total dose", False), ("fractions", "Fractions", False),
      ("start", "Started", True), ("end", "Ended", True)),
     "No radiation is recorded."),
    ("side_effects", "Side effects and complications", False,
     (("text", "Side effects", False),),
     "No side effect or complication is recorded."),
    ("plan", "Current plan", False,
     (("text", "Plan", False),),
     "No current plan is recorded."),
)  # fmt: skip
SECTION_KEYS = tuple(s[0] for s in SHAPE)
_SHAPE = {s[0]: s for s in SHAPE}


# -- finding values in text ---------------------------------------------------------------------

_HISTOLOGY = re.compile(
    r"\b((?:invasive |infiltrating )?(?:ductal|lobular|mucinous|papillary|serous|clear cell|"
    r"squamous cell|small cell|non-small cell|large cell|basal cell|urothelial|"
    r"hepatocellular|renal cell|transitional cell)?\s?"
    r"(?:carcinoma in situ|carcinoma|adenocarcinoma)|melanoma|(?:[a-z-]+ )?lymphoma|"
    r"(?:[a-z-]+ )?sarcoma|glioblastoma|(?:[a-z-]+ )?leukemia|myeloma|mesothelioma|seminoma)\b",
    re.IGNORECASE,
)
_GRADE = re.compile(
    r"\b((?:Nottingham |Gleason |FIGO |histologic )?grade\s+(?:[1-4]|I{1,3}V?)\b|"
    r"(?:well|moderately|poorly) differentiated)",
    re.IGNORECASE,
)
_ORGANS = (
    "breast", "lung", "colon", "rectum", "sigmoid colon", "cecum", "prostate", "pancreas",
    "ovary", "uterus", "endometrium", "cervix", "bladder", "kidney", "liver", "stomach",
    "esophagus", "thyroid", "skin", "brain", "bone", "lymph node", "tongue", "larynx",
    "testis", "bone marrow",
)  # fmt: skip
_ORGAN = re.compile(
    r"\b((?:left |right )?(?:upper |lower |middle )?(?:lobe of the )?(?:"
    + "|".join(sorted(_ORGANS, key=len, reverse=True))
    + r"))\b",
    re.IGNORECASE,
)
_DIAGNOSIS_PART = re.compile(
    r"(?:final diagnosis|diagnosis|impression)\s*[:\-]?\s*(.+)", re.IGNORECASE | re.DOTALL
)
_PAREN = r"(?:\s*\([^)]{1,30}\))?"  # "(95%, strong)", "(IHC 1+)"
_BIOMARKERS = (
    r"(?:estrogen receptor|\bER\b)\s*(?:\(ER\))?\s*[:\-]?\s*(?:positive|negative)" + _PAREN,
    r"(?:progesterone receptor|\bPR\b)\s*(?:\(PR\))?\s*[:\-]?\s*(?:positive|negative)" + _PAREN,
    r"\bHER-?2(?:/neu)?\s*[:\-]?\s*(?:positive|negative|equivocal|low)(?:\s*\([^)]{1,30}\))?",
    r"\bKi-?67\s*[:\-]?\s*(?:of\s+)?(?:about\s+|approximately\s+|~\s*)?\d{1,3}\s*%",
    r"\bPD-?L1\b[^.;\n]{0,40}?\d{1,3}\s*%",
    r"\b(?:mismatch repair|MMR)\b[^.;\n]{0,60}?\b(?:proficient|deficient|intact|lost)\b",
    r"\bMSI-?(?:H|high|L|low|stable)\b|\bmicrosatellite (?:stable|instability[- ]high)\b",
    r"\b(?:KRAS|NRAS|BRAF|EGFR|ALK|ROS1|BRCA1|BRCA2|PIK3CA|TP53|IDH1|HER2)\b"
    r"(?:\s+[A-Z]\d+[A-Z])?\s*[:\-]?\s*(?:mutation\s+)?"
    r"(?:wild[- ]type|not detected|detected|mutated|mutation detected|positive|negative)",
    r"\b(?:Oncotype DX|MammaPrint|recurrence score)\b[^.;\n]{0,30}?\d{1,3}\b",
    r"\bPSA\s*[:\-]?\s*(?:of\s+)?\d+(?:\.\d+)?\s*ng/mL",
)  # fmt: skip
_BIOMARKER = re.compile("|".join(f"(?:{b})" for b in _BIOMARKERS), re.IGNORECASE)
_STAGE = re.compile(
    r"\b(?:(clinical|pathologic(?:al)?|anatomic|prognostic)\s+)?stage\s+"
    r"(0|I{1,3}V?|IV|[1-4])([A-C]\d?)?\b",
    re.IGNORECASE,
)
_TNM = re.compile(
    r"\b((?:[cpy]{1,2})?T(?:[0-4]|is|x)[a-d]?\s*(?:[cpy]{1,2})?N(?:[0-3]|x)[a-c]?"
    r"(?:\s*(?:[cp])?M[01x][a-c]?)?)\b"
)
_AJCC = re.compile(r"\bAJCC\s+(?:\d+(?:st|nd|rd|th)\s+edition|\d+(?:st|nd|rd|th)?)", re.IGNORECASE)
_RADIATION = re.compile(
    r"(\d{1,3}(?:\.\d{1,2})?)\s*Gy\s*(?:in|over|/|,)\s*(\d{1,2})\s*(?:fractions|fx|treatments)",
    re.IGNORECASE,
)
_RADIATION_SITE = re.compile(
    r"(?:(?:treatment )?site\s*[:\-]\s*([A-Za-z][A-Za-z ,-]{2,40}?)(?:[.;\n]|$)|"
    r"fractions\s+to\s+the\s+([A-Za-z][A-Za-z -]{2,40}?)"
    r"(?:[.;,(\n]|\s+(?:from|with|between|and|on)\b|$))",
    re.IGNORECASE,
)
_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ("january", "february", "march", "april", "may", "june", "july", "august",
         "september", "october", "november", "december")
    )
}  # fmt: skip
_MONTH_WORD = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_TEXT_DATE = (
    r"\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4}|"
    rf"{_MONTH_WORD}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH_WORD}\s+\d{{4}}"
)
_SPAN = re.compile(
    rf"(?:from|between|started(?: on)?|start(?:ed)?\s*[:\-]?)\s*({_TEXT_DATE})\s*"
    rf"(?:to|and|through|until|-|\u2013|, completed(?: on)?|; completed(?: on)?)\s*({_TEXT_DATE})",
    re.IGNORECASE,
)
# A plan section: its heading on a line of its own or before a colon, its text up to the
# next heading in capitals, a blank line, or the end.
_PLAN = re.compile(
    r"(?:^|\n)[ \t]*(?i:planned treatment|treatment plan|recommendations?|plan)[ \t]*(?::|\n)"
    r"\s*(.+?)(?=\n[ \t]*[A-Z][A-Z0-9 ,/&()-]{2,}\n|\n\s*\n|\Z)",
    re.DOTALL,
)
_STOP_REASON = re.compile(
    r"\bstop(?:ped)?\b[^.;\n]{0,30}?\b(?:because of|due to|for|after)\s+([^.;\n]{3,60})",
    re.IGNORECASE,
)

# Medicines used against cancer, by name; a medicine also counts when its purpose or cycles
# say so. Common drugs only: the user adds or hides rows for the rest.
CANCER_MEDICINES = frozenset(
    """abemaciclib anastrozole atezolizumab bevacizumab bicalutamide bleomycin bortezomib
    capecitabine carboplatin cetuximab cisplatin cyclophosphamide cytarabine dacarbazine
    daunorubicin docetaxel doxorubicin durvalumab enzalutamide epirubicin erlotinib
    etoposide exemestane fluorouracil 5-fu fulvestrant gemcitabine goserelin ibrutinib
    ifosfamide imatinib ipilimumab irinotecan lapatinib lenalidomide letrozole leucovorin
    leuprolide methotrexate nivolumab olaparib osimertinib oxaliplatin paclitaxel
    nab-paclitaxel palbociclib panitumumab pembrolizumab pemetrexed pertuzumab ribociclib
    rituximab tamoxifen temozolomide trastuzumab vinblastine vincristine vinorelbine
    abiraterone degarelix sunitinib sorafenib cabozantinib lenvatinib regorafenib
    sacituzumab enhertu folfox folfiri capox xelox""".split()  # noqa: SIM905
)
_CANCER_PURPOSE = re.compile(
    r"\b(cancer|chemo\w*|tumou?r|oncolog\w*|carcinoma|lymphoma|leukemia|myeloma|sarcoma|"
    r"melanoma|immunotherapy|targeted therapy|hormone therapy|endocrine therapy|"
    r"anti-?hormonal|metasta\w*|adjuvant|neoadjuvant)\b",
    re.IGNORECASE,
)


def text_date(text: str) -> str | None:
    """ "March 7, 2022", "7 Mar 2022", "03/07/2022" (US order) or "2022-03-07" as ISO."""
    cleaned = text.strip().rstrip(".").replace(",", " ")
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", cleaned):
            return parse_partial_date(cleaned)
        if match := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", cleaned):
            numbers = [int(g) for g in match.groups()]
            return date(numbers[2], numbers[0], numbers[1]).isoformat()
        words = cleaned.replace(".", " ").split()
        if len(words) == 3:
            if words[0].isdigit():
                day_text, month_text, year_text = words
            else:
                month_text, day_text, year_text = words
            month: int | None = next(
                (n for name, n in _MONTHS.items() if name.startswith(month_text.lower()[:3])),
                None,
            )
            if month is not None:
                return date(int(year_text), month, int(day_text)).isoformat()
    except ValueError:
        return None
    return None


def _one_line(text: str) -> str:
    return " ".join(text.split())


def find_histology(text: str) -> str:
    """The type of cancer as the report names it, with its grade when stated nearby."""
    part = _diagnosis_part(text)
    match = _HISTOLOGY.search(part) or _HISTOLOGY.search(text)
    if not match:
        return ""
    found = _one_line(match.group(1))
    found = found[0].upper() + found[1:]
    grade = _GRADE.search(part[match.end() : match.end() + 120] if part else "")
    return f"{found}, {_one_line(grade.group(1))}" if grade else found


def find_site(text: str) -> str:
    part = _diagnosis_part(text)
    match = _ORGAN.search(part) or _ORGAN.search(text)
    if not match:
        return ""
    site = _one_line(match.group(1))
    return site[0].upper() + site[1:]


def _diagnosis_part(text: str) -> str:
    """The report's diagnosis section when it has one (the findings above it describe)."""
    matches = list(_DIAGNOSIS_PART.finditer(text))
    for match in matches:
        if "final" in match.group(0)[:6].lower():
            return match.group(1)[:600]
    return matches[-1].group(1)[:600] if matches else ""


def find_biomarkers(text: str) -> list[str]:
    found: list[str] = []
    seen: set[str] = set()
    for match in _BIOMARKER.finditer(text):
        value = _one_line(match.group(0))
        if value.casefold() not in seen:
            seen.add(value.casefold())
            found.append(value)
    return found


def find_stage(text: str) -> tuple[str, str]:
    """(stage, how it was determined) as a report states them, or ("", "")."""
    stage = _STAGE.search(text)
    tnm = _TNM.search(text)
    if not stage and not tnm:
        return "", ""
    parts = []
    if stage:
        parts.append(f"Stage {stage.group(2).upper()}{(stage.group(3) or '').upper()}")
    if tnm:
        parts.append(_one_line(tnm.group(1)))
    value = " (".join(parts) + (")" if len(parts) == 2 else "")
    how = []
    kind = (stage.group(1) or "").lower() if stage else ""
    prefix = tnm.group(1)[:2].lower() if tnm else ""
    if kind.startswith("pathologic") or prefix.startswith(("p", "yp")):
        how.append("Pathological staging (from the surgery specimen)")
    elif kind == "clinical" or prefix.startswith("c"):
        how.append("Clinical staging (from examination, imaging and biopsy)")
    if ajcc := _AJCC.search(text):
        how.append(f"per the {_one_line(ajcc.group(0))}")
    return value, ", ".join(how)


def find_radiation(text: str) -> dict[str, str] | None:
    """Dose, fractions, site and dates of a radiation course a report states, or None."""
    match = _RADIATION.search(text)
    if not match:
        return None
    course = {"dose": f"{match.group(1)} Gy", "fractions": match.group(2), "site": "",
              "start": "", "end": ""}  # fmt: skip
    near = text[max(0, match.start() - 300) : match.end() + 300]
    if site := _RADIATION_SITE.search(near):
        course["site"] = _one_line(site.group(1) or site.group(2)).strip(" ,-")
        course["site"] = course["site"][0].upper() + course["site"][1:]
    if span := _SPAN.search(near) or _SPAN.search(text):
        course["start"] = text_date(span.group(1)) or ""
        course["end"] = text_date(span.group(2)) or ""
    return course


def is_cancer_medicine(med: Medication) -> bool:
    words = {w.strip(",.()").lower() for w in med.name.replace("/", " ").split()}
    if words & CANCER_MEDICINES:
        return True
    return bool(med.cycles.strip()) or bool(_CANCER_PURPOSE.search(f"{med.purpose} {med.notes}"))


# -- prefill ------------------------------------------------------------------------------------


def short_date(iso: str | None) -> str:
    """The one way dates are shown (`shown_date`), "undated" when there is none."""
    return shown_date(iso, "undated")


def _doc_source(doc: Document) -> Source:
    # "Insurance letter" needs no "Insurance:" before it.
    named = doc.named
    return Source("document", doc.id, f"{named}, {short_date(doc.date)}")


def _med_source(med: Medication) -> Source:
    return Source("medication", med.id, f"Medication: {med.name}")


def _opinion_source(opinion: Opinion) -> Source:
    return Source("opinion", opinion.id, f"Opinion of {opinion.heading}")


class _Texts(dict[int, str]):
    """Document texts, read from the binder the first time each is asked for."""

    def __init__(self, binder: Binder) -> None:
        super().__init__()
        self.binder = binder

    def __missing__(self, doc_id: int) -> str:
        text = document_text(self.binder, doc_id)
        self[doc_id] = text
        return text


# Where a radiation course given is written down; a treatment plan only plans one, and lab
# results, scans, medication lists and insurance letters do not give one.
_RADIATION_KINDS = (
    DocumentKind.CONSULT_LETTER,
    DocumentKind.DISCHARGE_SUMMARY,
    DocumentKind.OPERATIVE,
    DocumentKind.OTHER,
)

_Found = dict[str, tuple[str, tuple[Source, ...]]]  # field key -> (value, sources)


def _dose_history(med: Medication) -> str:
    first = dose_words(med.dose, med.how_often) or "dose not recorded"
    lines = [f"{first} from {short_date(med.start_date)}" if med.start_date else first]
    for change in med.changes:
        dose = dose_words(change.dose, change.how_often)
        note = f" ({change.note})" if change.note else ""
        lines.append(f"{dose} from {short_date(change.changed_on)}{note}")
    return "; ".join(lines)


def _prefill_values(binder: Binder, person_id: int) -> tuple[_Found, list[str]]:
    """Field key -> (value, sources), and the order of the prefilled repeating rows."""
    found: _Found = {}
    rows: list[str] = []
    docs = sorted(list_documents(binder, person_id), key=lambda d: (d.date or "9999", d.id))
    texts = _Texts(binder)  # read only the reports a rule looks at
    pathology = [d for d in docs if d.kind is DocumentKind.PATHOLOGY]
    opinions = list_opinions(binder, person_id)

    # Diagnosis: the earliest pathology report that names a cancer.
    for doc in pathology:
        histology = find_histology(texts[doc.id])
        if histology:
            src = (_doc_source(doc),)
            found["diagnosis.histology"] = (histology, src)
            if site := find_site(texts[doc.id]):
                found["diagnosis.site"] = (site, src)
            if doc.date:
                found["diagnosis.date"] = (doc.date, src)
            break
    if "diagnosis.histology" not in found:
        stated = [o for o in opinions if o.diagnosis.strip()]
        if stated:
            found["diagnosis.histology"] = (stated[-1].diagnosis, (_opinion_source(stated[-1]),))

    # Biomarkers from every pathology report and lab result, in date order.
    results: list[str] = []
    sources: list[Source] = []
    for doc in docs:
        if doc.kind not in (DocumentKind.PATHOLOGY, DocumentKind.LAB_RESULT):
            continue
        new = [b for b in find_biomarkers(texts[doc.id]) if b not in results]
        if new:
            results += new
            sources.append(_doc_source(doc))
    if results:
        found["biomarkers.results"] = ("; ".join(results), tuple(sources))

    # Stage: what a doctor stated in an opinion, else what a report states.
    staged = [o for o in opinions if o.stage.strip()]
    if staged:
        opinion = staged[-1]
        value, how = find_stage(f"{opinion.stage} {opinion.test_reading}")
        src = (_opinion_source(opinion),)
        found["stage.stage"] = (opinion.stage, src)
        said = f"as stated by {opinion.doctor or 'a doctor'}"
        found["stage.how"] = (f"{how}, {said}" if how else said[0].upper() + said[1:], src)
    else:
        kinds = (DocumentKind.PATHOLOGY, DocumentKind.CONSULT_LETTER,
                 DocumentKind.TREATMENT_PLAN, DocumentKind.DISCHARGE_SUMMARY)  # fmt: skip
        for doc in reversed(docs):
            if doc.kind not in kinds:
                continue
            value, how = find_stage(texts[doc.id])
            if value:
                found["stage.stage"] = (value, (_doc_source(doc),))
                if how:
                    found["stage.how"] = (how, (_doc_source(doc),))
                break

    # Surgeries: one row per operative report.
    for doc in docs:
        if doc.kind is not DocumentKind.OPERATIVE:
            continue
        row = f"surgery.d{doc.id}"
        rows.append(row)
        src = (_doc_source(doc),)
        doctor = get_doctor(binder, doc.doctor_id) if doc.doctor_id else None
        dsrc = (*src, Source("doctor", doctor.id, f"Care team: {doctor.name}")) if doctor else src
        if doc.date:
            found[f"{row}.date"] = (doc.date, src)
        found[f"{row}.procedure"] = (doc.title, src)
        surgeon = doc.author or (doctor.name if doctor else "")
        if surgeon:
            found[f"{row}.surgeon"] = (surgeon, src if doc.author else dsrc)
        institution = doc.facility or (doctor.institution if doctor else "")
        if institution:
            found[f"{row}.institution"] = (institution, src if doc.facility else dsrc)

    # Systemic therapy: one row per cancer medicine, with every dose change.
    effects: list[str] = []
    effect_sources: list[Source] = []
    for med in list_medications(binder, person_id):
        if not is_cancer_medicine(med):
            continue
        row = f"systemic.m{med.id}"
        rows.append(row)
        src = (_med_source(med),)
        found[f"{row}.drug"] = (med.name, src)
        if med.purpose:
            found[f"{row}.regimen"] = (med.purpose, src)
        found[f"{row}.doses"] = (_dose_history(med), src)
        if med.cycles:
            found[f"{row}.cycles"] = (med.cycles, src)
        if med.start_date:
            found[f"{row}.start"] = (med.start_date, src)
        if med.stop_date:
            found[f"{row}.end"] = (med.stop_date, src)
            reason = _STOP_REASON.search(med.notes)
            if reason:
                found[f"{row}.reason"] = (reason.group(1).strip(), src)
        noted = [med.side_effects.strip()] if med.side_effects.strip() else []
        noted += [f"{c.note} ({short_date(c.changed_on)})" for c in med.changes if c.note.strip()]
        if noted:
            effects.append(f"{med.name}: {'; '.join(noted)}")
            effect_sources.append(src[0])
    if effects:
        found["side_effects.text"] = (". ".join(effects), tuple(effect_sources))

    # Radiation: one row per document stating a dose and fractions (the latest of the same
    # course: a completion summary repeats the plan). Treatment plans only plan it.
    courses: dict[tuple[str, str], tuple[Document, dict[str, str]]] = {}
    for doc in docs:
        if doc.kind not in _RADIATION_KINDS:
            continue
        course = find_radiation(texts[doc.id])
        if course:
            courses[(course["dose"], course["fractions"])] = (doc, course)
    for doc, course in sorted(courses.values(), key=lambda dc: (dc[0].date or "", dc[0].id)):
        row = f"radiation.d{doc.id}"
        rows.append(row)
        src = (_doc_source(doc),)
        if not course["end"] and doc.date:
            course["end"] = doc.date  # a radiation summary is written when the course ends
        for name, value in course.items():
            if value:
                found[f"{row}.{name}"] = (value, src)

    # The current plan: the latest recommendation, else the latest plan document.
    recommended = [o for o in opinions if o.recommendation.strip()]
    plans = [d for d in docs if d.kind is DocumentKind.TREATMENT_PLAN]
    if recommended:
        opinion = recommended[-1]
        found["plan.text"] = (opinion.recommendation, (_opinion_source(opinion),))
    elif plans:
        doc = plans[-1]
        match = _PLAN.search(texts[doc.id])
        body = _one_line(match.group(1))[:500] if match else ""
        words = f"See “{doc.title}” of {short_date(doc.date)}"
        found["plan.text"] = (f"{body} ({words})" if body else words, (_doc_source(doc),))
    return found, rows


# -- merging with what the user said -----------------------------------------------------------


def _stored(binder: Binder, person_id: int) -> dict[str, tuple[str, str, str]]:
    rows = binder.db.execute(
        "SELECT field, state, value, found FROM treatment_summary_fields WHERE person_id = ?",
        [person_id],
    )
    return {row[0]: (row[1], row[2], row[3]) for row in rows}


def _build(
    person_id: int,
    found: _Found,
    prefilled_rows: list[str],
    stored: dict[str, tuple[str, str, str]],
) -> TreatmentSummary:
    hidden = tuple(sorted(k for k, (state, _, _) in stored.items() if state == "hidden"))
    added = [k for k, (state, _, _) in stored.items() if state == "added"]
    sections = []
    for key, title, repeating, names, empty_text in SHAPE:
        if repeating:
            row_keys = [r for r in prefilled_rows if r.startswith(f"{key}.") and r not in hidden]
            row_keys += sorted((r for r in added if r.startswith(f"{key}.")), key=_row_number)
        else:
            row_keys = [key]
        rows = []
        for row_key in row_keys:
            fields = []
            for name, label, is_date in names:
                field_key = f"{row_key}.{name}"
                value, sources = found.get(field_key, ("", ()))
                state = FieldState.FOUND if value else FieldState.EMPTY
                shown = value
                if field_key in stored:
                    kind, said, _ = stored[field_key]
                    state = FieldState(kind) if kind in ("confirmed", "corrected") else state
                    shown = said
                fields.append(SummaryField(field_key, label, shown, value, state, sources, is_date))
            rows.append(SummaryRow(row_key, tuple(fields), row_key in added))
        sections.append(Section(key, title, tuple(rows), repeating, empty_text))
    return TreatmentSummary(person_id, tuple(sections), hidden)


def _row_number(row_key: str) -> int:
    tail = row_key.rsplit(".", 1)[1]
    return int(tail[1:]) if tail[1:].isdigit() else 0


def prefill(binder: Binder, person_id: int) -> TreatmentSummary:
    """The summary as the records alone give it (no confirmation or correction applied)."""
    found, rows = _prefill_values(binder, person_id)
    return _build(person_id, found, rows, {})


def treatment_summary(binder: Binder, person_id: int) -> TreatmentSummary:
    """A fresh prefill with the user's confirmations and corrections kept: what was
    confirmed or corrected stays as the user said; everything else follows the records."""
    found, rows = _prefill_values(binder, person_id)
    return _build(person_id, found, rows, _stored(binder, person_id))


# -- the user's decisions -------------------------------------------------------------------------


def _known_field(binder: Binder, person_id: int, key: str) -> SummaryField:
    summary = treatment_summary(binder, person_id)
    try:
        return summary.field(key)
    except NotFound:
        raise InvalidValue(
            f"The treatment summary has no field {key!r}. "
            "`carebinder summary show` lists the fields."
        ) from None


def _save(binder: Binder, person_id: int, key: str, state: str, value: str, found: str) -> None:
    with binder.transaction() as db:
        db.execute(
            "INSERT INTO treatment_summary_fields (person_id, field, state, value, found, "
            "updated) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (person_id, field) DO UPDATE SET "
            "state = excluded.state, value = excluded.value, found = excluded.found, "
            "updated = excluded.updated",
            [person_id, key, state, value, found, now_iso()],
        )


def set_field(binder: Binder, person_id: int, key: str, value: str) -> SummaryField:
    """The user's own value for a field (kept over whatever the records say later)."""
    current = _known_field(binder, person_id, key)
    cleaned = value.strip()
    if current.is_date and cleaned:
        try:
            cleaned = parse_typed_date(cleaned) or ""
        except ValueError as exc:
            raise InvalidValue(f"{current.label}: {exc}") from None
    _save(binder, person_id, key, "corrected", cleaned, current.found)
    return treatment_summary(binder, person_id).field(key)


def confirm_field(binder: Binder, person_id: int, key: str) -> SummaryField:
    """The user checked the value found in the records: keep it as it is now."""
    current = _known_field(binder, person_id, key)
    if not current.value:
        raise InvalidValue(
            f"“{current.label}” is empty: there is nothing to confirm. Write the value instead."
        )
    _save(binder, person_id, key, "confirmed", current.value, current.found)
    return treatment_summary(binder, person_id).field(key)


def reset_field(binder: Binder, person_id: int, key: str) -> SummaryField:
    """Forget the user's decision: the field follows the records again."""
    _known_field(binder, person_id, key)
    with binder.transaction() as db:
        db.execute(
            "DELETE FROM treatment_summary_fields WHERE person_id = ? AND field = ?",
            [person_id, key],
        )
    return treatment_summary(binder, person_id).field(key)


def add_row(binder: Binder, person_id: int, section: str) -> SummaryRow:
    """A surgery, medicine or radiation course the records do not show, written by the user."""
    if section not in SECTION_KEYS or not _SHAPE[section][2]:
        repeating = ", ".join(s[0] for s in SHAPE if s[2])
        raise InvalidValue(f"Rows can be added to {repeating}, not to {section!r}.")
    used = [
        _row_number(k)
        for k in _stored(binder, person_id)
        if k.startswith(f"{section}.u") and k.count(".") == 1
    ]
    key = f"{section}.u{max(used, default=0) + 1}"
    _save(binder, person_id, key, "added", "", "")
    summary = treatment_summary(binder, person_id)
    return next(r for r in summary.section(section).rows if r.key == key)


def remove_row(binder: Binder, person_id: int, row_key: str) -> None:
    """Take a row out of the summary: a row the user added is deleted; a row found in the
    records is hidden (a medicine that is not cancer treatment, say) until shown again."""
    section = row_key.split(".", 1)[0]
    if section not in SECTION_KEYS or not _SHAPE[section][2] or row_key.count(".") != 1:
        raise InvalidValue(f"{row_key!r} is not a row of the treatment summary.")
    summary = treatment_summary(binder, person_id)
    row = next((r for r in summary.section(section).rows if r.key == row_key), None)
    if row is None:
        raise InvalidValue(f"The treatment summary has no row {row_key!r}.")
    with binder.transaction() as db:
        db.execute(
            "DELETE FROM treatment_summary_fields WHERE person_id = ? AND "
            "(field = ? OR field LIKE ?)",
            [person_id, row_key, f"{row_key}.%"],
        )
    if not row.added_by_user:
        _save(binder, person_id, row_key, "hidden", "", "")


def show_row(binder: Binder, person_id: int, row_key: str) -> None:
    """Bring back a row found in the records that the user had taken out."""
    with binder.transaction() as db:
        db.execute(
            "DELETE FROM treatment_summary_fields WHERE person_id = ? AND field = ? "
            "AND state = 'hidden'",
            [person_id, row_key],
        )


__all__ = [
    "FieldState",
    "Section",
    "Source",
    "SummaryField",
    "SummaryRow",
    "TreatmentSummary",
    "add_row",
    "confirm_field",
    "prefill",
    "remove_row",
    "reset_field",
    "set_field",
    "show_row",
    "treatment_summary",
]
