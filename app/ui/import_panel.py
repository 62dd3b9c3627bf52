"""The import strip at the top of the Documents page: progress, Cancel, and what happened to
each file (imported, already there, or not imported and why). While a scan is read, a second
line counts its pages, so a 300-page scan shows it is moving."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from app.records.importer import ImportResult

# Outcome is imported inside each function: app.records.importer loads the whole ingest
# stack, which the window does not need until the first import.


def describe(result: ImportResult) -> str:
    from app.records.importer import Outcome

    name = result.path.rsplit("/", 1)[-1]
    if result.status is Outcome.OK and result.document is not None:
        return f"Imported: {name} (as “{result.document.title}”)"
    if result.status is Outcome.DUPLICATE:
        return f"Already in the binder: {name}. {result.reason or ''}".strip()
    return f"Not imported: {name}. {result.reason or ''}".strip()


def summary(results: list[ImportResult], cancelled: bool) -> str:
    from app.records.importer import Outcome

    imported = sum(r.status is Outcome.OK for r in results)
    duplicates = sum(r.status is Outcome.DUPLICATE for r in results)
    refused = sum(r.status is Outcome.REFUSED for r in results)
    words = [f"{imported} document{'s' if imported != 1 else ''} imported"]
    if duplicates:
        words.append(f"{duplicates} already in the binder")
    if refused:
        words.append(f"{refused} not imported (see why below)")
    text = ", ".join(words) + "."
    return ("Import stopped. " if cancelled else "Import finished: ") + text


class ImportPanel(QFrame):
    """Hidden until an import starts; stays after it ends until dismissed."""

    cancel_requested = Signal()
    # Emitted from the import's worker thread: (pages read, pages to read, file name).
    page_progress = Signal(int, int, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName("Import")
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Import status")
        self.bar = QProgressBar()
        self.bar.setAccessibleName("Import progress")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAccessibleName("Cancel the import")
        self.cancel_button.clicked.connect(self._cancel)
        self.details_button = QPushButton("Show details")
        self.details_button.setCheckable(True)
        self.details_button.setAccessibleName("Show what happened to each file")
        self.dismiss_button = QPushButton("Dismiss")
        self.dismiss_button.setAccessibleName("Dismiss the import results")
        self.dismiss_button.clicked.connect(self.hide)
        self.pages_label = QLabel("")
        self.pages_label.setAccessibleName("Pages read")
        self.pages_bar = QProgressBar()
        self.pages_bar.setAccessibleName("Pages read of this file")
        self.page_progress.connect(self.pages)
        self.results = QListWidget()
        self.results.setAccessibleName("What happened to each file")
        self.results.setMaximumHeight(self.fontMetrics().lineSpacing() * 8)
        self.details_button.toggled.connect(self.results.setVisible)
        # One grid, so the pages' bar lines up under the files' bar.
        grid = QGridLayout()
        grid.addWidget(self.status, 0, 0)
        grid.addWidget(self.bar, 0, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.details_button)
        buttons.addWidget(self.dismiss_button)
        grid.addLayout(buttons, 0, 2)
        grid.addWidget(self.pages_label, 1, 0)
        grid.addWidget(self.pages_bar, 1, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        box = QVBoxLayout(self)
        box.setContentsMargins(10, 6, 6, 6)
        box.addLayout(grid)
        box.addWidget(self.results)
        self._hide_pages()
        self.hide()

    def start(self) -> None:
        self.results.clear()
        self.results.hide()
        self.details_button.setChecked(False)
        self.details_button.hide()
        self.dismiss_button.hide()
        self.cancel_button.show()
        self.cancel_button.setEnabled(True)
        self.bar.show()
        self.bar.setRange(0, 0)
        self._hide_pages()
        self.status.setText("Looking for files to import...")
        self.show()

    def progress(self, done: int, total: int, label: str) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)
        if label:
            self.status.setText(f"Importing {min(done + 1, total)} of {total}: {label}")

    def pages(self, done: int, total: int, name: str) -> None:
        """Pages of the scan being read; hidden between scans."""
        if not name or total <= 0 or done >= total:
            self._hide_pages()
            return
        self.pages_bar.setRange(0, total)
        self.pages_bar.setValue(done)
        self.pages_label.setText(f"Reading the pages of {name}: page {done + 1} of {total}")
        self.pages_label.show()
        self.pages_bar.show()

    def _hide_pages(self) -> None:
        self.pages_label.hide()
        self.pages_bar.hide()

    def _cancel(self) -> None:
        self.cancel_button.setEnabled(False)
        self.status.setText("Stopping the import: what is already imported stays...")
        self.cancel_requested.emit()

    def finish(self, results: list[ImportResult], cancelled: bool) -> None:
        from app.records.importer import Outcome

        self._hide_pages()
        self.bar.hide()
        self.cancel_button.hide()
        self.status.setText(summary(results, cancelled))
        for result in results:
            item = QListWidgetItem(describe(result))
            item.setToolTip(result.path)
            self.results.addItem(item)
        self.details_button.setVisible(bool(results))
        refused = any(r.status is Outcome.REFUSED for r in results)
        self.details_button.setChecked(refused)
        self.results.setVisible(refused)
        self.dismiss_button.show()

    def fail(self, message: str) -> None:
        self._hide_pages()
        self.bar.hide()
        self.cancel_button.hide()
        self.status.setText(f"The import stopped: {message}")
        self.dismiss_button.show()
