"""The promise of issue 2: after importing PDFs with a unique word, `search` finds the word,
and no file under the data dir (database, WAL, file store) or the temp dir holds it."""

from __future__ import annotations

import random
import string
from pathlib import Path
from typing import TYPE_CHECKING

from app.vault.binder import DB_FILE
from tests.fixtures import make_pdf

if TYPE_CHECKING:
    from tests.conftest import Cli


def _unique_word() -> str:
    letters = "".join(random.SystemRandom().choice(string.ascii_lowercase) for _ in range(8))
    return "Zyntarol" + letters


def _forms(word: str) -> list[bytes]:
    """The word as a program could leave it on disk: any case, UTF-8 or UTF-16."""
    forms = []
    for text in {word, word.lower(), word.upper()}:
        for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
            forms.append(text.encode(encoding))
    return forms


def _files_holding(folder: Path, word: str, skip: Path | None = None) -> list[Path]:
    found = []
    for path in folder.rglob("*"):
        if skip is not None and path.is_relative_to(skip):
            continue
        if not path.is_file() or path.is_symlink():
            continue
        try:
            data = path.read_bytes()
        except OSError:
            continue
        if any(form in data for form in _forms(word)):
            found.append(path)
    return found


def test_search_finds_a_unique_word_that_no_file_on_disk_contains(
    cli: Cli, tmp_path: Path, temp_root: Path
) -> None:
    word = _unique_word()
    inputs = tmp_path / "inputs"  # the user's own files: they may hold the word, of course
    inputs.mkdir()
    make_pdf(inputs / "pathology.pdf", f"Final diagnosis: {word} positive, grade 2.", "Page 2")
    make_pdf(inputs / "letter.pdf", "Dear colleague,\nThank you for seeing this patient.")
    (inputs / "notes.txt").write_text(f"Asked about {word} at the last visit.\n")
    # The search below would find a plain copy: the user's own text file is one.
    assert _files_holding(inputs, word) == [inputs / "notes.txt"]
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
    assert _files_holding(cli.data_dir, word) == []
    assert _files_holding(temp_root, word, skip=inputs) == []
    # A file still being written by the binder (WAL and its index) holds none of it either.
    assert cli.run("person", "add", f"Someone {word}").code == 0
    assert _files_holding(cli.data_dir, word) == []
    assert cli.run("check").code == 0


def test_a_trashed_document_is_not_found_until_it_is_restored(cli: Cli, tmp_path: Path) -> None:
    word = _unique_word()
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
