"""The commands about the binder itself: `init` (create it), `check` (is it whole) and
`unlock-test` (does the keyring open it)."""

from __future__ import annotations

import argparse
import getpass
import sys
from functools import partial
from typing import Any

from app.cli.common import (
    EXIT_OK,
    EXIT_SOME_REFUSED,
    EXIT_USAGE,
    UsageError,
    open_binder,
    passphrase_file_from,
    read_secret_file,
    say,
    subcommand,
)


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
    secret_file = passphrase_file_from(args)
    if secret_file:
        passphrase = read_secret_file(secret_file)
    elif sys.stdin.isatty():
        say(
            "Choose a recovery passphrase. It opens your binder on a new computer or from a "
            "backup. Write it down and keep it somewhere safe: nobody can recover it for you."
        )
        passphrase = getpass.getpass("Recovery passphrase: ")
        problem = passphrase_problem(passphrase)
        if problem:
            raise UsageError(problem)
        say(f"Strength: {strength_hint(passphrase)}")
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
    say(f"Created a binder in {data_dir}.")
    if answer.ok:
        say("Its key is kept in this computer's keyring: daily use needs no passphrase.")
    else:
        say(f"Note: {answer.problem}; CareBinder will ask for the passphrase each time.")
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    with open_binder(args) as binder:
        fixed = binder.last_reconcile
        report = binder.check()
    for name in fixed.orphans_removed:
        say(f"Removed a stored file left over by an interrupted import: {name}")
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


def add_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    command = partial(subcommand, commands, common)
    init = command("init", cmd_init, "create a binder and its recovery passphrase")
    init.add_argument("--person", metavar="NAME", help="also add the first person")
    init.add_argument("--born", metavar="DATE", help="their date of birth (YYYY-MM-DD)")
    command("check", cmd_check, "verify the whole binder; exit 0 only when it is whole")
    command("unlock-test", cmd_unlock_test, "exit 0 when the keyring opens the binder")
