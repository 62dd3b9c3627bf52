"""Starting the desktop app: the QApplication, then the binder, then the main window.

`run()` is what `carebinder` with no command calls. It finds the binder (creating one with
the first-run wizard, or unlocking one), shows the main window, and closes the binder at
exit. `--demo` opens a throwaway binder in a fresh temp dir that is removed at exit; its key
never goes near the keyring. A SIGTERM or SIGINT quits as the user would (quit_on_signal.py),
so the binder is closed and the demo's folder removed then too.
"""

from __future__ import annotations

import importlib
import os
import shutil
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QDialog

from app.ui.ui_thread_gc import collect_on_ui_thread

APP_NAME = "CareBinder"
ORGANIZATION = "CareBinder"
ORGANIZATION_DOMAIN = "carebinder.org"
APP_ID = "org.carebinder.CareBinder"
READY_ENV = "CAREBINDER_SAY_READY"  # set: a line on stderr once the window is up


def make_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication with the names QSettings and the desktop use (one app id)."""
    QCoreApplication.setApplicationName(APP_NAME)
    QCoreApplication.setOrganizationName(ORGANIZATION)
    QCoreApplication.setOrganizationDomain(ORGANIZATION_DOMAIN)
    QGuiApplication.setDesktopFileName(APP_ID)
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        collect_on_ui_thread(existing)
        return existing
    # Sharp text at 125 % or 150 % scaling (the default rounds to whole numbers).
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
        Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
    )
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationDisplayName(APP_NAME)
    # Dates follow the desktop's locale where the environment names none (macOS, Windows).
    from PySide6.QtCore import QLocale

    from app.records.date_locale import use_window_locale

    use_window_locale(QLocale.system().name())
    app.setWindowIcon(_app_icon())
    collect_on_ui_thread(app)
    return app


def _app_icon() -> QIcon:
    """The desktop theme's icon for our app id, else the one shipped in resources/."""
    from app.resources import APP_ICON, resource_path

    try:
        shipped = QIcon(str(resource_path(APP_ICON)))
    except FileNotFoundError:
        shipped = QIcon()
    return QIcon.fromTheme(APP_ID, shipped)


def _read_passphrase_file(path: str) -> str:
    text = Path(path).read_text("utf-8")
    return text.splitlines()[0] if text else ""


def open_binder(
    data_dir: Path, passphrase_file: str | None = None
) -> tuple[object, object | None] | None:
    """The open binder (created by the wizard, or unlocked by the dialog) and the first step
    chosen at the end of the wizard (a `FirstStep`, or None); None if cancelled."""
    from app.ui.first_run import FirstRunWizard
    from app.ui.unlock_dialog import UnlockDialog
    from app.vault.binder import binder_exists

    if not binder_exists(data_dir):
        wizard = FirstRunWizard(data_dir)
        if wizard.exec() != QDialog.DialogCode.Accepted:
            return None
        return wizard.binder, wizard.first_step
    preset = _read_passphrase_file(passphrase_file) if passphrase_file else None
    dialog = UnlockDialog(data_dir, passphrase=preset)
    # The dialog asks the keyring (a D-Bus round trip) or checks the passphrase on a worker;
    # the window's modules load meanwhile, not after.
    importlib.import_module("app.ui.main_window")
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.binder, None


def run(
    data_dir: str | Path | None = None,
    demo: bool = False,
    passphrase_file: str | None = None,
    settings: QSettings | None = None,
) -> int:
    """Open the window; returns the process exit code. `settings` is for tests."""
    from app.ui.jobs import wait_for_jobs
    from app.ui.quit_on_signal import quit_on_signals
    from app.vault.binder import Binder
    from app.vault.errors import VaultError
    from app.vault.location import resolve_data_dir

    app = make_application()
    # Before anything is made: a SIGTERM from here on quits as the user would (issue 18).
    signals = quit_on_signals(app)
    demo_dir: Path | None = None
    binder: Binder
    first_step: object | None = None
    try:
        if demo:
            from app.demo import create_demo_binder

            demo_dir = Path(tempfile.mkdtemp(prefix="carebinder-demo-"))
            binder = create_demo_binder(demo_dir / "binder")
        else:
            try:
                opened = open_binder(resolve_data_dir(data_dir), passphrase_file)
            except (VaultError, OSError) as exc:
                from PySide6.QtWidgets import QMessageBox

                QMessageBox.critical(None, APP_NAME, str(exc))
                return 2
            if opened is None:
                return 0
            opened_binder, first_step = opened
            assert isinstance(opened_binder, Binder)
            binder = opened_binder
        from app.ui.main_window import MainWindow

        window = MainWindow(binder, demo=demo, settings=settings)
        window.show()
        if first_step is not None:
            # Once the window is on screen: the step may open a file chooser or a dialog.
            from app.ui.first_run import take_first_step

            QTimer.singleShot(0, lambda: take_first_step(window, first_step))
        if os.environ.get(READY_ENV):
            # For tests and scripts that must know the window is up before they act on it.
            QTimer.singleShot(
                0, lambda: print("CareBinder window ready", file=sys.stderr, flush=True)
            )
        code = app.exec()
        wait_for_jobs()
        binder.close()
        return code
    finally:
        if demo_dir is not None:
            shutil.rmtree(demo_dir, ignore_errors=True)
        signals.uninstall()
