"""Plain names from real portal files (../shared/corpus): no lab result is shown by a LOINC
machine name, a condition brought in from several files shows once, a dose is said once."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.export.printable import sheet_pdf
from app.ingest.codes import Code
from app.ingest.lab_names import is_machine_name, plain_test_name
from app.ingest.portal_read import portal_type, read_folder, read_portal
from app.ingest.refusal import Refused
from app.records.conditions import list_conditions, merge_conditions, same_condition_key
from app.records.doses import dose_words
from app.records.medications import list_medications
from app.records.portal_import import apply, pick_patient, preview
from app.records.results import list_results
from app.vault.binder import Binder
from tests.export.bundle_checks import pdf_text

# LOINC's fully specified name: COMPONENT:PROPERTY:TIME:SYSTEM:SCALE.
LOINC_LONG_NAME = re.compile(r"^[^:]+(?::[^:\s]*){4,}$")
# A dose said twice: "30.0 · 30 units", "30 30 units".
SAID_TWICE = re.compile(r"\b(\d+)(?:\.0+)?\b\D{0,4}\b\1\b(?!\.\d)")


def _portal_files(corpus: Path) -> list[tuple[str, bytes]]:
    found = []
    for folder in ("ccda/hl7-c-cda-examples", "bluebutton"):
        for path in sorted((corpus / folder).rglob("*")):
            if path.is_file() and path.stat().st_size < 3_000_000:
                data = path.read_bytes()
                if portal_type(data) is not None:
                    found.append((path.name, data))
    return found


def _import_everything(binder: Binder, corpus: Path) -> list[str]:
    """Every portal file that reads, into one person; returns the names the previews showed."""
    shown: list[str] = []
    for name, data in _portal_files(corpus):
        try:
            record = read_portal(data)
        except Refused:
            continue  # refused files are another test's business
        if len(record.patients) > 1:
            record = pick_patient(record, record.patients[0].key)
        items = preview(binder, 1, record, name, data)
        shown += [item.label for item in items.items]
        apply(binder, 1, items)
    record, _ = read_folder(corpus / "fhir/synthea-bulk-10-patients")
    for patient in record.patients[:3]:
        one = pick_patient(record, patient.key)
        items = preview(binder, 1, one, "synthea.ndjson", b"{}")
        shown += [item.label for item in items.items]
    return shown


@pytest.mark.corpus
def test_portal_files_show_plain_names_one_line_per_condition_and_each_dose_once(
    binder: Binder, corpus: Path
) -> None:
    shown = _import_everything(binder, corpus)
    results = list_results(binder, 1)
    assert len(results) >= 10
    for name in [*shown, *(r.name for r in results)]:
        assert not LOINC_LONG_NAME.match(name), f"{name!r} is a LOINC machine name"
    for result in results:
        assert not is_machine_name(result.name) or not any(
            c.system == "http://loinc.org" for c in result.codes
        ), f"{result.name!r} was left as a lab's abbreviation"
    names = {r.name for r in results}
    assert "Sodium (a salt in the blood)" in names, "“NA” of a VA file, by its LOINC code"

    conditions = list_conditions(binder, 1)
    keys = [same_condition_key(c.name) for c in conditions]
    assert len(keys) == len(set(keys)), "a condition came in twice"
    assert "angina" in keys
    summary = " ".join(pdf_text(sheet_pdf(binder, 1, "summary")).split())
    assert summary.count("Angina") == 1

    medications = list_medications(binder, 1)
    assert len(medications) >= 10
    for med in medications:
        said = dose_words(med.dose, med.how_often)
        assert not SAID_TWICE.search(said), f"{med.name}: {said!r}"


def test_a_raw_loinc_name_becomes_the_plain_name_of_its_code_or_its_own_words() -> None:
    troponin = "TROPONIN T.CARDIAC:MCNC:PT:SER/PLAS:QN:"
    loinc = (Code("http://loinc.org", "6598-7", troponin),)
    assert plain_test_name(troponin, loinc) == "Troponin T (heart muscle test)"
    assert plain_test_name(troponin) == "Troponin T cardiac"
    assert plain_test_name("Leukocytes [#/volume] in Blood by Manual count") == "Leukocytes"
    assert plain_test_name("K", (Code("http://loinc.org", "2823-3"),)) == (
        "Potassium (a salt in the blood)"
    )
    assert plain_test_name("Urea nitrogen, Serum") == "Urea nitrogen, Serum", "its own words"
    assert plain_test_name("HIV") == "HIV", "an unknown abbreviation is kept, not guessed"


def test_a_dose_is_said_once() -> None:
    assert dose_words("30.0", "30 units") == "30 units"
    assert dose_words("30 units", "30.0") == "30 units"
    assert dose_words("20 mg", "once a day") == "20 mg once a day"
    assert dose_words("0.50 mg", "twice a day", joiner=", ") == "0.5 mg, twice a day"
    assert dose_words("1 tablet", "1 tablet") == "1 tablet"


def test_a_condition_named_by_three_records_is_one_line_with_its_sources(
    binder: Binder,
) -> None:
    from app.records.conditions import add_condition
    from tests.sharing.helpers import add_record

    docs = [
        add_record(binder, f"f{i}.pdf", "Problem list", f"Portal file {i}", f"2026-01-0{i}")
        for i in (1, 2, 3)
    ]
    for doc, onset in zip(docs, ("2007-04-17", "2007-04", None), strict=True):
        add_condition(binder, 1, "Angina", onset, source_document_id=doc)
    add_condition(binder, 1, "angina.", "2009")
    [merged] = merge_conditions(list_conditions(binder, 1))
    assert merged.name == "Angina" and merged.shown.onset_date == "2007-04"
    assert sorted(merged.sources) == docs, "each source once; the typed-in one has none"
