"""The log says what happened with ids and counts, never with medical words."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Cli
from tests.fixtures import make_pdf


def test_the_log_records_commands_but_no_medical_content(cli: Cli, tmp_path: Path) -> None:
    log_dir = tmp_path / "log"
    cli.env["CAREBINDER_LOG_DIR"] = str(log_dir)
    folder = tmp_path / "records"
    folder.mkdir()
    make_pdf(folder / "glioblastoma_biopsy_ada.pdf", "Diagnosis: glioblastoma multiforme")
    (folder / "empty oligodendroglioma.pdf").write_bytes(b"")
    assert cli.run("init", "--person", "Ada Lovelace-Example").code == 0
    assert cli.run("import", str(folder)).code == 1
    assert cli.run("search", "glioblastoma").code == 0
    assert cli.run("show", "999").code == 2

    text = (log_dir / "carebinder.log").read_text()
    assert "import into person 1: 1 ok, 0 duplicate, 1 refused" in text
    assert "command show refused: NotFound" in text
    for word in ("glioblastoma", "oligodendroglioma", "Lovelace", "biopsy", "Diagnosis"):
        assert word.lower() not in text.lower()


CRASHING = """
import sys
import app.records.documents as documents
from app.cli.main import main

def broken(binder, doc_id):
    # An unexpected error whose message carries what the log must never hold.
    raise RuntimeError("could not read glioblastoma_biopsy_ada.pdf: Diagnosis glioblastoma")

documents.document_text = broken
sys.exit(main(sys.argv[1:]))
"""


def test_an_unexpected_error_is_logged_by_class_command_and_ids_only(
    cli: Cli, tmp_path: Path
) -> None:
    import subprocess
    import sys

    from tests.conftest import ROOT

    log_dir = tmp_path / "log"
    cli.env["CAREBINDER_LOG_DIR"] = str(log_dir)
    make_pdf(tmp_path / "glioblastoma_biopsy_ada.pdf", "Diagnosis: glioblastoma multiforme")
    assert cli.run("init", "--person", "Ada Lovelace-Example").code == 0
    assert cli.run("import", str(tmp_path / "glioblastoma_biopsy_ada.pdf")).code == 0

    options = ["--data-dir", str(cli.data_dir), "--passphrase-file", str(cli.passphrase_file)]
    crashed = subprocess.run(
        [sys.executable, "-c", CRASHING, *options, "show", "1", "--text"],
        cwd=ROOT,
        env=cli.env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    assert crashed.returncode == 1 and "RuntimeError" in crashed.stderr  # the user sees it

    text = (log_dir / "carebinder.log").read_text()
    [line] = [ln for ln in text.splitlines() if "command show failed" in ln]
    assert "command show failed: RuntimeError (id=1) at " in line
    assert "documents:" in line and "cmd_show" in line, "where it happened, as code positions"
    assert "Traceback" not in text
    for word in ("glioblastoma", "biopsy", "Diagnosis", "Lovelace", ".pdf"):
        assert word.lower() not in text.lower(), word
