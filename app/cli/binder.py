"""The commands about the binder itself: `init` (create it), `check` (is it whole, and what
is in its quarantine), `recover` (bring quarantined files back as documents) and
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
    date_option,
    find_person_id,
    open_binder,
    passphrase_file_from,
    print_json,
    read_secret_file,
    say,
    subcommand,
)


def cmd_init(args: argparse.Namespace) -> int:
    from app.records.people import add_person
    from app.vault.binder import Binder, folder_contents, not_empty_message
    from app.vault.keys import passphrase_problem, strength_hint
    from app.vault.location import resolve_data_dir

    data_dir = resolve_data_dir(args.data_dir)
    contents = folder_contents(data_dir)
    if contents:  # said before the passphrase is asked; `create` checks again, locked
        raise UsageError(
            not_empty_message(data_dir, contents) + " Use --data-dir to choose another."
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
    # --born was read (or refused, exit 2) by argparse before anything was created.
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
    else:
        print("The binder has problems:")
        for problem in report.problems:
            print(f"  - {problem}")
    _print_quarantine(report)
    for name in report.strays:
        print(f"Note: files/{name} is not a file CareBinder stores; it was left as it is.")
    return EXIT_OK if report.ok else EXIT_SOME_REFUSED


def _print_quarantine(report: Any) -> None:
    """What the quarantine holds, said once, in plain words (it is not damage)."""
    held = report.quarantined
    if not held:
        return
    count = f"{len(held)} file{'s' if len(held) != 1 else ''}"
    print(
        f"{count} in the quarantine (kept, still encrypted, nothing deleted): no document in "
        "this binder names it, as happens when binder.db is put back from an older copy."
    )
    for item in held:
        what = (
            "can be brought back: carebinder recover"
            if item.readable
            else "does not open with this binder's key (another binder's, or damaged)"
        )
        print(f"  - quarantine/{item.name} ({item.size} bytes): {what}")


def cmd_recover(args: argparse.Namespace) -> int:
    from app.records.quarantined import bring_back

    with open_binder(args) as binder:
        names = args.names or None
        known = set(binder.quarantined())
        unknown = [n for n in names or [] if n not in known]
        if unknown:
            raise UsageError(f"Not in the quarantine: {', '.join(unknown)}.")
        results = bring_back(binder, find_person_id(binder, args.person), names)
    if args.json:
        print_json([r.to_json() for r in results])
    else:
        for result in results:
            doc = result.document
            if doc is not None:
                print(f"{result.status.value:<9} {result.path}: document {doc.id}, “{doc.title}”")
            else:
                print(f"{result.status.value:<9} {result.path}: {result.reason}")
        if not results:
            say("The quarantine is empty.")
    refused = any(r.status.value == "refused" for r in results)
    return EXIT_SOME_REFUSED if refused else EXIT_OK


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
    init.add_argument(
        "--born", metavar="DATE", type=date_option("birth"), help="their date of birth"
    )
    command("check", cmd_check, "verify the whole binder; exit 0 only when it is whole")
    recover = command(
        "recover",
        cmd_recover,
        "bring the files in the quarantine back as documents (all, or those named)",
    )
    recover.add_argument("names", nargs="*", metavar="NAME")
    recover.add_argument("--person", metavar="NAME", help="whose documents they become")
    recover.add_argument("--json", action="store_true")
    command("unlock-test", cmd_unlock_test, "exit 0 when the keyring opens the binder")
