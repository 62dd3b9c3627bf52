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
from tests.export.bundle_checks import check_sums, pdf_text, unzip, validate_fhir
from tests.sharing import helpers as h

WITHHELD_VALUES = (
    h.MEMBER_ID, h.GROUP_ID, h.AUTHORIZATION, h.SSN, h.NI_NUMBER, h.DOCTOR_ADDRESS,
    h.VISIT_ADDRESS, h.HOME_ADDRESS, h.PRIVATE_NOTE,
)  # fmt: skip


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
