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
