"""The words tesseract found on a page, placed where they are on the page as it is seen.

Tesseract reads a copy of the page that was turned and straightened (`page_cleanup`); its
word boxes are in that copy's pixels. Each word is taken back to the page as seen (the
same turn undone about the same centre), so the records packet can lay an invisible copy
of the text exactly under the picture, and a doctor's search lands on the right spot.

A word is kept as its baseline (from where it starts to where it ends) and its height, in
pixels of the page as seen: a skewed word's baseline is slanted, a turned page's runs down.
"""

from __future__ import annotations

import json
import math
import zlib
from dataclasses import dataclass

DESCENT = 0.2  # of a line's height below its baseline (letters such as g, p, y)


@dataclass(frozen=True)
class Word:
    text: str
    x0: float  # where its baseline starts, in pixels of the page as seen (y down)
    y0: float
    x1: float  # where its baseline ends
    y1: float
    size: float  # the height of its line, in the same pixels


@dataclass(frozen=True)
class PageWords:
    """The words of one page read by OCR, on a page `width` x `height` pixels as seen."""

    page: int  # 0-based, in the original file
    width: int
    height: int
    words: tuple[Word, ...]


@dataclass(frozen=True)
class Reading:
    """What tesseract made of one copy of a page: its text and its words in that copy."""

    text: str
    # (word, left, top, right, bottom of its line, height of its line), in the copy's pixels
    boxes: tuple[tuple[str, int, int, int, int, int], ...]
    quality: float  # the words' mean confidence (0-100), weighted by length; 0 with none

    @property
    def letters(self) -> int:
        return sum(sum(ch.isalnum() for ch in box[0]) for box in self.boxes)


def parse_tsv(tsv: str) -> Reading:
    """Tesseract's TSV output as text (lines and paragraphs as tesseract found them) and
    word boxes whose bottom is their line's bottom, so a line's words share a baseline."""
    lines: dict[tuple[int, int, int], tuple[int, int]] = {}  # line -> (bottom, height)
    words: list[tuple[tuple[int, int, int], str, int, int, int, int, float]] = []
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) < 12 or not cells[0].isdigit():
            continue
        try:
            level, block, par, line = (int(cells[i]) for i in (0, 2, 3, 4))
            left, top, width, height = (int(c) for c in cells[6:10])
            confidence = float(cells[10])
        except ValueError:
            continue
        key = (block, par, line)
        if level == 4:
            lines[key] = (top + height, height)
        elif level == 5:
            text = "\t".join(cells[11:]).strip()
            if text:
                words.append((key, text, left, top, left + width, top + height, confidence))
    boxes = []
    paragraphs: dict[tuple[int, int], dict[int, list[str]]] = {}
    weighted = letters = 0.0
    for key, text, left, top, right, bottom, confidence in words:
        line_bottom, line_height = lines.get(key, (bottom, bottom - top))
        boxes.append((text, left, top, right, line_bottom, max(line_height, 1)))
        paragraphs.setdefault(key[:2], {}).setdefault(key[2], []).append(text)
        size = sum(ch.isalnum() for ch in text)
        weighted += max(confidence, 0.0) * size
        letters += size
    text = "\n\n".join(
        "\n".join(" ".join(line) for line in paragraph.values())
        for paragraph in paragraphs.values()
    )
    return Reading(text, tuple(boxes), weighted / letters if letters else 0.0)


def place(
    reading: Reading, turn: float, read_size: tuple[int, int], seen_size: tuple[int, int]
) -> tuple[Word, ...]:
    """The reading's words on the page as seen. The copy read was the page turned by
    `turn` degrees counter-clockwise about its centre, canvas grown to fit (Pillow's
    `rotate(turn, expand=True)`); this undoes that turn."""
    radians = math.radians(turn)
    cos, sin = math.cos(radians), math.sin(radians)
    read_cx, read_cy = read_size[0] / 2, read_size[1] / 2
    seen_cx, seen_cy = seen_size[0] / 2, seen_size[1] / 2

    def back(x: float, y: float) -> tuple[float, float]:
        # Pillow turns the picture counter-clockwise as seen (y down): a point of the copy
        # comes from the page turned clockwise back about the centres.
        dx, dy = x - read_cx, y - read_cy
        return (seen_cx + cos * dx - sin * dy, seen_cy + sin * dx + cos * dy)

    placed = []
    for text, left, _top, right, bottom, height in reading.boxes:
        baseline = bottom - DESCENT * height
        x0, y0 = back(left, baseline)
        x1, y1 = back(right, baseline)
        placed.append(Word(text, round(x0, 1), round(y0, 1), round(x1, 1), round(y1, 1), height))
    return tuple(placed)


def pack(words: tuple[Word, ...]) -> bytes:
    """Compact bytes for the database (kept encrypted there, like the text)."""
    rows = [[w.text, w.x0, w.y0, w.x1, w.y1, w.size] for w in words]
    return zlib.compress(json.dumps(rows, separators=(",", ":")).encode("utf-8"), 6)


def unpack(data: bytes) -> tuple[Word, ...]:
    rows = json.loads(zlib.decompress(data).decode("utf-8"))
    return tuple(
        Word(str(t), float(x0), float(y0), float(x1), float(y1), float(s))
        for t, x0, y0, x1, y1, s in rows
    )
