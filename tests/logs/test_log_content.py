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
