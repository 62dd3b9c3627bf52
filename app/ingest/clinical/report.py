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
from bisect import bisect_left, bisect_right

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
from app.ingest.clinical.extent_choice import extent_candidates
from app.ingest.clinical.model import Certainty, Finding, ReportReading
from app.ingest.clinical.prepare import prepare
from app.ingest.clinical.sections import Role
from app.ingest.clinical.tumour_site import choose_laterality, name_the_kidney, site_candidates
from app.ingest.clinical.weighing import (
    PROCEDURE_FIELD,
    REPORT_ROLES,
    Candidate,
    Context,
    best_candidate,
    choose_main,
    diagnosis_parts,
    make_finding,
    place_weight,
    prepared_offset,
)
from app.ingest.kinds import DocumentKind

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

# -- histology -------------------------------------------------------------------------------


def _histology_candidates(context: Context) -> list[Candidate]:
    out: list[Candidate] = []
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
        score = place_weight(context, found.start)
        if found.in_situ:
            score -= 4
        if found.metastatic:
            score -= 3
        if context.part(found.start) in context.node_parts:
            score -= 3
        score += 0.2 * len(found.value.split())
        if found.value.lower() in ("carcinoma", "malignant neoplasm", "tumor", "cancer"):
            score -= 1
        finding = make_finding(
            context, "diagnosis.histology", found.value, found.start, found.end, certainty
        )
        out.append(Candidate(finding, score))
    return out


# -- grade -------------------------------------------------------------------------------------


def _grade_candidates(context: Context) -> list[Candidate]:
    text = context.text
    out: list[Candidate] = []
    names = [
        (h.start, h.end)
        for h in histology.find_histologies(text)
        if negation.certainty(text, h.start, h.end) is Certainty.STATED
    ]
    starts = [s for s, _ in names]
    for grade in grading.find_grades(text):
        role = context.role(grade.start)
        if role is Role.FAMILY:
            continue
        # Names start before their end; a name within 60 characters after or 80 before.
        first = bisect_left(starts, grade.start - 300)
        last = bisect_right(starts, grade.start + 60)
        near_name = any(e + 80 >= grade.start for _, e in names[first:last])
        in_field = context.in_field(grade.start) or bool(
            re.search(r"grade\s*[:\-]?\s*$", text[max(0, grade.start - 30) : grade.start], re.I)
        )
        in_main = bool(context.main) and context.part(grade.start) == context.main
        if grade.system in ("two-tier", "", "G") and not (near_name or in_field or in_main):
            continue
        before = text[max(0, grade.start - 40) : grade.start]
        before = re.split(r"[.;]\s|\n\n", before)[-1]
        if _NON_CANCER.search(before) and grade.system not in (
            "Gleason",
            "Nottingham",
            "WHO CNS",
            "ISUP",
            "Fuhrman",
            "FIGO",
        ):
            continue
        if grade.system == "two-tier" and re.match(
            r"[\s-]*(?:prostatic\s+intraepithelial|PIN|dysplasia|squamous\s+intraepithelial|"
            r"SIL|intraepithelial|CIN|HGPIN|glioma)",
            text[grade.end : grade.end + 40],
            re.I,
        ):
            continue
        score = place_weight(context, grade.start) + grade.strength
        if near_name:
            score += 1
        finding = make_finding(context, "diagnosis.grade", grade.value, grade.start, grade.end)
        out.append(Candidate(finding, score))
        if grade.system:
            system = make_finding(
                context, "diagnosis.grade_system", grade.system, grade.start, grade.end
            )
            out.append(Candidate(system, score))
    return out


# -- stage ---------------------------------------------------------------------------------


def _tnm_candidates(context: Context) -> list[Candidate]:
    text = context.text
    out: list[Candidate] = []
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
        score = place_weight(context, category.start, main_bonus=False) + (
            3 if category.in_field else 0
        )
        finding = make_finding(context, category.key, category.value, category.start, category.end)
        out.append(Candidate(finding, score))
    for group in tnm.find_stage_groups(text):
        if group.general or context.role(group.start) is Role.FAMILY:
            continue
        sentence = text[max(0, group.start - 60) : group.end + 60]
        if _NON_CANCER.search(sentence) and not group.how:
            continue
        if not (_CANCER_WORD.search(sentence) or group.how or context.in_field(group.start)):
            continue
        score = place_weight(context, group.start, main_bonus=False) + (2 if group.how else 0)
        out.append(
            Candidate(
                make_finding(context, "stage.group", group.value, group.start, group.end), score
            )
        )
    edition, start, end = tnm.find_ajcc_edition(text)
    if edition:
        out.append(Candidate(make_finding(context, "stage.ajcc_edition", edition, start, end), 5))
    return out


# -- biomarkers, extent, treatments ----------------------------------------------------------


def _biomarker_candidates(context: Context) -> list[Candidate]:
    out: list[Candidate] = []
    for marker in biomarkers.find_biomarkers(context.text):
        role = context.role(marker.start)
        if role is Role.FAMILY:
            continue
        score = place_weight(context, marker.start, main_bonus=False)
        finding = make_finding(
            context, f"biomarker.{marker.name}", marker.value, marker.start, marker.end
        )
        out.append(Candidate(finding, score))
    return out


_RANK_OF_SURGERY = re.compile(r"neck\s+dissection|lymphadenectomy|lymph\s+node|dissection", re.I)


def _treatment_candidates(context: Context) -> list[Candidate]:
    text = context.text
    out: list[Candidate] = []

    def add_surgery(name: str, s: int, e: int, score: float, side_from: tuple[int, int]) -> None:
        if _RANK_OF_SURGERY.search(name):
            score -= 4
        side = anatomy.side_near(text, *side_from)
        if side and not re.match(r"(left|right|bilateral)\b", name, re.I):
            name = f"{side} {name[0].lower()}{name[1:]}"
        out.append(Candidate(make_finding(context, "treatment.surgery", name, s, e), score))

    for part in context.parts:
        if part.label != context.main:
            continue
        end = min(part.end, part.start + 200)
        for name, s, e in treatments.find_surgeries(text, part.start, end):
            add_surgery(name, s, e, 15, (part.start, max(part.header_end, part.start) + 1))
    for match in PROCEDURE_FIELD.finditer(text):
        for name, s, e in treatments.find_surgeries(text, match.start("v"), match.end("v")):
            add_surgery(name, s, e, 14, (match.start("v"), match.end("v")))
    if not context.parts:
        # One specimen: the diagnosis opens with it ("Kidney, left, radical nephrectomy:").
        for section in context.found_sections:
            if section.role not in (Role.DIAGNOSIS, Role.ADDENDUM):
                continue
            body = text[section.start : min(section.end, section.start + 160)]
            header = re.match(r"\s*(?:[A-Z0-9]{1,2}[.:)]\s*)?([^:\n]{3,120}):", body)
            if header:
                start, end = section.start + header.start(1), section.start + header.end(1)
                for name, s, e in treatments.find_surgeries(text, start, end):
                    add_surgery(name, s, e, 13, (start, end))
            break
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
            score = place_weight(context, s) - 1 + (2 if role is Role.SPECIMEN else 0)
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
                out.append(Candidate(make_finding(context, key, value, s, e), 5))
    plan, s, e = sections.plan_text(text, context.found_sections)
    if plan:
        out.append(Candidate(make_finding(context, "plan", plan, s, e), 5))
    found = dates.find_diagnosis_date(text)
    if found:
        iso, s, e = found
        out.append(Candidate(make_finding(context, "diagnosis.date", iso, s, e), 5))
    return out


# -- choosing --------------------------------------------------------------------------------


def _is_pathology(text: str, kind: DocumentKind | None) -> bool:
    if kind is not None:
        return kind is DocumentKind.PATHOLOGY
    from app.ingest.classify import guess_kind

    return guess_kind(text).kind is DocumentKind.PATHOLOGY


# Keys said of the tumour itself: given only when the report names a cancer.
_TUMOUR_KEYS = ("diagnosis.site", "diagnosis.laterality", "diagnosis.histology",
                "diagnosis.grade", "diagnosis.grade_system")  # fmt: skip


# Reports are short (100,000 characters is about 30 pages); a longer text is a whole health
# record or a book of scans, and reading all of it would take seconds per megabyte. Its
# opening pages are read.
MAX_CHARS = 100_000


def read_report(text: str, kind: DocumentKind | None = None) -> ReportReading:
    """The facts a pathology or clinical report states about a cancer (see module doc); the
    text's first MAX_CHARS characters are read."""
    text = text[:MAX_CHARS]
    prepared = prepare(text)
    body = prepared.text
    found_sections = sections.split_sections(body)
    parts = diagnosis_parts(body, found_sections)
    main, node_parts = choose_main(body, parts)
    context = Context(prepared, found_sections, parts, main, node_parts, _is_pathology(text, kind))
    candidates = _histology_candidates(context)
    malignant = _malignant(context, candidates)
    histology_best = best_candidate(candidates, "diagnosis.histology")
    chosen_name = histology_best.finding if histology_best else None
    if malignant:
        candidates += site_candidates(context, chosen_name)
        candidates += _grade_candidates(context)
    candidates += _tnm_candidates(context)
    candidates += _biomarker_candidates(context)
    candidates += extent_candidates(context)
    candidates += _treatment_candidates(context)
    site = best_candidate(candidates, "diagnosis.site")
    choose_laterality(context, candidates, site.finding if site else None)

    if site is not None and histology_best is not None:
        name_the_kidney(candidates, site.finding, histology_best)
    chosen: list[Finding] = []
    for key in dict.fromkeys(c.finding.key for c in candidates):
        if not malignant and key in _TUMOUR_KEYS:
            continue
        if malignant is False and key.startswith("stage."):
            continue
        best = best_candidate(candidates, key)
        if best is not None:
            chosen.append(best.finding)
    _keep_grade_with_system(chosen, candidates)
    return ReportReading(
        malignant=malignant,
        findings=tuple(chosen),
        candidates=tuple(c.finding for c in candidates),
    )


def _keep_grade_with_system(chosen: list[Finding], candidates: list[Candidate]) -> None:
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


def _malignant(context: Context, candidates: list[Candidate]) -> bool | None:
    """True when the report names a cancer; False when it says none was found."""
    text = context.text
    stated = [
        c
        for c in candidates
        if c.finding.key == "diagnosis.histology" and c.finding.certainty is Certainty.STATED
    ]
    for candidate in stated:
        position = prepared_offset(context, candidate.finding.start)
        role = context.role(position)
        if role in REPORT_ROLES or context.in_field(position):
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
        if role is not Role.FAMILY and (role in REPORT_ROLES or not context.pathology):
            return True
    for match in negation.NO_MALIGNANCY.finditer(text):
        if context.role(match.start()) in REPORT_ROLES:
            return False
    if stated:
        return True
    return None


def main_specimen_header(text: str) -> str:
    """The words that name the main specimen ("Left breast, core biopsy"): the header of the
    specimen the diagnosis is about, or the first line of a one-specimen diagnosis; "" when
    the report names none."""
    body = prepare(text).text
    found_sections = sections.split_sections(body)
    parts = diagnosis_parts(body, found_sections)
    main, nodes = choose_main(body, parts)
    for part in parts:
        if part.label == main and part.label not in nodes:
            return body[part.start : max(part.header_end, part.start)]
    if parts:
        return ""
    for section in found_sections:
        if section.role in (Role.DIAGNOSIS, Role.ADDENDUM):
            chunk = body[section.start : min(section.end, section.start + 160)]
            line = re.match(r"\s*(?:[A-Z0-9]{1,2}[.:)]\s*)?([^:\n]{3,120}):", chunk)
            return line.group(1) if line else ""
    return ""
