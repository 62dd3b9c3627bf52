"""Writing bundles and sheets into the share log, and making a logged bundle again."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from typing import Any

from app.export.bundle_options import BundleOptions, BundleResult
from app.export.redaction import Redaction
from app.records.errors import RecordsError
from app.records.models import Document, DocumentKind
from app.records.share_log import (
    BUNDLE,
    SHEET_PRINTED,
    SHEET_SAVED,
    SharedDocument,
    ShareEntry,
    record_share,
)
from app.vault.binder import Binder

log = logging.getLogger(__name__)


def shared_documents(docs: Sequence[Document]) -> list[SharedDocument]:
    return [SharedDocument(d.id, d.title, d.date, d.kind.value, d.sha256) for d in docs]


def options_json(options: BundleOptions) -> dict[str, Any]:
    """The options as the log keeps them: everything but the password."""
    return {
        "for_doctor": options.for_doctor,
        "document_ids": list(options.document_ids) if options.document_ids is not None else None,
        "preselected": options.preselected,
        "kinds": [k.value for k in options.kinds] if options.kinds else None,
        "since": options.since,
        "folder": options.folder,
        "redaction": (options.redaction or Redaction()).to_json(),
    }


def log_bundle(
    binder: Binder,
    person_id: int,
    options: BundleOptions,
    result: BundleResult,
    for_doctor: str,
) -> ShareEntry | None:
    """Log a bundle that was written. A failure to log must not undo a good bundle: it is
    written to the program's log and None is returned."""
    docs = [e.document for e in result.entries]
    try:
        return record_share(
            binder,
            person_id,
            BUNDLE,
            shared_documents(docs),
            for_doctor=for_doctor,
            target=str(result.target),
            files=dict(result.files),
            options=options_json(options),
            password_protected=bool(options.password),
        )
    except (RecordsError, OSError) as exc:
        # The class only: the message can name the user's folder or a file.
        log.warning("The bundle was written but could not be logged: %s", type(exc).__name__)
        return None


def log_sheet(
    binder: Binder,
    person_id: int,
    which: str,
    pdf: bytes,
    for_doctor: str = "",
    documents: Sequence[Document] = (),
    redaction: Redaction | None = None,
    target: str = "",
) -> ShareEntry:
    """Log a sheet printed (no target) or saved as PDF (the target)."""
    name = f"{which}.pdf"
    return record_share(
        binder,
        person_id,
        SHEET_SAVED if target else SHEET_PRINTED,
        shared_documents(documents),
        for_doctor=for_doctor,
        target=target,
        files={name: hashlib.sha256(pdf).hexdigest()},
        options={"sheet": which, "redaction": (redaction or Redaction()).to_json()},
    )


def options_again(entry: ShareEntry, password: str | None = None) -> BundleOptions:
    """The options that make the logged bundle again: the same records, the same doctor,
    the same things withheld. The password is asked again: it was never kept."""
    if not entry.is_bundle:
        raise RecordsError(
            f"Number {entry.id} in the log is a {entry.what}, not a bundle; print the sheet "
            "again instead."
        )
    opts = entry.options
    kinds = [DocumentKind(k) for k in opts.get("kinds") or ()] or None
    return BundleOptions(
        for_doctor=opts.get("for_doctor") or entry.for_doctor or None,
        document_ids=[d.id for d in entry.documents],
        kinds=kinds,
        since=opts.get("since"),
        password=password,
        folder=None,  # from the new target: a .zip file, or a folder
        redaction=Redaction.from_json(opts.get("redaction")),
    )


def changed_since(binder: Binder, entry: ShareEntry) -> list[str]:
    """Plain sentences for each logged record that is gone or no longer the same file."""
    from app.records.documents import get_document

    problems = []
    for shared in entry.documents:
        try:
            doc = get_document(binder, shared.id)
        except RecordsError:
            problems.append(f"“{shared.title}” is no longer in the binder.")
            continue
        if doc.sha256 != shared.sha256:
            problems.append(f"“{shared.title}” is not the same file as the one shared.")
        elif doc.in_trash:
            problems.append(f"“{shared.title}” is in the Trash: it would be left out.")
    return problems
