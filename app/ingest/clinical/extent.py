"""How far a tumour reached, as a pathology report states it: its size, its margins, the
lymph nodes examined and involved, and invasion of lymphatics or vessels.

Each finder returns every statement it sees with its span; report.py weighs them by where
they sit. Counts are read from digits, words ("Two of four lymph nodes") and OCR slips
("(0116)" for 0/16).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Statement:
    value: str
    start: int
    end: int
    strength: int = 0  # a synoptic field or a stated total beats a passing mention


# -- margins ---------------------------------------------------------------------------------

_MARGIN_WORD = (
    r"(?:surgical\s+|resection\s+|inked\s+|final\s+|specimen\s+|all\s+|other\s+)?"
    r"(?:\w+\s+){0,2}?margins?"
)
_MARGIN = re.compile(
    _MARGIN_WORD + r"(?:\s+status)?(?:\s+of\s+resection)?(?:\s+for\s+(?:invasive\s+)?"
    r"(?:tumou?r|carcinoma))?\s*(?:\([^)]{0,20}\))?\s*(?:[:\-]|are|is|were)?\s*"
    r"(?P<v>(?:[^.;\n]|\n(?-i:(?=[a-z]))){2,100})",
    re.IGNORECASE,
)
_FREE = re.compile(
    r"^\s*(?:are\s+|is\s+)?(?:all\s+)?(?:free|clear|negative|uninvolved|not\s+involved|"
    r"widely\s+free|without\s+tumou?r|no\s+(?:tumou?r|carcinoma|malignancy))\b"
    r"|\buninvolved\b|\bnot\s+involved\b|\bfree\s+of\b|\bclear\s+of\b|\bnegative\s+for\b",
    re.IGNORECASE,
)
_INVOLVED = re.compile(
    r"^\s*(?:are\s+|is\s+)?(?:focally\s+)?(?:positive|involved)\b|\bpositive\s+(?:at|for)\b|"
    r"\b(?:tumou?r|carcinoma)\s+(?:is\s+)?(?:present\s+)?at\s+(?:the\s+)?(?:\w+\s+)?"
    r"(?:inked\s+)?(?:surgical\s+)?margin|\bextend(?:s|ing)?\s+to\s+(?:the\s+)?(?:\w+\s+){0,3}"
    r"margin",
    re.IGNORECASE,
)
# "free resection margin", "the bronchial margin ... negative for tumor".
_MARGIN_BEFORE = re.compile(
    r"\b(?P<w>free|clear|negative|uninvolved|positive|involved) (?:\w+ ){0,2}margins?\b",
    re.IGNORECASE,
)
_EXTENDS_TO = re.compile(
    r"\b(?:extend(?:s|ing)?|extension)\s+to\s*(?:the\s+)?(?:\w+\s+){0,3}margins?\b|"
    r"\b(?:tumou?r|carcinoma)\s+(?:is\s+)?(?:present\s+)?at\s+(?:the\s+)?(?:\w+\s+){0,3}"
    r"margins?\b",
    re.IGNORECASE,
)
# A distance to a margin says it is free: "3 mm from the deep margin", "closest margin: 3mm".
_DISTANCE = re.compile(
    r"(?:(?:distance|closest|nearest)[^.;\n]{0,40}?margin[^.;\n\d]{0,30}?|within\s+|"
    r"(?:being|is|lies)\s+|(?:closest|nearest)\s+(?:margin\s+)?(?:is\s+|at\s+)?)"
    r"(?P<n>\d+(?:\.\d+)?)\s*(?P<u>mm|cm|em)\b(?:[^.;\n]{0,30}?margin)?",
    re.IGNORECASE,
)


def find_margins(text: str) -> list[Statement]:
    """Every statement about the margins: "Negative", "Negative, closest 2 mm", "Positive"."""
    found: list[Statement] = []
    for match in _MARGIN.finditer(text):
        words = match.group("v")
        if re.match(r"\s*(?:of|for)\s+(?:the\s+)?(?:specimen|block|slide)", words, re.I):
            continue
        value = ""
        if _INVOLVED.search(words) and not _FREE.match(words):
            value = "Positive"
        elif _FREE.search(words) or _DISTANCE.search(words):
            value = "Negative"
        if not value:
            continue
        distance = _DISTANCE.search(text, match.start(), min(len(text), match.end() + 120))
        if value == "Negative" and distance:
            unit = distance.group("u").lower().replace("em", "cm")
            value += f", closest {float(distance.group('n')):g} {unit}"
        found.append(Statement(value, match.start(), match.end(), 1))
    for match in _MARGIN_BEFORE.finditer(text):
        word = match.group("w").lower()
        value = "Positive" if word in ("positive", "involved") else "Negative"
        found.append(Statement(value, match.start(), match.end()))
    for match in _EXTENDS_TO.finditer(text):
        if re.search(r"\b(?:not|no|without|never)\b[^.;]{0,30}$", text[: match.start()][-40:]):
            continue
        found.append(Statement("Positive", match.start(), match.end(), 1))
    for match in _DISTANCE.finditer(text):
        if "margin" not in match.group(0).lower():
            continue
        unit = match.group("u").lower().replace("em", "cm")
        value = f"Negative, closest {float(match.group('n')):g} {unit}"
        found.append(Statement(value, match.start(), match.end()))
    found.sort(key=lambda s: s.start)
    return found


# -- lymphatic and vascular invasion ---------------------------------------------------------

_LVI_NAME = (
    r"(?:lympho-?vascular|lymph-?vascular|angio-?lymphatic|lymphatic\s*/\s*vascular|"
    r"vascular\s*/\s*lymphatic|blood\s*/\s*lymphatic\s+vessel|lymphatic\s+and\s+vascular|"
    r"vascular\s+(?:or|and)\s+lymphatic|lymphatic\s+(?:or|and)\s+vascular|lymphatic|"
    r"lymphovascular\s+space|lympho-?vascular\s+space)"
)
_LVI = re.compile(
    _LVI_NAME + r"\s+(?:\(small\s+vessel\)\s+)?(?:space\s+)?(?:invasion|involvement|"
    r"permeation|spaces?)\s*(?:\((?:LVI|L|LVSI)\))?\s*(?:[:\-]|is|was|are)?\s*"
    r"(?P<v>present|absent|not\s+identified|identified|not\s+seen|seen|negative|positive|"
    r"indeterminate|suspicious|none|not\s+present|yes|no|focally\s+present|extensive)?",
    re.IGNORECASE,
)
_LVI_NEGATED = re.compile(
    r"\b(?:no|not|without|negative\s+for|absence\s+of)\b(?:\s+\w+){0,4}\s*$", re.IGNORECASE
)
_LVI_PRESENT_BEFORE = re.compile(
    r"\b(?:tumou?r|carcinoma)\s+(?:is\s+)?(?:present\s+)?(?:with)?in\s+(?:the\s+)?$|"
    r"\b(?:showing|with|demonstrat\w+|shows?|and)\s+(?:extensive\s+|focal\s+)?$|"
    r"\bpresent\s+in\s+(?:the\s+)?$",
    re.IGNORECASE,
)


_PRESENT_WORDS = (
    "present",
    "identified",
    "positive",
    "yes",
    "seen",
    "focally present",
    "extensive",
)
_RESTATED = r"[ \t]*(?:\w+[ /-]){0,2}(?:invasion|permeation|involvement)\b(?!\s*:)"


def find_lvi(text: str) -> list[Statement]:
    """ "Present" or "Not identified" for lymphatic or vascular invasion."""
    found: list[Statement] = []
    for match in _LVI.finditer(text):
        word = (match.group("v") or "").lower()
        before = text[max(0, match.start() - 50) : match.start()]
        after = text[match.end() : match.end() + 60]
        # "Lymphatic/vascular invasion: Lymphovascular space invasion, slide C3" restates it.
        restated = re.match(_RESTATED, after, re.IGNORECASE) and ":" in match.group(0)
        if word in _PRESENT_WORDS or (
            not word and (restated or _LVI_PRESENT_BEFORE.search(before))
        ):
            value = "Present"
        elif word in ("indeterminate", "suspicious"):
            value = "Indeterminate"
        elif word or _LVI_NEGATED.search(before[-30:]):
            value = "Not identified"
        else:
            continue
        if _LVI_NEGATED.search(before[-30:]) and value == "Present":
            value = "Not identified"
        strength = 1 if ":" in match.group(0) else 0
        found.append(Statement(value, match.start(), match.end(), strength))
    return found


# -- size --------------------------------------------------------------------------------------

_UNIT = r"(?P<unit>cm|mm|em|CM|MM|EM)(?![A-Za-z])"
_NUMBER = r"\d{1,3}(?:\s?[.,]\s?\d{1,2})?"
_DIMENSIONS = (
    rf"(?P<a>{_NUMBER})(?:\s*[xX]\s*(?P<b>{_NUMBER}))?(?:\s*[xX]\s*(?P<c>{_NUMBER}|[lI]))?\s*"
    + _UNIT
)
_TUMOUR = (
    r"(?:tumou?rs?|mass|masses|\w*carcinoma|\w*sarcoma|neoplasm|lesion|nodule|"
    r"nodular\s+lesion|cancer)"
)
_SIZE_FIELD = re.compile(
    r"\b(?:tumou?r\s+size|size\s+of\s+(?:the\s+)?tumou?r|tumou?r\s+dimensions?|"
    r"(?:maximum\s+|greatest\s+)?(?:tumou?r\s+)?diameter(?:\s+of\s+(?:the\s+)?tumou?r)?|"
    r"(?:maximum|greatest)\s+tumou?r\s+(?:diameter|dimension)|"
    r"tumou?r,?\s+(?:greatest|maximum)\s+(?:dimension|diameter))\b"
    r"(?:\s*\([^)]{0,40}\))?\s*[:\-]?\s*(?:(?:greatest|maximum|maximal|largest)\s+"
    r"(?:dimension|diameter)\s*(?:is|:)?\s*)?(?:approximately\s+|about\s+)?" + _DIMENSIONS,
    re.IGNORECASE,
)
# "a 5 x 4 x 3 cm, lobulated mass", "mass (8.0 x 7.0 x 7.0 cm)", "tumor measuring 2.5 cm",
# "carcinoma (7.0 CM MAXIMUM DIMENSION)", "greatest dimension of the carcinoma is 1.4 cm".
_SIZE_NEAR = (
    re.compile(
        rf"\b{_TUMOUR}\b[^.;]{{0,40}}?(?:measur\w+|sized?|of|\(|is)\s*(?:up\s+to\s+|"
        rf"approximately\s+|about\s+)?{_DIMENSIONS}",
        re.IGNORECASE,
    ),
    re.compile(
        rf"(?:an?|the)\s+{_DIMENSIONS}[,\s]+(?:[\w-]+[,\s]+){{0,4}}?{_TUMOUR}\b", re.IGNORECASE
    ),
    # "Invasive lobular carcinoma, Nottingham grade 1, 1.8 cm." : a size in the name's list.
    re.compile(
        rf"\b\w*(?:carcinoma|sarcoma|oma)\b(?:,\s*[\w\s/-]{{1,30}}?){{0,3}},\s*(?:measuring\s+)?"
        rf"{_DIMENSIONS}(?=\s*(?:[,.;)]|in\s+greatest|$))",
        re.IGNORECASE,
    ),
    re.compile(
        rf"(?:greatest|maximum|maximal)\s+(?:\w+\s+)?(?:dimension|diameter)\s+of\s+(?:the\s+)?"
        rf"{_TUMOUR}\s+is\s+{_DIMENSIONS}",
        re.IGNORECASE,
    ),
)
_NOT_TUMOUR_SIZE = re.compile(
    r"\b(?:lymph\s+nodes?|nodes?|specimen|fragments?|aggregate|cassettes?|polyps?|cysts?|"
    r"leiomyomas?|kidney\s+measures|uterus|ovary\s+is)\b",
    re.IGNORECASE,
)


def _largest(match: re.Match[str]) -> float | None:
    values: list[float] = []
    for name in ("a", "b", "c"):
        raw = match.group(name)
        if not raw:
            continue
        raw = raw.replace(" ", "").replace(",", ".")
        if raw in ("l", "I"):
            raw = "1"
        try:
            values.append(float(raw))
        except ValueError:
            continue
    if not values:
        return None
    largest = max(values)
    if match.group("unit").lower() == "mm":
        largest /= 10
    return largest if 0 < largest < 40 else None


def find_sizes(text: str) -> list[Statement]:
    """The tumour's largest dimension in cm: "2.3 cm"."""
    found: list[Statement] = []
    for regex, strength in ((_SIZE_FIELD, 2), *((near, 0) for near in _SIZE_NEAR)):
        for match in regex.finditer(text):
            words = match.group(0)
            if strength == 0 and _NOT_TUMOUR_SIZE.search(words):
                continue
            largest = _largest(match)
            if largest is None:
                continue
            after = text[match.end() : match.end() + 30]
            if re.match(r"\s*(?:from|to|away|of\s+the\s+(?:\w+\s+)?margin)\b", after, re.I):
                continue  # "0.8 cm from the closest margin": a distance
            found.append(Statement(f"{largest:g} cm", match.start(), match.end(), strength))
    return found


# -- lymph nodes ---------------------------------------------------------------------------

_WORDS = {
    "no": 0, "none": 0, "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
}  # fmt: skip
_WORD_ALT = "|".join(sorted(_WORDS, key=len, reverse=True))
_COUNT = rf"(?:\d{{1,3}}|{_WORD_ALT}|[lI](?=\s+(?:of|out)\b))"
_NODE = r"(?:lymph\s*nodes?|nodes?|LNs?)"
_NEGATIVE = (
    r"(?:negative|benign|free\s+of|without|no\s+(?:evidence\s+of\s+)?(?:metastatic\s+)?"
    r"(?:tumou?r|carcinoma|malignancy|metastas[ie]s|disease|neoplasm)|no\s+\w+\s+(?:tumou?r|"
    r"carcinoma)|(?:tumou?r|carcinoma)\s+(?:is\s+)?not\s+(?:seen|identified|present)|"
    r"no\s+tumou?r\s+(?:seen|present|identified))"
)
# "2 of 14 lymph nodes", "one of nine lymph nodes positive", "1 OUT 2 LYMPH NODES".
_OF = re.compile(
    rf"\b(?P<pos>{_COUNT})\s+(?:of|out\s+of|out|/)\s+(?P<tot>{_COUNT})\s+(?:\([^)]*\)\s*)?"
    rf"(?:[\w-]+\s+){{0,3}}?{_NODE}",
    re.IGNORECASE,
)
# "(0/6)", "(10/31)".
_RATIO = re.compile(r"\(\s*(?P<pos>\d{1,2}|[Oo])\s*/\s*(?P<tot>\d{1,3})\s*\)")
# OCR loses or misreads the slash of "(0/16)": "(0116)", "(019)". Read only for none involved,
# and only where no word count stands beside it.
_RATIO_OCR = re.compile(r"\(\s*[0Oo]\s*1?(?P<tot>\d{1,2})\s*\)")
# "Six lymph nodes, negative for malignancy", "(5) lymph nodes with ... no metastatic tumor".
_NONE_IN = re.compile(
    rf"(?:\b(?P<tot>{_COUNT})\s+(?:\((?P<tot2>\d{{1,3}})\)\s+)?|\((?P<tot3>[1-9]\d{{0,2}})\)\s+)"
    rf"(?:[\w-]+\s+){{0,3}}?{_NODE}\b(?:[^.;\n]|\n(?-i:(?=[a-z-]))){{0,60}}?\b{_NEGATIVE}"
    rf"|\b{_NEGATIVE}[^.;]{{0,20}}?\bin\s+(?:any\s+of\s+|all\s+|each\s+of\s+)?(?:the\s+)?"
    rf"(?P<tot4>{_COUNT})\s+(?:\(\d+\)\s+)?"
    rf"(?:[\w-]+\s+){{0,2}}?{_NODE}",
    re.IGNORECASE,
)
_TOTAL = re.compile(
    r"(?:total\s+)?(?:number\s+of\s+)?(?:regional\s+)?(?:lymph\s+)?nodes?\s+(?:examined|"
    r"identified|retrieved|recovered|submitted|received|evaluated)(?:[^:\d\n]{0,20})?\s*"
    r"[:=]?\s*(?P<n>\d{1,3})\b"
    r"|total\s+(?:number\s+of\s+)?(?:regional\s+)?(?:lymph\s+)?nodes?(?:\s+examined)?\s*"
    r"[:=]\s*(?P<n2>\d{1,3})\b",
    re.IGNORECASE,
)
_POSITIVE = re.compile(
    r"(?:number\s+of\s+)?(?:lymph\s+)?nodes?\s+(?:positive|involved|with\s+metastas[ie]s|"
    r"containing\s+metastatic\s+\w+)(?:[^:\d\n]{0,20})?\s*[:=]?\s*(?P<n>\d{1,3}|[Oo])\b"
    r"|(?:number\s+of\s+)?(?:positive|metastatic|involved)\s+(?:lymph\s+)?nodes?"
    r"(?:[^:\d\n]{0,20})?\s*[:=]\s*(?P<n2>\d{1,3}|[Oo])\b"
    r"|number\s+positive\s*[:=]?\s*(?P<n3>\d{1,3})\b",
    re.IGNORECASE,
)
_STATED_RATIO = re.compile(
    r"\b(?:lymph\s+nodes?|nodes?)\s*(?:\([^)]{0,20}\))?\s*:\s*(?P<pos>\d{1,3})\s*/\s*"
    r"(?P<tot>\d{1,3})\s+(?:positive|involved)",
    re.IGNORECASE,
)


def _count(word: str) -> int:
    word = word.lower()
    if word in ("o", "l", "i"):
        return {"o": 0, "l": 1, "i": 1}[word]
    return int(word) if word.isdigit() else _WORDS[word]


@dataclass(frozen=True)
class NodeCount:
    positive: int
    total: int
    start: int
    end: int
    stated_total: bool  # "Total lymph nodes: 33": the report's own sum


def find_node_counts(text: str) -> list[NodeCount]:
    """Every count of lymph nodes, each once, in reading order."""
    found: list[NodeCount] = []

    def add(positive: int, total: int, start: int, end: int, stated: bool = False) -> None:
        if total <= 0 or positive > total or total > 150:
            return
        for index, other in enumerate(found):
            same = (other.positive, other.total) == (positive, total)
            near = other.start - 80 < end and start < other.end + 80
            if (other.start < end and start < other.end) or (same and near):
                if stated and not other.stated_total:
                    found[index] = NodeCount(
                        positive, total, min(start, other.start), max(end, other.end), True
                    )
                return
        found.append(NodeCount(positive, total, start, end, stated))

    for match in _STATED_RATIO.finditer(text):
        add(int(match.group("pos")), int(match.group("tot")), match.start(), match.end(), True)
    totals = [
        (m.start(), m.end(), int(m.group("n") or m.group("n2"))) for m in _TOTAL.finditer(text)
    ]
    positives = [
        (m.start(), m.end(), _count(m.group("n") or m.group("n2") or m.group("n3")))
        for m in _POSITIVE.finditer(text)
    ]
    for t_start, t_end, total in totals:
        near = [p for p in positives if abs(p[0] - t_start) < 220]
        if near:
            nearest = min(near, key=lambda p: abs(p[0] - t_start))
            add(nearest[2], total, min(t_start, nearest[0]), max(t_end, nearest[1]), True)
    for match in _OF.finditer(text):
        add(_count(match.group("pos")), _count(match.group("tot")), match.start(), match.end())
    for match in _RATIO.finditer(text):
        before = text[max(0, match.start() - 120) : match.start()].lower()
        if not re.search(r"\bnodes?\b|\bln\b|\blymph\b", before):
            continue
        add(_count(match.group("pos")), int(match.group("tot")), match.start(), match.end())
    for match in _NONE_IN.finditer(text):
        word = (
            match.group("tot2") or match.group("tot3") or match.group("tot") or match.group("tot4")
        )
        add(0, _count(word), match.start(), match.end())
    for match in _RATIO_OCR.finditer(text):
        before = text[max(0, match.start() - 120) : match.start()].lower()
        if not re.search(r"\bnodes?\b", before):
            continue
        if any(0 <= match.start() - c.end < 60 for c in found):
            continue
        add(0, int(match.group("tot")), match.start(), match.end())
    found.sort(key=lambda c: c.start)
    return found
