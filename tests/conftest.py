"""Shared fixtures: a data dir per test, a passphrase file, the CLI as a user runs it,
the keyring as the test needs it (none, or a real Secret Service), and the corpus.

Qt runs offscreen unless --onscreen is given. Every test gets the fail keyring backend by
default, so no test stores keys by accident; `secret_service` switches to the real one.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
PASSPHRASE = "blue heron paper lantern"
FAIL_BACKEND = "keyring.backends.fail.Keyring"
SECRET_SERVICE_BACKEND = "keyring.backends.SecretService.Keyring"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

# A temp dir of our own, so tests can prove nothing readable was left in it.
_TEMP_ROOT = Path(tempfile.mkdtemp(prefix="carebinder-tests-"))
os.environ["TMPDIR"] = str(_TEMP_ROOT)
tempfile.tempdir = str(_TEMP_ROOT)
os.environ["PYTHON_KEYRING_BACKEND"] = FAIL_BACKEND
# The log goes inside the test temp dir, so the no-plaintext checks read it too.
os.environ["CAREBINDER_LOG_DIR"] = str(_TEMP_ROOT / "logs")
os.environ.pop("CAREBINDER_DATA_DIR", None)
# Dates are shown and read in the locale's way: the suite runs in the C locale ("20 Oct 2026",
# an all-number date that reads two ways is asked about) unless a test chooses another.
os.environ.pop("LANGUAGE", None)
os.environ["LC_ALL"] = "C.UTF-8"
os.environ.pop("CAREBINDER_PASSPHRASE_FILE", None)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--onscreen", action="store_true", help="show Qt windows on a screen")


def pytest_configure(config: pytest.Config) -> None:
    if not config.getoption("--onscreen"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def skipped_count(config: pytest.Config) -> int:
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    return len(reporter.stats.get("skipped", [])) if reporter is not None else 0


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """In CI every test must run: a skipped test fails the run (see `need`)."""
    if IN_CI and skipped_count(session.config) and session.exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    """The count of skipped tests, always said at the end (README promises what ran)."""
    count = skipped_count(config)
    line = f"{count} test{'s' if count != 1 else ''} skipped"
    if IN_CI and count:
        terminalreporter.write_line(f"{line}: CI must run every test (CI=true)", red=True)
    else:
        terminalreporter.write_line(line, green=not count, yellow=bool(count))


def need(condition: bool, reason: str) -> None:
    """Skip when a part is missing, except in CI, where .ci/run installs every part."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"CI must have this: {reason}")
    pytest.skip(reason)


@pytest.fixture
def temp_root() -> Path:
    """The temp dir every test (and every CLI it runs) writes its temp files to."""
    return _TEMP_ROOT


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "binder"


@pytest.fixture
def passphrase_file(tmp_path: Path) -> Path:
    path = tmp_path / "passphrase.txt"
    path.write_text(PASSPHRASE + "\n")
    return path


@dataclass
class CliResult:
    code: int
    out: str
    err: str

    def json(self) -> Any:  # Any: tests index into it as the JSON they expect
        import json

        return json.loads(self.out)


class Cli:
    """Runs `python -m app` in a child process, as a user runs `carebinder`."""

    def __init__(self, data_dir: Path, passphrase_file: Path) -> None:
        self.data_dir = data_dir
        self.passphrase_file = passphrase_file
        self.env = dict(os.environ)
        self.env["PYTHON_KEYRING_BACKEND"] = FAIL_BACKEND

    def run(self, *args: str, passphrase: bool = True, timeout: float = 120) -> CliResult:
        command = [sys.executable, "-m", "app", "--data-dir", str(self.data_dir)]
        if passphrase:
            command += ["--passphrase-file", str(self.passphrase_file)]
        done = subprocess.run(
            [*command, *args],
            capture_output=True,
            text=True,
            env=self.env,
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            timeout=timeout,
        )
        return CliResult(done.returncode, done.stdout, done.stderr)


@pytest.fixture
def cli(data_dir: Path, passphrase_file: Path) -> Cli:
    return Cli(data_dir, passphrase_file)


@pytest.fixture
def no_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """keyring's fail backend: as on a headless machine with no Secret Service."""
    import keyring
    from keyring.backends import fail

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


def _secret_service_problem() -> str | None:
    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        return "no D-Bus session (run the tests through tests/with-keyring)"
    try:
        from keyring.backends import SecretService

        backend = SecretService.Keyring()
        backend.set_password("CareBinder-test-probe", "probe", "x")
        backend.delete_password("CareBinder-test-probe", "probe")
    except Exception as exc:
        return f"no unlocked Secret Service ({exc.__class__.__name__}: {exc})"
    return None


@pytest.fixture
def secret_service(cli: Cli) -> Iterator[object]:
    """The real Secret Service (gnome-keyring), in this process and in CLI children."""
    import keyring
    from keyring.backends import SecretService

    problem = _secret_service_problem()
    need(problem is None, problem or "")
    previous = keyring.get_keyring()
    backend = SecretService.Keyring()
    keyring.set_keyring(backend)
    cli.env["PYTHON_KEYRING_BACKEND"] = SECRET_SERVICE_BACKEND
    yield backend
    keyring.set_keyring(previous)


def corpus_path() -> Path:
    return Path(os.environ.get("CAREBINDER_CORPUS", ROOT.parent / "shared" / "corpus"))


@pytest.fixture
def corpus() -> Path:
    """../shared/corpus (or $CAREBINDER_CORPUS). Where it is absent the test skips cleanly,
    except in CI, where a missing corpus fails loudly: CI promises those tests ran."""
    path = corpus_path()
    need(path.is_dir(), f"the real-world corpus is not at {path} (set CAREBINDER_CORPUS)")
    return path


@pytest.fixture
def binder(data_dir: Path, no_keyring: None) -> Iterator[object]:
    """A new, open binder with one person, "Ada Example"."""
    from app.records.people import add_person
    from app.vault.binder import Binder

    opened = Binder.create(data_dir, PASSPHRASE)
    add_person(opened, "Ada Example", "1970-01-31")
    yield opened
    opened.close()


@pytest.fixture
def demo(tmp_path: Path, no_keyring: None) -> Iterator[object]:
    """A new demo binder (Eleanor and Thomas Whitfield and their whole story)."""
    from app.demo import create_demo_binder

    opened = create_demo_binder(tmp_path / "demo")
    yield opened
    opened.close()


# After every test that used the `binder` fixture, the binder must still pass `check`,
# unless the test is marked `breaks_binder` (it damages the binder on purpose).
@pytest.fixture(autouse=True)
def binder_is_whole_afterwards(request: pytest.FixtureRequest) -> Iterator[None]:
    if "binder" not in request.fixturenames:
        yield
        return
    # Asked for here, so the binder is still open when this fixture's teardown runs.
    binder = request.getfixturevalue("binder")
    yield
    if request.node.get_closest_marker("breaks_binder"):
        return
    from sqlcipher3.dbapi2 import ProgrammingError

    try:
        report = binder.check()
    except ProgrammingError:
        return  # the test closed this binder itself (and reopened and checked another)
    assert report.ok, f"the test left a binder that is not whole: {report.problems}"
