"""The rules that read reports on main before issue 17 (app/records/treatment_summary.py at
commit 808bf02), frozen here so the benchmark can show the before figure after those rules
move to app/ingest/clinical and leave app/records. Used only by the benchmark; never change
them (they are the baseline).
"""

from __future__ import annotations

import re

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
