"""The human-readable text of structured records from patient portals, for search.

- C-CDA / CCD (HL7 CDA R2 XML): each section's title and narrative `<text>`, or an
  unstructured body (plain text, or an embedded PDF, read like any PDF); the header gives
  the document type (a LOINC code), title, date, facility and author.
- FHIR JSON (a resource, a Bundle, or bulk-data ndjson): narrative `text.div`, the notes in
  DocumentReference attachments, and one plain line per coded resource (a medication, a
  condition, a procedure...).
- DOCX: the paragraphs of the main document.

The original is always kept as it came; turning these into medications and appointments is
another part's job. XML is parsed with defusedxml (no entity expansion, no external
entities), ZIP members are checked for size before they are read.
"""

from __future__ import annotations

import base64
import binascii
import html
import io
import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import Element

from app.ingest.kinds import DocumentKind
from app.ingest.refusal import Refused

MAX_TEXT = 20_000_000  # characters of searchable text kept from one structured file
MAX_MEMBER = 200 << 20  # bytes of one DOCX member
MAX_RATIO = 200  # a DOCX member may expand at most this much: beyond it, a zip bomb

# LOINC document types (C-CDA document code, FHIR DocumentReference.type) to kinds.
LOINC_KINDS: dict[str, DocumentKind] = {
    "11526-1": DocumentKind.PATHOLOGY,  # Pathology study
    "60568-3": DocumentKind.PATHOLOGY,  # Pathology synoptic report
    "11504-8": DocumentKind.OPERATIVE,  # Surgical operation note
    "28570-0": DocumentKind.OPERATIVE,  # Procedure note
    "18842-5": DocumentKind.DISCHARGE_SUMMARY,  # Discharge summary
    "18761-7": DocumentKind.DISCHARGE_SUMMARY,  # Transfer summary note
    "52521-2": DocumentKind.TREATMENT_PLAN,  # Overall plan of care
    "18776-5": DocumentKind.TREATMENT_PLAN,  # Plan of care note
    "11502-2": DocumentKind.LAB_RESULT,  # Laboratory report
    "18748-4": DocumentKind.IMAGING,  # Diagnostic imaging study
    "10160-0": DocumentKind.MEDICATION_LIST,  # History of medication use
    "11488-4": DocumentKind.CONSULT_LETTER,  # Consult note
    "34117-2": DocumentKind.CONSULT_LETTER,  # History and physical note
    "11506-3": DocumentKind.CONSULT_LETTER,  # Progress note
    "57133-1": DocumentKind.CONSULT_LETTER,  # Referral note
    "57113-1": DocumentKind.CONSULT_LETTER,  # Referral note (as the HL7 example codes it)
    "34133-9": DocumentKind.OTHER,  # Summary of episode note (CCD)
    "60591-5": DocumentKind.OTHER,  # Patient summary
    "42348-3": DocumentKind.OTHER,  # Advance directives (wishes, not a treatment plan)
    "81334-5": DocumentKind.OTHER,  # Patient personal advance care plan
}
# A title names the type when the code does not (some C-CDA examples code it oddly).
_TITLE_KINDS: list[tuple[str, DocumentKind]] = [
    ("transfer summary", DocumentKind.DISCHARGE_SUMMARY),
    ("discharge summary", DocumentKind.DISCHARGE_SUMMARY),
    ("operative", DocumentKind.OPERATIVE),
    ("procedure note", DocumentKind.OPERATIVE),
    ("patholog", DocumentKind.PATHOLOGY),
    ("imaging", DocumentKind.IMAGING),
    ("radiology", DocumentKind.IMAGING),
    ("advance care", DocumentKind.OTHER),
    ("advance directive", DocumentKind.OTHER),
    ("care plan", DocumentKind.TREATMENT_PLAN),
    ("consult", DocumentKind.CONSULT_LETTER),
    ("referral", DocumentKind.CONSULT_LETTER),
    ("progress note", DocumentKind.CONSULT_LETTER),
    ("history and physical", DocumentKind.CONSULT_LETTER),
]
_V3 = "{urn:hl7-org:v3}"


@dataclass
class Structured:
    """What a structured file says about itself, beside its readable text."""

    text: str
    kind: DocumentKind | None = None  # None: let the text rules decide
    title: str = ""
    date: str | None = None
    facility: str = ""
    author: str = ""
    embedded_pdf: bytes | None = None  # a C-CDA's unstructured body, read as a PDF
    notes: list[str] = field(default_factory=list)


def kind_for_type(code: str, title: str = "") -> DocumentKind | None:
    if code in LOINC_KINDS:
        return LOINC_KINDS[code]
    lowered = title.lower()
    for words, kind in _TITLE_KINDS:
        if words in lowered:
            return kind
    return None


# ---- C-CDA --------------------------------------------------------------------------------


def read_cda(data: bytes) -> Structured:
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring

    try:
        root = fromstring(data)
    except (ParseError, DefusedXmlException, ValueError) as exc:
        raise Refused(f"This clinical document (C-CDA) is not well-formed XML ({exc}).") from None
    title = _text_of(root.find(f"{_V3}title"))
    code_el = root.find(f"{_V3}code")
    code = code_el.get("code", "") if code_el is not None else ""
    display = code_el.get("displayName", "") if code_el is not None else ""
    kind = kind_for_type(code, title) or kind_for_type("", display)
    parts: list[str] = [title] if title else []
    for section in root.iter(f"{_V3}section"):
        heading = _text_of(section.find(f"{_V3}title"))
        body = _narrative(section.find(f"{_V3}text"))
        if heading or body:
            parts.append("\n".join(p for p in (heading, body) if p))
    embedded: bytes | None = None
    for body in root.iter(f"{_V3}nonXMLBody"):
        content = body.find(f"{_V3}text")
        if content is None:
            continue
        raw = nonxml_content(content)
        if raw is None:
            continue
        media = content.get("mediaType", "text/plain")
        if isinstance(raw, bytes):
            if media == "application/pdf" or raw.startswith(b"%PDF-"):
                embedded = raw
                continue
            raw = raw.decode("utf-8", errors="replace")
        if media.startswith("text/"):
            parts.append(raw)
    return Structured(
        text=_cap("\n\n".join(parts)),
        kind=kind,
        title=title or display,
        date=_cda_date(root),
        facility=_cda_facility(root),
        author=_cda_author(root),
        embedded_pdf=embedded,
    )


def nonxml_content(content: Element) -> str | bytes | None:
    """What the text of an unstructured C-CDA body holds: bytes when it says it is base64
    (None when that is broken), else the text (the portal reader needs this too)."""
    raw = "".join(content.itertext()).strip()
    if content.get("representation", "").upper() != "B64":
        return raw
    try:
        return base64.b64decode(raw, validate=False)
    except (binascii.Error, ValueError):
        return None


def _text_of(element: Element | None) -> str:
    if element is None:
        return ""
    return " ".join("".join(element.itertext()).split())


def _narrative(element: Element | None) -> str:
    """A section's narrative block as lines: one per paragraph, list item or table row."""
    if element is None:
        return ""
    lines: list[str] = []
    line_tags = {"paragraph", "item", "tr", "br", "content", "caption", "td", "th"}

    def walk(node: Element) -> None:
        tag = node.tag.rsplit("}", 1)[-1]
        if tag == "tr":
            cells = [" ".join("".join(c.itertext()).split()) for c in node]
            lines.append(" | ".join(c for c in cells if c))
            return
        if tag in ("paragraph", "item", "caption"):
            lines.append(" ".join("".join(node.itertext()).split()))
            return
        if node.text and node.text.strip() and tag not in line_tags:
            lines.append(" ".join(node.text.split()))
        for child in node:
            walk(child)
            if child.tail and child.tail.strip():
                lines.append(" ".join(child.tail.split()))

    if element.text and element.text.strip():
        lines.append(" ".join(element.text.split()))
    for child in element:
        walk(child)
        if child.tail and child.tail.strip():
            lines.append(" ".join(child.tail.split()))
    return "\n".join(line for line in lines if line)


def _hl7_date(value: str) -> str | None:
    match = re.match(r"(\d{4})(\d{2})?(\d{2})?", value or "")
    if not match:
        return None
    year, month, day = match.groups()
    if month and day:
        return f"{year}-{month}-{day}"
    if month:
        return f"{year}-{month}"
    return year


def _cda_date(root: Element) -> str | None:
    # The service event's start is the date of service; the document's own time is a fallback.
    for path in (
        f"{_V3}documentationOf/{_V3}serviceEvent/{_V3}effectiveTime/{_V3}low",
        f"{_V3}componentOf/{_V3}encompassingEncounter/{_V3}effectiveTime/{_V3}low",
        f"{_V3}effectiveTime",
    ):
        element = root.find(path)
        if element is not None and element.get("value"):
            found = _hl7_date(element.get("value", ""))
            if found:
                return found
    return None


def _cda_facility(root: Element) -> str:
    for path in (
        f"{_V3}componentOf/{_V3}encompassingEncounter/{_V3}location/{_V3}healthCareFacility"
        f"/{_V3}serviceProviderOrganization/{_V3}name",
        f"{_V3}custodian/{_V3}assignedCustodian/{_V3}representedCustodianOrganization/{_V3}name",
        f"{_V3}author/{_V3}assignedAuthor/{_V3}representedOrganization/{_V3}name",
    ):
        name = _text_of(root.find(path))
        if name:
            return name[:120]
    return ""


def _cda_author(root: Element) -> str:
    for path in (
        f"{_V3}legalAuthenticator/{_V3}assignedEntity/{_V3}assignedPerson/{_V3}name",
        f"{_V3}author/{_V3}assignedAuthor/{_V3}assignedPerson/{_V3}name",
    ):
        element = root.find(path)
        if element is None:
            continue
        parts = [
            _text_of(child)
            for child in element
            if child.tag.endswith(("prefix", "given", "family", "suffix"))
        ]
        name = " ".join(p for p in parts if p) or _text_of(element)
        if name:
            return name[:120]
    return ""


# ---- FHIR ---------------------------------------------------------------------------------

_TAG = re.compile(r"<[^>]{0,2000}>")


def read_fhir(data: bytes, ndjson: bool) -> Structured:
    text = data.decode("utf-8-sig", errors="replace")
    resources: list[dict[str, Any]] = []
    try:
        if ndjson:
            for line in text.splitlines():
                if line.strip():
                    item = json.loads(line)
                    if isinstance(item, dict):
                        resources.append(item)
        else:
            item = json.loads(text)
            if isinstance(item, dict):
                resources.append(item)
    except (ValueError, RecursionError):
        raise Refused("This FHIR file is not valid JSON.") from None
    lines: list[str] = []
    types: list[str] = []
    kind: DocumentKind | None = None
    title = ""
    day: str | None = None
    for resource in _walk_resources(resources):
        rtype = str(resource.get("resourceType", ""))
        types.append(rtype)
        narrative = _div_text(resource.get("text"))
        if narrative:
            lines.append(narrative)
        if rtype == "DocumentReference":
            lines.extend(_attachment_texts(resource))
        elif rtype == "Composition":
            title = title or str(resource.get("title", ""))
            for section in resource.get("section", []) or []:
                if isinstance(section, dict):
                    lines.append(str(section.get("title", "")))
                    lines.append(_div_text(section.get("text")))
        elif not narrative:
            summary = _summary_line(resource)
            if summary:
                lines.append(summary)
        if rtype in ("DocumentReference", "Composition", "DiagnosticReport") and day is None:
            day = _fhir_date(resource)
    single = [r for r in types if r not in ("Bundle", "Patient", "Practitioner", "Organization")]
    if len(set(single)) == 1 and single:
        only = single[0]
        if only in ("MedicationRequest", "MedicationStatement", "MedicationAdministration"):
            kind = DocumentKind.MEDICATION_LIST
        elif only in ("Coverage", "ExplanationOfBenefit", "Claim"):
            kind = DocumentKind.INSURANCE
        elif only == "Observation":
            kind = DocumentKind.LAB_RESULT
        elif only in ("DocumentReference", "Composition") and len(single) == 1:
            resource = next(r for r in _walk_resources(resources) if r.get("resourceType") == only)
            code, display = _first_coding(resource.get("type"))
            kind = kind_for_type(code, display)
            title = title or display
    if kind is None and len(types) > 1:
        kind = DocumentKind.OTHER  # a bulk export of many records is no one kind of report
    return Structured(
        text=_cap("\n".join(line for line in lines if line)), kind=kind, title=title, date=day
    )


def _walk_resources(items: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for item in items:
        yield item
        if item.get("resourceType") == "Bundle":
            entries = item.get("entry") or []
            inner = [e.get("resource") for e in entries if isinstance(e, dict)]
            yield from _walk_resources([r for r in inner if isinstance(r, dict)])


def _div_text(narrative: object) -> str:
    if not isinstance(narrative, dict):
        return ""
    div = narrative.get("div")
    if not isinstance(div, str):
        return ""
    spaced = re.sub(r"<(br|/p|/div|/tr|/li|/h\d)[^>]*>", "\n", div, flags=re.I)
    return html.unescape(_TAG.sub(" ", spaced)).strip()


def _attachment_texts(resource: dict[str, Any]) -> list[str]:
    texts: list[str] = []
    for content in resource.get("content", []) or []:
        attachment = content.get("attachment") if isinstance(content, dict) else None
        if not isinstance(attachment, dict):
            continue
        media = str(attachment.get("contentType", ""))
        raw = attachment.get("data")
        if isinstance(raw, str) and (media.startswith("text/") or not media):
            try:
                texts.append(base64.b64decode(raw).decode("utf-8", errors="replace"))
            except (binascii.Error, ValueError):
                continue
        if attachment.get("title"):
            texts.append(str(attachment["title"]))
    return texts


def _first_coding(concept: object) -> tuple[str, str]:
    if not isinstance(concept, dict):
        return "", ""
    for coding in concept.get("coding", []) or []:
        if isinstance(coding, dict) and coding.get("code"):
            return str(coding.get("code")), str(coding.get("display", concept.get("text", "")))
    return "", str(concept.get("text", ""))


def _concept_text(concept: object) -> str:
    code, display = _first_coding(concept)
    if isinstance(concept, dict) and concept.get("text"):
        return str(concept["text"])
    return display or code


def _summary_line(resource: dict[str, Any]) -> str:
    """One readable line for a coded resource: "MedicationRequest: cisplatin 50 mg (2019-02-01)"."""
    what = ""
    for key in ("medicationCodeableConcept", "code", "vaccineCode", "type"):
        if key in resource:
            value = resource[key]
            what = _concept_text(value[0] if isinstance(value, list) and value else value)
            if what:
                break
    if not what:
        return ""
    when = _fhir_date(resource)
    return f"{resource.get('resourceType', '')}: {what}" + (f" ({when})" if when else "")


def _fhir_date(resource: dict[str, Any]) -> str | None:
    for key in (
        "date",
        "effectiveDateTime",
        "authoredOn",
        "performedDateTime",
        "onsetDateTime",
        "issued",
        "recordedDate",
        "occurrenceDateTime",
    ):
        value = resource.get(key)
        if isinstance(value, str) and re.match(r"\d{4}-\d{2}-\d{2}", value):
            return value[:10]
    period = resource.get("period") or resource.get("performedPeriod")
    if isinstance(period, dict) and isinstance(period.get("start"), str):
        return str(period["start"])[:10]
    return None


# ---- DOCX ---------------------------------------------------------------------------------


def read_docx(data: bytes) -> str:
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo("word/document.xml")
            if (
                info.file_size > MAX_MEMBER
                or info.file_size > max(info.compress_size, 1) * MAX_RATIO
            ):
                raise Refused("This Word document is built to expand to an unsafe size.")
            xml = archive.read(info)
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, NotImplementedError):
        raise Refused("This Word document is damaged or incomplete.") from None
    try:
        root = fromstring(xml)
    except (ParseError, DefusedXmlException, ValueError):
        raise Refused("This Word document is damaged or incomplete.") from None
    word = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    paragraphs = []
    for paragraph in root.iter(f"{word}p"):
        pieces = []
        for node in paragraph.iter():
            if node.tag == f"{word}t" and node.text:
                pieces.append(node.text)
            elif node.tag in (f"{word}tab",):
                pieces.append("\t")
            elif node.tag in (f"{word}br", f"{word}cr"):
                pieces.append("\n")
        paragraphs.append("".join(pieces))
    return _cap("\n".join(paragraphs))


def _cap(text: str) -> str:
    return text[:MAX_TEXT]


def read_xml_text(data: bytes) -> str | None:
    """The words of a generic XML file without its tags; None when it is not well-formed."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring

    try:
        root = fromstring(data)
    except (ParseError, DefusedXmlException, ValueError):
        return None
    return _cap("\n".join(" ".join(t.split()) for t in root.itertext() if t.strip()))
