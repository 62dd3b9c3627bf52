"""Preparing the bundle from the window: preselected records, a clear word for an empty
choice, and a bundle that verifies."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt


def test_the_bundle_dialog_preselects_and_writes_a_bundle_that_verifies(
    qtbot: object, demo_window: object, tmp_path: Path
) -> None:
    from app.export.verify import verify
    from app.records.people import find_person
    from app.records.readiness import bundle_document_ids
    from app.ui.export_dialog import ExportDialog

    binder = demo_window.binder  # type: ignore[attr-defined]
    eleanor = find_person(binder, "Eleanor Whitfield")
    chosen = bundle_document_ids(binder, eleanor.id)
    dialog = ExportDialog(binder, eleanor, chosen[:3], "Dr. Irene Castellanos", demo_window)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    assert dialog.chosen_ids() == sorted(chosen[:3], key=dialog.chosen_ids().index)
    assert len(dialog.chosen_ids()) == 3

    for row in range(dialog.records.count()):
        dialog.records.item(row).setCheckState(Qt.CheckState.Unchecked)
    dialog.start()
    assert dialog.message.text() == "Tick at least one record to put in the bundle."

    dialog.records.item(0).setCheckState(Qt.CheckState.Checked)
    dialog.target.setText(str(tmp_path / "for dr castellanos.zip"))
    dialog.start()
    qtbot.waitUntil(lambda: dialog.result_path is not None, timeout=60000)  # type: ignore[attr-defined]
    assert dialog.result_path == tmp_path / "for dr castellanos.zip"
    report = verify(dialog.result_path)
    assert report.ok, report.problem
    assert report.bookmarks == 1


def test_the_dialog_names_the_original_that_shows_a_withheld_number_and_leaves_it_out(
    qtbot: object, demo_window: object
) -> None:
    """Eleanor's insurance letter prints the authorization number: withholding insurance
    numbers cannot change it, so the dialog says so and offers to leave it out."""
    from app.records.documents import list_documents
    from app.records.insurance import save_insurance
    from app.records.people import find_person
    from app.ui.export_dialog import ExportDialog

    binder = demo_window.binder  # type: ignore[attr-defined]
    eleanor = find_person(binder, "Eleanor Whitfield")
    save_insurance(binder, eleanor.id, plan="Northwind Health Plan",
                   authorization_number="NW-2026-448120")  # fmt: skip
    every = [d.id for d in list_documents(binder, eleanor.id)]
    letter = next(d for d in list_documents(binder, eleanor.id) if d.kind.value == "insurance")
    dialog = ExportDialog(binder, eleanor, every, "Dr. Irene Castellanos", demo_window)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    dialog.show()
    assert not dialog.revealing_note.isVisible(), "nothing withheld, nothing to say"
    assert letter.title in [
        dialog.records.item(i).text().split("  ·  ")[1] for i in range(dialog.records.count())
    ]

    qtbot.mouseClick(dialog.leave_out.insurance_ids, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert dialog.revealing_note.isVisible() and dialog.leave_out_revealing.isVisible()
    assert (
        "Insurance letter: second opinion covered (it shows an insurance number)"
        in dialog.revealing_note.text()
    )
    assert "never changed" in dialog.revealing_note.text()
    assert letter.id in dialog.chosen_ids()
    qtbot.mouseClick(dialog.leave_out_revealing, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert letter.id not in dialog.chosen_ids()
    assert len(dialog.chosen_ids()) == len(every) - 1
    assert not dialog.revealing_note.isVisible()
