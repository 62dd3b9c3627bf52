"""No plaintext: after import, search, export, backup, a sheet, quitting and a kill, no
word of an imported document is found in the data dir, the temp dir, the caches under the
user's home, or the log (UTF-8 or UTF-16, any case). Preview is checked in
tests/ui/test_documents_page.py. What the user exports is plaintext by their choice, in the
folder they chose, which is not searched.

Every PDF here holds its words uncompressed (tests/plaintext.py), so a decrypted copy of
one left anywhere is found.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

from tests.conftest import PASSPHRASE, ROOT, Cli
from tests.plaintext import holders, plain_pdf, unique_word

# A child importing the folder one file at a time, saying when each file starts.
IMPORTING = """
import sys
from pathlib import Path
from app.records.importer import import_paths
from app.vault.unlock import open_with_passphrase

data_dir, folder, passphrase = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]

def progress(done, total, what):
    print(f"file {done}", flush=True)

with open_with_passphrase(data_dir, passphrase, remember=False) as binder:
    import_paths(binder, 1, [folder], progress=progress)
print("finished", flush=True)
"""


def test_no_word_of_a_record_is_left_readable_anywhere(
    cli: Cli, tmp_path: Path, temp_root: Path
) -> None:
    word = unique_word()
    home = tmp_path / "home"
    home.mkdir()
    cli.env.update(HOME=str(home), XDG_CACHE_HOME=str(home / ".cache"))
    cli.env["CAREBINDER_LOG_DIR"] = str(home / "logs")
    records = tmp_path / "records"
    records.mkdir()
    plain_pdf(records / "pathology.pdf", f"FINAL DIAGNOSIS: {word} carcinoma, grade 2")
    for n in range(12):
        plain_pdf(records / f"letter-{n}.pdf", f"Clinic letter {n} {word}")
    assert len(holders(records, word)) == 13, "the bait: every record holds the word as bytes"
    chosen = tmp_path / "chosen by the user"
    chosen.mkdir()

    assert cli.run("init", "--person", "Ada Example").code == 0
    assert cli.run("import", str(records / "pathology.pdf")).code == 0
    found = cli.run("search", word.lower(), "--json").json()
    assert found and found[0]["title"] == "pathology"
    assert cli.run("export", str(chosen / "bundle.zip")).code == 0
    assert cli.run("sheet", "summary", str(chosen / "summary.pdf")).code == 0
    assert cli.run("backup", str(chosen / "b.cbbackup")).code == 0

    # A kill in the middle of an import: after three letters are in, the fourth under way.
    child = subprocess.Popen(
        [sys.executable, "-c", IMPORTING, str(cli.data_dir), str(records), PASSPHRASE],
        cwd=ROOT,
        env=cli.env,
        stdout=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
    )
    assert child.stdout is not None
    while (line := child.stdout.readline()) != b"file 4\n":
        assert line, "the import ended before it was killed"
    child.send_signal(signal.SIGKILL)
    assert child.wait() == -signal.SIGKILL

    assert holders(chosen, word), "the word is in what the user exported (the check works)"
    for place in (cli.data_dir, temp_root, home):
        assert holders(place, word, skip=(records, chosen)) == [], place
