"""`carebinder allergy none`, run as a user runs it: "no known allergies" is recorded once,
listed with its date and on the summary sheet; refused (exit 2, nothing changed) while an
allergy is recorded; an allergy added after replaces it."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from app.records.date_display import shown_date
from tests.export.bundle_checks import pdf_text

if TYPE_CHECKING:
    from tests.conftest import Cli


@pytest.fixture
def ready(cli: Cli) -> Cli:
    init = cli.run("init", "--person", "Ada Example")
    assert init.code == 0, init.err
    assert cli.run("person", "add", "Bo Example").code == 0
    return cli


def _summary(cli: Cli, tmp_path: Path, person: str) -> str:
    out = tmp_path / f"{person}.pdf"
    sheet = cli.run("sheet", "summary", str(out), "--person", person)
    assert sheet.code == 0, sheet.err
    return " ".join(pdf_text(out.read_bytes()).split())


def test_no_known_allergies_is_recorded_listed_and_on_the_summary(
    ready: Cli, tmp_path: Path
) -> None:
    before = date.today().isoformat()
    said = ready.run("allergy", "none", "--person", "Bo", "--json")
    assert said.code == 0, said.err
    row = said.json()
    # Today's date, read before and after: a run that crosses midnight sees either day.
    today = row["noted_date"]
    assert row["name"] == "No known allergies" and today in {before, date.today().isoformat()}
    assert row["codes"] == [
        {"system": "http://snomed.info/sct", "code": "716186003", "display": "No known allergy"}
    ]
    again = ready.run("allergy", "none", "--person", "Bo")
    assert again.code == 0 and f"(id {row['id']})" in again.out, "already said: the same row"

    listed = ready.run("allergy", "list", "--person", "Bo")
    shown = shown_date(today)  # the one way dates are shown
    assert listed.out.split() == [str(row["id"]), *f"No known allergies (recorded {shown})".split()]
    assert ready.run("allergy", "list", "--person", "Ada").out == "", "Ada was not asked"
    assert f"No known allergies (recorded by the patient, {shown})." in _summary(
        ready, tmp_path, "Bo"
    )
    assert "please ask the patient" in _summary(ready, tmp_path, "Ada")


def test_it_is_refused_beside_an_allergy_and_replaced_by_one(ready: Cli, tmp_path: Path) -> None:
    assert ready.run("allergy", "add", "Latex", "--person", "Ada").code == 0
    refused = ready.run("allergy", "none", "--person", "Ada")
    assert refused.code == 2
    assert "Allergies are recorded (Latex)" in refused.err
    assert [
        a["name"] for a in ready.run("allergy", "list", "--person", "Ada", "--json").json()
    ] == ["Latex"]

    assert ready.run("allergy", "none", "--person", "Bo").code == 0
    added = ready.run("allergy", "add", "Penicillin", "--person", "Bo", "--reaction", "rash")
    assert added.code == 0, added.err
    listed = ready.run("allergy", "list", "--person", "Bo")
    assert "Penicillin (rash)" in listed.out and "No known" not in listed.out
    summary = _summary(ready, tmp_path, "Bo")
    assert "Penicillin" in summary and "No known" not in summary
