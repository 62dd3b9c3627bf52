"""The `person` commands: add or list the people a binder holds."""

from __future__ import annotations

import argparse
from functools import partial
from typing import Any

from app.cli.common import EXIT_OK, command_group, json_subcommand, open_binder, print_json, say


def cmd_person_add(args: argparse.Namespace) -> int:
    from app.records.people import add_person

    with open_binder(args) as binder:
        person = add_person(binder, args.name, args.born)
    if args.json:
        print_json(person.to_json())
    else:
        print(f"Added {person.name} (id {person.id}).")
    return EXIT_OK


def cmd_person_list(args: argparse.Namespace) -> int:
    from app.records.people import list_people

    with open_binder(args) as binder:
        people = list_people(binder)
    if args.json:
        print_json([p.to_json() for p in people])
    else:
        for person in people:
            born = f"  born {person.born}" if person.born else ""
            print(f"{person.id:>4}  {person.name}{born}")
        if not people:
            say("No one yet. Add a person with: carebinder person add NAME")
    return EXIT_OK


def add_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    action = partial(json_subcommand, common)
    person = command_group(commands, "person", "add or list people")
    add = action(person, "add", cmd_person_add, "add a person")
    add.add_argument("name")
    add.add_argument("--born", metavar="DATE")
    action(person, "list", cmd_person_list, "list the people")
