"""Risky parsing (PDFs, images) in a child process with a time and a memory limit.

Real PDFs and images can make a parser loop for ever or allocate without bound; a crash in
pdfium or an image codec must not take the app down. So the parsing jobs run in one
long-lived child process (`python -m app.ingest.sandbox`), reused while it behaves and
killed when it runs out of time or dies. The memory limit is `resource.setrlimit(RLIMIT_AS)`
where the platform has it (Linux; macOS may refuse it); elsewhere only the time limit applies.

Arguments and results go over the child's stdin and stdout, never through a file: nothing of
the document is written to disk. Results are unpickled with an allow-list of the few types
the jobs return. A job is named "module:function" inside `app.ingest`, so the child runs only
this package's own functions. A plain subprocess rather than multiprocessing, because
multiprocessing's "spawn" re-runs the parent's main script in the child.
"""

from __future__ import annotations

import atexit
import builtins
import contextlib
import io
import os
import pickle
import queue
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from importlib import import_module
from typing import IO, Any

from app.ingest.refusal import Refused
from app.progress import CancelFlag, Cancelled

MEMORY_LIMIT = 2 << 30  # 2 GiB of address space: far above any sane page, below a bomb
START_TIMEOUT = 60.0  # a cold start on a slow machine imports pypdfium2 and Pillow
_POLL = 0.1  # how often a wait looks at the cancel flag
_HEADER = struct.Struct("<Q")
_EOF = object()
# What a job may return: the dataclasses below plus plain values.
_ALLOWED = {
    ("app.ingest.pdf_text", "PdfText"),
    ("app.ingest.images", "ImageInfo"),
    ("app.ingest.page_cleanup", "PreparedPage"),
}
_BUILTINS = {"tuple", "list", "dict", "str", "bytes", "int", "float", "bool", "frozenset", "set"}


class Crashed(Exception):
    """The child died during the job (a parser crash, or the memory limit)."""


class TimedOut(Exception):
    """The job ran past its time limit; the child was killed."""


class JobFailed(Exception):
    """The job raised an unexpected error in the child; `str()` names it."""


def _limit_memory(limit: int) -> None:
    try:
        import resource
    except ImportError:  # Windows: no rlimits; the time limit still applies
        return
    try:
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ValueError, OSError, AttributeError):  # macOS may refuse RLIMIT_AS
        pass


def _resolve(job: str) -> Callable[..., Any]:
    module_name, _, function = job.partition(":")
    if not module_name.startswith("app.ingest.") or not function.isidentifier():
        raise ValueError(f"not a job: {job}")
    target = getattr(import_module(module_name), function)
    if not callable(target):
        raise ValueError(f"not a job: {job}")
    return target


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if module == "builtins" and name in _BUILTINS:
            return getattr(builtins, name)
        if (module, name) in _ALLOWED:
            return getattr(import_module(module), name)
        raise pickle.UnpicklingError(f"{module}.{name} is not a job result")


def _send(stream: IO[bytes], message: object) -> None:
    payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(payload)))
    stream.write(payload)
    stream.flush()


def _read_exactly(stream: IO[bytes], size: int) -> bytes | None:
    chunks: list[bytes] = []
    while size:
        chunk = stream.read(size)
        if not chunk:
            return None
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def _receive(stream: IO[bytes], safe: bool) -> object:
    header = _read_exactly(stream, _HEADER.size)
    if header is None:
        return _EOF
    payload = _read_exactly(stream, _HEADER.unpack(header)[0])
    if payload is None:
        return _EOF
    if safe:
        return _Unpickler(io.BytesIO(payload)).load()
    return pickle.loads(payload)


def serve(memory_limit: int = MEMORY_LIMIT) -> None:
    """The child's loop: run jobs until the parent closes the pipe."""
    # The protocol owns the real stdout; anything a library prints goes to stderr instead.
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    source = sys.stdin.buffer
    _limit_memory(memory_limit)
    _send(out, ("ready", None))
    while True:
        message = _receive(source, safe=False)  # from our own parent
        if message is _EOF:
            return
        assert isinstance(message, tuple)
        job: str = str(message[0])
        args: tuple[Any, ...] = tuple(message[1])
        try:
            result = _resolve(job)(*args)
        except Refused as exc:
            reply: tuple[str, object] = ("refused", str(exc))
        except MemoryError:
            reply = ("memory", None)
        except Exception as exc:
            reply = ("error", f"{exc.__class__.__name__}: {exc}"[:500])
        else:
            reply = ("ok", result)
        del args, message
        try:
            _send(out, reply)
        except MemoryError:
            _send(out, ("memory", None))


class Sandbox:
    """One child process, reused between jobs; thread-safe (jobs run one at a time)."""

    def __init__(self, memory_limit: int = MEMORY_LIMIT) -> None:
        self.memory_limit = memory_limit
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._replies: queue.Queue[object] = queue.Queue()

    def call(
        self,
        job: str,
        *args: Any,
        timeout: float,
        cancel: CancelFlag | None = None,
    ) -> Any:
        """Run `job(*args)` in the child; its result, or the child's `Refused`.

        Raises `TimedOut`, `Crashed` (the child died), `JobFailed`, `MemoryError` or
        `Cancelled`; after a time-out or a cancel the child is killed, so the job stops
        at once and the next job gets a fresh child.
        """
        with self._lock:
            process = self._ensure_started()
            assert process.stdin is not None
            try:
                _send(process.stdin, (job, args))
            except (OSError, ValueError):
                self._stop()
                raise Crashed() from None
            deadline = time.monotonic() + timeout
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    self._stop()
                    raise TimedOut()
                try:
                    reply = self._replies.get(timeout=min(_POLL, remaining))
                    break
                except queue.Empty:
                    pass
                if cancel is not None and cancel.cancelled:
                    self._stop()
                    raise Cancelled() from None
            if not isinstance(reply, tuple):
                self._stop()
                raise Crashed()
        status, value = reply
        if status == "ok":
            return value
        if status == "refused":
            raise Refused(str(value))
        if status == "memory":
            self.close()  # a child that ran out of memory may be left in a poor state
            raise MemoryError()
        raise JobFailed(str(value))

    def close(self) -> None:
        with self._lock:
            self._stop()

    def _ensure_started(self) -> subprocess.Popen[bytes]:
        if self._process is not None and self._process.poll() is None:
            return self._process
        self._stop()
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
        process = subprocess.Popen(
            [sys.executable, "-m", "app.ingest.sandbox", str(self.memory_limit)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        replies: queue.Queue[object] = queue.Queue()
        threading.Thread(target=self._read_replies, args=(process, replies), daemon=True).start()
        self._process, self._replies = process, replies
        try:
            ready = replies.get(timeout=START_TIMEOUT)
        except queue.Empty:
            ready = None
        if ready != ("ready", None):
            self._stop()
            raise Crashed()
        return process

    @staticmethod
    def _read_replies(process: subprocess.Popen[bytes], replies: queue.Queue[object]) -> None:
        assert process.stdout is not None
        while True:
            try:
                message = _receive(process.stdout, safe=True)
            except Exception:
                message = _EOF
            replies.put(message)
            if message is _EOF:
                return

    def _stop(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        if process.poll() is None:
            process.kill()
        for stream in (process.stdin, process.stdout):
            try:
                if stream is not None:
                    stream.close()
            except OSError:
                pass
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(5)


_shared: dict[str, Sandbox] = {}
_shared_lock = threading.Lock()


def shared(name: str = "default") -> Sandbox:
    """A process-wide sandbox by name, started on first use and stopped at exit.

    "default" reads text; "thumbnails" draws first pages beside it.
    """
    with _shared_lock:
        if name not in _shared:
            box = Sandbox()
            _shared[name] = box
            atexit.register(box.close)
        return _shared[name]


if __name__ == "__main__":
    serve(int(sys.argv[1]) if len(sys.argv) > 1 else MEMORY_LIMIT)
