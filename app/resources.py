"""Where the project's own files (icons, the .desktop entry) are, wherever CareBinder runs:
a source tree, an installed wheel (resources/ is packaged as app._resources), or a
PyInstaller build (resources/ sits beside the executable's modules)."""

from __future__ import annotations

import sys
from pathlib import Path


def resource_path(relative: str) -> Path:
    """The path of `relative` (e.g. "icons/org.carebinder.CareBinder.svg") under resources/."""
    bundled = getattr(sys, "_MEIPASS", None)
    candidates = []
    if bundled:
        candidates.append(Path(bundled) / "resources")
    candidates.append(Path(__file__).resolve().parent.parent / "resources")
    candidates.append(Path(__file__).resolve().parent / "_resources")
    for root in candidates:
        if (root / relative).exists():
            return root / relative
    raise FileNotFoundError(f"resource {relative} is missing from this installation")


APP_ICON = "icons/org.carebinder.CareBinder.svg"
