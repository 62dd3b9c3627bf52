"""A title from a report's own words, for a file whose name says nothing ("scan_0012.pdf"):
"Surgical pathology report: left breast, core biopsy", "CT chest with contrast",
"Discharge summary: Ewing sarcoma", "Operative report: excision of right breast mass".

The heading the report gives itself says what it is; for a pathology report the main
specimen (the one the diagnosis is about) says what was examined; for an imaging report the
examination line names the study; for notes, the reason for the visit or the operation.
"""

from __future__ import annotations

import re

from app.ingest.clinical import anatomy, sections
from app.ingest.clinical.prepare import one_line, prepare
from app.ingest.kinds import DocumentKind

_HEAD_CHARS = 1500
_MAX_WORDS = 10
# Headings a report gives itself, in the words a patient knows. Searched near the top only.
_OWN_TITLES = (
    (r"surgical\s+pathology(?:\s+(?:report|consultation|final\s+report))?",
     "Surgical pathology report"),
    (r"cytopathology(?:\s+report)?|cytology\s+report|non-?gynecologic\s+cytology",
     "Cytology report"),
    (r"(?:hemato)?pathology\s+(?:report|consultation)|histopathology\s+report",
     "Pathology report"),
    (r"autopsy(?:\s+report)?|post-?mortem\s+examination", "Autopsy report"),
    (r"discharge\s+summary", "Discharge summary"),
    (r"transfer\s+summary", "Transfer summary"),
    (r"operative\s+(?:report|note)|operation\s+note|procedure\s+note", "Operative report"),
    (r"history\s+and\s+physical(?:\s+examination)?", "History and physical"),
    (r"(?:oncology\s+|hematology\s+|surgical\s+)?consultation(?:\s+(?:report|note|letter))?|"
     r"consult\s+note", "Consultation"),
    (r"progress\s+note|clinic\s+note|office\s+(?:note|visit)|follow-?up\s+visit",
     "Clinic note"),
    (r"radiology\s+report|imaging\s+report", "Imaging report"),
    (r"laboratory\s+(?:report|results?)", "Lab results"),
    (r"treatment\s+(?:plan|summary)", "Treatment plan"),
    (r"radiation\s+(?:oncology\s+)?(?:treatment\s+)?summary", "Radiation treatment summary"),
    (r"emergency\s+(?:department|room)\s+(?:report|note|visit)", "Emergency visit note"),
)  # fmt: skip
_OWN = [(re.compile(rf"\b(?:{p})\b", re.IGNORECASE), title) for p, title in _OWN_TITLES]
_PATHOLOGY_TITLES = ("Surgical pathology report", "Pathology report", "Cytology report")
_MODALITY = (
    r"(?:PET\s*/\s*CT|PET-CT|CT\s*/\s*PET|PET|CTA|CT|MRA|MRI|MR|X-?RAY|XR|ultrasound|US|"
    r"sonogram|(?:bilateral\s+|unilateral\s+)?(?:screening\s+|diagnostic\s+)?mammogra\w*|"
    r"bone\s+scan|nuclear\s+medicine|echocardiogra\w*|DEXA|radiograph\w*|fluoroscop\w*|"
    r"angiogra\w*|chest\s+(?:x-?ray|radiograph)|(?:chest|abdomen)\s*,)"
)
# The examination a report names: after "EXAM:" or as its first words.
_EXAM_LABEL = re.compile(
    r"\b(?:exam(?:ination)?|study|procedure|type\s+of\s+(?:study|exam)|title)\s*[:\-]\s*"
    r"(?P<exam>[^\n.;:]{3,90})",
    re.IGNORECASE,
)
_EXAM_FIRST = re.compile(rf"^\W*(?P<exam>{_MODALITY}\b[^\n.;:]{{2,90}})", re.IGNORECASE)
_STARTS_WITH_MODALITY = re.compile(rf"^\W*{_MODALITY}\b", re.IGNORECASE)
_VERB = re.compile(
    r"\b(?:is|was|were|are|has|have|had|performed|obtained|utilized|shows?|showed|reveals?|"
    r"demonstrates?|estimated|measures?|received|taken)\b",
    re.IGNORECASE,
)
_REASON = re.compile(
    r"\b(?:reason\s+for\s+(?:the\s+)?(?:consultation|consult|referral|visit)|chief\s+complaint|"
    r"\bcc)\s*[:\-]\s*(?P<v>[^\n.;]{3,80})",
    re.IGNORECASE,
)
_OPERATION = re.compile(
    r"\b(?:name\s+of\s+(?:the\s+)?(?:operation|procedure)|title\s+of\s+(?:the\s+)?(?:operation|"
    r"procedure)|operations?\s+performed|procedures?\s+performed|operation|procedures?)\s*"
    r"[:\-]\s*(?P<v>[^\n.;]{3,100})",
    re.IGNORECASE,
)
_DISCHARGE_DIAGNOSIS = re.compile(
    r"\b(?:discharge|admitting|admission|final|principal)\s+diagnos[ie]s\s*[:\-]\s*"
    r"(?:1\s*[.)]\s*)?(?P<v>[^\n.;,]{3,60})",
    re.IGNORECASE,
)


def _own_title(head: str) -> str:
    """The report's own title near the top, as a patient would say it."""
    best: tuple[int, str] | None = None
    for regex, title in _OWN:
        for match in regex.finditer(head):
            # A heading stands alone or in capitals; "thank you for this consultation" in a
            # sentence does not name the document.
            words = match.group(0)
            line_start = head.rfind("\n", 0, match.start()) + 1
            alone = not head[line_start : match.start()].strip(" *-:\t")
            if words.isupper() or alone or match.start() < 40:
                if best is None or match.start() < best[0]:
                    best = (match.start(), title)
                break
    return best[1] if best else ""


# A specimen label in front of its words: "A.", "(c)", "A.-D.", "G/H.", "Part 1:".
_LABEL = re.compile(
    r"^[\s.,-]*(?:(?:part|specimen)\s*#?\s*)?\(?\s*[A-Za-z0-9]{1,2}"
    r"(?:\s*[-/.]+\s*[A-Za-z0-9]{1,2})?\s*[.:),]+\s*(?:-\s*)?",
    re.IGNORECASE,
)
_NOISE = re.compile(r"\([^)]{0,12}\d[^)]{0,12}\)|\bSP\s*:|[\"`]|(?<![A-Za-z])'|'(?![A-Za-z])")


def _phrase(words: str) -> str:
    """A short phrase for a title: one line, no specimen label or codes, cut at a comma
    within a few words."""
    words = _NOISE.sub(" ", words)
    words = re.sub(r",(?=\S)", ", ", words)  # commas that stood for line breaks
    words = re.sub(r"\s*([,;])\s*(?:[.,;]\s*)*", r"\1 ", one_line(words))
    for _ in range(3):
        label = _LABEL.match(words)
        if label is None or label.end() >= len(words):
            break
        words = words[label.end() :]
    words = words.strip(" ,-:;.")
    kept = words.split()
    if len(kept) > _MAX_WORDS:
        cut = " ".join(kept[:_MAX_WORDS])
        words = cut.rsplit(",", 1)[0] if "," in cut else cut
    words = re.sub(r"\s+(?:and|or|with|of)$", "", words.strip(" ,"))
    return words.lower() if words.isupper() else words


def _lower_first(text: str) -> str:
    if not text:
        return text
    first = text.split()[0]
    if first.isupper() and len(first) <= 4:  # "CT", "MRI", "TAH"
        return text
    return text[0].lower() + text[1:]


def _specimen(text: str) -> str:
    """The main specimen in plain words: "left breast, core biopsy"."""
    from app.ingest.clinical.report import main_specimen_header

    header = main_specimen_header(text)
    if header and any(not s.is_node for s in anatomy.find_sites(header)):
        return _lower_first(_phrase(header))
    found = sections.split_sections(text)
    for section in found:
        if section.role is not sections.Role.SPECIMEN:
            continue
        parts = sections.split_parts(text, section.start, section.end)
        starts = [(p.start, p.end) for p in parts] or [(section.start, section.end)]
        for start, end in starts:
            chunk = re.sub(
                r"^\s*(?:(?:part|specimen)\s+)?\(?[A-Z0-9]{1,2}\s*[.:)\-]\s*",
                "",
                text[start:end],
                flags=re.IGNORECASE,
            )
            line = re.split(r"[\n:]", chunk.strip(), maxsplit=1)[0]
            if any(not s.is_node for s in anatomy.find_sites(line)):
                return _lower_first(_phrase(line))
    return ""


def _exam(text: str) -> str:
    """The examination an imaging report names: "CT chest with contrast"."""
    for match in (_EXAM_LABEL.search(text[:_HEAD_CHARS]), _EXAM_FIRST.search(text[:300])):
        if match is None:
            continue
        exam = _first_item(one_line(match.group("exam"))).strip(" ,-:")
        if _VERB.search(exam) or not _STARTS_WITH_MODALITY.search(exam):
            continue
        words = exam.split()[:_MAX_WORDS]
        if len(words) < 2:
            continue
        out = [words[0].upper() if len(words[0]) <= 4 else words[0].capitalize()]
        for word in words[1:]:
            short = word.isupper() and len(word) <= 3 and word not in ("OF", "THE", "AND", "FOR")
            out.append(word if short and word != "WITH" else word.lower())
        return " ".join(out).strip(" ,")
    return ""


def _first_item(words: str) -> str:
    """The words before a comma that stood for a line break ("...ANKLE,CLINICAL:")."""
    return re.split(r",(?=\S)", words.strip(" ,"))[0]


def _field(regex: re.Pattern[str], text: str) -> str:
    """A field's value when it is a name, not a sentence ("The patient was taken...")."""
    match = regex.search(text[: _HEAD_CHARS * 2])
    if match is None:
        return ""
    value = _phrase(_first_item(match.group("v")))
    if _VERB.search(value) or re.match(r"(?:the|a|an|after|this)\b", value, re.I):
        return ""
    return value if len(value.split()) <= _MAX_WORDS else ""


def title_from_text(text: str, kind: DocumentKind | None = None) -> str:
    """A title from the report's heading (and, for a pathology report, its main specimen),
    or "" when the text names nothing."""
    body = prepare(text[:8000]).text
    own = _own_title(body[:600])
    if kind is None:
        from app.ingest.classify import guess_kind

        kind = guess_kind(text).kind
    if own == "Autopsy report" or (
        kind is DocumentKind.PATHOLOGY
        and re.search(r"external\s+examination", body, re.I)
        and re.search(r"internal\s+examination", body, re.I)
    ):
        return "Autopsy report"
    if kind is DocumentKind.PATHOLOGY or own in _PATHOLOGY_TITLES:
        heading = own if own in _PATHOLOGY_TITLES else "Pathology report"
        specimen = _specimen(body)
        return f"{heading}: {specimen}" if specimen else heading
    if kind is DocumentKind.IMAGING:
        return _exam(body) or own or "Imaging report"
    if kind is DocumentKind.OPERATIVE:
        operation = _field(_OPERATION, body)
        heading = own if own == "Operative report" else "Operative report"
        return f"{heading}: {_lower_first(operation)}" if operation else heading
    if kind is DocumentKind.DISCHARGE_SUMMARY:
        heading = own if own in ("Discharge summary", "Transfer summary") else "Discharge summary"
        diagnosis = _field(_DISCHARGE_DIAGNOSIS, body)
        return f"{heading}: {_lower_first(diagnosis)}" if diagnosis else heading
    if kind is DocumentKind.CONSULT_LETTER:
        heading = own or ("Letter" if re.search(r"\bdear\s+(?:dr|doctor)", body, re.I) else "")
        heading = heading or "Clinic note"
        reason = _field(_REASON, body)
        return f"{heading}: {_lower_first(reason)}" if reason else heading
    if own:
        return own
    if kind is not None and kind is not DocumentKind.OTHER:
        return kind.label
    return ""
