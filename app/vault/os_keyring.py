"""The daily-use copy of the data key, kept in the operating system's keyring.

The keyring may be absent (a headless Linux), locked, slow to answer, or may answer "no
password" for a locked wallet. Every call here is time-limited and failing closed: when the
keyring cannot give the key, the caller asks for the recovery passphrase. A backend is used
only when keyring itself recommends it, so a plaintext-file keyring is never written to.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

SERVICE = "CareBinder"
DEFAULT_TIMEOUT = 5.0
# Backends that keep secrets in a file we could just as well write ourselves: never used.
_REFUSED_BACKENDS = ("keyrings.alt", "keyring.backends.null", "keyring.backends.fail")

T = TypeVar("T")


@dataclass(frozen=True)
class KeyringAnswer:
    """What the keyring said: a value, or why there is none (in plain words)."""

    value: str | None
    backend: str | None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


def _backend() -> tuple[Any, str | None, str | None]:
    """The backend to use, its name, and why it cannot be used (when it cannot)."""
    import keyring
    import keyring.core

    try:
        backend = keyring.get_keyring()
    except Exception as exc:  # a broken keyring configuration must not stop the app
        return None, None, f"the keyring could not be loaded ({exc.__class__.__name__})"
    name = f"{type(backend).__module__}.{type(backend).__name__}"
    if name.startswith(_REFUSED_BACKENDS) or not keyring.core.recommended(backend):
        return None, name, "no system keyring is available"
    return backend, name, None


def _limited(call: Callable[[], T], timeout: float | None) -> tuple[T | None, str | None]:
    """Run `call` on a helper thread; give up after `timeout` seconds (None: the default).

    A keyring that shows an unlock prompt or waits on D-Bus must not block the window; a
    thread that never returns is left behind as a daemon.
    """
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = call()
        except Exception as exc:
            box["error"] = exc

    thread = threading.Thread(target=run, name="keyring", daemon=True)
    thread.start()
    # DEFAULT_TIMEOUT is read at call time, so it can be changed after import.
    thread.join(DEFAULT_TIMEOUT if timeout is None else timeout)
    if thread.is_alive():
        return None, "the keyring did not answer in time"
    if "error" in box:
        exc = box["error"]
        return None, f"the keyring refused ({exc.__class__.__name__}: {exc})"
    return box.get("value"), None


def store(binder_id: str, secret: str, timeout: float | None = None) -> KeyringAnswer:
    backend, name, problem = _backend()
    if backend is None:
        return KeyringAnswer(None, name, problem)
    _, problem = _limited(lambda: backend.set_password(SERVICE, binder_id, secret), timeout)
    return KeyringAnswer(None, name, problem)


def fetch(binder_id: str, timeout: float | None = None) -> KeyringAnswer:
    backend, name, problem = _backend()
    if backend is None:
        return KeyringAnswer(None, name, problem)
    value, problem = _limited(lambda: backend.get_password(SERVICE, binder_id), timeout)
    if problem is None and not value:
        problem = "the keyring holds no key for this binder (or it is locked)"
    return KeyringAnswer(value if problem is None else None, name, problem)


def forget(binder_id: str, timeout: float | None = None) -> KeyringAnswer:
    backend, name, problem = _backend()
    if backend is None:
        return KeyringAnswer(None, name, problem)
    _, problem = _limited(lambda: backend.delete_password(SERVICE, binder_id), timeout)
    return KeyringAnswer(None, name, problem)
