"""The portal dialog: grouped items with boxes, new ones ticked, the rest labelled as
already in CareBinder; bringing in runs off the UI thread and a second look finds nothing new."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

CCD = "ccda/hl7-c-cda-examples/Documents/CCD/CCD 1/CCD.XML"


def _rows(dialog: object) -> dict[str, list[tuple[str, bool, str]]]:
    tree = dialog.tree  # type: ignore[attr-defined]
    groups = {}
    for index in range(tree.topLevelItemCount()):
        top = tree.topLevelItem(index)
        groups[top.text(0)] = [
            (
                top.child(i).text(0),
                top.child(i).checkState(0) == Qt.CheckState.Checked,
                top.child(i).text(1),
            )
            for i in range(top.childCount())
        ]
    return groups


def test_the_dialog_ticks_new_items_and_brings_them_in_once(
    qtbot: object, window: object, corpus: Path
) -> None:
    from app.records.medications import list_medications
    from app.ui.portal_dialog import PortalDialog

    binder, person = window.binder, window.person  # type: ignore[attr-defined]
    dialog = PortalDialog(binder, person, corpus / CCD, window)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: dialog.tree.topLevelItemCount() > 0, timeout=30000)  # type: ignore[attr-defined]
    rows = _rows(dialog)
    assert rows["Medications (2)"] == [
        ("albuterol 0.09 MG/ACTUAT [Proventil]", True, "2, 4 times a day · from 3 Jan 2011"),
        ("atenolol 25 MG Oral Tablet", True, "1, twice a day · from 18 Mar 2012"),
    ]
    assert (
        "Colonic polypectomy",
        False,
        "listed twice in this file · 3 Feb 2011 · Community Health and Hospitals",
    ) in rows["Procedures and surgeries (3, 2 new)"]
    assert "RxNorm" not in str(rows) and "197380" not in str(rows)  # codes are kept, not shown
    assert dialog.bring_in.text() == "Bring in 17 items"  # Pneumonia of 1998 and 2013: one
    # Unticking a group leaves it out.
    results = next(
        dialog.tree.topLevelItem(i)
        for i in range(dialog.tree.topLevelItemCount())
        if dialog.tree.topLevelItem(i).text(0).startswith("Test results")
    )
    results.setCheckState(0, Qt.CheckState.Unchecked)
    assert dialog.bring_in.text() == "Bring in 11 items"
    dialog.bring_in.click()
    qtbot.waitUntil(lambda: dialog.applied is not None, timeout=60000)  # type: ignore[attr-defined]
    assert dialog.applied.added.get("results") is None
    assert len(list_medications(binder, person.id)) == 2
    assert dialog.done_message().startswith("Brought in 2 medications")

    again = PortalDialog(binder, person, corpus / CCD, window)  # type: ignore[arg-type]
    qtbot.addWidget(again)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: again.tree.topLevelItemCount() > 0, timeout=30000)  # type: ignore[attr-defined]
    rows = _rows(again)
    assert rows["Medications (2, all already in CareBinder)"] == [
        (
            "albuterol 0.09 MG/ACTUAT [Proventil]",
            False,
            "already in CareBinder · 2, 4 times a day · from 3 Jan 2011",
        ),
        (
            "atenolol 25 MG Oral Tablet",
            False,
            "already in CareBinder · 1, twice a day · from 18 Mar 2012",
        ),
    ]
    assert again.bring_in.text() == "Bring in 6 items"  # only the results left out before


def test_a_hostile_file_is_refused_in_words(qtbot: object, window: object, tmp_path: Path) -> None:
    from app.ui.portal_dialog import PortalDialog

    path = tmp_path / "summary.xml"
    path.write_bytes(
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>'
        b'<ClinicalDocument xmlns="urn:hl7-org:v3">&a;</ClinicalDocument>'
    )
    dialog = PortalDialog(window.binder, window.person, path, window)  # type: ignore[attr-defined]
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: "cannot be brought in" in dialog.status.text(), timeout=30000)  # type: ignore[attr-defined]
    assert "attack" in dialog.status.text()
    assert not dialog.bring_in.isEnabled()
    assert dialog.cancel.text() == "Close"


def test_the_file_menu_has_the_portal_import(window: object) -> None:
    action = window.actions_by_name["import_portal"]  # type: ignore[attr-defined]
    assert action.text() == "Import from a patient &portal..."
