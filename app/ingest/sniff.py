"""A file's real type, from its first bytes rather than its name."""

from __future__ import annotations

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
TIFF = "image/tiff"
HEIC = "image/heic"
TEXT = "text/plain"
XML = "application/xml"
JSON = "application/json"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ZIP = "application/zip"
UNKNOWN = "application/octet-stream"


def sniff(data: bytes) -> str:
    head = data[:1024]
    if b"%PDF-" in head:
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return TIFF
    if head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1", b"msf1", b"heim"):
        return HEIC
    if head.startswith(b"PK\x03\x04"):
        return DOCX if b"word/" in data[:65536] else ZIP
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"<?xml") or stripped.startswith(b"<ClinicalDocument"):
        return XML
    if stripped[:1] in (b"{", b"["):
        return JSON
    if _looks_like_text(head):
        return TEXT
    return UNKNOWN


def _looks_like_text(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    if b"\x00" in head:
        return False
    control = sum(1 for b in head if b < 9 or 13 < b < 32)
    return control <= len(head) // 100
