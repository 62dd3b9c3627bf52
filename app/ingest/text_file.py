"""Plain text files in whatever encoding they came in."""

from __future__ import annotations

import codecs


def decode_text(data: bytes) -> str:
    """Decode by BOM, then UTF-8, then Windows-1252 (which accepts any byte sequence)."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")
