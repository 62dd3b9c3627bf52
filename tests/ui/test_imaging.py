"""Imaging discs in the window, driven as a user would (offscreen): File > Import an imaging
disc, a dropped disc, the patient choice, the studies beside the documents, a study's window
with its pictures, "Open in a viewer..." (a readable copy only after agreeing, removed on
close), the checklist's two new lines, and a request for slides."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.records.imaging import list_studies
from app.records.readiness import ItemState, readiness
from app.records.records_requests import list_requests
from app.ui.imaging_import_dialog import ImagingImportDialog
from app.ui.imaging_study_view import CAPTION, StudyDialog
from app.ui.records_request_dialogs import RequestDialog
from app.vault.binder import Binder
from tests.dicom_files import ADA, BOB, make_disc


def click(qtbot: QtBot, button: QWidget) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def person_id(binder: Binder) -> int:
    return int(binder.db.execute("SELECT id FROM people").fetchone()[0])


def import_through_the_dialog(qtbot: QtBot, dialog: ImagingImportDialog) -> None:
    qtbot.waitUntil(lambda: dialog.import_button.isVisible(), timeout=20000)
    with qtbot.waitSignal(dialog.imported, timeout=30000):
        click(qtbot, dialog.import_button)


def test_a_disc_of_two_patients_asks_which_and_shows_the_study_beside_the_documents(
    qtbot: QtBot, window: object, binder: Binder, tmp_path: Path
) -> None:
    make_disc(tmp_path / "disc", patients=(ADA, BOB), series=2, images=2)
    dialog = window.import_imaging_disc([tmp_path / "disc"])  # type: ignore[attr-defined]
    assert isinstance(dialog, ImagingImportDialog)
    qtbot.waitUntil(lambda: dialog.tree.isVisible(), timeout=20000)
    assert dialog.patient.isVisible() and dialog.patient.count() == 2
    assert "Only this patient's images will be kept" in dialog.status.text()
    assert dialog.skipped_button.text() == "2 other files (not images)"
    labels = [dialog.patient.itemText(i) for i in range(2)]
    bob = next(i for i, text in enumerate(labels) if text.startswith("Bob Other"))
    dialog.patient.setCurrentIndex(bob)  # not the person whose binder this is
    assert "“Bob Other”, not “Ada Example”" in dialog.warning.text()
    dialog.patient.setCurrentIndex(1 - bob)
    assert not dialog.warning.isVisible() or not dialog.warning.text()
    row = dialog.tree.topLevelItem(0)
    assert [row.text(c) for c in range(5)] == [
        "4 Mar 2026",
        "CT scan",
        "Chest",
        "Chest with contrast",
        "Lakeside Imaging",
    ]
    assert row.child(0).text(3) == "2 images"
    import_through_the_dialog(qtbot, dialog)
    assert dialog.status.text().startswith("Import finished: 4 images kept, 1 new study")
    (study,) = list_studies(binder, person_id(binder))
    assert study.patient_name == "Example^Ada"
    documents = window.documents  # type: ignore[attr-defined]
    assert not documents.studies.isHidden()  # shown with the page
    assert documents.studies.list.count() == 1
    assert "CT scan: Chest with contrast" in documents.studies.list.item(0).text()
    window.show_place("Overview")  # type: ignore[attr-defined]
    overview = window.overview  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: overview.studies.isVisible())
    assert overview.studies.list.count() == 1


def test_a_dropped_disc_goes_to_the_imaging_import_not_the_documents(
    qtbot: QtBot, window: object, binder: Binder, tmp_path: Path
) -> None:
    make_disc(tmp_path / "disc", series=1, images=2)
    documents = window.documents  # type: ignore[attr-defined]
    with qtbot.waitSignal(documents.disc_dropped, timeout=20000) as dropped:
        documents.start_import([tmp_path / "disc"])
    assert dropped.args == [[tmp_path / "disc"]]
    dialog = window.imaging_dialog  # type: ignore[attr-defined]
    import_through_the_dialog(qtbot, dialog)
    assert binder.db.execute("SELECT count(*) FROM documents").fetchone()[0] == 0
    assert list_studies(binder, person_id(binder))[0].images == 2


def test_the_study_window_shows_a_picture_per_series_and_opens_a_viewer_copy_only_when_agreed(
    qtbot: QtBot,
    window: object,
    binder: Binder,
    tmp_path: Path,
    temp_root: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    make_disc(tmp_path / "disc", series=3, images=2)
    import_through_the_dialog(qtbot, window.import_imaging_disc([tmp_path / "disc"]))  # type: ignore[attr-defined]
    opened: list[QUrl] = []
    monkeypatch.setattr(StudyDialog, "opener", staticmethod(opened.append))
    studies = window.documents.studies  # type: ignore[attr-defined]
    dialog = studies.open_study(studies.studies[0].id)
    assert isinstance(dialog, StudyDialog)
    qtbot.waitUntil(dialog.isVisible)
    assert len(dialog.pictures) == 3
    assert all(not label.pixmap().isNull() for label in dialog.pictures)
    assert any(label.text() == CAPTION for label in dialog.findChildren(type(dialog.pictures[0])))

    copies_before = set(temp_root.glob("carebinder-viewer-*"))
    assert dialog.open_in_viewer(agreed=False) is None  # said no: nothing written
    assert set(temp_root.glob("carebinder-viewer-*")) == copies_before
    dialog.open_in_viewer(agreed=True)
    qtbot.waitUntil(lambda: bool(opened), timeout=20000)
    folder = Path(opened[0].toLocalFile())
    assert (folder / "DICOMDIR").is_file() and folder.parent.name.startswith("carebinder-viewer-")
    assert "readable copy is open" in dialog.notice.label.text()
    dialog.accept()
    assert not folder.parent.exists()  # removed when the window closed


def test_the_checklist_has_the_slides_and_imaging_lines(
    qtbot: QtBot, window: object, binder: Binder, tmp_path: Path
) -> None:
    pid = person_id(binder)
    items = readiness(binder, pid)
    assert items.item("imaging_disc").state is ItemState.MISSING
    assert "File > Import an imaging disc" in items.item("imaging_disc").detail
    assert items.item("slides").state is ItemState.MISSING
    assert "H&E and immunostains" in items.item("slides").detail

    make_disc(tmp_path / "disc", series=1, images=1)
    import_through_the_dialog(qtbot, window.import_imaging_disc([tmp_path / "disc"]))  # type: ignore[attr-defined]
    line = readiness(binder, pid).item("imaging_disc")
    assert line.state is ItemState.PRESENT
    assert line.detail == "1 study imported: CT scan: Chest with contrast (2026-03-04)"

    # The slides: asked for with the request dialog, then sent by the lab.
    dialog = RequestDialog(binder, pid, checklist_item="slides")
    qtbot.addWidget(dialog)
    assert dialog.physical.items["slides"].isChecked()
    assert dialog.physical.items["blocks"].isChecked()
    assert not dialog.physical.items["disc"].isChecked()
    qtbot.keyClicks(dialog.facility, "Riverside General Hospital")
    qtbot.keyClicks(dialog.physical.case_number, "S26-04417")
    qtbot.keyClicks(dialog.physical.ship_to, "Northgate Cancer Institute, Surgical Pathology")
    dialog.physical.return_needed.setChecked(True)
    qtbot.keyClicks(dialog.requested_on, "2026-05-04")
    dialog.save()
    (request,) = list_requests(binder, pid)
    assert request.items == ("slides", "blocks") and request.case_number == "S26-04417"
    assert request.return_needed and request.checklist_item == "slides"
    line = readiness(binder, pid).item("slides")
    assert line.state is ItemState.REQUESTED
    assert "waiting for the lab to send them" in line.detail

    edit = RequestDialog(binder, pid, request)
    qtbot.addWidget(edit)
    qtbot.keyClicks(edit.physical.tracking, "1Z999AA10123456784")
    qtbot.keyClicks(edit.physical.sent_on, "2026-05-08")
    edit.save()
    line = readiness(binder, pid).item("slides")
    assert line.state is ItemState.PRESENT
    assert line.detail == (
        "Sent by Riverside General Hospital on 2026-05-08 to Northgate Cancer Institute, "
        "Surgical Pathology (tracking number 1Z999AA10123456784). They must go back to the "
        "lab afterwards."
    )
