"""Damaged and hostile portal files are refused with a reason, and change nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.ingest.portal_read import read_portal
from app.ingest.refusal import Refused
from tests.conftest import Cli

CDA_OPEN = b'<ClinicalDocument xmlns="urn:hl7-org:v3"><title>Summary</title>'

BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE ClinicalDocument [\n<!ENTITY lol "lol">\n'
    + b"".join(
        f'<!ENTITY lol{i} "{(f"&lol{i - 1};" if i > 1 else "&lol;") * 10}">\n'.encode()
        for i in range(1, 10)
    )
    + b"]>\n"
    + CDA_OPEN
    + b"<text>&lol9;</text></ClinicalDocument>\n"
)
EXTERNAL_ENTITY = (
    b'<?xml version="1.0"?>\n<!DOCTYPE ClinicalDocument [\n'
    b'<!ENTITY secret SYSTEM "file:///etc/passwd">\n]>\n'
    + CDA_OPEN
    + b"<text>&secret;</text></ClinicalDocument>\n"
)
EXTERNAL_DTD = (
    b'<?xml version="1.0"?>\n<!DOCTYPE ClinicalDocument SYSTEM "http://example.com/evil.dtd">\n'
    + CDA_OPEN
    + b"</ClinicalDocument>\n"
)
TRUNCATED = CDA_OPEN + b"<component><structuredBody><component><section><title>Medic"
DEEP_JSON = b'{"resourceType": "Bundle", "entry": ' + b"[" * 5000 + b"]" * 5000 + b"}"
BROKEN_JSON = b'{"resourceType": "Bundle", "type": "collection", "entry": [{"resource": '
BROKEN_NDJSON = (
    b'{"resourceType": "Condition", "code": {"text": "Asthma"}}\n'
    b'{"resourceType": "Condition", "code": {"text": \n'
)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (BILLION_LAUGHS, "document type declaration .* attack"),
        (EXTERNAL_ENTITY, "document type declaration .* attack"),
        (EXTERNAL_DTD, "document type declaration .* attack"),
        (TRUNCATED, "damaged: its XML is broken or cut short"),
        (DEEP_JSON, "nests its data too deeply"),
        (BROKEN_JSON, "damaged: it is not valid JSON"),
        (BROKEN_NDJSON, "line 2 is not valid JSON"),
        (b"", "empty"),
        (b"Dear doctor, thank you for seeing me.\n", "not a file from a patient portal"),
    ],
    ids=[
        "billion-laughs",
        "external-entity",
        "external-dtd",
        "truncated-xml",
        "deep-json",
        "broken-json",
        "broken-ndjson",
        "empty",
        "a-letter",
    ],
)
def test_refused_with_a_reason(data: bytes, reason: str) -> None:
    with pytest.raises(Refused, match=reason):
        read_portal(data)


def test_the_broken_files_of_the_blue_button_corpus_are_refused(corpus: Path) -> None:
    folder = corpus / "bluebutton/amida-blue-button-fixtures/sense"
    for name, reason in (
        ("broken.xml", "broken or cut short"),
        ("empty.xml", "not a clinical document"),
        ("example.json", "no FHIR records"),
    ):
        with pytest.raises(Refused, match=reason):
            read_portal((folder / name).read_bytes())


@pytest.mark.parametrize("data", [BILLION_LAUGHS, EXTERNAL_ENTITY, DEEP_JSON, TRUNCATED])
def test_the_command_refuses_and_the_binder_is_unchanged(
    cli: Cli, tmp_path: Path, data: bytes
) -> None:
    assert cli.run("init", "--person", "Ada Example").code == 0
    path = tmp_path / "portal-download.xml"
    path.write_bytes(data)
    result = cli.run("portal", str(path), "--json")
    assert result.code == 1
    assert result.json()["status"] == "refused" and result.json()["reason"]
    assert "Nothing was changed" in result.err
    assert cli.run("list", "--json").json() == []
    assert cli.run("med", "list", "--json").json() == []
