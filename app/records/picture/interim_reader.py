"""A stand-in for `app.ingest.clinical` (issue 17x) until its first version lands: the same
contract (`read_report`, `ReportReading`, `Finding`, `Certainty`), over the simple patterns
the treatment summary used before. Deleted once the real reader is merged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from app.ingest.kinds import DocumentKind

READER_VERSION = "interim-1"


class Certainty(StrEnum):
    AFFIRMED = "affirmed"
    NEGATED = "negated"
    UNCERTAIN = "uncertain"


@dataclass(frozen=True)
class Finding:
    key: str
    value: str
    start: int
    end: int
    specimen: str = ""
    certainty: Certainty = Certainty.AFFIRMED


@dataclass(frozen=True)
class ReportReading:
    malignant: bool | None
    findings: tuple[Finding, ...]
    candidates: tuple[Finding, ...]

    def get(self, key: str) -> Finding | None:
        return next((f for f in self.findings if f.key == key), None)

    def value(self, key: str) -> str:
        found = self.get(key)
        return found.value if found else ""


_HISTOLOGY = re.compile(
    r"\b((?:invasive |infiltrating )?(?:ductal|lobular|mucinous|papillary|serous|clear cell|"
    r"squamous cell|small cell|non-small cell|large cell|basal cell|urothelial|"
    r"hepatocellular|renal cell|transitional cell)?\s?"
    r"(?:carcinoma in situ|carcinoma|adenocarcinoma)|melanoma|(?:[a-z-]+ )?lymphoma|"
    r"(?:[a-z-]+ )?sarcoma|glioblastoma|(?:[a-z-]+ )?leukemia|myeloma|mesothelioma|seminoma)\b",
    re.IGNORECASE,
)
_BENIGN = re.compile(
    r"\b(?:no (?:evidence of )?(?:malignancy|carcinoma|tumou?r)|benign|"
    r"negative for (?:malignancy|carcinoma))\b",
    re.IGNORECASE,
)
_GRADE = re.compile(
    r"\b(?:(Nottingham|Gleason|FIGO|histologic) )?grade\s+([1-4]|I{1,3}V?)\b|"
    r"\b((?:well|moderately|poorly) differentiated)",
    re.IGNORECASE,
)
_ORGANS = (
    "breast", "lung", "colon", "rectum", "sigmoid colon", "cecum", "prostate", "pancreas",
    "ovary", "uterus", "endometrium", "cervix", "bladder", "kidney", "liver", "stomach",
    "esophagus", "thyroid", "skin", "brain", "bone", "tongue", "larynx", "testis",
)  # fmt: skip
_ORGAN = re.compile(
    r"\b(?:(left|right) )?((?:upper |lower |middle )?(?:lobe of the )?(?:"
    + "|".join(sorted(_ORGANS, key=len, reverse=True))
    + r"))\b",
    re.IGNORECASE,
)
_DIAGNOSIS_PART = re.compile(
    r"(?:final diagnosis|diagnosis|impression)\s*[:\-]?\s*(.+)", re.IGNORECASE | re.DOTALL
)
_PAREN = r"(?:\s*\(([^)]{1,30})\))?"
_MARKERS = (
    ("er", r"(?:estrogen receptor|\bER\b)\s*(?:\(ER\))?\s*[:\-]?\s*(positive|negative)" + _PAREN),
    ("pr", r"(?:progesterone receptor|\bPR\b)\s*(?:\(PR\))?\s*[:\-]?\s*(positive|negative)"
     + _PAREN),
    ("her2", r"\bHER-?2(?:/neu)?\s*[:\-]?\s*(positive|negative|equivocal|low)" + _PAREN),
    ("ki67", r"\bKi-?67\s*[:\-]?\s*(?:of\s+)?((?:about\s+|approximately\s+)?\d{1,3}\s*%)()"),
    ("mmr", r"\b(?:mismatch repair|MMR)\b[^.;\n]{0,60}?\b(proficient|deficient|intact|lost)\b()"),
    ("msi", r"\bMSI-?(H|high|L|low|stable)\b()"),
    ("kras", r"\bKRAS\b\s*((?:[A-Z]\d+[A-Z]\s+)?(?:mutation detected|mutated|wild[- ]type|"
     r"not detected|detected))()"),
    ("nras", r"\bNRAS\b\s*(wild[- ]type|mutated|not detected|detected)()"),
    ("braf", r"\bBRAF\b\s*((?:V600E\s+)?(?:wild[- ]type|mutated|mutation detected|not detected|"
     r"detected))()"),
    ("psa", r"\bPSA\s*[:\-]?\s*(?:of\s+)?(\d+(?:\.\d+)?\s*ng/mL)()"),
)  # fmt: skip
_STAGE = re.compile(
    r"\b(clinical|pathologic(?:al)?|anatomic)?\s*stage\s+(0|IV|I{1,3})([ABC]\d?)?\b",
    re.IGNORECASE,
)
_TNM_PART = re.compile(r"\b(y?[cp]?)(T(?:[0-4]|is|x)[a-d]?|N(?:[0-3]|x)[a-c]?|M[01x][a-c]?)\b")
_TNM = re.compile(
    r"\b((?:[cpy]{1,2})?T(?:[0-4]|is|x)[a-d]?\s*(?:[cpy]{1,2})?N(?:[0-3]|x)[a-c]?"
    r"(?:\s*(?:[cp])?M[01x][a-c]?)?)\b"
)
_AJCC = re.compile(r"\bAJCC\s+(\d+)(?:st|nd|rd|th)?(?:\s+edition)?", re.IGNORECASE)
_RADIATION = re.compile(
    r"(\d{1,3}(?:\.\d{1,2})?)\s*Gy\s*(?:in|over|/|,)\s*(\d{1,2})\s*(?:fractions|fx|treatments)",
    re.IGNORECASE,
)
_RADIATION_SITE = re.compile(
    r"fractions\s+to\s+the\s+([A-Za-z][A-Za-z -]{2,40}?)"
    r"(?:[.;,(\n]|\s+(?:from|with|between|and|on)\b|$)",
    re.IGNORECASE,
)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH_WORD = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_TEXT_DATE = (
    r"\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4}|"
    rf"{_MONTH_WORD}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH_WORD}\s+\d{{4}}"
)
_SPAN = re.compile(
    rf"(?:from|between)\s*({_TEXT_DATE})\s*(?:to|and|through|until|-)\s*({_TEXT_DATE})",
    re.IGNORECASE,
)
_PLAN = re.compile(
    r"(?:^|\n)[ \t]*(?i:planned treatment|treatment plan|recommendations?|plan)[ \t]*(?::|\n)"
    r"\s*(.+?)(?=\n[ \t]*[A-Z][A-Z0-9 ,/&()-]{2,}\n|\n\s*\n|\Z)",
    re.DOTALL,
)
_SURGERY = re.compile(r"\b(\w*ectomy|resection|excision)\b", re.IGNORECASE)
STOP_REASON = re.compile(
    r"\bstop(?:ped)?\b[^.;\n]{0,30}?\b(?:because of|due to|for|after)\s+([^.;\n]{3,60})",
    re.IGNORECASE,
)
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
CANCER_PURPOSE = re.compile(
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
            return date.fromisoformat(cleaned).isoformat()
        if match := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", cleaned):
            numbers = [int(g) for g in match.groups()]
            return date(numbers[2], numbers[0], numbers[1]).isoformat()
        words = cleaned.replace(".", " ").split()
        if len(words) == 3:
            day_text, month_text, year_text = (
                words if words[0].isdigit() else (words[1], words[0], words[2])
            )
            month = next((n + 1 for n, m in enumerate(_MONTHS) if month_text.lower()[:3] == m),
                         None)  # fmt: skip
            if month is not None:
                return date(int(year_text), month, int(day_text)).isoformat()
    except ValueError:
        return None
    return None


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _part(text: str) -> tuple[str, int]:
    matches = list(_DIAGNOSIS_PART.finditer(text))
    for match in matches:
        if "final" in match.group(0)[:6].lower():
            return match.group(1)[:600], match.start(1)
    if matches:
        return matches[-1].group(1)[:600], matches[-1].start(1)
    return "", 0


def read_report(text: str, kind: DocumentKind | None) -> ReportReading:
    found: list[Finding] = []

    def add(key: str, value: str, start: int, end: int) -> None:
        if value and not any(f.key == key for f in found):
            found.append(Finding(key, _one_line(value), start, end))

    part, offset = _part(text)
    histology = _HISTOLOGY.search(part) or _HISTOLOGY.search(text)
    benign = _BENIGN.search(part or text)
    malignant: bool | None = None
    if histology and not (benign and benign.start() < histology.start() + 40):
        malignant = True
        base = offset if _HISTOLOGY.search(part) else 0
        add("diagnosis.histology", histology.group(1)[0].upper() + histology.group(1)[1:],
            base + histology.start(), base + histology.end())  # fmt: skip
        near = (part if _HISTOLOGY.search(part) else text)[histology.end() :][:200]
        if grade := _GRADE.search(near):
            if grade.group(3):
                add("diagnosis.grade", grade.group(3), 0, 0)
            else:
                add("diagnosis.grade", grade.group(2), 0, 0)
                if grade.group(1):
                    add("diagnosis.grade_system", grade.group(1).capitalize(), 0, 0)
        site = _ORGAN.search(part) or _ORGAN.search(text)
        if site:
            add("diagnosis.site", site.group(2).capitalize(), site.start(), site.end())
            if site.group(1):
                add("diagnosis.laterality", site.group(1).capitalize(), site.start(), site.end())
    elif benign and kind is DocumentKind.PATHOLOGY:
        malignant = False
    if malignant is not False:
        for name, pattern in _MARKERS:
            if match := re.search(pattern, text, re.IGNORECASE):
                result = match.group(1) if name == "psa" else match.group(1).lower()
                value = result + (f" ({match.group(2)})" if match.group(2) else "")
                add(f"biomarker.{name}", value, *match.span())
        if stage := _STAGE.search(text):
            add("stage.group", f"{stage.group(2).upper()}{(stage.group(3) or '').upper()}",
                *stage.span())  # fmt: skip
        if tnm := _TNM.search(text):
            for part_match in _TNM_PART.finditer(tnm.group(1)):
                prefix, item = part_match.groups()
                which = "pathologic" if "p" in prefix else "clinical"
                if which == "clinical" and prefix == "" and item[0] != "M":
                    which = "pathologic" if "pathologic" in text.lower() else "clinical"
                if item[0] == "M":
                    which = (
                        "pathologic"
                        if "p" in prefix
                        else (
                            "pathologic"
                            if any(f.key.startswith("stage.pathologic") for f in found)
                            else "clinical"
                        )
                    )
                add(f"stage.{which}_{item[0].lower()}", prefix + item, *tnm.span())
        if ajcc := _AJCC.search(text):
            add("stage.ajcc_edition", ajcc.group(1), *ajcc.span())
    if radiation := _RADIATION.search(text):
        add("treatment.radiation", f"{radiation.group(1)} Gy in {radiation.group(2)} fractions",
            *radiation.span())  # fmt: skip
        near = text[max(0, radiation.start() - 300) : radiation.end() + 300]
        if site := _RADIATION_SITE.search(near):
            add("treatment.radiation_site", site.group(1).strip(" ,-").capitalize(), 0, 0)
        if span := _SPAN.search(near):
            add("treatment.radiation_start", text_date(span.group(1)) or "", 0, 0)
            add("treatment.radiation_end", text_date(span.group(2)) or "", 0, 0)
    if kind is DocumentKind.TREATMENT_PLAN and (plan := _PLAN.search(text)):
        add("plan", plan.group(1)[:500], *plan.span(1))
    if kind is DocumentKind.PATHOLOGY and (surgery := _SURGERY.search(text)):
        add("treatment.surgery", surgery.group(1).lower(), *surgery.span())
    return ReportReading(malignant, tuple(found), tuple(found))


def title_from_text(text: str, kind: DocumentKind | None) -> str:
    return ""
