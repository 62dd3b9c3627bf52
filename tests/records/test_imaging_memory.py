"""A 2 GB study, made here from small images, imports with flat memory, progress and Cancel.

Each import runs in a child process that opens the binder with its raw key (no Argon2id,
whose 128 MiB would hide everything else) and prints its own peak RSS (VmHWM) at the end.
The same import of an eighth of the study is the baseline: memory must not grow with the
study's size. No time is measured.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from app.vault.binder import Binder
from app.vault.keys import KeyFile
from tests.conftest import PASSPHRASE, ROOT, need
from tests.dicom_files import ADA, image

IMAGE_SIDE = 2048  # 8 MiB of pixels an image
BIG_IMAGES = 256  # 2 GiB
SMALL_IMAGES = 32  # 256 MiB

CHILD = r"""
import json, sys
from pathlib import Path
from app.ingest.dicom_disc import read_disc
from app.progress import CancelFlag
from app.records.imaging_import import import_disc
from app.vault.binder import Binder

data_dir, disc_folder, key_hex, stop_at = sys.argv[1:5]
flag = CancelFlag()
calls = []

def progress(done, total, label):
    calls.append(done)
    if done == int(stop_at):
        flag.cancel()

with Binder.open(Path(data_dir), bytes.fromhex(key_hex)) as binder:
    person = binder.db.execute("SELECT id FROM people").fetchone()[0]
    report = import_disc(binder, person, read_disc(Path(disc_folder)), progress, flag)
    peak = next(
        int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM")
    )
    print(json.dumps({
        "stored": report.stored, "cancelled": report.cancelled, "peak_kb": peak,
        "progress_calls": len(calls), "last_total": report.stored + report.not_reached,
        "whole": binder.check().ok,
    }))
"""


def make_study(folder: Path, images: int) -> None:
    from pydicom.uid import generate_uid

    folder.mkdir()
    study, series = generate_uid(), generate_uid()
    pixels = bytearray(IMAGE_SIDE * IMAGE_SIDE * 2)
    for number in range(images):
        pixels[:4] = number.to_bytes(4, "little")
        ds = image(ADA, study, series, number + 1, rows=IMAGE_SIDE, columns=IMAGE_SIDE,
                   pixels=bytes(pixels))  # fmt: skip
        ds.save_as(folder / f"IM{number:06d}", enforce_file_format=True)


def run_import(data_dir: Path, disc: Path, key: bytes, stop_at: int) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(data_dir), str(disc), key.hex(), str(stop_at)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=900,
        check=True,
    )
    result: dict[str, object] = json.loads(done.stdout)
    return result


@pytest.mark.breaks_binder  # its 2 GB of stored images are deleted at the end
def test_a_2_gb_study_imports_with_flat_memory_progress_and_cancel(
    binder: Binder, tmp_path: Path
) -> None:
    need(sys.platform.startswith("linux"), "peak memory is read from /proc (Linux)")
    key = KeyFile.load(binder.data_dir).unwrap(PASSPHRASE)
    data_dir = binder.data_dir
    small, big = tmp_path / "small", tmp_path / "big"
    make_study(small, SMALL_IMAGES)
    make_study(big, BIG_IMAGES)
    assert sum(p.stat().st_size for p in big.iterdir()) > 2 << 30
    binder.close()  # the child holds the binder's lock

    baseline = run_import(data_dir, small, key, stop_at=-1)
    assert baseline["stored"] == SMALL_IMAGES and baseline["whole"]
    # The big one is cancelled while its last but one image is being kept: that one
    # finishes, the last is not read, everything before stays.
    result = run_import(data_dir, big, key, stop_at=BIG_IMAGES - 2)
    assert result["cancelled"] and result["whole"]
    assert result["stored"] == BIG_IMAGES - 1
    assert result["last_total"] == BIG_IMAGES
    assert result["progress_calls"] == BIG_IMAGES  # one a file read, and the end
    peak_mb, base_mb = int(str(result["peak_kb"])) / 1024, int(str(baseline["peak_kb"])) / 1024
    print(f"peak RSS: 256 MiB study {base_mb:.0f} MB, 2 GiB study {peak_mb:.0f} MB")
    assert peak_mb < 250
    assert peak_mb - base_mb < 40  # eight times the images, the same memory

    with Binder.open(data_dir, key) as reopened:
        stored = reopened.db.execute("SELECT count(*) FROM imaging_instances").fetchone()[0]
        assert stored == SMALL_IMAGES + BIG_IMAGES - 1
    for folder in (small, big, data_dir / "files"):
        shutil.rmtree(folder)  # 4 GB less on the disk for the tests that follow
