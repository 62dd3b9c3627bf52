"""The site and side of the main tumour: where a report names the organ of its cancer.

Sites are read from a synoptic "Tumor site:" field, the main specimen's own words, a
"primary ovarian" statement, a cancer named by its organ ("bladder cancer"), a name that
says its organ ("hepatocellular carcinoma"), and organs written in the same clause as a
stated cancer. Lymph nodes, organs a cancer spreads to ("metastatic to the liver") and
organs that come out with the tumour's organ (omentum, spleen) count for little. A side
goes with its own organ, and only a paired organ has one.
"""

from __future__ import annotations

import re
from dataclasses import replace

from app.ingest.clinical import anatomy, histology, negation
from app.ingest.clinical.model import Certainty, Finding
from app.ingest.clinical.sections import Role
from app.ingest.clinical.weighing import (
    PROCEDURE_FIELD,
    REPORT_ROLES,
    Candidate,
    Context,
    make_finding,
    place_weight,
    prepared_offset,
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
# "metastatic to the liver", "metastasized to her lung, liver and brain": not the primary.
_METASTASIS_TO = re.compile(
    r"\b(?:metasta\w*|spread|extend\w*|involv\w*|invad\w*|implants?|protrud\w*)\s+"
    r"(?:\w+\s+){0,2}?"
    r"(?:to|into|in|on)\s+(?:the\s+|her\s+|his\s+)?[^.;]{0,80}",
    re.IGNORECASE,
)
# Organs that a carcinoma reaches or that come out with the tumour's organ, rarely its home.
_BYSTANDERS = ("Omentum", "Peritoneum", "Spleen")
_GENERAL_PRIMARY = re.compile(
    r"\b(?:are|is)\s+(?:very\s+|extremely\s+)?(?:rare|uncommon)|\bpatients\b|\btypically\b|"
    r"\busually\b|\bgenerally\b|\bin\s+general\b|\bdifferential\b|\bversus\b|\bvs\b|"
    r"\brule\s+out\b|\bexclude\b|\bnot\s+(?:a|the)\s+primary\b",
    re.IGNORECASE,
)
_PRIMARY = re.compile(
    r"\bprimary\s+(?P<w>[a-z]+)\s+(?:carcinoma|neoplasm|tumou?r|cancer|adenocarcinoma|"
    r"malignancy)|\b(?:carcinoma|neoplasm|tumou?r|cancer)\s+(?:is\s+)?primary\s+(?:to|in|of)\s+"
    r"(?:the\s+)?(?P<w2>[a-z]+)|\b(?:an?|the)\s+(?P<w3>[a-z]+)\s+primary\b",
    re.IGNORECASE,
)


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


def site_candidates(context: Context, chosen: Finding | None) -> list[Candidate]:
    text = context.text
    out: list[Candidate] = []
    histology_at = prepared_offset(context, chosen.start) if chosen else -1
    histology_end = prepared_offset(context, chosen.end) if chosen else -1

    def add(site: anatomy.Site, score: float, side: bool = True) -> None:
        if site.is_node:
            score -= 8
        if site.organ in _BYSTANDERS:
            score -= 4
        if _in_metastasis_phrase(text, site.start):
            score -= 6
        if site.region:
            organ = "Skin" if chosen and _SKIN_NAMES.search(chosen.value) else "Soft tissue"
            site = anatomy.Site(organ, site.region, site.side, site.start, site.end, site.region)
        out.append(
            Candidate(
                make_finding(context, "diagnosis.site", site.value, site.start, site.end), score
            )
        )
        if site.side and side and site.organ in anatomy.PAIRED:
            out.append(
                Candidate(
                    make_finding(context, "diagnosis.laterality", site.side, site.start, site.end),
                    score,
                )
            )

    # Synoptic fields: "Tumor site: Cervix and lower uterine segment".
    for match in _SITE_FIELD.finditer(text):
        for index, site in enumerate(anatomy.find_sites(text, match.start("v"), match.end("v"))):
            add(site, 16 - index)
    for match in PROCEDURE_FIELD.finditer(text):
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
        word = match.group("w") or match.group("w2") or match.group("w3")
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
            add(site, place_weight(context, match.start()) + 2)
    # A name that says its organ ("prostatic adenocarcinoma", "hepatocellular carcinoma").
    if chosen is not None:
        words = text[max(0, histology_at - 40) : histology_end]
        for regex, organ in _ORGAN_OF_NAME:
            if regex.search(chosen.value) or regex.search(words):
                named = anatomy.Site(organ, "", "", histology_at, histology_end)
                add(named, place_weight(context, histology_at) + 1)
                break
        for site in anatomy.find_sites(text, max(0, histology_at - 30), histology_end):
            if site.organ != "Lymph node" and not site.procedure:
                distance = max(0, histology_at - site.end)
                add(site, place_weight(context, histology_at) + 2 - distance / 15)
        if _SOFT_TISSUE_NAMES.search(chosen.value):
            named = anatomy.Site("Soft tissue", "", "", histology_at, histology_end)
            add(named, 1)
    # Organs written near a stated cancer name, in the same clause.
    for name in histology.find_histologies(text):
        if negation.certainty(text, name.start, name.end) is not Certainty.STATED:
            continue
        role = context.role(name.start)
        if role is Role.FAMILY:
            continue
        # A pathology report's clinical history says what was expected, not what was found.
        aside = 3 if context.pathology and role not in REPORT_ROLES else 0
        clause_start = max(
            text.rfind(".", 0, name.start), text.rfind(";", 0, name.start), name.start - 80
        )
        clause_end_match = re.search(r"[.;]\s", text[name.end : name.end + 100])
        clause_end = name.end + (clause_end_match.start() if clause_end_match else 100)
        for site in anatomy.find_sites(text, clause_start + 1, clause_end):
            if site.procedure:
                continue
            distance = min(abs(site.start - name.start), abs(site.start - name.end))
            add(site, place_weight(context, name.start) - 1 - aside - distance / 60)
        for region in anatomy.find_regions(text, clause_start + 1, clause_end):
            add(region, place_weight(context, name.start) - 2 - aside)
    # A pathology report without specimens: the sites named in its diagnosis.
    if context.pathology and not context.main:
        for section in context.found_sections:
            if section.role not in (Role.DIAGNOSIS, Role.ADDENDUM):
                continue
            for index, site in enumerate(anatomy.find_sites(text, section.start, section.end)):
                add(site, place_weight(context, site.start) - 3 - index * 0.5)
    return out


def choose_laterality(context: Context, candidates: list[Candidate], site: Finding | None) -> None:
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
        finding = make_finding(context, "diagnosis.laterality", word, start, end)
        candidates.append(Candidate(finding, score))

    for match in _LATERALITY_FIELD.finditer(text):
        add(
            anatomy.side_word(match.group("v") or match.group("v2")), match.start(), match.end(), 30
        )
    # A side goes with its own organ: "right kidney" says nothing about the ureter's side.
    organ_at = {
        (c.finding.start, c.finding.end): c.finding.value.split(" (")[0]
        for c in reversed(candidates)
        if c.finding.key == "diagnosis.site"
    }
    kept: list[Candidate] = []
    for candidate in candidates:
        if candidate.finding.key == "diagnosis.laterality":
            twin = organ_at.get((candidate.finding.start, candidate.finding.end))
            if twin is not None and twin != organ:
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
        add(found.side, found.start, found.end, place_weight(context, found.start) - 5)


def name_the_kidney(candidates: list[Candidate], site: Finding, best: Candidate) -> None:
    """In the kidney, "clear cell carcinoma" is clear cell renal cell carcinoma (OCR and
    brevity drop the "renal cell")."""
    value = best.finding.value
    if not site.value.startswith("Kidney") or "renal" in value.lower():
        return
    match = re.fullmatch(r"(Clear cell|Papillary|Chromophobe) carcinoma", value, re.IGNORECASE)
    if match is None:
        return
    named = replace(best.finding, value=f"{match.group(1).capitalize()} renal cell carcinoma")
    candidates[candidates.index(best)] = Candidate(named, best.score)
