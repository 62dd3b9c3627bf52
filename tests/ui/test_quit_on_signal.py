"""SIGTERM (a logout, a shutdown, `kill`) closes the window as a normal quit does: the demo's
temp folder goes, the binder is closed (its write-ahead log folded in, its lock released),
and the window's layout is saved, as after File > Quit.

Each test starts the real app in a child process, waits for the line it writes once its
window is up (CAREBINDER_SAY_READY), sends SIGTERM, and checks what is left on disk.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from app.ui.application import READY_ENV
from app.vault.unlock import open_with_passphrase
from tests.conftest import PASSPHRASE, ROOT, Cli

READY = b"CareBinder window ready\n"


def _start(arguments: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    child = subprocess.Popen(
        [sys.executable, "-m", "app", *arguments],
        cwd=ROOT,
        env={**env, READY_ENV: "1", "QT_QPA_PLATFORM": "offscreen"},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    assert child.stderr is not None
    said = b""
    while not said.endswith(READY):  # every line until the one that says it is up
        line = child.stderr.readline()
        assert line, f"the app stopped before its window was up: {said.decode()}"
        said += line
    return child


def _terminate(child: subprocess.Popen[bytes]) -> str:
    child.send_signal(signal.SIGTERM)
    assert child.stderr is not None
    rest = child.stderr.read().decode()
    assert child.wait() == 0, f"not a normal quit: {child.returncode} {rest}"
    return rest


def _own_env(tmp_path: Path) -> dict[str, str]:
    temp = tmp_path / "temp"
    home = tmp_path / "home"
    temp.mkdir()
    home.mkdir()
    env = dict(os.environ)
    env.update(
        TMPDIR=str(temp), HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"),
        XDG_CACHE_HOME=str(home / ".cache"), XDG_DATA_HOME=str(home / ".local" / "share"),
    )  # fmt: skip
    return env


def test_the_demo_killed_with_sigterm_leaves_no_demo_binder(tmp_path: Path) -> None:
    env = _own_env(tmp_path)
    child = _start(["--demo"], env)
    temp = Path(env["TMPDIR"])
    [demo] = [p for p in temp.iterdir() if p.name.startswith("carebinder-demo-")]
    assert (demo / "binder" / "binder.db").exists(), "the demo binder is there while it runs"

    _terminate(child)
    assert not demo.exists(), "the demo binder was left in the temp folder"
    assert not [p for p in temp.iterdir() if p.name.startswith("carebinder-demo-")]


def test_sigterm_closes_the_window_as_quit_does(cli: Cli, tmp_path: Path) -> None:
    env = _own_env(tmp_path)
    cli.env.update(env)
    assert cli.run("init", "--person", "Ada Example").code == 0
    child = _start(
        ["--data-dir", str(cli.data_dir), "--passphrase-file", str(cli.passphrase_file)],
        cli.env,
    )
    assert (cli.data_dir / "binder.db-wal").exists(), "open: its write-ahead log is in use"

    _terminate(child)
    # The close event ran: the window's layout was saved, as it is on File > Quit.
    saved = list((Path(env["HOME"]) / ".config").rglob("*.conf"))
    assert saved and "geometry" in saved[0].read_text()
    # The binder was closed: its log folded into the database, its lock released.
    wal = cli.data_dir / "binder.db-wal"
    assert not wal.exists() or wal.stat().st_size == 0
    assert not list(Path(env["TMPDIR"]).iterdir()), "no temp file or folder left"
    with open_with_passphrase(cli.data_dir, PASSPHRASE, remember=False) as binder:
        assert binder.check().ok
