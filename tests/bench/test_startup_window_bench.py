"""Start-up as a user meets it: `carebinder --data-dir DIR` with the key in the keyring (a
real Secret Service: `make bench` runs under tests/with-keyring) until the window says it is
up (CAREBINDER_SAY_READY), beside a bare PySide6 window launched the same way, and the
PyInstaller build (`packaging/build-linux.sh`) when it has been built. The three take turns;
medians of 9.

    make bench   (or: tests/with-keyring .venv/bin/python -m pytest tests/bench -s -k window)

Target (issue 22): 2x the bare window.
"""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import PASSPHRASE, ROOT, SECRET_SERVICE_BACKEND

ROUNDS = 9
FROZEN = ROOT / "dist" / "carebinder" / "carebinder"
# The tests' fail backend is replaced by the real Secret Service of tests/with-keyring.
KEYRING = dict(os.environ, PYTHON_KEYRING_BACKEND=SECRET_SERVICE_BACKEND)

BARE = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QTableWidget
app = QApplication([])
window = QMainWindow()
window.setCentralWidget(QTableWidget(0, 5))
window.resize(1280, 800)
window.show()
QTimer.singleShot(0, lambda: print("CareBinder window ready", file=sys.stderr, flush=True))
app.exec()
"""


def _until_ready(command: list[str]) -> float:
    """Seconds from launch to the ready line; the process is then told to quit (SIGTERM)."""
    env = dict(KEYRING, QT_QPA_PLATFORM="offscreen", CAREBINDER_SAY_READY="1")
    started = time.perf_counter()
    child = subprocess.Popen(
        command, cwd=ROOT, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True
    )
    assert child.stderr is not None
    took = None
    for line in child.stderr:
        if "window ready" in line:
            took = time.perf_counter() - started
            break
    child.send_signal(signal.SIGTERM)
    child.wait(60)
    assert took is not None, f"{command[0]} never said its window was up"
    return took


def test_startup_to_the_window_with_the_keyring(tmp_path: Path) -> None:
    data_dir = tmp_path / "binder"
    secret = tmp_path / "passphrase.txt"
    secret.write_text(PASSPHRASE)
    made = subprocess.run(
        [sys.executable, "-m", "app", "--data-dir", str(data_dir), "init",
         "--passphrase-file", str(secret), "--person", "Ada Example"],
        cwd=ROOT, env=KEYRING, capture_output=True, text=True,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert "keyring" in made.stdout + made.stderr, "the key must be in the keyring, as in daily use"
    commands = {
        "bare PySide6 window": [sys.executable, "-c", BARE],
        "CareBinder from source": [sys.executable, "-m", "app", "--data-dir", str(data_dir)],
    }
    if FROZEN.exists():
        commands["CareBinder, PyInstaller build"] = [str(FROZEN), "--data-dir", str(data_dir)]
    _until_ready(commands["CareBinder from source"])  # files read once from disk
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(ROUNDS):
        for name, command in commands.items():
            times[name].append(_until_ready(command))
    bare = statistics.median(times["bare PySide6 window"])
    print(f"\nStart-up to the window, median of {ROUNDS} (target 2x the bare window):")
    for name, seconds in times.items():
        median = statistics.median(seconds)
        print(f"  {name:32} {median:.3f} s  {median / bare:.2f}x")
    if not FROZEN.exists():
        print("  (the PyInstaller build is not built: packaging/build-linux.sh)")
    assert all(len(seconds) == ROUNDS for seconds in times.values())
