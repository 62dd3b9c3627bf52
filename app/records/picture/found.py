"""What the records say about one field, before the user's decisions: the value (or the
disagreement), the records that say it, and every other value seen.

`choose` takes what each record says about a field and decides: the records of the highest
rank speak (a surgical pathology report above a biopsy for the tumour's own features, a
pathology report above a letter that repeats it); when they agree the value is theirs, with
every record that says it as its sources; when they disagree it is a conflict, never one of
them silently. Values agree when they say the same thing in other words ("grade 2" and
"Nottingham grade 2"; "ER positive (95%)" and "ER positive (90%)"; "T2" and "pT2").
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from app.records.picture.model import Candidate, Source


@dataclass(frozen=True)
class Said:
    """One record's value for a field. `rank`: how much it weighs (higher wins);
    `order`: when it was said, for "the latest" (date, then id)."""

    value: str
    source: Source
    rank: int
    order: tuple[str, int]


@dataclass(frozen=True)
class Found:
    value: str  # "" when the records disagree
    sources: tuple[Source, ...]
    candidates: tuple[Candidate, ...] = ()  # each distinct value and who says it
    conflict: bool = False


Founds = dict[str, Found]  # field key -> what the records say


def _words(text: str) -> list[str]:
    return re.sub(r"[^a-z0-9+%./]+", " ", text.casefold()).split()


_DIFFERENTIATION = {"well": 1, "moderately": 2, "poorly": 3, "undifferentiated": 4}
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_POLARITY = (
    ("positive", "positive"), ("negative", "negative"), ("equivocal", "equivocal"),
    ("low", "low"), ("proficient", "proficient"), ("intact", "proficient"),
    ("retained", "proficient"), ("deficient", "deficient"), ("lost", "deficient"),
    ("loss", "deficient"), ("wild", "wild-type"), ("not detected", "wild-type"),
    ("mutat", "mutated"), ("detected", "mutated"), ("msi-h", "high"), ("high", "high"),
    ("stable", "stable"), ("methylated", "methylated"), ("unmethylated", "unmethylated"),
    ("codeleted", "codeleted"), ("amplified", "positive"), ("not amplified", "negative"),
)  # fmt: skip


def _grade_key(value: str) -> str:
    text = value.casefold()
    if gleason := re.search(r"(\d)\s*\+\s*(\d)", text):
        return f"gleason {gleason.group(1)}+{gleason.group(2)}"
    if group := re.search(r"grade group\s*(\d)", text):
        return f"group {group.group(1)}"
    for word, number in _DIFFERENTIATION.items():
        if re.search(rf"\b{word}\b", text):
            return str(number)
    if number_match := re.search(r"\b(?:g|grade\s*)?([1-4])\b", text):
        return number_match.group(1)
    if roman := re.search(r"\b(iv|i{1,3})\b", text):
        return str(_ROMAN[roman.group(1)])
    return " ".join(_words(value))


def _polarity(value: str) -> str:
    text = value.casefold()
    for word, meaning in sorted(_POLARITY, key=lambda p: -len(p[0])):
        if word in text:
            return meaning
    return ""


@functools.lru_cache(maxsize=8192)
def comparable(key: str, value: str) -> str:
    """What must be equal for two values of `key` to say the same thing."""
    name = key.rsplit(".", 1)[1]
    if name == "grade":
        return _grade_key(value)
    if key.split(".", 1)[0].startswith("stage") and name != "note":
        text = re.sub(r"\s+", "", value.casefold())
        text = re.sub(r"^stage", "", text)
        if name.endswith(("_t", "_n", "_m")):
            text = re.sub(r"^[cp]", "", text)  # "pT2" and "T2" under pathological T
        return (
            re.sub(r"(?:st|nd|rd|th|edition|ajcc)", "", text) if name == "ajcc_edition" else (text)
        )
    if key.split(".", 1)[0].startswith("biomarker") and name != "other":
        polarity = _polarity(value)
        if polarity:
            return polarity
    return " ".join(_words(value))


@functools.lru_cache(maxsize=8192)
def agree(key: str, a: str, b: str) -> bool:
    """Do two values of `key` say the same thing? For words, one saying more than the other
    ("adenocarcinoma", "invasive adenocarcinoma") is agreement."""
    ka, kb = comparable(key, a), comparable(key, b)
    if ka == kb:
        return True
    name = key.rsplit(".", 1)[1]
    if name in ("histology", "site", "margins", "lymph_nodes", "lvi", "procedure"):
        wa, wb = set(ka.split()), set(kb.split())
        return bool(wa) and bool(wb) and (wa <= wb or wb <= wa)
    return False


def _clusters(key: str, said: list[Said]) -> list[list[Said]]:
    groups: list[list[Said]] = []
    for item in said:
        home = next((g for g in groups if agree(key, g[0].value, item.value)), None)
        if home is None:
            groups.append([item])
        else:
            home.append(item)
    return groups


def _best(group: list[Said]) -> str:
    """The value a group of agreeing records is shown by: the most specific of the
    highest rank (the longest), the latest on a tie."""
    top = max(s.rank for s in group)
    ranked = [s for s in group if s.rank == top]
    return max(ranked, key=lambda s: (len(s.value), s.order)).value


def _sources(group: list[Said]) -> tuple[Source, ...]:
    ordered = sorted(group, key=lambda s: (-s.rank, s.order))
    seen: list[Source] = []
    for item in ordered:
        if all((s.kind, s.id) != (item.source.kind, item.source.id) for s in seen):
            seen.append(item.source)
    return tuple(seen)


def choose(key: str, said: list[Said]) -> Found | None:
    """What the records say about `key`, from every record's value."""
    said = [s for s in said if s.value.strip()]
    if not said:
        return None
    everything = _clusters(key, said)
    candidates = tuple(
        Candidate(_best(g), _sources(g)) for g in sorted(everything, key=lambda g: min(
            s.order for s in g))
    )  # fmt: skip
    top = max(s.rank for s in said)
    speaking = _clusters(key, [s for s in said if s.rank == top])
    if len(speaking) > 1:
        conflicting = tuple(Candidate(_best(g), _sources(g)) for g in speaking)
        # Every value seen stays listed: the ones that conflict first.
        rest = tuple(c for c in candidates if all(c.value != x.value for x in conflicting))
        return Found("", (), (*conflicting, *rest), conflict=True)
    chosen = speaking[0]
    value = _best(chosen)
    agreeing = [s for s in said if agree(key, s.value, value)]
    return Found(value, _sources(agreeing), candidates)
