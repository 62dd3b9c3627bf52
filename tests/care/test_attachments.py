"""Attachments to an appointment: a voice recording of the talk, a photo of a handout, a
document from the library. Taking one off keeps the document; another person's is refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.records.appointments import (
    add_appointment,
    attach_document,
    attachments,
    bring_document,
    detach,
    documents_to_bring,
)
from app.records.documents import get_document, list_documents, purge_document, trash_document
from app.records.errors import InvalidValue, NotFound
from app.records.importer import Outcome, import_bytes
from app.records.people import add_person
from app.vault.binder import Binder
from tests.conftest import PASSPHRASE
from tests.fixtures import make_pdf, make_wav


def imported(binder: Binder, person_id: int, data: bytes, name: str) -> int:
    result = import_bytes(binder, person_id, data, name)
    assert result.status is Outcome.OK, result.reason
    assert result.document is not None
    return result.document.id


def visit(binder: Binder, person_id: int = 1) -> int:
    return add_appointment(binder, person_id, datetime.now(UTC) - timedelta(days=1)).id


def test_a_recording_and_a_library_document_are_attached_in_order(binder: Binder) -> None:
    appt = visit(binder)
    recording = imported(binder, 1, make_wav(None), "talk with Dr Chen.wav")
    letter = imported(binder, 1, make_pdf(None, "Consult note"), "consult.pdf")
    first = attach_document(binder, appt, recording, "The whole talk")
    second = attach_document(binder, appt, letter)
    listed = attachments(binder, appt)
    assert [(a.id, a.document_id, a.label) for a in listed] == [
        (first.id, recording, "The whole talk"),
        (second.id, letter, ""),
    ]
    assert attach_document(binder, appt, letter) == second, "attached once, not twice"
    assert len(attachments(binder, appt)) == 2
    assert attachments(binder, visit(binder)) == [], "each appointment has its own"


def test_detaching_keeps_the_document_in_the_library(binder: Binder) -> None:
    appt = visit(binder)
    doc = imported(binder, 1, make_wav(None), "visit.wav")
    attachment = attach_document(binder, appt, doc)
    bring_document(binder, appt, doc)
    detach(binder, attachment.id)
    assert attachments(binder, appt) == []
    assert get_document(binder, doc).in_trash is False
    assert [d.id for d in list_documents(binder, 1)] == [doc]
    assert documents_to_bring(binder, appt) == [doc], "what to bring is a separate list"
    with pytest.raises(NotFound):
        detach(binder, attachment.id)


def test_another_persons_document_is_refused(binder: Binder) -> None:
    other = add_person(binder, "Ben Example")
    theirs = imported(binder, other.id, make_pdf(None, "Ben's scan report"), "ben.pdf")
    appt = visit(binder)
    with pytest.raises(InvalidValue, match="someone else"):
        attach_document(binder, appt, theirs)
    with pytest.raises(NotFound):
        attach_document(binder, appt, 9999)
    with pytest.raises(NotFound):
        attach_document(binder, 9999, theirs)
    assert attachments(binder, appt) == []


def test_a_document_deleted_for_good_leaves_no_dangling_attachment(binder: Binder) -> None:
    appt = visit(binder)
    doc = imported(binder, 1, make_wav(None), "visit.wav")
    attach_document(binder, appt, doc)
    bring_document(binder, appt, doc)
    trash_document(binder, doc)
    assert [a.document_id for a in attachments(binder, appt)] == [doc], "the Trash can undo"
    purge_document(binder, doc)
    assert attachments(binder, appt) == []
    assert documents_to_bring(binder, appt) == []


def test_attachments_survive_closing_the_binder(data_dir: Path, no_keyring: None) -> None:
    from app.vault.unlock import open_with_passphrase

    with Binder.create(data_dir, PASSPHRASE) as binder:
        person = add_person(binder, "Ada Example")
        appt = visit(binder, person.id)
        doc = imported(binder, person.id, make_wav(None), "handout talk.wav")
        attach_document(binder, appt, doc, "Recording of the talk")

    with open_with_passphrase(data_dir, PASSPHRASE, remember=False) as reopened:
        saved = attachments(reopened, appt)
        assert [(a.document_id, a.label) for a in saved] == [(doc, "Recording of the talk")]
        assert get_document(reopened, doc).media_type == "audio/wav"
