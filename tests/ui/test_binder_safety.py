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
