"""File names for the originals inside a bundle, safe on Windows, macOS and Linux.

A record's title is the user's text: it may hold `/`, `:`, `..`, emoji, control characters
or 200 characters. The name keeps the readable words, drops what any of the three systems
refuses or mangles, stays short enough for Windows paths, and is unique ignoring case
(Windows and macOS do not tell `Report.pdf` from `report.pdf`).
"""

from __future__ import annotations

import re
import unicodedata

# Characters Windows refuses in a name, plus the path separators of every system.
_FORBIDDEN = set('<>:"/\\|?*')
_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"{p}{n}" for p in ("COM", "LPT") for n in range(1, 10)}
# Title part of a file name, in UTF-8 bytes: the whole relative path stays far below the
# 255-byte name limit of Linux and macOS and the 260-character path limit of old Windows.
TITLE_BYTES = 90

EXTENSIONS = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/tiff": ".tif",
    "image/heic": ".heic",
    "text/plain": ".txt",
    "text/x-blue-button": ".txt",
    "application/xml": ".xml",
    "application/cda+xml": ".xml",
    "application/json": ".json",
    "application/fhir+json": ".json",
    "application/fhir+ndjson": ".ndjson",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/zip": ".zip",
}


def _truncate_utf8(text: str, limit: int) -> str:
    encoded = text.encode("utf-8")
    if len(encoded) <= limit:
        return text
    return encoded[:limit].decode("utf-8", "ignore").rstrip()


def safe_part(text: str, limit: int = TITLE_BYTES, fallback: str = "untitled") -> str:
    """One path component made of the readable part of `text`."""
    text = unicodedata.normalize("NFC", text)
    kept = []
    for ch in text:
        category = unicodedata.category(ch)
        if ch in _FORBIDDEN or category.startswith("C") or category.startswith("Z"):
            kept.append(" ")  # separators, controls, odd spaces: a plain space
        elif category in ("So", "Sk", "Mn") and not ch.isalnum():
            # Emoji and their modifiers: fine on disk, but old ZIP tools garble them.
            continue
        else:
            kept.append(ch)
    cleaned = " ".join("".join(kept).split())
    cleaned = re.sub(r"\.{2,}", ".", cleaned)  # no ".." anywhere
    cleaned = _truncate_utf8(cleaned, limit)
    cleaned = cleaned.strip(" .")  # Windows drops trailing dots and spaces; no hidden files
    if not cleaned:
        cleaned = fallback
    if cleaned.split(".")[0].upper() in _RESERVED:
        cleaned = f"{cleaned}_"
    return cleaned


def extension(media_type: str, original_name: str) -> str:
    if media_type in EXTENSIONS:
        return EXTENSIONS[media_type]
    suffix = original_name.rsplit(".", 1)[-1] if "." in original_name else ""
    suffix = safe_part(suffix, 10, "")
    return f".{suffix.lower()}" if suffix.isalnum() else ".bin"


class UniqueNames:
    """Hands out paths that differ from every earlier one, ignoring case."""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def take(self, folder: str, stem: str, ext: str) -> str:
        number = 1
        while True:
            suffix = f" ({number})" if number > 1 else ""
            path = f"{folder}/{stem}{suffix}{ext}"
            key = unicodedata.normalize("NFC", path).casefold()
            if key not in self._taken:
                self._taken.add(key)
                return path
            number += 1
