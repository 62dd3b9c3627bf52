"""A throwaway binder with fictional people, so a newcomer sees CareBinder at work.

Every name, date and finding here is invented. The documents are real PDFs made with
reportlab in memory and imported through the same path as a user's files.
"""

from __future__ import annotations

import secrets
from datetime import date
from pathlib import Path

from app.demo.care import ELEANOR, THOMAS, fill_care
from app.demo.documents import DEMO_PEOPLE, render_pdf
from app.ingest.kinds import DocumentKind
from app.records.documents import update_document
from app.records.importer import Outcome, import_bytes
from app.records.people import add_person
from app.vault.binder import Binder


def fill(binder: Binder) -> None:
    """Add the demo people, their documents, care team, medications and appointments."""
    today = date.today()
    for demo_person, care in zip(DEMO_PEOPLE, (ELEANOR, THOMAS), strict=True):
        person = add_person(binder, demo_person.name, demo_person.born)
        for doc in demo_person.documents:
            pdf = render_pdf(doc, demo_person)
            result = import_bytes(
                binder, person.id, pdf, doc.file_name, kind=DocumentKind(doc.kind)
            )
            if result.status is not Outcome.OK or result.document is None:
                raise RuntimeError(f"demo document {doc.file_name} was not imported")
            update_document(
                binder,
                result.document.id,
                title=doc.title,
                date=doc.date,
                facility=doc.facility,
                author=doc.author,
            )
        fill_care(binder, person.id, care, today)
        if demo_person is DEMO_PEOPLE[0]:  # Eleanor's breast MRI, on a disc (issue 19)
            from app.demo.imaging import add_demo_study

            add_demo_study(binder, person.id, demo_person.name, demo_person.born)


def create_demo_binder(data_dir: Path) -> Binder:
    """A new binder in `data_dir`, filled. Its passphrase is random and never kept."""
    binder = Binder.create(data_dir, secrets.token_urlsafe(24))
    try:
        fill(binder)
    except BaseException:
        binder.close()
        raise
    return binder
