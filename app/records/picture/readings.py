"""Each report read once: the reading of a document's text is kept in the binder (table
report_readings, encrypted like the rest) with the document's `updated` stamp, a hash of
its text, its kind and the reader's version, and read again only when one of them changes.

So the Overview, the treatment summary and the export read the stored findings instead of
every report's text every time. Every change to a document's text or kind touches its
`updated` column (import, make-searchable, edit), which is what sends it back here; when
`updated` moved but the text hash and kind did not (a new title), the stored reading stays.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterable
from importlib import resources
from typing import Any

from app.ingest.clinical import Certainty, Finding, ReportReading, read_report
from app.ingest.kinds import DocumentKind
from app.records.documents import document_text
from app.records.models import Document
from app.vault.binder import Binder

# The kinds whose text can say something about the cancer or its treatment. Medication
# lists and insurance letters are left out (the medicines come from the Medications page).
READ_KINDS = frozenset(
    {
        DocumentKind.PATHOLOGY,
        DocumentKind.OPERATIVE,
        DocumentKind.DISCHARGE_SUMMARY,
        DocumentKind.TREATMENT_PLAN,
        DocumentKind.LAB_RESULT,
        DocumentKind.IMAGING,
        DocumentKind.CONSULT_LETTER,
        DocumentKind.OTHER,
    }
)


@functools.cache
def reader_version() -> str:
    """Changes whenever the reader does: a hash of app.ingest.clinical's own files (in a
    frozen build, where they cannot be read, the app's version)."""
    import app
    import app.ingest.clinical

    digest = hashlib.sha256()
    try:
        folder = resources.files(app.ingest.clinical)
        for item in sorted(folder.iterdir(), key=lambda i: i.name):
            if item.name.endswith(".py"):
                digest.update(item.name.encode() + b"\0" + item.read_bytes())
    except (OSError, TypeError):
        return f"app-{app.__version__}"
    return digest.hexdigest()[:16]


def _finding_json(finding: Finding) -> list[Any]:
    return [finding.key, finding.value, finding.start, finding.end, finding.specimen,
            str(finding.certainty)]  # fmt: skip


def _finding(row: list[Any]) -> Finding:
    key, value, start, end, specimen, certainty = row
    return Finding(key, value, int(start), int(end), specimen, Certainty(certainty))


def to_json(reading: ReportReading) -> str:
    return json.dumps(
        {
            "malignant": reading.malignant,
            "findings": [_finding_json(f) for f in reading.findings],
            "candidates": [_finding_json(f) for f in reading.candidates],
        },
        ensure_ascii=False,
    )


def from_json(text: str) -> ReportReading:
    data = json.loads(text)
    return ReportReading(
        data["malignant"],
        tuple(_finding(r) for r in data["findings"]),
        tuple(_finding(r) for r in data["candidates"]),
    )


def _text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def readings(binder: Binder, documents: Iterable[Document]) -> dict[int, ReportReading]:
    """The reading of each document of a kind that can say something (by document id),
    from the store when it is still good, else read now and stored."""
    wanted = [d for d in documents if d.kind in READ_KINDS]
    if not wanted:
        return {}
    stored: dict[int, tuple[str, str, str, str, str]] = {}
    ids = [d.id for d in wanted]
    for chunk in range(0, len(ids), 500):  # SQLite's limit on bound parameters
        part = ids[chunk : chunk + 500]
        rows = binder.db.execute(
            "SELECT document_id, kind, document_updated, text_sha256, reader_version, reading "
            f"FROM report_readings WHERE document_id IN ({', '.join('?' * len(part))})",
            part,
        )
        stored.update({int(row[0]): tuple(row[1:]) for row in rows})
    found: dict[int, ReportReading] = {}
    fresh: list[tuple[int, str, str, str, str]] = []  # (id, kind, updated, hash, reading)
    touched: list[tuple[str, int]] = []  # (updated, id): same text, only the stamp moved
    for doc in wanted:
        row = stored.get(doc.id)
        same_reader = row is not None and row[0] == doc.kind.value and row[3] == reader_version()
        if row is not None and same_reader and row[1] == doc.updated:
            found[doc.id] = from_json(row[4])
            continue
        text = document_text(binder, doc.id)
        digest = _text_hash(text)
        if row is not None and same_reader and row[2] == digest:
            found[doc.id] = from_json(row[4])
            touched.append((doc.updated, doc.id))
            continue
        reading = read_report(text, doc.kind)
        found[doc.id] = reading
        fresh.append((doc.id, doc.kind.value, doc.updated, digest, to_json(reading)))
    if fresh or touched:
        with binder.transaction() as db:
            for values in fresh:
                db.execute(
                    "INSERT INTO report_readings (document_id, kind, document_updated, "
                    "text_sha256, reader_version, reading) VALUES (?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT (document_id) DO UPDATE SET kind = excluded.kind, "
                    "document_updated = excluded.document_updated, "
                    "text_sha256 = excluded.text_sha256, "
                    "reader_version = excluded.reader_version, reading = excluded.reading",
                    [*values[:4], reader_version(), values[4]],
                )
            for updated, doc_id in touched:
                db.execute(
                    "UPDATE report_readings SET document_updated = ? WHERE document_id = ?",
                    [updated, doc_id],
                )
    return found
