"""The `carebinder` command: every binder operation without a window.

    carebinder [--data-dir DIR] [--passphrase-file FILE] [COMMAND]

This module holds the parser and the dispatch. Each command group lives in a module of its
own beside it (`documents`, `care`, `export`...), built with the helpers of `common`. With no
command, `open_window` starts the desktop window (or its self-test): the only place the
command line reaches the window.
"""

from __future__ import annotations

import argparse
import logging
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from app import __version__
from app.cli import (
    backup,
    binder,
    care,
    clinical,
    documents,
    export,
    imaging,
    people,
    portal,
    sharing,
    summary,
)
from app.cli.common import EXIT_USAGE, UsageError, passphrase_file_from, say

# The command groups in the order `carebinder --help` lists them.
GROUPS = (
    binder, people, documents, care, backup, export, summary, portal, sharing, clinical, imaging,
)  # fmt: skip


def open_window(args: argparse.Namespace) -> int:
    """No command: the desktop window, or with --self-test, its end-to-end self-check."""
    if args.self_test:
        from app.ui.self_test import run_self_test

        return run_self_test()
    from app.ui.application import run

    return run(data_dir=args.data_dir, demo=args.demo, passphrase_file=passphrase_file_from(args))


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
    parser.set_defaults(handler=open_window, command=None)
    # The global options are accepted after the command too ("init --passphrase-file F");
    # SUPPRESS keeps a subcommand from resetting what was given before it.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", metavar="DIR", default=argparse.SUPPRESS)
    common.add_argument("--passphrase-file", metavar="FILE", default=argparse.SUPPRESS)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for group in GROUPS:
        group.add_commands(commands, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from app.logs import setup_logging

    setup_logging()
    log = logging.getLogger("app.cli")
    log.info("command %s started", args.command or "window")
    try:
        return int(args.handler(args))
    except UsageError as exc:
        say(str(exc))
        return EXIT_USAGE
    except Exception as exc:
        # Imported here so that `--version` and `--help` load none of the binder's modules.
        from app.ingest.refusal import Refused
        from app.records.errors import RecordsError
        from app.vault.errors import VaultError

        if not isinstance(exc, (VaultError, RecordsError, Refused)):
            # Never the message or the traceback's text: either can carry a title or a
            # file name. The class, the command, its ids and where it happened are enough.
            log.error(
                "command %s failed: %s%s at %s",
                args.command,
                exc.__class__.__name__,
                _ids_of(args),
                _where(exc),
            )
            raise
        log.info("command %s refused: %s", args.command, exc.__class__.__name__)
        # A wrong passphrase, a locked or damaged binder, an unknown id: nothing was done.
        say(str(exc))
        return EXIT_USAGE


def _ids_of(args: argparse.Namespace) -> str:
    """The numeric ids the command was given (document, appointment...), for the log."""
    found = []
    for name, value in sorted(vars(args).items()):
        values = value if isinstance(value, list) else [value]
        if (name == "id" or name.endswith("_id") or name == "ids") and all(
            isinstance(v, int) and not isinstance(v, bool) for v in values
        ):
            found += [f"{name}={v}" for v in values]
    return f" ({', '.join(found)})" if found else ""


def _where(exc: BaseException) -> str:
    """Module, line and function of each frame, innermost first: code, never data."""
    frames = traceback.extract_tb(exc.__traceback__)
    return " < ".join(f"{Path(f.filename).stem}:{f.lineno} {f.name}" for f in reversed(frames))


def gui_main() -> int:
    """The GUI launcher's entry point: the window, whatever the arguments."""
    return main(sys.argv[1:])
