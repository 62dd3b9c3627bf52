"""A crashing parser or OCR program writes no core file: a core would hold the decrypted
pages it was reading. The parser sandbox's child and tesseract run with RLIMIT_CORE 0."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from app.ingest.images import read_image
from app.ingest.sandbox import Sandbox
from tests.conftest import ROOT, need


def _core_limit(pid: int) -> str:
    for line in Path(f"/proc/{pid}/limits").read_text().splitlines():
        if line.startswith("Max core file size"):
            return " ".join(line.split()[4:6])  # soft and hard
    raise AssertionError("no core limit in /proc")


def _png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), (255, 255, 255)).save(out, "PNG")
    return out.getvalue()


def test_the_parser_sandbox_child_may_not_dump_core() -> None:
    need(sys.platform.startswith("linux"), "/proc/PID/limits is Linux's")
    box = Sandbox()
    try:
        assert read_image(_png(), sandbox=box).frames == 1  # the child is up, and works
        assert box.pid is not None and box.pid != os.getpid()
        assert _core_limit(box.pid) == "0 0"
    finally:
        box.close()


def test_tesseract_runs_with_no_core_dumps(tmp_path: Path) -> None:
    need(sys.platform != "win32", "core limits are POSIX")
    # A stand-in for tesseract that answers with the core limit it was started with.
    spy = tmp_path / "tesseract"
    spy.write_text('#!/bin/sh\ncat >/dev/null\necho "core limit $(ulimit -c) $(ulimit -H -c)"\n')
    spy.chmod(spy.stat().st_mode | stat.S_IXUSR)
    # In a process of its own, whose limits nothing else in the test run has touched.
    code = "from app.ingest import ocr; print(ocr.run_tesseract(b'P5 1 1 255 \\xff', []).strip())"
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, "CAREBINDER_TESSERACT": str(spy)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == "core limit 0 0"
