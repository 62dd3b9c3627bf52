"""Files in the quarantine (app/vault/quarantine.py) brought back as documents.

A quarantined file is an original no record names: most often the original of a document a
`binder.db` put back from an older copy has never heard of. Its name and facts are lost with
that row, but its content is whole, so it can come back as a new document of a person the
user chooses: read like any import (type, text, kind, date), stored again in files/, and
only then taken out of the quarantine. A file that does not open with this binder's key
(another binder's, or damaged) stays where it is.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from app.progress import CancelFlag, Progress, no_progress
from app.vault import quarantine
from app.vault.binder import Binder
from app.vault.errors import BinderDamaged

if TYPE_CHECKING:
    from app.records.importer import ImportResult

NOT_THIS_BINDER = (
    "This file does not open with this binder's key: it belongs to another binder, or it is "
    "damaged. It stays in the quarantine."
)


_SEEN = "quarantine_seen"


def unseen(binder: Binder) -> list[str]:
    """Quarantined files the user has not been told about yet (the window asks once)."""
    row = binder.db.execute("SELECT value FROM settings WHERE key = ?", [_SEEN]).fetchone()
    seen = set(json.loads(row[0])) if row else set()
    return [name for name in binder.quarantined() if name not in seen]


def mark_seen(binder: Binder) -> None:
    """The user chose to keep what is in the quarantine now: do not ask again about it."""
    with binder.transaction() as db:
        db.execute(
            "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
            [_SEEN, json.dumps(binder.quarantined())],
        )


def describe(binder: Binder) -> list[quarantine.QuarantinedFile]:
    """Every quarantined file, and whether it can be brought back."""
    return quarantine.describe(binder.files, binder.quarantine_dir)


def bring_back(
    binder: Binder,
    person_id: int,
    names: list[str] | None = None,
    progress: Progress = no_progress,
    cancel: CancelFlag | None = None,
) -> list[ImportResult]:
    """Import quarantined files (all of them unless `names`) as documents of `person_id`.

    A file comes out of the quarantine only once its document is saved (or the person
    already has it: a duplicate); anything else leaves it there.
    """
    # The importer (every reader of reports) only when files come back: the window asks
    # `unseen` at every start.
    from app.ingest import sniff
    from app.records.importer import ImportResult, Outcome, import_bytes

    store = binder.files.elsewhere(binder.quarantine_dir)
    chosen = store.names() if names is None else names
    results = []
    for done, name in enumerate(chosen):
        if cancel is not None:
            cancel.raise_if_cancelled()
        progress(done, len(chosen), "")
        label = f"quarantined file {name[:12]}"
        try:
            data = store.read(name)  # every chunk's tag checked
        except BinderDamaged:
            results.append(ImportResult(label, Outcome.REFUSED, reason=NOT_THIS_BINDER))
            continue
        # The file's own name was lost with its row: a neutral one, so the title comes
        # from the document itself (its heading or its kind).
        original_name = "document" + sniff.extension_for(sniff.sniff(data))
        result = import_bytes(binder, person_id, data, original_name, label=label, cancel=cancel)
        if result.status in (Outcome.OK, Outcome.DUPLICATE):
            quarantine.move_out(binder.files, binder.quarantine_dir, name)
        results.append(result)
    progress(len(chosen), len(chosen), "")
    return results
