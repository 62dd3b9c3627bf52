"""The one way the window runs work off the UI thread.

    job = run_job(fn, on_done=..., on_error=..., on_progress=...)
    job.cancel()

`fn(progress, cancel)` is a plain function: it runs on a `QThreadPool` worker and reports
through `progress(done, total, label)` and checks `cancel` (app.progress). Every callback is
delivered on the UI thread (queued signals to an object living there), so callbacks may
touch widgets; `fn` never may.

Database rule: the binder's own connection (`binder.db`) stays on the UI thread. A job that
needs the database opens its own connection with `app.records.thread_binder.on_this_thread`
inside `fn`; a job that only needs stored files may use `binder.files` directly.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QThreadPool, Signal, Slot

from app.progress import CancelFlag, Cancelled, Progress

JobFunction = Callable[[Progress, CancelFlag], Any]


class _Relay(QObject):
    """Lives on the UI thread: the worker emits, and these slots run there (queued)."""

    progress = Signal(int, int, str)
    done = Signal(object)
    failed = Signal(object)
    cancelled = Signal()

    def __init__(self) -> None:
        # Parented to the application, so the C++ object is never deleted by Python's garbage
        # collector, which may run on the worker thread; run_job deletes it with deleteLater
        # on the UI thread once the job has finished.
        super().__init__(QCoreApplication.instance())
        self.on_done: Callable[[Any], None] | None = None
        self.on_error: Callable[[Exception], None] | None = None
        self.on_progress: Callable[[int, int, str], None] | None = None
        self.on_cancelled: Callable[[], None] | None = None
        self.on_finish: Callable[[], None] = lambda: None
        self.progress.connect(self._progress)
        self.done.connect(self._done)
        self.failed.connect(self._failed)
        self.cancelled.connect(self._cancelled)

    @Slot(int, int, str)
    def _progress(self, done: int, total: int, label: str) -> None:
        if self.on_progress is not None:
            self.on_progress(done, total, label)

    @Slot(object)
    def _done(self, result: object) -> None:
        self.on_finish()
        if self.on_done is not None:
            self.on_done(result)

    @Slot(object)
    def _failed(self, exc: object) -> None:
        self.on_finish()
        error = exc if isinstance(exc, Exception) else RuntimeError(str(exc))
        if self.on_error is None:
            raise error  # never lost silently: Qt's exception hook reports it
        self.on_error(error)

    @Slot()
    def _cancelled(self) -> None:
        self.on_finish()
        if self.on_cancelled is not None:
            self.on_cancelled()


class Job:
    """A running job. Keep a reference if you may cancel it.

    A plain object, not a QRunnable: the pool runs `run` through its own runnable, so no
    C++ object of ours can be freed by Python while the pool still touches it after `run`
    returns (that race crashed the test run now and then).
    """

    def __init__(self, fn: JobFunction) -> None:
        self.fn = fn
        self.flag = CancelFlag()
        self.relay = _Relay()  # created on the UI thread, so its slots run there
        self.finished = False

    def cancel(self) -> None:
        self.flag.cancel()

    def run(self) -> None:
        try:
            result = self.fn(self.relay.progress.emit, self.flag)
        except Cancelled:
            self.relay.cancelled.emit()
        except Exception as exc:  # shown to the user by on_error; never lost silently
            self.relay.failed.emit(exc)
        else:
            self.relay.done.emit(result)


_running: set[Job] = set()


def run_job(
    fn: JobFunction,
    on_done: Callable[[Any], None] | None = None,
    on_error: Callable[[Exception], None] | None = None,
    on_progress: Callable[[int, int, str], None] | None = None,
    on_cancelled: Callable[[], None] | None = None,
    pool: QThreadPool | None = None,
) -> Job:
    """Start `fn` on a worker; the callbacks run later on the UI thread."""
    job = Job(fn)
    _running.add(job)

    def finish() -> None:
        job.finished = True
        _running.discard(job)
        job.relay.deleteLater()  # on the UI thread, after the slot that called us

    relay = job.relay
    relay.on_done, relay.on_error = on_done, on_error
    relay.on_progress, relay.on_cancelled = on_progress, on_cancelled
    relay.on_finish = finish
    (pool or QThreadPool.globalInstance()).start(job.run)
    return job


def wait_for_jobs(timeout_ms: int = 30000) -> bool:
    """Block until every job has left the pool (used at exit, before the binder closes)."""
    return QThreadPool.globalInstance().waitForDone(timeout_ms)
