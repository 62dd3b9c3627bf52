"""`carebinder import` as a user runs it: files and folders, with the ones it cannot take
each given a reason, and everything else imported.

Tests run as root, for whom permission bits stop nothing; the entries nobody can read are a
named pipe (FIFO) and a broken symlink.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from app.ingest.kinds import DocumentKind
from tests.fixtures import make_pdf

if TYPE_CHECKING:
    from tests.conftest import Cli

DOCUMENT_KEYS = {
    "id",
    "person",
    "kind",
    "title",
    "date",
    "pages",
    "size",
    "sha256",
    "original_name",
    "status",
    "reason",
}


def _results(result: Any) -> dict[str, dict[str, Any]]:
    return {r["original_name"]: r for r in result.json()}


@pytest.fixture
def ready(cli: Cli) -> Cli:
    assert cli.run("init", "--person", "Ada Example").code == 0
    return cli


def test_a_folder_with_unreadable_and_empty_files_imports_the_rest_with_a_reason_for_each(
    ready: Cli, tmp_path: Path
) -> None:
    folder = tmp_path / "records"
    (folder / "2024").mkdir(parents=True)
    pathology = make_pdf(folder / "pathology.pdf", "Pathology report", "Page two")
    lab = make_pdf(folder / "2024" / "lab.pdf", "Lab result")
    (folder / "empty.pdf").write_bytes(b"")
    os.mkfifo(folder / "pipe.pdf")
    (folder / "gone.pdf").symlink_to(tmp_path / "deleted-long-ago.pdf")
    missing = tmp_path / "not-here.pdf"

    result = ready.run("import", "--json", str(folder), str(missing))

    assert result.code == 1, result.err
    assert "Traceback" not in result.err
    got = _results(result)
    assert set(got) == {
        "pathology.pdf",
        "lab.pdf",
        "empty.pdf",
        "pipe.pdf",
        "gone.pdf",
        "not-here.pdf",
    }
    for entry in got.values():
        assert entry.keys() >= DOCUMENT_KEYS

    for name, data, pages in (("pathology.pdf", pathology, 2), ("lab.pdf", lab, 1)):
        ok = got[name]
        assert ok["status"] == "ok"
        assert ok["reason"] is None
        assert isinstance(ok["id"], int)
        assert ok["person"] == "Ada Example"
        assert ok["kind"] in {k.value for k in DocumentKind}
        assert ok["pages"] == pages
        assert ok["size"] == len(data)
        assert ok["sha256"] == hashlib.sha256(data).hexdigest()
        assert ok["date"] is None or isinstance(ok["date"], str)
        assert ok["title"]

    reasons = {name: got[name]["reason"] for name in got if got[name]["status"] == "refused"}
    assert set(reasons) == {"empty.pdf", "pipe.pdf", "gone.pdf", "not-here.pdf"}
    assert "empty" in reasons["empty.pdf"]
    assert "not a regular file" in reasons["pipe.pdf"]
    assert "link" in reasons["gone.pdf"]
    assert "no file or folder" in reasons["not-here.pdf"]
    for name in reasons:
        assert got[name]["id"] is None

    listed = ready.run("list", "--json").json()
    assert sorted(d["original_name"] for d in listed) == ["lab.pdf", "pathology.pdf"]
    assert ready.run("check").code == 0


def test_importing_only_good_files_exits_0_and_only_bad_ones_exits_1(
    ready: Cli, tmp_path: Path
) -> None:
    make_pdf(tmp_path / "good.pdf", "Discharge summary")
    (tmp_path / "empty.pdf").write_bytes(b"")

    assert ready.run("import", str(tmp_path / "good.pdf")).code == 0
    bad = ready.run("import", str(tmp_path / "empty.pdf"))
    assert bad.code == 1
    assert "empty.pdf" in bad.out
    assert "1 refused" in bad.err


def test_importing_the_same_file_again_says_duplicate_with_the_existing_id(
    ready: Cli, tmp_path: Path
) -> None:
    make_pdf(tmp_path / "scan.pdf", "Operative report")
    first = _results(ready.run("import", "--json", str(tmp_path / "scan.pdf")))["scan.pdf"]
    (tmp_path / "copy").mkdir()
    (tmp_path / "copy" / "renamed.pdf").write_bytes((tmp_path / "scan.pdf").read_bytes())

    again = ready.run("import", "--json", str(tmp_path / "scan.pdf"), str(tmp_path / "copy"))

    assert again.code == 0
    for entry in again.json():
        assert entry["status"] == "duplicate"
        assert entry["id"] == first["id"]
        assert entry["sha256"] == first["sha256"]
        assert f"document {first['id']}" in entry["reason"]
    assert len(ready.run("list", "--json").json()) == 1


def test_a_folder_is_imported_recursively_in_a_stable_order(ready: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "box"
    names = ["b/2.pdf", "a.pdf", "b/1.pdf", "c/d/e.pdf", "B.pdf", "z.pdf"]
    for i, name in enumerate(names):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        make_pdf(folder / name, f"Document number {i}")
    (folder / ".hidden.pdf").write_bytes(make_pdf(None, "hidden"))

    result = ready.run("import", "--json", str(folder))

    assert result.code == 0
    paths = [Path(r["path"]).relative_to(folder).as_posix() for r in result.json()]
    assert paths == ["B.pdf", "a.pdf", "b/1.pdf", "b/2.pdf", "c/d/e.pdf", "z.pdf"]


def test_a_folder_with_a_symlink_loop_is_imported_once_and_the_import_ends(
    ready: Cli, tmp_path: Path
) -> None:
    folder = tmp_path / "loop"
    (folder / "inner").mkdir(parents=True)
    make_pdf(folder / "report.pdf", "Treatment plan")
    make_pdf(folder / "inner" / "letter.pdf", "Consult letter")
    (folder / "inner" / "back-to-top").symlink_to(folder)
    (folder / "itself").symlink_to(folder / "itself")

    result = ready.run("import", "--json", str(folder), timeout=60)

    assert result.code in (0, 1)
    statuses = sorted((r["original_name"], r["status"]) for r in result.json())
    ok = [name for name, status in statuses if status == "ok"]
    assert ok == ["letter.pdf", "report.pdf"]
    assert ready.run("check").code == 0


def test_a_kind_given_on_the_command_line_is_kept(ready: Cli, tmp_path: Path) -> None:
    make_pdf(tmp_path / "labs.pdf", "CBC")
    result = ready.run("import", "--json", "--kind", "lab", str(tmp_path / "labs.pdf"))
    assert result.json()[0]["kind"] == "lab_result"
    assert ready.run("import", "--kind", "nonsense", str(tmp_path / "labs.pdf")).code == 2
