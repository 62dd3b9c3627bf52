"""The parts of a report: its headed sections (final diagnosis, comment, gross description,
addendum, plan...) and, inside a diagnosis, its specimens (A, B, C... or 1, 2, 3).

Headings are found by their words, not by line breaks: a heading is a known phrase followed
by a colon, or a known phrase in capitals standing alone on its line. Transcribed notes whose
line breaks became commas ("FINAL DIAGNOSIS:, Right lung...") read the same way.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from enum import StrEnum

from app.ingest.clinical.prepare import one_line


class Role(StrEnum):
    DIAGNOSIS = "diagnosis"  # final diagnosis, impression, assessment, synoptic summary
    ADDENDUM = "addendum"  # an addendum or amended diagnosis: revises what came before
    COMMENT = "comment"
    MICROSCOPIC = "microscopic"
    FROZEN = "frozen"  # an intraoperative (frozen section) diagnosis, replaced by the final
    GROSS = "gross"
    SPECIMEN = "specimen"  # the list of specimens received, or the procedure
    HISTORY = "history"  # clinical history, present illness, indication
    PAST = "past"  # past medical history, medicines, review of systems
    FAMILY = "family"  # another person's illnesses: never the patient's
    PLAN = "plan"
    OTHER = "other"  # a heading that says nothing about the diagnosis (exam, labs...)
    TOP = "top"  # the text before the first heading


# Heading words -> role. Longer phrases are tried first.
_HEADINGS: dict[Role, tuple[str, ...]] = {
    Role.DIAGNOSIS: (
        "final pathologic diagnosis", "final pathological diagnosis", "final diagnosis",
        "final diagnoses", "pathologic diagnosis", "pathological diagnosis",
        "pathology diagnosis", "surgical pathology diagnosis", "anatomic diagnosis",
        "anatomical diagnosis", "histologic diagnosis", "histopathological diagnosis",
        "microscopic diagnosis", "diagnosis", "diagnoses", "diagnostic interpretation",
        "interpretation", "conclusion", "conclusions", "impression", "impressions",
        "assessment", "summary", "synoptic comment", "synoptic report", "synoptic data",
        "synoptic", "cancer case summary", "tumor summary", "tumour summary",
        "surgical pathology cancer case summary", "postoperative diagnosis",
        "cap cancer checklist", "cancer checklist", "checklist", "tissue checklist",
        "case summary", "case synopsis", "synoptic report", "diagnosis details",
        "post-operative diagnosis", "postoperative diagnoses", "discharge diagnosis",
        "discharge diagnoses", "final diagnosis and comment", "diagnosis and comment",
        "oncologic history", "oncological history", "cancer history", "pathology",
    ),
    Role.ADDENDUM: (
        "addendum", "addendum diagnosis", "addendum report", "amended report",
        "amended diagnosis", "revised diagnosis", "revised final diagnosis", "amendment",
        "corrected report", "corrected diagnosis", "supplemental report",
        "supplementary report",
    ),
    Role.COMMENT: ("comment", "comments", "note", "notes", "additional comment"),
    Role.MICROSCOPIC: (
        "microscopic description", "microscopic examination", "microscopic",
        "microscopic findings", "histology", "immunohistochemistry",
        "immunohistochemical stains", "special stains", "ancillary studies",
    ),
    Role.FROZEN: (
        "intraoperative consultation", "intra-operative consultation",
        "frozen section diagnosis", "frozen section", "frozen sections",
        "intraoperative diagnosis", "frozen section consultation",
    ),
    Role.GROSS: (
        "gross description", "gross examination", "gross", "macroscopic description",
        "macroscopic examination", "macroscopic", "summary of sections",
    ),
    Role.SPECIMEN: (
        "specimens received", "specimen received", "specimens submitted",
        "specimen submitted", "specimen(s) received", "specimen (s) received",
        "specimen(s) submitted", "specimen", "specimens", "source of specimen",
        "tissue submitted", "procedure", "procedures", "operation", "operations",
        "procedure performed", "procedures performed", "name of procedure",
        "title of procedure", "title of operation", "name of operation",
    ),
    Role.HISTORY: (
        "clinical history", "clinical information", "clinical data", "clinical notes",
        "clinical diagnosis", "clinical indication", "history", "history of present illness",
        "history of the present illness", "hpi", "present illness", "indication",
        "indications", "indication for procedure", "indications for procedure",
        "reason for consultation", "reason for consult", "reason for referral",
        "reason for visit", "chief complaint", "preoperative diagnosis",
        "pre-operative diagnosis", "preoperative diagnoses", "admitting diagnosis",
        "admission diagnosis", "pre-op diagnosis", "clinical summary", "hospital course",
        "interval history", "subjective", "brief history",
    ),
    Role.PAST: (
        "past medical history", "past surgical history", "past history", "medical history",
        "surgical history", "social history", "medications", "current medications",
        "allergies", "review of systems", "habits", "pmh", "psh",
    ),
    Role.FAMILY: ("family history", "family medical history", "fhx", "family hx"),
    Role.PLAN: (
        "plan", "recommendation", "recommendations", "treatment plan", "planned treatment",
        "assessment and plan", "impression and plan", "impression/plan", "assessment/plan",
        "plan of care", "disposition", "follow-up", "followup",
    ),
    Role.OTHER: (
        "physical examination", "physical exam", "examination", "vital signs",
        "laboratory data", "laboratory", "labs", "findings", "technique", "comparison",
        "operative findings", "description of procedure", "description of operation",
        "procedure in detail", "details of procedure", "estimated blood loss",
        "complications", "anesthesia", "discharge medications", "discharge instructions",
        "condition on discharge", "objective", "signed out by",
        "electronically signed", "attestation", "block", "cassette", "slides",
        "cassettes", "references", "reference",
    ),
}  # fmt: skip
_ROLE_OF = {phrase: role for role, phrases in _HEADINGS.items() for phrase in phrases}
_PHRASES = sorted(_ROLE_OF, key=len, reverse=True)
_ALT = "|".join(re.escape(p).replace(r"\ ", r"\s*") for p in _PHRASES)
# A heading: at the start of the text, of a line, or after a sentence or a comma that stood
# for a line break; followed by a colon, or in capitals alone on its line.
_HEADING = re.compile(
    rf"(?:^|(?<=[\n.;,)\]])|(?<=\s\s))\s*(?P<words>{_ALT})\s*(?:\(s\))?(?:\s*#?\d{{1,2}})?\s*"
    r"(?::|-\s|\n|$)",
    re.IGNORECASE | re.MULTILINE,
)


@dataclass(frozen=True)
class Section:
    role: Role
    heading: str  # as written, "" for the top
    start: int  # the body, in the prepared text
    end: int


def _is_heading(match: re.Match[str]) -> bool:
    """A known phrase before a colon is a heading ("Diagnosis: carcinoma"); without a colon
    it must be in capitals ("FINAL DIAGNOSIS" on its own line)."""
    tail = match.group(0)[match.end("words") - match.start() :]
    words = match.group("words")
    if ":" in tail or words.isupper():
        return True
    # "Gross Description" alone on its line: a heading in title case.
    text = match.string
    line_start = _line_start(text, match.start("words"))
    alone = not text[line_start : match.start("words")].strip() and "\n" in tail + "\n"
    return alone and words[:1].isupper() and tail.strip() == ""


# A synoptic checklist's own field names ("Procedure:", "Specimen:", "Histology:") are fields,
# not new sections: inside a checklist they do not end it.
_FIELD_ROLES = (Role.SPECIMEN, Role.OTHER, Role.MICROSCOPIC, Role.DIAGNOSIS)
_SYNOPTIC = re.compile(r"checklist|synoptic|case\s+summary|tumou?r\s+summary", re.IGNORECASE)
# A family history is a few lines; a report that never names its next heading must not
# hand everything after it to the family.
_FAMILY_REACH = 400
_SYNOPTIC_ENDS = (Role.GROSS, Role.HISTORY, Role.ADDENDUM, Role.FAMILY, Role.PAST, Role.FROZEN,
                  Role.COMMENT, Role.PLAN)  # fmt: skip


def _role_of(words: str) -> Role:
    key = " ".join(words.lower().split()).replace("( s)", "(s)").replace("(s )", "(s)")
    role = _ROLE_OF.get(key)
    if role is None:
        role = _ROLE_OF.get(re.sub(r"\s+", "", key), Role.OTHER)
    return role


def split_sections(text: str) -> list[Section]:
    """The headed sections of `text` (prepared), in order; the text before the first heading
    is a section of role TOP."""
    marks: list[tuple[int, int, Role, str]] = []
    synoptic = False
    for match in _HEADING.finditer(text):
        if not _is_heading(match):
            continue
        words = match.group("words")
        role = _role_of(words)
        if marks and match.start("words") < marks[-1][1]:
            continue
        if synoptic and role in _FIELD_ROLES and not _SYNOPTIC.search(words):
            continue
        line_start = _line_start(text, match.start("words"))
        synoptic = bool(_SYNOPTIC.search(text[line_start : match.end()])) or (
            synoptic and role not in _SYNOPTIC_ENDS
        )
        marks.append((match.start("words"), match.end(), role, one_line(words)))
    sections: list[Section] = []
    first = marks[0][0] if marks else len(text)
    if first > 0:
        sections.append(Section(Role.TOP, "", 0, first))
    for index, (_, body, role, heading) in enumerate(marks):
        end = marks[index + 1][0] if index + 1 < len(marks) else len(text)
        if role is Role.FAMILY and end - body > _FAMILY_REACH:
            sections.append(Section(role, heading, body, body + _FAMILY_REACH))
            sections.append(Section(Role.OTHER, "", body + _FAMILY_REACH, end))
            continue
        sections.append(Section(role, heading, body, end))
    return sections


def role_at(sections: list[Section], position: int) -> Role:
    """The role of the section holding `position` (sections are in order, apart)."""
    index = bisect_right(sections, position, key=lambda s: s.start) - 1
    if index >= 0 and sections[index].start <= position < sections[index].end:
        return sections[index].role
    return Role.TOP


def _line_start(text: str, position: int) -> int:
    """Where the line holding `position` starts, looking back no more than a long line."""
    reach = max(0, position - 200)
    found = text.rfind("\n", reach, position)
    return found + 1 if found >= 0 else reach


# -- specimens -----------------------------------------------------------------------------

# A specimen label: "A.", "A:", "A)", "(A)", "(c)", "Part A", "Specimen A:", "G/H.",
# "C., D., E." (one diagnosis for several specimens), and for
# numbered specimens "1.", "1)", "#1", "(1)", "PART 1:".
_LETTER = re.compile(
    r"(?:^|(?<=[\n,;.:]))\s*(?:(?:part|specimen)\s+)?(?:\((?P<paren>[A-Za-z])\)|"
    r"(?P<label>[A-Z])(?:\s*[.]?\s*(?:/|,|-|and)\s*(?:[A-Z]\s*[.]?\s*(?:,|and)\s*)*"
    r"(?P<also>[A-Z]))?\s*[.:)\-])\s*(?=[A-Za-z\"'(])"
    r"|(?:^|(?<=[\n,;.:]))\s*(?:part|specimen)\s+\(?(?P<label2>[A-Z])\b",
    re.MULTILINE,
)
_NUMBER = re.compile(
    r"(?:^|(?<=[\n,;:]))\s*[#(]?(?P<label>\d{1,2})\s*[.:)]\s*(?=[A-Za-z\"'(])",
    re.MULTILINE,
)
_PART = re.compile(
    r"(?:^|(?<=[\n,;:.]))\s*(?:part|specimen)\s*#?\s*(?P<label>\d{1,2}|[A-Z])\b\s*[:.)\-]?",
    re.MULTILINE | re.IGNORECASE,
)


@dataclass(frozen=True)
class Part:
    label: str  # "A", "1"
    start: int  # from the label
    header_end: int  # where the site and procedure end (a colon or "showing")
    end: int


def _next(label: str) -> str:
    return chr(ord(label) + 1) if label.isalpha() else str(int(label) + 1)


def _sequence(matches: list[tuple[int, int, str, str]], first: str) -> list[tuple[int, int, str]]:
    """The labels that follow each other (A, B, C... or 1, 2, 3), from the first one; once
    three are in order, one label lost to OCR may be skipped."""
    kept: list[tuple[int, int, str]] = []
    expected = first
    for start, body, label, also in matches:
        skipped = len(kept) >= 3 and label == _next(expected)
        if label == expected or skipped:
            kept.append((start, body, label))
            expected = _next(also or label)
    return kept


def split_parts(text: str, start: int, end: int) -> list[Part]:
    """The specimens inside text[start:end]: "Part 1" or "Specimen A" when the report says
    so; else letters when the report uses them (numbers then list findings inside a specimen);
    else numbers. A single label is not a list."""
    body = text[start:end]
    found: list[tuple[int, int, str]] = []
    named = [(m.start(), m.end(), m.group("label").upper(), "") for m in _PART.finditer(body)]
    for first in ("1", "A"):
        if len(found) < 2:
            found = _sequence(named, first)
    if len(found) < 2:
        letters = [
            (
                m.start(),
                m.end(),
                (m.group("paren") or m.group("label") or m.group("label2")).upper(),
                m.group("also") or "",
            )
            for m in _LETTER.finditer(body)
        ]
        found = _sequence(letters, "A")
    if len(found) < 2:
        numbers = [(m.start(), m.end(), m.group("label"), "") for m in _NUMBER.finditer(body)]
        found = _sequence(numbers, "1")
    if len(found) < 2:
        return []
    parts: list[Part] = []
    for index, (label_start, body_start, label) in enumerate(found):
        part_end = found[index + 1][0] if index + 1 < len(found) else len(body)
        if index + 1 == len(found):
            # The last specimen ends where a synoptic summary of the whole case begins.
            summary = _SYNOPTIC.search(body, body_start, part_end)
            part_end = summary.start() if summary else part_end
        chunk = body[body_start:part_end]
        colon = re.search(r":|\bshowing\b|\s-\s|;|\n", chunk)
        header_end = body_start + (colon.start() if colon else 0)
        parts.append(Part(label, start + label_start, start + header_end, start + part_end))
    return parts


# -- the plan ------------------------------------------------------------------------------

_PLAN_ROLES = (Role.PLAN,)


def plan_text(text: str, sections: list[Section] | None = None) -> tuple[str, int, int]:
    """A "Plan" or "Recommendations" section's text on one line, with its span, or ""."""
    sections = split_sections(text) if sections is None else sections
    for section in reversed(sections):
        if section.role in _PLAN_ROLES:
            body = text[section.start : section.end]
            stripped = body.strip(" ,:\n")
            if len(stripped) < 3:
                continue
            offset = section.start + body.find(stripped[:1])
            line = one_line(stripped.replace(",", ", ").replace(" ,", ","))
            line = re.sub(r",\s*,", ",", line).strip(" ,")[:500]
            return line, offset, offset + len(stripped)
    return "", 0, 0
