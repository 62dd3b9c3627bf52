"""A crash at each named fault point of the write path (app/vault/faults.py): the binder
opens, `check` passes, nothing committed is lost, no orphan or temp file remains."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.vault.faults import POINTS
from app.vault.unlock import open_with_passphrase
from tests.conftest import PASSPHRASE, Cli
from tests.fixtures import make_pdf


@pytest.mark.parametrize("point", POINTS)  # the import path; purge: tests/records/test_purge.py
def test_a_crash_at_each_fault_point_loses_nothing_committed(
    cli: Cli, tmp_path: Path, point: str
) -> None:
    make_pdf(tmp_path / "kept.pdf", "Pathology: first report")
    make_pdf(tmp_path / "crashing.pdf", "Operative report: the one being written")
    assert cli.run("init", "--person", "Ada Example").code == 0
    assert cli.run("import", str(tmp_path / "kept.pdf")).code == 0

    cli.env["CAREBINDER_FAULT"] = point
    crashed = cli.run("import", str(tmp_path / "crashing.pdf"))
    assert crashed.code == -9, f"the fault point {point} was not reached: {crashed.err}"
    del cli.env["CAREBINDER_FAULT"]

    with open_with_passphrase(cli.data_dir, PASSPHRASE, remember=False) as binder:
        from app.records.documents import list_documents

        report = binder.check()
        assert report.ok, report.problems
        titles = sorted(d.title for d in list_documents(binder))
        expected = ["crashing", "kept"] if point == "row-committed" else ["kept"]
        assert titles == expected
        assert set(binder.files.names()) == {d.file_name for d in list_documents(binder)}
        # The crash's leftover was recognised as one and removed, not kept aside.
        assert binder.quarantined() == [] and not (cli.data_dir / "quarantine").exists()
        assert not list((cli.data_dir / "files").glob(".tmp-*"))
    # And the interrupted import can simply be done again.
    again = cli.run("import", str(tmp_path / "crashing.pdf"), "--json")
    assert again.code == 0
    assert again.json()[0]["status"] == ("duplicate" if point == "row-committed" else "ok")
