"""Whether a report states a finding, doubts it, or says it is absent (NegEx-style cues).

The cue must sit in the same clause as the finding: a sentence end, a semicolon, or a word
such as "but" or "however" closes its reach. "ER: Negative" is a biomarker result, read by
`biomarkers.py`; these cues are for diagnoses ("negative for carcinoma").
"""

from __future__ import annotations

import re

from app.ingest.clinical.model import Certainty

# Cues before the finding, each allowed a few words between it and the finding
# ("no residual invasive carcinoma", "negative for high grade dysplasia or carcinoma").
_NEGATED_BEFORE = re.compile(
    r"\b(?:no|not|negative for|neg for|without|free of|absence of|absent|rules? out|"
    r"ruled out|no evidence of|no residual|no definite|no definitive|no convincing|"
    r"no morphologic evidence of|no histologic evidence of|there is no|nor|"
    r"lack of|lacks|excluded|exclude)\b"
    r"(?:\s+[\w/()-]+){0,6}?\s*$",
    re.IGNORECASE,
)
_UNCERTAIN_BEFORE = re.compile(
    r"\b(?:suspicious for|suspicious of|suspect(?:ed)?|suggestive of|suggesting|"
    r"possible|possibly|probable|probably|presumed|presumably|questionable|"
    r"cannot exclude|cannot rule out|can not exclude|to rule out|rule out|r/o|"
    r"differential diagnosis|differential includes|favou?r(?:ed|s)?|worrisome for|"
    r"concerning for|atypical|atypia|indeterminate for|equivocal for|may represent|"
    r"might represent|could represent|consider|versus|vs\.?)\b"
    r"(?:\s+[\w/()-]+){0,5}?\s*$",
    re.IGNORECASE,
)
# Cues after the finding: "carcinoma is not identified", "tumor: absent".
_NEGATED_AFTER = re.compile(
    r"^\s*(?:[\w()/-]+\s+){0,4}?(?:is|are|was|were)?\s*(?::\s*)?"
    r"(?:not (?:identified|seen|present|found|detected|demonstrated|appreciated)|"
    r"absent|negative\b(?!\s+for)|none (?:identified|seen))",
    re.IGNORECASE,
)
_UNCERTAIN_AFTER = re.compile(
    r"^\s*(?:[\w()/-]+\s+){0,4}?(?:cannot|can not|could not|may not) be "
    r"(?:excluded|ruled out|entirely excluded|completely excluded)|"
    r"^\s*(?:is|are)\s+(?:suspected|possible|favou?red|not excluded)|^\s*\?",
    re.IGNORECASE,
)
# What closes a cue's reach: the end of a sentence or clause, or a turn in the sentence.
_CLAUSE_END = re.compile(
    r"[.;!?]\s|[.;]$|\n\s*\n|\b(?:but|however|although|though|except|with|which|"
    r"consistent with|diagnostic of|positive for|shows?|showing|reveals?|demonstrat\w*)\b",
    re.IGNORECASE,
)
_BEFORE_REACH = 80
_AFTER_REACH = 60


def _clause_before(text: str, start: int) -> str:
    window = text[max(0, start - _BEFORE_REACH) : start]
    cut = 0
    for match in _CLAUSE_END.finditer(window):
        cut = match.end()
    return window[cut:]


def _clause_after(text: str, end: int) -> str:
    window = text[end : end + _AFTER_REACH]
    match = re.search(r"[.;!?\n]|\b(?:but|however|although)\b", window)
    return window[: match.start()] if match else window


def certainty(text: str, start: int, end: int) -> Certainty:
    """How the text holds text[start:end]: stated, uncertain or negated."""
    before = _clause_before(text, start)
    after = _clause_after(text, end)
    if _NEGATED_BEFORE.search(before) or _NEGATED_AFTER.search(after):
        return Certainty.NEGATED
    if _UNCERTAIN_BEFORE.search(before) or _UNCERTAIN_AFTER.search(after):
        return Certainty.UNCERTAIN
    return Certainty.STATED


# A report that says it found no cancer at all.
NO_MALIGNANCY = re.compile(
    r"\b(?:negative for (?:malignancy|malignant cells|tumou?r|carcinoma|neoplasm|"
    r"intraepithelial lesion or malignancy)|no (?:evidence of )?(?:malignancy|malignant|"
    r"residual (?:tumou?r|carcinoma|malignancy|disease)|carcinoma|tumou?r|neoplasm)|"
    r"benign|no malignancy (?:is )?(?:identified|seen|present))\b",
    re.IGNORECASE,
)
