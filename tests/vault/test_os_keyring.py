"""The daily-use key in the OS keyring: a real Secret Service, none at all, a wrong answer,
and a keyring that never answers. In every case without the key, nothing new is made."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backend import KeyringBackend

from app.records.people import add_person, list_people
from app.vault import os_keyring
from app.vault.binder import Binder
from app.vault.keys import KEYS_FILE, KeyFile, new_data_key
from app.vault.unlock import key_from_keyring, open_with_keyring, open_with_passphrase
from tests.conftest import PASSPHRASE

SECRET_SERVICE = "keyring.backends.SecretService.Keyring"


def _keys_json(data_dir: Path) -> str:
    return hashlib.sha256((data_dir / KEYS_FILE).read_bytes()).hexdigest()


@pytest.fixture
def stored_binder(data_dir: Path, secret_service: Any) -> Iterator[Path]:
    """A closed binder with one person, its key kept in the real Secret Service."""
    with Binder.create(data_dir, PASSPHRASE) as binder:
        add_person(binder, "Ada Example")
        answer = binder.remember_key()
        assert answer.ok, answer.problem
    yield data_dir
    os_keyring.forget(KeyFile.load(data_dir).binder_id)


def test_a_binder_whose_key_is_in_the_keyring_opens_with_no_passphrase(
    stored_binder: Path,
) -> None:
    assert KeyFile.load(stored_binder).keyring_backend == SECRET_SERVICE
    binder, problem = open_with_keyring(stored_binder)
    assert problem is None
    assert binder is not None
    with binder:
        assert [p.name for p in list_people(binder)] == ["Ada Example"]


def test_a_keyring_with_no_entry_asks_for_the_passphrase_and_makes_no_new_key(
    stored_binder: Path, secret_service: Any
) -> None:
    binder_id = KeyFile.load(stored_binder).binder_id
    secret_service.delete_password(os_keyring.SERVICE, binder_id)
    before = _keys_json(stored_binder)

    binder, problem = open_with_keyring(stored_binder)

    assert binder is None
    assert problem is not None and "no key for this binder" in problem
    assert _keys_json(stored_binder) == before
    assert secret_service.get_password(os_keyring.SERVICE, binder_id) is None


def test_the_passphrase_on_a_new_computer_puts_the_key_in_its_keyring(
    stored_binder: Path, secret_service: Any
) -> None:
    binder_id = KeyFile.load(stored_binder).binder_id
    # A new computer: the binder came from a backup, this keyring has never seen it.
    secret_service.delete_password(os_keyring.SERVICE, binder_id)
    assert open_with_keyring(stored_binder)[0] is None

    with open_with_passphrase(stored_binder, PASSPHRASE) as unlocked:
        assert unlocked.binder_id == binder_id

    binder, problem = open_with_keyring(stored_binder)
    assert problem is None and binder is not None
    with binder:
        assert [p.name for p in list_people(binder)] == ["Ada Example"]


@pytest.mark.parametrize(
    ("held", "why"),
    [("another", "another binder"), ("garbage", "not this binder's key")],
)
def test_a_keyring_holding_a_wrong_key_falls_back_to_the_passphrase_and_changes_nothing(
    stored_binder: Path, secret_service: Any, held: str, why: str
) -> None:
    binder_id = KeyFile.load(stored_binder).binder_id
    wrong = new_data_key().hex() if held == "another" else "not a key at all"
    secret_service.set_password(os_keyring.SERVICE, binder_id, wrong)
    before = _keys_json(stored_binder)

    binder, problem = open_with_keyring(stored_binder)

    assert binder is None
    assert problem is not None and why in problem
    assert _keys_json(stored_binder) == before
    with open_with_passphrase(stored_binder, PASSPHRASE, remember=False) as again:
        assert again.binder_id == binder_id
        assert [p.name for p in list_people(again)] == ["Ada Example"]


def test_with_no_keyring_the_binder_is_made_and_opens_with_the_passphrase(
    data_dir: Path, no_keyring: None
) -> None:
    with Binder.create(data_dir, PASSPHRASE) as created:
        answer = created.remember_key()
        binder_id = created.binder_id
    assert not answer.ok
    assert answer.problem == "no system keyring is available"
    assert KeyFile.load(data_dir).keyring_backend is None
    before = _keys_json(data_dir)

    binder, problem = open_with_keyring(data_dir)
    assert binder is None and problem == "no system keyring is available"

    with open_with_passphrase(data_dir, PASSPHRASE) as again:
        assert again.binder_id == binder_id
    assert _keys_json(data_dir) == before


class HangingKeyring(KeyringBackend):
    """A keyring that never answers, as a locked wallet waiting on an unseen prompt does."""

    priority = 5

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()
        self.asked = threading.Event()

    def get_password(self, service: str, username: str) -> str | None:
        self.asked.set()
        self.release.wait(60)
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        self.asked.set()
        self.release.wait(60)

    def delete_password(self, service: str, username: str) -> None:
        self.release.wait(60)


@pytest.fixture
def hanging_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[HangingKeyring]:
    backend = HangingKeyring()
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    monkeypatch.setattr(os_keyring, "DEFAULT_TIMEOUT", 0.2)
    yield backend
    backend.release.set()  # let the abandoned keyring thread finish
    keyring.set_keyring(previous)


def test_a_keyring_that_never_answers_is_given_up_on_and_the_passphrase_asked(
    data_dir: Path, hanging_keyring: HangingKeyring
) -> None:
    with Binder.create(data_dir, PASSPHRASE) as binder:
        answer = binder.remember_key()
    assert answer.problem == "the keyring did not answer in time"
    before = _keys_json(data_dir)

    binder_or_none, problem = open_with_keyring(data_dir)

    assert binder_or_none is None
    assert problem == "the keyring did not answer in time"
    assert hanging_keyring.asked.is_set()
    assert key_from_keyring(data_dir, timeout=0.05).problem == problem
    assert _keys_json(data_dir) == before
    with open_with_passphrase(data_dir, PASSPHRASE) as again:
        assert again.check().ok
