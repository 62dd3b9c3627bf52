"""Importing a folder through the records API, as the window does: progress, and Cancel."""

from __future__ import annotations

from pathlib import Path

from app.progress import CancelFlag
from app.records.documents import list_documents
from app.records.importer import Outcome, import_paths
from app.records.people import find_person
from app.vault.binder import Binder
from tests.fixtures import make_pdf


def _folder(tmp_path: Path, count: int) -> Path:
    folder = tmp_path / "box"
    folder.mkdir()
    for i in range(count):
        make_pdf(folder / f"record-{i}.pdf", f"Record {i}")
    return folder


def test_progress_counts_every_file_up_to_the_total(binder: Binder, tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    results = import_paths(
        binder,
        find_person(binder, None).id,
        [_folder(tmp_path, 4)],
        progress=lambda done, total, what: seen.append((done, total)),
    )
    assert [r.status for r in results] == [Outcome.OK] * 4
    assert seen[-1] == (4, 4)
    assert {total for _, total in seen} == {4}
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


def test_cancel_stops_the_import_and_keeps_every_file_that_finished(
    binder: Binder, tmp_path: Path
) -> None:
    cancel = CancelFlag()

    def progress(done: int, total: int, what: str) -> None:
        if done == 2:
            cancel.cancel()

    results = import_paths(
        binder,
        find_person(binder, None).id,
        [_folder(tmp_path, 6)],
        progress=progress,
        cancel=cancel,
    )

    assert 2 <= len(results) < 6
    saved = {d.id for d in list_documents(binder)}
    assert saved == {r.document.id for r in results if r.document is not None}
    assert binder.check().ok
