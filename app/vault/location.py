"""Where the binder lives: the platform's user data dir, unless told otherwise."""

from __future__ import annotations

import os
from pathlib import Path

DATA_DIR_ENV = "CAREBINDER_DATA_DIR"


def default_data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("CareBinder", appauthor=False, roaming=True))


def resolve_data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """`--data-dir`, else $CAREBINDER_DATA_DIR, else the platform default."""
    chosen = explicit or os.environ.get(DATA_DIR_ENV)
    return Path(chosen).expanduser().absolute() if chosen else default_data_dir()
