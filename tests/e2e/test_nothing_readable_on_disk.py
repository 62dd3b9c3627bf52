"""The promise of issue 2: after importing PDFs with a unique word, `search` finds the word,
and no file under the data dir (database, WAL, file store) or the temp dir holds it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from app.vault.binder import DB_FILE
from tests.fixtures import make_pdf
from tests.plaintext import holders, plain_pdf, unique_word

if TYPE_CHECKING:
    from tests.conftest import Cli


def test_search_finds_a_unique_word_that_no_file_on_disk_contains(
    cli: Cli, tmp_path: Path, temp_root: Path
) -> None:
    word = unique_word()
    inputs = tmp_path / "inputs"  # the user's own files: they may hold the word, of course
    inputs.mkdir()
    plain_pdf(inputs / "pathology.pdf", f"Final diagnosis: {word} positive, grade 2.", "Page 2")
    make_pdf(inputs / "letter.pdf", "Dear colleague,\nThank you for seeing this patient.")
    (inputs / "notes.txt").write_text(f"Asked about {word} at the last visit.\n")
    # The search below would find a plain copy of either: their bytes hold the word.
    assert holders(inputs, word) == [inputs / "notes.txt", inputs / "pathology.pdf"]
    assert cli.run("init", "--person", "Ada Example").code == 0
    assert cli.run("import", str(inputs)).code == 0

    found = cli.run("search", word, "--json")
    assert found.code == 0, found.err
    hits = found.json()
    assert sorted(h["original_name"] for h in hits) == ["notes.txt", "pathology.pdf"]
    hits = [h for h in hits if h["original_name"] == "pathology.pdf"]
    assert f"[{word}]" in hits[0]["snippet"]
    shown = cli.run("search", word.lower())
    assert f"[{word}]" in shown.out
    assert cli.run("show", str(hits[0]["id"]), "--text").out.count(word) == 1

    names = {p.name for p in cli.data_dir.iterdir()}
    assert DB_FILE in names
    assert not (cli.data_dir / DB_FILE).read_bytes().startswith(b"SQLite format 3")
    assert holders(cli.data_dir, word) == []
    assert holders(temp_root, word, skip=[inputs]) == []
    # A file still being written by the binder (WAL and its index) holds none of it either.
    assert cli.run("person", "add", f"Someone {word}").code == 0
    assert holders(cli.data_dir, word) == []
    assert cli.run("check").code == 0


def test_a_trashed_document_is_not_found_until_it_is_restored(cli: Cli, tmp_path: Path) -> None:
    word = unique_word()
    make_pdf(tmp_path / "plan.pdf", f"Treatment plan: {word} every three weeks")
    assert cli.run("init", "--person", "Ada Example").code == 0
    doc_id = cli.run("import", "--json", str(tmp_path / "plan.pdf")).json()[0]["id"]

    assert cli.run("trash", str(doc_id)).code == 0
    assert cli.run("search", word, "--json").json() == []
    assert cli.run("list", "--json").json() == []
    assert [d["id"] for d in cli.run("list", "--trash", "--json").json()] == [doc_id]

    assert cli.run("untrash", str(doc_id)).code == 0
    assert [h["id"] for h in cli.run("search", word, "--json").json()] == [doc_id]
    assert cli.run("check").code == 0
