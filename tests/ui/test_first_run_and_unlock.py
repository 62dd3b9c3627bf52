"""The first-run wizard and the unlock dialog, driven as a user would."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QWizard
from pytestqt.qtbot import QtBot

from app.records.people import list_people
from app.ui.first_run import FirstRunWizard
from app.ui.unlock_dialog import UnlockDialog
from app.vault.binder import Binder, binder_exists
from app.vault.unlock import open_with_passphrase

PASSPHRASE = "blue heron paper lantern"  # as in tests/conftest.py


def _fill_wizard(qtbot: QtBot, wizard: FirstRunWizard) -> None:
    wizard.next()
    qtbot.keyClicks(wizard.passphrase_page.first, PASSPHRASE)
    assert "Strong" in wizard.passphrase_page.hint.text()
    qtbot.keyClicks(wizard.passphrase_page.second, PASSPHRASE)
    wizard.next()
    qtbot.keyClicks(wizard.person_page.name, "Ada Example")
    qtbot.keyClicks(wizard.person_page.born, "1970-01-31")
    wizard.next()
    qtbot.waitUntil(lambda: wizard.done_page.answered, timeout=15000)


def test_the_wizard_creates_a_binder_that_the_passphrase_opens(
    qtbot: QtBot, data_dir: Path, no_keyring: None
) -> None:
    wizard = FirstRunWizard(data_dir)
    qtbot.addWidget(wizard)
    wizard.show()
    assert not binder_exists(data_dir)
    _fill_wizard(qtbot, wizard)
    assert binder_exists(data_dir)
    assert wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
    # No keyring here: the wizard says plainly that the passphrase will be needed.
    assert "type your recovery passphrase each time" in wizard.done_page.status.text()
    assert wizard.binder is not None
    assert [p.name for p in list_people(wizard.binder)] == ["Ada Example"]
    wizard.binder.close()
    with open_with_passphrase(data_dir, PASSPHRASE, remember=False) as binder:
        assert list_people(binder)[0].born == "1970-01-31"


def test_with_a_keyring_the_wizard_says_daily_use_needs_no_passphrase(
    qtbot: QtBot, data_dir: Path, secret_service: object
) -> None:
    wizard = FirstRunWizard(data_dir)
    qtbot.addWidget(wizard)
    wizard.show()
    _fill_wizard(qtbot, wizard)
    assert "you will not need the passphrase" in wizard.done_page.status.text()
    assert wizard.binder is not None
    wizard.binder.close()
    # Next start: the unlock dialog opens the binder from the keyring, asking nothing.
    dialog = UnlockDialog(data_dir)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.accepted, timeout=15000):
        dialog.show()
    assert dialog.binder is not None
    assert not dialog.form.isVisible()
    dialog.binder.close()


def test_two_different_passphrases_cannot_go_on(qtbot: QtBot, data_dir: Path) -> None:
    wizard = FirstRunWizard(data_dir)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.next()
    page = wizard.passphrase_page
    qtbot.keyClicks(page.first, "short")
    assert "at least 8 characters" in page.problem.text()
    page.first.clear()
    qtbot.keyClicks(page.first, PASSPHRASE)
    qtbot.keyClicks(page.second, PASSPHRASE + "x")
    assert "not the same" in page.problem.text()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    assert not binder_exists(data_dir)


def _make_binder(data_dir: Path) -> None:
    Binder.create(data_dir, PASSPHRASE).close()


def test_the_unlock_dialog_refuses_a_wrong_passphrase_then_opens_with_the_right_one(
    qtbot: QtBot, data_dir: Path, no_keyring: None
) -> None:
    _make_binder(data_dir)
    dialog = UnlockDialog(data_dir)
    qtbot.addWidget(dialog)
    dialog.show()
    # The keyring has nothing: the dialog says so and asks for the passphrase.
    qtbot.waitUntil(
        lambda: dialog.passphrase.isEnabled() and dialog.form.isVisible(), timeout=30000
    )
    assert "keyring" in dialog.explain.text()
    qtbot.keyClicks(dialog.passphrase, "not my passphrase")
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "does not open this binder" in dialog.message.text(), timeout=10000)
    assert dialog.binder is None
    assert dialog.result() != QDialog.DialogCode.Accepted
    dialog.passphrase.clear()
    qtbot.keyClicks(dialog.passphrase, PASSPHRASE)
    with qtbot.waitSignal(dialog.accepted, timeout=10000):
        qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)
    assert dialog.binder is not None
    assert list_people(dialog.binder) == []
    dialog.binder.close()
