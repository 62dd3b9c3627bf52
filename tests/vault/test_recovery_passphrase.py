"""keys.json and the recovery passphrase: a wrong one changes nothing, a new one replaces it."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.records.people import add_person, list_people
from app.vault.binder import Binder
from app.vault.errors import WrongPassphrase
from app.vault.keys import KEYS_FILE, KeyFile, passphrase_problem
from app.vault.unlock import open_with_passphrase
from tests.conftest import PASSPHRASE


def test_a_wrong_passphrase_is_refused_clearly_and_keys_json_is_untouched(
    binder: Binder,
) -> None:
    data_dir = binder.data_dir
    binder.close()
    before = (data_dir / KEYS_FILE).read_bytes()

    with pytest.raises(WrongPassphrase, match="does not open this binder"):
        open_with_passphrase(data_dir, "blue heron paper lanterns")

    assert (data_dir / KEYS_FILE).read_bytes() == before
    with open_with_passphrase(data_dir, PASSPHRASE, remember=False) as again:
        assert [p.name for p in list_people(again)] == ["Ada Example"]


def test_after_changing_the_passphrase_the_old_one_fails_and_the_new_one_opens(
    data_dir: Path, no_keyring: None
) -> None:
    new = "seven quiet otters under snow"
    with Binder.create(data_dir, PASSPHRASE) as binder:
        add_person(binder, "Ada Example")
        binder_id = binder.binder_id
        binder.change_passphrase(new)

    with pytest.raises(WrongPassphrase):
        open_with_passphrase(data_dir, PASSPHRASE, remember=False)
    with open_with_passphrase(data_dir, new, remember=False) as again:
        assert again.binder_id == binder_id
        assert [p.name for p in list_people(again)] == ["Ada Example"]


def test_keys_json_holds_no_key_in_the_clear(binder: Binder) -> None:
    text = (binder.data_dir / KEYS_FILE).read_text()
    key = KeyFile.load(binder.data_dir).unwrap(PASSPHRASE)
    assert key.hex() not in text
    assert PASSPHRASE not in text
    assert "argon2id" in text


def test_a_short_recovery_passphrase_is_refused_with_the_reason() -> None:
    assert passphrase_problem("short") is not None
    assert "8 characters" in (passphrase_problem("       x") or "")
    assert passphrase_problem(PASSPHRASE) is None
