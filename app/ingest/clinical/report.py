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
- The site, side, type and grade of a tumour are given only when the report names a cancer:
  a report about something else names organs without naming a tumour in them.
- In a note that is not a pathology report (a consult, a letter, a discharge summary), the
  site is read only where the note names the cancer ("bladder cancer", "carcinoma of the
  cervix", "leiomyosarcoma of the left arm").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from app.ingest.clinical import (
    anatomy,
    biomarkers,
    dates,
    extent,
    grading,
    histology,
    negation,
    sections,
    tnm,
    treatments,
)
from app.ingest.clinical.model import Certainty, Finding, ReportReading
from app.ingest.clinical.prepare import Prepared, prepare
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
_REPORT_ROLES = (Role.ADDENDUM, Role.DIAGNOSIS, Role.TOP, Role.COMMENT, Role.MICROSCOPIC,
                 Role.FROZEN)  # fmt: skip
# A synoptic field label right before a value: "Histologic Type:", "Tumor Site:".
_FIELD_LABEL = re.compile(
    r"(?:histologic(?:al)?\s+type|tumou?r\s+type|type\s+of\s+tumou?r|histologic\s+subtype|"
    r"histopathologic(?:al)?\s+(?:type|diagnosis)|histolog(?:y|ical\s+diagnosis)|diagnosis|"
    r"diagnosis\s+details|tumou?r\s+site|primary\s+(?:tumou?r\s+)?site|"
    r"site\s+of\s+(?:primary\s+)?tumou?r|tumou?r\s+location|location\s+of\s+tumou?r|"
    r"specimen(?:\s+type)?|procedure|laterality|specimen\s+laterality|"
    r"histologic(?:al)?\s+grade|grade|nuclear\s+grade|fuhrman\s+nuclear\s+grade|"
    r"gleason\s+score|tumou?r\s+size|primary\s+tumou?r(?:\s*\(p?T\))?|"
    r"regional\s+lymph\s+nodes(?:\s*\(p?N\))?|type)"
    r"\s*(?:\([^)]{0,30}\))?\s*[:\-.]\s*$",
    re.IGNORECASE,
)
_SITE_FIELD = re.compile(
    r"\b(?:tumou?r\s+site|primary\s+(?:tumou?r\s+)?site|site\s+of\s+(?:primary\s+)?tumou?r|"
    r"tumou?r\s+location|location\s+of\s+tumou?r|anatomic\s+site)\s*[:.\-]\s*"
    r"(?P<v>[^\n;]{2,80})",
    re.IGNORECASE,
)
_LATERALITY_FIELD = re.compile(
    r"\b(?:specimen\s+)?laterality\s*[:\-]\s*(?P<v>left|right|bilateral|both)\b|"
    r"\btumou?r\s+location\s*[:\-]\s*(?P<v2>bilateral)\b",
    re.IGNORECASE,
)
_PROCEDURE_FIELD = re.compile(
    r"\b(?:procedure|specimen\s+type|type\s+of\s+(?:procedure|specimen)|operation|"
    r"name\s+of\s+(?:operation|procedure)|title\s+of\s+(?:operation|procedure))\s*[:\-]\s*"
    r"(?P<v>[^\n;]{3,100})",
    re.IGNORECASE,
)
_CANCER_WORD = re.compile(
    r"\b(?:cancer|carcinoma|adenocarcinoma|malignan\w*|tumou?r|neoplasm|sarcoma|lymphoma|"
    r"melanoma|metasta\w*|oncolog\w*|glioma|glioblastoma|leuka?emia|myeloma)\b",
    re.IGNORECASE,
)
_NON_CANCER = re.compile(
    r"\b(?:kidney\s+disease|renal\s+disease|ckd|fibrosis|ulcer|decubitus|sleep|labou?r|"
    r"hypertension|heart\s+failure|lymphedema|copd|gold|pressure|liver\s+disease|"
    r"cirrhosis|dementia|pelvic\s+organ|prolapse|tanner|hepatitis|steatosis|inflammation|"
    r"hemorrhoids?|dysplasia|intraepithelial|PIN|HGPIN|CIN|SIL|atypia|hyperplasia)\b",
    re.IGNORECASE,
)
# "metastatic to the liver", "metastasized to her lung, liver and brain": not the primary.
_METASTASIS_TO = re.compile(
    r"\b(?:metasta\w*|spread|extend\w*|involv\w*|invad\w*|implants?)\s+(?:\w+\s+){0,2}?"
    r"(?:to|into|in|on)\s+(?:the\s+|her\s+|his\s+)?[^.;]{0,80}",
    re.IGNORECASE,
)
_GENERAL_PRIMARY = re.compile(
    r"\b(?:are|is)\s+(?:very\s+|extremely\s+)?(?:rare|uncommon)|\bpatients\b|\btypically\b|"
    r"\busually\b|\bgenerally\b|\bin\s+general\b|\bdifferential\b|\bversus\b|\bvs\b|"
    r"\brule\s+out\b|\bexclude\b|\bnot\s+(?:a|the)\s+primary\b",
    re.IGNORECASE,
)
_PRIMARY = re.compile(
    r"\bprimary\s+(?P<w>[a-z]+)\s+(?:carcinoma|neoplasm|tumou?r|cancer|adenocarcinoma|"
    r"malignancy)|\b(?:carcinoma|neoplasm|tumou?r|cancer)\s+(?:is\s+)?primary\s+(?:to|in|of)\s+"
    r"(?:the\s+)?(?P<w2>[a-z]+)",
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
        line_start = self.text.rfind("\n", 0, position)
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


# -- the main specimen ---------------------------------------------------------------------

_TUMOUR_WORDS = re.compile(r"\b(?:tumou?r|carcinoma|neoplasm|malignan\w+|mass)\b", re.I)


def _choose_main(text: str, parts: list[sections.Part]) -> tuple[str, set[str]]:
    """The label of the main malignant specimen, and the labels of lymph node specimens."""
    nodes: set[str] = set()
    best_label, best_score = "", 0.0
    for index, part in enumerate(parts):
        header = text[part.start : max(part.header_end, part.start)]
        header_sites = anatomy.find_sites(text, part.start, max(part.header_end, part.start))
        is_node = bool(header_sites) and all(s.is_node for s in header_sites)
        if not header_sites and re.search(r"\bnodes?\b", text[part.start : part.end][:80], re.I):
            is_node = True
        if is_node:
            nodes.add(part.label)
        score = 0.0
        for found in histology.find_histologies(text, part.start, part.end):
            if negation.certainty(text, found.start, found.end) is not Certainty.STATED:
                continue
            score = max(score, (10 if not found.in_situ else 4) - (3 if found.metastatic else 0))
        if score <= 0:
            # A tumour the OCR garbled: a grade or a size said of a tumour, no negation.
            body = text[part.start : part.end]
            if _TUMOUR_WORDS.search(body) and grading.find_grades(text, part.start, part.end):
                if not negation.NO_MALIGNANCY.search(body):
                    score = 2
        if score <= 0:
            continue
        if is_node:
            score -= 9
        score += min(3, len(grading.find_grades(text, part.start, part.end)))
        score += 2 if treatments.find_surgeries(text, part.start, part.end) else 0
        score -= 0.01 * index  # the first of equals
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


# -- histology -------------------------------------------------------------------------------


def _histology_candidates(context: _Context) -> list[_Candidate]:
    out: list[_Candidate] = []
    for found in histology.find_histologies(context.text):
        role = context.role(found.start)
        if role is Role.FAMILY:
            continue
        certainty = negation.certainty(context.text, found.start, found.end)
        if role is Role.HISTORY and re.search(
            r"\b(?:rule\s+out|r/o|evaluate|evaluation|suspected|possible)\b",
            context.text[max(0, found.start - 60) : found.start],
            re.IGNORECASE,
        ):
            certainty = Certainty.UNCERTAIN
        score = _weight(context, found.start)
        if found.in_situ:
            score -= 4
        if found.metastatic:
            score -= 3
        if context.part(found.start) in context.node_parts:
            score -= 3
        score += 0.2 * len(found.value.split())
        if found.value.lower() in ("carcinoma", "malignant neoplasm", "tumor", "cancer"):
            score -= 1
        finding = _finding(
            context, "diagnosis.histology", found.value, found.start, found.end, certainty
        )
        out.append(_Candidate(finding, score))
    return out


# -- site and side -------------------------------------------------------------------------

# Names that say their organ: a kidney cancer needs no site word to be a kidney cancer.
_ORGAN_OF_NAME = (
    (re.compile(r"renal cell|chromophobe|nephroblastoma", re.I), "Kidney"),
    (re.compile(r"hepatocellular|hepatoblastoma|fibrolamellar", re.I), "Liver"),
    (
        re.compile(
            r"glioblastoma|astrocytoma|oligodendroglioma|oligoastrocytoma|ependymoma|glioma|"
            r"medulloblastoma|gliosarcoma",
            re.I,
        ),
        "Brain",
    ),
    (re.compile(r"cholangiocarcinoma", re.I), "Bile duct"),
    (re.compile(r"\bductal carcinoma in situ|lobular carcinoma", re.I), "Breast"),
    (re.compile(r"\bseminoma", re.I), "Testis"),
    (re.compile(r"urothelial|transitional cell", re.I), "Bladder"),
)
_SKIN_NAMES = re.compile(r"melanoma|basal cell|squamous cell|merkel|keratoacanthoma", re.I)
_SOFT_TISSUE_NAMES = re.compile(r"sarcoma|fibrohistiocytoma|liposarcoma", re.I)


def _in_metastasis_phrase(text: str, start: int) -> bool:
    window_start = max(0, start - 90)
    for match in _METASTASIS_TO.finditer(text, window_start, start + 1):
        if match.start() < start < match.end():
            return True
    return False


def _site_candidates(context: _Context, chosen: Finding | None) -> list[_Candidate]:
    text = context.text
    out: list[_Candidate] = []
    histology_at = _prepared_offset(context, chosen.start) if chosen else -1
    histology_end = _prepared_offset(context, chosen.end) if chosen else -1

    def add(site: anatomy.Site, score: float, side: bool = True) -> None:
        if site.is_node:
            score -= 8
        if _in_metastasis_phrase(text, site.start):
            score -= 6
        if site.region:
            organ = "Skin" if chosen and _SKIN_NAMES.search(chosen.value) else "Soft tissue"
            site = anatomy.Site(organ, site.region, site.side, site.start, site.end, site.region)
        out.append(
            _Candidate(_finding(context, "diagnosis.site", site.value, site.start, site.end), score)
        )
        if site.side and side and site.organ in anatomy.PAIRED:
            out.append(
                _Candidate(
                    _finding(context, "diagnosis.laterality", site.side, site.start, site.end),
                    score,
                )
            )

    # Synoptic fields: "Tumor site: Cervix and lower uterine segment".
    for match in _SITE_FIELD.finditer(text):
        for index, site in enumerate(anatomy.find_sites(text, match.start("v"), match.end("v"))):
            add(site, 16 - index)
    for match in _PROCEDURE_FIELD.finditer(text):
        for site in anatomy.find_sites(text, match.start("v"), match.end("v"))[:1]:
            add(site, 11)
    # The main specimen's own words: "E. Prostate and seminal vesicles, radical...".
    for part in context.parts:
        if part.label != context.main or part.label in context.node_parts:
            continue
        header_end = max(part.header_end, part.start)
        for index, site in enumerate(anatomy.find_sites(text, part.start, header_end)):
            add(site, 14 - index)
    # "Primary ovarian neoplasm", "carcinoma primary to the lung".
    for match in _PRIMARY.finditer(text):
        word = match.group("w") or match.group("w2")
        sentence = text[max(0, match.start() - 80) : match.end() + 40]
        if _GENERAL_PRIMARY.search(sentence) or context.role(match.start()) is Role.FAMILY:
            continue
        for site in anatomy.find_sites(word):
            shifted = anatomy.Site(site.organ, site.part, site.side, match.start(), match.end())
            add(shifted, 15)
    # A cancer named by its organ: "bladder cancer", "carcinoma of the cecum".
    for match in histology.CANCER_OF_ORGAN.finditer(text):
        role = context.role(match.start())
        if role is Role.FAMILY:
            continue
        if negation.certainty(text, match.start(), match.end()) is not Certainty.STATED:
            continue
        group = "after" if match.group("after") else "before"
        for site in anatomy.find_sites(text, match.start(group), match.end(group))[:1]:
            add(site, _weight(context, match.start()) + 2)
    # A name that says its organ ("prostatic adenocarcinoma", "hepatocellular carcinoma").
    if chosen is not None:
        words = text[max(0, histology_at - 40) : histology_end]
        for regex, organ in _ORGAN_OF_NAME:
            if regex.search(chosen.value) or regex.search(words):
                named = anatomy.Site(organ, "", "", histology_at, histology_end)
                add(named, _weight(context, histology_at) + 1)
                break
        for site in anatomy.find_sites(text, max(0, histology_at - 30), histology_end):
            if site.organ != "Lymph node" and not site.procedure:
                distance = max(0, histology_at - site.end)
                add(site, _weight(context, histology_at) + 2 - distance / 15)
        if _SOFT_TISSUE_NAMES.search(chosen.value):
            named = anatomy.Site("Soft tissue", "", "", histology_at, histology_end)
            add(named, 1)
    # Organs written near a stated cancer name, in the same clause.
    for name in histology.find_histologies(text):
        if negation.certainty(text, name.start, name.end) is not Certainty.STATED:
            continue
        role = context.role(name.start)
        if role is Role.FAMILY or (context.pathology and role not in _REPORT_ROLES):
            continue
        clause_start = max(text.rfind(".", 0, name.start), text.rfind(";", 0, name.start),
                           name.start - 80)  # fmt: skip
        clause_end_match = re.search(r"[.;]\s", text[name.end : name.end + 100])
        clause_end = name.end + (clause_end_match.start() if clause_end_match else 100)
        for site in anatomy.find_sites(text, clause_start + 1, clause_end):
            if site.procedure:
                continue
            distance = min(abs(site.start - name.start), abs(site.start - name.end))
            add(site, _weight(context, name.start) - 1 - distance / 60)
        for region in anatomy.find_regions(text, clause_start + 1, clause_end):
            add(region, _weight(context, name.start) - 2)
    # A pathology report without specimens: the sites named in its diagnosis.
    if context.pathology and not context.main:
        for section in context.found_sections:
            if section.role not in (Role.DIAGNOSIS, Role.ADDENDUM):
                continue
            for index, site in enumerate(anatomy.find_sites(text, section.start, section.end)):
                add(site, _weight(context, site.start) - 3 - index * 0.5)
    return out


def _laterality(context: _Context, candidates: list[_Candidate], site: Finding | None) -> None:
    """The side of the chosen site: said with it, in a "Laterality:" field, or with the same
    organ elsewhere in the report; "Bilateral" when cancer is found on both sides."""
    if site is None:
        return
    organ = site.value.split(" (")[0]
    if organ not in anatomy.PAIRED:
        candidates[:] = [c for c in candidates if c.finding.key != "diagnosis.laterality"]
        return
    text = context.text

    def add(word: str, start: int, end: int, score: float) -> None:
        finding = _finding(context, "diagnosis.laterality", word, start, end)
        candidates.append(_Candidate(finding, score))

    for match in _LATERALITY_FIELD.finditer(text):
        add(
            anatomy.side_word(match.group("v") or match.group("v2")), match.start(), match.end(), 30
        )
    # A side goes with its own organ: "right kidney" says nothing about the ureter's side.
    kept: list[_Candidate] = []
    for candidate in candidates:
        if candidate.finding.key == "diagnosis.laterality":
            twin = next(
                (
                    c
                    for c in candidates
                    if c.finding.key == "diagnosis.site"
                    and (c.finding.start, c.finding.end)
                    == (candidate.finding.start, candidate.finding.end)
                ),
                None,
            )
            if twin is not None and twin.finding.value.split(" (")[0] != organ:
                continue
        kept.append(candidate)
    candidates[:] = kept
    # Cancer in the specimens of both sides: bilateral.
    sides: set[str] = set()
    for part in context.parts:
        if part.label in context.node_parts:
            continue
        named = [
            h
            for h in histology.find_histologies(text, part.start, part.end)
            if not h.in_situ and negation.certainty(text, h.start, h.end) is Certainty.STATED
        ]
        if not named:
            continue
        for found in anatomy.find_sites(text, part.start, max(part.header_end, part.start)):
            if found.organ == organ and found.side:
                sides.add(found.side)
    if {"Left", "Right"} <= sides:
        add("Bilateral", site.start, site.end, 25)
    if any(c.finding.key == "diagnosis.laterality" for c in candidates):
        return
    # The same organ named with a side elsewhere ("left temporal lobe" in the history).
    mentions = list(anatomy.find_sites(text))
    if organ in ("Skin", "Soft tissue"):
        mentions += anatomy.find_regions(text)
    for found in mentions:
        if not found.side or context.role(found.start) is Role.FAMILY:
            continue
        if found.organ != organ and not (found.region and organ in ("Skin", "Soft tissue")):
            continue
        if _in_metastasis_phrase(text, found.start):
            continue
        add(found.side, found.start, found.end, _weight(context, found.start) - 5)


# -- grade -------------------------------------------------------------------------------------


def _grade_candidates(context: _Context) -> list[_Candidate]:
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
        in_main = bool(context.main) and context.part(grade.start) == context.main
        if grade.system in ("two-tier", "", "G") and not (near_name or in_field or in_main):
            continue
        around = text[max(0, grade.start - 50) : grade.end + 40]
        if _NON_CANCER.search(around) and not near_name and grade.system not in (
            "Gleason", "Nottingham", "WHO CNS", "ISUP", "Fuhrman", "FIGO"
        ):  # fmt: skip
            continue
        if grade.system == "two-tier" and re.match(
            r"[\s-]*(?:prostatic\s+intraepithelial|PIN|dysplasia|squamous\s+intraepithelial|"
            r"SIL|intraepithelial|CIN|HGPIN|glioma)",
            text[grade.end : grade.end + 40],
            re.I,
        ):
            continue
        score = _weight(context, grade.start) + grade.strength
        if near_name:
            score += 1
        finding = _finding(context, "diagnosis.grade", grade.value, grade.start, grade.end)
        out.append(_Candidate(finding, score))
        if grade.system:
            system = _finding(
                context, "diagnosis.grade_system", grade.system, grade.start, grade.end
            )
            out.append(_Candidate(system, score))
    return out


# -- stage ---------------------------------------------------------------------------------


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
        finding = _finding(context, category.key, category.value, category.start, category.end)
        out.append(_Candidate(finding, score))
    for group in tnm.find_stage_groups(text):
        if group.general or context.role(group.start) is Role.FAMILY:
            continue
        sentence = text[max(0, group.start - 60) : group.end + 60]
        if _NON_CANCER.search(sentence) and not group.how:
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


# -- biomarkers, extent, treatments ----------------------------------------------------------


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


def _extent_candidates(context: _Context) -> list[_Candidate]:
    text = context.text
    out: list[_Candidate] = []
    # Margins: one involved margin makes the resection's margins positive.
    margins = [
        s
        for s in extent.find_margins(text)
        if context.role(s.start) in (*_REPORT_ROLES, Role.SPECIMEN)
        and context.part(s.start) not in context.node_parts
    ]
    main_margins = [s for s in margins if not context.main or context.part(s.start)
                    in (context.main, "")]  # fmt: skip
    chosen = main_margins or margins
    positive = [s for s in chosen if s.value == "Positive"]
    for statement in positive or chosen:
        score = _weight(context, statement.start) + statement.strength + (5 if positive else 0)
        if statement.value.startswith("Negative,"):
            score += 0.5
        out.append(
            _Candidate(
                _finding(
                    context, "diagnosis.margins", statement.value, statement.start, statement.end
                ),  # fmt: skip
                score,
            )
        )
    for statement in extent.find_lvi(text):
        if context.role(statement.start) is Role.FAMILY:
            continue
        score = _weight(context, statement.start) + statement.strength
        out.append(
            _Candidate(
                _finding(
                    context, "diagnosis.lvi", statement.value, statement.start, statement.end
                ),  # fmt: skip
                score,
            )
        )
    for statement in extent.find_sizes(text):
        role = context.role(statement.start)
        if role in (Role.FAMILY, Role.PAST, Role.HISTORY):
            continue
        if context.part(statement.start) in context.node_parts:
            continue
        score = _weight(context, statement.start) + 3 * statement.strength
        out.append(
            _Candidate(
                _finding(
                    context, "diagnosis.size", statement.value, statement.start, statement.end
                ),  # fmt: skip
                score,
            )
        )
    out += _node_candidates(context)
    return out


def _node_candidates(context: _Context) -> list[_Candidate]:
    """ "P of T positive": a total the report states wins; else each specimen's count, added."""
    counts = [
        c for c in extent.find_node_counts(context.text) if context.role(c.start) is not Role.FAMILY
    ]
    if not counts:
        return []
    out: list[_Candidate] = []
    for count in counts:
        if count.stated_total:
            out.append(
                _Candidate(
                    _finding(
                        context,
                        "diagnosis.lymph_nodes",
                        f"{count.positive} of {count.total} positive",
                        count.start,
                        count.end,
                    ),  # fmt: skip
                    _weight(context, count.start, main_bonus=False) + 8,
                )
            )
    # Each count once: reports repeat their diagnosis (and scans repeat a page), so a count
    # whose numbers and words match an earlier one is the same count.
    in_diagnosis = [
        c for c in counts if context.role(c.start) in (Role.DIAGNOSIS, Role.ADDENDUM, Role.TOP)
    ] or counts
    kept: list[extent.NodeCount] = []
    for count in in_diagnosis:
        if count.stated_total:
            continue
        words = _around(context.text, count)
        if any(
            (k.positive, k.total) == (count.positive, count.total)
            and SequenceMatcher(None, words, _around(context.text, k)).ratio() > 0.9
            for k in kept
        ):
            continue
        kept.append(count)
    if kept:
        # A count before or after all the others that is their sum is the report's total.
        for count in (kept[0], kept[-1]) if len(kept) > 2 else ():
            others = [k for k in kept if k is not count]
            if (
                others
                and count.total == sum(k.total for k in others)
                and count.positive == sum(k.positive for k in others)
            ):
                kept = [count]
                break
        positive = sum(c.positive for c in kept)
        total = sum(c.total for c in kept)
        first, last = kept[0].start, kept[-1].end
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


def _around(text: str, count: extent.NodeCount) -> str:
    return text[max(0, count.start - 40) : count.end + 20].lower()


_RANK_OF_SURGERY = re.compile(r"neck\s+dissection|lymphadenectomy|lymph\s+node|dissection", re.I)


def _treatment_candidates(context: _Context) -> list[_Candidate]:
    text = context.text
    out: list[_Candidate] = []

    def add_surgery(name: str, s: int, e: int, score: float, side_from: tuple[int, int]) -> None:
        if _RANK_OF_SURGERY.search(name):
            score -= 4
        side = anatomy.side_near(text, *side_from)
        if side and not re.match(r"(left|right|bilateral)\b", name, re.I):
            name = f"{side} {name[0].lower()}{name[1:]}"
        out.append(_Candidate(_finding(context, "treatment.surgery", name, s, e), score))

    for part in context.parts:
        if part.label != context.main:
            continue
        end = min(part.end, part.start + 200)
        for name, s, e in treatments.find_surgeries(text, part.start, end):
            add_surgery(name, s, e, 15, (part.start, max(part.header_end, part.start) + 1))
    for match in _PROCEDURE_FIELD.finditer(text):
        for name, s, e in treatments.find_surgeries(text, match.start("v"), match.end("v")):
            add_surgery(name, s, e, 14, (match.start("v"), match.end("v")))
    for name, s, e in treatments.find_surgeries(text):
        role = context.role(s)
        if role in (Role.FAMILY, Role.PAST, Role.PLAN, Role.OTHER):
            continue
        if (
            name.lower() in ("resection", "excision")
            or negation.certainty(text, s, e) is not Certainty.STATED
        ):
            continue
        if role is Role.GROSS:
            # "A radical nephrectomy specimen": the gross description names the procedure.
            if not re.match(r"\s*specimen", text[e : e + 12], re.I):
                continue
            score = 9.0
        elif not context.pathology and role is not Role.SPECIMEN:
            continue
        else:
            score = _weight(context, s) - 1 + (2 if role is Role.SPECIMEN else 0)
        add_surgery(name, s, e, score, (max(0, s - 30), s))
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


# -- choosing --------------------------------------------------------------------------------


def _best(candidates: Iterable[_Candidate], key: str) -> _Candidate | None:
    usable = [
        c for c in candidates if c.finding.key == key and c.finding.certainty is Certainty.STATED
    ]
    if not usable:
        return None
    return max(usable, key=lambda c: (c.score, -c.finding.start))


def _is_pathology(text: str, kind: DocumentKind | None) -> bool:
    if kind is not None:
        return kind is DocumentKind.PATHOLOGY
    from app.ingest.classify import guess_kind

    return guess_kind(text).kind is DocumentKind.PATHOLOGY


# Keys said of the tumour itself: given only when the report names a cancer.
_TUMOUR_KEYS = ("diagnosis.site", "diagnosis.laterality", "diagnosis.histology",
                "diagnosis.grade", "diagnosis.grade_system")  # fmt: skip


def read_report(text: str, kind: DocumentKind | None = None) -> ReportReading:
    """The facts a pathology or clinical report states about a cancer (see module doc)."""
    prepared = prepare(text)
    body = prepared.text
    found_sections = sections.split_sections(body)
    parts = _diagnosis_parts(body, found_sections)
    main, node_parts = _choose_main(body, parts)
    context = _Context(prepared, found_sections, parts, main, node_parts, _is_pathology(text, kind))
    candidates = _histology_candidates(context)
    malignant = _malignant(context, candidates)
    histology_best = _best(candidates, "diagnosis.histology")
    chosen_name = histology_best.finding if histology_best else None
    if malignant:
        candidates += _site_candidates(context, chosen_name)
        candidates += _grade_candidates(context)
    candidates += _tnm_candidates(context)
    candidates += _biomarker_candidates(context)
    candidates += _extent_candidates(context)
    candidates += _treatment_candidates(context)
    site = _best(candidates, "diagnosis.site")
    _laterality(context, candidates, site.finding if site else None)

    chosen: list[Finding] = []
    for key in dict.fromkeys(c.finding.key for c in candidates):
        if not malignant and key in _TUMOUR_KEYS:
            continue
        if malignant is False and key.startswith("stage."):
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
    """True when the report names a cancer; False when it says none was found."""
    text = context.text
    stated = [
        c
        for c in candidates
        if c.finding.key == "diagnosis.histology" and c.finding.certainty is Certainty.STATED
    ]
    for candidate in stated:
        position = _prepared_offset(context, candidate.finding.start)
        role = context.role(position)
        if role in _REPORT_ROLES or context.in_field(position):
            return True
        if not context.pathology and role is not Role.FAMILY:
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
