"""Atomic file writes: a temp file beside the target, fsync, rename, fsync of the folder.

The vault owns atomic writes; the export layer writes its bundles with these helpers too.

A crash at any moment leaves either the old file or the new one, never half of either.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from app.vault.errors import StorageError
from app.vault.faults import fault_point

TEMP_PREFIX = ".tmp-"


def fsync_dir(folder: Path) -> None:
    """Make a rename or unlink in `folder` durable (a no-op where the OS has no dir fsync)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sync_files(folder: Path, written: list[Path]) -> None:
    """Make every file written in `folder` durable: one syncfs on Linux (hundreds of fsyncs
    cost more than the import itself), an fsync of each file elsewhere."""
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            syncfs = ctypes.CDLL(None, use_errno=True).syncfs
        except (AttributeError, OSError):
            syncfs = None
        if syncfs is not None:
            fd = os.open(folder, os.O_RDONLY)
            try:
                if syncfs(fd) == 0:
                    return
                error = ctypes.get_errno()
                raise OSError(error, os.strerror(error))
            finally:
                os.close(fd)
    for path in written:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def atomic_writer(target: Path) -> Iterator[BinaryIO]:
    """Yield a binary file; on a clean exit it replaces `target` atomically.

    On an error the temp file is removed and `target` is left as it was. OSErrors are
    turned into `StorageError` with a plain message.
    """
    temp = target.parent / f"{TEMP_PREFIX}{secrets.token_hex(8)}"
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        fault_point("temp-file-written")
        os.replace(temp, target)
        fsync_dir(target.parent)
    except OSError as exc:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise StorageError(describe_os_error(exc, target.parent)) from exc
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise


def write_bytes(target: Path, data: bytes) -> None:
    with atomic_writer(target) as handle:
        handle.write(data)


def describe_os_error(exc: OSError, where: Path) -> str:
    """A sentence for a person: what went wrong writing to `where` (the binder's own folder,
    a backup's or a bundle's target: every layer that writes files says it the same way)."""
    import errno

    if exc.errno == errno.ENOSPC:
        return f"The disk holding {where} is full. Free some space or choose another place."
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"CareBinder may not write to {where} (it is read-only or protected)."
    if exc.errno in (errno.ENOENT, errno.ENODEV, errno.EIO, errno.ENXIO):
        return f"{where} could not be written: was the drive removed, or the folder deleted?"
    return f"Writing to {where} failed: {exc.strerror or exc.__class__.__name__}."
