"""Imaging speed and memory, as ratios against baselines measured in the same run.

- Import of a study (CAREBINDER_BENCH_IMAGES images of 512 KB, default 500: about 250 MB),
  disc read included, into a new binder, against copying the same files and hashing them
  (`shutil.copyfile` plus SHA-256). Target: at most 1.5 times.
- Export of the study into a bundle (the Imaging/ stretch, timed through the progress
  callback, and the whole bundle of the study and one small PDF) against `zipfile` storing
  the same files. Target: at most 1.3 times.
- Peak memory (VmHWM) of a process importing the study, then of one exporting it. Target:
  under 250 MB whatever the study's size.

Each time is the best of CAREBINDER_BENCH_ROUNDS rounds (default 3), ours and the baseline
taking turns. The import's CPU time (every thread of the process, `time.process_time`) is
printed beside the baseline's too: on a machine whose cores are all busy with other work,
a second thread gains nothing and the wall-clock ratio becomes the CPU ratio; the load is
printed so a figure can be read with it. The study is synced to the disk before anything is
timed, and each baseline's copies (or ZIP) deleted before our side runs, so the import's
sync does not write out what the bench itself left dirty. Prints figures; asserts nothing
about time. `make bench`.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from app.ingest.dicom_disc import read_disc
from app.records.imaging_import import import_disc
from app.records.people import add_person
from app.vault.binder import Binder
from app.vault.keys import KeyFile
from tests.conftest import PASSPHRASE, ROOT
from tests.dicom_files import ADA, image

IMAGES = int(os.environ.get("CAREBINDER_BENCH_IMAGES", "500"))
ROUNDS = int(os.environ.get("CAREBINDER_BENCH_ROUNDS", "3"))
SIDE = 512  # 512 x 512 x 16 bits: 512 KB, a CT slice

PEAK = r"""
import sys
from pathlib import Path
from app.vault.binder import Binder
data_dir, disc, key, what, target = sys.argv[1:6]
with Binder.open(Path(data_dir), bytes.fromhex(key)) as binder:
    person = binder.db.execute("SELECT id FROM people").fetchone()[0]
    if what == "import":
        from app.ingest.dicom_disc import read_disc
        from app.records.imaging_import import import_disc
        import_disc(binder, person, read_disc(Path(disc)))
    else:
        from app.export.bundle import build_bundle
        build_bundle(binder, person, Path(target))
print(next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM")))
"""


def make_study(folder: Path) -> list[Path]:
    import numpy as np
    from pydicom.uid import generate_uid

    folder.mkdir()
    study, series = generate_uid(), generate_uid()
    rng = np.random.default_rng(19)
    paths = []
    for number in range(IMAGES):
        pixels = rng.integers(0, 2000, (SIDE, SIDE), dtype=np.uint16).tobytes()
        ds = image(ADA, study, series, number + 1, rows=SIDE, columns=SIDE, pixels=pixels)
        path = folder / f"IM{number:06d}"
        ds.save_as(path, enforce_file_format=True)
        paths.append(path)
    return paths


def copy_and_hash(paths: list[Path], target: Path) -> tuple[float, float]:
    """(wall-clock time, CPU time)."""
    target.mkdir()
    start, cpu = time.perf_counter(), time.process_time()
    for path in paths:
        copied = target / path.name
        shutil.copyfile(path, copied)
        with open(copied, "rb") as handle:
            hashlib.file_digest(handle, "sha256").hexdigest()
    return time.perf_counter() - start, time.process_time() - cpu


def timed_import(folder: Path, data_dir: Path) -> tuple[float, float, float]:
    """(reading the disc's headers, storing its images, the CPU time of both): the window
    shows the list between the two."""
    binder = Binder.create(data_dir, PASSPHRASE)
    try:
        person = add_person(binder, "Ada Example", "1970-01-31")
        start, cpu = time.perf_counter(), time.process_time()
        disc = read_disc(folder)
        read = time.perf_counter()
        report = import_disc(binder, person.id, disc)
        stored = time.perf_counter()
        cpu = time.process_time() - cpu
        assert report.stored == IMAGES
    finally:
        binder.close()
    return read - start, stored - read, cpu


def load() -> str:
    """The machine's load: the run queue's average, and how much of the last ten seconds
    some task waited for a CPU (Linux's pressure figures), where the system says."""
    said = "load average {:.1f}, {:.1f}, {:.1f}".format(*os.getloadavg())
    with contextlib.suppress(OSError, IndexError, ValueError):
        line = Path("/proc/pressure/cpu").read_text().splitlines()[0]
        said += f"; CPU pressure {line.split()[1].split('=')[1]} %"
    return said


def zip_store(paths: list[Path], target: Path) -> float:
    start = time.perf_counter()
    with zipfile.ZipFile(target, "w", allowZip64=True) as archive:
        for path in paths:
            archive.write(path, f"Imaging/{path.name}", compress_type=zipfile.ZIP_STORED)
    return time.perf_counter() - start


def peak_mb(data_dir: Path, disc: Path, key: bytes, what: str, target: Path) -> float:
    done = subprocess.run(
        [sys.executable, "-c", PEAK, str(data_dir), str(disc), key.hex(), what, str(target)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    return int(done.stdout.strip()) / 1024


@pytest.mark.usefixtures("no_keyring")
def test_imaging_import_and_export_against_their_baselines(tmp_path: Path) -> None:
    from app.export.bundle import build_bundle
    from app.export.bundle_options import BundleOptions
    from tests.fixtures import make_pdf

    disc = tmp_path / "disc"
    paths = make_study(disc)
    size = sum(p.stat().st_size for p in paths)
    print(f"\nmachine: {os.cpu_count()} CPUs, {load()}")
    copy_and_hash(paths[:20], tmp_path / "warm")  # the page cache and the imports, both sides
    from app.ingest.dicom_picture import draw_picture

    draw_picture(str(paths[0]))  # the picture child is started once per session, not per disc

    # The study just written is on the disk before anything is timed, and the baseline's
    # copies are deleted before the import runs: the import's sync (syncfs: the whole file
    # system) would otherwise write out hundreds of megabytes neither side's work made.
    os.sync()
    ours, baseline = [], []
    for round_ in range(ROUNDS):
        baseline.append(copy_and_hash(paths, tmp_path / f"copy{round_}"))
        shutil.rmtree(tmp_path / f"copy{round_}")
        ours.append(timed_import(disc, tmp_path / f"binder{round_}"))
        if round_:
            shutil.rmtree(tmp_path / f"binder{round_}")
    scan = min(o[0] for o in ours)
    store = min(o[1] for o in ours)
    both = min(o[0] + o[1] for o in ours)
    cpu, base_wall, base_cpu = (
        min(o[2] for o in ours),
        min(b[0] for b in baseline),
        min(b[1] for b in baseline),
    )
    print(
        f"import of {IMAGES} images ({size / 1e6:.0f} MB): reading the disc {scan:.2f} s, "
        f"storing {store:.2f} s, both {both:.2f} s; copyfile + SHA-256 {base_wall:.2f} s; "
        f"ratios {store / base_wall:.2f} (storing) and {both / base_wall:.2f} (both), "
        f"target 1.5; CPU time {cpu:.2f} s against {base_cpu:.2f} s ({cpu / base_cpu:.2f})"
    )

    data_dir = tmp_path / "binder0"
    binder = Binder.open(data_dir, KeyFile.load(data_dir).unwrap(PASSPHRASE))
    from app.records.importer import import_bytes

    person = binder.db.execute("SELECT id FROM people").fetchone()[0]
    import_bytes(binder, person, make_pdf(None, "IMAGING REPORT\nIMPRESSION: ..."), "ct.pdf")
    stretch, whole, zipped = [], [], []
    for round_ in range(ROUNDS):
        zipped.append(zip_store(paths, tmp_path / f"zip{round_}.zip"))
        (tmp_path / f"zip{round_}.zip").unlink()  # as above: not left for the export's sync
        marks: dict[str, float] = {}

        def progress(done: int, total: int, what: str, marks: dict[str, float] = marks) -> None:
            if what.startswith("Imaging/") and "start" not in marks:
                marks["start"] = time.perf_counter()
            if what == "patient-summary.json":
                marks["end"] = time.perf_counter()

        start = time.perf_counter()
        build_bundle(binder, person, tmp_path / f"bundle{round_}.zip", BundleOptions(),
                     progress=progress)  # fmt: skip
        whole.append(time.perf_counter() - start)
        stretch.append(marks["end"] - marks["start"])
        (tmp_path / f"bundle{round_}.zip").unlink()
    key = KeyFile.load(data_dir).unwrap(PASSPHRASE)
    binder.close()
    print(
        f"export: Imaging/ {min(stretch):.2f} s, whole bundle {min(whole):.2f} s, zipfile "
        f"storing {min(zipped):.2f} s, ratios {min(stretch) / min(zipped):.2f} and "
        f"{min(whole) / min(zipped):.2f} (target 1.3)"
    )

    fresh = tmp_path / "fresh"
    binder = Binder.create(fresh, PASSPHRASE)
    add_person(binder, "Ada Example", "1970-01-31")
    import_bytes(binder, 1, make_pdf(None, "IMAGING REPORT"), "ct.pdf")
    fresh_key = KeyFile.load(fresh).unwrap(PASSPHRASE)
    binder.close()
    imported = peak_mb(fresh, disc, fresh_key, "import", tmp_path)
    exported = peak_mb(fresh, disc, fresh_key, "export", tmp_path / "peak.zip")
    print(f"peak memory: import {imported:.0f} MB, export {exported:.0f} MB (target 250)")
    print(f"machine: {load()}")
    del key
