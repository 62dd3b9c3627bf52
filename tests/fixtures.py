"""Small real files made by the tests themselves (PDFs with reportlab, images with Qt-free
bytes), so no test depends on files nobody here wrote."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path


def make_pdf(path: Path | None, *pages: str, compress: bool = True) -> bytes:
    """A real PDF with one page per string; written to `path` when given. Without
    `compress`, its page text is stored as it is (its words are in its bytes)."""
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out, pageCompression=None if compress else 0)  # None: the default
    for text in pages or ("",):
        y = 760
        for line in text.splitlines() or [""]:
            pdf.drawString(72, y, line)
            y -= 16
        pdf.showPage()
    pdf.save()
    data = out.getvalue()
    if path is not None:
        path.write_bytes(data)
    return data


def make_wav(path: Path | None, seconds: float = 0.25, pitch: int = 440) -> bytes:
    """A real WAV recording (a quiet tone, mono 8 kHz) made with the stdlib `wave` module."""
    import math
    import wave

    out = io.BytesIO()
    with wave.open(out, "wb") as recording:
        recording.setnchannels(1)
        recording.setsampwidth(2)
        recording.setframerate(8000)
        samples = (
            int(3000 * math.sin(2 * math.pi * pitch * i / 8000)) for i in range(int(8000 * seconds))
        )
        recording.writeframes(b"".join(s.to_bytes(2, "little", signed=True) for s in samples))
    data = out.getvalue()
    if path is not None:
        path.write_bytes(data)
    return data


def make_encrypted_pdf(path: Path, text: str, password: str) -> bytes:
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out, encrypt=pdfencrypt.StandardEncryption(password, canPrint=1))
    pdf.drawString(72, 760, text)
    pdf.showPage()
    pdf.save()
    path.write_bytes(out.getvalue())
    return out.getvalue()


def mount(*args: str) -> bool:
    done = subprocess.run(["mount", *args], capture_output=True, check=False)
    return done.returncode == 0


@contextlib.contextmanager
def small_disk(where: Path, size: str) -> Iterator[Path]:
    """A tmpfs of `size` mounted at `where` (root only: the test skips elsewhere)."""
    where.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0 or not mount(
        "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(where)
    ):
        from tests.conftest import need

        # CI runs as root: there a tmpfs that cannot be mounted is a failure, not a skip.
        need(False, "this machine does not let the tests mount a small tmpfs (needs root)")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def fill_disk(disk: Path) -> Path:
    """Write a filler file until the disk is full; returns it (delete it to free the disk)."""
    filler = disk / "filler"
    # Unbuffered, so nothing is left to flush (and fail) when the file is closed.
    with open(filler, "wb", buffering=0) as out:
        for block in (65536, 4096, 1):
            with contextlib.suppress(OSError):
                while True:
                    out.write(b"\0" * block)
    return filler
