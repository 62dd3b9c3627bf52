"""A title from a report's own words, for a file whose name says nothing ("scan_0012.pdf"):
"Surgical pathology report: left breast core biopsy", "CT chest with contrast",
"Discharge summary"."""

from __future__ import annotations

import re

from app.ingest.clinical import anatomy, sections
from app.ingest.clinical.prepare import one_line, prepare
from app.ingest.kinds import DocumentKind

_HEAD_CHARS = 1500
# Headings a report gives itself, in the words a patient knows.
_OWN_TITLES = (
    (
        r"surgical\s+pathology(?:\s+(?:report|consultation|final\s+report))?",
        "Surgical pathology report",
    ),
    (
        r"cytopathology(?:\s+report)?|cytology\s+report|non-?gynecologic\s+cytology",
        "Cytology report",
    ),
    (r"(?:hemato)?pathology\s+(?:report|consultation)", "Pathology report"),
    (r"autopsy(?:\s+report)?|post-?mortem\s+examination", "Autopsy report"),
    (r"discharge\s+summary", "Discharge summary"),
    (r"transfer\s+summary", "Transfer summary"),
    (r"operative\s+(?:report|note)|operation\s+note|procedure\s+note", "Operative report"),
    (r"history\s+and\s+physical(?:\s+examination)?|h\s*&\s*p", "History and physical"),
    (
        r"(?:oncology\s+|hematology\s+)?consult(?:ation)?(?:\s+(?:report|note|letter))?",
        "Consultation",
    ),
    (r"progress\s+note|clinic\s+note|office\s+(?:note|visit)|follow-?up\s+visit", "Clinic note"),
    (r"radiology\s+report|imaging\s+report", "Imaging report"),
    (r"laboratory\s+(?:report|results?)", "Lab results"),
    (r"treatment\s+(?:plan|summary)", "Treatment plan"),
    (r"radiation\s+(?:oncology\s+)?(?:treatment\s+)?summary", "Radiation treatment summary"),
    (r"emergency\s+(?:department|room)\s+(?:report|note|visit)", "Emergency visit note"),
)
_PATHOLOGY_TITLES = (
    "Surgical pathology report",
    "Pathology report",
    "Cytology report",
    "Autopsy report",
)
_OWN = [(re.compile(rf"\b(?:{p})\b", re.IGNORECASE), title) for p, title in _OWN_TITLES]
_MODALITY = (
    r"(?:PET\s*/\s*CT|PET-CT|CT\s*/\s*PET|PET|CT|CTA|MRI|MR|MRA|X-?RAY|XR|"
    r"ultrasound|US|sonogram|mammogram|mammography|(?:bilateral\s+)?(?:screening\s+|diagnostic\s+)?"
    r"mammogra\w*|bone\s+scan|nuclear\s+medicine|echocardiogram|DEXA|radiograph\w*|"
    r"fluoroscop\w*|angiogra\w*)"
)
_EXAM = re.compile(
    r"(?:\b(?:exam(?:ination)?|study|procedure|title|type\s+of\s+study)\s*[:\-]\s*)?"
    rf"\b(?P<exam>{_MODALITY}\b[A-Za-z0-9 ,/&()-]{{2,70}}?)"
    r"(?=\s*(?:\n|[.;]|,\s*[A-Z]{3,}|\s{2,}|$|clinical|history|indication|comparison|"
    r"technique|findings|reason|date))",
    re.IGNORECASE,
)
_SPECIMEN_LINE = re.compile(
    r"(?P<words>[A-Za-z][A-Za-z ,;/()-]{3,90}?)\s*(?=[:\n]|$|\.\s|\s-\s)", re.IGNORECASE
)
_PROCEDURE = re.compile(
    r"\b(?:core(?:\s+needle)?\s+biopsy|needle\s+biopsy|punch\s+biopsy|shave\s+biopsy|"
    r"excisional\s+biopsy|incisional\s+biopsy|wedge\s+biopsy|biopsy|biopsies|resection|"
    r"excision|[a-z]*ectomy|fine\s+needle\s+aspiration|aspiration|curettage|"
    r"whipple|dissection|lumpectomy)\b",
    re.IGNORECASE,
)


def _own_title(head: str) -> str:
    """The report's own title near the top, as a patient would say it."""
    best: tuple[int, str] | None = None
    for regex, title in _OWN:
        match = regex.search(head)
        if match and (best is None or match.start() < best[0]):
            best = (match.start(), title)
    return best[1] if best else ""


def _specimen(text: str) -> str:
    """The main specimen in plain words: "left breast core biopsy"."""
    found = sections.split_sections(text)
    bodies = [s for s in found if s.role is sections.Role.SPECIMEN]
    bodies += [s for s in found if s.role in (sections.Role.DIAGNOSIS, sections.Role.TOP)]
    for section in bodies:
        parts = sections.split_parts(text, section.start, section.end)
        starts = [p.start for p in parts] or [section.start]
        for start in starts:
            chunk = text[start : min(section.end, start + 160)]
            chunk = re.sub(
                r"^\s*(?:(?:part|specimen)\s+)?\(?[A-Z0-9]{1,2}\s*[.:)\-]\s*",
                "",
                chunk,
                flags=re.IGNORECASE,
            )
            line = _SPECIMEN_LINE.match(chunk.strip())
            if line is None:
                continue
            words = line.group("words")
            sites = anatomy.find_sites(words)
            if not sites or all(s.is_node for s in sites):
                continue
            return _tidy_specimen(words)
    return ""


def _tidy_specimen(words: str) -> str:
    """ "LEFT BREAST, CORE BIOPSY" -> "left breast core biopsy"."""
    words = re.sub(
        r"\b(?:SP|received\s+fresh|in\s+formalin|labeled|fresh)\b", " ", words, flags=re.IGNORECASE
    )
    words = re.sub(r"[;,/()]+", " ", words)
    words = one_line(words).strip(" -:.")
    words = words.lower()
    return words[:80]


def _exam(head: str) -> str:
    match = _EXAM.search(head)
    if not match:
        return ""
    exam = one_line(match.group("exam")).strip(" ,-:")
    if len(exam) < 4 or len(exam.split()) < 2:
        return ""
    words = exam.split()
    # "CT OF THE CHEST WITH CONTRAST" -> "CT of the chest with contrast".
    out = [words[0].upper() if len(words[0]) <= 4 else words[0].capitalize()]
    for word in words[1:]:
        out.append(
            word
            if (
                word.isupper()
                and len(word) <= 3
                and word not in ("OF", "THE", "AND", "WITH", "FOR")
            )
            else word.lower()
        )
    return " ".join(out)


def title_from_text(text: str, kind: DocumentKind | None = None) -> str:
    """A title from the report's heading (and, for a pathology report, its specimen), or ""
    when the text names nothing."""
    prepared = prepare(text[:6000])
    body = prepared.text
    head = body[:_HEAD_CHARS]
    own = _own_title(head[:600])
    if kind is None:
        from app.ingest.classify import guess_kind

        kind = guess_kind(text).kind
    if kind is DocumentKind.PATHOLOGY or own in _PATHOLOGY_TITLES:
        specimen = _specimen(body)
        heading = own if own in _PATHOLOGY_TITLES else "Pathology report"
        return f"{heading}: {specimen}" if specimen and heading != "Autopsy report" else heading
    if kind is DocumentKind.IMAGING:
        exam = _exam(head)
        return exam or own or "Imaging report"
    if own:
        return own
    if kind is not None and kind is not DocumentKind.OTHER:
        return kind.label
    return ""
