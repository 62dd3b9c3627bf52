"""A file's real type, from its content rather than its name.

A `.pdf` that is really a JPEG is a JPEG here, and the reverse. Structured records from
patient portals are told apart from plain XML, JSON and text: C-CDA / CCD (an HL7
`ClinicalDocument`, whatever its extension), FHIR JSON (a resource or Bundle, or bulk-data
ndjson) and Blue Button text downloads. Audio recordings (a voice recording of a visit) are
told by their headers: MP3, WAV, Ogg, FLAC and M4A; a video is not a recording.
"""

from __future__ import annotations

import io
import re
import zipfile

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
TIFF = "image/tiff"
HEIC = "image/heic"
TEXT = "text/plain"
BLUE_BUTTON = "text/x-blue-button"
XML = "application/xml"
CDA = "application/cda+xml"
JSON = "application/json"
FHIR_JSON = "application/fhir+json"
FHIR_NDJSON = "application/fhir+ndjson"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ZIP = "application/zip"
MP3 = "audio/mpeg"
WAV = "audio/wav"
OGG = "audio/ogg"
FLAC = "audio/flac"
M4A = "audio/mp4"
UNKNOWN = "application/octet-stream"

IMAGES = (JPEG, PNG, TIFF, HEIC)
TEXTUAL = (TEXT, BLUE_BUTTON, XML, JSON)
STRUCTURED = (CDA, FHIR_JSON, FHIR_NDJSON)
AUDIO = (MP3, WAV, OGG, FLAC, M4A)

# A PDF reader accepts "%PDF-" anywhere in the first KiB (some scanners prepend junk).
_PDF_WINDOW = 1024
_HEIF_BRANDS = (b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1")
# MP4 brands of audio files; "mp42"/"isom" may be video too, so their tracks decide.
_AUDIO_BRANDS = (b"M4A ", b"M4B ")
_MP4_BRANDS = (b"mp42", b"isom")
_FHIR_RESOURCE = re.compile(rb'"resourceType"\s*:\s*"([A-Za-z]+)"')
_BLUE_BUTTON = re.compile(
    rb"BLUE BUTTON|Blue Button \(v|MY HEALTHEVET PERSONAL|MYMEDICARE\.GOV PERSONAL", re.I
)


def sniff(data: bytes) -> str:
    """The media type of `data`, judged by content only."""
    head = data[:_PDF_WINDOW]
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        return TIFF
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return HEIC
    if b"%PDF-" in head:
        return PDF
    audio = _audio_kind(data)
    if audio is not None:
        return audio
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    text_head = _text_head(data[:65536])
    if text_head is None:
        return UNKNOWN
    stripped = text_head.lstrip()
    if stripped.startswith(b"<"):
        if re.search(rb"<(\w+:)?ClinicalDocument[\s>]", text_head):
            return CDA
        # A document type line first (XHTML, SVG, and every XML bomb) is XML too.
        starts = (b"<?xml", b"<!--", b"<!DOCTYPE", b"<!doctype")
        if stripped.startswith(starts) or re.match(rb"<[A-Za-z_][\w:.-]*", stripped):
            return XML
    if stripped[:1] in (b"{", b"["):
        resource = _FHIR_RESOURCE.search(text_head)
        if resource is not None:
            return FHIR_NDJSON if _is_ndjson(data) else FHIR_JSON
        return JSON
    if _BLUE_BUTTON.search(text_head[:4096]):
        return BLUE_BUTTON
    return TEXT


def extension_for(media_type: str) -> str:
    """The usual file extension for a media type, for names of exported originals."""
    return {
        PDF: ".pdf",
        JPEG: ".jpg",
        PNG: ".png",
        TIFF: ".tif",
        HEIC: ".heic",
        TEXT: ".txt",
        BLUE_BUTTON: ".txt",
        XML: ".xml",
        CDA: ".xml",
        JSON: ".json",
        FHIR_JSON: ".json",
        FHIR_NDJSON: ".ndjson",
        DOCX: ".docx",
        ZIP: ".zip",
        MP3: ".mp3",
        WAV: ".wav",
        OGG: ".ogg",
        FLAC: ".flac",
        M4A: ".m4a",
    }.get(media_type, ".bin")


def _audio_kind(data: bytes) -> str | None:
    """An audio media type when the header says so, else None."""
    if _is_id3(data[:10]) or _is_mp3_frame(data[:4]):
        return MP3
    if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        return WAV
    if data.startswith(b"OggS"):
        # Ogg also carries video (Theora): its first packet names the codec.
        return None if b"\x80theora" in data[:256] else OGG
    if data.startswith(b"fLaC"):
        return FLAC
    if data[4:8] == b"ftyp" and data[8:12] in _AUDIO_BRANDS + _MP4_BRANDS:
        # Each track's handler box ("hdlr") says "soun" or "vide"; the moov box holding
        # them may sit at the end of the file, so the whole file is searched.
        handlers = set(re.findall(rb"hdlr.{8}(soun|vide)", data, re.S))
        if b"vide" in handlers:
            return None
        if b"soun" in handlers or data[8:12] in _AUDIO_BRANDS:
            return M4A
    return None


def _is_id3(header: bytes) -> bool:
    """An ID3v2 tag (MP3 title, artist...): "ID3", version 2 to 4, a 7-bit-per-byte size."""
    return (
        len(header) == 10
        and header.startswith(b"ID3")
        and 2 <= header[3] <= 4
        and all(b < 0x80 for b in header[6:10])
    )


def _is_mp3_frame(header: bytes) -> bool:
    """An MPEG audio frame header: 11 sync bits, a layer, a real bitrate and sample rate."""
    if len(header) < 4 or header[0] != 0xFF or header[1] & 0xE0 != 0xE0:
        return False
    version, layer = (header[1] >> 3) & 3, (header[1] >> 1) & 3
    bitrate, rate = header[2] >> 4, (header[2] >> 2) & 3
    return version != 1 and layer != 0 and bitrate not in (0, 15) and rate != 3


def _zip_kind(data: bytes) -> str:
    # Only the central directory is read: names, never contents.
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist()[:10000])
    except (zipfile.BadZipFile, OSError, ValueError):
        return ZIP if b"word/" not in data[:65536] else DOCX
    if "word/document.xml" in names:
        return DOCX
    return ZIP


def _text_head(head: bytes) -> bytes | None:
    """The head as ASCII-compatible bytes when it looks like text, else None."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
        try:
            decoded = head[: len(head) // 2 * 2].decode(encoding, errors="replace")
        except UnicodeDecodeError:
            return None
        return decoded.encode("utf-8", errors="replace")
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    if b"\x00" in head[:4096]:
        return None
    sample = head[:4096]
    control = sum(1 for b in sample if b < 9 or 13 < b < 32 or b == 127)
    if control > len(sample) // 100 + 1:
        return None
    return head


def _is_ndjson(data: bytes) -> bool:
    """Bulk FHIR: one JSON object per line; the first line ends an object, the next starts one."""
    end = data.find(b"\n", 0, 64 << 20)
    if end < 0:
        return False
    return data[:end].rstrip().endswith(b"}") and data[end:].lstrip().startswith(b"{")


def is_text_like(media_type: str) -> bool:
    return media_type in TEXTUAL or media_type in STRUCTURED


__all__ = [
    "AUDIO",
    "BLUE_BUTTON",
    "CDA",
    "DOCX",
    "FHIR_JSON",
    "FHIR_NDJSON",
    "FLAC",
    "HEIC",
    "IMAGES",
    "JPEG",
    "JSON",
    "M4A",
    "MP3",
    "OGG",
    "PDF",
    "PNG",
    "STRUCTURED",
    "TEXT",
    "TIFF",
    "UNKNOWN",
    "WAV",
    "XML",
    "ZIP",
    "extension_for",
    "is_text_like",
    "sniff",
]
