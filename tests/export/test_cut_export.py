"""An export killed mid-way: the binder noted the export's temp name before writing, so the
next open removes the plaintext a crash left in the folder the user chose, and says so."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest

from app.vault.unlock import open_with_passphrase
from tests.conftest import PASSPHRASE, ROOT, Cli
from tests.fixtures import make_pdf

# The child exports, and stops for good inside the export once its first files are written
# (as a process does when the power goes): the parent sees the temp name on disk, then kills.
CHILD = """
import sys, threading
from pathlib import Path
from app.export.bundle import build_bundle
from app.vault.unlock import open_with_passphrase

data_dir, target, passphrase = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]

def progress(done, total, what):
    if what == "Medications.pdf":
        print("writing", flush=True)
        threading.Event().wait()  # never returns: the parent kills us here

with open_with_passphrase(data_dir, passphrase, remember=False) as binder:
    build_bundle(binder, 1, target, progress=progress)
print("finished", flush=True)
"""


@pytest.mark.parametrize("name", ["For Dr Rivera.zip", "For Dr Rivera"])
def test_an_export_killed_mid_way_leaves_nothing_readable_after_the_next_open(
    cli: Cli, tmp_path: Path, name: str
) -> None:
    make_pdf(tmp_path / "pathology.pdf", "Pathology report: invasive ductal carcinoma")
    assert cli.run("init", "--person", "Ada Example").code == 0
    assert cli.run("import", str(tmp_path / "pathology.pdf")).code == 0
    chosen = tmp_path / "chosen by the user"
    chosen.mkdir()
    theirs = chosen / ".notes.partial-deadbeef"  # the user's own, even with such a name
    theirs.write_text("mine")

    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(cli.data_dir), str(chosen / name), PASSPHRASE],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        env=cli.env,
    )
    assert child.stdout is not None
    assert child.stdout.readline() == b"writing\n", "the export did not start"
    [partial] = [p for p in chosen.iterdir() if p != theirs]
    assert partial.name.startswith(f".{name}.partial-")
    child.send_signal(signal.SIGKILL)
    assert child.wait() == -signal.SIGKILL
    assert partial.exists(), "the crash left plaintext in the user's folder"

    listed = cli.run("list")
    assert listed.code == 0
    assert f"Removed what an export cut short by a crash had written: {partial}" in listed.err
    assert sorted(chosen.iterdir()) == [theirs], "the leftover is gone, nothing else"
    assert theirs.read_text() == "mine"
    again = cli.run("list")
    assert "export" not in again.err, "said once"
    with open_with_passphrase(cli.data_dir, PASSPHRASE, remember=False) as binder:
        assert binder.db.execute("SELECT count(*) FROM pending_exports").fetchone() == (0,)
    assert cli.run("export", str(chosen / name)).code == 0, "made again under its name"


def test_a_finished_export_leaves_no_note_behind(cli: Cli, tmp_path: Path) -> None:
    make_pdf(tmp_path / "letter.pdf", "Clinic letter")
    assert cli.run("init", "--person", "Ada Example").code == 0
    assert cli.run("import", str(tmp_path / "letter.pdf")).code == 0
    assert cli.run("export", str(tmp_path / "bundle.zip")).code == 0
    with open_with_passphrase(cli.data_dir, PASSPHRASE, remember=False) as binder:
        assert binder.db.execute("SELECT count(*) FROM pending_exports").fetchone() == (0,)
        assert binder.last_reconcile.exports_removed == []
    assert (tmp_path / "bundle.zip").exists()


def test_only_an_export_s_temp_name_can_be_noted(binder: object, tmp_path: Path) -> None:
    with (
        pytest.raises(ValueError, match="not a temp name"),
        binder.pending_export(tmp_path / "records.pdf"),  # type: ignore[attr-defined]
    ):
        pass
