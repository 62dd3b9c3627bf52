"""A dose said once: "30 units", never "30.0 · 30 units".

Portal files often give a dose twice, as a number and as words ("30.0" and "30 units"), and
print a whole number as "30.0". The parts of a dose line (the dose, how often) are joined
here, once, for the window, the sheets and the portal preview alike.
"""

from __future__ import annotations

import re

_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_BARE = re.compile(r"^\d+(?:\.\d+)?$")


def plain_number(text: str) -> str:
    """ "30.0" -> "30", "0.50 mg" -> "0.5 mg": numbers as people write them."""

    def shorter(match: re.Match[str]) -> str:
        number = match.group()
        if "." in number:
            number = number.rstrip("0").rstrip(".")
        return number

    return _NUMBER.sub(shorter, text)


def dose_words(*parts: str | None, joiner: str = " ") -> str:
    """The dose parts joined, each said once. A bare number is left out when another part
    already says it with its unit ("30.0" beside "30 units"); repeats are left out."""
    cleaned = [plain_number(" ".join(p.split())) for p in parts if p and p.strip()]
    kept: list[str] = []
    for index, part in enumerate(cleaned):
        others = cleaned[:index] + cleaned[index + 1 :]
        if _BARE.match(part) and any(o.split()[0] == part and o != part for o in others):
            continue
        if part.casefold() in (k.casefold() for k in kept):
            continue
        kept.append(part)
    return joiner.join(kept)
