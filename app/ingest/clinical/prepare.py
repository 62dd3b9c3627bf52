"""A report's text made easier to read by rules, with a map back to the original offsets.

OCR and transcription leave words broken across lines ("carci-\\nnoma"), runs of spaces,
curly quotes and ligatures. The rules read the prepared text; every span they find is mapped
back, so a finding points at the characters of the text the user has.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# One character for another, so the map stays one to one.
_SAME_LENGTH = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-",
        "\u2014": "-", "\u2212": "-", "\u00a0": " ", "\u2264": "<", "\u2265": ">",
        "\ufb01": "f", "\ufb02": "f", "\u00ad": "-", "\t": " ", "\r": " ", "\f": "\n",
        "\u2022": " ", "\u00b7": " ",
    }
)  # fmt: skip
# A word broken at a line end: a lower-case letter, a hyphen, the line break, lower case.
_BROKEN = re.compile(r"([a-z])-[ \t]*\n[ \t]*([a-z])")
_SPACES = re.compile(r"[ \t]*\n[\s]*|[ \t]{2,}")


@dataclass(frozen=True)
class Prepared:
    """`text` is what the rules read; `origin[i]` is where `text[i]` was in the original."""

    original: str
    text: str
    origin: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original offsets of text[start:end]."""
        if start >= len(self.text):
            return len(self.original), len(self.original)
        last = self.origin[max(start, end - 1)]
        return self.origin[start], last + 1 if end > start else self.origin[start]


def prepare(original: str) -> Prepared:
    text = original.translate(_SAME_LENGTH)
    keep = list(range(len(text)))
    pieces: list[str] = []
    origin: list[int] = []
    position = 0
    # Join broken words first, then collapse the white space left.
    for match in _BROKEN.finditer(text):
        pieces.append(text[position : match.start() + 1])
        origin.extend(keep[position : match.start() + 1])
        pieces.append(match.group(2))
        origin.append(match.end() - 1)
        position = match.end()
    pieces.append(text[position:])
    origin.extend(keep[position:])
    joined = "".join(pieces)
    out: list[str] = []
    mapped: list[int] = []
    position = 0
    for match in _SPACES.finditer(joined):
        out.append(joined[position : match.start()])
        mapped.extend(origin[position : match.start()])
        out.append("\n" if "\n" in match.group(0) else " ")
        mapped.append(origin[match.start()])
        position = match.end()
    out.append(joined[position:])
    mapped.extend(origin[position:])
    return Prepared(original, "".join(out), tuple(mapped))


def one_line(text: str) -> str:
    return " ".join(text.split())


def capitalised(text: str) -> str:
    """ "left breast" -> "Left breast"; "INVASIVE DUCTAL" -> "Invasive ductal"."""
    text = one_line(text)
    if not text:
        return text
    if text.isupper() or text.islower():
        text = text.lower()
    return text[0].upper() + text[1:]
