"""OCR with the `tesseract` command (Debian `tesseract-ocr`), one page at a time.

Each page is drawn in memory (by the sandbox child) and piped to `tesseract stdin stdout`:
no image or text touches the disk. Where tesseract is missing, `available()` says so and the
document is kept as "not searchable yet" until it is installed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
import time
from collections.abc import Callable

from app.ingest.refusal import Refused
from app.ingest.sandbox import forbid_core_dumps
from app.progress import CancelFlag, Cancelled, Progress, no_progress

PAGE_TIME_LIMIT = 180.0  # seconds for one page; tesseract needs 2-5 s for a letter page
LANGUAGE = "eng"
_POLL = 0.2


def tesseract_path() -> str | None:
    """Where tesseract is, or None. `CAREBINDER_TESSERACT` overrides (empty: pretend absent)."""
    configured = os.environ.get("CAREBINDER_TESSERACT")
    if configured is not None:
        return shutil.which(configured) if configured else None
    return shutil.which("tesseract")


def available() -> bool:
    return tesseract_path() is not None


def recognise(image: bytes, dpi: int | None = None, cancel: CancelFlag | None = None) -> str:
    """The text tesseract reads in one page image (PGM, PNG, ...), passed through a pipe."""
    exe = tesseract_path()
    if exe is None:
        raise Refused("Text recognition (tesseract) is not installed.")
    command = [exe, "stdin", "stdout", "-l", LANGUAGE]
    if dpi:
        command += ["--dpi", str(dpi)]
    forbid_core_dumps()  # inherited by tesseract: no core file of a page it was reading
    process = subprocess.Popen(
        command,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=_environment(),
    )
    # Feed and drain the pipes on threads, so this thread can watch the clock and Cancel.
    output: list[bytes] = []
    feeder = threading.Thread(target=_feed, args=(process, image), daemon=True)
    reader = threading.Thread(target=_drain, args=(process, output), daemon=True)
    feeder.start()
    reader.start()
    deadline = time.monotonic() + PAGE_TIME_LIMIT
    while True:
        try:
            process.wait(_POLL)
            break
        except subprocess.TimeoutExpired:
            cancelled = cancel is not None and cancel.cancelled
            if cancelled or time.monotonic() > deadline:
                process.kill()
                process.wait()
                if cancelled:
                    raise Cancelled() from None
                raise Refused("Text recognition took too long on a page.") from None
    reader.join()
    out = b"".join(output)
    if process.returncode != 0:
        raise Refused("Text recognition could not read a page.")
    return out.decode("utf-8", errors="replace")


def _feed(process: subprocess.Popen[bytes], image: bytes) -> None:
    assert process.stdin is not None
    try:
        process.stdin.write(image)
        process.stdin.close()
    except (BrokenPipeError, OSError, ValueError):
        pass  # tesseract ended early (killed, or it refused the image): its exit code says


def _drain(process: subprocess.Popen[bytes], output: list[bytes]) -> None:
    assert process.stdout is not None
    output.append(process.stdout.read())


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    # tesseract's OpenMP threads spin against each other: one thread is several times faster
    # on a small machine, and pages are read one after another anyway.
    env.setdefault("OMP_THREAD_LIMIT", "1")
    return env


def recognise_pages(
    count: int,
    page_image: Callable[[int], tuple[bytes, int | None]],
    pages: list[int],
    progress: Progress = no_progress,
    cancel: CancelFlag | None = None,
) -> dict[int, str]:
    """OCR `pages` (indexes) one by one; `page_image(i)` draws page i.

    Progress counts the pages to read; a cancel raises `Cancelled` between or during pages.
    A page that cannot be drawn or read is left empty rather than failing the document.
    """
    texts: dict[int, str] = {}
    for done, index in enumerate(pages):
        if cancel is not None:
            cancel.raise_if_cancelled()
        progress(done, len(pages), f"reading page {index + 1} of {count}")
        try:
            image, dpi = page_image(index)
            texts[index] = recognise(image, dpi, cancel)
        except Refused:
            texts[index] = ""
    progress(len(pages), len(pages), "")
    return texts
