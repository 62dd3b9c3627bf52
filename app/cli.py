"""The `carebinder` command: every binder operation without a window.

    carebinder [--data-dir DIR] [--passphrase-file FILE] [COMMAND]

With no command it opens the desktop window. Exit codes: 0 success, 1 some inputs refused
(or, for `check`, the binder is not whole), 2 usage error or a locked binder. `--json`
prints one JSON document on stdout; messages go to stderr.
"""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from app import __version__
from app.progress import CancelFlag

EXIT_OK = 0
EXIT_SOME_REFUSED = 1
EXIT_USAGE = 2
PASSPHRASE_FILE_ENV = "CAREBINDER_PASSPHRASE_FILE"


class UsageError(Exception):
    """Exit 2 with this message."""


def _say(message: str) -> None:
    print(message, file=sys.stderr)


def _print_json(value: Any) -> None:
    print(json.dumps(value, indent=2, ensure_ascii=False))


def read_secret_file(path: str) -> str:
    """A passphrase from a file: the first line, without its line ending."""
    try:
        text = Path(path).read_text("utf-8")
    except OSError as exc:
        raise UsageError(f"The passphrase file {path} cannot be read ({exc.strerror}).") from None
    first = text.splitlines()[0] if text else ""
    if not first:
        raise UsageError(f"The passphrase file {path} is empty.")
    return first


def _passphrase_file(args: argparse.Namespace) -> str | None:
    return args.passphrase_file or os.environ.get(PASSPHRASE_FILE_ENV) or None


# -- opening the binder ----------------------------------------------------------------------


def _open(args: argparse.Namespace) -> Any:
    """The unlocked binder: passphrase file if given, else keyring, else a prompt."""
    from app.vault.binder import binder_exists
    from app.vault.errors import WrongPassphrase
    from app.vault.location import resolve_data_dir
    from app.vault.unlock import open_with_keyring, open_with_passphrase

    data_dir = resolve_data_dir(args.data_dir)
    if not binder_exists(data_dir):
        raise UsageError(f"There is no binder in {data_dir}. Create one with: carebinder init")
    secret_file = _passphrase_file(args)
    if secret_file:
        return open_with_passphrase(data_dir, read_secret_file(secret_file))
    binder, problem = open_with_keyring(data_dir)
    if binder is not None:
        return binder
    if not sys.stdin.isatty():
        raise UsageError(
            f"The binder is locked: {problem}. Give the recovery passphrase with "
            f"--passphrase-file FILE (or ${PASSPHRASE_FILE_ENV}), or run in a terminal."
        )
    _say(f"The key is not available from the keyring ({problem}).")
    for attempt in range(3):
        passphrase = getpass.getpass("Recovery passphrase: ")
        try:
            return open_with_passphrase(data_dir, passphrase)
        except WrongPassphrase as exc:
            _say(str(exc) + (" Try again." if attempt < 2 else ""))
    raise UsageError("The binder stays locked.")


def _person_id(binder: Any, name: str | None) -> int:
    from app.records.people import find_person

    return find_person(binder, name).id


# -- commands -------------------------------------------------------------------------------


def cmd_init(args: argparse.Namespace) -> int:
    from app.records.people import add_person
    from app.vault.binder import Binder, binder_exists
    from app.vault.keys import passphrase_problem, strength_hint
    from app.vault.location import resolve_data_dir

    data_dir = resolve_data_dir(args.data_dir)
    if binder_exists(data_dir):
        raise UsageError(
            f"There is already a binder in {data_dir}. CareBinder never replaces a binder; "
            "use --data-dir to create another one elsewhere."
        )
    secret_file = _passphrase_file(args)
    if secret_file:
        passphrase = read_secret_file(secret_file)
    elif sys.stdin.isatty():
        _say(
            "Choose a recovery passphrase. It opens your binder on a new computer or from a "
            "backup. Write it down and keep it somewhere safe: nobody can recover it for you."
        )
        passphrase = getpass.getpass("Recovery passphrase: ")
        problem = passphrase_problem(passphrase)
        if problem:
            raise UsageError(problem)
        _say(f"Strength: {strength_hint(passphrase)}")
        if getpass.getpass("The same passphrase again: ") != passphrase:
            raise UsageError("The two passphrases differ. Nothing was created.")
    else:
        raise UsageError("Give the recovery passphrase with --passphrase-file FILE.")
    problem = passphrase_problem(passphrase)
    if problem:
        raise UsageError(problem)
    if args.born:
        # Checked before anything is created, so a typo leaves no half-made binder behind.
        from app.records.dates import optional_date

        try:
            optional_date(args.born)
        except ValueError as exc:
            raise UsageError(f"{exc} Nothing was created.") from None
    with Binder.create(data_dir, passphrase) as binder:
        answer = binder.remember_key()
        if args.person:
            add_person(binder, args.person, args.born)
    _say(f"Created a binder in {data_dir}.")
    if answer.ok:
        _say("Its key is kept in this computer's keyring: daily use needs no passphrase.")
    else:
        _say(f"Note: {answer.problem}; CareBinder will ask for the passphrase each time.")
    return EXIT_OK


def cmd_person_add(args: argparse.Namespace) -> int:
    from app.records.people import add_person

    with _open(args) as binder:
        person = add_person(binder, args.name, args.born)
    if args.json:
        _print_json(person.to_json())
    else:
        print(f"Added {person.name} (id {person.id}).")
    return EXIT_OK


def cmd_person_list(args: argparse.Namespace) -> int:
    from app.records.people import list_people

    with _open(args) as binder:
        people = list_people(binder)
    if args.json:
        _print_json([p.to_json() for p in people])
    else:
        for person in people:
            born = f"  born {person.born}" if person.born else ""
            print(f"{person.id:>4}  {person.name}{born}")
        if not people:
            _say("No one yet. Add a person with: carebinder person add NAME")
    return EXIT_OK


def _kind(text: str | None) -> Any:
    from app.ingest.kinds import DocumentKind

    if text is None:
        return None
    try:
        return DocumentKind.parse(text)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def _text_progress(enabled: bool) -> Callable[[int, int, str], None]:
    def show(done: int, total: int, what: str) -> None:
        if not enabled or total == 0:
            return
        width = 30
        filled = width * done // total
        bar = "#" * filled + "-" * (width - filled)
        print(f"\r[{bar}] {done}/{total} {what[:40]:<40}", end="", file=sys.stderr, flush=True)
        if done == total:
            print(file=sys.stderr)

    return show


def cmd_import(args: argparse.Namespace) -> int:
    from app.records.importer import Outcome, import_paths

    kind = _kind(args.kind)
    password = read_secret_file(args.pdf_password_file) if args.pdf_password_file else None
    cancel = CancelFlag()
    with _open(args) as binder:
        person_id = _person_id(binder, args.person)
        try:
            results = import_paths(
                binder,
                person_id,
                [Path(p) for p in args.paths],
                kind=kind,
                pdf_password=password,
                progress=_text_progress(sys.stderr.isatty() and not args.json),
                cancel=cancel,
            )
        except KeyboardInterrupt:
            _say("\nImport stopped. Files imported before stopping are kept.")
            return EXIT_SOME_REFUSED
    if args.json:
        _print_json([r.to_json() for r in results])
    else:
        for result in results:
            if result.status is Outcome.OK and result.document is not None:
                print(f"imported   {result.path}  ->  document {result.document.id}")
            else:
                print(f"{result.status.value:<10} {result.path}: {result.reason}")
    counts = {o: sum(1 for r in results if r.status is o) for o in Outcome}
    _say(
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

    kind = _kind(args.kind)
    with _open(args) as binder:
        person_id = _person_id(binder, args.person) if args.person else None
        docs = list_documents(binder, person_id, kind, trashed=args.trash)
    if args.json:
        _print_json([d.to_json() for d in docs])
    else:
        _print_documents(docs)
        if not docs:
            _say("No documents." if not args.trash else "The Trash is empty.")
    return EXIT_OK


def cmd_search(args: argparse.Namespace) -> int:
    from app.records.search import search

    with _open(args) as binder:
        person_id = _person_id(binder, args.person) if args.person else None
        hits = search(binder, args.query, person_id)
    if args.json:
        _print_json([{**h.document.to_json(), "snippet": h.snippet_with("[", "]")} for h in hits])
    else:
        for hit in hits:
            doc = hit.document
            print(f"{doc.id:>5}  {doc.date or 'no date':<10}  {doc.title}")
            print(f"       {hit.snippet_with('[', ']')}")
        if not hits:
            _say("Nothing found.")
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    from app.records.documents import document_text, get_document

    with _open(args) as binder:
        doc = get_document(binder, args.id)
        text = document_text(binder, args.id) if args.text else None
    if args.json:
        data = doc.to_json()
        if text is not None:
            data["text"] = text
        _print_json(data)
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
    with _open(args) as binder:
        doc = update_document(binder, args.id, **changes)
    if args.json:
        _print_json(doc.to_json())
    else:
        print(f"Saved document {doc.id}.")
    return EXIT_OK


def cmd_trash(args: argparse.Namespace) -> int:
    from app.records.documents import restore_document, trash_document

    with _open(args) as binder:
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

    with _open(args) as binder:
        if args.ids:
            ids = args.ids
        else:
            ids = [d.id for d in list_documents(binder) if d.text_status is TextStatus.NEEDS_OCR]
        for doc_id in ids:
            doc = make_searchable(binder, doc_id)
            print(f"document {doc.id}: {doc.text_status.value}")
    if not ids:
        _say("Every document is searchable already.")
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    with _open(args) as binder:
        fixed = binder.last_reconcile
        report = binder.check()
    for name in fixed.orphans_removed:
        _say(f"Removed a stored file left over by an interrupted import: {name}")
    if report.ok:
        print(f"The binder is whole ({report.files_checked} stored files checked).")
        return EXIT_OK
    print("The binder has problems:")
    for problem in report.problems:
        print(f"  - {problem}")
    return EXIT_SOME_REFUSED


def cmd_unlock_test(args: argparse.Namespace) -> int:
    from app.vault.binder import binder_exists
    from app.vault.location import resolve_data_dir
    from app.vault.unlock import key_from_keyring

    data_dir = resolve_data_dir(args.data_dir)
    if not binder_exists(data_dir):
        raise UsageError(f"There is no binder in {data_dir}.")
    found = key_from_keyring(data_dir)
    if found.key is None:
        print(f"The passphrase will be needed: {found.problem}.")
        return EXIT_USAGE
    print("The binder opens without a passphrase (key in the keyring).")
    return EXIT_OK


def cmd_gui(args: argparse.Namespace) -> int:
    from app.ui.application import run

    return run(data_dir=args.data_dir, demo=args.demo, passphrase_file=_passphrase_file(args))


# -- argument parsing -----------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="carebinder",
        description="CareBinder keeps your medical records encrypted on your own computer.",
    )
    parser.add_argument("--version", action="version", version=f"CareBinder {__version__}")
    parser.add_argument("--data-dir", metavar="DIR", help="where the binder lives")
    parser.add_argument(
        "--passphrase-file", metavar="FILE", help="read the recovery passphrase from FILE"
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open a throwaway binder filled with a fictional person (nothing of yours is used)",
    )
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check this installation end to end in a temporary binder, then exit",
    )
    parser.set_defaults(handler=cmd_gui, command=None)
    # The global options are accepted after the command too ("init --passphrase-file F");
    # SUPPRESS keeps a subcommand from resetting what was given before it.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", metavar="DIR", default=argparse.SUPPRESS)
    common.add_argument("--passphrase-file", metavar="FILE", default=argparse.SUPPRESS)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, handler: Callable[[argparse.Namespace], int], text: str) -> Any:
        sub = commands.add_parser(name, help=text, description=text, parents=[common])
        sub.set_defaults(handler=handler)
        return sub

    init = command("init", cmd_init, "create a binder and its recovery passphrase")
    init.add_argument("--person", metavar="NAME", help="also add the first person")
    init.add_argument("--born", metavar="DATE", help="their date of birth (YYYY-MM-DD)")

    person = commands.add_parser("person", help="add or list people")
    person_cmds = person.add_subparsers(dest="person_command", metavar="ACTION", required=True)
    add = person_cmds.add_parser("add", help="add a person", parents=[common])
    add.add_argument("name")
    add.add_argument("--born", metavar="DATE")
    add.add_argument("--json", action="store_true")
    add.set_defaults(handler=cmd_person_add)
    plist = person_cmds.add_parser("list", help="list the people", parents=[common])
    plist.add_argument("--json", action="store_true")
    plist.set_defaults(handler=cmd_person_list)

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

    from app import cli_backup, cli_care

    cli_care.add_commands(commands, common)
    cli_backup.add_commands(commands, common)
    from app import cli_export

    cli_export.add_commands(commands, common)
    from app import cli_summary

    cli_summary.add_commands(commands, common)
    from app import cli_portal

    cli_portal.add_commands(commands, common)
    from app import cli_sharing

    cli_sharing.add_commands(commands, common)
    from app import cli_clinical

    cli_clinical.add_commands(commands, common)

    searchable = command(
        "make-searchable",
        cmd_make_searchable,
        "read scans again with OCR (tesseract) so their words can be found",
    )
    searchable.add_argument("ids", type=int, nargs="*", metavar="ID", help="all scans if none")

    command("check", cmd_check, "verify the whole binder; exit 0 only when it is whole")
    command("unlock-test", cmd_unlock_test, "exit 0 when the keyring opens the binder")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from app.logs import setup_logging

    setup_logging()
    log = logging.getLogger("app.cli")
    log.info("command %s started", args.command or "window")
    if args.self_test:
        from app.self_test import run_self_test

        return run_self_test()
    try:
        return int(args.handler(args))
    except UsageError as exc:
        _say(str(exc))
        return EXIT_USAGE
    except Exception as exc:
        # Imported here so that `--version` and `--help` load none of the binder's modules.
        from app.ingest.refusal import Refused
        from app.records.errors import RecordsError
        from app.vault.errors import VaultError

        if not isinstance(exc, (VaultError, RecordsError, Refused)):
            log.exception("command %s failed: %s", args.command, exc.__class__.__name__)
            raise
        log.info("command %s refused: %s", args.command, exc.__class__.__name__)
        # A wrong passphrase, a locked or damaged binder, an unknown id: nothing was done.
        _say(str(exc))
        return EXIT_USAGE


def gui_main() -> int:
    """The GUI launcher's entry point: the window, whatever the arguments."""
    return main(sys.argv[1:])
