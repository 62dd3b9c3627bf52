"""The first-run wizard and the unlock dialog, driven as a user would."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDialog, QLabel, QWizard
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
    qtbot.keyClicks(wizard.person_page.born.line, "1970-01-31")
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
    assert "ask for your recovery passphrase each time" in wizard.done_page.status.text()
    assert "keyring" not in wizard.done_page.status.text()  # a word a patient cannot read
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
    assert "did not give CareBinder the binder's key" in dialog.explain.text()
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


def test_the_wizard_ends_with_three_next_steps_and_keeps_the_one_chosen(
    qtbot: QtBot, data_dir: Path, no_keyring: None
) -> None:
    wizard = FirstRunWizard(data_dir)
    qtbot.addWidget(wizard)
    wizard.show()
    _fill_wizard(qtbot, wizard)
    page = wizard.done_page
    assert page.next_steps.isVisible()
    offered = [page.drop.choose.text(), page.portal_button.text(), page.appointment_button.text()]
    assert offered == [
        "Choose the papers...",
        "Import from a patient portal...",
        "Add the second-opinion appointment...",
    ]
    with qtbot.waitSignal(wizard.accepted):
        qtbot.mouseClick(page.appointment_button, Qt.MouseButton.LeftButton)
    assert wizard.first_step is not None and wizard.first_step.what == "appointment"
    assert wizard.binder is not None
    wizard.binder.close()


def test_papers_dropped_on_the_last_page_are_imported_when_the_window_opens(
    qtbot: QtBot, data_dir: Path, no_keyring: None, tmp_path: Path, settings: object
) -> None:
    from app.records.documents import list_documents
    from app.ui.first_run import take_first_step
    from app.ui.main_window import MainWindow
    from tests.fixtures import make_pdf
    from tests.ui.test_documents_page import drop_files, wait_for_import

    wizard = FirstRunWizard(data_dir)
    qtbot.addWidget(wizard)
    wizard.show()
    _fill_wizard(qtbot, wizard)
    pdf = tmp_path / "pathology_report.pdf"
    make_pdf(pdf, "Core biopsy of the left breast.")
    with qtbot.waitSignal(wizard.accepted):
        drop_files(qtbot, wizard.done_page.drop, [pdf])
    assert wizard.first_step is not None and wizard.first_step.paths == (pdf,)
    binder = wizard.binder
    assert binder is not None
    window = MainWindow(binder, settings=settings)  # type: ignore[arg-type]
    qtbot.addWidget(window)
    window.show()
    take_first_step(window, wizard.first_step)
    wait_for_import(qtbot, window.documents)
    assert [d.original_name for d in list_documents(binder)] == ["pathology_report.pdf"]
    window.close()
    binder.close()


def test_unlock_shows_the_passphrase_and_says_plainly_what_a_lost_one_means(
    qtbot: QtBot, data_dir: Path, no_keyring: None
) -> None:
    from PySide6.QtWidgets import QLineEdit

    from app.ui.unlock_dialog import FORGOT_CANNOT

    _make_binder(data_dir)
    dialog = UnlockDialog(data_dir, try_keyring=False)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.passphrase, "blue heron")
    assert dialog.passphrase.echoMode() == QLineEdit.EchoMode.Password
    box = dialog.show_box
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(6, box.height() // 2))
    assert dialog.passphrase.echoMode() == QLineEdit.EchoMode.Normal
    assert dialog.passphrase.displayText() == "blue heron"
    qtbot.mouseClick(dialog.forgot_button, Qt.MouseButton.LeftButton)
    assert dialog.forgot_page.isVisible() and not dialog.open_button.isVisible()
    words = " ".join(label.text() for label in dialog.forgot_page.findChildren(QLabel))
    # What can still work, and no false hope about the rest.
    assert "Change the recovery passphrase" in words
    assert "There is no back door" in words and FORGOT_CANNOT[1][:40] in words
    qtbot.mouseClick(dialog.back_button, Qt.MouseButton.LeftButton)
    assert dialog.passphrase.isVisible() and dialog.passphrase.text() == "blue heron"
