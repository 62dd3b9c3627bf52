"""What a doctor does with a bundle, in test form: unzip it with the standard library, check
each checksum, read the packet and the summary with pypdf, validate the FHIR file."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path
from typing import Any


def unzip(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def read_folder(path: Path) -> dict[str, bytes]:
    return {p.relative_to(path).as_posix(): p.read_bytes() for p in path.rglob("*") if p.is_file()}


def check_sums(files: dict[str, bytes]) -> None:
    listed = {}
    for line in files["SHA256SUMS"].decode().splitlines():
        digest, name = line.split("  ", 1)
        listed[name] = digest
    assert set(listed) == set(files) - {"SHA256SUMS"}
    for name, digest in listed.items():
        assert hashlib.sha256(files[name]).hexdigest() == digest, name


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def packet_shape(data: bytes) -> tuple[int, list[tuple[str, int]]]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    marks = [(str(item.title), reader.get_destination_page_number(item)) for item in reader.outline]
    return len(reader.pages), marks


def pdf_pages(data: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


def validate_fhir(data: bytes) -> dict[str, Any]:
    """The IPS bundle against the FHIR R4B models (fhir.resources 8 has R5 at its root and
    R4B, the R4 line's technical correction, in `fhir.resources.R4B`)."""
    from importlib import import_module

    from fhir.resources.R4B.bundle import Bundle

    document = json.loads(data)
    Bundle.model_validate(document)
    for entry in document["entry"]:
        kind = entry["resource"]["resourceType"]
        module = import_module(f"fhir.resources.R4B.{kind.lower()}")
        getattr(module, kind).model_validate(entry["resource"])
    return document
