"""The binder's keys: one random data key, wrapped by the recovery passphrase in keys.json.

The data key (32 random bytes) never changes for the life of a binder. Everything else is
derived from it with HKDF, one key per use, so that the database key and the file key are
never the same bytes. keys.json holds the data key wrapped (AES-256-GCM) by a key derived
from the recovery passphrase with Argon2id, a memory-hard KDF, and says which keyring
backend holds the daily-use copy.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from app.vault.atomic import write_bytes
from app.vault.errors import BinderDamaged, BinderMissing, WrongPassphrase

KEYS_FILE = "keys.json"
KEYS_FORMAT = 1
MIN_PASSPHRASE_LENGTH = 8

# Argon2id with 128 MiB, 3 passes, 4 lanes: above RFC 9106's second recommendation
# (64 MiB), about 0.2 s here. Stored per binder so it can be raised later.
DEFAULT_KDF = {"name": "argon2id", "memory_kib": 131072, "iterations": 3, "lanes": 4}


def new_data_key() -> bytes:
    return os.urandom(32)


def subkey(data_key: bytes, purpose: str) -> bytes:
    """A 32-byte key for one purpose ("database", "files", "names"), derived from the data key."""
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=f"carebinder {purpose}".encode()
    ).derive(data_key)


def key_id(data_key: bytes) -> str:
    """A public fingerprint of the data key: tells a right key from a wrong one."""
    return hmac.new(data_key, b"carebinder key id", hashlib.sha256).hexdigest()[:32]


def passphrase_problem(passphrase: str) -> str | None:
    """Why a new recovery passphrase is not acceptable, or None when it is."""
    if len(passphrase.strip()) < MIN_PASSPHRASE_LENGTH:
        return f"The recovery passphrase needs at least {MIN_PASSPHRASE_LENGTH} characters."
    return None


def strength_hint(passphrase: str) -> str:
    """A plain-language hint on how hard the passphrase is to guess."""
    words = len(passphrase.split())
    length = len(passphrase)
    if length < MIN_PASSPHRASE_LENGTH:
        return "Too short"
    if words >= 4 or length >= 24:
        return "Strong: hard to guess, and easy for you to remember"
    if words >= 3 or length >= 16:
        return "Good"
    return "Weak: a few unrelated words make a stronger passphrase"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def _derive_wrapping_key(passphrase: str, salt: bytes, kdf: dict[str, Any]) -> bytes:
    if kdf.get("name") != "argon2id":
        raise BinderDamaged(f"keys.json names an unknown key derivation ({kdf.get('name')}).")
    return Argon2id(
        salt=salt,
        length=32,
        iterations=int(kdf["iterations"]),
        lanes=int(kdf["lanes"]),
        memory_cost=int(kdf["memory_kib"]),
    ).derive(passphrase.encode("utf-8"))


@dataclass
class KeyFile:
    """What keys.json holds. Nothing in it is secret without the passphrase."""

    binder_id: str
    key_id: str
    kdf: dict[str, Any]
    salt: bytes
    nonce: bytes
    wrapped_key: bytes
    keyring_backend: str | None = None
    created: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))

    @classmethod
    def wrap(cls, data_key: bytes, passphrase: str, binder_id: str | None = None) -> KeyFile:
        binder_id = binder_id or str(uuid.uuid4())
        salt, nonce = os.urandom(16), os.urandom(12)
        kdf = dict(DEFAULT_KDF)
        wrapping = _derive_wrapping_key(passphrase, salt, kdf)
        wrapped = AESGCM(wrapping).encrypt(nonce, data_key, binder_id.encode())
        return cls(binder_id, key_id(data_key), kdf, salt, nonce, wrapped)

    def unwrap(self, passphrase: str) -> bytes:
        """The data key, or `WrongPassphrase`."""
        wrapping = _derive_wrapping_key(passphrase, self.salt, self.kdf)
        try:
            data_key = AESGCM(wrapping).decrypt(
                self.nonce, self.wrapped_key, self.binder_id.encode()
            )
        except InvalidTag:
            raise WrongPassphrase("That recovery passphrase does not open this binder.") from None
        if key_id(data_key) != self.key_id:
            raise BinderDamaged(
                "keys.json is inconsistent: its key does not match its fingerprint."
            )
        return data_key

    def rewrap(self, data_key: bytes, new_passphrase: str) -> KeyFile:
        """The same data key under a new passphrase (the binder itself is unchanged)."""
        fresh = KeyFile.wrap(data_key, new_passphrase, self.binder_id)
        fresh.keyring_backend = self.keyring_backend
        fresh.created = self.created
        return fresh

    def matches(self, data_key: bytes) -> bool:
        return hmac.compare_digest(key_id(data_key), self.key_id)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": KEYS_FORMAT,
            "binder_id": self.binder_id,
            "key_id": self.key_id,
            "kdf": self.kdf,
            "salt": _b64(self.salt),
            "nonce": _b64(self.nonce),
            "wrapped_key": _b64(self.wrapped_key),
            "keyring_backend": self.keyring_backend,
            "created": self.created,
        }

    def save(self, data_dir: Path) -> None:
        text = json.dumps(self.to_json(), indent=2) + "\n"
        write_bytes(data_dir / KEYS_FILE, text.encode("utf-8"))

    @classmethod
    def from_json(cls, raw: Any) -> KeyFile:
        """Parse what `to_json` wrote; raises ValueError when it is not that."""
        try:
            if raw["format"] != KEYS_FORMAT:
                raise ValueError("a format this CareBinder does not know")
            return cls(
                binder_id=str(raw["binder_id"]),
                key_id=str(raw["key_id"]),
                kdf=dict(raw["kdf"]),
                salt=_unb64(raw["salt"]),
                nonce=_unb64(raw["nonce"]),
                wrapped_key=_unb64(raw["wrapped_key"]),
                keyring_backend=raw.get("keyring_backend"),
                created=str(raw.get("created", "")),
            )
        except (KeyError, TypeError, AttributeError) as exc:
            raise ValueError(exc.__class__.__name__) from None

    @classmethod
    def load(cls, data_dir: Path) -> KeyFile:
        path = data_dir / KEYS_FILE
        try:
            raw = json.loads(path.read_text("utf-8"))
        except FileNotFoundError:
            raise BinderMissing(f"There is no binder in {data_dir}.") from None
        except (OSError, ValueError) as exc:
            raise BinderDamaged(f"{path} cannot be read ({exc.__class__.__name__}).") from exc
        try:
            return cls.from_json(raw)
        except ValueError as exc:
            raise BinderDamaged(f"{path} is damaged ({exc}).") from None
