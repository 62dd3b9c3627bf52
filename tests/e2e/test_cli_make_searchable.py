"""A scan imported while tesseract was missing becomes searchable with `make-searchable`."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

from tests.conftest import Cli, need


def _scanned_pdf(path: Path, text: str) -> None:
    from PIL import Image, ImageDraw, ImageFont

    page = Image.new("L", (1700, 700), 255)
    ImageDraw.Draw(page).text((80, 250), text, fill=0, font=ImageFont.load_default(size=90))
    out = io.BytesIO()
    page.save(out, "PDF", resolution=200)
    path.write_bytes(out.getvalue())


def test_a_scan_kept_unsearchable_is_made_searchable_later(cli: Cli, tmp_path: Path) -> None:
    need(shutil.which("tesseract") is not None, "tesseract (Debian tesseract-ocr) is missing")
    _scanned_pdf(tmp_path / "scan.pdf", "Margins negative quokka")
    assert cli.run("init", "--person", "Ada Example").code == 0

    cli.env["CAREBINDER_TESSERACT"] = ""  # as on a computer without tesseract
    imported = cli.run("import", str(tmp_path / "scan.pdf"), "--json")
    assert imported.code == 0, imported.err
    assert cli.run("search", "quokka", "--json").json() == []
    shown = cli.run("show", "1", "--json").json()
    assert shown["text_status"] == "needs_ocr"

    del cli.env["CAREBINDER_TESSERACT"]
    done = cli.run("make-searchable")
    assert done.code == 0, done.err
    assert "document 1: text" in done.out
    found = cli.run("search", "quokka", "--json").json()
    assert [hit["id"] for hit in found] == [1]


def test_make_searchable_all_gives_an_older_scan_its_text_layer(
    cli: Cli, tmp_path: Path, data_dir: Path
) -> None:
    """A binder made before the words' places were kept: `make-searchable --all` reads its
    scans again, so the records packet can carry their text layer."""
    from app.vault.binder import Binder
    from app.vault.keys import KeyFile
    from tests.conftest import PASSPHRASE

    need(shutil.which("tesseract") is not None, "tesseract (Debian tesseract-ocr) is missing")
    _scanned_pdf(tmp_path / "scan.pdf", "Margins negative quokka")
    assert cli.run("init", "--person", "Ada Example").code == 0
    assert cli.run("import", str(tmp_path / "scan.pdf")).code == 0

    def kept() -> int:
        with Binder.open(data_dir, KeyFile.load(data_dir).unwrap(PASSPHRASE)) as binder:
            return int(binder.db.execute("SELECT count(*) FROM document_page_words").fetchone()[0])

    assert kept() == 1
    key = KeyFile.load(data_dir).unwrap(PASSPHRASE)
    with Binder.open(data_dir, key) as binder, binder.transaction() as db:
        db.execute("DELETE FROM document_page_words")  # as an older CareBinder left it
    assert cli.run("make-searchable").out.strip() == ""  # nothing is "not searchable yet"
    done = cli.run("make-searchable", "--all")
    assert done.code == 0, done.err
    assert "document 1: text" in done.out
    assert kept() == 1
