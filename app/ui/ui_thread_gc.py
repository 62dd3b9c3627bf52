"""Python's cycle collector runs only on the UI thread.

Left to itself, the collector runs in whichever thread happens to allocate enough, so a
worker (importing a module, reading a PDF) could free Qt objects that belong to the UI
thread, which crashes Qt later. Automatic collection is switched off and a timer on the UI
thread collects instead, as often as the collector's own thresholds ask.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QObject, QTimer

CHECK_EVERY_MS = 500
_installed: UiThreadCollector | None = None


class UiThreadCollector(QObject):
    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.threshold = gc.get_threshold()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_EVERY_MS)
        self.timer.timeout.connect(self.check)
        self.timer.start()

    def check(self) -> int:
        """Collect the generations whose counts passed their thresholds; returns how many
        objects were freed."""
        first, second, third = gc.get_count()
        if first > self.threshold[0]:
            generation = 0
            if second > self.threshold[1]:
                generation = 2 if third > self.threshold[2] else 1
            return gc.collect(generation)
        return 0


def collect_on_ui_thread(app: QCoreApplication) -> UiThreadCollector:
    """Install the collector once, on `app` (created on the UI thread)."""
    global _installed
    if _installed is None:
        _installed = UiThreadCollector(app)
    return _installed
