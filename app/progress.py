"""How long operations report progress and learn they are cancelled, in every layer.

A long operation (import, OCR, export, backup) is a plain function that takes a
`Progress` callback and a `CancelFlag`. The UI runs it on a worker and turns the callback
into signals; the CLI prints a text bar; tests pass nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

# (done, total, what): `what` is a short label such as a file name, never document text.
Progress = Callable[[int, int, str], None]


def no_progress(done: int, total: int, what: str) -> None:
    """The progress callback for callers that show none."""


class Cancelled(Exception):
    """The user cancelled; what finished before stays, nothing is half-done."""


class CancelFlag:
    """Set from any thread; checked by the operation between steps."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise Cancelled()
