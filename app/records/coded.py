"""Codes kept beside plain names (RxNorm, SNOMED CT, LOINC, ICD-10...), stored as JSON text.

The interface shows the plain name; the codes travel to exports (FHIR) so that a clinic's
software can read exactly what was meant.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from app.ingest.codes import SYSTEM_NAMES, Code

__all__ = [
    "SYSTEM_NAMES",
    "Code",
    "codes_from_text",
    "codes_to_text",
    "fhir_concept",
    "medication_codes",
]


def codes_to_text(codes: Iterable[Code]) -> str:
    return json.dumps([c.to_json() for c in codes], ensure_ascii=False)


def codes_from_text(text: str | None) -> tuple[Code, ...]:
    try:
        items: Any = json.loads(text or "[]")
    except ValueError:
        return ()
    if not isinstance(items, list):
        return ()
    return tuple(
        Code(str(i.get("system", "")), str(i.get("code", "")), str(i.get("display", "")))
        for i in items
        if isinstance(i, dict) and i.get("code")
    )


def fhir_concept(name: str, codes: Iterable[Code]) -> dict[str, Any]:
    """A FHIR CodeableConcept: the codes as codings, the plain name as text."""
    concept: dict[str, Any] = {"text": name}
    codings = [c.to_json() for c in codes if c.system and c.code]
    if codings:
        concept["coding"] = codings
    return concept


def medication_codes(db: Any, person_id: int) -> dict[int, tuple[Code, ...]]:
    """The codes of each medication of a person, by medication id."""
    rows = db.execute(
        "SELECT id, codes FROM medications WHERE person_id = ?", [person_id]
    ).fetchall()
    return {int(row[0]): codes_from_text(row[1]) for row in rows}
