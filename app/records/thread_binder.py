"""The same open binder, seen through a connection of the current thread's own.

A SQLCipher connection belongs to the thread that opened it. The desktop app keeps the
binder's own connection (`binder.db`) on the UI thread for short reads and single edits,
and runs long operations (import) on a worker that uses `on_this_thread(binder)`: every
records function works on the view unchanged, because it only reads `db`, `files` and
`transaction()`. The view shares the binder's file store and lock; closing it closes only
its own connection.
"""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Iterator

from app.vault.binder import Binder


@contextlib.contextmanager
def on_this_thread(binder: Binder) -> Iterator[Binder]:
    """A view of `binder` whose database connection belongs to the calling thread."""
    view = copy.copy(binder)
    view.db = binder.connect()
    try:
        yield view
    finally:
        view.db.close()
