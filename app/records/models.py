"""Records passed between layers: people and documents."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any

from app.ingest.kinds import DocumentKind, with_kind

__all__ = ["Document", "DocumentKind", "Person", "TextStatus"]


class TextStatus(StrEnum):
    TEXT = "text"  # words extracted and searchable
    NONE = "none"  # the file has no words to extract (a photo of a bruise, say)
    NEEDS_OCR = "needs_ocr"  # a scan: not searchable yet
    UNREADABLE = "unreadable"  # kept at the user's wish, but nothing could be read


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    born: str | None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Document:
    id: int
    person_id: int
    person: str
    kind: DocumentKind
    title: str
    date: str | None
    facility: str
    author: str
    doctor_id: int | None
    pages: int | None
    original_name: str
    media_type: str
    size: int
    sha256: str
    file_name: str
    notes: str
    include_in_bundle: bool
    kind_set_by_user: bool
    date_set_by_user: bool
    text_status: TextStatus
    trashed_at: str | None
    created: str
    updated: str

    @property
    def in_trash(self) -> bool:
        return self.trashed_at is not None

    @property
    def named(self) -> str:
        """How a list names it: the kind before the title, unless the title says it already
        ("Pathology report: Excision of the left breast", but "Insurance letter" alone)."""
        return with_kind(self.kind, self.title)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["kind"] = self.kind.value
        data["kind_label"] = self.kind.label
        data["text_status"] = self.text_status.value
        del data["file_name"]  # an internal name; the checksum identifies the original
        return data
