"""Getting the data key: from the OS keyring first, else from the recovery passphrase.

The UI and the CLI both go through here. Nothing here ever makes a new key.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.vault import os_keyring
from app.vault.binder import Binder, load_keyfile


@dataclass(frozen=True)
class KeyringKey:
    """The key the keyring gave, or why it gave none (plain words, for a status line)."""

    key: bytes | None
    problem: str | None


def key_from_keyring(data_dir: Path, timeout: float | None = None) -> KeyringKey:
    """The data key from the keyring, waiting at most `timeout` (default: the module's)."""
    keyfile = load_keyfile(data_dir)
    answer = os_keyring.fetch(keyfile.binder_id, timeout)
    if answer.value is None:
        return KeyringKey(None, answer.problem)
    try:
        key = bytes.fromhex(answer.value)
    except ValueError:
        return KeyringKey(None, "the keyring holds something that is not this binder's key")
    if not keyfile.matches(key):
        return KeyringKey(None, "the keyring holds a key for another binder")
    return KeyringKey(key, None)


def open_with_keyring(
    data_dir: Path, timeout: float | None = None
) -> tuple[Binder | None, str | None]:
    """The open binder, or None and why the passphrase is needed."""
    found = key_from_keyring(data_dir, timeout)
    if found.key is None:
        return None, found.problem
    return Binder.open(data_dir, found.key), None


def open_with_passphrase(data_dir: Path, passphrase: str, remember: bool = True) -> Binder:
    """Open with the recovery passphrase (raises `WrongPassphrase`).

    With `remember`, the key is put in the keyring when one is usable, so that the next
    start on this computer needs no passphrase (a new computer, a restored backup).
    """
    keyfile = load_keyfile(data_dir)
    key = keyfile.unwrap(passphrase)
    binder = Binder.open(data_dir, key)
    if remember:
        binder.remember_key()
    return binder
