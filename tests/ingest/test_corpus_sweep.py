"""Every file in the real-world corpus ends `ok`, `duplicate` or `refused` with a reason, none
hangs, and the binder's check passes afterwards.

OCR is off in this sweep to keep the default run short: the scans are imported as "not
searchable yet" (OCR itself is tested on a real scan in test_import_real_files.py). Every
other step runs: type by content, PDF text in the sandbox child, thumbnails, kind rules,
structured records.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from app.ingest.extract import Options
from app.records.importer import Outcome, import_paths

pytestmark = pytest.mark.corpus


@pytest.mark.parametrize("folder", ["pdf", "scans", "."])
def test_every_corpus_file_is_imported_or_refused_with_a_reason(
    binder: object, corpus: Path, folder: str, capsys: pytest.CaptureFixture[str]
) -> None:
    pid = int(binder.db.execute("SELECT id FROM people").fetchone()[0])  # type: ignore[attr-defined]
    results = import_paths(binder, pid, [corpus / folder], options=Options(ocr=False))  # type: ignore[arg-type]
    assert results
    outcomes = Counter(r.status.value for r in results)
    for result in results:
        if result.status is Outcome.REFUSED:
            assert result.reason and len(result.reason) > 10, result
    reasons = Counter(r.reason for r in results if r.status is Outcome.REFUSED)
    with capsys.disabled():
        print(f"\n{folder}: {dict(outcomes)}")
        for reason, count in reasons.most_common():
            print(f"  {count} x {reason}")
    report = binder.check()  # type: ignore[attr-defined]
    assert report.ok, report.problems
