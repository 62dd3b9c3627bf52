"""Fixtures for driving the real windows under pytest-qt (offscreen): a main window on the
demo binder or on an empty one, each with its own settings file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QStandardPaths

QStandardPaths.setTestModeEnabled(True)


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def _close(qtbot: object, window: object) -> None:
    from app.ui.jobs import wait_for_jobs

    window.close()  # type: ignore[attr-defined]
    wait_for_jobs()


@pytest.fixture
def demo_window(
    qtbot: object, data_dir: Path, no_keyring: None, settings: QSettings
) -> Iterator[object]:
    """The main window on the demo binder (Eleanor and Thomas Whitfield)."""
    from app.demo import create_demo_binder
    from app.ui.application import make_application
    from app.ui.main_window import MainWindow

    make_application()
    binder = create_demo_binder(data_dir)
    window = MainWindow(binder, demo=True, settings=settings)
    qtbot.addWidget(window)  # type: ignore[attr-defined]
    window.resize(1280, 800)
    window.show()
    yield window
    _close(qtbot, window)
    binder.close()


@pytest.fixture
def window(qtbot: object, binder: object, settings: QSettings) -> Iterator[object]:
    """The main window on a new binder whose one person, Ada Example, has no documents."""
    from app.ui.application import make_application
    from app.ui.main_window import MainWindow

    make_application()
    opened = MainWindow(binder, settings=settings)  # type: ignore[arg-type]
    qtbot.addWidget(opened)  # type: ignore[attr-defined]
    opened.resize(1280, 800)
    opened.show()
    yield opened
    _close(qtbot, opened)
