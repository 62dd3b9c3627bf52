"""One bundle, one snapshot: the export lists the person's documents, doctors, appointments,
opinions and medicines once (in `export/facts.gather`), and every file of the bundle is made
from that list. The clinical picture and the care journey read the records themselves (the
records layer's own reading); every other read of these tables is a second look that could
see a different moment."""

from __future__ import annotations

import re
import traceback
from collections import Counter
from pathlib import Path

import pytest

from app.export.bundle import build_bundle
from app.export.bundle_options import BundleOptions
from app.export.redaction import Redaction
from app.records.people import find_person
from app.vault.binder import Binder

TABLES = ("documents", "doctors", "appointments", "opinions", "medications")
# The records layer's own readers, which the export asks for a whole answer.
OWN_READERS = ("/app/records/picture/", "/app/records/timeline.py")


def _reads_while(binder: Binder, work: object) -> Counter[str]:
    """The records' readers of these tables called while `work()` runs, and how often,
    outside the records' own readers ("list_documents", "recurrences")."""
    reads: Counter[str] = Counter()

    def trace(sql: str) -> None:
        if not sql.lstrip().upper().startswith("SELECT"):
            return
        if not any(re.search(rf"\bFROM {table}\b", sql) for table in TABLES):
            return
        stack = traceback.extract_stack()
        if any(reader in frame.filename for frame in stack for reader in OWN_READERS):
            return
        reader = [f.name for f in stack if "/app/records/" in f.filename]
        reads[reader[-1] if reader else "?"] += 1

    binder.db.conn.set_trace_callback(trace)
    try:
        work()  # type: ignore[operator]
    finally:
        binder.db.conn.set_trace_callback(None)
    return reads


@pytest.mark.parametrize("withheld", [False, True], ids=["everything", "withholding"])
def test_a_bundle_reads_each_of_the_persons_lists_once(
    demo: Binder, tmp_path: Path, withheld: bool
) -> None:
    person = find_person(demo, "Eleanor Whitfield").id
    options = BundleOptions(
        redaction=Redaction(insurance_ids=True, id_numbers=True, addresses=True)
        if withheld
        else None
    )
    target = tmp_path / "bundle.zip"
    reads = _reads_while(demo, lambda: build_bundle(demo, person, target, options))
    assert target.exists()
    listed = ("list_documents", "list_doctors", "list_appointments", "list_opinions")
    assert all(reads[name] == 1 for name in listed), reads
    assert set(reads.values()) == {1}, f"read more than once: {reads}"


@pytest.mark.parametrize("which", ["summary", "treatment", "timeline", "appointment"])
def test_a_printed_sheet_reads_each_list_once(demo: Binder, which: str) -> None:
    from app.export.printable import sheet_pdf

    person = find_person(demo, "Eleanor Whitfield").id
    hidden = Redaction(insurance_ids=True, addresses=True)
    pdf: list[bytes] = []
    reads = _reads_while(demo, lambda: pdf.append(sheet_pdf(demo, person, which, None, hidden)))
    assert pdf[0].startswith(b"%PDF")
    assert set(reads.values()) == {1}, f"read more than once: {reads}"
