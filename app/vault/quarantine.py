"""The quarantine: stored files no record explains, kept (still encrypted) instead of deleted.

    <data dir>/quarantine/<keyed hash>   moved here from files/, byte for byte

A stored file that no document names is either the leftover of a crash between writing the
file and committing its row, or the original of a document this `binder.db` does not know:
a `binder.db` put back from an older copy, a sync conflict, a folder copied by hand. Only
the first is recognised for sure (the database noted the file as being written, see
`unsettled_files`), and only it is removed. Every other such file moves here, is reported
by `check` and offered in the window, and goes back into files/ when it is brought back as
a document. Backups keep the quarantine too.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path

from app.vault.atomic import fsync_dir
from app.vault.errors import BinderDamaged
from app.vault.filestore import FileStore, is_stored_name

QUARANTINE_DIR = "quarantine"


@dataclass(frozen=True)
class QuarantinedFile:
    name: str
    size: int
    readable: bool  # it opens with this binder's key: an original of this binder


def move_in(files: FileStore, folder: Path, name: str) -> bool:
    """Move files/<name> into the quarantine (a rename: never a copy, never a loss);
    False when it had to stay where it is."""
    folder.mkdir(mode=0o700, exist_ok=True)
    target = folder / name
    if target.exists():
        # The same keyed name is the same content under the same key: one copy is enough,
        # once the one already here is checked. If it does not check (damaged, or another
        # key's), neither goes: the file stays in files/, and `check` reports it there.
        try:
            files.elsewhere(folder).verify(name)
        except BinderDamaged:
            return False
        files.remove(name)
    else:
        os.rename(files.path(name), target)
    fsync_dir(folder)
    fsync_dir(files.folder)
    return True


def move_out(files: FileStore, folder: Path, name: str) -> None:
    """Put a quarantined file back into files/ (once a row names it again)."""
    if not is_stored_name(name):
        raise ValueError(f"not a stored file name: {name!r}")
    source = folder / name
    if files.exists(name):
        source.unlink()  # the import stored the same content again
    else:
        os.rename(source, files.path(name))
        fsync_dir(files.folder)
    fsync_dir(folder)
    with contextlib.suppress(OSError):
        folder.rmdir()  # only when empty


def describe(files: FileStore, folder: Path) -> list[QuarantinedFile]:
    """Every quarantined file, and whether it opens with this binder's key."""
    store = files.elsewhere(folder)
    found = []
    for name in store.names():
        try:
            store.verify(name)
            readable = True
        except BinderDamaged:
            readable = False
        found.append(QuarantinedFile(name, store.path(name).stat().st_size, readable))
    return found
