"""Reading a large binder a page at a time, and searching it with filters (issue 11)."""

from __future__ import annotations

from app.ingest.extract import Extracted
from app.records.documents import (
    add_document,
    count_documents,
    document_sources,
    kind_counts,
    latest_date,
    list_documents,
    trash_document,
)
from app.records.models import DocumentKind
from app.records.search import search
from app.vault.binder import Binder
from tests.fixtures import make_pdf


def _add(
    binder: Binder, number: int, kind: DocumentKind, date: str | None, text: str, who: str = ""
) -> int:
    stored = binder.files.put(make_pdf(None, f"Record {number}"))
    facts = Extracted(
        media_type="application/pdf",
        title=f"Record {number}",
        pages=1,
        text=text,
        text_status="text",
        kind=kind,
        date=date,
        facility=who,
    )
    return add_document(binder, 1, stored, facts, f"record-{number}.pdf").id


def test_pages_of_the_list_join_up_to_the_whole_list_newest_first_undated_last(
    binder: Binder,
) -> None:
    for number in range(23):
        date = None if number % 7 == 0 else f"20{10 + number % 12}-0{1 + number % 9}-1{number % 9}"
        _add(binder, number, DocumentKind.LAB_RESULT, date, "", f"Clinic {number % 3}")
    whole = list_documents(binder, 1)
    pages = [list_documents(binder, 1, limit=5, offset=start) for start in range(0, 25, 5)]
    assert [d.id for page in pages for d in page] == [d.id for d in whole]
    dated = [d.date for d in whole if d.date]
    assert dated == sorted(dated, reverse=True)
    assert all(d.date is None for d in whole[len(dated) :])
    assert count_documents(binder, 1) == 23
    assert document_sources(binder, 1) == ["Clinic 0", "Clinic 1", "Clinic 2"]
    assert kind_counts(binder, 1) == {DocumentKind.LAB_RESULT: 23}
    assert latest_date(binder, 1) == dated[0]


def test_a_filtered_search_gives_the_best_matches_within_the_filter(binder: Binder) -> None:
    # More letters mention the word than a search returns: the one pathology report must
    # still be found when the filter asks for pathology (filtered inside the query, not after).
    for number in range(130):
        _add(binder, number, DocumentKind.CONSULT_LETTER, "2024-05-01", "quenthaline " * 5)
    report = _add(binder, 500, DocumentKind.PATHOLOGY, "2019-03", "quenthaline staining")
    undated = _add(binder, 501, DocumentKind.PATHOLOGY, None, "quenthaline again")

    assert len(search(binder, "quenthaline", 1)) == 100
    hits = search(binder, "quenthaline", 1, kind=DocumentKind.PATHOLOGY)
    assert {h.document.id for h in hits} == {report, undated}
    # A date range: the report of March 2019 counts as in it for any day of that month.
    hits = search(binder, "quenthaline", 1, date_from="2019-03-20", date_to="2019-12-31")
    assert [h.document.id for h in hits] == [report]
    assert search(binder, "quenthaline", 1, date_from="2019-04-01", date_to="2023-12-31") == []
    assert "quenthaline" in hits[0].snippet

    trash_document(binder, report)
    assert [h.document.id for h in search(binder, "staining", 1)] == []
