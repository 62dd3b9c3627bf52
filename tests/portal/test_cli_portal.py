"""`carebinder portal`: shows what a portal file holds, brings in the new items (or only the
groups named), and a second run brings in nothing."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Cli

CCD = "ccda/hl7-c-cda-examples/Documents/CCD/CCD 1/CCD.XML"


def test_dry_run_then_only_medications_then_everything_then_nothing(cli: Cli, corpus: Path) -> None:
    assert cli.run("init", "--person", "Ada Example").code == 0
    path = str(corpus / CCD)

    dry = cli.run("portal", path, "--dry-run")
    assert dry.code == 0, dry.err
    assert "Medications (2, 2 new)" in dry.out
    assert "About: Eve Betterhalf, born 1 May 1975" in dry.out
    assert "Warning: This file is about Eve Betterhalf, not Ada Example" in dry.out
    assert "+ atenolol 25 MG Oral Tablet - 1, twice a day · from 18 Mar 2012" in dry.out
    assert "Nothing was changed" in dry.out
    assert cli.run("med", "list", "--json").json() == []

    only = cli.run("portal", path, "--only", "medications", "--json")
    assert only.code == 0, only.err
    assert only.json()["imported"]["added"] == {"medications": 2}
    meds = cli.run("med", "list", "--json").json()
    assert sorted(m["name"] for m in meds) == [
        "albuterol 0.09 MG/ACTUAT [Proventil]",
        "atenolol 25 MG Oral Tablet",
    ]

    rest = cli.run("portal", path)
    assert rest.code == 0, rest.err
    assert "= atenolol 25 MG Oral Tablet" in rest.out and "[already in CareBinder]" in rest.out
    assert "Brought in: 3 problems and diagnoses, 2 allergies" in rest.out
    visits = cli.run("appt", "list", "--json").json()
    assert [v["starts_at"][:10] for v in visits] == ["2012-09-27"]

    again = cli.run("portal", path, "--json")
    assert again.json()["new"] == 0
    assert again.json()["imported"]["total"] == 0
    assert len(cli.run("list", "--json").json()) == 1  # the CCD itself, kept once


def test_an_unknown_group_and_a_missing_person_are_usage_errors(cli: Cli, corpus: Path) -> None:
    assert cli.run("init", "--person", "Ada Example").code == 0
    bad = cli.run("portal", str(corpus / CCD), "--only", "pets")
    assert bad.code == 2 and "'pets' is not one of" in bad.err
    nobody = cli.run("portal", str(corpus / CCD), "--person", "Zed")
    assert nobody.code == 2
    assert cli.run("list", "--json").json() == []


def test_a_bulk_export_needs_the_person_in_it(cli: Cli, corpus: Path) -> None:
    assert cli.run("init", "--person", "Ada Example").code == 0
    folder = str(corpus / "fhir/synthea-bulk-10-patients")
    refused = cli.run("portal", folder)
    assert refused.code == 1 and "records of 13 people" in refused.err
    done = cli.run("portal", folder, "--patient", "Augustus", "--only", "allergies", "--json")
    assert done.code == 0, done.err
    assert done.json()["imported"]["added"] == {"allergies": 8}


def test_a_crash_before_the_commit_leaves_the_binder_as_it_was(cli: Cli, corpus: Path) -> None:
    from app.records.conditions import list_conditions
    from app.records.documents import list_documents
    from app.records.medications import list_medications
    from app.vault.unlock import open_with_passphrase
    from tests.conftest import PASSPHRASE

    assert cli.run("init", "--person", "Ada Example").code == 0
    embedded = "ccda/hl7-c-cda-examples/Unstructured/CDA with Embedded PDF 1"
    path = str(corpus / embedded / "Unstructured_Document_embed.xml")
    cli.env["CAREBINDER_FAULT"] = "portal-rows-written"
    crashed = cli.run("portal", str(corpus / CCD))
    assert crashed.code == -9, crashed.err
    crashed = cli.run("portal", path)
    assert crashed.code == -9, crashed.err
    del cli.env["CAREBINDER_FAULT"]
    with open_with_passphrase(cli.data_dir, PASSPHRASE, remember=False) as binder:
        assert binder.check().ok
        assert list_documents(binder) == []
        assert list_medications(binder, 1) == [] and list_conditions(binder, 1) == []
        assert set(binder.files.names()) == set()  # the files stored first were orphans
    done = cli.run("portal", str(corpus / CCD), "--json")
    assert done.json()["imported"]["total"] == 17
