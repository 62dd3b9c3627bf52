"""Which portal format a file is, and its PortalRecord: the one entry point for callers.

A file's type is judged by its content (app.ingest.sniff), never its name. A folder is a
FHIR bulk export: its .ndjson and .json files are read together, so that references from
one file (an Encounter) to another (its Practitioner) resolve.
"""

from __future__ import annotations

from pathlib import Path

from app.ingest import sniff
from app.ingest.portal_bluebutton import read_bluebutton
from app.ingest.portal_cda import read_cda
from app.ingest.portal_fhir import MAX_JSON, load_json, read_fhir
from app.ingest.portal_model import PortalRecord
from app.ingest.refusal import Refused

NOT_A_PORTAL_FILE = (
    "This is not a file from a patient portal (C-CDA or CCD, FHIR, or Blue Button text). "
    "It can still be kept as a document with Import."
)


def portal_type(data: bytes) -> str | None:
    """The sniffed media type when it is one this reader knows, else None."""
    media = sniff.sniff(data)
    if media in (sniff.CDA, sniff.FHIR_JSON, sniff.FHIR_NDJSON, sniff.BLUE_BUTTON):
        return media
    if media == sniff.XML and b"urn:hl7-org:v3" in data[:65536]:
        return sniff.CDA  # a CDA section on its own, or a header sniff could not see
    return None


def read_portal(data: bytes) -> PortalRecord:
    """Parse one file; `Refused` (with a reason a person understands) when it cannot be."""
    if not data.strip():
        raise Refused("This file is empty.")
    media = portal_type(data)
    if media == sniff.CDA:
        return read_cda(data)
    if media in (sniff.FHIR_JSON, sniff.FHIR_NDJSON):
        resources = load_json(data, media == sniff.FHIR_NDJSON)
        kinds = {r.get("resourceType") for r in resources}
        if media == sniff.FHIR_NDJSON:
            name = "FHIR export"
        elif "Bundle" in kinds and any(
            r.get("type") == "document" for r in resources if r.get("resourceType") == "Bundle"
        ):
            name = "FHIR patient summary"
        else:
            name = "FHIR bundle" if "Bundle" in kinds else "FHIR record"
        return read_fhir(resources, name)
    if media == sniff.BLUE_BUTTON:
        return read_bluebutton(data)
    if sniff.sniff(data) in (sniff.XML,):
        # Well-formedness and hostile-XML refusals come from the same safe reader.
        read_cda(data)
    if sniff.sniff(data) == sniff.JSON:
        load_json(data, False)  # refuses damaged or deep JSON with its own reason
    raise Refused(NOT_A_PORTAL_FILE)


def read_folder(folder: Path) -> tuple[PortalRecord, list[tuple[Path, bytes]]]:
    """A FHIR bulk export folder: its record and the files it was read from."""
    files: list[tuple[Path, bytes]] = []
    resources = []
    total = 0
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in (".ndjson", ".json") or not path.is_file():
            continue
        data = path.read_bytes()
        total += len(data)
        if total > MAX_JSON:
            raise Refused("This export is too large to read safely (over 512 MB).")
        media = sniff.sniff(data)
        if media not in (sniff.FHIR_JSON, sniff.FHIR_NDJSON):
            continue  # the export's log and other files
        resources += load_json(data, media == sniff.FHIR_NDJSON)
        files.append((path, data))
    if not files:
        raise Refused("This folder holds no FHIR files (.ndjson or .json).")
    return read_fhir(resources, "FHIR export", keep_raw=True), files
