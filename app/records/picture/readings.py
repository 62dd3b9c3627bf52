"""Each report read once: the reading of a document's text is kept in the binder (table
report_readings, encrypted like the rest) with the document's `updated` stamp, a hash of
its text, its kind and the reader's version, and read again only when one of them changes.

Every change to a document's text or kind touches its `updated` column (import,
make-searchable, edit), which is what sends it back here; when `updated` moved but the text
hash and kind did not (a new title), the stored reading stays. So the Overview, the
treatment summary and the export read the stored findings instead of every report's text
every time; the readings last parsed are also kept in memory (never on disk: the database
holds them encrypted), so building the picture again, as each page of the window does,
parses nothing that has not changed.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import threading
from collections import OrderedDict
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


_log = logging.getLogger(__name__)  # ids and error class names only (app/logs.py)
_CERTAINTY = {c.value: c for c in Certainty}  # a dict lookup: calling the enum is slow


def _finding(row: list[Any]) -> Finding:
    key, value, start, end, specimen, certainty = row
    return Finding(key, value, int(start), int(end), specimen, _CERTAINTY[certainty])


def _kept(candidate: Finding) -> bool:
    """The candidates the picture uses: another specimen's stated tumour findings and
    surgery (a second primary in the same report). The rest stay with the reader."""
    stated = candidate.certainty is Certainty.STATED
    wanted = ("diagnosis.", "stage.", "biomarker.", "treatment.surgery")
    return stated and bool(candidate.specimen) and candidate.key.startswith(wanted)


def to_json(reading: ReportReading) -> str:
    return json.dumps(
        {
            "malignant": reading.malignant,
            "findings": [_finding_json(f) for f in reading.findings],
            "candidates": [_finding_json(f) for f in reading.candidates if _kept(f)],
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


_MemoKey = tuple[str, int, str, str, str]  # binder folder, document id, updated, kind, reader
_MEMO: OrderedDict[_MemoKey, ReportReading] = OrderedDict()
_MEMO_SIZE = 20_000
_MEMO_LOCK = threading.Lock()  # the window builds pictures on workers and on its own thread


def _memo_key(binder: Binder, doc: Document) -> _MemoKey:
    return (str(binder.data_dir), doc.id, doc.updated, doc.kind.value, reader_version())


def _remember(key: _MemoKey, reading: ReportReading) -> None:
    with _MEMO_LOCK:
        _MEMO[key] = reading
        _MEMO.move_to_end(key)
        while len(_MEMO) > _MEMO_SIZE:
            _MEMO.popitem(last=False)


def readings(
    binder: Binder, documents: Iterable[Document], read: bool = True
) -> dict[int, ReportReading]:
    """The reading of each document of a kind that can say something (by document id),
    from memory or the store when it is still good, else read now and stored.

    `read=False` (the window's own thread, which must never spend seconds reading): a report
    not read yet is left out, and one whose stored reading is out of date keeps it until a
    worker (the import, the Overview, the export) reads it again."""
    found: dict[int, ReportReading] = {}
    wanted = []
    for doc in documents:
        if doc.kind not in READ_KINDS:
            continue
        with _MEMO_LOCK:
            known = _MEMO.get(_memo_key(binder, doc))
        if known is None:
            wanted.append(doc)
        else:
            found[doc.id] = known
    if not wanted:
        return found
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
    fresh: list[tuple[int, str, str, str, str]] = []  # (id, kind, updated, hash, reading)
    touched: list[tuple[str, int]] = []  # (updated, id): same text, only the stamp moved
    for doc in wanted:
        row = stored.get(doc.id)
        same_reader = row is not None and row[0] == doc.kind.value and row[3] == reader_version()
        if row is not None and same_reader and row[1] == doc.updated:
            found[doc.id] = from_json(row[4])
            _remember(_memo_key(binder, doc), found[doc.id])
            continue
        if not read:
            if row is not None:
                found[doc.id] = from_json(row[4])  # out of date, but what was last known
            continue
        text = document_text(binder, doc.id)
        digest = _text_hash(text)
        if row is not None and same_reader and row[2] == digest:
            found[doc.id] = from_json(row[4])
            touched.append((doc.updated, doc.id))
            _remember(_memo_key(binder, doc), found[doc.id])
            continue
        try:
            reading = read_report(text, doc.kind)
        except Exception as exc:  # a reader bug on one report must not lose the others
            _log.warning("reading document %d failed: %s", doc.id, type(exc).__name__)
            reading = ReportReading(None, (), ())  # nothing found; read again by a new reader
        found[doc.id] = reading
        _remember(_memo_key(binder, doc), reading)
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


def read_document(binder: Binder, document: Document) -> None:
    """Read one document now (the importer, on its worker, as soon as it is stored), so the
    window's pages never have to."""
    readings(binder, [document])
