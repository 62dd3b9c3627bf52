"""What a bundle encloses: each chosen record, where its original went, and its pages in the
records packet (or why it is not in the packet)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.records.models import Document


class Inclusion(StrEnum):
    PACKET = "packet"  # in Records packet.pdf, and its original under records/
    SEPARATE = "separate"  # only its original under records/ (encrypted PDF, say)
    MISSING = "missing"  # could not be read from the binder: not enclosed at all


@dataclass
class Entry:
    document: Document
    path: str = ""  # "records/<kind>/<date> <title>.<ext>", "" when not enclosed
    pages: int = 0  # pages in the packet
    start: int = 0  # first page in the packet (1-based), 0 when not in it
    inclusion: Inclusion = Inclusion.PACKET
    note: str = ""  # why it is not in the packet, in plain words
    render: str = ""  # "pdf", "image" or "text": how it becomes packet pages
    # Its pages (0-based) whose text was read by OCR: each gets an invisible text layer,
    # and the contents list says a machine read them.
    ocr_pages: tuple[int, ...] = ()

    @property
    def bookmark(self) -> str:
        return f"{self.document.date or 'Undated'} · {self.document.title}"
