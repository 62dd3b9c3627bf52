"""The command line contract of issue 2, as scripts and other issues rely on it: commands,
--json shapes and exit codes (0 success, 1 some inputs refused or binder not whole, 2 usage
or locked binder)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from app import __version__
from tests.fixtures import make_pdf

if TYPE_CHECKING:
    from tests.conftest import Cli

ROOT = Path(__file__).resolve().parents[2]  # the repository


@pytest.fixture
def ready(cli: Cli) -> Cli:
    init = cli.run("init", "--person", "Ada Example", "--born", "1970-01-31")
    assert init.code == 0, init.err
    return cli


def _import(cli: Cli, path: Path, *args: str) -> dict[str, Any]:
    result = cli.run("import", "--json", *args, str(path))
    assert result.code == 0, result.err
    entry: dict[str, Any] = result.json()[0]
    return entry


def test_python_m_app_help_and_version_work_without_a_binder() -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "app", *args],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=60,
            check=False,
        )

    helped = run("--help")
    assert helped.returncode == 0
    for command in ("init", "person", "import", "list", "search", "show", "check", "unlock-test"):
        assert command in helped.stdout
    version = run("--version")
    assert version.returncode == 0
    assert version.stdout.strip() == f"CareBinder {__version__}"
    assert run("no-such-command").returncode == 2


def test_person_add_and_list_print_json(ready: Cli) -> None:
    added = ready.run("person", "add", "Bo Example", "--born", "1948-06-02", "--json")
    assert added.code == 0
    bo = added.json()
    assert bo == {"id": bo["id"], "name": "Bo Example", "born": "1948-06-02"}

    people = ready.run("person", "list", "--json").json()
    assert people == [
        {"id": 1, "name": "Ada Example", "born": "1970-01-31"},
        {"id": bo["id"], "name": "Bo Example", "born": "1948-06-02"},
    ]
    assert "Bo Example" in ready.run("person", "list").out
    bad = ready.run("person", "add", "Cy", "--born", "31/01/1970")
    assert bad.code == 2
    assert "not a date" in bad.err


def test_list_filters_by_kind_and_person(ready: Cli, tmp_path: Path) -> None:
    make_pdf(tmp_path / "cbc.pdf", "CBC")
    lab = _import(ready, tmp_path / "cbc.pdf", "--kind", "lab")
    make_pdf(tmp_path / "letter.pdf", "Dear colleague")
    letter = _import(ready, tmp_path / "letter.pdf")
    assert ready.run("person", "add", "Bo Example").code == 0

    every = ready.run("list", "--json").json()
    assert sorted(d["id"] for d in every) == sorted([lab["id"], letter["id"]])
    labs = ready.run("list", "--json", "--kind", "lab_result").json()
    assert [d["id"] for d in labs] == [lab["id"]]
    assert ready.run("list", "--json", "--person", "Bo Example").json() == []
    assert ready.run("list", "--kind", "nonsense").code == 2
    # With two people, importing without saying whose it is is a usage error.
    ambiguous = ready.run("import", str(tmp_path / "cbc.pdf"))
    assert ambiguous.code == 2
    assert "Say which one" in ambiguous.err


def test_show_prints_one_document_as_json(ready: Cli, tmp_path: Path) -> None:
    data = make_pdf(tmp_path / "discharge.pdf", "Discharge summary", "Follow-up in two weeks")
    doc = _import(ready, tmp_path / "discharge.pdf")

    shown = ready.run("show", str(doc["id"]), "--json")

    assert shown.code == 0
    facts = shown.json()
    assert facts["id"] == doc["id"]
    assert facts["original_name"] == "discharge.pdf"
    assert facts["pages"] == 2
    assert facts["size"] == len(data)
    assert facts["person"] == "Ada Example"
    assert "file_name" not in facts
    assert "Follow-up in two weeks" in ready.run("show", str(doc["id"]), "--text").out
    missing = ready.run("show", "999")
    assert missing.code == 2
    assert "no document with id 999" in missing.err


def test_edit_sets_a_date_that_is_marked_as_the_user_s(ready: Cli, tmp_path: Path) -> None:
    make_pdf(tmp_path / "op.pdf", "Operative report")
    doc = _import(ready, tmp_path / "op.pdf")

    edited = ready.run(
        "edit", str(doc["id"]), "--date", "2024-03-15", "--kind", "operative", "--json"
    )

    assert edited.code == 0, edited.err
    facts = edited.json()
    assert facts["date"] == "2024-03-15"
    assert facts["date_set_by_user"] is True
    assert facts["kind"] == "operative"
    assert ready.run("show", str(doc["id"]), "--json").json()["date"] == "2024-03-15"
    assert ready.run("edit", str(doc["id"])).code == 2  # nothing to change
    bad = ready.run("edit", str(doc["id"]), "--date", "15 March")
    assert bad.code == 2
    assert "2024-03-15" in bad.err  # the message shows how to write a date


def test_check_exits_1_naming_a_stored_file_changed_by_one_byte(ready: Cli, tmp_path: Path) -> None:
    make_pdf(tmp_path / "pathology.pdf", "Pathology report")
    doc = _import(ready, tmp_path / "pathology.pdf")
    whole = ready.run("check")
    assert whole.code == 0
    assert "whole" in whole.out
    stored = next((ready.data_dir / "files").iterdir())
    data = bytearray(stored.read_bytes())
    data[len(data) // 2] ^= 0x40
    stored.write_bytes(bytes(data))

    broken = ready.run("check")

    assert broken.code == 1
    assert stored.name in broken.out
    assert f"document {doc['id']}" in broken.out


def test_commands_on_a_folder_with_no_binder_exit_2_and_create_nothing(cli: Cli) -> None:
    for args in (("list",), ("check",), ("unlock-test",), ("person", "list")):
        result = cli.run(*args)
        assert result.code == 2
        assert "no binder" in result.err.lower()
    assert not cli.data_dir.exists()


def test_init_without_a_passphrase_and_without_a_terminal_exits_2(cli: Cli, tmp_path: Path) -> None:
    result = cli.run("init", passphrase=False)
    assert result.code == 2
    assert "--passphrase-file" in result.err
    short = tmp_path / "short.txt"
    short.write_text("short\n")
    too_short = cli.run("--passphrase-file", str(short), "init", passphrase=False)
    assert too_short.code == 2
    assert "at least 8 characters" in too_short.err
    bad_birthday = cli.run("init", "--person", "Ada Example", "--born", "31/01/1970")
    assert bad_birthday.code == 2
    assert "not a date" in bad_birthday.err
    assert not cli.data_dir.exists()
    assert cli.run("init", "--person", "Ada Example", "--born", "1970-01-31").code == 0


def test_med_remove_takes_out_a_medicine_entered_by_mistake(ready: Cli) -> None:
    assert ready.run("med", "add", "Metformin", "--dose", "500 mg").code == 0
    assert ready.run("med", "add", "Tamoxifen", "--dose", "20 mg").code == 0
    removed = ready.run("med", "remove", "1", "--json")
    assert removed.code == 0, removed.err
    assert removed.json()["name"] == "Metformin"
    names = [m["name"] for m in ready.run("med", "list", "--json").json()]
    assert names == ["Tamoxifen"]
    again = ready.run("med", "remove", "1")
    assert again.code == 2 and "1" in again.err, "an unknown id is refused, nothing changed"
