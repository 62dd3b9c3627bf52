"""Crash safety: a child process imports, edits, trashes, exports and backs up while the
parent kills it with SIGKILL at random moments. After every kill the binder opens, `check`
passes, every change the child confirmed is there, no orphan file remains (and none was
put in the quarantine: a crash's leftover is recognised as one), and every bundle or backup
under its final name is whole.

The oracle is exact, whatever the moment of the kill. The child announces each change
before it makes it (`will ...`) and confirms it once the call returned (`did ...`). The
parent accepts only the confirmed state for every confirmed change, and either state (as
before, or as announced) for the one change in flight when the kill came. Then it adopts
what it found, so the next round starts from a state it has seen on disk.

Default run: 20 kills. Heavy run: CAREBINDER_KILLS=500 (make crash-heavy). The moments are
drawn from a seeded generator: CAREBINDER_CRASH_SEED picks the seed, and every failure
says which seed and kill it was, so it can be replayed.

CAREBINDER_CRASH_PLANT plants a bug in the child only, to see this test catch it:
`skip-trash-commit`, a trash or restore that reports success but is never committed;
`unnoted-store`, originals stored without the note that marks a crash's leftover.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

from app.export.verify import verify
from app.records.documents import list_documents
from app.records.people import add_person
from app.vault.backup import verify_backup
from app.vault.binder import Binder
from app.vault.unlock import open_with_passphrase
from tests.conftest import PASSPHRASE, ROOT

KILLS = int(os.environ.get("CAREBINDER_KILLS", "20"))
SEED = int(os.environ.get("CAREBINDER_CRASH_SEED", "20261123"))
PLANT = os.environ.get("CAREBINDER_CRASH_PLANT", "")

CHILD = """
import hashlib, io, itertools, random, sys
from pathlib import Path
from reportlab.pdfgen import canvas

from app.export.bundle import build_bundle
from app.records import documents
from app.records.documents import get_document, list_documents, restore_document, trash_document
from app.records.documents import update_document
from app.records.importer import Outcome, import_bytes
from app.records.dates import now_iso
from app.vault.backup import backup
from app.vault.unlock import open_with_passphrase

data_dir, out, passphrase = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
seed, plant = int(sys.argv[4]), sys.argv[5]
chance = random.Random(seed)

if plant == "unnoted-store":
    # The planted loss of a rule: originals stored without the note that makes a crash's
    # leftover recognisable (the next open must then keep them aside, never delete them).
    from app.vault.binder import Binder

    Binder.store = lambda self, data: self.files.put(data)

if plant == "skip-trash-commit":
    # The planted loss: the flip is made and read back, then never committed.
    def _flip(binder, doc_id, trashed_at):
        binder.db.execute("BEGIN")
        binder.db.execute(
            "UPDATE documents SET trashed_at = ?, updated = ? WHERE id = ?",
            [trashed_at, now_iso(), doc_id],
        )
        changed = get_document(binder, doc_id)
        binder.db.execute("ROLLBACK")
        return changed

    def trash_document(binder, doc_id):
        return _flip(binder, doc_id, now_iso())

    def restore_document(binder, doc_id):
        return _flip(binder, doc_id, None)


def say(line):
    print(line, flush=True)


def pdf(text):
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 760, text)
    page.showPage()
    page.save()
    return buffer.getvalue() + b"%" + bytes(chance.randrange(256) for _ in range(20000))

with open_with_passphrase(data_dir, passphrase, remember=False) as binder:
    say("open")
    for step in itertools.count():
        docs = list_documents(binder, 1) + list_documents(binder, 1, trashed=True)
        action = step % 6 if docs else 0
        if action in (0, 1):
            data = pdf(f"seed {seed} step {step}")
            sha256 = hashlib.sha256(data).hexdigest()
            say(f"will import {sha256}")
            result = import_bytes(binder, 1, data, f"r{seed}-{step}.pdf")
            assert result.status is Outcome.OK, result.reason
            say(f"did import {result.document.id} {sha256}")
        elif action == 2:
            doc = chance.choice(docs)
            title = f"Edited {seed}-{step}"
            say(f"will title {doc.id} {title}")
            update_document(binder, doc.id, title=title)
            say(f"did title {doc.id} {title}")
        elif action == 3:
            doc = chance.choice(docs)
            flip = restore_document if doc.in_trash else trash_document
            say(f"will trash {doc.id} {int(not doc.in_trash)}")
            changed = flip(binder, doc.id)
            say(f"did trash {doc.id} {int(changed.in_trash)}")
        elif action == 4:
            target = out / f"bundle-{seed}-{step}.zip"
            say(f"will bundle {target}")
            build_bundle(binder, 1, target)
            say(f"did bundle {target}")
        else:
            target = out / f"backup-{seed}-{step}.cbbackup"
            say(f"will backup {target}")
            backup(binder, target)
            say(f"did backup {target}")
"""


@dataclass(frozen=True)
class Doc:
    sha256: str
    title: str | None  # None: just imported, with the title its file gave
    in_trash: bool


State = dict[int, Doc]


@dataclass(frozen=True)
class Change:
    """One line of the child: `what` is import, title, trash, bundle or backup. An import's
    `doc_id` is known only once it is confirmed; `value` is the SHA-256, the title, "0"/"1"
    for the Trash, or the file written."""

    what: str
    doc_id: int | None
    value: str


def _change(word: str, what: str, rest: str) -> Change:
    if what in ("bundle", "backup"):
        return Change(what, None, rest)
    if what == "import" and word == "will":
        return Change(what, None, rest)
    doc_id, value = rest.split(" ", 1)
    return Change(what, int(doc_id), value)


@dataclass
class Round:
    """What one child said before it was killed: its confirmed changes, in order, and the
    one change it announced and had not confirmed (None when killed between two)."""

    confirmed: list[Change]
    in_flight: Change | None


def _parse(lines: list[str]) -> Round:
    turn = Round([], None)
    for line in lines:
        word, what, rest = line.rstrip("\n").split(" ", 2)
        change = _change(word, what, rest)
        if word == "will":
            assert turn.in_flight is None, f"two changes announced at once: {line!r}"
            turn.in_flight = change
            continue
        announced = turn.in_flight
        assert announced is not None and word == "did", f"not announced: {line!r}"
        assert (announced.what, announced.value) == (what, change.value), line
        assert announced.doc_id in (None, change.doc_id), line
        turn.confirmed.append(change)
        turn.in_flight = None
    return turn


def _apply(state: State, change: Change) -> State:
    after = dict(state)
    if change.doc_id is None:  # a bundle or a backup: no document changes
        return after
    if change.what == "import":
        after[change.doc_id] = Doc(change.value, None, False)
    elif change.what == "title":
        after[change.doc_id] = replace(after[change.doc_id], title=change.value)
    elif change.what == "trash":
        after[change.doc_id] = replace(after[change.doc_id], in_trash=change.value == "1")
    return after


def _matches(found: Doc | None, expected: Doc | None) -> bool:
    if found is None or expected is None or expected.title is not None:
        return found == expected
    return found == replace(expected, title=found.title)  # the title its file gave


def _differences(found: State, expected: State) -> list[int]:
    return [
        i
        for i in sorted(found.keys() | expected.keys())
        if not _matches(found.get(i), expected.get(i))
    ]


def _confirmed(known: State, turn: Round) -> State:
    expected = known
    for change in turn.confirmed:
        expected = _apply(expected, change)
    return expected


def _accepted(found: State, known: State, turn: Round) -> bool:
    """Whether a kill may leave `found`: every confirmed change made, and the change in
    flight either not made at all or made whole."""
    expected = _confirmed(known, turn)
    if not _differences(found, expected):
        return True
    flight = turn.in_flight
    if flight is None or flight.what in ("bundle", "backup"):
        return False
    if flight.what == "import":
        extra = found.keys() - expected.keys()
        if len(extra) != 1:
            return False
        flight = Change("import", extra.pop(), flight.value)
    return not _differences(found, _apply(expected, flight))


def _explain(found: State, known: State, turn: Round) -> str:
    """The documents that differ from what the child confirmed, for a failure message."""
    expected = _confirmed(known, turn)
    lines = [f"in flight: {turn.in_flight}"]
    for doc_id in _differences(found, expected):
        lines.append(
            f"document {doc_id}: confirmed {expected.get(doc_id)}, found {found.get(doc_id)}"
        )
    return "\n".join(lines)


def _run_and_kill(
    data_dir: Path, out: Path, seed: int, lines_before: int, wait: float
) -> list[str]:
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(data_dir), str(out), PASSPHRASE, str(seed), PLANT],
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
    # Not a wait for anything: a random moment to kill at. The oracle does not depend on it.
    time.sleep(wait)
    child.send_signal(signal.SIGKILL)
    # Read the rest through the same buffered reader: `communicate(timeout=...)` reads the
    # pipe underneath it and would drop what `readline` had already buffered.
    rest = child.stdout.read()
    assert child.wait() == -signal.SIGKILL, "the child stopped by itself"
    lines += rest.decode().splitlines(keepends=True)
    return [line for line in lines if line.endswith("\n")]  # a cut line was no promise


def _state(binder: Binder) -> State:
    return {
        d.id: Doc(d.sha256, d.title, d.in_trash)
        for trashed in (False, True)
        for d in list_documents(binder, trashed=trashed)
    }


def test_kills_at_random_moments_lose_nothing_confirmed(
    data_dir: Path, tmp_path: Path, no_keyring: None
) -> None:
    with Binder.create(data_dir, PASSPHRASE) as binder:
        add_person(binder, "Ada Example")
    out = tmp_path / "out"
    out.mkdir()
    chance = random.Random(SEED)
    known: State = {}
    seen: set[str] = set()
    bundles: list[Path] = []
    backups: list[Path] = []
    for kill in range(KILLS):
        where = f"seed {SEED} (CAREBINDER_CRASH_SEED), kill {kill}"
        lines = _run_and_kill(
            data_dir, out, SEED + kill, chance.randrange(1, 12), chance.uniform(0, 0.05)
        )
        turn = _parse(lines[1:])
        for change in turn.confirmed:
            seen.add(change.what)
            if change.what == "bundle":
                bundles.append(Path(change.value))
            elif change.what == "backup":
                backups.append(Path(change.value))

        with open_with_passphrase(data_dir, PASSPHRASE, remember=False) as binder:
            report = binder.check()
            assert report.ok, (where, report.problems)
            found = _state(binder)
            assert _accepted(found, known, turn), (
                f"{where}: the binder does not hold what the child confirmed.\n"
                + _explain(found, known, turn)
            )
            named = {d.file_name for t in (False, True) for d in list_documents(binder, trashed=t)}
            assert set(binder.files.names()) == named, f"{where}: an orphan file was left"
            # Every crash leftover is recognised as one and removed, none kept aside.
            assert binder.quarantined() == [], f"{where}: a crash's leftover was quarantined"
            known = found
        for made in bundles:
            assert made.exists(), f"{where}: a confirmed bundle is missing: {made}"
        for made in backups:
            assert made.exists(), f"{where}: a confirmed backup is missing: {made}"

    assert {"import", "title", "trash"} <= seen, "the kills left a kind of change untested"
    for bundle in out.glob("bundle-*.zip"):
        assert verify(bundle).ok, bundle
    for made in out.glob("backup-*.cbbackup"):
        assert verify_backup(made, PASSPHRASE) >= 1, made
