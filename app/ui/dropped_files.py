"""Files dragged onto a window: a drag is welcome only when everything it carries is a file
on this computer, and a drop gives their paths (the Documents page, the main window and the
first run's last page all take them the same way)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QDragEnterEvent, QDropEvent


def carries_local_files(event: QDragEnterEvent) -> bool:
    data = event.mimeData()
    return data.hasUrls() and all(url.isLocalFile() for url in data.urls())


def local_files(event: QDropEvent) -> list[Path]:
    return [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
