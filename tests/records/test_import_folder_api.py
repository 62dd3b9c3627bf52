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


def test_files_read_side_by_side_come_back_in_the_order_given(
    binder: Binder, tmp_path: Path
) -> None:
    """A long PDF first and short ones after: read side by side, the short ones finish
    first, yet the results (and the documents' ids) follow the order of the files."""
    folder = tmp_path / "box"
    folder.mkdir()
    make_pdf(folder / "a-long.pdf", *[f"Long report, page {n}. " * 40 for n in range(60)])
    for name in ("b-note.pdf", "c-letter.pdf", "d-result.pdf", "e-list.pdf"):
        make_pdf(folder / name, f"Short {name}")
    (folder / "f-not-a-record.bin").write_bytes(b"\x00\x01 not a known kind of file")
    make_pdf(folder / "g-last.pdf", "The last one")
    results = import_paths(binder, find_person(binder, None).id, [folder])
    names = [Path(r.path).name for r in results]
    assert names == sorted(p.name for p in folder.iterdir())
    assert [r.status for r in results] == [Outcome.OK] * 5 + [Outcome.REFUSED, Outcome.OK]
    ids = [r.document.id for r in results if r.document is not None]
    assert ids == sorted(ids)


def test_the_same_file_twice_in_one_drop_is_imported_once(binder: Binder, tmp_path: Path) -> None:
    folder = tmp_path / "box"
    folder.mkdir()
    data = make_pdf(folder / "a-report.pdf", "Pathology report, final diagnosis")
    (folder / "b-copy of report.pdf").write_bytes(data)
    make_pdf(folder / "c-other.pdf", "A different letter")
    (folder / "d-another copy.pdf").write_bytes(data)
    (folder / "e-damaged.pdf").write_bytes(b"%PDF-1.4 nothing else")
    (folder / "f-damaged again.pdf").write_bytes(b"%PDF-1.4 nothing else")
    results = import_paths(binder, find_person(binder, None).id, [folder])
    statuses = [r.status for r in results]
    assert statuses == [
        Outcome.OK,
        Outcome.DUPLICATE,
        Outcome.OK,
        Outcome.DUPLICATE,
        Outcome.REFUSED,
        Outcome.REFUSED,
    ]
    first = results[0].document
    assert first is not None
    assert results[1].document is not None and results[1].document.id == first.id
    assert results[3].document is not None and results[3].document.id == first.id
    assert results[5].reason == results[4].reason  # the twin's reason, said again
    assert len(list_documents(binder)) == 2
    # Imported again later: all already there (read from the hashes, not read again).
    again = import_paths(binder, find_person(binder, None).id, [folder])
    assert [r.status for r in again][:4] == [Outcome.DUPLICATE] * 4


def test_cancel_while_files_are_read_ahead_leaves_nothing_half_stored(
    binder: Binder, tmp_path: Path
) -> None:
    """Cancelled as the third file is stored, with more being read ahead: every document
    kept is whole (its file, its text, its thumbnail) and nothing else was stored."""
    cancel = CancelFlag()

    def progress(done: int, total: int, what: str) -> None:
        if done == 3:
            cancel.cancel()

    folder = _folder(tmp_path, 12)
    results = import_paths(
        binder, find_person(binder, None).id, [folder], progress=progress, cancel=cancel
    )
    names = sorted(p.name for p in folder.iterdir())
    assert [Path(r.path).name for r in results] == names[:3]
    kept = list_documents(binder)
    assert {d.id for d in kept} == {r.document.id for r in results if r.document is not None}
    for doc in kept:
        text = binder.db.execute(
            "SELECT body FROM document_text WHERE document_id = ?", [doc.id]
        ).fetchone()[0]
        assert f"Record {doc.original_name.split('-')[1].split('.')[0]}" in text
        assert (
            binder.db.execute(
                "SELECT count(*) FROM document_thumbnails WHERE document_id = ?", [doc.id]
            ).fetchone()[0]
            == 1
        )
    report = binder.check()
    assert report.ok and report.files_checked == 3
