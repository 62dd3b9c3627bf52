"""People, documents and search through the records API: what the window and the CLI use."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from app.ingest.kinds import DocumentKind
from app.records.documents import (
    document_text,
    get_document,
    list_documents,
    purge_document,
    read_original,
    restore_document,
    trash_document,
    update_document,
)
from app.records.errors import Ambiguous, InvalidValue, NotFound
from app.records.importer import Outcome, import_bytes, import_file
from app.records.people import add_person, find_person, list_people
from app.records.search import MARK_END, MARK_START, search
from app.vault.binder import Binder
from tests.fixtures import make_pdf


def _ada(binder: Binder) -> int:
    return find_person(binder, "Ada Example").id


def _add(binder: Binder, text: str | bytes, name: str, person_id: int | None = None) -> int:
    data = text if isinstance(text, bytes) else make_pdf(None, text)
    result = import_bytes(binder, person_id or _ada(binder), data, name)
    assert result.status is Outcome.OK, result.reason
    assert result.document is not None
    return result.document.id


def test_people_are_listed_by_name_and_found_by_name_or_id(binder: Binder) -> None:
    bo = add_person(binder, "  Bo   Example ", "1948-06")
    assert bo.name == "Bo Example"
    assert [p.name for p in list_people(binder)] == ["Ada Example", "Bo Example"]
    assert find_person(binder, "bo example").id == bo.id
    assert find_person(binder, str(bo.id)).name == "Bo Example"
    with pytest.raises(Ambiguous):
        find_person(binder, None)
    with pytest.raises(Ambiguous):
        find_person(binder, "example")
    with pytest.raises(NotFound):
        find_person(binder, "Cy")
    with pytest.raises(InvalidValue):
        add_person(binder, "Cy", "31/01/1970")


def test_an_imported_file_keeps_its_original_bytes_and_facts(
    binder: Binder, tmp_path: Path
) -> None:
    data = make_pdf(tmp_path / "biopsy_report-2024.pdf", "Core biopsy", "Microscopic description")
    result = import_file(binder, _ada(binder), tmp_path / "biopsy_report-2024.pdf")

    assert result.status is Outcome.OK
    doc = result.document
    assert doc is not None
    assert doc.original_name == "biopsy_report-2024.pdf"
    assert doc.title == "biopsy report 2024"
    assert doc.pages == 2
    assert doc.size == len(data)
    assert doc.sha256 == hashlib.sha256(data).hexdigest()
    assert doc.media_type == "application/pdf"
    assert read_original(binder, doc.id) == data
    assert "Microscopic description" in document_text(binder, doc.id)
    assert (
        tmp_path / "biopsy_report-2024.pdf"
    ).read_bytes() == data  # the user's file is untouched


def test_the_same_bytes_for_another_person_are_their_own_document(binder: Binder) -> None:
    bo = add_person(binder, "Bo Example")
    letter = make_pdf(None, "Shared letter")
    first = _add(binder, letter, "letter.pdf")
    second = _add(binder, letter, "letter.pdf", bo.id)
    assert first != second
    assert len(binder.files.names()) == 1  # stored once
    assert binder.check().ok


def test_editing_a_date_marks_it_as_set_by_the_user(binder: Binder) -> None:
    doc_id = _add(binder, "Operative report", "op.pdf")
    doc = update_document(binder, doc_id, date="2024-03", kind="surgery", title="  Lumpectomy ")
    assert doc.date == "2024-03"
    assert doc.date_set_by_user
    assert doc.kind is DocumentKind.OPERATIVE
    assert doc.kind_set_by_user
    assert doc.title == "Lumpectomy"
    with pytest.raises(InvalidValue):
        update_document(binder, doc_id, date="March 2024")
    with pytest.raises(InvalidValue):
        update_document(binder, doc_id, sha256="0" * 64)
    with pytest.raises(NotFound):
        update_document(binder, 999, title="x")
    assert get_document(binder, doc_id).date == "2024-03"


def test_documents_are_listed_newest_first_and_filtered_by_kind(binder: Binder) -> None:
    old = _add(binder, "Old", "old.pdf")
    new = _add(binder, "New", "new.pdf")
    undated = _add(binder, "Undated", "undated.pdf")
    update_document(binder, old, date="2019", kind="lab")
    update_document(binder, new, date="2024-05-02")

    assert [d.id for d in list_documents(binder)] == [new, old, undated]
    assert [d.id for d in list_documents(binder, kind=DocumentKind.LAB_RESULT)] == [old]


def test_search_finds_a_word_and_marks_it_in_the_snippet(binder: Binder) -> None:
    doc_id = _add(binder, "Margins: negative for Quenthaline deposits.", "path.pdf")
    _add(binder, "Nothing of note here.", "other.pdf")

    hits = search(binder, "quenthaline")

    assert [h.document.id for h in hits] == [doc_id]
    assert f"{MARK_START}Quenthaline{MARK_END}" in hits[0].snippet
    assert "[Quenthaline]" in hits[0].snippet_with("[", "]")
    assert search(binder, "quenthaline", person_id=add_person(binder, "Bo").id) == []


@pytest.mark.parametrize("typed", ["AND OR NOT", "NEAR(", '"', "title:", "*", '"unclosed phrase'])
def test_search_takes_what_a_person_types_without_failing(binder: Binder, typed: str) -> None:
    _add(binder, "Some text", "a.pdf")
    assert isinstance(search(binder, typed), list)


def test_trash_hides_from_search_restore_brings_back_purge_removes_row_and_file(
    binder: Binder,
) -> None:
    doc_id = _add(binder, "Pathology: Vormenzide staining", "stain.pdf")
    kept = _add(binder, "Another record", "kept.pdf")
    stored = get_document(binder, doc_id).file_name

    trash_document(binder, doc_id)
    assert search(binder, "vormenzide") == []
    assert [d.id for d in list_documents(binder)] == [kept]
    assert [d.id for d in list_documents(binder, trashed=True)] == [doc_id]
    with pytest.raises(InvalidValue):
        purge_document(binder, kept)  # only from the Trash

    restore_document(binder, doc_id)
    assert [h.document.id for h in search(binder, "vormenzide")] == [doc_id]

    trash_document(binder, doc_id)
    purge_document(binder, doc_id)
    with pytest.raises(NotFound):
        get_document(binder, doc_id)
    assert stored not in binder.files.names()
    assert search(binder, "vormenzide") == []
    assert binder.check().ok


def test_purging_one_of_two_people_s_copies_keeps_the_shared_file(binder: Binder) -> None:
    bo = add_person(binder, "Bo Example")
    letter = make_pdf(None, "Shared letter")
    mine = _add(binder, letter, "letter.pdf")
    theirs = _add(binder, letter, "letter.pdf", bo.id)
    trash_document(binder, mine)
    purge_document(binder, mine)
    assert read_original(binder, theirs).startswith(b"%PDF")
    assert binder.check().ok


def test_while_the_binder_is_open_its_database_and_wal_hold_no_readable_text(
    binder: Binder,
) -> None:
    from tests.plaintext import holders, plain_pdf, unique_word

    word = unique_word()
    # Uncompressed: a decrypted copy of the original would hold the word as bytes too.
    doc_id = _add(
        binder, plain_pdf(None, f"Impression: {word} pattern in the left breast."), "mammo.pdf"
    )
    update_document(binder, doc_id, notes=f"Ask about {word} at the next visit")
    assert [h.document.id for h in search(binder, word)] == [doc_id]

    # The binder is still open, so its latest writes sit in the WAL, not yet in binder.db.
    wal = binder.data_dir / "binder.db-wal"
    assert wal.exists() and wal.stat().st_size > 0
    assert holders(binder.data_dir, word) == []
    assert holders(binder.data_dir, "left breast") == []
