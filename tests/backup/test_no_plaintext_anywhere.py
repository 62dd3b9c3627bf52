"""No plaintext: after import, search, export, backup, a sheet, quitting and a kill, no
word of an imported document is found in the data dir, the temp dir, the caches under the
user's home, or the log (UTF-8 or UTF-16, any case). Preview is checked in
tests/ui/test_documents_page.py. What the user exports is plaintext by their choice, in the
folder they chose, which is not searched."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import ROOT, Cli
from tests.e2e.test_nothing_readable_on_disk import _forms, _unique_word
from tests.fixtures import make_pdf


def _plain_pdf(path: Path, text: str) -> None:
    """A PDF whose page text is stored uncompressed: the word is in its bytes as it is."""
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pageCompression=0)
    pdf.drawString(72, 760, text)
    pdf.showPage()
    pdf.save()
    assert text.encode() in path.read_bytes()


def _holders(folder: Path, forms: list[bytes], skip: tuple[Path, ...] = ()) -> list[str]:
    found = []
    for path in folder.rglob("*"):
        if any(path.is_relative_to(s) for s in skip):
            continue  # the user's own files and what they exported on purpose
        if path.is_file() and not path.is_symlink():
            data = path.read_bytes()
            if any(form in data for form in forms):
                found.append(str(path))
    return found


def test_no_word_of_a_record_is_left_readable_anywhere(
    cli: Cli, tmp_path: Path, temp_root: Path
) -> None:
    word = _unique_word()
    home = tmp_path / "home"
    home.mkdir()
    cli.env.update(HOME=str(home), XDG_CACHE_HOME=str(home / ".cache"))
    cli.env["CAREBINDER_LOG_DIR"] = str(home / "logs")
    records = tmp_path / "records"
    records.mkdir()
    _plain_pdf(records / "pathology.pdf", f"FINAL DIAGNOSIS: {word} carcinoma, grade 2")
    for n in range(12):
        make_pdf(records / f"letter-{n}.pdf", f"Clinic letter {n} {word}")
    chosen = tmp_path / "chosen by the user"
    chosen.mkdir()

    assert cli.run("init", "--person", "Ada Example").code == 0
    assert cli.run("import", str(records / "pathology.pdf")).code == 0
    found = cli.run("search", word.lower(), "--json").json()
    assert found and found[0]["title"] == "pathology"
    assert cli.run("export", str(chosen / "bundle.zip")).code == 0
    assert cli.run("sheet", "summary", str(chosen / "summary.pdf")).code == 0
    assert cli.run("backup", str(chosen / "b.cbbackup")).code == 0

    # A kill in the middle of an import.
    command = [sys.executable, "-m", "app", "--data-dir", str(cli.data_dir)]
    command += ["--passphrase-file", str(cli.passphrase_file), "import", str(records)]
    child = subprocess.Popen(command, cwd=ROOT, env=cli.env, stdout=subprocess.PIPE)
    time.sleep(1.0)  # under way: start-up and the first files (the checks hold at any moment)
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=60)

    forms = _forms(word)
    assert _holders(chosen, forms), "the word is in what the user exported (the check works)"
    for place in (cli.data_dir, temp_root, home):
        assert _holders(place, forms, skip=(records, chosen)) == [], place
