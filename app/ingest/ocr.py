"""OCR with the `tesseract` command (Debian `tesseract-ocr`): one page image in, its text and
its words (where each one is) out.

Each page is drawn and cleaned up in memory by a sandbox child (`page_cleanup`) and piped to
`tesseract stdin stdout ... tsv`: no image or text touches the disk. Which way up the page
is: its lines already run across, so it is upright or upside down; a first reading that
looks like nonsense (low confidence) asks tesseract's orientation detection (`--psm 0`),
and the page is turned and read again, the better reading kept. An upright page, most of
them, is read once.

Where tesseract is missing, `available()` says so and the document is kept as "not
searchable yet" until it is installed. Pages are read in parallel by `ocr_pool`.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass

from app.ingest.ocr_words import PageWords, Reading, parse_tsv, place
from app.ingest.page_cleanup import PreparedPage
from app.ingest.refusal import Refused
from app.progress import CancelFlag, Cancelled

PAGE_TIME_LIMIT = 180.0  # seconds for one tesseract run; a letter page needs 2-5 s
LANGUAGE = "eng"
_POLL = 0.1
# A first reading below this mean confidence, with this many letters, may be upside down.
DOUBTFUL = 70.0
ENOUGH_LETTERS = 12
_ROTATE = re.compile(r"Rotate:\s*(\d+)")


def tesseract_path() -> str | None:
    """Where tesseract is, or None. `CAREBINDER_TESSERACT` overrides (empty: pretend absent)."""
    configured = os.environ.get("CAREBINDER_TESSERACT")
    if configured is not None:
        return shutil.which(configured) if configured else None
    return shutil.which("tesseract")


def available() -> bool:
    return tesseract_path() is not None


@dataclass(frozen=True)
class PageResult:
    """One page read: its text and words, or `read` False when tesseract could not (its
    time limit, a crash): such a page counts as not searchable yet."""

    text: str
    words: PageWords | None
    read: bool = True


def run_tesseract(image: bytes, arguments: list[str], cancel: CancelFlag | None = None) -> str:
    """tesseract's output for one image passed through a pipe; its own time limit.

    Raises `Refused` when it fails or runs past `PAGE_TIME_LIMIT` (it is killed), and
    `Cancelled` (it is killed at once) when `cancel` is set.
    """
    exe = tesseract_path()
    if exe is None:
        raise Refused("Text recognition (tesseract) is not installed.")
    process = subprocess.Popen(
        [exe, "stdin", "stdout", *arguments],
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
                reader.join()
                if cancelled:
                    raise Cancelled() from None
                raise Refused("Text recognition took too long on a page.") from None
    reader.join()
    if process.returncode != 0:
        raise Refused("Text recognition could not read a page.")
    return b"".join(output).decode("utf-8", errors="replace")


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
    # One thread per tesseract: pages are read in parallel by processes instead, and
    # tesseract's OpenMP threads spin against each other (a page was 5x slower on 2 cores).
    env["OMP_THREAD_LIMIT"] = "1"
    return env


def _dpi(dpi: int | None) -> list[str]:
    return ["--dpi", str(dpi)] if dpi else []


def read_words(image: bytes, dpi: int | None, cancel: CancelFlag | None = None) -> Reading:
    return parse_tsv(run_tesseract(image, ["-l", LANGUAGE, *_dpi(dpi), "tsv"], cancel))


def upside(image: bytes, dpi: int | None, cancel: CancelFlag | None = None) -> int:
    """Degrees (0, 90, 180, 270) tesseract's orientation detection says the image must be
    turned clockwise to stand upright; 0 when it cannot tell (too few letters)."""
    try:
        found = _ROTATE.search(run_tesseract(image, ["--psm", "0", *_dpi(dpi)], cancel))
    except Refused:
        return 0
    return int(found.group(1)) % 360 if found else 0


def read_page(page: PreparedPage, index: int, cancel: CancelFlag | None = None) -> PageResult:
    """Read one prepared page; a page tesseract cannot read comes back with `read` False."""
    if page.blank:
        return PageResult("", PageWords(index, page.width, page.height, ()))
    try:
        image, turn = page.image, page.turn
        reading = read_words(image, page.dpi, cancel)
        if reading.quality < DOUBTFUL and reading.letters >= ENOUGH_LETTERS:
            clockwise = upside(image, page.dpi, cancel)
            if clockwise:
                turned = turn_pgm(image, clockwise)
                second = read_words(turned, page.dpi, cancel)
                if second.quality > reading.quality:
                    image, turn, reading = turned, turn - clockwise, second
    except Refused:
        return PageResult("", None, read=False)
    words = place(reading, turn, pgm_size(image), (page.width, page.height))
    return PageResult(reading.text, PageWords(index, page.width, page.height, words))


def pgm_size(image: bytes) -> tuple[int, int]:
    """Width and height from a binary PGM's header (as Pillow writes it)."""
    fields = image[:64].split(maxsplit=3)
    return int(fields[1]), int(fields[2])


def turn_pgm(image: bytes, clockwise: int) -> bytes:
    """The PGM (our own child's output, not a file from outside) turned clockwise."""
    import io

    from PIL import Image

    turns = {
        90: Image.Transpose.ROTATE_270,
        180: Image.Transpose.ROTATE_180,
        270: Image.Transpose.ROTATE_90,
    }
    with Image.open(io.BytesIO(image)) as picture:
        out = io.BytesIO()
        picture.transpose(turns[clockwise]).save(out, "PPM")
    return out.getvalue()
