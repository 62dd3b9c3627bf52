"""The window side of sharing: "What I shared" answers "what did I give Dr. Okafor?", and
"Make this bundle again" opens the export dialog with the same records, doctor and choices
of what to leave out; the export dialog's own choices reach the bundle."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt

from app.export.bundle import BundleOptions, build_bundle
from app.export.redaction import Redaction
from app.records.people import get_person
from app.records.share_log import list_shares
from app.vault.binder import Binder
from tests.export.bundle_checks import pdf_text, unzip
from tests.sharing import helpers as h


def _grab(widget: object, name: str) -> None:
    """Screenshots to look at, when CAREBINDER_SHOTS names a folder."""
    shots = os.environ.get("CAREBINDER_SHOTS")
    if shots:
        widget.grab().save(str(Path(shots) / name))  # type: ignore[attr-defined]


def test_what_i_shared_and_make_it_again(qtbot: object, binder: Binder, tmp_path: Path) -> None:
    from app.ui.application import make_application
    from app.ui.export_dialog import ExportDialog
    from app.ui.shared_view import EMPTY, SharedView

    make_application()
    ids = h.fill(binder)
    view = SharedView(binder)
    qtbot.addWidget(view)  # type: ignore[attr-defined]
    view.set_person(get_person(binder, h.ADA))
    assert view.empty.text_label.text() == EMPTY and view.list.count() == 0
    assert view.empty.action_button.text() == "Prepare the bundle..."

    chosen = [ids["pathology"], ids["letter"]]
    options = BundleOptions(
        for_doctor="Dr. Okafor", document_ids=chosen, redaction=Redaction(addresses=True)
    )
    build_bundle(binder, h.ADA, tmp_path / "okafor.zip", options)
    build_bundle(binder, h.ADA, tmp_path / "rivera.zip", BundleOptions(for_doctor="Dr. Rivera"))
    view.refresh()
    assert view.list.count() == 2
    view.doctor.setCurrentText("Dr. Okafor")
    assert view.list.count() == 1
    assert "Dr. Okafor" in view.list.item(0).text() and "Bundle of 2 records" in (
        view.list.item(0).text()
    )
    details = view.details.text()
    assert "Biopsy report" in details and "CT chest" not in details
    assert "Left out: addresses." in details and "No password." in details
    view.resize(900, 420)
    _grab(view, "what-i-shared.png")

    dialog = view.make_again()
    assert isinstance(dialog, ExportDialog)  # the view owns it; it closes itself
    assert sorted(dialog.chosen_ids()) == sorted(chosen)
    assert dialog.doctor.text() == "Dr. Okafor"
    assert dialog.leave_out.addresses.isChecked()
    assert not dialog.leave_out.insurance_ids.isChecked()
    dialog.resize(720, 820)
    _grab(dialog, "export-dialog-leave-out.png")

    # Tick "insurance numbers" and a note too; the bundle the dialog writes withholds them.
    dialog.leave_out.insurance_ids.setChecked(True)
    for row in range(dialog.leave_out.notes.count()):
        item = dialog.leave_out.notes.item(row)
        if h.PRIVATE_NOTE in item.toolTip():
            item.setCheckState(Qt.CheckState.Checked)
    for row in range(dialog.records.count()):
        dialog.records.item(row).setCheckState(Qt.CheckState.Checked)
    dialog.target.setText(str(tmp_path / "again.zip"))
    dialog.start()
    qtbot.waitUntil(lambda: dialog.result_path is not None, timeout=60000)  # type: ignore[attr-defined]
    files = unzip(tmp_path / "again.zip")
    summary = pdf_text(files["Summary.pdf"])
    assert h.MEMBER_ID not in summary and "[withheld]" in summary
    assert h.PRIVATE_NOTE not in " ".join(pdf_text(files["Medications.pdf"]).split())
    newest = list_shares(binder, h.ADA)[0]
    assert newest.options["redaction"]["insurance_ids"] is True
    assert newest.options["redaction"]["notes"] == [f"dose-change:{ids['private_change']}"]


def test_a_sheet_printed_for_a_doctor_is_logged_with_what_was_left_out(
    qtbot: object, binder: Binder
) -> None:
    from app.ui.application import make_application
    from app.ui.sheets_dialog import SheetsDialog

    make_application()
    h.fill(binder)
    dialog = SheetsDialog(binder, get_person(binder, h.ADA))
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    dialog.which.setCurrentIndex(dialog.which.findData("summary"))
    dialog.for_doctor.setText("Dr. Rivera")
    dialog.leave_out.insurance_ids.setChecked(True)
    dialog.leave_out.id_numbers.setChecked(True)
    made: list[bytes] = []
    dialog.make(made.append)
    qtbot.waitUntil(lambda: bool(made), timeout=30000)  # type: ignore[attr-defined]
    text = pdf_text(made[0])
    assert h.MEMBER_ID not in text and h.SSN not in text and "[withheld]" in text
    dialog.log_shared(made[0], "")  # what Print does once the preview is printed
    (entry,) = list_shares(binder, h.ADA, "Rivera")
    assert entry.what == "sheet printed" and entry.options["sheet"] == "summary"
    assert entry.options["redaction"]["id_numbers"] is True
    dialog.resize(660, 560)
    _grab(dialog, "sheets-dialog.png")
