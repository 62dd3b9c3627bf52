"""The records-request letter: filled in from the request and the person, one page even
when a lot is asked for, black ink only, from the CLI and from the requests tab."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from app.export.request_letter import request_letter_pdf
from app.records.errors import InvalidValue
from app.records.records_requests import add_request, delete_request
from app.records.request_letters import get_letter_details, save_letter_details
from app.vault.binder import Binder
from tests.conftest import Cli
from tests.export.bundle_checks import pdf_pages, pdf_text

ADA = 1
CONTACT = "14 Linden Road, Arlington, MA 02474\nPhone 781-555-0142"


def _words(pdf: bytes) -> str:
    return " ".join(pdf_text(pdf).split())


def test_the_letter_names_the_records_dates_format_and_where_to_send(binder: Binder) -> None:
    request = add_request(
        binder, ADA, "Massachusetts General Hospital", "Pathology report of the biopsy",
        department="Health Information Management", contact="fax 617-726-0000",
    )  # fmt: skip
    save_letter_details(
        binder, request.id, records_from="2026-02", records_to="2026-05-15",
        delivery="Paper copies, by mail", send_to="", patient_contact=CONTACT,
    )  # fmt: skip
    pdf = request_letter_pdf(binder, request.id)
    assert pdf_pages(pdf) == 1
    text = _words(pdf)
    for expected in (
        "Ada Example", "31 Jan 1970", "Health Information Management",
        "Massachusetts General Hospital", "fax 617-726-0000", "Pathology report of the biopsy",
        "From Feb 2026 to 15 May 2026", "Paper copies, by mail", "14 Linden Road",
        "Signature", "Date",
    ):  # fmt: skip
        assert expected in text, expected
    # With no "send to", the records come to the patient's own address.
    assert text.count("14 Linden Road") == 2

    # A second request's letter starts with the contact already filled in.
    other = add_request(binder, ADA, "Dana-Farber", "CT reports")
    assert get_letter_details(binder, other.id).patient_contact == CONTACT
    with pytest.raises(InvalidValue, match="before"):
        save_letter_details(binder, other.id, records_from="2026-05", records_to="2026-01")
    delete_request(binder, request.id)  # the letter goes with its request


def test_a_long_request_still_fits_one_page_in_black_ink(binder: Binder) -> None:
    from pypdf import PdfReader

    what = "; ".join(
        f"report number {n} of the treatment at the infusion centre" for n in range(14)
    )
    request = add_request(binder, ADA, "A hospital with a rather long name " * 3, what)
    save_letter_details(binder, request.id, patient_contact="\n".join(["A line"] * 4))
    pdf = request_letter_pdf(binder, request.id)
    assert pdf_pages(pdf) == 1
    content = PdfReader(io.BytesIO(pdf)).pages[0].get_contents()
    assert content is not None
    data = content.get_data().decode("latin-1")
    # Every colour set is black or white: nothing fades on a fax or a photocopy.
    colours = [line for line in data.splitlines() if line.endswith((" rg", " RG"))]
    assert colours and all(c.split()[:3] in (["0", "0", "0"], ["1", "1", "1"]) for c in colours)


def test_the_letter_from_the_command_line(cli: Cli, tmp_path: Path) -> None:
    from app.records.people import find_person
    from app.vault.unlock import open_with_passphrase
    from tests.conftest import PASSPHRASE

    assert cli.run("init", "--person", "Rosa Example", "--born", "1959-02-03").code == 0
    with open_with_passphrase(cli.data_dir, PASSPHRASE, remember=False) as binder:
        rosa = find_person(binder, None)
        request = add_request(binder, rosa.id, "St. Example Hospital", "Operative report")
    listed = cli.run("requests", "--json")
    assert listed.code == 0 and listed.json()[0]["facility"] == "St. Example Hospital"
    out = tmp_path / "letter.pdf"
    done = cli.run(
        "request-letter", str(request.id), str(out), "--from", "2025-11", "--format",
        "By fax", "--send-to", "fax 555-0199", "--contact", "rosa@example.org",
    )  # fmt: skip
    assert done.code == 0, done.err
    text = _words(out.read_bytes())
    assert "Rosa Example" in text and "3 Feb 1959" in text and "By fax" in text
    assert "From Nov 2025 to today" in text and "fax 555-0199" in text
    assert cli.run("request-letter", "99", str(tmp_path / "x.pdf")).code == 2


def test_the_letter_button_in_the_requests_tab(qtbot: object, binder: Binder) -> None:
    from app.ui.application import make_application
    from app.ui.records_requests_view import RecordsRequestsView

    make_application()
    add_request(binder, ADA, "Dana-Farber", "CT reports of 2026")
    view = RecordsRequestsView(binder)
    qtbot.addWidget(view)  # type: ignore[attr-defined]
    view.set_person(ADA)
    assert not view.letter_button.isEnabled()
    view.table.selectRow(0)
    assert view.letter_button.isEnabled()
    dialog = view.open_letter_dialog()
    assert dialog is not None
    dialog.records_from.setText("2026-13-40")  # type: ignore[attr-defined]
    assert dialog.make() is None  # type: ignore[attr-defined]
    assert dialog.message.text()  # type: ignore[attr-defined]
    dialog.records_from.setText("2026-01")  # type: ignore[attr-defined]
    dialog.contact.setPlainText("ada@example.org")  # type: ignore[attr-defined]
    pdf = dialog.make()  # type: ignore[attr-defined]
    assert pdf is not None and "From Jan 2026 to today" in _words(pdf)
    assert get_letter_details(binder, view.requests[0].id).patient_contact == "ada@example.org"
    shots = Path(os.environ.get("CAREBINDER_SHOTS") or "/nonexistent")
    if shots.is_dir():
        dialog.grab().save(str(shots / "letter-dialog.png"))
        view.resize(900, 300)
        view.grab().save(str(shots / "requests-tab.png"))
    dialog.close()
