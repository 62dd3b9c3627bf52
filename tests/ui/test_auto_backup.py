"""Automatic backups: made when due into the chosen folder, not again until the next one."""

from __future__ import annotations

from pathlib import Path


def test_an_automatic_backup_is_made_when_due_and_not_again(
    qtbot: object, window: object, settings: object, tmp_path: Path
) -> None:
    from app.ui.auto_backup import EVERY, FOLDER, KEEP, AutoBackupDialog
    from app.vault.backup import last_backup

    stick = tmp_path / "stick"
    dialog = AutoBackupDialog(settings, window)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    dialog.folder.setText(str(stick))
    dialog.every.setCurrentIndex(dialog.every.findData("daily"))
    dialog.keep.setValue(3)
    dialog.save()
    assert (settings.value(FOLDER), settings.value(EVERY), int(settings.value(KEEP))) == (  # type: ignore[attr-defined]
        str(stick), "daily", 3,
    )  # fmt: skip

    watcher = window.auto_backup  # type: ignore[attr-defined]
    assert not watcher.check(), "no backup while the folder is not there"
    assert "is not there" in window.statusBar().currentMessage()  # type: ignore[attr-defined]

    stick.mkdir()
    assert watcher.check()
    qtbot.waitUntil(lambda: last_backup(window.binder) is not None, timeout=30000)  # type: ignore[attr-defined]
    assert len(list(stick.glob("CareBinder backup *.cbbackup"))) == 1
    qtbot.waitUntil(lambda: watcher.job.finished, timeout=30000)  # type: ignore[attr-defined]
    assert not watcher.check(), "the next one is due tomorrow"
    assert "Last backup:" in window.overview.backup_line.text()  # type: ignore[attr-defined]
