"""`carebinder verify` on ZIPs built to hurt: each is refused with a clear message before
anything in it is decompressed (the bytes read out of it are counted: none), and the command
that refuses it stays under 100 MB of memory (the peak resident size of its process, as the
kernel reports it when the process ends). No clock is read: what keeps each refusal quick is
that nothing is unpacked, and that is what is asserted."""

from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from app.export import zip_guard
from app.export.verify import verify
from tests.conftest import ROOT
from tests.export import hostile_zips

MEMORY_LIMIT_MB = 100

HOSTILE: dict[str, tuple[Callable[[], bytes], str]] = {
    "a deflate bomb (1 GB of zeros in 1 MB)": (
        hostile_zips.deflate_bomb,
        "is built to unpack to an unsafe size (1.0 GB from 1.0 MB)",
    ),
    "the overlapping-entry bomb of CVE-2024-0450 (1 GB from 20 KB)": (
        hostile_zips.overlap_bomb,
        "overlap: it is damaged or built to unpack the same bytes many times",
    ),
    "an entry hidden in another's local header": (
        hostile_zips.hidden_in_extra_field,
        "The ZIP's entries a.txt and b.txt overlap",
    ),
    "a name that climbs out of the folder": (
        lambda: hostile_zips.with_names(["records/../../outside.txt"]),
        "unsafe path: 'records/../../outside.txt'",
    ),
    "an absolute name": (
        lambda: hostile_zips.with_names(["/etc/cron.d/evil"]),
        "unsafe path: '/etc/cron.d/evil'",
    ),
    "a Windows drive": (
        lambda: hostile_zips.with_names(["C:/Windows/evil.txt"]),
        "unsafe path: 'C:/Windows/evil.txt'",
    ),
    "a backslash path": (
        lambda: hostile_zips.with_names(["..\\evil.txt"]),
        "unsafe path",
    ),
    "100,000 entries": (
        lambda: hostile_zips.many_entries(100_000),
        "The ZIP holds 100,000 entries: far more than a bundle has",
    ),
    "a SHA256SUMS of 1 GB": (
        hostile_zips.sums_bomb,
        "SHA256SUMS would unpack to 1.0 GB: far more than a list of checksums",
    ),
}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile")
    made = {}
    for number, (what, (build, _)) in enumerate(HOSTILE.items()):
        path = folder / f"bundle-{number}.zip"
        path.write_bytes(build())
        made[what] = path
    return made


@pytest.mark.parametrize("what", list(HOSTILE))
def test_a_hostile_zip_is_refused_before_anything_is_unpacked(
    hostile: dict[str, Path], what: str
) -> None:
    report = verify(hostile[what])
    assert not report.ok
    assert HOSTILE[what][1] in (report.problem or "")
    assert report.unpacked == 0, "refused from its directory and headers alone"


# A small process starts the command and reads its peak memory from wait4. Started straight
# from the test run, the command's peak would count the test run's own memory too: a forked
# child starts as a copy of its parent, and the kernel keeps that peak across exec.
MEASURE = """
import os, subprocess, sys
child = subprocess.Popen(sys.argv[1:], stdout=sys.stdout, stderr=subprocess.STDOUT)
_, status, usage = os.wait4(child.pid, 0)
print(f"exit {os.waitstatus_to_exitcode(status)} peak {usage.ru_maxrss}", flush=True)
"""


def _verify_command(path: Path) -> tuple[int, str, float]:
    """`carebinder verify PATH` in a process of its own: its exit code, what it printed, and
    its peak resident memory in MB, as the kernel counted it for that process alone."""
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, sys.executable, "-m", "app", "verify", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        check=True,
    )
    printed, _, last = done.stdout.rstrip("\n").rpartition("\n")
    _, code, _, peak_kb = last.split()
    return int(code), printed, int(peak_kb) / 1024


@pytest.mark.parametrize("what", list(HOSTILE))
def test_the_verify_command_refuses_it_within_100_mb(hostile: dict[str, Path], what: str) -> None:
    code, printed, peak_mb = _verify_command(hostile[what])
    assert code == 1, printed
    assert HOSTILE[what][1] in printed
    assert peak_mb < MEMORY_LIMIT_MB, f"{what}: {peak_mb:.0f} MB at its peak"


def test_an_entry_never_yields_more_than_it_declares() -> None:
    read: list[int] = []
    entry = zip_guard.Bounded(io.BytesIO(b"x" * 100), 10, read.append)
    with pytest.raises(zip_guard.ZipRefused, match="more than it declares"):
        entry.read()
    assert sum(read) == 0, "not one byte past the declared size is handed on"
