"""TNM categories, stage group and AJCC edition as a report writes them.

Reads free text ("pT3a pN0", "T3aN0Mx", "pT2 N2b"), synoptic fields ("Primary Tumor (pT):
pT2c", "Regional Lymph Nodes (pN): pN1") and OCR slips ("pTl" for pT1, "pNO" for pN0).
A stage in a sentence about staging in general ("stage IV disease is treated with...",
"staging is based on the AJCC 8th edition") is not the patient's stage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# T: 0, is, x, 1-4 with a-d (and a number for FIGO-style "T2a1") and (m)/(mi); OCR writes
# 1 as l, I or i and 0 as O.
_T = (
    r"(?P<t>[0-4lIO](?:(?:mi|[a-dA-D](?:[1-3])?)(?![a-z])|\s[a-dA-D](?![A-Za-z]))?|is|IS|[xX])"
    r"(?:\s*\((?:m|\d+|mi)\))?"
)
_N = r"(?P<n>[0-3lIOi](?:mi|[a-cA-C])?|[xX])(?:\s*\((?:sn|i[+-]|mol[+-]|f)\))?"
_M = r"(?P<m>[0-1lIO](?:[a-dA-D])?|[xX])(?:\s*\((?:i\+)\))?"
_PREFIX = r"(?P<pre>(?:y|r|a)?[pc]|y|r|yp|yc|rp|rc)?"
# A TNM group, its parts together or apart: "pT3a pN0 M0", "T3aN0Mx", "pT2 N2b".
_GROUP = re.compile(
    r"(?<![A-Za-z0-9])"
    + _PREFIX
    + r"\s?T\s?"
    + _T
    + r"(?:[\s,;/]{0,3}(?P<npre>(?:y|r)?[pc])?\s?N\s?"
    + _N
    + r")?"
    + r"(?:[\s,;/]{0,3}(?P<mpre>(?:y|r)?[pc])?\s?M\s?"
    + _M
    + r")?"
    + r"(?![A-Za-z0-9])",
)
_N_ALONE = re.compile(r"(?<![A-Za-z0-9])(?P<npre>(?:y|r)?[pc])\s?N\s?" + _N + r"(?![A-Za-z0-9])")
_M_ALONE = re.compile(r"(?<![A-Za-z0-9])(?P<mpre>(?:y|r)?[pc])\s?M\s?" + _M + r"(?![A-Za-z0-9])")
# "Pathologic MX", "clinical T2": the word gives the prefix.
_WORD_PREFIX = re.compile(
    r"\b(?P<word>(?i:pathologic(?:al)?|clinical))\s+(?P<kind>[TNM])\s?"
    r"(?P<code>[0-4](?:[a-d])?|[xX]|is)(?![A-Za-z0-9])",
)
# Synoptic fields: "Primary Tumor (pT): pT2c", "Regional Lymph Nodes (pN): pN1 ...".
_FIELD = re.compile(
    r"\b(?P<field>primary\s+tumou?r|regional\s+lymph\s+nodes?|distant\s+metastas[ie]s|"
    r"pathologic(?:al)?\s+(?:staging|stage)|tnm(?:\s+(?:stage|staging|classification))?|"
    r"ajcc(?:/uicc)?\s+(?:pathologic\s+)?(?:stage|staging)|"
    r"a[j3]cc\s*/\s*uicc\s+stage|stage|staging)\s*(?:\((?P<code>(?:y|r)?[pc]?(?:TNM|[TNM]))\))?\s*"
    r"(?:category)?\s*[:\-]\s*",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Category:
    key: str  # "stage.pathologic_t"
    value: str  # "pT3a"
    start: int
    end: int
    in_field: bool  # written in a synoptic field or a "TNM:" line


def _fix(code: str) -> str:
    """OCR slips in a category: l, I -> 1; O -> 0 (but "is" and "x" stay)."""
    code = code.replace(" ", "")
    if code.lower() in ("is", "x"):
        return code.lower()
    first = {"l": "1", "I": "1", "i": "1", "O": "0", "o": "0"}.get(code[0], code[0])
    rest = code[1:]
    if rest.lower() == "mi":
        return first + "mi"
    return first + rest.lower()


def _normal_prefix(prefix: str | None, default: str) -> str:
    prefix = (prefix or "").lower()
    return prefix if prefix else default


def _category(kind: str, prefix: str, code: str, extra: str) -> tuple[str, str]:
    clinical = prefix.endswith("c")
    stage = "clinical" if clinical else "pathologic"
    key = f"stage.{stage}_{kind.lower()}"
    return key, f"{prefix}{kind}{_fix(code)}{extra}"


def _suffix(text: str) -> str:
    """A written modifier kept with the category: "(sn)", "(i+)", "(m)"."""
    match = re.match(r"\s*(\((?:sn|i[+-]|mol[+-]|m|f)\))", text)
    return match.group(1) if match else ""


def find_categories(
    text: str, start: int = 0, end: int | None = None, *, default_prefix: str = "p"
) -> list[Category]:
    """Every T, N and M category in text[start:end]. A category without a prefix takes its
    group's prefix ("pT2 N2b": N is pathologic), else `default_prefix` (a pathology report
    stages the specimen: "p")."""
    end = len(text) if end is None else end
    found: list[Category] = []
    fields = [(m.end(), m) for m in _FIELD.finditer(text, start, end)]
    for match in _GROUP.finditer(text, start, end):
        written = match.group(0)
        t_code = match.group("t")
        prefix = match.group("pre") or ""
        has_n, has_m = match.group("n") is not None, match.group("m") is not None
        field = next((m for e, m in fields if e <= match.start() <= e + 3), None)
        # A bare "T2" is a category only in a group, a field, or with its prefix.
        if not prefix and not has_n and not has_m and field is None:
            continue
        if not prefix and has_n and not has_m and t_code.lower() in ("x", "o"):
            continue
        if re.fullmatch(r"T\d", written) and field is None:
            continue
        if field is not None and field.group("code"):
            code_prefix = re.match(r"(?:y|r)?[pc]?", field.group("code").lower())
            prefix = prefix or (code_prefix.group(0) if code_prefix else "")
        group_prefix = _normal_prefix(prefix, default_prefix)
        t_key, t_value = _category("T", group_prefix, t_code, "")
        t_end = match.end("t")
        found.append(
            Category(
                t_key,
                t_value + _suffix(text[t_end:]),
                match.start(),
                t_end,
                field is not None or has_n,
            )
        )
        if has_n:
            n_prefix = _normal_prefix(match.group("npre"), group_prefix)
            key, value = _category("N", n_prefix, match.group("n"), "")
            n_end = match.end("n")
            found.append(
                Category(key, value + _suffix(text[n_end:]), match.start("n") - 1, n_end, True)
            )
        if has_m:
            m_prefix = _normal_prefix(match.group("mpre"), group_prefix)
            # "pM" is rare: an M category with the group's p prefix is usually "M0"/"cM0".
            if m_prefix == group_prefix and not match.group("mpre"):
                m_prefix = "p" if group_prefix.endswith("p") else m_prefix
            key, value = _category("M", m_prefix, match.group("m"), "")
            found.append(Category(key, value, match.start("m") - 1, match.end("m"), True))
    for match in _WORD_PREFIX.finditer(text, start, end):
        if any(c.start <= match.start("code") < c.end for c in found):
            continue
        kind = match.group("kind").upper()
        code = match.group("code")
        prefix = "c" if match.group("word").lower().startswith("c") else "p"
        key, value = _category(kind, prefix, code, "")
        found.append(Category(key, value, match.start(), match.end(), True))
    taken = {(c.start, c.end) for c in found}
    for regex, kind in ((_N_ALONE, "N"), (_M_ALONE, "M")):
        for match in regex.finditer(text, start, end):
            if any(s <= match.start() < e or s < match.end() <= e for s, e in taken):
                continue
            if any(c.start <= match.start() <= c.end + 2 for c in found):
                continue
            group = "n" if kind == "N" else "m"
            prefix = _normal_prefix(match.group(f"{group}pre"), default_prefix)
            key, value = _category(kind, prefix, match.group(group), "")
            in_field = any(e <= match.start() <= e + 3 for e, _ in fields)
            found.append(
                Category(
                    key,
                    value + _suffix(text[match.end(group) :]),
                    match.start(),
                    match.end(),
                    in_field,
                )
            )
    found.sort(key=lambda c: c.start)
    return found


# -- stage group --------------------------------------------------------------------------

_STAGE = re.compile(
    r"\b(?:(?P<how>clinical|pathologic(?:al)?|anatomic(?:al)?|prognostic|AJCC|overall|FIGO)\s+)?"
    r"(?:stage\s+group(?:ing)?|stage)\s*(?::|is|=|-)?\s*"
    r"(?P<group>0|IV|I{1,3}V?|[1-4](?![0-9.,]))(?P<sub>[A-C][1-3]?|[a-c][1-3]?)?"
    r"(?![A-Za-z0-9])",
    re.IGNORECASE,
)
# Words that make a sentence about staging in general, or about a stage not (yet) the
# patient's: "stage IV disease is treated with", "patients with stage III", "if ... stage".
GENERAL = re.compile(
    r"\b(?:patients|people|women|men|cases|those|anyone|is (?:usually )?treated|are treated|"
    r"treatment of|defined as|definitions?|is based on|based upon|according to|"
    r"guidelines?|survival|prognosis for|outcomes?|trials?|studies|study|if|would be|"
    r"could be|may be|unless|rule out|to exclude|versus|or stage|stages|such as|"
    r"in general|typically|generally|for example|e\.g\.)\b",
    re.IGNORECASE,
)
_ROMAN_OF = {"1": "I", "2": "II", "3": "III", "4": "IV", "0": "0"}


@dataclass(frozen=True)
class StageGroup:
    value: str  # "IIA"
    how: str  # "clinical", "pathologic" or ""
    start: int
    end: int
    general: bool  # written in a sentence about staging in general


def _sentence(text: str, start: int, end: int) -> str:
    left = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start), text.rfind(";", 0, start))
    right_candidates = [i for i in (text.find(". ", end), text.find("\n", end)) if i != -1]
    right = min(right_candidates) if right_candidates else len(text)
    return text[left + 1 : right]


_FIGO_STAGE = re.compile(
    r"\bFIGO\s*(?:stage\s*)?[:\-]?\s*(?P<group>IV|I{1,3}V?)(?P<sub>[A-C][1-3]?)?(?![A-Za-z0-9])"
)


def find_stage_groups(text: str, start: int = 0, end: int | None = None) -> list[StageGroup]:
    end = len(text) if end is None else end
    found: list[StageGroup] = []
    for match in _FIGO_STAGE.finditer(text, start, end):
        if re.match(r"\s*grade", text[match.end() : match.end() + 8], re.IGNORECASE):
            continue
        group = f"{match.group('group')}{match.group('sub') or ''}"
        sentence = _sentence(text, match.start(), match.end())
        found.append(
            StageGroup(group, "FIGO", match.start(), match.end(), bool(GENERAL.search(sentence)))
        )
    for match in _STAGE.finditer(text, start, end):
        group = match.group("group").upper()
        group = _ROMAN_OF.get(group, group)
        sub = (match.group("sub") or "").upper()
        how = (match.group("how") or "").lower()
        how = "pathologic" if how.startswith("pathologic") else how
        sentence = _sentence(text, match.start(), match.end())
        general = bool(GENERAL.search(sentence))
        found.append(StageGroup(f"{group}{sub}", how, match.start(), match.end(), general))
    return found


_AJCC = re.compile(
    r"\b(?:AJCC|A[J3]CC/UICC|UICC|TNM)\b[^.;\n]{0,40}?\b(?P<n>\d{1,2})\s*(?:st|nd|rd|th)\s*"
    r"(?:ed\.?|edition)?|\b(?P<m>\d{1,2})(?:st|nd|rd|th)\s+edition\b[^.;\n]{0,20}?"
    r"\b(?:AJCC|UICC|TNM)\b",
    re.IGNORECASE,
)


def find_ajcc_edition(text: str, start: int = 0, end: int | None = None) -> tuple[str, int, int]:
    """("8th", start, end) when the report names the AJCC/UICC edition, else ("", 0, 0)."""
    end = len(text) if end is None else end
    match = _AJCC.search(text, start, end)
    if not match:
        return "", 0, 0
    number = int(match.group("n") or match.group("m"))
    if not 1 <= number <= 9:
        return "", 0, 0
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(number, "th")
    return f"{number}{suffix}", match.start(), match.end()


# -- what is written beside a TNM group --------------------------------------------------------

# "pT3 L0 V0 R0 pN0 (0/22)", "L1, V0, R1": lymphatic invasion, venous invasion, residual
# tumour (R1 and R2 mean tumour at the margin). Read only beside a T or N category.
_SUFFIX = re.compile(r"(?<![A-Za-z0-9])(?P<kind>[LVR])(?P<code>[0-2OolI])(?![A-Za-z0-9])")
_NODE_RATIO = re.compile(
    r"(?<![A-Za-z0-9])p?N[0-3OoIl][a-c]?(?:\s*\((?:sn|i[+-])\))?\s*[,:]?\s*\(?\s*"
    r"(?P<pos>\d{1,2})\s*/\s*(?P<tot>\d{1,3})\s*\)?"
)


@dataclass(frozen=True)
class Suffix:
    kind: str  # "L", "V" or "R"
    level: int
    start: int
    end: int


def find_suffixes(text: str, categories: list[Category]) -> list[Suffix]:
    """L, V and R codes written within a few characters of a T or N category."""
    found: list[Suffix] = []
    for match in _SUFFIX.finditer(text):
        if not any(
            abs(match.start() - c.start) < 30 or abs(match.start() - c.end) < 30 for c in categories
        ):
            continue
        code = match.group("code").upper().replace("O", "0").replace("L", "1").replace("I", "1")
        found.append(Suffix(match.group("kind"), int(code), match.start(), match.end()))
    return found


def find_node_ratios(text: str) -> list[tuple[int, int, int, int]]:
    """ "pN0 (0/22)", "pNO 0/22": (positive, total, start, end)."""
    return [
        (int(m.group("pos")), int(m.group("tot")), m.start(), m.end())
        for m in _NODE_RATIO.finditer(text)
        if int(m.group("pos")) <= int(m.group("tot"))
    ]
