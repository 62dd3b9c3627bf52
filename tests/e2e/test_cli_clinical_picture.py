"""`carebinder summary show --json` as a script (or our accuracy measurement) reads it: one
person, a report imported, every field of the clinical picture under a key that names what
it holds, with its value, state and sources; a conflict lists each value with its report
and is settled with `summary choose`; a second cancer is added with `summary add`."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Cli
from tests.fixtures import make_pdf

REPORT = """SURGICAL PATHOLOGY REPORT
Specimen: Left breast, lumpectomy.
FINAL DIAGNOSIS
Left breast, lumpectomy: Invasive ductal carcinoma,
Nottingham grade 2. Tumor size 2.4 cm.
ER positive (90%).
Pathologic stage: pT2 pN0 (AJCC 8th edition)."""


def _import(cli: Cli, path: Path, text: str, date: str) -> int:
    make_pdf(path, text)
    done = cli.run("import", str(path), "--kind", "pathology", "--json")
    assert done.code == 0, done.err
    doc_id = int(done.json()[0]["id"])
    assert cli.run("edit", str(doc_id), "--date", date).code == 0
    return doc_id


def test_summary_show_json_names_every_field_and_settles_a_conflict(
    cli: Cli, tmp_path: Path
) -> None:
    assert cli.run("init", "--person", "Rosa Example").code == 0
    first = _import(cli, tmp_path / "lumpectomy.pdf", REPORT, "2025-04-01")

    data = cli.run("summary", "show", "--json").json()
    fields = data["fields"]
    assert fields["diagnosis.histology"]["value"] == "Invasive ductal carcinoma"
    assert fields["diagnosis.site"]["value"] == "Breast"
    assert fields["diagnosis.laterality"]["value"] == "Left"
    assert "2" in fields["diagnosis.grade"]["value"]
    assert fields["stage.pathologic_t"]["value"] == "pT2"
    assert fields["stage.pathologic_n"]["value"] == "pN0"
    assert fields["biomarker.er"]["value"].lower().startswith("positive")
    histology = fields["diagnosis.histology"]
    assert histology["state"] == "found"
    assert [(s["kind"], s["id"], s["title"], s["date"]) for s in histology["sources"]] == [
        ("document", first, "lumpectomy", "2025-04-01")
    ]
    # Empty fields are listed too, so a script sees what was not found.
    assert fields["stage.clinical_t"] == {
        **fields["stage.clinical_t"], "value": "", "state": "empty", "sources": []
    }  # fmt: skip
    assert data["diagnoses"][0]["name"] == "Invasive ductal carcinoma of the left breast"

    # A second report says pT3: a conflict, each value with its report.
    second = _import(cli, tmp_path / "mastectomy.pdf", REPORT.replace("lumpectomy", "mastectomy")
                     .replace("pT2", "pT3"), "2025-05-20")  # fmt: skip
    t = cli.run("summary", "show", "--json").json()["fields"]["stage.pathologic_t"]
    assert (t["state"], t["value"]) == ("conflict", "")
    assert [(c["value"], [s["id"] for s in c["sources"]]) for c in t["candidates"]] == [
        ("pT2", [first]),
        ("pT3", [second]),
    ]
    shown = cli.run("summary", "show")
    assert "The records disagree" in shown.out and "2. pT3 (from" in shown.out
    refused = cli.run("summary", "confirm", "stage.pathologic_t")
    assert refused.code == 2 and "summary choose stage.pathologic_t" in refused.err
    chosen = cli.run("summary", "choose", "stage.pathologic_t", "2", "--json")
    assert chosen.code == 0, chosen.err
    assert (chosen.json()["value"], chosen.json()["state"]) == ("pT3", "confirmed")
    wrong = cli.run("summary", "choose", "stage.pathologic_t", "7")
    assert wrong.code == 2 and "Choose a number from 1 to 2" in wrong.err

    # A result the records do not give, and a second cancer, written by the user.
    assert cli.run("summary", "set", "biomarker.pdl1", "1%").code == 0
    added = cli.run("summary", "add", "diagnosis", "--json")
    assert added.code == 0 and added.json()["key"] == "diagnosis2"
    assert cli.run("summary", "set", "diagnosis2.site", "Thyroid").code == 0
    assert cli.run("summary", "set", "diagnosis2.histology", "Papillary carcinoma").code == 0
    fields = cli.run("summary", "show", "--json").json()["fields"]
    assert (fields["biomarker.pdl1"]["value"], fields["biomarker.pdl1"]["state"]) == (
        "1%", "typed",
    )  # fmt: skip
    assert fields["diagnosis2.histology"]["state"] == "typed"
    assert "stage2.group" in fields and "biomarker2.other" in fields
    assert cli.run("summary", "remove", "diagnosis2").code == 0
    assert "diagnosis2.site" not in cli.run("summary", "show", "--json").json()["fields"]
