"""The log of what was shared: every bundle and sheet is logged after it is made (never a
password), it answers "what did I give Dr. X?", and a logged bundle can be made again with
the same records, byte for byte."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.export.bundle import BundleError, BundleOptions, build_bundle
from app.export.redaction import Redaction
from app.export.share import changed_since, log_sheet, options_again
from app.records.share_log import list_shares
from app.vault.binder import Binder
from tests.conftest import Cli
from tests.export.bundle_checks import unzip
from tests.fixtures import make_pdf
from tests.sharing import helpers as h


def _sums(files: dict[str, bytes]) -> dict[str, str]:
    lines = files["SHA256SUMS"].decode().splitlines()
    return {name: digest for digest, name in (line.split("  ", 1) for line in lines)}


def test_a_bundle_is_logged_and_made_again_with_the_same_records(
    binder: Binder, tmp_path: Path
) -> None:
    ids = h.fill(binder)
    chosen = [ids["pathology"], ids["scan"]]
    options = BundleOptions(
        for_doctor="Dr. Okafor",
        document_ids=chosen,
        password="correct horse",
        redaction=Redaction(insurance_ids=True),
    )
    first = build_bundle(binder, h.ADA, tmp_path / "first.zip", options)
    (entry,) = list_shares(binder, h.ADA, "okafor")
    assert entry.is_bundle and entry.for_doctor == "Dr. Okafor"
    assert entry.password_protected
    assert [d.id for d in entry.documents] == chosen
    assert entry.options["redaction"]["insurance_ids"] is True
    assert entry.files == first.files
    # The password is nowhere in the log.
    raw = binder.db.execute("SELECT * FROM share_log").fetchall()
    assert "correct horse" not in json.dumps([list(map(str, row)) for row in raw])

    again = options_again(entry, password="another one")
    assert again.document_ids == chosen and again.redaction == options.redaction
    second = build_bundle(binder, h.ADA, tmp_path / "second.zip", again)
    import pyzipper

    def read_all(path: Path, password: bytes) -> dict[str, bytes]:
        with pyzipper.AESZipFile(path) as archive:
            archive.setpassword(password)
            return {n: archive.read(n) for n in archive.namelist()}

    one = _sums(read_all(first.target, b"correct horse"))
    two = _sums(read_all(second.target, b"another one"))
    records = {name for name in one if name.startswith("records/")}
    assert len(records) == 2
    assert {n: one[n] for n in records} == {n: two[n] for n in records}
    assert set(one) == set(two)
    assert changed_since(binder, entry) == []
    assert len(list_shares(binder, h.ADA)) == 2


def test_a_failed_bundle_is_not_logged_and_sheets_are(binder: Binder, tmp_path: Path) -> None:
    h.fill(binder)
    (tmp_path / "taken.zip").write_bytes(b"already here")
    with pytest.raises(BundleError):
        build_bundle(binder, h.ADA, tmp_path / "taken.zip")
    assert list_shares(binder, h.ADA) == []
    log_sheet(binder, h.ADA, "summary", make_pdf(None, "x"), for_doctor="Dr. Rivera")
    (entry,) = list_shares(binder, h.ADA, "Rivera")
    assert entry.what == "sheet printed" and entry.options["sheet"] == "summary"
    assert list_shares(binder, h.ADA, "Okafor") == []
    with pytest.raises(Exception, match="not a bundle"):
        options_again(entry)


def test_shared_and_export_again_from_the_command_line(cli: Cli, tmp_path: Path) -> None:
    assert cli.run("init", "--person", "Rosa Example", "--born", "1959-02-03").code == 0
    for name, text in (("path.pdf", "Biopsy: carcinoma."), ("ct.pdf", "CT: clear.")):
        make_pdf(tmp_path / name, text)
        assert cli.run("import", str(tmp_path / name)).code == 0
    first = cli.run("export", str(tmp_path / "one.zip"), "--for", "Dr. Okafor", "--json")
    assert first.code == 0, first.err
    listed = cli.run("shared", "--json")
    assert listed.code == 0, listed.err
    (entry,) = listed.json()
    assert entry["for_doctor"] == "Dr. Okafor" and len(entry["documents"]) == 2
    assert entry["password_protected"] is False
    words = cli.run("shared", "--for", "okafor")
    assert "Dr. Okafor: bundle of 2 records" in words.out
    again = cli.run("export", str(tmp_path / "two.zip"), "--again", str(entry["id"]))
    assert again.code == 0, again.err
    one, two = _sums(unzip(tmp_path / "one.zip")), _sums(unzip(tmp_path / "two.zip"))
    records = [n for n in one if n.startswith("records/")]
    assert len(records) == 2 and all(one[n] == two[n] for n in records)
    sheet = cli.run(
        "sheet", "summary", str(tmp_path / "s.pdf"), "--for", "Dr. Okafor", "--withhold",
        "insurance-ids",
    )  # fmt: skip
    assert sheet.code == 0, sheet.err
    newest = cli.run("shared", "--json").json()[0]
    assert newest["what"] == "sheet saved" and newest["target"] == str(tmp_path / "s.pdf")
    assert newest["options"]["redaction"]["insurance_ids"] is True
    assert cli.run("export", str(tmp_path / "x"), "--withhold", "shoe-size").code == 2
    missing = cli.run("export", str(tmp_path / "three.zip"), "--again", "99")
    assert missing.code == 2 and "99" in missing.err
    assert not (tmp_path / "three.zip").exists()
