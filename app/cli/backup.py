"""The `backup`, `restore`, `change-passphrase` and `forget-key` commands."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import Any

from app.cli.common import (
    EXIT_OK,
    UsageError,
    open_binder,
    passphrase_file_from,
    read_secret_file,
    say,
    text_progress,
)


def _passphrase(args: argparse.Namespace, prompt: str) -> str:
    secret_file = passphrase_file_from(args)
    if secret_file:
        return read_secret_file(secret_file)
    if not sys.stdin.isatty():
        raise UsageError("Give the recovery passphrase with --passphrase-file FILE.")
    return getpass.getpass(prompt)


def cmd_backup(args: argparse.Namespace) -> int:
    from app.vault.backup import backup

    target = Path(args.file).absolute()
    if target.is_dir():
        from app.vault.backup import backup_name

        target = target / backup_name()
    with open_binder(args) as binder:
        report = backup(binder, target, progress=text_progress(sys.stderr.isatty()))
    print(f"Backed up {report.files} stored files to {report.path} ({report.size} bytes).")
    say("It opens only with your recovery passphrase.")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from app.vault.backup import read_header, restore
    from app.vault.location import resolve_data_dir

    source = Path(args.file)
    header, _, _ = read_header(source)  # refuse a non-backup before asking anything
    data_dir = resolve_data_dir(args.data_dir)
    passphrase = _passphrase(args, "Recovery passphrase of the backup: ")
    moved = restore(source, data_dir, passphrase, progress=text_progress(sys.stderr.isatty()))
    print(f"Restored the backup of {header.get('created')} into {data_dir}.")
    if moved is not None:
        print(f"The binder that was there is kept in {moved}.")
    return EXIT_OK


def cmd_change_passphrase(args: argparse.Namespace) -> int:
    from app.vault.keys import passphrase_problem

    if args.new_passphrase_file:
        new = read_secret_file(args.new_passphrase_file)
    elif sys.stdin.isatty():
        new = getpass.getpass("New recovery passphrase: ")
        if getpass.getpass("The same again: ") != new:
            raise UsageError("The two passphrases differ. Nothing was changed.")
    else:
        raise UsageError("Give the new passphrase with --new-passphrase-file FILE.")
    problem = passphrase_problem(new)
    if problem:
        raise UsageError(problem)
    with open_binder(args) as binder:
        binder.change_passphrase(new)
    print("The recovery passphrase is changed. Backups made before keep the old one.")
    return EXIT_OK


def cmd_forget_key(args: argparse.Namespace) -> int:
    from app.vault import os_keyring

    with open_binder(args) as binder:
        answer = os_keyring.forget(binder.binder_id)
    if answer.ok:
        print("This computer no longer keeps the key: the passphrase will be asked each time.")
        return EXIT_OK
    say(f"The keyring did not remove the key: {answer.problem}.")
    return 1


def add_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    def command(name: str, handler: Any, text: str) -> argparse.ArgumentParser:
        sub: argparse.ArgumentParser = commands.add_parser(
            name, help=text, description=text, parents=[common]
        )
        sub.set_defaults(handler=handler)
        return sub

    command("backup", cmd_backup, "write the whole binder to one encrypted file").add_argument(
        "file", help="the backup file, or a folder to put it in"
    )
    command("restore", cmd_restore, "restore a backup into the data dir").add_argument("file")
    change = command("change-passphrase", cmd_change_passphrase, "set a new recovery passphrase")
    change.add_argument("--new-passphrase-file", metavar="FILE")
    command("forget-key", cmd_forget_key, "remove the key from this computer's keyring")
