"""Crash safety: a child process imports, edits, trashes, exports and backs up while the
parent kills it with SIGKILL at random moments. After every kill the binder opens, `check`
passes, every change the child reported committed is there, no orphan file remains, and
every bundle or backup under its final name is whole.

Default run: 20 kills. Heavy run: CAREBINDER_KILLS=500 (make crash-heavy). The moments are
drawn from a seeded generator (CAREBINDER_KILL_SEED), so a failure can be replayed.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from app.export.verify import verify
from app.records.documents import get_document, list_documents
from app.records.people import add_person
from app.vault.backup import verify_backup
from app.vault.binder import Binder
from app.vault.unlock import open_with_passphrase
from tests.conftest import PASSPHRASE, ROOT

KILLS = int(os.environ.get("CAREBINDER_KILLS", "20"))
SEED = int(os.environ.get("CAREBINDER_KILL_SEED", "20261123"))

CHILD = """
import io, itertools, random, sys
from pathlib import Path
from reportlab.pdfgen import canvas

from app.export.bundle import build_bundle
from app.records.documents import list_documents, restore_document, trash_document, update_document
from app.records.importer import Outcome, import_bytes
from app.vault.backup import backup
from app.vault.unlock import open_with_passphrase

data_dir, out, passphrase = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
seed = int(sys.argv[4])
chance = random.Random(seed)

def pdf(text):
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 760, text)
    page.showPage()
    page.save()
    return buffer.getvalue() + b"%" + bytes(chance.randrange(256) for _ in range(20000))

with open_with_passphrase(data_dir, passphrase, remember=False) as binder:
    print("open", flush=True)
    for step in itertools.count():
        docs = list_documents(binder, 1) + list_documents(binder, 1, trashed=True)
        action = step % 6 if docs else 0
        if action in (0, 1):
            result = import_bytes(binder, 1, pdf(f"seed {seed} step {step}"), f"r{seed}-{step}.pdf")
            if result.status is Outcome.OK:
                print(f"doc {result.document.id} {result.document.sha256}", flush=True)
        elif action == 2:
            doc = chance.choice(docs)
            title = f"Edited {seed}-{step}"
            update_document(binder, doc.id, title=title)
            print(f"title {doc.id} {title}", flush=True)
        elif action == 3:
            doc = chance.choice(docs)
            flip = restore_document if doc.in_trash else trash_document
            changed = flip(binder, doc.id)
            print(f"trash {doc.id} {int(changed.in_trash)}", flush=True)
        elif action == 4:
            target = out / f"bundle-{seed}-{step}.zip"
            build_bundle(binder, 1, target)
            print(f"bundle {target}", flush=True)
        else:
            target = out / f"backup-{seed}-{step}.cbbackup"
            backup(binder, target)
            print(f"backup {target}", flush=True)
"""


def _run_and_kill(
    data_dir: Path, out: Path, seed: int, lines_before: int, wait: float
) -> list[str]:
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(data_dir), str(out), PASSPHRASE, str(seed)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
    )
    assert child.stdout is not None
    lines = [child.stdout.readline().decode()]
    assert lines[0] == "open\n", "the child could not open the binder"
    while len(lines) <= lines_before:
        line = child.stdout.readline().decode()
        assert line, "the child stopped by itself"
        lines.append(line)
    time.sleep(wait)
    child.send_signal(signal.SIGKILL)
    rest, _ = child.communicate(timeout=120)
    lines += rest.decode().splitlines(keepends=True)
    return [line for line in lines if line.endswith("\n")]  # a cut line was no promise


def test_kills_at_random_moments_lose_nothing_reported_committed(
    data_dir: Path, tmp_path: Path, no_keyring: None
) -> None:
    with Binder.create(data_dir, PASSPHRASE) as binder:
        add_person(binder, "Ada Example")
    out = tmp_path / "out"
    out.mkdir()
    chance = random.Random(SEED)
    documents: dict[int, str] = {}
    titles: dict[int, str] = {}
    trashed: dict[int, bool] = {}
    bundles: list[Path] = []
    backups: list[Path] = []
    for kill in range(KILLS):
        lines = _run_and_kill(
            data_dir, out, SEED + kill, chance.randrange(1, 12), chance.uniform(0, 0.05)
        )
        for line in lines[1:]:
            what, *rest = line.split(maxsplit=2)
            if what == "doc":
                documents[int(rest[0])] = rest[1].strip()
            elif what == "title":
                titles[int(rest[0])] = rest[1].strip()
            elif what == "trash":
                trashed[int(rest[0])] = rest[1].strip() == "1"
            elif what == "bundle":
                bundles.append(Path(rest[0].strip()))
            elif what == "backup":
                backups.append(Path(rest[0].strip()))

        with open_with_passphrase(data_dir, PASSPHRASE, remember=False) as binder:
            report = binder.check()
            assert report.ok, (kill, report.problems)
            for doc_id, sha256 in documents.items():
                assert get_document(binder, doc_id).sha256 == sha256, kill
            for doc_id, title in titles.items():
                assert get_document(binder, doc_id).title == title, kill
            for doc_id, in_trash in trashed.items():
                assert get_document(binder, doc_id).in_trash == in_trash, kill
            named = {d.file_name for t in (False, True) for d in list_documents(binder, trashed=t)}
            assert set(binder.files.names()) == named, f"an orphan file was left ({kill})"

    assert documents and titles and trashed, "the kills left every kind of change tested"
    for bundle in [*out.glob("bundle-*.zip"), *bundles]:
        assert verify(bundle).ok, bundle
    for made in [*out.glob("backup-*.cbbackup"), *backups]:
        assert verify_backup(made, PASSPHRASE) >= 1, made
