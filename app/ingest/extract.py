"""From a file's bytes to the facts a document needs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePath

from app.ingest import sniff
from app.ingest.kinds import DocumentKind
from app.ingest.refusal import Refused

MAX_FILE_SIZE = 1 << 30  # 1 GiB: far above any record; keeps memory bounded


@dataclass(frozen=True)
class Extracted:
    media_type: str
    title: str
    pages: int | None
    text: str
    text_status: str  # a records.models.TextStatus value
    kind: DocumentKind
    date: str | None = None
    facility: str = ""
    author: str = ""


def title_from_name(name: str) -> str:
    """A readable title from a file name: "path_report-2024.pdf" -> "path report 2024"."""
    stem = PurePath(name).stem or name
    words = re.sub(r"[_\-.]+", " ", stem).split()
    return " ".join(words)[:200] or "Untitled document"


def extract(data: bytes, name: str, pdf_password: str | None = None) -> Extracted:
    """What can be read from `data`; raises `Refused` with a reason when nothing can."""
    if not data:
        raise Refused("The file is empty (0 bytes).")
    if len(data) > MAX_FILE_SIZE:
        raise Refused("The file is larger than 1 GB, too large to be a record.")
    media_type = sniff.sniff(data)
    title = title_from_name(name)
    if media_type == sniff.PDF:
        from app.ingest.pdf_text import read_pdf

        pdf = read_pdf(data, pdf_password)
        status = "text" if pdf.text.strip() else "needs_ocr"
        return Extracted(media_type, title, pdf.pages, pdf.text, status, DocumentKind.OTHER)
    if media_type in (sniff.TEXT, sniff.XML, sniff.JSON):
        from app.ingest.text_file import decode_text

        text = decode_text(data)
        status = "text" if text.strip() else "none"
        return Extracted(media_type, title, 1, text, status, DocumentKind.OTHER)
    if media_type in (sniff.JPEG, sniff.PNG, sniff.TIFF, sniff.HEIC):
        return Extracted(media_type, title, 1, "", "needs_ocr", DocumentKind.OTHER)
    if media_type == sniff.DOCX:
        return Extracted(media_type, title, None, "", "none", DocumentKind.OTHER)
    raise Refused("CareBinder does not know this kind of file.")
