"""Named fault points for the crash-safety tests.

`fault_point("name")` kills the process on the spot (SIGKILL, as a power cut would) when
the environment variable CAREBINDER_FAULT names that point, and does nothing otherwise.
They sit at the moments where a crash is most dangerous in the write path, so the tests can
prove the binder survives a crash at each one (tests/backup/test_fault_points.py).
"""

from __future__ import annotations

import os
import signal

FAULT_ENV = "CAREBINDER_FAULT"
POINTS = (
    "temp-file-written",  # a file is fully written under its temp name, not yet renamed
    "file-stored",  # an original is in files/, its document row not yet committed
    "row-committed",  # the document row is committed, the import not yet reported
)
# Points on other paths than an import (tests/records/test_purge.py).
PURGE_POINTS = (
    "purge-row-committed",  # a purged document's row is gone, its file not yet removed
)


def fault_point(name: str) -> None:
    if os.environ.get(FAULT_ENV) == name:
        os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))
