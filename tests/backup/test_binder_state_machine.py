"""A property-based test: any sequence of add, edit, trash, untrash, purge, backup and
restore leaves the binder equal to a simple model of it, and whole."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import hypothesis.strategies as st
from hypothesis import HealthCheck, settings
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, rule

from app.records.documents import (
    list_documents,
    purge_document,
    read_original,
    restore_document,
    trash_document,
    update_document,
)
from app.records.importer import Outcome, import_bytes
from app.records.people import add_person
from app.vault.backup import backup, restore
from app.vault.binder import Binder
from app.vault.unlock import open_with_passphrase
from tests.conftest import PASSPHRASE

TITLES = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=30
).filter(lambda t: t.strip())


class BinderMachine(RuleBasedStateMachine):
    documents = Bundle("documents")

    def __init__(self) -> None:
        super().__init__()
        import keyring
        from keyring.backends import fail

        keyring.set_keyring(fail.Keyring())
        self.root = Path(tempfile.mkdtemp(prefix="binder-machine-"))
        self.data_dir = self.root / "binder"
        self.binder = Binder.create(self.data_dir, PASSPHRASE)
        self.person = add_person(self.binder, "Ada Example").id
        # The model: id -> (title, bytes, in trash)
        self.model: dict[int, tuple[str, bytes, bool]] = {}
        self.backup_model: dict[int, tuple[str, bytes, bool]] | None = None
        self.counter = 0

    def teardown(self) -> None:
        self.binder.close()
        shutil.rmtree(self.root, ignore_errors=True)

    @rule(target=documents, text=st.binary(min_size=1, max_size=3000))
    def add(self, text: bytes) -> int:
        self.counter += 1
        data = b"note %d\n" % self.counter + text
        result = import_bytes(self.binder, self.person, data, f"note-{self.counter}.txt")
        if result.status is Outcome.REFUSED:
            return -1
        assert result.status is Outcome.OK and result.document is not None
        self.model[result.document.id] = (result.document.title, data, False)
        return result.document.id

    @rule(doc=documents, title=TITLES)
    def edit(self, doc: int, title: str) -> None:
        if doc not in self.model:
            return
        saved = update_document(self.binder, doc, title=title)
        _, data, trashed = self.model[doc]
        self.model[doc] = (saved.title, data, trashed)
        assert saved.title == " ".join(title.split())[:300]

    @rule(doc=documents)
    def trash(self, doc: int) -> None:
        if doc in self.model:
            trash_document(self.binder, doc)
            title, data, _ = self.model[doc]
            self.model[doc] = (title, data, True)

    @rule(doc=documents)
    def untrash(self, doc: int) -> None:
        if doc in self.model:
            restore_document(self.binder, doc)
            title, data, _ = self.model[doc]
            self.model[doc] = (title, data, False)

    @rule(doc=documents)
    def purge(self, doc: int) -> None:
        if doc in self.model and self.model[doc][2]:
            purge_document(self.binder, doc)
            del self.model[doc]

    @rule()
    def back_up(self) -> None:
        backup(self.binder, self.root / "backup.cbbackup")
        self.backup_model = dict(self.model)

    @rule()
    def restore_backup(self) -> None:
        if self.backup_model is None:
            return
        self.binder.close()
        moved = restore(self.root / "backup.cbbackup", self.data_dir, PASSPHRASE)
        if moved is not None:
            shutil.rmtree(moved)
        self.binder = open_with_passphrase(self.data_dir, PASSPHRASE, remember=False)
        self.model = dict(self.backup_model)

    @invariant()
    def binder_matches_the_model(self) -> None:
        docs = {
            d.id: d
            for trashed in (False, True)
            for d in list_documents(self.binder, self.person, trashed=trashed)
        }
        assert set(docs) == set(self.model)
        for doc_id, (title, data, trashed) in self.model.items():
            assert docs[doc_id].title == title
            assert docs[doc_id].in_trash == trashed
            assert read_original(self.binder, doc_id) == data


BinderMachine.TestCase.settings = settings(
    max_examples=12,
    stateful_step_count=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_binder_state_machine = BinderMachine.TestCase


def test_the_binder_is_whole_after_a_run_of_operations() -> None:
    """The machine's last binder also passes the binder's own check (checked directly)."""
    machine = BinderMachine()
    try:
        ids = [machine.add(b"x" * n) for n in range(1, 4)]
        machine.trash(ids[0])
        machine.purge(ids[0])
        machine.back_up()
        machine.edit(ids[1], "Renamed")
        machine.restore_backup()
        machine.binder_matches_the_model()
        assert machine.binder.check().ok
    finally:
        machine.teardown()
