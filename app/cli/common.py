"""What every command of the `carebinder` command line shares: exit codes, messages, the
passphrase, opening the binder, the person, progress on a terminal, and the parser helpers
each command group builds its commands with.

Conventions: `--json` prints one JSON document on stdout; messages go to stderr. Exit codes:
0 success, 1 some inputs refused (or, for `check`, the binder is not whole), 2 usage error or
a locked binder.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

EXIT_OK = 0
EXIT_SOME_REFUSED = 1
EXIT_USAGE = 2
PASSPHRASE_FILE_ENV = "CAREBINDER_PASSPHRASE_FILE"


class UsageError(Exception):
    """Exit 2 with this message."""


def date_option(use: str = "past", whole_day: bool = False) -> Callable[[str], str]:
    """An argparse `type=` for a date typed as people type dates ("12 Apr 1961", "April
    1961", "04/12/1961" in this computer's order, "yesterday"): the stored form comes out,
    or argparse says why not and exits 2. `use` is "birth", "past" or "planned" (which
    words such as "tomorrow" make sense). An empty value stays empty (it clears a date)."""

    def typed_date(text: str) -> str:
        from app.records.date_input import DateUse, parse_typed_date

        try:
            return parse_typed_date(text, DateUse(use), whole_day=whole_day) or ""
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    return typed_date


def when_option(text: str) -> str:
    """An argparse `type=` for a day and a time: "2026-12-03T09:30", or a typed date and a
    time ("next Tuesday 09:30", "3 Dec 2026 9:30")."""
    import re

    if "T" in text and text[:4].isdigit():
        return text
    match = re.fullmatch(r"\s*(.+?)[\s,]+(?:at\s+)?(\d{1,2})[:.h](\d{2})\s*", text)
    if not match:
        raise argparse.ArgumentTypeError(
            f"“{text}” is not a day and a time: write it as “3 Dec 2026 09:30”."
        )
    day = date_option("planned", whole_day=True)(match.group(1))
    return f"{day}T{int(match.group(2)):02d}:{match.group(3)}"


def say(message: str) -> None:
    print(message, file=sys.stderr)


def print_json(value: Any) -> None:
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


def passphrase_file_from(args: argparse.Namespace) -> str | None:
    return args.passphrase_file or os.environ.get(PASSPHRASE_FILE_ENV) or None


def open_binder(args: argparse.Namespace) -> Any:
    """The unlocked binder: passphrase file if given, else keyring, else a prompt. What the
    open's start-up check did that a person should know is said on stderr."""
    binder = _unlock(args)
    report_reconcile(binder.last_reconcile)
    return binder


def report_reconcile(report: Any) -> None:
    for path in report.exports_removed:
        say(
            f"Removed what an export cut short by a crash had written: {path}. "
            "Make that bundle again; nothing in the binder was lost."
        )
    if report.quarantined:
        count = len(report.quarantined)
        files = f"{count} stored file{'s' if count != 1 else ''}"
        say(
            f"{files} that no document names {'were' if count != 1 else 'was'} moved to the "
            "quarantine (nothing was deleted). carebinder check says more; carebinder "
            "recover brings them back as documents."
        )


def _unlock(args: argparse.Namespace) -> Any:
    from app.vault.binder import binder_exists
    from app.vault.errors import WrongPassphrase
    from app.vault.location import resolve_data_dir
    from app.vault.unlock import open_with_keyring, open_with_passphrase

    data_dir = resolve_data_dir(args.data_dir)
    if not binder_exists(data_dir):
        raise UsageError(f"There is no binder in {data_dir}. Create one with: carebinder init")
    secret_file = passphrase_file_from(args)
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
    say(f"The key is not available from the keyring ({problem}).")
    for attempt in range(3):
        passphrase = getpass.getpass("Recovery passphrase: ")
        try:
            return open_with_passphrase(data_dir, passphrase)
        except WrongPassphrase as exc:
            say(str(exc) + (" Try again." if attempt < 2 else ""))
    raise UsageError("The binder stays locked.")


def find_person_id(binder: Any, name: str | None) -> int:
    from app.records.people import find_person

    return find_person(binder, name).id


def parse_kind(text: str | None) -> Any:
    from app.ingest.kinds import DocumentKind

    if text is None:
        return None
    try:
        return DocumentKind.parse(text)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def text_progress(enabled: bool) -> Callable[[int, int, str], None]:
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


def show_result(args: argparse.Namespace, item: Any, message: str) -> int:
    """What a command changed: the record as JSON with --json, else `message` (the
    command groups answer the same way)."""
    if args.json:
        print_json(item.to_json())
    else:
        print(message)
    return EXIT_OK


def subcommand(
    actions: Any,
    common: argparse.ArgumentParser,
    name: str,
    handler: Callable[[argparse.Namespace], int],
    text: str,
) -> argparse.ArgumentParser:
    """One command (or ACTION of a group) with the common options and its handler; every command
    group builds its commands with it."""
    sub: argparse.ArgumentParser = actions.add_parser(
        name, help=text, description=text, parents=[common]
    )
    sub.set_defaults(handler=handler)
    return sub


def command_group(commands: Any, name: str, text: str) -> Any:
    """A command whose ACTIONs follow (`med add`, `allergy list`): the parser they go in."""
    parser = commands.add_parser(name, help=text, description=text)
    return parser.add_subparsers(dest=f"{name}_command", metavar="ACTION", required=True)


def json_subcommand(
    common: argparse.ArgumentParser,
    actions: Any,
    name: str,
    handler: Callable[[argparse.Namespace], int],
    text: str,
) -> argparse.ArgumentParser:
    """`subcommand` with --json, for an ACTION whose result a script may read (`common`
    first, so that a module can bind it once with functools.partial)."""
    sub = subcommand(actions, common, name, handler, text)
    sub.add_argument("--json", action="store_true")
    return sub
