"""Where a fact sits in a report and how much that counts: the report's sections and
specimens, the weight of each place, the main specimen (the one the diagnosis is about), and
the candidate values read there. Shared by the parts of `read_report`."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field

from app.ingest.clinical import anatomy, grading, histology, negation, sections, treatments
from app.ingest.clinical.model import Certainty, Finding
from app.ingest.clinical.prepare import Prepared
from app.ingest.clinical.sections import Role

# How much a place in the report counts for facts about the diagnosis.
ROLE_WEIGHT = {
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
REPORT_ROLES = (Role.ADDENDUM, Role.DIAGNOSIS, Role.TOP, Role.COMMENT, Role.MICROSCOPIC,
                 Role.FROZEN)  # fmt: skip
# A synoptic field label right before a value: "Histologic Type:", "Tumor Site:".
FIELD_LABEL = re.compile(
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
PROCEDURE_FIELD = re.compile(
    r"\b(?:procedure|specimen\s+type|type\s+of\s+(?:procedure|specimen)|operation|"
    r"name\s+of\s+(?:operation|procedure)|title\s+of\s+(?:operation|procedure))\s*[:\-]\s*"
    r"(?P<v>[^\n;]{3,100})",
    re.IGNORECASE,
)


@dataclass
class Context:
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
        index = bisect_right(self.parts, position, key=lambda p: p.start) - 1
        if index >= 0 and self.parts[index].start <= position < self.parts[index].end:
            return self.parts[index].label
        return ""

    def in_field(self, position: int) -> bool:
        line_start = self.text.rfind("\n", 0, position)
        before = self.text[max(line_start + 1, position - 60) : position]
        return bool(FIELD_LABEL.search(before))


@dataclass(frozen=True)
class Candidate:
    finding: Finding
    score: float


def make_finding(
    context: Context,
    key: str,
    value: str,
    start: int,
    end: int,
    certainty: Certainty = Certainty.STATED,
) -> Finding:
    original_start, original_end = context.prepared.span(start, end)
    return Finding(key, value, original_start, original_end, context.part(start), certainty)


def place_weight(context: Context, position: int, *, main_bonus: bool = True) -> float:
    role = context.role(position)
    score = float(ROLE_WEIGHT[role])
    if context.in_field(position):
        score += 4
    label = context.part(position)
    if main_bonus and context.main and label:
        score += 3 if label == context.main else -6
    if role is Role.ADDENDUM:
        # The later of two addenda is the later word.
        score += position / max(1, len(context.text))
    return score


def prepared_offset(context: Context, original: int) -> int:
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


def choose_main(text: str, parts: list[sections.Part]) -> tuple[str, set[str]]:
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
            graded = bool(grading.find_grades(text, part.start, part.end))
            if graded and _TUMOUR_WORDS.search(body) and not negation.NO_MALIGNANCY.search(body):
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


def diagnosis_parts(text: str, found_sections: list[sections.Section]) -> list[sections.Part]:
    parts: list[sections.Part] = []
    for section in found_sections:
        if section.role in (Role.DIAGNOSIS, Role.ADDENDUM, Role.TOP):
            parts += sections.split_parts(text, section.start, section.end)
    return parts


def best_candidate(candidates: Iterable[Candidate], key: str) -> Candidate | None:
    usable = [
        c for c in candidates if c.finding.key == key and c.finding.certainty is Certainty.STATED
    ]
    if not usable:
        return None
    return max(usable, key=lambda c: (c.score, -c.finding.start))
