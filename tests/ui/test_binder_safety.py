"""Backing up from the window, restoring on a 'new computer' from the first-run wizard,
and changing the passphrase."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.records.documents import list_documents
from app.vault.errors import WrongPassphrase
from app.vault.keys import KeyFile
from tests.conftest import PASSPHRASE


def test_a_backup_from_the_window_restores_in_the_first_run_wizard(
    qtbot: object, window: object, tmp_path: Path
) -> None:
    from app.records.importer import import_bytes
    from app.ui.binder_safety import start_backup
    from app.ui.first_run import FirstRunWizard
    from tests.fixtures import make_pdf

    binder = window.binder  # type: ignore[attr-defined]
    import_bytes(binder, 1, make_pdf(None, "Pathology: margins clear"), "path.pdf")
    target = tmp_path / "stick" / "backup.cbbackup"
    target.parent.mkdir()
    start_backup(window, binder, target, window.statusBar().showMessage)  # type: ignore[arg-type, attr-defined]
    qtbot.waitUntil(  # type: ignore[attr-defined]
        lambda: "Backed up to" in window.statusBar().currentMessage(),  # type: ignore[attr-defined]
        timeout=30000,
    )
    assert target.exists()

    new_computer = tmp_path / "new computer" / "CareBinder"
    wizard = FirstRunWizard(new_computer)
    qtbot.addWidget(wizard)  # type: ignore[attr-defined]
    wizard.show()
    from app.ui.binder_safety import RestoreDialog

    dialog = RestoreDialog(new_computer, wizard)
    dialog.file.setText(str(target))
    dialog.passphrase.setText("not the passphrase")
    dialog.start()
    qtbot.waitUntil(lambda: "Nothing was restored" in dialog.message.text(), timeout=30000)  # type: ignore[attr-defined]
    assert not new_computer.exists()

    dialog.passphrase.setText(PASSPHRASE)
    dialog.start()
    qtbot.waitUntil(lambda: dialog.binder is not None, timeout=30000)  # type: ignore[attr-defined]
    restored = dialog.binder
    assert restored is not None
    assert [d.title for d in list_documents(restored, 1)] == ["path"]
    restored.close()


def test_changing_the_passphrase_checks_it_twice(qtbot: object, window: object) -> None:
    from app.ui.binder_safety import ChangePassphraseDialog

    binder = window.binder  # type: ignore[attr-defined]
    dialog = ChangePassphraseDialog(binder, window)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    dialog.first.setText("river stone lamp orchard")
    dialog.second.setText("river stone lamp orchid")
    dialog.save()
    assert dialog.message.text() == "The two passphrases differ."
    assert "Strong" in dialog.hint.text()
    dialog.second.setText("river stone lamp orchard")
    dialog.save()
    on_disk = KeyFile.load(binder.data_dir)
    assert on_disk.matches(on_disk.unwrap("river stone lamp orchard"))
    with pytest.raises(WrongPassphrase):
        on_disk.unwrap(PASSPHRASE)


def _binder_with_a_file_kept_aside(data_dir: Path) -> object:
    """A binder whose database does not name one of its stored files (an older binder.db
    put back), opened again: the file is in the quarantine."""
    from app.records.importer import import_bytes
    from app.records.people import add_person
    from app.vault.binder import Binder
    from app.vault.unlock import open_with_passphrase
    from tests.fixtures import make_pdf

    with Binder.create(data_dir, PASSPHRASE) as binder:
        add_person(binder, "Ada Example")
        import_bytes(binder, 1, make_pdf(None, "Pathology: margins clear"), "path.pdf")
        binder.files.put(make_pdf(None, "Discharge summary: home on day two"))
    reopened = open_with_passphrase(data_dir, PASSPHRASE, remember=False)
    assert len(reopened.quarantined()) == 1
    return reopened


def test_the_window_offers_the_files_kept_aside_and_brings_them_back(
    qtbot: object, data_dir: Path, no_keyring: None, settings: object, tmp_path: Path
) -> None:
    import os

    from app.records.search import search
    from app.ui.application import make_application
    from app.ui.binder_safety import QuarantineDialog
    from app.ui.main_window import MainWindow

    make_application()
    binder = _binder_with_a_file_kept_aside(data_dir)
    window = MainWindow(binder, settings=settings)  # type: ignore[arg-type]
    qtbot.addWidget(window)  # type: ignore[attr-defined]
    window.show()
    qtbot.waitUntil(lambda: bool(window.findChildren(QuarantineDialog)), timeout=30000)  # type: ignore[attr-defined]
    [dialog] = window.findChildren(QuarantineDialog)
    text = dialog.explanation.text()
    assert text.startswith("CareBinder found a stored file that no document in this binder")
    assert "Nothing was deleted" in text and "still encrypted" in text
    qtbot.waitUntil(lambda: dialog.files.count() == 1, timeout=30000)  # type: ignore[attr-defined]
    assert dialog.files.item(0).text().endswith("can be brought back")
    assert dialog.person.currentText() == "Ada Example"
    shots = os.environ.get("CAREBINDER_SHOTS")
    if shots:
        dialog.grab().save(str(Path(shots) / "files-kept-aside.png"))

    dialog.bring_button.click()
    qtbot.waitUntil(lambda: dialog.results is not None, timeout=30000)  # type: ignore[attr-defined]
    assert dialog.message.text() == "1 document brought back."
    assert binder.quarantined() == []  # type: ignore[attr-defined]
    assert [h.document.title for h in search(binder, "discharge")] != []  # type: ignore[arg-type]
    window.close()
    binder.close()  # type: ignore[attr-defined]


def test_files_kept_aside_are_asked_about_once(
    qtbot: object, data_dir: Path, no_keyring: None, settings: object
) -> None:
    from app.records.quarantined import unseen
    from app.ui.application import make_application
    from app.ui.binder_safety import QuarantineDialog, offer_quarantine

    make_application()
    binder = _binder_with_a_file_kept_aside(data_dir)
    dialog = offer_quarantine(None, binder)  # type: ignore[arg-type]
    assert isinstance(dialog, QuarantineDialog)
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    dialog.keep_button.click()
    assert unseen(binder) == []  # type: ignore[arg-type]
    assert binder.quarantined() != [], "kept aside, not deleted"  # type: ignore[attr-defined]
    assert offer_quarantine(None, binder) is None, "not asked again"  # type: ignore[arg-type]
    binder.close()  # type: ignore[attr-defined]
