"""What the "nothing readable on disk" tests share: a word no file holds by chance, every
form a program could leave it in, PDFs that hold it as it is, and the search of a folder.

A search is only as good as its bait: a compressed PDF never holds its words as bytes, so a
decrypted copy of it in the temp folder would pass unseen. `plain_pdf` writes the page text
uncompressed and checks that the word is really in the file's bytes.
"""

from __future__ import annotations

import random
import string
from collections.abc import Iterable
from pathlib import Path

from tests.fixtures import make_pdf


def unique_word() -> str:
    letters = "".join(random.SystemRandom().choice(string.ascii_lowercase) for _ in range(8))
    return "Zyntarol" + letters


def forms(word: str) -> list[bytes]:
    """The word as a program could leave it on disk: any case, UTF-8 or UTF-16."""
    found = []
    for text in {word, word.lower(), word.upper()}:
        for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
            found.append(text.encode(encoding))
    return found


def plain_pdf(path: Path | None, *pages: str) -> bytes:
    """A real PDF whose page text is stored uncompressed: its words are in its bytes."""
    data = make_pdf(None, *pages, compress=False)
    for text in pages:
        for word in text.split():
            assert word.encode("latin-1") in data, f"{word!r} is not in the PDF's bytes"
    if path is not None:
        path.write_bytes(data)
    return data


def holders(folder: Path, word: str, skip: Iterable[Path] = ()) -> list[Path]:
    """Every file under `folder` (outside `skip`) that holds the word in any form."""
    skipped = tuple(skip)
    wanted = forms(word)
    found = []
    for path in folder.rglob("*"):
        if any(path.is_relative_to(s) for s in skipped):
            continue
        if not path.is_file() or path.is_symlink():
            continue
        try:
            data = path.read_bytes()
        except OSError:
            continue
        if any(form in data for form in wanted):
            found.append(path)
    return sorted(found)
