"""The grade of a tumour, with the grading system named: Nottingham for the breast, Gleason
and Grade Group for the prostate, ISUP or Fuhrman for the kidney, WHO for the brain, FIGO for
the endometrium, differentiation or G1-G4 elsewhere, high or low grade for urothelial and
serous tumours."""

from __future__ import annotations

import re
from dataclasses import dataclass

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "l": 1, "ll": 2, "lll": 3, "lv": 4}
_ROMAN_OUT = {1: "I", 2: "II", 3: "III", 4: "IV"}
# A grade digit as OCR may write it: 1 as l or I, 4 as "IV".
_NUM = r"(?:[1-4]|I{1,3}V?|IV|l{1,3}|[lI](?=\s*/\s*(?:4|IV|3|III)))"
_OF = r"(?:\s*(?:/|of|out\s+of|1(?=[34]\b))\s*(?P<of>[34]|I{3}V?|IV))?"


def _number(word: str) -> int | None:
    word = word.strip().lower()
    if word.isdigit():
        value = int(word)
        return value if 1 <= value <= 4 else None
    return _ROMAN.get(word)


@dataclass(frozen=True)
class Grade:
    value: str  # "Gleason score 3+4=7 (Grade Group 2)"
    system: str  # "Gleason"
    start: int
    end: int
    strength: int  # a named system and a synoptic field beat a bare "grade 2"


def _group_of(primary: int, secondary: int) -> int:
    total = primary + secondary
    if total <= 6:
        return 1
    if total == 7:
        return 2 if primary == 3 else 3
    return 4 if total == 8 else 5


_GLEASON = re.compile(
    r"\bgleason(?:'?s)?\s*(?:score|grade|sum|pattern)?s?\s*(?:is|of|=|:|\(|-)?\s*"
    r"(?:(?P<total1>\d{1,2})\s*\(\s*)?"
    r"(?P<p>[1-5])\s*\+\s*(?P<s>[1-5])(?:\s*\+\s*(?P<t>[1-5]))?"
    r"(?:\s*=\s*(?P<total>\d{1,2}))?\s*\)?",
    re.IGNORECASE,
)
_PATTERNS = re.compile(
    r"\bprimary\s+(?:gleason\s+)?(?:pattern|grade)\s*[:=]?\s*(?:grade\s*)?(?P<p>[1-5])\b"
    r".{0,60}?\bsecondary\s+(?:gleason\s+)?(?:pattern|grade)\s*[:=]?\s*(?:grade\s*)?"
    r"(?P<s>[1-5])\b",
    re.IGNORECASE | re.DOTALL,
)
_GRADE_GROUP = re.compile(
    r"\b(?:ISUP\s+)?(?:grade|prognostic)\s+group\s*(?:[:=]|is)?\s*(?P<g>[1-5]|I{1,3}|IV|V)\b",
    re.IGNORECASE,
)
_NOTTINGHAM = re.compile(
    r"\b(?P<name>nottingham|elston[- ]ellis|modified\s+bloom[- ]richardson|"
    r"bloom[- ]richardson|scarff[- ]bloom[- ]richardson|SBR|mbr)\b"
    r"(?:\s+(?:combined\s+)?(?:histologic(?:al)?\s+)?(?:grade|score))?\s*[:=]?\s*"
    r"(?:grade\s*)?(?P<g>" + _NUM + r")\b" + _OF,
    re.IGNORECASE,
)
_NUCLEAR = re.compile(
    r"\b(?P<name>ISUP\s*/\s*WHO|WHO\s*/\s*ISUP|ISUP\s*/\s*Fuhrman|Fuhrman\s*/\s*ISUP|"
    r"Fuhrman(?:'s)?|ISUP|Paner)\b[^.;\n]{0,40}?\bgrade\s*[:=]?\s*(?:is\s+)?(?:grade\s*)?"
    r"(?P<g>" + _NUM + r")\b" + _OF,
    re.IGNORECASE,
)
_WHO = re.compile(
    r"\bWHO\s*(?:CNS\s*)?(?:grade|gr\.?)\s*[:=]?\s*(?P<g>"
    + _NUM
    + r")\b"
    + _OF
    + r"|\(\s*WHO\s+(?P<g2>"
    + _NUM
    + r")\s*\)"
    + r"|\bgrade\s+(?P<g3>"
    + _NUM
    + r")\s*(?:\(\s*)?(?:of\s+(?:4|IV)\s+)?(?:\(?\s*)?WHO\b",
    re.IGNORECASE,
)
_FIGO = re.compile(
    r"\bFIGO\s+(?:histologic\s+|nuclear\s+|architectural\s+)?grade\s*[:=]?\s*"
    r"(?P<g>[1-3]|I{1,3})\b" + _OF,
    re.IGNORECASE,
)
_DIFFERENTIATION = re.compile(
    r"\b(?P<words>(?:well|moderately|poorly|un)(?:\s*(?:to|-|/|and)\s*(?:well|moderately|poorly))?"
    r"[-\s]?differentiated"
    r"(?:\s*(?:to|-|/|and)\s*(?:well|moderately|poorly|un)[-\s]?differentiated)?)"
    r"|\b(?P<mod>moderate|poor|good)\s+differentiation\b",
    re.IGNORECASE,
)
_G_CODE = re.compile(r"(?<![A-Za-z0-9])G(?P<g>[1-4lIX])\b(?!\s*[-/]\s*\d{2})(?!\s*\d)")
_TWO_TIER = re.compile(r"\b(?P<level>high|low)[- ]grade\b", re.IGNORECASE)
_GENERIC = re.compile(
    r"\b(?:(?:histologic(?:al)?|tumou?r|overall|nuclear|combined)\s+)?grade\s*[:=]?\s*"
    r"(?:is\s+)?(?P<g>" + _NUM + r")(?:\b|(?=1[34]\b))" + _OF,
    re.IGNORECASE,
)
_DIFF_LEVEL = {"well": 1, "moderately": 2, "poorly": 3, "un": 4, "good": 1, "moderate": 2,
               "poor": 3}  # fmt: skip
_DIFF_WORDS = {1: "Well differentiated", 2: "Moderately differentiated",
               3: "Poorly differentiated", 4: "Undifferentiated"}  # fmt: skip


def find_grades(text: str, start: int = 0, end: int | None = None) -> list[Grade]:
    """Every grade written in text[start:end], strongest systems first for a same span."""
    end = len(text) if end is None else end
    found: list[Grade] = []
    groups = [
        (m.start(), m.end(), _number(m.group("g")) or {"v": 5}.get(m.group("g").lower(), 0))
        for m in _GRADE_GROUP.finditer(text, start, end)
    ]
    for match in _GLEASON.finditer(text, start, end):
        primary, secondary = int(match.group("p")), int(match.group("s"))
        if not (2 <= primary + secondary <= 10) or primary < 1:
            continue
        total = primary + secondary
        stated = match.group("total") or match.group("total1")
        if stated and int(stated) != total:
            continue  # "3+4=8": not a Gleason score as read
        group = next(
            (g for s, _, g in groups if match.end() - 10 <= s <= match.end() + 80), 0
        ) or _group_of(primary, secondary)
        tertiary = f", tertiary {match.group('t')}" if match.group("t") else ""
        found.append(
            Grade(
                f"Gleason score {primary}+{secondary}={total}{tertiary} (Grade Group {group})",
                "Gleason",
                match.start(),
                match.end(),
                5,
            )
        )
    for match in _PATTERNS.finditer(text, start, end):
        primary, secondary = int(match.group("p")), int(match.group("s"))
        total = primary + secondary
        group = _group_of(primary, secondary)
        found.append(
            Grade(
                f"Gleason score {primary}+{secondary}={total} (Grade Group {group})",
                "Gleason",
                match.start(),
                match.end(),
                5,
            )
        )
    if not any(g.system == "Gleason" for g in found):
        for s, e, group in groups:
            if group:
                found.append(Grade(f"Grade Group {group}", "Gleason", s, e, 4))
    for match in _NOTTINGHAM.finditer(text, start, end):
        level = _number(match.group("g"))
        if level is None or level > 3:
            continue
        found.append(
            Grade(f"Nottingham grade {level} of 3", "Nottingham", match.start(), match.end(), 5)
        )
    for match in _NUCLEAR.finditer(text, start, end):
        level = _number(match.group("g"))
        if level is None:
            continue
        name = match.group("name").upper().replace(" ", "").replace("'S", "")
        system = {"FUHRMAN": "Fuhrman", "PANER": "Paner"}.get(name, "ISUP")
        written = {"FUHRMAN": "Fuhrman", "ISUP": "ISUP", "PANER": "Paner"}.get(name, "ISUP/Fuhrman")
        if "WHO" in name:
            written = "WHO/ISUP"
        found.append(Grade(f"{written} grade {level}", system, match.start(), match.end(), 5))
    for match in _WHO.finditer(text, start, end):
        level = _number(match.group("g") or match.group("g2") or match.group("g3"))
        if level is None:
            continue
        found.append(
            Grade(f"WHO grade {_ROMAN_OUT[level]}", "WHO CNS", match.start(), match.end(), 5)
        )
    for match in _FIGO.finditer(text, start, end):
        level = _number(match.group("g"))
        if level is None:
            continue
        found.append(Grade(f"FIGO grade {level}", "FIGO", match.start(), match.end(), 5))
    for match in _DIFFERENTIATION.finditer(text, start, end):
        words = (match.group("words") or match.group("mod")).lower()
        levels = [
            _DIFF_LEVEL[w]
            for w in re.findall(r"(well|moderately|poorly|un|good|moderate|poor)", words)
        ]
        if not levels:
            continue
        low, high = min(levels), max(levels)
        code = f"G{low}" if low == high else f"G{low}-G{high}"
        words_out = (
            _DIFF_WORDS[low]
            if low == high
            else f"{_DIFF_WORDS[low]} to {_DIFF_WORDS[high].lower()}"
        )
        found.append(
            Grade(f"{words_out} ({code})", "differentiation", match.start(), match.end(), 3)
        )
    for match in _G_CODE.finditer(text, start, end):
        code = match.group("g").upper().replace("L", "1").replace("I", "1")
        if code == "X":
            found.append(Grade("GX (cannot be assessed)", "G", match.start(), match.end(), 2))
            continue
        g_level = int(code)
        found.append(
            Grade(f"{_DIFF_WORDS[g_level]} (G{g_level})", "G", match.start(), match.end(), 3)
        )
    for match in _TWO_TIER.finditer(text, start, end):
        tier = match.group("level").capitalize()
        found.append(Grade(f"{tier} grade", "two-tier", match.start(), match.end(), 2))
    for match in _GENERIC.finditer(text, start, end):
        level = _number(match.group("g"))
        if level is None:
            continue
        of = match.group("of")
        out_of = f" of {_number(of)}" if of and _number(of) else ""
        if "nuclear" in match.group(0).lower():
            found.append(Grade(f"Nuclear grade {level}{out_of}", "", match.start(), match.end(), 1))
        else:
            found.append(Grade(f"Grade {level}{out_of}", "", match.start(), match.end(), 1))
    found.sort(key=lambda g: (g.start, -g.strength))
    return found


def grade_level(value: str) -> tuple[str, str]:
    """A grade value as (family, level), for comparing two grades: Gleason "4+3", Nottingham
    "2", differentiation and G codes on one scale ("2" for moderately differentiated)."""
    lowered = value.lower()
    if match := re.search(r"gleason score (\d)\+(\d)", lowered):
        return "gleason", f"{match.group(1)}+{match.group(2)}"
    if match := re.search(r"grade group (\d)", lowered):
        return "gleason-group", match.group(1)
    for family in ("nottingham", "fuhrman", "isup", "who", "figo", "paner"):
        if family in lowered:
            match = re.search(r"grade ([1-4]|i{1,3}v?|iv)\b", lowered)
            level = _number(match.group(1)) if match else None
            return ("nuclear" if family in ("fuhrman", "isup") else family), str(level or "")
    if match := re.search(r"\(g(\d)(?:-g(\d))?\)|\bg(\d)\b", lowered):
        return "differentiation", match.group(0).strip("()").replace("g", "")
    if "differentiated" in lowered:
        for word, level in _DIFF_LEVEL.items():
            if lowered.startswith(word):
                return "differentiation", str(level)
    if match := re.search(r"\b(high|low) grade", lowered):
        return "two-tier", match.group(1)
    if match := re.search(r"grade ([1-4])", lowered):
        return "", match.group(1)
    return "", lowered
