"""The `allergy` and `condition` commands: the person's allergies and other health problems,
typed in by hand (a portal file brings them in too: `carebinder portal`).

Conventions of app/cli/common.py: `--json` prints one JSON document, `--person NAME` picks
the person, exit codes 0 / 1 / 2 (an unknown id or a value the binder refuses: 2, nothing
changed). `edit` changes only the values given; an empty one ("") clears it. `remove
--json` prints what was removed.

The plain choices map to what is stored, as in the window: --severity mild, moderate,
severe or not-sure (""); --status current ("active"), past ("resolved") or not-sure ("").
A condition given an end date and no --status is past. A new allergy is "active".
`allergy none` records "no known allergies" (refused, exit 2, while allergies are recorded);
adding an allergy replaces it.
"""

from __future__ import annotations

import argparse
import contextlib
from functools import partial
from typing import Any

from app.cli.common import (
    EXIT_OK,
    command_group,
    find_person_id,
    json_subcommand,
    open_binder,
    print_json,
    say,
    show_result,
)

SEVERITY_CHOICES = ("mild", "moderate", "severe", "not-sure")
STATUS_CHOICES = ("current", "past", "not-sure")


def _severity(word: str) -> str:
    return "" if word == "not-sure" else word


def _status(word: str) -> str:
    from app.records.conditions import STATUSES

    return STATUSES[word.replace("-", " ")]


# -- allergies --------------------------------------------------------------------------------


def cmd_allergy_add(args: argparse.Namespace) -> int:
    from app.records.allergies import add_allergy

    with open_binder(args) as binder:
        allergy = add_allergy(
            binder,
            find_person_id(binder, args.person),
            args.name,
            reaction=args.reaction or "",
            severity=_severity(args.severity or "not-sure"),
            noted=args.since,
            status="active",
            notes=args.notes or "",
        )
    return show_result(args, allergy, f"Added the allergy to {allergy.name} (id {allergy.id}).")


def cmd_allergy_edit(args: argparse.Namespace) -> int:
    from app.records.allergies import get_allergy, update_allergy

    with open_binder(args) as binder:
        now = get_allergy(binder, args.id)
        allergy = update_allergy(
            binder,
            now.id,
            args.name if args.name is not None else now.name,
            reaction=args.reaction if args.reaction is not None else now.reaction,
            severity=_severity(args.severity) if args.severity else now.severity,
            noted=args.since if args.since is not None else now.noted_date,
            status=now.status,
            notes=args.notes if args.notes is not None else now.notes,
        )
    return show_result(args, allergy, f"Saved the allergy to {allergy.name} (id {allergy.id}).")


def cmd_allergy_remove(args: argparse.Namespace) -> int:
    from app.records.allergies import delete_allergy, get_allergy

    with open_binder(args) as binder:
        allergy = get_allergy(binder, args.id)
        delete_allergy(binder, allergy.id)
    return show_result(args, allergy, f"Removed the allergy to {allergy.name}.")


def cmd_allergy_none(args: argparse.Namespace) -> int:
    from app.records.allergies import record_no_known_allergies

    with open_binder(args) as binder:
        said = record_no_known_allergies(binder, find_person_id(binder, args.person))
    return show_result(args, said, f"Recorded: no known allergies (id {said.id}).")


def _no_known_words(allergy: Any) -> str:
    if allergy.noted_date:
        return f"No known allergies (recorded {allergy.noted_date})"
    return "No known allergies"


def cmd_allergy_list(args: argparse.Namespace) -> int:
    from app.records.allergies import allergy_words, is_no_known, list_allergies

    with open_binder(args) as binder:
        allergies = list_allergies(binder, find_person_id(binder, args.person))
    if args.json:
        print_json([a.to_json() for a in allergies])
        return EXIT_OK
    for allergy in allergies:
        if is_no_known(allergy):
            print(f"{allergy.id:>4}  {_no_known_words(allergy)}")
            continue
        since = f"  since {allergy.noted_date}" if allergy.noted_date else ""
        print(f"{allergy.id:>4}  {allergy_words(allergy)}{since}")
    if not allergies:
        say("No allergies recorded.")
    return EXIT_OK


# -- conditions -------------------------------------------------------------------------------


def cmd_condition_add(args: argparse.Namespace) -> int:
    from app.records.conditions import add_condition, check_dates
    from app.records.dates import optional_date

    word = args.status or ("past" if args.ended else "current")
    # A date that is not one is left to add_condition, which says which and why.
    with contextlib.suppress(ValueError):
        check_dates(optional_date(args.since), optional_date(args.ended))
    with open_binder(args) as binder:
        condition = add_condition(
            binder,
            find_person_id(binder, args.person),
            args.name,
            onset=args.since,
            resolved=args.ended,
            status=_status(word),
            notes=args.notes or "",
        )
    return show_result(args, condition, f"Added {condition.name} (id {condition.id}).")


def cmd_condition_edit(args: argparse.Namespace) -> int:
    from app.records.conditions import get_condition, status_word, update_condition

    with open_binder(args) as binder:
        now = get_condition(binder, args.id)
        status = now.status
        if args.status:
            status = _status(args.status)
        elif args.ended and status_word(now.status) == "current":
            status = _status("past")  # an end date means it is over
        condition = update_condition(
            binder,
            now.id,
            args.name if args.name is not None else now.name,
            onset=args.since if args.since is not None else now.onset_date,
            resolved=args.ended if args.ended is not None else now.resolved_date,
            status=status,
            notes=args.notes if args.notes is not None else now.notes,
        )
    return show_result(args, condition, f"Saved {condition.name} (id {condition.id}).")


def cmd_condition_remove(args: argparse.Namespace) -> int:
    from app.records.conditions import delete_condition, get_condition

    with open_binder(args) as binder:
        condition = get_condition(binder, args.id)
        delete_condition(binder, condition.id)
    return show_result(args, condition, f"Removed {condition.name}.")


def cmd_condition_list(args: argparse.Namespace) -> int:
    from app.records.conditions import list_conditions, status_word

    with open_binder(args) as binder:
        conditions = list_conditions(binder, find_person_id(binder, args.person))
    if args.json:
        print_json([c.to_json() for c in conditions])
        return EXIT_OK
    for condition in conditions:
        span = ""
        if condition.onset_date or condition.resolved_date:
            span = f"  {condition.onset_date or '?'} to {condition.resolved_date or 'now'}"
        print(f"{condition.id:>4}  {condition.name}  ({status_word(condition.status)}){span}")
    if not conditions:
        say("No health problems recorded.")
    return EXIT_OK


# -- the parser -------------------------------------------------------------------------------


def add_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    """Add `allergy` and `condition` to the `carebinder` parser's subcommands."""

    group = partial(command_group, commands)
    action = partial(json_subcommand, common)

    allergy = group("allergy", "allergies, as the summary for the doctor lists them")
    for name, handler, text in (
        ("add", cmd_allergy_add, "record an allergy"),
        ("edit", cmd_allergy_edit, "change an allergy (only the values given)"),
    ):
        sub = action(allergy, name, handler, text)
        if name == "add":
            sub.add_argument("name", help="what the person is allergic to")
        else:
            sub.add_argument("id", type=int)
            sub.add_argument("--name", help="what the person is allergic to")
        sub.add_argument("--reaction", metavar="TEXT", help="what happens")
        sub.add_argument("--severity", choices=SEVERITY_CHOICES, help="how bad")
        sub.add_argument("--since", metavar="DATE", help="2024-03-15, 2024-03 or 2024")
        sub.add_argument("--notes", metavar="TEXT")
        if name == "add":
            sub.add_argument("--person", metavar="NAME")
    anone = action(allergy, "none", cmd_allergy_none, "record that there are no known allergies")
    anone.add_argument("--person", metavar="NAME")
    aremove = action(allergy, "remove", cmd_allergy_remove, "remove an allergy")
    aremove.add_argument("id", type=int)
    alist = action(allergy, "list", cmd_allergy_list, "list the allergies")
    alist.add_argument("--person", metavar="NAME")

    condition = group("condition", "other health problems and diagnoses")
    for name, handler, text in (
        ("add", cmd_condition_add, "record a health problem"),
        ("edit", cmd_condition_edit, "change a health problem (only the values given)"),
    ):
        sub = action(condition, name, handler, text)
        if name == "add":
            sub.add_argument("name", help="the condition, as the doctor called it")
        else:
            sub.add_argument("id", type=int)
            sub.add_argument("--name", help="the condition, as the doctor called it")
        sub.add_argument("--since", metavar="DATE", help="2024-03-15, 2024-03 or 2024")
        sub.add_argument("--ended", metavar="DATE", help="when it ended, if it has")
        sub.add_argument("--status", choices=STATUS_CHOICES)
        sub.add_argument("--notes", metavar="TEXT")
        if name == "add":
            sub.add_argument("--person", metavar="NAME")
    cremove = action(condition, "remove", cmd_condition_remove, "remove a health problem")
    cremove.add_argument("id", type=int)
    clist = action(condition, "list", cmd_condition_list, "list the health problems")
    clist.add_argument("--person", metavar="NAME")
