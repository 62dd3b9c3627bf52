"""Reading one report: every candidate fact with its place in the report, then the value
chosen for each key.

How a value is chosen, in words:

- Where a candidate sits counts: an addendum beats the final diagnosis, which beats a
  comment, the microscopic and frozen-section text, the clinical history and the gross
  description. A family history never speaks of the patient.
- A synoptic field ("Histologic Type: ...", "Primary Tumor (pT): ...") counts more than the
  same words in a sentence.
- With several specimens, the main malignant tumour wins: the specimen whose diagnosis
  names a cancer (not in situ, not in a lymph node), with the most said about it. Lymph node
  specimens give the lymph node count and pN, never the site.
- Negated and uncertain findings stay among the candidates; they are never chosen.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from app.ingest.clinical import (
    anatomy,
    biomarkers,
    dates,
    grading,
    histology,
    negation,
    sections,
    tnm,
    treatments,
)
from app.ingest.clinical.model import Certainty, Finding, ReportReading
from app.ingest.clinical.prepare import Prepared, capitalised, one_line, prepare
from app.ingest.clinical.sections import Role
from app.ingest.kinds import DocumentKind

# How much a place in the report counts for facts about the diagnosis.
_ROLE_WEIGHT = {
    Role.ADDENDUM: 12,
    Role.DIAGNOSIS: 10,
    Role.TOP: 6,
    Role.COMMENT: 5,
    Role.MICROSCOPIC: 4,
    Role.FROZEN: 3,
    Role.SPECIMEN: 3,
    Role.HISTORY: 3,
    Role.PAST: 2,
    Role.PLAN: 2,
    Role.OTHER: 2,
    Role.GROSS: 1,
    Role.FAMILY: 0,
}
_REPORT_ROLES = (
    Role.ADDENDUM,
    Role.DIAGNOSIS,
    Role.TOP,
    Role.COMMENT,
    Role.MICROSCOPIC,
    Role.FROZEN,
)
# A synoptic field label right before a value: "Histologic Type:", "Tumor Site:".
_FIELD_LABEL = re.compile(
    r"(?:histologic(?:al)?\s+type|tumou?r\s+type|type\s+of\s+tumou?r|histologic\s+subtype|"
    r"histopathologic\s+type|histology|diagnosis|tumou?r\s+site|primary\s+site|"
    r"site\s+of\s+(?:primary\s+)?tumou?r|tumou?r\s+location|location\s+of\s+tumou?r|"
    r"specimen(?:\s+type)?|procedure|laterality|histologic(?:al)?\s+grade|grade|"
    r"nuclear\s+grade|fuhrman\s+nuclear\s+grade|gleason\s+score|tumou?r\s+size|"
    r"primary\s+tumou?r(?:\s*\(p?T\))?|regional\s+lymph\s+nodes(?:\s*\(p?N\))?)"
    r"\s*(?:\([^)]{0,20}\))?\s*[:\-]\s*$",
    re.IGNORECASE,
)
_CANCER_WORD = re.compile(
    r"\b(?:cancer|carcinoma|adenocarcinoma|malignan\w*|tumou?r|neoplasm|sarcoma|lymphoma|"
    r"melanoma|metasta\w*|oncolog\w*|glioma|glioblastoma|leuka?emia|myeloma)\b",
    re.IGNORECASE,
)
_NON_CANCER_STAGE = re.compile(
    r"\b(?:kidney\s+disease|renal\s+disease|ckd|fibrosis|ulcer|decubitus|sleep|labou?r|"
    r"hypertension|heart\s+failure|lymphedema|copd|gold|pressure|liver\s+disease|"
    r"cirrhosis|dementia|pelvic\s+organ|prolapse|tanner|chronic|hemorrhoids?)\b",
    re.IGNORECASE,
)


@dataclass
class _Context:
    prepared: Prepared
    found_sections: list[sections.Section]
    parts: list[sections.Part]
    main: str  # the main specimen's label, or ""
    node_parts: set[str] = field(default_factory=set)
    pathology: bool = True

    @property
    def text(self) -> str:
        return self.prepared.text

    def role(self, position: int) -> Role:
        return sections.role_at(self.found_sections, position)

    def part(self, position: int) -> str:
        for part in self.parts:
            if part.start <= position < part.end:
                return part.label
        return ""

    def in_field(self, position: int) -> bool:
        line_start = max(self.text.rfind("\n", 0, position), self.text.rfind(",", 0, position))
        before = self.text[max(line_start + 1, position - 60) : position]
        return bool(_FIELD_LABEL.search(before))


@dataclass(frozen=True)
class _Candidate:
    finding: Finding
    score: float


def _finding(
    context: _Context,
    key: str,
    value: str,
    start: int,
    end: int,
    certainty: Certainty = Certainty.STATED,
) -> Finding:
    original_start, original_end = context.prepared.span(start, end)
    return Finding(key, value, original_start, original_end, context.part(start), certainty)


def _weight(context: _Context, position: int, *, main_bonus: bool = True) -> float:
    role = context.role(position)
    score = float(_ROLE_WEIGHT[role])
    if context.in_field(position):
        score += 4
    label = context.part(position)
    if main_bonus and context.main and label:
        score += 3 if label == context.main else -6
    if role is Role.ADDENDUM:
        # The later of two addenda is the later word.
        score += position / max(1, len(context.text))
    return score


# -- the main specimen ---------------------------------------------------------------------


def _choose_main(text: str, parts: list[sections.Part]) -> tuple[str, set[str]]:
    """The label of the main malignant specimen, and the labels of lymph node specimens."""
    nodes: set[str] = set()
    best_label, best_score = "", 0.0
    for part in parts:
        header = text[part.start : max(part.header_end, part.start)]
        header_sites = anatomy.find_sites(text, part.start, part.header_end)
        is_node = bool(header_sites) and all(s.is_node for s in header_sites)
        if not header_sites and re.search(r"\bnodes?\b", text[part.start : part.end][:80], re.I):
            is_node = True
        if is_node:
            nodes.add(part.label)
        score = 0.0
        for found in histology.find_histologies(text, part.start, part.end):
            if negation.certainty(text, found.start, found.end) is not Certainty.STATED:
                continue
            score = max(score, 10 if not found.in_situ else 4)
            if found.metastatic:
                score -= 3
        if score <= 0:
            continue
        if is_node:
            score -= 6
        score += min(3, len(grading.find_grades(text, part.start, part.end)))
        score += 2 if treatments.find_surgeries(text, part.start, part.end) else 0
        score -= 0.01 * parts.index(part)  # the first of equals
        if re.search(r"\b(?:biopsy|biopsies)\b", header, re.I):
            score -= 1
        if score > best_score:
            best_label, best_score = part.label, score
    return best_label, nodes


def _diagnosis_parts(text: str, found_sections: list[sections.Section]) -> list[sections.Part]:
    parts: list[sections.Part] = []
    for section in found_sections:
        if section.role in (Role.DIAGNOSIS, Role.ADDENDUM, Role.TOP):
            parts += sections.split_parts(text, section.start, section.end)
    return parts


# -- each key --------------------------------------------------------------------------------


def _histology_candidates(context: _Context) -> list[_Candidate]:
    out: list[_Candidate] = []
    for found in histology.find_histologies(context.text):
        role = context.role(found.start)
        if role is Role.FAMILY:
            continue
        certainty = negation.certainty(context.text, found.start, found.end)
        score = _weight(context, found.start)
        if found.in_situ:
            score -= 4
        if found.metastatic:
            score -= 3
        score += 0.2 * len(found.value.split())
        if found.value.lower() in ("carcinoma", "malignant neoplasm", "tumor"):
            score -= 1
        finding = _finding(
            context, "diagnosis.histology", found.value, found.start, found.end, certainty
        )
        out.append(_Candidate(finding, score))
    return out


# Names that say their organ: a kidney cancer needs no site word to be a kidney cancer.
_ORGAN_OF_NAME = (
    (re.compile(r"renal cell|chromophobe|nephroblastoma", re.I), "Kidney"),
    (re.compile(r"hepatocellular|hepatoblastoma|fibrolamellar", re.I), "Liver"),
    (
        re.compile(
            r"glioblastoma|astrocytoma|oligodendroglioma|oligoastrocytoma|ependymoma|"
            r"glioma|medulloblastoma|gliosarcoma",
            re.I,
        ),
        "Brain",
    ),
    (re.compile(r"cholangiocarcinoma", re.I), "Bile duct"),
    (re.compile(r"\bductal carcinoma in situ|lobular carcinoma", re.I), "Breast"),
    (re.compile(r"\bseminoma", re.I), "Testis"),
)


def _site_candidates(context: _Context, chosen_histology: Finding | None) -> list[_Candidate]:
    text = context.text
    out: list[_Candidate] = []

    def add(site: anatomy.Site, score: float) -> None:
        if site.is_node:
            score -= 8
        finding = _finding(context, "diagnosis.site", site.value, site.start, site.end)
        out.append(_Candidate(finding, score))
        if site.side:
            out.append(
                _Candidate(
                    _finding(context, "diagnosis.laterality", site.side, site.start, site.end),
                    score,
                )
            )

    # The main specimen's own words: "E. Prostate and seminal vesicles, radical...".
    for part in context.parts:
        if part.label != context.main:
            continue
        header_sites = anatomy.find_sites(text, part.start, max(part.header_end, part.start))
        for index, site in enumerate(header_sites):
            add(site, 14 - index)
    # Synoptic fields and sentences: where a site is named near the diagnosis.
    for site in anatomy.find_sites(text):
        role = context.role(site.start)
        if role is Role.FAMILY:
            continue
        score = _weight(context, site.start) - 2
        if chosen_histology is not None:
            prepared_start = _prepared_offset(context, chosen_histology.start)
            distance = abs(prepared_start - site.start)
            if distance < 80:
                score += 3 - distance / 40
        if context.in_field(site.start):
            score += 2
        add(site, score)
    # A name that says its organ ("prostatic adenocarcinoma", "hepatocellular carcinoma").
    if chosen_histology is not None:
        start = _prepared_offset(context, chosen_histology.start)
        name_text = text[max(0, start - 40) : start + 80]
        organ = ""
        for regex, named in _ORGAN_OF_NAME:
            if regex.search(chosen_histology.value):
                organ = named
        for match in re.finditer(r"\b\w+\b", name_text[:60]):
            if organ:
                break
            if match.group(0).lower() in ("prostatic", "pancreatic", "colonic", "pulmonary",
                                          "endometrial", "ovarian", "rectal", "gastric",
                                          "esophageal", "thyroid", "cervical"):  # fmt: skip
                organ = anatomy.organ_of(match.group(0))
        if organ:
            finding = _finding(
                context, "diagnosis.site", organ, chosen_histology.start, chosen_histology.end
            )
            out.append(_Candidate(finding, _weight(context, start) + 1))
    return out


def _prepared_offset(context: _Context, original: int) -> int:
    """The prepared-text offset of an original offset (the first at or after it)."""
    origin = context.prepared.origin
    low, high = 0, len(origin)
    while low < high:
        middle = (low + high) // 2
        if origin[middle] < original:
            low = middle + 1
        else:
            high = middle
    return low


def _grade_candidates(context: _Context, chosen_histology: Finding | None) -> list[_Candidate]:
    text = context.text
    out: list[_Candidate] = []
    names = [
        (h.start, h.end)
        for h in histology.find_histologies(text)
        if negation.certainty(text, h.start, h.end) is Certainty.STATED
    ]
    for grade in grading.find_grades(text):
        role = context.role(grade.start)
        if role is Role.FAMILY:
            continue
        near_name = any(s - 60 <= grade.start <= e + 80 for s, e in names)
        in_field = context.in_field(grade.start) or bool(
            re.search(r"grade\s*[:\-]?\s*$", text[max(0, grade.start - 30) : grade.start], re.I)
        )
        if grade.system in ("two-tier", "", "differentiation", "G") and not (
            near_name or in_field or grade.system == "differentiation"
        ):
            continue
        if grade.system == "two-tier" and re.match(
            r"[\s-]*(?:prostatic\s+intraepithelial|PIN|dysplasia|squamous\s+intraepithelial|"
            r"SIL|intraepithelial|CIN|HGPIN)",
            text[grade.end : grade.end + 40],
            re.I,
        ):
            continue
        score = _weight(context, grade.start) + grade.strength
        if near_name:
            score += 1
        finding = _finding(context, "diagnosis.grade", grade.value, grade.start, grade.end)
        out.append(_Candidate(finding, score))
        system = _finding(context, "diagnosis.grade_system", grade.system, grade.start, grade.end)
        if grade.system:
            out.append(_Candidate(system, score))
    return out


def _tnm_candidates(context: _Context) -> list[_Candidate]:
    text = context.text
    out: list[_Candidate] = []
    default = "p" if context.pathology else "c"
    found = tnm.find_categories(text, default_prefix=default)
    # A table of definitions lists many T categories close together: not the patient's.
    t_starts = [c.start for c in found if c.key.endswith("_t")]
    crowded = {s for s in t_starts if sum(1 for o in t_starts if abs(o - s) < 300) >= 4}
    for category in found:
        if category.start in crowded:
            continue
        role = context.role(category.start)
        if role is Role.FAMILY:
            continue
        score = _weight(context, category.start, main_bonus=False) + (3 if category.in_field else 0)
        if context.part(category.start) in context.node_parts and category.key.endswith("_n"):
            score += 1
        finding = _finding(context, category.key, category.value, category.start, category.end)
        out.append(_Candidate(finding, score))
    for group in tnm.find_stage_groups(text):
        if group.general or context.role(group.start) is Role.FAMILY:
            continue
        sentence = text[max(0, group.start - 60) : group.end + 60]
        if _NON_CANCER_STAGE.search(sentence):
            continue
        if not (_CANCER_WORD.search(sentence) or group.how or context.in_field(group.start)):
            continue
        score = _weight(context, group.start, main_bonus=False) + (2 if group.how else 0)
        out.append(
            _Candidate(_finding(context, "stage.group", group.value, group.start, group.end), score)
        )
    edition, start, end = tnm.find_ajcc_edition(text)
    if edition:
        out.append(_Candidate(_finding(context, "stage.ajcc_edition", edition, start, end), 5))
    return out


def _biomarker_candidates(context: _Context) -> list[_Candidate]:
    out: list[_Candidate] = []
    for marker in biomarkers.find_biomarkers(context.text):
        role = context.role(marker.start)
        if role is Role.FAMILY:
            continue
        score = _weight(context, marker.start, main_bonus=False)
        finding = _finding(
            context, f"biomarker.{marker.name}", marker.value, marker.start, marker.end
        )
        out.append(_Candidate(finding, score))
    return out


_MARGIN = re.compile(
    r"\b(?:(?:surgical|resection|inked|final|overall|all)\s+)?margins?(?:\s+status)?"
    r"(?:\s+for\s+(?:invasive\s+)?(?:tumou?r|carcinoma))?\s*(?:\([^)]{0,20}\))?\s*"
    r"(?:[:\-]|are|is)\s*(?P<v>[^.;\n]{2,90})",
    re.IGNORECASE,
)
_MARGIN_FREE = re.compile(
    r"\b(?:free|clear|negative|uninvolved|not\s+involved|free\s+of\s+\w+|"
    r"no\s+(?:tumou?r|carcinoma)|widely\s+free)\b",
    re.IGNORECASE,
)
_MARGIN_INVOLVED = re.compile(
    r"\b(?:positive|involved|involving|tumou?r\s+(?:is\s+)?(?:present\s+)?at|"
    r"carcinoma\s+(?:is\s+)?(?:present\s+)?at|extends\s+to)\b",
    re.IGNORECASE,
)
_DISTANCE = re.compile(r"(\d+(?:\.\d+)?)\s*(mm|cm)\b", re.IGNORECASE)
_LVI = re.compile(
    r"\b(?:lympho-?vascular|angiolymphatic|lymphatic\s*/\s*vascular|vascular\s*/\s*lymphatic|"
    r"blood\s*/\s*lymphatic\s+vessel|lymph-?vascular|lymphatic\s+and\s+vascular|"
    r"lymphovascular\s+space)\s+(?:invasion|involvement|space\s+invasion)\s*(?:\(LVI\))?\s*"
    r"(?:[:\-]|is|was)?\s*(?P<v>present|absent|not\s+identified|identified|not\s+seen|"
    r"negative|positive|indeterminate|suspicious|none|not\s+present)",
    re.IGNORECASE,
)
_NO_LVI = re.compile(
    r"\bno\s+(?:definite\s+|obvious\s+)?(?:lympho-?vascular|angiolymphatic|vascular\s+or\s+"
    r"lymphatic|lymphatic\s+or\s+vascular)\s+(?:space\s+)?invasion",
    re.IGNORECASE,
)
_SIZE = re.compile(
    r"\b(?:tumou?r\s+size|size\s+of\s+(?:the\s+)?tumou?r|greatest\s+(?:dimension|diameter)|"
    r"tumou?r\s+(?:measures|measuring)|mass\s+(?:measures|measuring)|size)\b"
    r"(?:\s*\([^)]{0,30}\))?\s*(?:[:\-]|is|of)?\s*(?:greatest\s+(?:dimension|diameter)\s*"
    r"(?:is|:)?\s*)?(?:approximately\s+)?"
    r"(?P<a>\d{1,3}(?:\s?[.,]\s?\d{1,2})?)(?:\s*x\s*(?P<b>\d{1,3}(?:\.\d{1,2})?))?"
    r"(?:\s*x\s*(?P<c>\d{1,3}(?:\.\d{1,2})?))?\s*(?P<unit>cm|mm|em)\b",
    re.IGNORECASE,
)
_NUMBER_WORDS = {
    "no": 0, "none": 0, "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20,
}  # fmt: skip
_COUNT = r"(?P<{n}>\d{{1,3}}|" + "|".join(_NUMBER_WORDS) + r")"
_NODES_RATIO = re.compile(
    r"(?:\(\s*)?(?P<pos>\d{1,2}|[O0o])\s*/\s*(?P<tot>\d{1,3})\s*\)?(?=[^.;\n]{0,40}?"
    r"\b(?:lymph|nodes?|LN)\b)|\b(?:lymph\s+nodes?|nodes?)\b[^.;\n]{0,60}?\(\s*(?P<pos2>\d{1,2}|O)"
    r"\s*/\s*(?P<tot2>\d{1,3})\s*\)|\b(?P<pos3>\d{1,2})\s+(?:of|out\s+of)\s+(?P<tot3>\d{1,3})\s+"
    r"(?:\w+\s+){0,2}(?:lymph\s+)?nodes?",
    re.IGNORECASE,
)
_NODES_FIELDS = re.compile(
    r"(?:number\s+of\s+)?(?:positive|metastatic|involved)\s+(?:lymph\s+)?nodes?\s*[:=]?\s*"
    r"(?P<pos>\d{1,3}|[Oo])\b.{0,80}?(?:number\s+of\s+)?(?:lymph\s+)?nodes?\s+"
    r"(?:examined|identified|retrieved|recovered|submitted)\s*[:=]?\s*(?P<tot>\d{1,3})"
    r"|(?:number\s+of\s+)?(?:lymph\s+)?nodes?\s+(?:examined|identified|retrieved)\s*[:=]?\s*"
    r"(?P<tot2>\d{1,3}).{0,80}?(?:number\s+of\s+)?(?:positive|metastatic|involved)\s+"
    r"(?:lymph\s+)?nodes?\s*[:=]?\s*(?P<pos2>\d{1,3}|[Oo])\b"
    r"|(?:number\s+of\s+)?positive\s+lymph\s+nodes\s*:\s*(?P<pos3>\d{1,3})\s*;?\s*"
    r"total\s+number\s+of\s+lymph\s+nodes\s*:\s*(?P<tot3>\d{1,3})",
    re.IGNORECASE | re.DOTALL,
)
_NODES_NONE_IN = re.compile(
    r"\b(?:no\s+(?:metastatic\s+)?(?:tumou?r|carcinoma|malignancy|metastas[ie]s)\s+"
    r"(?:is\s+)?(?:seen\s+|identified\s+|present\s+)?in\s+"
    + _COUNT.format(n="tot")
    + r"\s+(?:\w+\s+)?(?:lymph\s+)?nodes?|"
    + _COUNT.format(n="tot2")
    + r"\s*(?:\(\d+\)\s*)?(?:\w+\s+)?(?:lymph\s+)?nodes?[^.;]{0,40}?\b(?:negative|no\s+"
    r"(?:metastatic\s+)?(?:tumou?r|carcinoma|malignancy)|free\s+of))",
    re.IGNORECASE,
)


def _count(word: str) -> int:
    word = word.lower()
    if word in ("o",):
        return 0
    return int(word) if word.isdigit() else _NUMBER_WORDS[word]


def _extras(context: _Context) -> list[_Candidate]:
    text = context.text
    out: list[_Candidate] = []
    for match in _MARGIN.finditer(text):
        words = match.group("v")
        value = ""
        if _MARGIN_INVOLVED.search(words) and not _MARGIN_FREE.search(words):
            value = "Positive"
        elif _MARGIN_FREE.search(words):
            value = "Negative"
            distance = _DISTANCE.search(words)
            if distance and re.search(r"closest|nearest|distance|from|away", words, re.I):
                value += f", closest {distance.group(1)} {distance.group(2).lower()}"
        if value:
            score = _weight(context, match.start())
            out.append(
                _Candidate(
                    _finding(context, "diagnosis.margins", value, match.start(), match.end()),
                    score,
                )
            )
    for match in _LVI.finditer(text):
        word = match.group("v").lower()
        value = (
            "Present"
            if word in ("present", "identified", "positive")
            else "Indeterminate"
            if word in ("indeterminate", "suspicious")
            else "Not identified"
        )
        out.append(
            _Candidate(
                _finding(context, "diagnosis.lvi", value, match.start(), match.end()),
                _weight(context, match.start()) + 1,
            )
        )
    for match in _NO_LVI.finditer(text):
        out.append(
            _Candidate(
                _finding(context, "diagnosis.lvi", "Not identified", match.start(), match.end()),
                _weight(context, match.start()),
            )
        )
    for match in _SIZE.finditer(text):
        role = context.role(match.start())
        if role in (Role.FAMILY,):
            continue
        sizes = [
            float(v.replace(" ", "").replace(",", "."))
            for v in (match.group("a"), match.group("b"), match.group("c"))
            if v
        ]
        unit = match.group("unit").lower().replace("em", "cm")
        largest = max(sizes)
        if unit == "mm":
            largest, unit = largest / 10, "cm"
        if not 0 < largest < 40:
            continue
        label = text[match.start() : match.start() + 20].lower()
        if label.startswith("size") and not context.in_field(match.start() + 4):
            continue
        score = _weight(context, match.start()) + (2 if "tumo" in label else 0)
        if role is Role.GROSS and "mass" not in label and "tumo" not in label:
            score -= 2
        value = f"{largest:g} cm"
        out.append(
            _Candidate(
                _finding(context, "diagnosis.size", value, match.start(), match.end()), score
            )
        )
    out += _node_candidates(context)
    return out


def _node_candidates(context: _Context) -> list[_Candidate]:
    """ "P of T positive": a stated total wins; else the node specimens added up."""
    text = context.text
    out: list[_Candidate] = []
    counts: list[tuple[int, int, int, int]] = []  # positive, total, start, end
    for match in _NODES_FIELDS.finditer(text):
        pos = match.group("pos") or match.group("pos2") or match.group("pos3")
        tot = match.group("tot") or match.group("tot2") or match.group("tot3")
        positive, total = _count(pos), _count(tot)
        if positive <= total:
            out.append(
                _Candidate(
                    _finding(
                        context,
                        "diagnosis.lymph_nodes",
                        f"{positive} of {total} positive",
                        match.start(),
                        match.end(),
                    ),
                    _weight(context, match.start(), main_bonus=False) + 6,
                )
            )
    for match in _NODES_RATIO.finditer(text):
        pos = match.group("pos") or match.group("pos2") or match.group("pos3")
        tot = match.group("tot") or match.group("tot2") or match.group("tot3")
        positive, total = _count(pos), _count(tot)
        if positive <= total and total > 0:
            counts.append((positive, total, match.start(), match.end()))
    for match in _NODES_NONE_IN.finditer(text):
        total = _count(match.group("tot") or match.group("tot2"))
        if total > 0 and not any(s <= match.end() and match.start() <= e for _, _, s, e in counts):
            counts.append((0, total, match.start(), match.end()))
    if counts:
        in_diagnosis = [
            c for c in counts if context.role(c[2]) in (Role.DIAGNOSIS, Role.ADDENDUM, Role.TOP)
        ]
        chosen = in_diagnosis or counts
        # One count per specimen: the diagnosis lists each once.
        by_part: dict[str, tuple[int, int, int, int]] = {}
        for count in chosen:
            by_part.setdefault(context.part(count[2]) or f"@{count[2]}", count)
        positive = sum(c[0] for c in by_part.values())
        total = sum(c[1] for c in by_part.values())
        first = min(c[2] for c in by_part.values())
        last = max(c[3] for c in by_part.values())
        if len(by_part) > 1 and not context.parts:
            # Counts in running text may repeat one another: take the largest alone.
            biggest = max(by_part.values(), key=lambda c: c[1])
            positive, total, first, last = biggest
        out.append(
            _Candidate(
                Finding(
                    "diagnosis.lymph_nodes",
                    f"{positive} of {total} positive",
                    *context.prepared.span(first, last),
                ),
                _weight(context, first, main_bonus=False) + 2,
            )
        )
    return out


def _treatment_candidates(context: _Context) -> list[_Candidate]:
    text = context.text
    out: list[_Candidate] = []
    for part in context.parts:
        if part.label != context.main:
            continue
        header = text[part.start : part.end][:160]
        for name, s, e in treatments.find_surgeries(text, part.start, part.start + len(header)):
            side = anatomy.side_near(text, part.start, part.header_end + 1)
            value = (
                name
                if re.match(r"(left|right|bilateral)\b", name, re.I) or not side
                else (f"{side} {name[0].lower()}{name[1:]}")
            )
            out.append(_Candidate(_finding(context, "treatment.surgery", value, s, e), 15))
    for name, s, e in treatments.find_surgeries(text):
        role = context.role(s)
        if role in (Role.FAMILY, Role.PAST, Role.PLAN, Role.GROSS, Role.OTHER):
            continue
        if (
            name.lower() in ("resection", "excision")
            or negation.certainty(text, s, e) is not Certainty.STATED
        ):
            continue
        if not context.pathology and role is not Role.SPECIMEN:
            continue
        score = _weight(context, s) - 1 + (2 if role is Role.SPECIMEN else 0)
        out.append(_Candidate(_finding(context, "treatment.surgery", name, s, e), score))
    course = treatments.find_radiation(text)
    if course is not None:
        s, e = course.span
        for key, value in (
            ("treatment.radiation", course.value),
            ("treatment.radiation_site", course.site),
            ("treatment.radiation_start", course.start),
            ("treatment.radiation_end", course.end),
        ):
            if value:
                out.append(_Candidate(_finding(context, key, value, s, e), 5))
    plan, s, e = sections.plan_text(text, context.found_sections)
    if plan:
        out.append(_Candidate(_finding(context, "plan", plan, s, e), 5))
    found = dates.find_diagnosis_date(text)
    if found:
        iso, s, e = found
        out.append(_Candidate(_finding(context, "diagnosis.date", iso, s, e), 5))
    return out


def _best(candidates: Iterable[_Candidate], key: str) -> _Candidate | None:
    usable = [
        c for c in candidates if c.finding.key == key and c.finding.certainty is Certainty.STATED
    ]
    if not usable:
        return None
    return max(usable, key=lambda c: (c.score, -c.finding.start))


def _looks_like_pathology(text: str, kind: DocumentKind | None) -> bool:
    if kind is not None:
        return kind is DocumentKind.PATHOLOGY
    return bool(
        re.search(
            r"surgical\s+pathology|final\s+(?:pathologic\s+)?diagnosis|gross\s+description|"
            r"microscopic\s+description|specimens?\s+(?:received|submitted)",
            text,
            re.IGNORECASE,
        )
    )


def read_report(text: str, kind: DocumentKind | None = None) -> ReportReading:
    """The facts a pathology or clinical report states about a cancer (see module doc)."""
    prepared = prepare(text)
    body = prepared.text
    found_sections = sections.split_sections(body)
    parts = _diagnosis_parts(body, found_sections)
    main, node_parts = _choose_main(body, parts)
    context = _Context(
        prepared, found_sections, parts, main, node_parts, _looks_like_pathology(body, kind)
    )
    candidates = _histology_candidates(context)
    histology_best = _best(candidates, "diagnosis.histology")
    candidates += _site_candidates(context, histology_best.finding if histology_best else None)
    candidates += _grade_candidates(context, histology_best.finding if histology_best else None)
    candidates += _tnm_candidates(context)
    candidates += _biomarker_candidates(context)
    candidates += _extras(context)
    candidates += _treatment_candidates(context)

    malignant = _malignant(context, candidates)
    chosen: list[Finding] = []
    keys = dict.fromkeys(c.finding.key for c in candidates)
    for key in keys:
        if not malignant and key.startswith(("diagnosis.", "stage.")) and key not in (
            "diagnosis.date", "diagnosis.margins", "diagnosis.lymph_nodes", "diagnosis.size",
            "diagnosis.lvi",
        ):  # fmt: skip
            if key in ("diagnosis.histology", "diagnosis.grade", "diagnosis.grade_system"):
                continue
            if key.startswith("stage.") and malignant is False:
                continue
            if key in ("diagnosis.site", "diagnosis.laterality") and malignant is False:
                continue
        best = _best(candidates, key)
        if best is not None:
            chosen.append(best.finding)
    _keep_grade_with_system(chosen, candidates)
    return ReportReading(
        malignant=malignant,
        findings=tuple(chosen),
        candidates=tuple(c.finding for c in candidates),
    )


def _keep_grade_with_system(chosen: list[Finding], candidates: list[_Candidate]) -> None:
    """The grade system is the chosen grade's own system."""
    grade = next((f for f in chosen if f.key == "diagnosis.grade"), None)
    chosen[:] = [f for f in chosen if f.key != "diagnosis.grade_system"]
    if grade is None:
        return
    system = next(
        (
            c.finding
            for c in candidates
            if c.finding.key == "diagnosis.grade_system"
            and (c.finding.start, c.finding.end) == (grade.start, grade.end)
        ),
        None,
    )
    if system is not None:
        chosen.append(system)


def _malignant(context: _Context, candidates: list[_Candidate]) -> bool | None:
    stated = [
        c
        for c in candidates
        if c.finding.key == "diagnosis.histology" and c.finding.certainty is Certainty.STATED
    ]
    text = context.text
    in_report = [
        c
        for c in stated
        if context.role(_prepared_offset(context, c.finding.start)) in _REPORT_ROLES
    ]
    if in_report:
        return True
    if stated and not context.pathology:
        return True
    for cancer in histology.CANCER_OF_ORGAN.finditer(text):
        organ = cancer.group("after") or cancer.group("before") or ""
        if not anatomy.find_sites(organ):
            continue
        if negation.certainty(text, cancer.start(), cancer.end()) is not Certainty.STATED:
            continue
        role = context.role(cancer.start())
        if role is not Role.FAMILY and (role in _REPORT_ROLES or not context.pathology):
            return True
    for match in negation.NO_MALIGNANCY.finditer(text):
        if context.role(match.start()) in _REPORT_ROLES:
            return False
    if stated:
        return True
    return None


def one_value(text: str) -> str:
    """A value on one line, first letter up (for callers that build their own values)."""
    return capitalised(one_line(text))
