"""Redaction before sharing: the values the user withholds reach no generated file of the
bundle (raw bytes and the text a PDF reader extracts), while the originals stay untouched."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from app.export.bundle import BundleOptions, build_bundle
from app.export.redaction import WITHHELD, Redaction, mask_id_numbers
from app.records.documents import list_documents
from app.vault.binder import Binder
from tests.conftest import Cli
from tests.export.bundle_checks import check_sums, pdf_text, unzip, validate_fhir
from tests.sharing import helpers as h

WITHHELD_VALUES = (
    h.MEMBER_ID, h.GROUP_ID, h.AUTHORIZATION, h.SSN, h.NI_NUMBER, h.HOME_ADDRESS, h.PRIVATE_NOTE,
)  # fmt: skip
# Where care happens is never an address to withhold: the doctor needs it.
PLACES_OF_CARE = (h.DOCTOR_ADDRESS, h.VISIT_ADDRESS)


def _squash(text: str) -> str:
    return "".join(text.split()).casefold()


def _generated(files: dict[str, bytes]) -> dict[str, bytes]:
    return {name: data for name, data in files.items() if not name.startswith("records/")}


def test_withheld_values_are_in_no_generated_file(binder: Binder, tmp_path: Path) -> None:
    ids = h.fill(binder)
    choice = Redaction(
        insurance_ids=True,
        id_numbers=True,
        addresses=True,
        notes=(f"dose-change:{ids['private_change']}",),
    )
    result = build_bundle(
        binder, h.ADA, tmp_path / "b.zip", BundleOptions(for_doctor="Dr. Okafor", redaction=choice)
    )
    files = unzip(result.target)
    check_sums(files)
    generated = _generated(files)
    assert {"Summary.pdf", "Records packet.pdf", "README.txt", "patient-summary.json"} <= set(
        generated
    )
    texts = {name: data.decode("latin-1") for name, data in generated.items()}
    for name, data in generated.items():
        if name.endswith(".pdf"):
            texts[name + " (as read)"] = pdf_text(data)
    for name, text in texts.items():
        for value in WITHHELD_VALUES:
            assert _squash(value) not in _squash(text), f"{value!r} is in {name}"
    # The doctor sees that something was left out, and everything else is still there.
    summary = pdf_text(files["Summary.pdf"])
    assert WITHHELD in summary and "Invasive ductal carcinoma" in summary
    everything = _squash(" ".join(texts.values())).replace("\\", "")
    for place in PLACES_OF_CARE:
        assert _squash(place) in everything, f"{place!r}, a place of care, was withheld"
    assert "Blue Example PPO" in summary
    assert h.KEPT_NOTE in " ".join(pdf_text(files["Medications.pdf"]).split())
    assert WITHHELD in " ".join(pdf_text(files["Medications.pdf"]).split())
    fhir = validate_fhir(files["patient-summary.json"])
    assert WITHHELD in json.dumps(fhir)
    assert WITHHELD in files["README.txt"].decode()
    # Originals are never edited: the same bytes as stored.
    stored = {d.sha256 for d in list_documents(binder, h.ADA)}
    originals = [data for name, data in files.items() if name.startswith("records/")]
    assert len(originals) == 3
    assert {hashlib.sha256(data).hexdigest() for data in originals} == stored


def test_without_redaction_the_values_are_there(binder: Binder, tmp_path: Path) -> None:
    """The check above means something: the same binder shares them when nothing is withheld."""
    h.fill(binder)
    files = unzip(build_bundle(binder, h.ADA, tmp_path / "b.zip").target)
    summary = _squash(pdf_text(files["Summary.pdf"]))
    assert _squash(h.MEMBER_ID) in summary and _squash(h.SSN) in summary
    assert _squash(h.PRIVATE_NOTE) in _squash(pdf_text(files["Medications.pdf"]))
    assert h.DOCTOR_ADDRESS in files["patient-summary.json"].decode()


def test_id_numbers_are_recognised_but_dates_and_phone_numbers_are_not() -> None:
    assert mask_id_numbers("SSN 078-05-1120.") == f"SSN {WITHHELD}."
    assert mask_id_numbers("NI: QQ 12 34 56 C") == f"NI: {WITHHELD}"
    assert mask_id_numbers("social security number: 078051120") == (
        f"social security number: {WITHHELD}"
    )
    assert mask_id_numbers("NHS number 943 476 5919") == f"NHS number {WITHHELD}"
    for kept in ("Seen on 2026-03-02", "Call 617-632-3000", "Ki-67 20%", "pT2 N0 (0/3)"):
        assert mask_id_numbers(kept) == kept


# -- one rule each (issue 21) ------------------------------------------------------------------


def test_addresses_means_home_addresses_and_every_place_of_care_stays() -> None:
    from app.export.redaction import street_addresses

    places = ["Lakeside Cancer Center, 3rd floor", "1200 Elm Street, Springfield"]
    text = (
        "Scans at Riverside Imaging Center, then surgery at Riverside General Hospital and "
        "chemotherapy at Lakeside Cancer Center, 3rd floor; letters to 1200 Elm Street, "
        "Springfield. Home: 14 Linden Road, Arlington."
    )
    assert street_addresses(text, places) == ["14 Linden Road"]
    # Without the care team's addresses known, a street address is still only an address.
    assert street_addresses(text) == ["1200 Elm Street", "14 Linden Road"]


def test_with_addresses_withheld_no_institution_is_masked_and_the_home_is(
    binder: Binder, tmp_path: Path
) -> None:
    h.fill(binder)
    choice = Redaction(addresses=True)
    files = unzip(
        build_bundle(binder, h.ADA, tmp_path / "b.zip", BundleOptions(redaction=choice)).target
    )
    text = _squash(pdf_text(files["Questions.pdf"]) + files["README.txt"].decode())
    assert _squash(h.HOME_ADDRESS) not in text
    summary = _squash(pdf_text(files["Summary.pdf"]))
    assert _squash(h.VISIT_ADDRESS) in summary or _squash(h.DOCTOR_ADDRESS) in summary


def _letter(binder: Binder, text: str, title: str) -> int:
    return h.add_record(binder, "letter2.pdf", text, title, "2026-04-10")


def test_an_original_that_prints_the_insurance_number_is_named_and_can_be_left_out(
    binder: Binder, tmp_path: Path
) -> None:
    from app.export.revealing import revealing_originals, revealing_warning

    ids = h.fill(binder)
    letter = _letter(binder, f"Prior authorization {h.AUTHORIZATION} approved.", "Insurance letter")
    everything = [d.id for d in list_documents(binder, h.ADA)]
    choice = Redaction(insurance_ids=True)
    found = revealing_originals(binder, h.ADA, everything, choice)
    assert [(r.document_id, r.shows) for r in found] == [(letter, ("an insurance number",))]
    assert "Insurance letter (it shows an insurance number)" in revealing_warning(found)
    assert revealing_originals(binder, h.ADA, everything, Redaction(addresses=True)) == []
    # Left out, its bytes are nowhere in the bundle: not in records/, not in the packet.
    kept = [i for i in everything if i != letter]
    files = unzip(
        build_bundle(
            binder, h.ADA, tmp_path / "b.zip", BundleOptions(document_ids=kept, redaction=choice)
        ).target
    )
    assert _squash(h.AUTHORIZATION) not in _squash(pdf_text(files["Records packet.pdf"]))
    assert len([n for n in files if n.startswith("records/")]) == len(kept)
    assert ids["pathology"] in kept


def test_an_original_with_an_id_number_or_a_home_address_is_named(binder: Binder) -> None:
    from app.export.revealing import revealing_originals

    h.fill(binder)
    ssn = _letter(binder, "Patient SSN 078-05-1120 on file.", "Registration form")
    home = _letter(binder, f"Send results to {h.HOME_ADDRESS}, Paris.", "Results letter")
    clinic = _letter(binder, f"Clinic at {h.DOCTOR_ADDRESS}.", "Appointment card")
    everything = [d.id for d in list_documents(binder, h.ADA)]
    by_id = {r.document_id: r.shows for r in revealing_originals(
        binder, h.ADA, everything, Redaction(id_numbers=True, addresses=True)
    )}  # fmt: skip
    assert by_id[ssn] == ("an ID number",)
    assert by_id[home] == ("a street address",)
    assert clinic not in by_id, "the care team's own address is a place of care"


def test_an_original_holding_a_withheld_note_is_named(binder: Binder) -> None:
    from app.export.revealing import revealing_originals

    ids = h.fill(binder)
    copied = _letter(binder, f"Diary: {h.PRIVATE_NOTE}.", "Diary page")
    everything = [d.id for d in list_documents(binder, h.ADA)]
    choice = Redaction(notes=(f"dose-change:{ids['private_change']}",))
    found = revealing_originals(binder, h.ADA, everything, choice)
    assert [(r.document_id, r.shows) for r in found] == [
        (copied, ("a note you chose to leave out",))
    ]


def test_export_withhold_names_the_revealing_original_and_can_leave_it_out(
    cli: Cli, tmp_path: Path
) -> None:
    from app.vault.unlock import open_with_passphrase
    from tests.conftest import PASSPHRASE

    assert cli.run("init", "--person", "Ada Example").code == 0
    with open_with_passphrase(cli.data_dir, PASSPHRASE, remember=False) as binder:
        h.fill(binder)
        letter = _letter(binder, f"Authorization {h.AUTHORIZATION} approved.", "Insurance letter")
    shown = cli.run("export", str(tmp_path / "a.zip"), "--withhold", "insurance-ids")
    assert shown.code == 0, shown.err
    assert "Insurance letter (it shows an insurance number)" in shown.err
    assert "never changed" in shown.err and "--leave-out-revealing" in shown.err
    assert any(
        n.startswith("records/") and "Insurance letter" in n for n in unzip(tmp_path / "a.zip")
    )

    left = cli.run(
        "export", str(tmp_path / "b.zip"), "--withhold", "insurance-ids",
        "--leave-out-revealing", "--json",
    )  # fmt: skip
    assert left.code == 0, left.err
    assert left.json()["originals_showing_withheld"] == [
        {"id": letter, "name": "Insurance letter", "shows": ["an insurance number"],
         "left_out": True}
    ]  # fmt: skip
    files = unzip(tmp_path / "b.zip")
    assert not any("Insurance letter" in n for n in files)
    assert len([n for n in files if n.startswith("records/")]) == 3
    assert _squash(h.AUTHORIZATION) not in _squash(pdf_text(files["Records packet.pdf"]))
