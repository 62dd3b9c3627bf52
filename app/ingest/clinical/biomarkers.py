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

# name -> how the report writes it. Short capitals (ER, PR, AR) must be capitals: "er" and
# "pr" are common English; the long names are read in any case.
_NAMES: dict[str, str] = {
    "er": r"(?i:o?estrogen\s+receptors?)(?:\s*\(ER\))?|\bER(?:-?alpha)?\b",
    "pr": r"(?i:progesterone\s+receptors?)(?:\s*\(PR\))?|\bPR\b|\bPgR\b",
    "her2": r"(?i:\bHER-?\s?2(?:\s*/\s*neu)?(?:\s*\(ERBB2\))?|\bERBB2\b|\bc-?erbB-?2\b)",
    "ar": r"(?i:androgen\s+receptors?)|\bAR\b(?=\s*[:(])",
    "ki67": r"(?i:\bKi-?\s?67\b|\bMIB-?\s?1\b)",
    "p53": r"(?i:\bp53\b)",
    "p16": r"(?i:\bp16(?:INK4a)?\b)",
    "hpv": r"(?i:\bHPV\b|human\s+papilloma\s?virus|\bhr-?HPV\b)",
    "ebv": r"(?i:\bEBV\b|\bEBER\b|epstein[- ]barr)",
    "pdl1": r"(?i:\bPD-?\s?L1\b)",
    "mgmt": r"(?i:\bMGMT\b)",
    "egfr": r"(?i:\bEGFR\b)",
    "alk": r"\bALK\b",
    "ros1": r"(?i:\bROS-?1\b)",
    "kras": r"(?i:\bK-?RAS\b)",
    "nras": r"(?i:\bN-?RAS\b)",
    "braf": r"(?i:\bBRAF\b)",
    "brca1": r"(?i:\bBRCA-?1\b)",
    "brca2": r"(?i:\bBRCA-?2\b)",
    "pik3ca": r"(?i:\bPIK3CA\b)",
    "idh1": r"(?i:\bIDH-?\s?1\b)",
    "idh2": r"(?i:\bIDH-?\s?2\b)",
    "tp53": r"\bTP53\b",
    "atrx": r"(?i:\bATRX\b)",
    "ntrk": r"(?i:\bNTRK\b)",
    # OCR writes 1 as I or l: "I p/I 9q"; FISH reports also say "1p and 19q".
    "1p19q": r"(?i:\b[1Il]\s?p\s*(?:/|and)\s*[1Il]\s?9\s?q\b)",
    "psa": r"\bPSA\b|(?i:prostate[- ]specific\s+antigen)",
    "cea": r"\bCEA\b|(?i:carcinoembryonic\s+antigen)",
    "ca125": r"(?i:\bCA[- ]?125\b)",
    "ca199": r"(?i:\bCA[- ]?19-?9\b)",
    "afp": r"\bAFP\b|(?i:alpha[- ]?fetoprotein)",
    "cd20": r"\bCD20\b",
    "cd30": r"\bCD30\b",
    "cd117": r"\bCD117\b|(?i:\bc-?kit\b)",
}
_COMPILED = {name: re.compile(pattern) for name, pattern in _NAMES.items()}
_SERUM = ("psa", "cea", "ca125", "ca199", "afp")
_GENES = ("egfr", "alk", "ros1", "kras", "nras", "braf", "brca1", "brca2", "pik3ca", "idh1",
          "idh2", "tp53", "atrx", "ntrk")  # fmt: skip
_UNITS = {"psa": "ng/mL", "cea": "ng/mL", "afp": "ng/mL", "ca125": "U/mL", "ca199": "U/mL"}


@dataclass(frozen=True)
class Biomarker:
    name: str  # "er"
    value: str  # "Positive (95%, strong)"
    start: int
    end: int


def _clause(tail: str) -> str:
    """The words that go with a name: up to the sentence's end or the next field."""
    stop = re.search(r"[.;]\s|\n(?=[A-Z][\w /()-]{1,30}:)", tail)
    return tail[: stop.start()] if stop else tail


# -- receptors --------------------------------------------------------------------------------

_RECEPTOR_WORD = re.compile(
    r"\b(?P<w>low\s+positive|weakly\s+positive|positive|negative)\b|"
    r"\b(?P<pos>stain(?:s|ed|ing)?\s+positive(?:ly)?|(?:is|are)\s+expressed|immunoreactive)\b|"
    r"\b(?P<neg>no\s+(?:specific\s+|nuclear\s+)?(?:staining|immunoreactivity|expression)|"
    r"not\s+expressed|non-?reactive)\b",
    re.IGNORECASE,
)
_RECEPTOR_PERCENT = re.compile(
    r"(?P<cmp><|>|less\s+than|greater\s+than|more\s+than|over)?\s*" + _PERCENT, re.IGNORECASE
)


def _receptor(tail: str) -> str | None:
    """ER, PR, AR: "Positive (95%, strong)", "Negative (<1%)", "Positive (>75%)"."""
    clause = _clause(tail)[:140]
    said = _RECEPTOR_WORD.search(clause)
    pct = _RECEPTOR_PERCENT.search(clause)
    strength = re.search(_INTENSITY, clause, re.IGNORECASE)
    if said is None and pct is None:
        return None
    less = bool(pct and pct.group("cmp") and pct.group("cmp").lower().startswith(("<", "less")))
    if said is not None and said.group("w"):
        word = " ".join(said.group("w").split()).capitalize()
    elif said is not None and said.group("pos"):
        word = "Positive"
    elif said is not None and said.group("neg"):
        word = "Negative"
    else:
        assert pct is not None
        word = "Positive" if float(pct.group("pct")) >= 1 and not less else "Negative"
    details = []
    if pct:
        sign = "<" if less else ">" if pct.group("cmp") else ""
        details.append(f"{sign}{pct.group('pct')}%")
    if strength and word != "Negative":
        details.append(strength.group(1).lower())
    return f"{word} ({', '.join(details)})" if details else word


def _her2(tail: str) -> str | None:
    clause = _clause(tail)[:80]
    score = re.search(r"(?:IHC|score)?\s*\(?\s*(?P<s>[0-3])\s*\+?\s*\)?", clause)
    word = re.match(
        _SEP + r"(?P<w>positive|negative|equivocal|low|not amplified|"
        r"non-?amplified|amplified|borderline)",
        clause,
        re.I,
    )
    if word is None and score is None:
        return None
    score_text = ""
    if score and re.search(r"[0-3]\s*\+|score\s*[0-3]|IHC\s*[0-3]", score.group(0)):
        score_text = f"IHC {score.group('s')}+" if score.group("s") != "0" else "IHC 0"
    if word is None:
        if not score or not score_text:
            return None
        text = {"0": "Negative", "1": "Negative", "2": "Equivocal", "3": "Positive"}[
            score.group("s")
        ]
        return f"{text} ({score_text})"
    said = " ".join(word.group("w").lower().split())
    if said == "amplified":
        return "Positive (amplified)"
    if said in ("not amplified", "non-amplified", "nonamplified"):
        return "Negative (not amplified)"
    said = said.capitalize()
    return f"{said} ({score_text})" if score_text else said


# -- mismatch repair, MSI, PD-L1, recurrence score ----------------------------------------

_PROTEINS = ("MLH1", "MSH2", "MSH6", "PMS2")
_KEPT_WORDS = ("intact", "retained", "preserved", "present", "positive")


_PROTEIN_LIST = re.compile(
    r"\b(?:MLH1|MSH2|MSH6|PMS2)\b(?:\s*(?:,|/|and|&)\s*(?:MLH1|MSH2|MSH6|PMS2)\b)*",
    re.IGNORECASE,
)
_STATE = (
    r"(?P<w>intact|retained|preserved|present|positive|normal|lost|loss|absent|negative|"
    r"deficient)"
)
_STATE_AFTER = re.compile(
    r"\s*(?:\([^)]{0,20}\))?\s*[:\-]?\s*(?:nuclear\s+)?(?:expression\s+)?(?:is\s+|are\s+)?"
    + _STATE,
    re.IGNORECASE,
)
_STATE_BEFORE = re.compile(
    r"\b(?P<w>loss|intact|retained|preserved|absent|lost)\s+(?:of\s+)?(?:nuclear\s+)?"
    r"(?:expression\s+(?:of\s+|for\s+)?)?(?:\(\s*)?$",
    re.IGNORECASE,
)


def _mmr(text: str, start: int, end: int) -> tuple[str, int, int] | None:
    """Proficient or deficient mismatch repair, with the proteins named: "MLH1 and PMS2
    lost", "MLH1, PMS2, MSH2, MSH6 retained", "loss of MLH1 and PMS2"."""
    lost: list[str] = []
    kept: list[str] = []
    for match in _PROTEIN_LIST.finditer(text, start, end):
        proteins = [p.upper() for p in re.findall(r"MLH1|MSH2|MSH6|PMS2", match.group(0), re.I)]
        after = _STATE_AFTER.match(text, match.end(), min(end, match.end() + 40))
        before = _STATE_BEFORE.search(text, max(start, match.start() - 40), match.start())
        said = after or before
        if said is None:
            continue
        good = said.group("w").lower() in (*_KEPT_WORDS, "normal")
        for protein in proteins:
            if protein not in kept and protein not in lost:
                (kept if good else lost).append(protein)
    said = re.search(
        r"\b(?:mismatch\s+repair|MMR)\b[^.;\n]{0,60}?\b(?P<w>proficient|deficient|intact|"
        r"retained|lost|loss|abnormal|normal)\b",
        text[start:end],
        re.IGNORECASE,
    )
    if not kept and not lost and not said:
        return None
    order = {name: index for index, name in enumerate(_PROTEINS)}
    kept.sort(key=order.__getitem__)
    lost.sort(key=order.__getitem__)
    if lost:
        return f"Deficient ({' and '.join(lost)} lost)", start, end
    if len(kept) == 4:
        return f"Proficient ({', '.join(kept)} intact)", start, end
    if said:
        good = said.group("w").lower() in ("proficient", "intact", "retained", "normal")
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
    r"combined\s+positive\s+score|IC)\b\s*(?:of|[:=])?\s*(?P<lt>[<>]\s*)?(?P<n>\d{1,3})\s*"
    r"(?P<pct>%)?|\bPD-?\s?L1\b[^.;\n]{0,40}?(?P<lt2>[<>]\s*)?(?P<n2>\d{1,3})\s*%",
    re.IGNORECASE,
)
_MUTATION = re.compile(
    r"\b(?P<v>[A-Z]\d{2,4}[A-Z*]|exon\s+\d{1,2}\s+(?:deletion|insertion|mutation)|V600E|L858R|"
    r"T790M|G12[CDVAS]|G13D|Q61[KLR]|R132H|E545K|H1047R)\b",
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
    for name, regex in _COMPILED.items():
        for match in regex.finditer(text, start, end):
            value = _value(name, text[match.end() : min(end, match.end() + 160)])
            if value:
                found.append(Biomarker(name, value, match.start(), match.end()))
    # "negative for ER and PR": the result before the names.
    for match in _NEGATIVE_FOR.finditer(text, start, end):
        names = _clause(text[match.end() : min(end, match.end() + 60)])
        for name, regex in _COMPILED.items():
            if name in _SERUM:
                continue
            hit = regex.search(names)
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
        value = f"Recurrence score {match.group('n')}"
        found.append(Biomarker("oncotype", value, match.start(), match.end()))
    found.sort(key=lambda b: b.start)
    return found


def _value(name: str, tail: str) -> str | None:
    """The result written after a biomarker's name, or None."""
    if name in ("er", "pr", "ar"):
        return _receptor(tail)
    if name == "her2":
        return _her2(tail)
    if name == "ki67":
        return _ki67(tail)
    if name in _SERUM:
        return _serum(name, tail)
    if name == "mgmt":
        match = re.search(
            r"\b(?P<w>unmethylated|not\s+methylated|methylated|hypermethylated)\b",
            _clause(tail)[:100],
            re.I,
        )
        if match is None:
            return None
        word = match.group("w").lower()
        return "Methylated" if word in ("methylated", "hypermethylated") else "Unmethylated"
    if name == "1p19q":
        return _codeletion(tail)
    if name in _GENES:
        return _gene(name, tail)
    # Stains and viruses: positive or negative.
    match = re.match(
        r"[^.;\n]{0,30}?\b(?P<w>positive|negative|detected|not\s+detected|strongly\s+positive|"
        r"diffusely\s+positive|block[- ]positive)\b",
        tail,
        re.IGNORECASE,
    )
    if not match:
        return None
    word = match.group("w").lower()
    return "Negative" if "negative" in word or "not detected" in word else "Positive"


def _ki67(tail: str) -> str | None:
    """ "40%", "<0.1%", "10-20%": the first percentage said with the name (OCR writes 1% as
    "I%")."""
    match = re.search(
        r"(?P<lt>[<>]|less\s+than|under|greater\s+than|more\s+than)?\s*"
        r"(?P<n>\d{1,3}(?:\.\d{1,2})?|(?<![A-Za-z])[Il](?=\s*%))(?:\s*-\s*(?P<n2>\d{1,3}))?\s*%",
        _clause(tail)[:160],
        re.IGNORECASE,
    )
    if match is None:
        return None
    number = "1" if match.group("n") in ("I", "l") else match.group("n")
    compare = (match.group("lt") or "").lower()
    sign = "<" if compare.startswith(("<", "less", "under")) else ">" if compare else ""
    high = f"-{match.group('n2')}" if match.group("n2") else ""
    return f"{sign}{number}{high}%"


def _serum(name: str, tail: str) -> str | None:
    """A tumour marker's level: "6.2 ng/mL"."""
    match = re.match(
        r"\s*(?:level|value|was|is|of|[:=(]|\s)*\s*(?P<n>\d{1,5}(?:\.\d{1,2})?)\s*"
        r"(?P<unit>ng/m[lL]|ng/dl|U/m[lL]|IU/m[lL]|kU/L|units?)?",
        tail,
        re.IGNORECASE,
    )
    if not match:
        return None
    level = re.match(r"\s*(?:level|value)", tail, re.IGNORECASE)
    if not match.group("unit") and "." not in match.group("n") and name != "psa" and not level:
        return None
    unit = (match.group("unit") or _UNITS[name]).replace("ml", "mL").replace("ML", "mL")
    return f"{match.group('n')} {unit}"


def _codeletion(tail: str) -> str | None:
    match = re.search(
        r"(?P<w>not\s+co-?deleted|non-?co-?deleted|co-?deleted|no\s+(?:co-?)?deletion|"
        r"(?:co-?)?deletion\s+(?:is\s+|was\s+)?(?:not\s+)?(?:detected|present|absent|"
        r"identified)|no\s+loss|intact|deleted|loss|lost)",
        _clause(tail)[:120],
        re.I,
    )
    if not match:
        return None
    word = match.group("w").lower()
    kept = "not" in word or "non" in word or "absent" in word or word.startswith("no ")
    return "Not co-deleted" if kept or word == "intact" else "Co-deleted"


def _gene(name: str, tail: str) -> str | None:
    mutation = _MUTATION.search(tail[:40])
    result = re.match(
        r"[^.;\n]{0,40}?\b(?P<w>wild[- ]?type|not\s+detected|"
        r"no\s+mutations?\s+(?:was\s+|were\s+)?(?:detected|identified)|negative|positive|"
        r"detected|mutated|mutant|mutation|rearranged|rearrangement|fusion|amplified|"
        r"not\s+amplified|intact|lost|retained)\b",
        tail,
        re.IGNORECASE,
    )
    if not result:
        return None
    word = " ".join(result.group("w").lower().split())
    if word.startswith(("wild", "not detected", "no mutation", "negative", "not amplified")):
        return "Wild type" if word.startswith("wild") else "Not detected"
    if name == "atrx" and word in ("intact", "retained", "lost"):
        return "Lost" if word == "lost" else "Retained"
    if word in ("rearranged", "rearrangement", "fusion"):
        return "Rearranged"
    detail = mutation.group("v") if mutation else ""
    return f"Detected ({detail})" if detail else "Detected"
