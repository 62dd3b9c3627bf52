"""Pages read on every core: as many single-threaded tesseract processes as there are
cores (one core left for the window when there are more than two).

The process holds a fixed number of reading places ("slots"), shared by every document
being read at the same time, so two scans read side by side by an import never run more
tesseracts than cores. Each slot has its own sandbox child that draws and cleans up its
pages (`page_cleanup`), with the document loaded in it once; a page is drawn only when a
slot is free to read it, so memory holds at most one page per slot however long the scan.

The results come back by page index, so the text's order never depends on which page
finished first. Progress counts pages and is reported on the calling thread. Cancel stops
every slot's child and tesseract (each polls the flag every tenth of a second and kills its
process), and `read_pages` returns only after every one of its threads has ended.
"""

from __future__ import annotations

import contextlib
import os
import queue
import secrets
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from app.ingest import ocr
from app.ingest.page_cleanup import NOT_LOADED, PreparedPage
from app.ingest.refusal import Refused
from app.ingest.sandbox import Crashed, JobFailed, TimedOut, shared
from app.progress import CancelFlag, Cancelled, Progress, no_progress

DRAW_TIME_LIMIT = 60.0  # seconds to draw and clean up one page in a child
_POLL = 0.1


def worker_count() -> int:
    """How many pages are read at once: the cores this process may use, less one for the
    window when there are more than two. `CAREBINDER_OCR_WORKERS` overrides."""
    configured = os.environ.get("CAREBINDER_OCR_WORKERS", "").strip()
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        cores = os.cpu_count() or 1
    return cores if cores <= 2 else cores - 1


@dataclass(frozen=True)
class PageSource:
    """How a child draws a document's pages: the job, the document's bytes, and the job's
    arguments between the bytes and the page index (a password and a resolution, say)."""

    job: str
    data: bytes
    arguments: tuple[Any, ...]


class _Slots:
    """The reading places of this process; each is taken by one thread at a time."""

    def __init__(self, count: int) -> None:
        self.count = count
        self._free: queue.Queue[int] = queue.Queue()
        self.loaded: dict[int, str] = {}  # slot -> key of the document its child holds
        for slot in range(count):
            self._free.put(slot)

    def take(self, cancel: CancelFlag | None) -> int:
        while True:
            if cancel is not None:
                cancel.raise_if_cancelled()
            try:
                return self._free.get(timeout=_POLL)
            except queue.Empty:
                continue

    def give(self, slot: int) -> None:
        self._free.put(slot)


_slots: _Slots | None = None
_slots_lock = threading.Lock()


def _the_slots() -> _Slots:
    global _slots
    with _slots_lock:
        if _slots is None:
            _slots = _Slots(worker_count())
        return _slots


def read_pages(
    source: PageSource,
    pages: Sequence[int],
    progress: Progress = no_progress,
    cancel: CancelFlag | None = None,
    clean: bool = True,
    at_most: int | None = None,
) -> dict[int, ocr.PageResult]:
    """Read `pages` (0-based indexes) of the document `source` draws, in parallel (on at
    most `at_most` slots at once, when given).

    `progress(done, len(pages), "reading page n of N")` after each page, on this thread.
    A page that cannot be drawn or read comes back unread (`read` False) rather than
    failing the document. Raises `Cancelled` once every thread has stopped.
    """
    slots = _the_slots()
    todo = iter(list(pages))
    lock = threading.Lock()
    results: dict[int, ocr.PageResult] = {}
    finished: queue.Queue[int] = queue.Queue()
    failures: list[BaseException] = []
    key = secrets.token_hex(8)
    stop = threading.Event()

    def next_page() -> int | None:
        with lock:
            return None if stop.is_set() else next(todo, None)

    def work() -> None:
        try:
            slot = slots.take(cancel)
        except Cancelled:
            return
        try:
            while (index := next_page()) is not None:
                page = _draw(slots, slot, key, source, index, clean, cancel)
                result = (
                    ocr.read_page(page, index, cancel)
                    if page is not None
                    else ocr.PageResult("", None, read=False)
                )
                with lock:
                    results[index] = result
                finished.put(index)
        except Cancelled:
            stop.set()
        except BaseException as exc:  # a bug, not a bad page: raised on the caller's thread
            failures.append(exc)
            stop.set()
        finally:
            _forget(slots, slot, key)
            slots.give(slot)

    count = min(len(pages), slots.count, at_most or slots.count)
    threads = [
        threading.Thread(target=work, name=f"carebinder-ocr-{n}", daemon=True) for n in range(count)
    ]
    for thread in threads:
        thread.start()
    done = 0
    total = len(pages)
    if total:
        progress(0, total, f"reading page 1 of {total}")
    while any(thread.is_alive() for thread in threads) or not finished.empty():
        try:
            finished.get(timeout=_POLL)
        except queue.Empty:
            continue
        done += 1
        progress(done, total, f"reading page {min(done + 1, total)} of {total}")
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
    if cancel is not None:
        cancel.raise_if_cancelled()
    if stop.is_set():
        raise Cancelled()
    progress(total, total, "")
    return results


def _draw(
    slots: _Slots,
    slot: int,
    key: str,
    source: PageSource,
    index: int,
    clean: bool,
    cancel: CancelFlag | None,
) -> PreparedPage | None:
    """The page drawn and cleaned up by the slot's child; None when it cannot be."""
    box = shared(f"ocr-{slot}")
    for attempt in range(2):
        data = source.data if slots.loaded.get(slot) != key or attempt else None
        try:
            page: PreparedPage = box.call(
                source.job,
                key,
                data,
                *source.arguments,
                index,
                clean,
                timeout=DRAW_TIME_LIMIT,
                cancel=cancel,
            )
        except JobFailed as exc:
            slots.loaded.pop(slot, None)
            if NOT_LOADED in str(exc) and not attempt:
                continue  # the child was restarted since: send the document again
            return None
        except (Refused, Crashed, TimedOut, MemoryError):
            slots.loaded.pop(slot, None)
            return None
        except Cancelled:
            slots.loaded.pop(slot, None)  # the child was killed, and the document with it
            raise
        slots.loaded[slot] = key
        return page
    return None


def _forget(slots: _Slots, slot: int, key: str) -> None:
    """Let the slot's child drop the document (its bytes may be large)."""
    if slots.loaded.pop(slot, None) != key:
        return
    with contextlib.suppress(Exception):
        shared(f"ocr-{slot}").call("app.ingest.page_cleanup:forget_job", timeout=DRAW_TIME_LIMIT)
