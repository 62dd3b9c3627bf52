"""What a bundle is asked to hold (`BundleOptions`) and what was written (`BundleResult`):
the types the bundle writer, the share log and the callers all speak."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from app.export.contents import Entry, Inclusion
from app.export.redaction import Redaction
from app.records.models import DocumentKind


@dataclass(frozen=True)
class BundleOptions:
    for_doctor: str | None = None  # a care-team name or id, or any name for the cover
    document_ids: Sequence[int] | None = None  # an explicit choice of records
    preselected: bool = False  # the readiness checklist's choice (bundle_document_ids)
    kinds: Sequence[DocumentKind] | None = None
    since: str | None = None  # YYYY, YYYY-MM or YYYY-MM-DD: records dated on or after
    password: str | None = None  # AES-encrypt the ZIP
    folder: bool | None = None  # None: a folder unless the target ends in .zip
    redaction: Redaction | None = None  # what to withhold from every generated file
    # issue 19: imaging studies go in Imaging/ as a DICOM file set. None: every study the
    # person marked for bundles (all, unless one was unticked); () leaves them all out.
    study_ids: Sequence[int] | None = None


@dataclass
class BundleResult:
    target: Path
    entries: list[Entry]
    files: dict[str, str] = field(default_factory=dict)  # name -> sha256
    packet_pages: int = 0
    studies: int = 0  # imaging studies in Imaging/

    @property
    def left_out(self) -> list[Entry]:
        return [e for e in self.entries if e.inclusion is not Inclusion.PACKET]
