"""`python -m app.ui.screenshots OUT_DIR [--text-size 150]`: a PNG of every page, tab,
dialog and wizard step, with the demo binder.

Builds the demo binder in a temp dir (removed at the end), opens the main window offscreen
at 1280x800 and saves each page (and each page of a person with no records yet, to show
the empty places), every dialog, the first-run wizard's steps, the unlock dialog and an
import in progress with `QWidget.grab()`. `--text-size 150` makes the application's font
150% of the system's, the way a person who needs large text sets it, in the same 1280x800
window (`make screenshots` writes both sizes). The QSettings of this run go to a temp dir
too, so the user's remembered window layout is neither used nor changed.

One room, though long: one script that walks the whole window in order, each step leaving
the window as the next expects it.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtWidgets import QApplication, QWidget

SIZE = (1280, 800)


def _settle(
    app: QApplication,
    seconds: float = 0.3,
    until: Callable[[], bool] | None = None,
    longest: float = 15,
) -> None:
    """Let queued events, worker results and QPdfView's asynchronous rendering arrive."""
    deadline = time.monotonic() + longest
    quiet_until = time.monotonic() + seconds
    while time.monotonic() < deadline:
        app.processEvents()
        if time.monotonic() >= quiet_until and (until is None or until()):
            return
        time.sleep(0.02)


def _save(widget: QWidget, out: Path, name: str) -> None:
    path = out / f"{name}.png"
    widget.grab().save(str(path))
    print(path)


def _demo_pdfs(folder: Path, count: int) -> list[Path]:
    """Fictional PDFs to import while the 'import in progress' picture is taken."""
    from app.demo.documents import DEMO_PEOPLE, render_pdf

    person = DEMO_PEOPLE[0]
    paths = []
    for i in range(count):
        doc = person.documents[i % len(person.documents)]
        path = folder / f"scan {i + 1:02d} {doc.file_name}"
        # A varying trailer keeps each copy distinct, so none is a duplicate.
        path.write_bytes(render_pdf(doc, person) + f"\n% copy {i}\n".encode())
        paths.append(path)
    return paths


def _large_scan(path: Path, pages: int) -> None:
    """A fictional scanned packet: a demo letter drawn as a picture, on every page."""
    import io

    import pikepdf
    import pypdfium2 as pdfium

    from app.demo.documents import DEMO_PEOPLE, render_pdf

    person = DEMO_PEOPLE[0]
    document = pdfium.PdfDocument(render_pdf(person.documents[0], person))
    picture = document[0].render(scale=300 / 72, grayscale=True).to_pil().convert("L")
    document.close()
    scanned = io.BytesIO()
    picture.save(scanned, "PDF", resolution=300.0)
    with pikepdf.open(io.BytesIO(scanned.getvalue())) as one, pikepdf.new() as many:
        for _ in range(pages):
            many.pages.append(one.pages[0])
        many.save(path)


def _large_scan_import(app: QApplication, window: Any, work: Path, out: Path) -> None:
    """A real import of a 40-page scan, taken while its pages are being read, then
    cancelled."""
    from app.ui.jobs import wait_for_jobs

    docs = window.documents
    scan = work / "discharge packet, scanned.pdf"
    _large_scan(scan, 40)
    docs.start_import([scan])
    job = docs.import_job
    panel = docs.import_panel
    _settle(
        app,
        0.2,
        lambda: (
            (panel.pages_bar.isVisible() and panel.pages_bar.value() >= 2)
            or bool(job and job.finished)
        ),
        longest=120,
    )
    _save(window, out, "documents-import-large-scan")
    docs.cancel_import()
    _settle(app, 0.2, lambda: bool(job and job.finished), longest=60)
    wait_for_jobs()


# A fictional patient-portal export (FHIR), for the import dialog's picture.
PORTAL_FILE = {
    "resourceType": "Bundle",
    "type": "collection",
    "entry": [
        {"resource": {"resourceType": "Patient", "id": "p1",
                      "name": [{"family": "Whitfield", "given": ["Eleanor"]}],
                      "birthDate": "1961-04-12"}},
        {"resource": {"resourceType": "Condition", "id": "c1",
                      "subject": {"reference": "Patient/p1"},
                      "code": {"text": "Malignant neoplasm of left breast",
                               "coding": [{"system": "http://snomed.info/sct",
                                           "code": "372064008"}]},
                      "onsetDateTime": "2026-09-18"}},
        {"resource": {"resourceType": "MedicationStatement", "id": "m1", "status": "active",
                      "subject": {"reference": "Patient/p1"},
                      "medicationCodeableConcept": {"text": "Letrozole 2.5 MG Oral Tablet"},
                      "effectivePeriod": {"start": "2026-10-20"},
                      "dosage": [{"text": "2.5 mg once a day"}]}},
        {"resource": {"resourceType": "AllergyIntolerance", "id": "a1",
                      "patient": {"reference": "Patient/p1"},
                      "code": {"text": "Penicillin"},
                      "reaction": [{"manifestation": [{"text": "Hives"}]}]}},
    ],
}  # fmt: skip


def _grab(
    app: QApplication,
    widget: QWidget | None,
    out: Path,
    name: str,
    until: Callable[[], bool] | None = None,
) -> None:
    """Show a dialog (or page), save its picture, close it."""
    if widget is None:
        raise RuntimeError(f"nothing to take a picture of for {name}")
    widget.show()
    _settle(app, 0.3, until)
    _save(widget, out, name)
    widget.close()
    _settle(app, 0.1)


def _second_opinion_tabs(app: QApplication, window: Any, out: Path) -> None:
    """Each tab of the Second opinion page; the treatment summary for both demo people."""
    window.show_place("Second opinion")
    page = window.other_pages["Second opinion"]
    for index in range(1, page.tabs.count()):
        page.tabs.setCurrentIndex(index)
        _settle(app)
        name = page.tabs.tabText(index).lower().split(" (")[0].replace(" ", "-")
        _save(window, out, f"second-opinion-{name}")
    window.person_box.setCurrentIndex(1)
    _settle(app, 0.5)
    _save(window, out, "second-opinion-treatment-summary-second-person")
    page.tabs.setCurrentIndex(0)
    _settle(app)
    _save(window, out, "second-opinion-guide-second-person")
    page.tabs.setCurrentWidget(page.opinions)
    _settle(app)
    _save(window, out, "second-opinion-opinions-second-person")
    # Thomas's diagnosis is found in the records, not checked yet: the Overview says so.
    window.show_place("Overview")
    _settle(app, 0.5, lambda: not window.overview.diagnosis.reading)
    _save(window, out, "page-overview-second-person")
    # Thomas has no allergies recorded: the strip's empty state, with "No known allergies".
    window.show_place("Medications")
    _settle(app)
    _save(window, out, "page-medications-second-person")
    window.show_place("Second opinion")
    window.person_box.setCurrentIndex(0)
    page.tabs.setCurrentIndex(0)
    _settle(app)


def _medication_views(app: QApplication, window: Any, out: Path) -> None:
    window.show_place("Medications")
    page = window.other_pages["Medications"]
    for view in ("Past", "All", "Timeline"):
        page.show_view(view)
        _settle(app)
        _save(window, out, f"medications-{view.lower()}")
    page.show_view("Current")


def _page_dialogs(app: QApplication, window: Any, out: Path) -> None:
    """The dialogs each page opens: adding, changing, asking, comparing."""
    meds = window.other_pages["Medications"]
    window.show_place("Medications")
    meds.select_row(0)
    _grab(app, meds.open_add_dialog(), out, "dialog-add-medication")
    _grab(app, meds.open_edit_dialog(), out, "dialog-edit-medication")
    _grab(app, meds.open_change_dose_dialog(), out, "dialog-change-dose")
    _grab(app, meds.open_stop_dialog(), out, "dialog-stop-medication")
    _grab(app, meds.allergies.open_add_dialog(), out, "dialog-add-allergy")
    window.show_place("Overview")
    _grab(app, window.overview.conditions.open_add_dialog(), out, "dialog-add-health-problem")
    window.show_place("Care team")
    _grab(app, window.other_pages["Care team"].open_add_dialog(), out, "dialog-add-doctor")
    window.show_place("Appointments")
    appointments = window.other_pages["Appointments"]
    _grab(app, appointments.open_add_dialog(), out, "dialog-add-appointment")
    appointments.select_row(0)
    _grab(app, appointments.details.open_library_picker(), out, "dialog-attach-from-library")
    window.show_place("Second opinion")
    page = window.other_pages["Second opinion"]
    page.tabs.setCurrentWidget(page.requests)
    requests = page.requests
    _grab(app, requests.open_add_dialog(), out, "dialog-ask-for-records")
    requests.table.selectRow(0)
    _grab(app, requests.open_edit_dialog(), out, "dialog-edit-records-request")
    _grab(app, requests.open_received_dialog(), out, "dialog-records-received")
    _grab(app, requests.open_letter_dialog(), out, "dialog-records-request-letter")
    page.tabs.setCurrentWidget(page.opinions)
    _grab(app, page.opinions.open_add_dialog(), out, "dialog-add-opinion")
    _grab(app, page.open_not_applicable_dialog("operative"), out, "dialog-not-applicable")
    page.tabs.setCurrentWidget(page.treatment)
    _settle(app)
    field = next(f for f in page.treatment.summary.fields() if f.value)
    _grab(app, page.treatment.open_correct_dialog(field), out, "dialog-correct-summary-value")
    page.tabs.setCurrentWidget(page.shared)
    _settle(app)
    _grab(app, page.shared.make_again(), out, "dialog-make-a-bundle-again")
    page.tabs.setCurrentIndex(0)


def _window_dialogs(app: QApplication, window: Any, binder: Any, work: Path, out: Path) -> None:
    """The dialogs of the menus (each shown without blocking, as a picture)."""
    from app.ui.auto_backup import AutoBackupDialog
    from app.ui.binder_safety import ChangePassphraseDialog
    from app.ui.people_dialog import AddPersonDialog
    from app.ui.sheets_dialog import SheetsDialog

    person = window.person
    _grab(app, SheetsDialog(binder, person, window), out, "dialog-print-or-save-a-sheet")
    _grab(app, AddPersonDialog(binder, window), out, "dialog-add-person")
    _grab(app, AutoBackupDialog(window.settings, window), out, "dialog-automatic-backups")
    _grab(app, ChangePassphraseDialog(binder, window), out, "dialog-change-passphrase")
    window.lock()
    _settle(app)
    _save(window, out, "window-locked")
    window.unlock()
    _settle(app)


def _empty_places(app: QApplication, window: Any, binder: Any, out: Path) -> None:
    """Every place of a person with no records yet: each says what to do, with a button."""
    from app.records.people import add_person

    newcomer = add_person(binder, "Ada Example", "1970-01-31")
    window.reload_people(newcomer.id)
    _settle(app, 0.5)
    for place in ("Overview", "Documents", "Medications", "Care team", "Appointments"):
        window.show_place(place)
        _settle(app)
        _save(window, out, f"empty-{place.lower().replace(' ', '-')}")
    window.toggle_trash(True)
    _settle(app)
    _save(window, out, "empty-trash")
    window.toggle_trash(False)
    window.show_place("Second opinion")
    page = window.other_pages["Second opinion"]
    for index in range(page.tabs.count()):
        page.tabs.setCurrentIndex(index)
        _settle(app)
        name = page.tabs.tabText(index).lower().split(" (")[0].replace(" ", "-")
        _save(window, out, f"empty-second-opinion-{name}")
    page.tabs.setCurrentIndex(0)
    window.reload_people(window.person_box.itemData(0).id)
    _settle(app, 0.5)


def _dialogs(app: QApplication, window: Any, binder: Any, work: Path, out: Path) -> None:
    import json

    from app.records.documents import list_documents
    from app.ui.export_dialog import ExportDialog
    from app.ui.jobs import wait_for_jobs
    from app.ui.portal_dialog import PortalDialog

    person = window.person
    chosen = [d.id for d in list_documents(binder, person.id)]
    export = ExportDialog(binder, person, chosen, "Dr. Irene Castellanos", window)
    export.show()
    _settle(app)
    _save(export, out, "dialog-export")
    export.reject()
    portal = work / "portal-export.json"
    portal.write_text(json.dumps(PORTAL_FILE), "utf-8")
    dialog = PortalDialog(binder, person, portal, window)
    dialog.show()
    _settle(app, 0.5, lambda: dialog.tree.topLevelItemCount() > 0)
    _settle(app)
    _save(dialog, out, "dialog-portal-import")
    dialog.reject()
    wait_for_jobs()


def _text_size(app: QApplication, percent: int) -> None:
    """The application's text at `percent` of the system's size (150: large text)."""
    if percent != 100:
        font = app.font()
        font.setPointSizeF(font.pointSizeF() * percent / 100)
        app.setFont(font)


def _imaging(app: QApplication, window: Any, binder: Any, work: Path, out: Path) -> None:
    """The imaging import dialog (a demo disc read, before importing) and a study's window."""
    from app.demo.imaging import write_demo_disc
    from app.records.imaging import list_studies
    from app.ui.imaging_import_dialog import ImagingImportDialog
    from app.ui.imaging_study_view import StudyDialog
    from app.ui.jobs import wait_for_jobs

    person = window.person
    disc = work / "disc"
    disc.mkdir()
    write_demo_disc(disc, person.name, person.born or "")
    (disc / "AUTORUN.INF").write_text("[autorun]\nopen=viewer.exe\n")
    dialog = ImagingImportDialog(binder, person, [disc], window)
    dialog.show()
    dialog.start()
    _settle(app, 0.5, lambda: dialog.import_button.isVisible())
    _save(dialog, out, "dialog-imaging-import")
    dialog.reject()
    wait_for_jobs()
    study = list_studies(binder, person.id)[0]
    view = StudyDialog(binder, study.id, window)
    view.show()
    _settle(app, 0.5)
    _save(view, out, "dialog-imaging-study")
    view.reject()


def take(out: Path, text_size: int = 100) -> None:
    from app.demo import create_demo_binder
    from app.ui.application import make_application
    from app.ui.jobs import wait_for_jobs
    from app.ui.main_window import MainWindow
    from app.ui.places import PLACES

    out.mkdir(parents=True, exist_ok=True)
    app = make_application()
    _text_size(app, text_size)
    QStandardPaths.setTestModeEnabled(True)
    work = Path(tempfile.mkdtemp(prefix="carebinder-shots-"))
    settings = QSettings(str(work / "settings.ini"), QSettings.Format.IniFormat)
    binder = create_demo_binder(work / "binder")
    try:
        window = MainWindow(binder, demo=True, settings=settings)
        window.resize(*SIZE)
        window.show()
        _settle(app)
        docs = window.documents

        def pdf_shown() -> bool:
            return docs.preview.pdf.page_count() > 0

        for place in PLACES:
            window.show_place(place)
            if place == "Documents":
                docs.select_row(0)
                _settle(app, 1.5, pdf_shown)
            _settle(app, until=lambda: not window.overview.diagnosis.reading)
            _save(window, out, f"page-{place.lower().replace(' ', '-')}")

        _second_opinion_tabs(app, window, out)
        _medication_views(app, window, out)
        _dialogs(app, window, binder, work, out)
        _imaging(app, window, binder, work, out)
        _page_dialogs(app, window, out)
        _window_dialogs(app, window, binder, work, out)

        window.show_place("Documents")
        docs.search_box.setText("HER2")
        docs.run_search()
        _settle(app, 1.0)
        _save(window, out, "documents-search")
        docs.clear_filters()

        docs.select_row(0)
        window.actions_by_name["delete"].trigger()
        _settle(app, 0.5)
        _save(window, out, "documents-moved-to-trash")
        window.toggle_trash(True)
        docs.select_row(0)
        _settle(app, 1.0, pdf_shown)
        _save(window, out, "documents-trash")
        _grab(app, docs.confirm_purge(), out, "dialog-delete-for-good")
        window.undo_stack.undo()
        window.toggle_trash(False)

        _empty_places(app, window, binder, out)

        folder = work / "to import"
        folder.mkdir()
        paths = _demo_pdfs(folder, 30)
        docs.start_import([folder])
        job = docs.import_job
        _settle(app, 0.2, lambda: docs.import_panel.bar.value() >= 4 or bool(job and job.finished))
        _save(window, out, "documents-import-in-progress")
        _settle(app, 0.2, lambda: bool(job and job.finished))
        _settle(app, 0.5)
        _save(window, out, "documents-import-finished")
        del paths
        _large_scan_import(app, window, work, out)
        window.close()
        wait_for_jobs()

        _first_run(app, work, out)
        _unlock(app, work, out)
        wait_for_jobs()
    finally:
        binder.close()
        shutil.rmtree(work, ignore_errors=True)


def _first_run(app: QApplication, work: Path, out: Path) -> None:
    from app.ui.binder_safety import RestoreDialog
    from app.ui.first_run import FirstRunWizard

    wizard = FirstRunWizard(work / "new binder")
    wizard.resize(640, 520)
    wizard.show()
    _settle(app)
    _save(wizard, out, "first-run-1-welcome")
    _grab(app, RestoreDialog(work / "restored binder", wizard), out, "first-run-restore")
    wizard.next()
    wizard.passphrase_page.first.setText("blue heron paper")
    wizard.passphrase_page.second.setText("blue heron")
    _settle(app)
    _save(wizard, out, "first-run-2-passphrase")
    wizard.passphrase_page.second.setText("blue heron paper")
    wizard.next()
    wizard.person_page.name.setText("Eleanor Whitfield")
    wizard.person_page.born.setText("1961-04-12")
    _settle(app)
    _save(wizard, out, "first-run-3-person")
    wizard.next()
    _settle(app, 0.5, lambda: wizard.done_page.answered)
    _save(wizard, out, "first-run-4-ready")
    if wizard.binder is not None:
        wizard.binder.close()
    wizard.close()


def _unlock(app: QApplication, work: Path, out: Path) -> None:
    from app.ui.unlock_dialog import UnlockDialog

    dialog = UnlockDialog(work / "new binder", try_keyring=False)
    dialog.show()
    _settle(app)
    _save(dialog, out, "unlock-1-ask")
    dialog.passphrase.setText("not the passphrase")
    dialog.try_passphrase()
    _settle(app, 0.3, lambda: dialog.open_button.isEnabled())
    _save(dialog, out, "unlock-2-wrong-passphrase")
    dialog.show_box.setChecked(True)
    _settle(app)
    _save(dialog, out, "unlock-3-passphrase-shown")
    dialog.show_forgotten(True)
    _settle(app)
    _save(dialog, out, "unlock-4-forgot-the-passphrase")
    dialog.close()
    opening = UnlockDialog(work / "new binder", try_keyring=False)
    opening.ask("")
    opening._working(True)
    opening.title.setText("Opening your binder...")
    opening.explain.setText("")
    opening.form.hide()
    opening.forgot_button.hide()
    opening.show()
    _settle(app)
    _save(opening, out, "unlock-0-opening")
    opening.close()


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    text_size = 100
    if len(args) == 3 and args[1] == "--text-size" and args[2].isdigit():
        text_size = int(args[2])
        args = args[:1]
    if len(args) != 1:
        print("usage: python -m app.ui.screenshots OUT_DIR [--text-size 150]", file=sys.stderr)
        return 2
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    take(Path(args[0]), text_size)
    return 0


if __name__ == "__main__":
    sys.exit(main())
