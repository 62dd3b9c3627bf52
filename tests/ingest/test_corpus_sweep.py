"""Every file in the real-world corpus ends `ok`, `duplicate` or `refused` with a reason, none
hangs, and the binder's check passes afterwards. A file we know to be good must come in (a
sweep that refused everything would otherwise pass), and a file refused on purpose must be
refused for its own reason.

OCR is off in this sweep to keep the default run short: the scans are imported as "not
searchable yet" (OCR itself is tested on a real scan in test_import_real_files.py). Every
other step runs: type by content, PDF text in the sandbox child, thumbnails, kind rules,
structured records.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from app.ingest.extract import Options
from app.records.importer import Outcome, import_file, import_paths

pytestmark = pytest.mark.corpus


# PDFs locked with a user password. Those with an owner password only, or an empty user
# password, open as any reader opens them, and must come in.
_NEED_A_PASSWORD = {
    "pdf/py-pdf-sample-files/005-libreoffice-writer-password/libreoffice-writer-password.pdf",
    "pdf/pypdf-resources/resources/crazyones-encrypted-256.pdf",
    "pdf/pypdf-resources/resources/encrypted-file.pdf",
    "pdf/pypdf-resources/resources/libreoffice-writer-password.pdf",
    *(
        f"pdf/pypdf-resources/resources/encryption/{name}.pdf"
        for name in (
            "r2-user-password",
            "r3-user-password",
            "r4-aes-user-password",
            "r4-user-password",
            "r5-user-password",
            "r6-both-passwords",
            "r6-user-password",
        )
    ),
}


def _refused_on_purpose(name: str) -> str | None:
    """The reason a corpus file must be refused for, or None when it must come in."""
    if name in _NEED_A_PASSWORD:
        return "protected by a password"
    if name == "scans/ocrmypdf-test-resources/invalid.pdf":
        return "not a readable PDF"
    if name == "ics/icalendar-tests/calendars/fuzz_testcase_0_char_in_component_name.ics":
        return "does not know this kind of file"
    return None


# Upstream's own page counts (files.json), except one whose cross-reference table is broken:
# poppler rebuilds four pages from it, we read the one it can open.
_PAGES_UNSURE = {"017-unreadable-meta-data/unreadablemetadata.pdf"}


@pytest.mark.parametrize("folder", ["pdf", "scans", "."])
def test_every_corpus_file_is_imported_or_refused_with_a_reason(
    binder: object, corpus: Path, folder: str, capsys: pytest.CaptureFixture[str]
) -> None:
    pid = int(binder.db.execute("SELECT id FROM people").fetchone()[0])  # type: ignore[attr-defined]
    results = import_paths(binder, pid, [corpus / folder], options=Options(ocr=False))  # type: ignore[arg-type]
    assert results
    outcomes = Counter(r.status.value for r in results)
    wrong = []
    for result in results:
        name = Path(result.path).relative_to(corpus).as_posix()
        if result.status is Outcome.REFUSED:
            assert result.reason and len(result.reason) > 10, result
        if name.startswith("dicom/"):
            continue  # medical images are not documents yet: either outcome is fair
        reason = _refused_on_purpose(name)
        if reason is None and result.status is Outcome.REFUSED:
            wrong.append(f"{name} was refused: {result.reason}")
        elif reason is not None and (
            result.status is not Outcome.REFUSED or reason not in (result.reason or "")
        ):
            wrong.append(f"{name} ended {result.status.value} ({result.reason}), not '{reason}'")
    assert wrong == []
    reasons = Counter(r.reason for r in results if r.status is Outcome.REFUSED)
    with capsys.disabled():
        print(f"\n{folder}: {dict(outcomes)}")
        for reason, count in reasons.most_common():
            print(f"  {count} x {reason}")
    report = binder.check()  # type: ignore[attr-defined]
    assert report.ok, report.problems


def test_the_sample_pdfs_come_in_with_their_pages(binder: object, corpus: Path) -> None:
    folder = corpus / "pdf" / "py-pdf-sample-files"
    listed = json.loads((folder / "files.json").read_text())["data"]
    present = [entry for entry in listed if (folder / entry["path"]).exists()]
    assert len(present) >= 30, "the corpus has its sample PDFs"
    pid = int(binder.db.execute("SELECT id FROM people").fetchone()[0])  # type: ignore[attr-defined]
    pages = {}
    for entry in present:
        result = import_file(binder, pid, folder / entry["path"], options=Options(ocr=False))  # type: ignore[arg-type]
        if entry["encrypted"]:
            assert result.status is Outcome.REFUSED and "password" in (result.reason or "")
            continue
        assert result.status in (Outcome.OK, Outcome.DUPLICATE), (entry["path"], result.reason)
        assert result.document is not None
        if entry["path"] not in _PAGES_UNSURE:
            pages[entry["path"]] = (result.document.pages, entry["pages"])
    assert {path: got for path, (got, want) in pages.items() if got != want} == {}
