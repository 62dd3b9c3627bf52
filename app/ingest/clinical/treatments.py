"""Treatments a report states: the surgery a specimen came from, a radiation course (dose,
fractions, site, dates), why a medicine was stopped, and which medicines treat cancer."""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.ingest.clinical.dates import TEXT_DATE, text_date
from app.ingest.clinical.prepare import capitalised, one_line

# -- radiation ---------------------------------------------------------------------------

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
_SPAN = re.compile(
    rf"(?:from|between|started(?: on)?|start(?:ed)?\s*[:\-]?)\s*({TEXT_DATE})\s*"
    rf"(?:to|and|through|until|-|\u2013|, completed(?: on)?|; completed(?: on)?)\s*({TEXT_DATE})",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class RadiationCourse:
    dose: str  # "50.4 Gy"
    fractions: str  # "28"
    site: str  # "Left breast", or ""
    start: str  # ISO, or ""
    end: str
    span: tuple[int, int]

    @property
    def value(self) -> str:
        where = f" to the {self.site[0].lower() + self.site[1:]}" if self.site else ""
        return f"{self.dose} in {self.fractions} fractions{where}"


def find_radiation(text: str) -> RadiationCourse | None:
    """Dose, fractions, site and dates of a radiation course a report states, or None."""
    match = _RADIATION.search(text)
    if not match:
        return None
    near = text[max(0, match.start() - 300) : match.end() + 300]
    site = ""
    if found := _RADIATION_SITE.search(near):
        site = capitalised((found.group(1) or found.group(2)).strip(" ,-"))
    start = end = ""
    if span := _SPAN.search(near) or _SPAN.search(text):
        start = text_date(span.group(1)) or ""
        end = text_date(span.group(2)) or ""
    return RadiationCourse(
        f"{match.group(1)} Gy", match.group(2), site, start, end, (match.start(), match.end())
    )


# -- surgery -----------------------------------------------------------------------------

# Procedures that remove a tumour (a biopsy finds one; it is not a treatment).
_SURGERY = re.compile(
    r"\b(?P<proc>(?:(?:left|right|bilateral|total|partial|radical|simple|subtotal|modified|"
    r"extended|robotic|laparoscopic|robot-assisted|open|segmental|wide|local|sleeve|"
    r"nipple-sparing|skin-sparing|modified\s+radical|abdominal|vaginal|en\s+bloc|"
    r"low\s+anterior|transurethral|pylorus-preserving|distal|proximal|near-total|"
    r"upper|lower|middle|sigmoid|right\s+upper|left\s+upper|right\s+lower|left\s+lower)\s+)*"
    r"(?:hemi-?)?(?:mastectomy|lumpectomy|quadrantectomy|prostatectomy|cystoprostatectomy|cystectomy|"
    r"nephrectomy|nephroureterectomy|hemicolectomy|colectomy|proctectomy|"
    r"proctocolectomy|anterior\s+resection|abdominoperineal\s+resection|"
    r"pancreaticoduodenectomy|whipple(?:\s+procedure)?|pancreatectomy|gastrectomy|"
    r"esophagectomy|hepatectomy|lobectomy|segmentectomy|pneumonectomy|wedge\s+resection|"
    r"hysterectomy|salpingo-?oophorectomy|oophorectomy|omentectomy|trachelectomy|"
    r"vulvectomy|thyroidectomy|laryngectomy|glossectomy|pharyngectomy|tonsillectomy|"
    r"neck\s+dissection|lymphadenectomy|lymph\s+node\s+dissection|orchiectomy|"
    r"craniotomy(?:\s+and\s+resection)?|resection|excision|wide\s+local\s+excision|"
    r"re-?excision|amputation|splenectomy|adrenalectomy|penectomy|maxillectomy|"
    r"mandibulectomy|parotidectomy|turbt|tur-?bt))\b",
    re.IGNORECASE,
)
_NOT_A_SURGERY = re.compile(r"\b(?:biopsy|biopsies|core|needle|fna|aspirat\w*)\b", re.IGNORECASE)


def find_surgeries(text: str, start: int = 0, end: int | None = None) -> list[tuple[str, int, int]]:
    """Each procedure that removes tissue named in text[start:end]: (printable, start, end)."""
    end = len(text) if end is None else end
    found = []
    for match in _SURGERY.finditer(text, start, end):
        words = one_line(match.group("proc"))
        found.append((capitalised(words), match.start(), match.end()))
    return found


def is_biopsy(text: str) -> bool:
    return bool(_NOT_A_SURGERY.search(text))


# -- medicines -----------------------------------------------------------------------------

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
CANCER_PURPOSE = re.compile(
    r"\b(cancer|chemo\w*|tumou?r|oncolog\w*|carcinoma|lymphoma|leukemia|myeloma|sarcoma|"
    r"melanoma|immunotherapy|targeted therapy|hormone therapy|endocrine therapy|"
    r"anti-?hormonal|metasta\w*|adjuvant|neoadjuvant)\b",
    re.IGNORECASE,
)


def stop_reason(notes: str) -> str:
    """Why a medicine was stopped, from a note like "stopped because of neuropathy"."""
    match = _STOP_REASON.search(notes)
    return match.group(1).strip() if match else ""


def is_cancer_medicine_name(name: str) -> bool:
    words = {w.strip(",.()").lower() for w in name.replace("/", " ").split()}
    return bool(words & CANCER_MEDICINES)


def is_cancer_purpose(text: str) -> bool:
    return bool(CANCER_PURPOSE.search(text))
