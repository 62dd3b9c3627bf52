"""The document commands: `import`, `list`, `search`, `show`, `edit`, `trash`, `untrash` and
`make-searchable`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import Any

from app.cli.common import (
    EXIT_OK,
    EXIT_SOME_REFUSED,
    UsageError,
    find_person_id,
    open_binder,
    parse_kind,
    print_json,
    read_secret_file,
    say,
    subcommand,
    text_progress,
)
from app.progress import CancelFlag


def cmd_import(args: argparse.Namespace) -> int:
    from app.records.importer import Outcome, import_paths

    kind = parse_kind(args.kind)
    password = read_secret_file(args.pdf_password_file) if args.pdf_password_file else None
    cancel = CancelFlag()
    with open_binder(args) as binder:
        person_id = find_person_id(binder, args.person)
        try:
            results = import_paths(
                binder,
                person_id,
                [Path(p) for p in args.paths],
                kind=kind,
                pdf_password=password,
                progress=text_progress(sys.stderr.isatty() and not args.json),
                cancel=cancel,
            )
        except KeyboardInterrupt:
            say("\nImport stopped. Files imported before stopping are kept.")
            return EXIT_SOME_REFUSED
    if args.json:
        print_json([r.to_json() for r in results])
    else:
        for result in results:
            if result.status is Outcome.OK and result.document is not None:
                print(f"imported   {result.path}  ->  document {result.document.id}")
            else:
                print(f"{result.status.value:<10} {result.path}: {result.reason}")
    counts = {o: sum(1 for r in results if r.status is o) for o in Outcome}
    say(
        f"{counts[Outcome.OK]} imported, {counts[Outcome.DUPLICATE]} already there, "
        f"{counts[Outcome.REFUSED]} refused."
    )
    return EXIT_SOME_REFUSED if counts[Outcome.REFUSED] else EXIT_OK


def _print_documents(docs: Sequence[Any]) -> None:
    for doc in docs:
        date = doc.date or "no date"
        pages = f"{doc.pages} p." if doc.pages else ""
        print(f"{doc.id:>5}  {date:<10}  {doc.kind.label:<24} {doc.title}  {pages}")


def cmd_list(args: argparse.Namespace) -> int:
    from app.records.documents import list_documents

    kind = parse_kind(args.kind)
    with open_binder(args) as binder:
        person_id = find_person_id(binder, args.person) if args.person else None
        docs = list_documents(binder, person_id, kind, trashed=args.trash)
    if args.json:
        print_json([d.to_json() for d in docs])
    else:
        _print_documents(docs)
        if not docs:
            say("No documents." if not args.trash else "The Trash is empty.")
    return EXIT_OK


def cmd_search(args: argparse.Namespace) -> int:
    from app.records.search import search

    with open_binder(args) as binder:
        person_id = find_person_id(binder, args.person) if args.person else None
        hits = search(binder, args.query, person_id)
    if args.json:
        print_json([{**h.document.to_json(), "snippet": h.snippet_with("[", "]")} for h in hits])
    else:
        for hit in hits:
            doc = hit.document
            print(f"{doc.id:>5}  {doc.date or 'no date':<10}  {doc.title}")
            print(f"       {hit.snippet_with('[', ']')}")
        if not hits:
            say("Nothing found.")
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    from app.records.documents import document_text, get_document

    with open_binder(args) as binder:
        doc = get_document(binder, args.id)
        text = document_text(binder, args.id) if args.text else None
    if args.json:
        data = doc.to_json()
        if text is not None:
            data["text"] = text
        print_json(data)
        return EXIT_OK
    rows = [
        ("Title", doc.title),
        ("Kind", doc.kind.label),
        ("Date", doc.date or "not known"),
        ("Person", doc.person),
        ("Facility", doc.facility),
        ("Author", doc.author),
        ("Pages", str(doc.pages or "")),
        ("Original file", doc.original_name),
        ("Size", f"{doc.size} bytes"),
        ("SHA-256", doc.sha256),
        ("In the Trash", "yes" if doc.in_trash else ""),
        ("Notes", doc.notes),
    ]
    for label, value in rows:
        if value:
            print(f"{label + ':':<15}{value}")
    if text is not None:
        print()
        print(text)
    return EXIT_OK


def cmd_edit(args: argparse.Namespace) -> int:
    from app.records.documents import update_document

    changes = {
        key: getattr(args, key)
        for key in ("title", "date", "kind", "facility", "author", "notes")
        if getattr(args, key) is not None
    }
    if not changes:
        raise UsageError("Say what to change, for example --date 2024-03-15.")
    with open_binder(args) as binder:
        doc = update_document(binder, args.id, **changes)
    if args.json:
        print_json(doc.to_json())
    else:
        print(f"Saved document {doc.id}.")
    return EXIT_OK


def cmd_trash(args: argparse.Namespace) -> int:
    from app.records.documents import restore_document, trash_document

    with open_binder(args) as binder:
        if args.command == "trash":
            doc = trash_document(binder, args.id)
            print(f"Moved document {doc.id} to the Trash (carebinder untrash {doc.id} undoes it).")
        else:
            doc = restore_document(binder, args.id)
            print(f"Restored document {doc.id}.")
    return EXIT_OK


def cmd_make_searchable(args: argparse.Namespace) -> int:
    from app.records.documents import list_documents
    from app.records.importer import make_searchable
    from app.records.models import TextStatus

    with open_binder(args) as binder:
        if args.ids:
            ids = args.ids
        else:
            ids = [d.id for d in list_documents(binder) if d.text_status is TextStatus.NEEDS_OCR]
        if args.all:
            from app.records.page_words import without_page_words

            ids += [i for i in without_page_words(binder) if i not in ids]
        for doc_id in ids:
            doc = make_searchable(binder, doc_id)
            print(f"document {doc.id}: {doc.text_status.value}")
    if not ids:
        say("Every document is searchable already.")
    return EXIT_OK


def add_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    command = partial(subcommand, commands, common)
    imp = command("import", cmd_import, "import files or folders (folders recursively)")
    imp.add_argument("paths", nargs="+", metavar="PATH")
    imp.add_argument("--person", metavar="NAME")
    imp.add_argument("--kind", metavar="KIND")
    imp.add_argument("--pdf-password-file", metavar="FILE")
    imp.add_argument("--json", action="store_true")

    lst = command("list", cmd_list, "list documents")
    lst.add_argument("--person", metavar="NAME")
    lst.add_argument("--kind", metavar="KIND")
    lst.add_argument("--trash", action="store_true", help="list the Trash instead")
    lst.add_argument("--json", action="store_true")

    srch = command("search", cmd_search, "search the words of every document")
    srch.add_argument("query")
    srch.add_argument("--person", metavar="NAME")
    srch.add_argument("--json", action="store_true")

    show = command("show", cmd_show, "show one document's facts")
    show.add_argument("id", type=int)
    show.add_argument("--text", action="store_true", help="also print its extracted text")
    show.add_argument("--json", action="store_true")

    edit = command("edit", cmd_edit, "correct a document's facts")
    edit.add_argument("id", type=int)
    for name in ("title", "date", "kind", "facility", "author", "notes"):
        edit.add_argument(f"--{name}")
    edit.add_argument("--json", action="store_true")

    for name, text in (
        ("trash", "move a document to the Trash"),
        ("untrash", "take a document out of the Trash"),
    ):
        sub = command(name, cmd_trash, text)
        sub.add_argument("id", type=int)

    searchable = command(
        "make-searchable",
        cmd_make_searchable,
        "read scans again with OCR (tesseract) so their words can be found",
    )
    searchable.add_argument("ids", type=int, nargs="*", metavar="ID", help="all scans if none")
    searchable.add_argument(
        "--all",
        action="store_true",
        help="also read again every photo and PDF with no text layer kept for the records "
        "packet (binders made before CareBinder kept one)",
    )
