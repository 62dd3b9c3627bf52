"""The log: in the platform's log folder, rotated, and never with medical content.

Rule for every log call in CareBinder: ids, counts and error class names only. Never a
title, a file name, a person's name, a search query or document text: file names and
queries are medical content too ("biopsy_results_jane.pdf").
"""

from __future__ import annotations

import logging
import logging.handlers
import os
from pathlib import Path

LOG_DIR_ENV = "CAREBINDER_LOG_DIR"
LOG_FILE = "carebinder.log"
_configured = False


def log_dir() -> Path:
    chosen = os.environ.get(LOG_DIR_ENV)
    if chosen:
        return Path(chosen)
    from platformdirs import user_log_dir

    return Path(user_log_dir("CareBinder", appauthor=False))


def setup_logging(level: int = logging.INFO) -> Path | None:
    """Send CareBinder's log records to a rotating file (5 x 1 MB). Returns its path, or
    None when the folder cannot be written (the app works the same without a log)."""
    global _configured
    folder = log_dir()
    path = folder / LOG_FILE
    if _configured:
        return path
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=1_000_000, backupCount=5, encoding="utf-8"
        )
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("app")
    root.addHandler(handler)
    root.setLevel(level)
    _configured = True
    return path
