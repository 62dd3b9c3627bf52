"""A process killed in the middle of an import: the binder opens, `check` passes once the
reconciler has run, every document the process reported as saved is there, no orphan stays.

A child process imports a folder of 40 PDFs one file at a time and prints each document's
id and checksum as soon as its transaction has committed. It is killed with SIGKILL, five
times, each time with a new folder: after a random number of saved files plus a random few
milliseconds, drawn from a seeded generator so that a failure can be replayed. Counting
saved files (rather than waiting a fixed time) makes every kill land inside the import.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from app.records.documents import get_document, list_documents, read_original
from app.records.people import add_person
from app.vault.binder import Binder
from app.vault.unlock import open_with_passphrase
from tests.conftest import PASSPHRASE
from tests.fixtures import make_pdf

ROOT = Path(__file__).resolve().parents[2]  # the repository

CHILD = """
import sys
from pathlib import Path

from app.records.importer import Outcome, import_file
from app.records.people import find_person
from app.vault.unlock import open_with_passphrase

data_dir, folder, passphrase = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
with open_with_passphrase(data_dir, passphrase, remember=False) as binder:
    person = find_person(binder, None).id
    print("open", flush=True)
    for path in sorted(folder.iterdir()):
        result = import_file(binder, person, path)
        if result.status is Outcome.OK:
            print(f"saved {result.document.id} {result.document.sha256}", flush=True)
print("done", flush=True)
"""

ROUNDS = 5
FILES = 40


def _make_folder(folder: Path, round_number: int) -> None:
    folder.mkdir()
    for i in range(FILES):
        # Padding past the PDF's end makes each write take a while, so a kill can land in
        # the middle of writing a stored file as well as between transactions.
        pad = os.urandom(100_000 + 40_000 * (i % 5))
        data = make_pdf(None, f"Round {round_number}, record number {i}") + b"\n%" + pad
        (folder / f"round-{round_number}-record-{i:02d}.pdf").write_bytes(data)


def _run_and_kill(data_dir: Path, folder: Path, after_saved: int, then_wait: float) -> list[str]:
    """Start the child; kill it once it has saved `after_saved` files and `then_wait` s more."""
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(data_dir), str(folder), PASSPHRASE],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        env=dict(os.environ),
    )
    assert child.stdout is not None
    lines = [child.stdout.readline().decode()]
    assert lines[0] == "open\n", "the child could not open the binder"
    while len(lines) <= after_saved:
        line = child.stdout.readline().decode()
        assert line, "the child stopped by itself"
        lines.append(line)
    time.sleep(then_wait)  # not a wait for anything: a random moment to kill at
    child.send_signal(signal.SIGKILL)
    # Read the rest through the same buffered reader: `communicate(timeout=...)` reads the
    # pipe underneath it and would drop what `readline` had already buffered.
    rest = child.stdout.read()
    assert child.wait() == -signal.SIGKILL, "the child stopped by itself"
    lines += rest.decode().splitlines(keepends=True)
    assert "done\n" not in lines, "the child finished before it was killed"
    # A line cut short by the kill was never a promise: only whole lines count.
    return [line for line in lines if line.endswith("\n")]


def test_an_import_killed_at_random_moments_loses_nothing_it_reported_saved(
    data_dir: Path, tmp_path: Path, no_keyring: None
) -> None:
    with Binder.create(data_dir, PASSPHRASE) as binder:
        add_person(binder, "Ada Example")

    chance = random.Random(20261123)
    reported: dict[int, str] = {}
    folders = []
    for round_number in range(ROUNDS):
        folder = tmp_path / f"records-{round_number}"
        _make_folder(folder, round_number)
        folders.append(folder)
        after_saved = chance.randrange(0, FILES - 10)
        lines = _run_and_kill(data_dir, folder, after_saved, chance.uniform(0, 0.008))
        for line in lines:
            if line.startswith("saved "):
                _, number, checksum = line.split()
                reported[int(number)] = checksum

        with open_with_passphrase(data_dir, PASSPHRASE, remember=False) as binder:
            report = binder.check()
            assert report.ok, report.problems
            for doc_id, sha256 in reported.items():
                assert get_document(binder, doc_id).sha256 == sha256
            referenced = {d.file_name for d in list_documents(binder)}
            assert set(binder.files.names()) == referenced, "an orphan file was left"
            assert not [p for p in (data_dir / "files").iterdir() if p.name.startswith(".tmp")]
            assert binder.last_reconcile.missing_files == []

    with open_with_passphrase(data_dir, PASSPHRASE, remember=False) as binder:
        saved = list_documents(binder)
        assert len(saved) >= len(reported)
        assert len({d.sha256 for d in saved}) == len(saved)
        originals = {p.name: p for folder in folders for p in folder.iterdir()}
        for doc in saved:
            assert read_original(binder, doc.id) == originals[doc.original_name].read_bytes()
