"""XML bombs dropped on the document import, as the portal import already refuses them: an
XML file, an XHTML or HTML page, an SVG, a C-CDA dropped as a document. Each is refused
with a reason a person can read, no entity is ever expanded, nothing is stored; a plain
XHTML page (a document type line, no entities) still comes in with its words."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.records.importer import Outcome, import_bytes
from app.records.search import search
from app.vault.binder import Binder
from tests.conftest import Cli
from tests.portal.test_portal_safety import BILLION_LAUGHS, EXTERNAL_ENTITY


def _laughs(root: bytes) -> bytes:
    """A billion-laughs declaration for a document whose root element is `root`."""
    lines = [b"<!DOCTYPE " + root + b" [", b'<!ENTITY lol "lol">']
    for i in range(1, 10):
        inner = (f"&lol{i - 1};" if i > 1 else "&lol;") * 10
        lines.append(f'<!ENTITY lol{i} "{inner}">'.encode())
    return b"\n".join([*lines, b"]>", b""])


XML_DECLARATION = b'<?xml version="1.0"?>\n'
BOMBS = {
    "an XML file": XML_DECLARATION + _laughs(b"report") + b"<report><p>&lol9;</p></report>",
    "an XML file with no declaration": _laughs(b"report") + b"<report>&lol9;</report>",
    "an XHTML page": XML_DECLARATION
    + _laughs(b"html")
    + b'<html xmlns="http://www.w3.org/1999/xhtml"><body><p>&lol9;</p></body></html>',
    "an HTML page": _laughs(b"html") + b"<html><body><p>&lol9;</p></body></html>",
    "an SVG picture": XML_DECLARATION
    + _laughs(b"svg")
    + b'<svg xmlns="http://www.w3.org/2000/svg"><text>&lol9;</text></svg>',
    "a C-CDA dropped as a document": BILLION_LAUGHS,
    "a C-CDA reading /etc/passwd": EXTERNAL_ENTITY,
    "an XML file reading /etc/passwd": XML_DECLARATION
    + b'<!DOCTYPE r [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n<r>&secret;</r>',
}


@pytest.mark.parametrize("what", list(BOMBS))
def test_an_xml_bomb_dropped_as_a_document_is_refused_and_nothing_is_stored(
    binder: Binder, what: str
) -> None:
    result = import_bytes(binder, 1, BOMBS[what], "download.xml")
    assert result.status is Outcome.REFUSED
    assert "a known way to attack programs that read XML. It was not imported." in (
        result.reason or ""
    )
    assert binder.db.execute("SELECT count(*) FROM documents").fetchone() == (0,)
    assert binder.files.names() == []
    assert search(binder, "lol") == []


def test_a_plain_xhtml_page_still_comes_in_with_its_words(binder: Binder) -> None:
    page = (
        b'<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
        b'"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n'
        b'<html xmlns="http://www.w3.org/1999/xhtml"><body>'
        b"<p>Pathology report: the margins are clear.</p></body></html>"
    )
    result = import_bytes(binder, 1, page, "report.html")
    assert result.status is Outcome.OK, result.reason
    assert [h.document.id for h in search(binder, "margins")] == [result.document.id]  # type: ignore[union-attr]
    assert search(binder, "xhtml1") == [], "its words, not its tags"


def test_the_import_command_refuses_each_bomb_by_name_and_keeps_the_rest(
    cli: Cli, tmp_path: Path
) -> None:
    folder = tmp_path / "downloads"
    folder.mkdir()
    (folder / "lab.svg").write_bytes(BOMBS["an SVG picture"])
    (folder / "summary.xml").write_bytes(BOMBS["a C-CDA dropped as a document"])
    (folder / "letter.txt").write_text("Dear doctor, thank you for seeing Ada.")
    assert cli.run("init", "--person", "Ada Example").code == 0
    done = cli.run("import", "--json", str(folder))
    assert done.code == 1, "some files were refused"
    outcome = {Path(r["path"]).name: (r["status"], r["reason"] or "") for r in done.json()}
    assert outcome["letter.txt"][0] == "ok"
    for name in ("lab.svg", "summary.xml"):
        status, reason = outcome[name]
        assert status == "refused" and "known way to attack" in reason, name
    assert [d["original_name"] for d in cli.run("list", "--json").json()] == ["letter.txt"]
