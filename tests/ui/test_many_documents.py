"""A binder with more documents than the table reads at once (issue 11): the rows come a page
at a time as the list is scrolled, and filters, search and "open this document" still see
every document, not only the rows read so far."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.ingest.extract import Extracted
from app.records.documents import add_document, list_documents, update_document
from app.records.models import DocumentKind
from app.records.people import add_person
from app.ui.documents_model import COL_DATE, DOCUMENT_ROLE, PAGE_ROWS
from app.ui.main_window import MainWindow
from app.vault.binder import Binder
from tests.fixtures import make_pdf

COUNT = PAGE_ROWS * 2 + 50
LATEST = date(2026, 6, 30)


def _fill(binder: Binder, person_id: int, count: int) -> None:
    """`count` letters, one a week going back from 2026, the oldest a pathology report."""
    template = make_pdf(None, "Clinic letter")
    with binder.transaction():
        for number in range(count):
            date = (LATEST - timedelta(weeks=number)).isoformat()
            oldest = number == count - 1
            stored = binder.files.put(template + f"\n%{person_id}-{number}\n".encode())
            facts = Extracted(
                media_type="application/pdf",
                title="Pathology report, first biopsy" if oldest else f"Clinic letter {number}",
                pages=1,
                text="quenthaline staining" if oldest else "blood pressure stable",
                text_status="text",
                kind=DocumentKind.PATHOLOGY if oldest else DocumentKind.CONSULT_LETTER,
                date=date,
                facility="Old Town Clinic" if oldest else "Riverside Cancer Centre",
            )
            add_document(binder, person_id, stored, facts, f"letter-{number}.pdf")


@pytest.fixture
def many(qtbot: QtBot, binder: Binder, window: MainWindow) -> Iterator[MainWindow]:
    person_id = int(binder.db.execute("SELECT id FROM people").fetchone()[0])
    _fill(binder, person_id, COUNT)
    other = add_person(binder, "Bea Example").id
    _fill(binder, other, 3)
    window.reload_people(person_id)
    window.show_place("Documents")
    yield window


def shown_titles(window: MainWindow) -> list[str]:
    proxy = window.documents.proxy
    return [proxy.index(row, 0).data(DOCUMENT_ROLE).title for row in range(proxy.rowCount())]


def test_the_newest_documents_come_first_and_the_rest_as_the_list_is_scrolled(
    qtbot: QtBot, many: MainWindow, binder: Binder
) -> None:
    page = many.documents
    person_id = page.person.id  # type: ignore[union-attr]
    newest_first = [d.title for d in list_documents(binder, person_id)]
    assert shown_titles(many) == newest_first[:PAGE_ROWS]
    assert page.selected_document() is not None
    assert page.selected_document().title == newest_first[0]  # type: ignore[union-attr]

    bar = page.table.verticalScrollBar()

    def scrolled_to_the_end() -> bool:
        bar.setValue(bar.maximum())  # as a user drags the bar down, page after page
        return page.proxy.rowCount() == COUNT

    qtbot.waitUntil(scrolled_to_the_end, timeout=60000)
    assert shown_titles(many) == newest_first, "every document, once, newest first"


def test_a_filter_and_a_search_find_an_old_document_not_read_yet(
    qtbot: QtBot, many: MainWindow
) -> None:
    page = many.documents
    assert "Pathology report, first biopsy" not in shown_titles(many)
    page.kind_filter.setCurrentIndex(page.kind_filter.findData(DocumentKind.PATHOLOGY))
    assert shown_titles(many) == ["Pathology report, first biopsy"]
    page.clear_filters()
    assert len(shown_titles(many)) == COUNT  # everything was read for the filter

    many.person_box.setCurrentIndex(many.person_box.findText("Bea Example"))
    many.person_box.setCurrentIndex(many.person_box.findText("Ada Example"))
    assert len(shown_titles(many)) == PAGE_ROWS
    page.search_box.setText("quenthaline")
    page.run_search()
    assert shown_titles(many) == ["Pathology report, first biopsy"]
    page.search_box.clear()
    page.run_search()
    titles = shown_titles(many)
    assert len(titles) == len(set(titles)) and len(titles) >= PAGE_ROWS


def test_opening_an_old_document_from_elsewhere_selects_it(
    qtbot: QtBot, many: MainWindow, binder: Binder
) -> None:
    page = many.documents
    person_id = page.person.id  # type: ignore[union-attr]
    oldest = list_documents(binder, person_id)[-1]
    many.show_place("Overview")
    many.open_document(oldest.id)
    assert many.stack.currentWidget() is page
    assert page.selected_document() is not None
    assert page.selected_document().id == oldest.id  # type: ignore[union-attr]


def test_a_new_date_moves_the_row_and_another_order_sorts_every_row(
    qtbot: QtBot, many: MainWindow, binder: Binder
) -> None:
    page = many.documents
    third = page.proxy.index(2, 0).data(DOCUMENT_ROLE)
    changed = update_document(binder, third.id, date="2027-01-01")
    page._document_changed(changed)
    assert shown_titles(many)[0] == third.title

    page.table.sortByColumn(COL_DATE, Qt.SortOrder.AscendingOrder)  # oldest first
    assert shown_titles(many)[0] == "Pathology report, first biopsy"
    assert len(shown_titles(many)) == COUNT


def test_other_places_are_made_when_first_shown_and_show_the_current_person(
    qtbot: QtBot, many: MainWindow
) -> None:
    assert "Appointments" not in dict.keys(many.other_pages)
    many.person_box.setCurrentIndex(many.person_box.findText("Bea Example"))
    many.show_place("Appointments")
    page = many.stack.currentWidget()
    assert page is many.other_pages["Appointments"]
    assert page.person.name == "Bea Example"  # type: ignore[attr-defined]
    many.show_place("Documents")
    many.person_box.setCurrentIndex(many.person_box.findText("Ada Example"))
    many.show_place("Appointments")
    assert page.person.name == "Ada Example"  # type: ignore[attr-defined]
