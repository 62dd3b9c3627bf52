"""One CareBinder session on a benchmark binder, run as a child process by the benchmarks so
that its start-up, its stalls and its memory are its own.

    python -m tests.bench.session startup BINDER_DIR SETTINGS_FILE
    python -m tests.bench.session use BINDER_DIR SETTINGS_FILE
    python -m tests.bench.session bare-startup | bare-use ROWS

Each prints one line of JSON. "startup": the wall-clock time at which the main window was
shown with the Documents page filled, and how long unlock took. "use": the same, then the
longest gap between ticks of a 1 ms UI-thread timer while the documents table is scrolled
end to end and while the person is switched, the time to the first preview page on screen
for a few documents beside pypdfium2 rendering that page alone, and the peak RSS.
"bare-*": the same for a bare PySide6 window with a plain table (the baselines).
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PASSPHRASE = "blue heron paper lantern"
# Wall-clock moments of start-up, for the benchmark's breakdown.
MARKS: dict[str, float] = {}


def _status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def peak_rss_mb() -> float:
    """This process's peak resident memory (Linux VmHWM; not ru_maxrss, which on Linux
    keeps the high-water mark of the parent that started it)."""
    return _status_mb("VmHWM")


def rss_now_mb() -> float:
    """Resident memory now: unlocking with the passphrase briefly takes 128 MiB for
    Argon2id, which the peak includes."""
    return _status_mb("VmRSS")


class Ticks:
    """A 1 ms timer on the UI thread; the longest gap between its ticks is the worst stall."""

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(1)
        self.timer.timeout.connect(self._tick)
        self.last = 0.0
        self.longest = 0.0

    def _tick(self) -> None:
        now = time.perf_counter()
        if self.last:
            self.longest = max(self.longest, now - self.last)
        self.last = now

    def start(self) -> None:
        self.last, self.longest = 0.0, 0.0
        self.timer.start()

    def stop(self) -> float:
        self.timer.stop()
        return self.longest


def run_steps(app: object, steps: Callable[[], bool], every_ms: int = 16) -> None:
    """Call `steps` every `every_ms` (like a user dragging the scroll bar) until it says
    it is done, with the event loop running in between."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    timer = QTimer()
    timer.setInterval(every_ms)

    def step() -> None:
        if steps():
            timer.stop()
            loop.quit()

    timer.timeout.connect(step)
    timer.start()
    loop.exec()


def settle(app: object, seconds: float) -> None:
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def scroll_end_to_end(app: object, table: object) -> float:
    """Scroll from the top to the very last row a page at a time; the longest stall (s)."""
    bar = table.verticalScrollBar()  # type: ignore[attr-defined]
    model = table.model()  # type: ignore[attr-defined]
    from PySide6.QtCore import QModelIndex

    bar.setValue(0)
    settle(app, 0.1)
    ticks = Ticks()
    ticks.start()

    def step() -> bool:
        at_end = bar.value() >= bar.maximum()
        if at_end and not model.canFetchMore(QModelIndex()):
            return True
        bar.setValue(bar.value() + bar.pageStep())
        return False

    run_steps(app, step)
    settle(app, 0.05)
    return ticks.stop()


def bare_window(rows: int) -> tuple[object, object, object]:
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

    app = QApplication.instance() or QApplication([])
    model = QStandardItemModel(0, 5)
    for row in range(rows):
        model.appendRow([QStandardItem(f"row {row} column {c}") for c in range(5)])
    window = QMainWindow()
    table = QTableView()
    table.setModel(model)
    window.setCentralWidget(table)
    window.resize(1280, 800)
    window.show()
    app.processEvents()
    return app, window, table


def main_window(binder_dir: Path, settings_file: Path) -> tuple[object, object, float]:
    from PySide6.QtCore import QSettings, QStandardPaths

    from app.ui.application import make_application
    from app.vault.unlock import open_with_passphrase

    QStandardPaths.setTestModeEnabled(True)
    app = make_application()
    MARKS["Qt and the binder's modules imported"] = time.time()
    started = time.perf_counter()
    binder = open_with_passphrase(binder_dir, PASSPHRASE, remember=False)
    unlock = time.perf_counter() - started
    MARKS["unlocked"] = time.time()
    from app.ui.main_window import MainWindow

    MARKS["window's modules imported"] = time.time()
    settings = QSettings(str(settings_file), QSettings.Format.IniFormat)
    window = MainWindow(binder, demo=True, settings=settings)
    window.resize(1280, 800)
    window.show_place("Documents")
    MARKS["window made and filled"] = time.time()
    window.show()
    app.processEvents()
    MARKS["shown"] = time.time()
    return app, window, unlock


def preview_shown(app: object, window: object, row: int) -> float:
    """Select a row; seconds until the first page's pixels are on screen in the preview.

    Polled from a 1 ms timer while the event loop runs as it does for a user (a busy loop
    here would hold the GIL the worker decrypting the file needs)."""
    from PySide6.QtCore import QEventLoop, Qt, QTimer
    from PySide6.QtPdf import QPdfDocument

    page = window.documents  # type: ignore[attr-defined]
    pane = page.preview.pdf
    loop = QEventLoop()
    shown: list[float] = []

    def poll() -> None:
        if (
            page.preview.currentWidget() is pane
            and pane.document.status() == QPdfDocument.Status.Ready
            and _has_ink(pane.view.viewport())
        ):
            shown.append(time.perf_counter())
            loop.quit()

    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setInterval(1)
    timer.timeout.connect(poll)
    QTimer.singleShot(10_000, loop.quit)
    started = time.perf_counter()
    page.select_row(row)
    timer.start()
    loop.exec()
    timer.stop()
    if not shown:
        raise TimeoutError("the preview never showed the page")
    return shown[0] - started


def _has_ink(widget: object) -> bool:
    """Whether the top of the page in the view has dark pixels (text), not just paper."""
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QImage

    width = widget.width()  # type: ignore[attr-defined]
    image = widget.grab(QRect(0, 0, width, 240)).toImage()  # type: ignore[attr-defined]
    gray = image.convertToFormat(QImage.Format.Format_Grayscale8)
    return min(bytes(gray.constBits())) < 120


def pdfium_alone(data: bytes, width: int) -> float:
    import pypdfium2 as pdfium

    started = time.perf_counter()
    pdf = pdfium.PdfDocument(data)
    page = pdf[0]
    page.render(scale=width / page.get_width()).to_pil()
    page.close()
    pdf.close()
    return time.perf_counter() - started


def use_session(binder_dir: Path, settings_file: Path) -> dict[str, object]:
    import statistics

    from app.records.documents import list_documents
    from app.ui.documents_model import DOCUMENT_ROLE

    app, window, unlock = main_window(binder_dir, settings_file)
    out: dict[str, object] = {"unlock": unlock, "rss_shown": rss_now_mb()}
    page = window.documents  # type: ignore[attr-defined]
    binder = window.binder  # type: ignore[attr-defined]
    # The person with the most documents, for the preview and the scrolling.
    box = window.person_box  # type: ignore[attr-defined]
    sizes = [len(list_documents(binder, box.itemData(i).id)) for i in range(box.count())]
    box.setCurrentIndex(sizes.index(max(sizes)))
    settle(app, 0.5)
    # The preview: the first page of a few PDFs, beside pypdfium2 rendering it at the width
    # the view draws it (decryption timed apart, as the baseline reads a plain file).
    ours, alone, decrypt = [], [], []
    for row in range(1, 40, 3):
        doc = page.proxy.index(row, 0).data(DOCUMENT_ROLE)
        if doc.media_type != "application/pdf":
            continue
        ours.append(preview_shown(app, window, row))
        started = time.perf_counter()
        data = binder.files.read(doc.file_name)
        decrypt.append(time.perf_counter() - started)
        alone.append(pdfium_alone(data, page.preview.pdf.view.viewport().width()))
    out["preview"] = statistics.median(ours)
    out["preview_pdfium"] = statistics.median(alone)
    out["preview_decrypt"] = statistics.median(decrypt)
    out["scroll_rows"] = len(list_documents(binder, page.person.id))
    out["scroll_stall"] = scroll_end_to_end(app, page.table)
    # Switching people: every person, twice, a quarter second apart.
    ticks = Ticks()
    ticks.start()
    order = [i % box.count() for i in range(1, 2 * box.count() + 1)]

    def switch() -> bool:
        if not order:
            return True
        box.setCurrentIndex(order.pop(0))
        return False

    run_steps(app, switch, 250)
    settle(app, 0.1)
    out["switch_stall"] = ticks.stop()
    # Every place once (pages built on first show are part of the memory figure).
    from app.ui.places import PLACES

    for place in PLACES:
        window.show_place(place)  # type: ignore[attr-defined]
        settle(app, 0.05)
    out["rss_peak"] = peak_rss_mb()
    out["rss_after_use"] = rss_now_mb()
    window.close()  # type: ignore[attr-defined]
    return out


def main(argv: list[str]) -> int:
    mode = argv[0]
    if mode == "bare-startup":
        bare_window(0)
        print(json.dumps({"shown": time.time()}))
    elif mode == "bare-use":
        app, _window, table = bare_window(int(argv[1]))
        settle(app, 0.3)
        stall = scroll_end_to_end(app, table)
        print(json.dumps({"scroll_stall": stall, "rss_peak": peak_rss_mb()}))
    elif mode == "startup":
        app, window, unlock = main_window(Path(argv[1]), Path(argv[2]))
        rows = window.documents.proxy.rowCount()  # type: ignore[attr-defined]
        print(json.dumps({"shown": time.time(), "unlock": unlock, "rows": rows, **MARKS}))
    elif mode == "use":
        print(json.dumps(use_session(Path(argv[1]), Path(argv[2]))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
