"""CareBinder installs like a desktop app: valid menu entry and metadata, a wheel that
carries its resources and its commands."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

from tests.conftest import ROOT, need

PACKAGING = ROOT / "packaging"


def test_the_desktop_entry_validates() -> None:
    tool = shutil.which("desktop-file-validate")
    need(tool is not None, "desktop-file-validate (Debian desktop-file-utils) is not installed")
    done = subprocess.run(
        [str(tool), str(PACKAGING / "org.carebinder.CareBinder.desktop")],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "error" not in done.stdout.lower()


def test_the_appstream_metainfo_validates() -> None:
    tool = shutil.which("appstreamcli")
    need(tool is not None, "appstreamcli (Debian appstream) is not installed")
    done = subprocess.run(
        [
            str(tool),
            "validate",
            "--no-net",
            str(PACKAGING / "org.carebinder.CareBinder.metainfo.xml"),
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_one_app_id_is_used_everywhere() -> None:
    from app import APP_ID

    assert (PACKAGING / f"{APP_ID}.desktop").exists()
    assert f"<id>{APP_ID}</id>" in (PACKAGING / f"{APP_ID}.metainfo.xml").read_text()
    assert (ROOT / "resources" / "icons" / f"{APP_ID}.svg").exists()
    for size in (16, 32, 48, 64, 128, 256, 512):
        assert (
            ROOT / "resources" / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        ).exists()


def test_the_package_list_names_every_package_in_app() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    listed = set(config["tool"]["setuptools"]["packages"])
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "app").rglob("__init__.py")
    }
    assert found | {"app._resources"} == listed


def test_resources_are_found_from_the_source_tree() -> None:
    from app.resources import APP_ICON, resource_path

    assert resource_path(APP_ICON).read_text().startswith("<?xml")


def test_the_wheel_installs_and_its_command_answers(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--quiet",
            "-w",
            str(wheels),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
    )
    assert built.returncode == 0, built.stderr[-2000:]
    (wheel,) = wheels.glob("carebinder-*.whl")
    import zipfile

    names = zipfile.ZipFile(wheel).namelist()
    assert "app/_resources/icons/org.carebinder.CareBinder.svg" in names
    assert "app/cli/main.py" in names and "app/ui/main_window.py" in names

    # A clean venv: `carebinder --version` needs none of the heavy dependencies.
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    pip = env_dir / "bin" / "pip"
    installed = subprocess.run(
        [str(pip), "install", "--no-deps", "--quiet", str(wheel)], capture_output=True, text=True
    )
    assert installed.returncode == 0, installed.stderr[-2000:]
    version = subprocess.run(
        [str(env_dir / "bin" / "carebinder"), "--version"], capture_output=True, text=True
    )
    from app import __version__

    assert version.returncode == 0 and version.stdout.strip() == f"CareBinder {__version__}"
    assert (env_dir / "bin" / "carebinder-gui").exists()
