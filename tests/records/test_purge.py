"""Delete for good: only from the Trash, asked in plain words (or --yes for scripts), the
file gone with its last row, a crash in between removing the file at the next open (not
keeping it in the quarantine), and an earlier backup still holding the document."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.records.documents import get_document, list_documents, purge_document, trash_document
from app.records.errors import InvalidValue, NotFound
from app.records.importer import Outcome, import_bytes
from app.records.medications import add_medication, get_medication
from app.vault.binder import Binder
from app.vault.faults import PURGE_POINTS
from app.vault.unlock import open_with_passphrase
from tests.conftest import PASSPHRASE, Cli
from tests.fixtures import make_pdf


def _import(binder: Binder, text: str, name: str, person: int = 1) -> int:
    result = import_bytes(binder, person, make_pdf(None, text), name)
    assert result.status is Outcome.OK, result.reason
    assert result.document is not None
    return result.document.id


def test_purge_document_deletes_only_from_the_trash_and_keeps_what_came_from_it(
    binder: Binder,
) -> None:
    doc_id = _import(binder, "Medication list: tamoxifen 20 mg daily", "meds.pdf")
    med = add_medication(binder, 1, "Tamoxifen", dose="20 mg")
    with binder.transaction() as db:
        db.execute("UPDATE medications SET source_document_id = ? WHERE id = ?", [doc_id, med.id])
    name = get_document(binder, doc_id).file_name

    with pytest.raises(InvalidValue, match="Trash"):
        purge_document(binder, doc_id)
    assert binder.files.exists(name), "nothing happened"
    trash_document(binder, doc_id)
    purged = purge_document(binder, doc_id)

    assert (purged.id, purged.title) == (doc_id, "meds")
    with pytest.raises(NotFound):
        get_document(binder, doc_id)
    assert not binder.files.exists(name)
    assert get_medication(binder, med.id).name == "Tamoxifen", "the medicine stays"
    assert binder.db.execute(
        "SELECT source_document_id FROM medications WHERE id = ?", [med.id]
    ).fetchone() == (None,)
    assert binder.db.execute("SELECT count(*) FROM unsettled_files").fetchone() == (0,)
    with pytest.raises(NotFound):
        purge_document(binder, doc_id)


def test_purge_on_the_command_line_asks_and_says_backups_still_hold_it(
    cli: Cli, tmp_path: Path
) -> None:
    make_pdf(tmp_path / "wrong patient.pdf", "Pathology report of somebody else")
    assert cli.run("init", "--person", "Ada Example").code == 0
    assert cli.run("import", str(tmp_path / "wrong patient.pdf")).code == 0

    refused = cli.run("purge", "1", "--yes")
    assert refused.code == 2 and "not in the Trash" in refused.err
    assert cli.run("trash", "1").code == 0
    assert cli.run("backup", str(tmp_path / "before.cbbackup")).code == 0

    unasked = cli.run("purge", "1")  # no terminal to ask on, and no --yes
    assert unasked.code == 2 and "add --yes" in unasked.err
    assert [d["id"] for d in cli.run("list", "--trash", "--json").json()] == [1]

    done = cli.run("purge", "1", "--yes")
    assert done.code == 0, done.err
    assert "Deleted document 1 for good" in done.err
    assert "Backups made before still hold it" in done.err
    assert cli.run("list", "--trash", "--json").json() == []
    assert cli.run("show", "1").code == 2
    assert [p.name for p in (cli.data_dir / "files").iterdir()] == []
    checked = cli.run("check")
    assert checked.code == 0 and "quarantine" not in checked.out

    earlier = Cli(tmp_path / "from the backup", cli.passphrase_file)
    assert earlier.run("restore", str(tmp_path / "before.cbbackup")).code == 0
    [kept] = earlier.run("list", "--trash", "--json").json()
    assert kept["title"] == "wrong patient", "the earlier backup still holds it"


@pytest.mark.parametrize("point", PURGE_POINTS)
def test_a_crash_between_the_row_and_the_file_removes_the_file_at_the_next_open(
    cli: Cli, tmp_path: Path, point: str
) -> None:
    make_pdf(tmp_path / "a.pdf", "Kept: operative report")
    make_pdf(tmp_path / "b.pdf", "Purged: someone else's letter")
    assert cli.run("init", "--person", "Ada Example").code == 0
    assert cli.run("import", str(tmp_path / "a.pdf"), str(tmp_path / "b.pdf")).code == 0
    with open_with_passphrase(cli.data_dir, PASSPHRASE, remember=False) as binder:
        purged = next(d for d in list_documents(binder) if d.original_name == "b.pdf")
    assert cli.run("trash", str(purged.id)).code == 0

    cli.env["CAREBINDER_FAULT"] = point
    crashed = cli.run("purge", str(purged.id), "--yes")
    assert crashed.code == -9, f"the fault point {point} was not reached: {crashed.err}"
    del cli.env["CAREBINDER_FAULT"]
    assert (cli.data_dir / "files" / purged.file_name).exists(), "the crash came in between"

    with open_with_passphrase(cli.data_dir, PASSPHRASE, remember=False) as binder:
        assert binder.last_reconcile.orphans_removed == [purged.file_name]
        assert binder.last_reconcile.quarantined == [] and binder.quarantined() == []
        assert [d.original_name for d in list_documents(binder)] == ["a.pdf"]
        assert binder.check().ok
