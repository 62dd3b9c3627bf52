"""The installation checks itself: from the source tree, and as the PyInstaller build."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import IN_CI, ROOT, need


def _self_test(command: list[str]) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [*command, "--self-test"], capture_output=True, text=True, env=env, timeout=600, cwd=ROOT
    )


def test_the_self_test_passes_from_the_source_tree() -> None:
    done = _self_test([sys.executable, "-m", "app"])
    assert done.returncode == 0, done.stdout + done.stderr
    assert "self-test: export and verify a bundle: ok" in done.stdout
    assert done.stdout.strip().endswith("self-test passed")


def test_the_linux_build_runs_its_self_test() -> None:
    """Builds the one-folder app (about a minute) and runs it. CI runs it; elsewhere it
    runs when CAREBINDER_BUILD_TEST=1, since it downloads PyInstaller and writes dist/."""
    need(
        IN_CI or os.environ.get("CAREBINDER_BUILD_TEST") == "1",
        "the PyInstaller build runs in CI or with CAREBINDER_BUILD_TEST=1",
    )
    built = subprocess.run(
        [str(ROOT / "packaging" / "build-linux.sh")],
        capture_output=True,
        text=True,
        timeout=1200,
        cwd=ROOT,
    )
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    assert built.stdout.strip().endswith(".tar.gz")
    done = _self_test([str(ROOT / "dist" / "carebinder" / "carebinder")])
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip().endswith("self-test passed")
