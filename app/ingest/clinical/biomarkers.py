"""Biomarker and genetic results: ER, PR, HER2, Ki-67, MMR/MSI, PD-L1, MGMT, EGFR, ALK,
KRAS, BRAF, IDH, 1p/19q, p16/HPV, tumour markers (PSA, CEA, CA-125, AFP) and the like.

"ER: Negative" and "negative for ER" are results, not a negation of the report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SEP = r"\s*(?:\([^)]{0,30}\)\s*)?(?:[:=\-]|is|was|were|are|shows?|status)?\s*(?:is\s+)?"
_PERCENT = r"(?P<pct>\d{1,3}(?:\.\d)?)\s*%"
_INTENSITY = r"(?P<int>strong|moderate|weak|intense|faint)"

# name -> how the report writes it.
_NAMES: dict[str, str] = {
    "er": r"estrogen\s+receptors?(?:\s*\(ER\))?|oestrogen\s+receptors?|\bER(?:-?alpha)?\b",
    "pr": r"progesterone\s+receptors?(?:\s*\(PR\))?|\bPR\b|\bPgR\b",
    "her2": r"\bHER-?\s?2(?:\s*/\s*neu)?(?:\s*\(ERBB2\))?|\bERBB2\b|\bc-?erbB-?2\b",
    "ar": r"androgen\s+receptors?|\bAR\b(?=\s*[:(])",
    "ki67": r"\bKi-?\s?67\b|\bMIB-?1\b",
    "p53": r"\bp53\b",
    "p16": r"\bp16(?:INK4a)?\b",
    "hpv": r"\bHPV\b|human\s+papilloma\s?virus|\bhr-?HPV\b",
    "ebv": r"\bEBV\b|\bEBER\b|epstein[- ]barr",
    "pdl1": r"\bPD-?\s?L1\b",
    "mgmt": r"\bMGMT\b",
    "egfr": r"\bEGFR\b",
    "alk": r"\bALK\b",
    "ros1": r"\bROS-?1\b",
    "kras": r"\bK-?RAS\b",
    "nras": r"\bN-?RAS\b",
    "braf": r"\bBRAF\b",
    "brca1": r"\bBRCA-?1\b",
    "brca2": r"\bBRCA-?2\b",
    "pik3ca": r"\bPIK3CA\b",
    "idh1": r"\bIDH-?1\b",
    "idh2": r"\bIDH-?2\b",
    "tp53": r"\bTP53\b",
    "atrx": r"\bATRX\b",
    "ntrk": r"\bNTRK\b",
    "1p19q": r"\b1p\s*/\s*19q\b",
    "psa": r"\bPSA\b|prostate[- ]specific\s+antigen",
    "cea": r"\bCEA\b|carcinoembryonic\s+antigen",
    "ca125": r"\bCA[- ]?125\b",
    "ca199": r"\bCA[- ]?19-?9\b",
    "afp": r"\bAFP\b|alpha[- ]?fetoprotein",
    "cd20": r"\bCD20\b",
    "cd30": r"\bCD30\b",
    "cd117": r"\bCD117\b|\bc-?kit\b",
}
_RESULT = re.compile(
    r"(?P<word>positive|negative|equivocal|borderline|indeterminate|low|high|"
    r"not\s+amplified|non-?amplified|amplified|overexpressed|not\s+overexpressed|"
    r"intact|retained|preserved|lost|loss|absent|deficient|proficient|"
    r"unmethylated|methylated|not\s+methylated|wild[- ]?type|not\s+detected|detected|"
    r"mutated|mutant|mutation\s+(?:not\s+)?detected|no\s+mutation|"
    r"co-?deleted|codeleted|not\s+co-?deleted|non-?co-?deleted|deleted|"
    r"(?:\d\+)|(?:score\s+)?[0-3]\+?)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Biomarker:
    name: str  # "er"
    value: str  # "Positive (95%, strong)"
    start: int
    end: int


def _word(word: str) -> str:
    word = " ".join(word.lower().split())
    return {
        "retained": "Intact",
        "preserved": "Intact",
        "loss": "Lost",
        "absent": "Lost",
        "non-amplified": "Not amplified",
        "nonamplified": "Not amplified",
        "wildtype": "Wild type",
        "wild-type": "Wild type",
        "wild type": "Wild type",
        "mutant": "Detected",
        "mutated": "Detected",
        "mutation detected": "Detected",
        "mutation not detected": "Not detected",
        "no mutation": "Not detected",
        "codeleted": "Co-deleted",
        "co-deleted": "Co-deleted",
        "not codeleted": "Not co-deleted",
        "not co-deleted": "Not co-deleted",
        "non-codeleted": "Not co-deleted",
        "non-co-deleted": "Not co-deleted",
        "noncodeleted": "Not co-deleted",
        "not methylated": "Unmethylated",
    }.get(word, word.capitalize())


def _receptor(name: str, text: str, match: re.Match[str], tail: str) -> str | None:
    """ER, PR, AR: "Positive (95%, strong)", "Negative (<1%)"."""
    result = re.match(_SEP + r"(?P<w>positive|negative|low positive|weakly positive)", tail, re.I)
    pct = re.search(r"(?P<lt><\s*)?" + _PERCENT, tail[:80])
    strength = re.search(_INTENSITY, tail[:80], re.IGNORECASE)
    if result is None:
        if pct is None:
            return None
        value = float(pct.group("pct"))
        word = "Positive" if value >= 1 and not pct.group("lt") else "Negative"
    else:
        word = result.group("w").capitalize()
    details = []
    if pct and pct.start() < 60:
        details.append(f"{'<' if pct.group('lt') else ''}{pct.group('pct')}%")
    if strength and strength.start() < 60 and word != "Negative":
        details.append(strength.group(1).lower())
    return f"{word} ({', '.join(details)})" if details else word


def _her2(tail: str) -> str | None:
    score = re.search(r"(?:IHC|score)?\s*\(?\s*(?P<s>[0-3])\s*\+?\s*\)?", tail[:60])
    word = re.match(
        _SEP + r"(?P<w>positive|negative|equivocal|low|not amplified|"
        r"non-?amplified|amplified|borderline)",
        tail,
        re.I,
    )
    if word is None and score is None:
        return None
    score_text = ""
    if score and re.search(r"[0-3]\s*\+|score\s*[0-3]|IHC\s*[0-3]", score.group(0)):
        score_text = f"IHC {score.group('s')}+" if score.group("s") != "0" else "IHC 0"
    if word is None:
        if not score_text:
            return None
        level = score.group("s") if score else ""
        text = {"0": "Negative", "1": "Negative", "2": "Equivocal", "3": "Positive"}[level]
        return f"{text} ({score_text})"
    text = _word(word.group("w"))
    if "amplified" in text.lower():
        text = {"Amplified": "Positive (amplified)", "Not amplified": "Negative (not amplified)"}[
            text
        ]
        return text
    return f"{text} ({score_text})" if score_text else text


def _mmr(text: str, start: int, end: int) -> tuple[str, int, int] | None:
    """Proficient or deficient mismatch repair, with the proteins named."""
    window = text[start:end]
    proteins = ("MLH1", "MSH2", "MSH6", "PMS2")
    lost: list[str] = []
    kept: list[str] = []
    for protein in proteins:
        match = re.search(
            rf"\b{protein}\b\s*(?:\([^)]{{0,20}}\))?\s*[:\-]?\s*(?:expression\s+)?(?:is\s+)?"
            r"(?P<w>intact|retained|preserved|present|positive|lost|loss|absent|negative|"
            r"deficient)",
            window,
            re.IGNORECASE,
        )
        if match:
            word = match.group("w").lower()
            (
                kept if word in ("intact", "retained", "preserved", "present", "positive") else lost
            ).append(protein)
    said = re.search(
        r"\b(?:mismatch\s+repair|MMR)\b[^.;\n]{0,60}?\b(?P<w>proficient|deficient|intact|"
        r"retained|lost|loss|abnormal|normal)\b",
        window,
        re.IGNORECASE,
    )
    if not kept and not lost and not said:
        return None
    if lost:
        return f"Deficient ({' and '.join(lost)} lost)", start, end
    if kept and len(kept) == 4:
        return f"Proficient ({', '.join(kept)} intact)", start, end
    if said:
        word = said.group("w").lower()
        good = word in ("proficient", "intact", "retained", "normal")
        value = "Proficient" if good else "Deficient"
        if kept:
            value += f" ({', '.join(kept)} intact)"
        return value, start + said.start(), start + said.end()
    return f"Proficient ({', '.join(kept)} intact)", start, end


_MSI = re.compile(
    r"\b(?P<v>MSI-?H(?:igh)?|MSI-?L(?:ow)?|MSS|microsatellite\s+stable|"
    r"microsatellite\s+instability[- ](?:high|low)|high\s+(?:levels?\s+of\s+)?microsatellite"
    r"\s+instability|microsatellite\s+instability\s*(?:\(MSI\))?\s*[:\-]?\s*(?:not\s+detected|"
    r"detected|high|low|stable))",
    re.IGNORECASE,
)
_PDL1 = re.compile(
    r"\bPD-?\s?L1\b[^.;\n]{0,60}?\b(?P<score>TPS|CPS|tumou?r\s+proportion\s+score|"
    r"combined\s+positive\s+score|IC)\b\s*(?:of|[:=])?\s*(?P<lt>[<>]\s*)?(?P<n>\d{1,3})\s*(?P<pct>%)?"
    r"|\bPD-?\s?L1\b[^.;\n]{0,40}?(?P<lt2>[<>]\s*)?(?P<n2>\d{1,3})\s*%",
    re.IGNORECASE,
)
_MARKER_VALUE = re.compile(
    r"(?P<n>\d{1,5}(?:\.\d{1,2})?)\s*(?P<unit>ng/m[lL]|ng/dl|U/m[lL]|IU/m[lL]|kU/L|units?)?",
)
_MUTATION = re.compile(
    r"\b(?P<v>[A-Z]\d{2,4}[A-Z*]|exon\s+\d{1,2}\s+(?:deletion|insertion|"
    r"mutation)|V600E|L858R|T790M|G12[CDVAS]|G13D|Q61[KLR]|R132H|E545K|"
    r"H1047R)\b",
    re.IGNORECASE,
)
_RECURRENCE = re.compile(
    r"\b(?:oncotype(?:\s*dx)?|recurrence\s+score|\bRS\b)[^.;\n]{0,30}?\b(?P<n>\d{1,3})\b",
    re.IGNORECASE,
)
_NEGATIVE_FOR = re.compile(
    r"\b(?P<w>negative|positive)\s+(?:for|staining\s+for|immunostaining\s+for)\s+",
    re.IGNORECASE,
)


def find_biomarkers(text: str, start: int = 0, end: int | None = None) -> list[Biomarker]:
    end = len(text) if end is None else end
    found: list[Biomarker] = []
    for name, pattern in _NAMES.items():
        for match in re.finditer(pattern, text[start:end], re.IGNORECASE if name not in (
            "er", "pr", "ar") else 0):  # fmt: skip
            s, e = start + match.start(), start + match.end()
            tail = text[e : min(end, e + 120)]
            value = _value(name, text, s, e, tail)
            if value:
                found.append(Biomarker(name, value, s, e))
    # "negative for ER and PR": the result before the names.
    for match in _NEGATIVE_FOR.finditer(text, start, end):
        words = text[match.end() : min(end, match.end() + 60)]
        names = re.match(r"((?:[\w/-]+(?:\s*,\s*|\s+and\s+|\s+or\s+|\s+)){1,6})", words)
        if not names:
            continue
        for name, pattern in _NAMES.items():
            if name in ("psa", "cea", "ca125", "ca199", "afp"):
                continue
            hit = re.search(pattern, names.group(1), 0 if name in ("er", "pr", "ar") else re.I)
            if hit:
                s = match.end() + hit.start()
                found.append(
                    Biomarker(name, match.group("w").capitalize(), s, match.end() + hit.end())
                )
    if mmr := _mmr(text, start, end):
        found.append(Biomarker("mmr", *mmr))
    for match in _MSI.finditer(text, start, end):
        word = match.group("v").lower()
        if "stable" in word or word == "mss" or "not detected" in word:
            value = "Microsatellite stable (MSS)"
        elif "low" in word or word.startswith("msi-l") or word == "msil":
            value = "MSI-low"
        else:
            value = "MSI-high"
        found.append(Biomarker("msi", value, match.start(), match.end()))
    for match in _PDL1.finditer(text, start, end):
        number = match.group("n") or match.group("n2")
        less = (match.group("lt") or match.group("lt2") or "").strip()
        score = (match.group("score") or "").upper()
        if score.startswith("TUMO"):
            score = "TPS"
        elif score.startswith("COMBINED"):
            score = "CPS"
        unit = "%" if (match.group("pct") or match.group("n2")) else ""
        label = f"{score} " if score else "TPS " if unit else ""
        found.append(Biomarker("pdl1", f"{label}{less}{number}{unit}", match.start(), match.end()))
    for match in _RECURRENCE.finditer(text, start, end):
        found.append(
            Biomarker(
                "oncotype", f"Recurrence score {match.group('n')}", match.start(), match.end()
            )
        )
    found.sort(key=lambda b: b.start)
    return found


def _value(name: str, text: str, start: int, end: int, tail: str) -> str | None:
    if name in ("er", "pr", "ar"):
        return _receptor(name, text, re.match("", ""), tail)  # type: ignore[arg-type]
    if name == "her2":
        return _her2(tail)
    if name == "ki67":
        match = re.match(
            r"\s*(?:\([^)]{0,20}\)\s*)?(?:[:=\-]|index|proliferat\w+\s+index|labeling\s+index|"
            r"is|of|shows?|approximately|about|~|\s)*\s*(?P<lt>[<>]\s*)?(?P<n>\d{1,3})"
            r"(?:\s*-\s*(?P<n2>\d{1,3}))?\s*%",
            tail,
            re.IGNORECASE,
        )
        if match:
            high = f"-{match.group('n2')}" if match.group("n2") else ""
            return f"{(match.group('lt') or '').strip()}{match.group('n')}{high}%"
        return None
    if name in ("psa", "cea", "ca125", "ca199", "afp"):
        match = re.match(
            r"\s*(?:level|value|was|is|of|[:=]|\s)*\s*(?P<n>\d{1,5}(?:\.\d{1,2})?)\s*"
            r"(?P<unit>ng/m[lL]|ng/dl|U/m[lL]|IU/m[lL]|kU/L|units?)?",
            tail,
            re.IGNORECASE,
        )
        if not match or (not match.group("unit") and "." not in match.group("n") and name != "psa"):
            return None
        default = {"psa": "ng/mL", "cea": "ng/mL", "afp": "ng/mL", "ca125": "U/mL",
                   "ca199": "U/mL"}[name]  # fmt: skip
        unit = match.group("unit") or default
        unit = unit.replace("ml", "mL").replace("ML", "mL")
        return f"{match.group('n')} {unit}"
    if name == "mgmt":
        match = re.search(
            r"\b(?P<w>unmethylated|not\s+methylated|methylated|hypermethylated)\b", tail[:80], re.I
        )
        if match:
            word = match.group("w").lower()
            return "Methylated" if word in ("methylated", "hypermethylated") else "Unmethylated"
        return None
    if name == "1p19q":
        match = re.search(
            r"(?P<w>not\s+co-?deleted|non-?co-?deleted|co-?deleted|codeletion\s+(?:is\s+)?"
            r"(?:not\s+)?(?:detected|present|absent|identified)|intact|deleted)",
            tail[:80],
            re.I,
        )
        if not match:
            return None
        word = match.group("w").lower()
        return "Not co-deleted" if ("not" in word or "non" in word or "absent" in word or
                                    word == "intact") else "Co-deleted"  # fmt: skip
    if name in ("egfr", "alk", "ros1", "kras", "nras", "braf", "brca1", "brca2", "pik3ca",
                "idh1", "idh2", "tp53", "atrx", "ntrk"):  # fmt: skip
        mutation = _MUTATION.search(tail[:40])
        result = re.match(
            r"[^.;\n]{0,40}?\b(?P<w>wild[- ]?type|not\s+detected|"
            r"no\s+mutations?\s+(?:was\s+|were\s+)?(?:detected|identified)|negative|positive|detected|mutated|mutant|mutation|"
            r"rearranged|rearrangement|fusion|amplified|not\s+amplified|intact|lost|retained)\b",
            tail,
            re.IGNORECASE,
        )
        if not result:
            return None
        word = result.group("w").lower()
        if word.startswith(("wild", "not detected", "no mutation", "negative", "not amplified")):
            return "Wild type" if word.startswith("wild") else "Not detected"
        if word in ("intact", "retained") and name == "atrx":
            return "Retained"
        if word == "lost" and name == "atrx":
            return "Lost"
        detail = mutation.group("v") if mutation else ""
        if word in ("rearranged", "rearrangement", "fusion"):
            return "Rearranged"
        return f"Detected ({detail})" if detail else "Detected"
    # IHC and viral markers: positive or negative.
    match = re.match(
        r"[^.;\n]{0,30}?\b(?P<w>positive|negative|detected|not\s+detected|strongly\s+positive|"
        r"diffusely\s+positive|block[- ]positive)\b",
        tail,
        re.IGNORECASE,
    )
    if not match:
        return None
    word = match.group("w").lower()
    if "negative" in word or "not detected" in word:
        return "Negative"
    return "Positive"
