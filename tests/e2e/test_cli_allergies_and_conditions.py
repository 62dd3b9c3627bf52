"""`carebinder allergy` and `carebinder condition`, run as a user runs them: add, list (text
and --json), edit only what is given, remove; a bad value or an unknown id exits 2 with a
plain message and changes nothing; what is typed in reaches the summary sheet."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.export.bundle_checks import pdf_text

if TYPE_CHECKING:
    from tests.conftest import Cli


@pytest.fixture
def ready(cli: Cli) -> Cli:
    init = cli.run("init", "--person", "Ada Example")
    assert init.code == 0, init.err
    return cli


def test_allergies_are_added_listed_edited_and_removed(ready: Cli, tmp_path: Path) -> None:
    empty = ready.run("allergy", "list")
    assert empty.code == 0 and "No allergies recorded." in empty.err

    added = ready.run(
        "allergy", "add", "Penicillin", "--reaction", "rash", "--severity", "severe",
        "--since", "1985", "--json",
    )  # fmt: skip
    assert added.code == 0, added.err
    penicillin = added.json()
    assert {k: penicillin[k] for k in ("name", "reaction", "severity", "noted_date")} == {
        "name": "Penicillin",
        "reaction": "rash",
        "severity": "severe",
        "noted_date": "1985",
    }
    assert ready.run("person", "add", "Bo Example").code == 0
    latex = ready.run("allergy", "add", "Latex", "--person", "Bo Example")
    assert latex.code == 0 and "Added the allergy to Latex" in latex.out

    listed = ready.run("allergy", "list", "--person", "Ada")
    assert "Penicillin (rash, severe)  since 1985" in listed.out
    assert "Latex" not in listed.out, "Bo's allergy is Bo's"
    assert [a["name"] for a in ready.run("allergy", "list", "--person", "Bo", "--json").json()] == [
        "Latex"
    ]

    pid = str(penicillin["id"])
    edited = ready.run("allergy", "edit", pid, "--severity", "moderate", "--json")
    assert edited.code == 0, edited.err
    assert (edited.json()["severity"], edited.json()["reaction"]) == ("moderate", "rash")
    cleared = ready.run("allergy", "edit", pid, "--since", "", "--json").json()
    assert cleared["noted_date"] is None and cleared["reaction"] == "rash"

    sheet = ready.run("sheet", "summary", str(tmp_path / "summary.pdf"), "--person", "Ada")
    assert sheet.code == 0, sheet.err
    summary = " ".join(pdf_text((tmp_path / "summary.pdf").read_bytes()).split())
    assert "Penicillin" in summary and "moderate" in summary

    removed = ready.run("allergy", "remove", pid)
    assert removed.code == 0 and "Removed the allergy to Penicillin." in removed.out
    assert ready.run("allergy", "list", "--person", "Ada", "--json").json() == []


def test_conditions_are_added_listed_edited_and_removed(ready: Cli) -> None:
    added = ready.run("condition", "add", "High blood pressure", "--since", "2019-03", "--json")
    assert added.code == 0, added.err
    pressure = added.json()
    assert (pressure["status"], pressure["onset_date"]) == ("active", "2019-03")
    knee = ready.run("condition", "add", "Knee pain", "--since", "2026-08", "--ended", "2026-09")
    assert knee.code == 0, knee.err

    listed = ready.run("condition", "list")
    lines = listed.out.splitlines()
    assert "High blood pressure  (current)  Mar 2019 to now" in lines[0]
    assert "Knee pain  (past)  Aug 2026 to Sep 2026" in lines[1], "an end date means past"

    pid = str(pressure["id"])
    edited = ready.run("condition", "edit", pid, "--name", "Hypertension", "--json").json()
    assert (edited["name"], edited["onset_date"], edited["status"]) == (
        "Hypertension",
        "2019-03",
        "active",
    )
    over = ready.run("condition", "edit", pid, "--ended", "2025", "--json").json()
    assert (over["resolved_date"], over["status"]) == ("2025", "resolved")
    unsure = ready.run("condition", "edit", pid, "--status", "not-sure", "--json").json()
    assert unsure["status"] == ""

    assert ready.run("condition", "remove", pid).code == 0
    assert [c["name"] for c in ready.run("condition", "list", "--json").json()] == ["Knee pain"]


def test_bad_values_and_unknown_ids_exit_2_and_change_nothing(ready: Cli) -> None:
    empty = ready.run("allergy", "add", "  ")
    assert empty.code == 2 and "A name is needed." in empty.err
    bad_date = ready.run("allergy", "add", "Penicillin", "--since", "31/02/1985")
    assert bad_date.code == 2
    assert "“31/02/1985”: February 1985 has no day 31 (it has 28 days)." in bad_date.err
    assert ready.run("allergy", "list", "--json").json() == []

    condition = ready.run("condition", "add", "Asthma", "--json").json()
    cid = str(condition["id"])
    bad_edit = ready.run("condition", "edit", cid, "--since", "2024-13")
    assert bad_edit.code == 2 and "“2024-13”: there is no month 13." in bad_edit.err
    assert ready.run("condition", "edit", cid, "--name", "").code == 2
    backwards = ready.run("condition", "add", "Flu", "--since", "2024-03", "--ended", "2023")
    assert backwards.code == 2 and "The end (2023) is before the start (Mar 2024)." in backwards.err
    assert ready.run("condition", "list", "--json").json() == [condition]

    for command in ("allergy", "condition"):
        missing = ready.run(command, "remove", "99")
        assert missing.code == 2 and f"There is no {command} with id 99." in missing.err
        assert ready.run(command, "edit", "99", "--notes", "x").code == 2
    wrong = ready.run("allergy", "add", "Latex", "--severity", "terrible")
    assert wrong.code == 2 and "invalid choice" in wrong.err
