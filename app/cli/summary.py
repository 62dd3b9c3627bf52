"""`carebinder summary show|set|confirm|reset|add|remove`: the treatment summary.

`show` prints every field with its key, its value, whether it was found in the records,
checked or written by the user, and where it came from. `set FIELD VALUE` writes the
user's own value, `confirm FIELD` says the found value is right (both are kept when the
records change), `reset FIELD` lets the field follow the records again. `add SECTION` adds
a surgery, medicine or radiation course the records do not show; `remove ROW` takes a row
out. Conventions of app/cli/common.py: `--json`, `--person NAME`, exit codes 0 / 1 / 2.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from app.cli.common import (
    EXIT_OK,
    command_group,
    find_person_id,
    json_subcommand,
    open_binder,
    print_json,
)


def _field_json(item: Any) -> dict[str, Any]:
    return {
        "key": item.key,
        "label": item.label,
        "value": item.value,
        "found": item.found,
        "state": item.state.value,
        "sources": [{"kind": s.kind, "id": s.id, "label": s.label} for s in item.sources],
    }


def cmd_show(args: argparse.Namespace) -> int:
    from app.records.treatment_summary import treatment_summary

    with open_binder(args) as binder:
        summary = treatment_summary(binder, find_person_id(binder, args.person))
    if args.json:
        print_json(
            {
                "sections": [
                    {
                        "key": section.key,
                        "title": section.title,
                        "empty": section.is_empty,
                        "rows": [
                            {"key": row.key, "fields": [_field_json(f) for f in row.fields]}
                            for row in section.rows
                        ],
                    }
                    for section in summary.sections
                ],
                "hidden_rows": list(summary.hidden),
            }
        )
        return EXIT_OK
    for section in summary.sections:
        print(section.title)
        print("-" * len(section.title))
        if section.is_empty:
            print(f"  {section.empty_text}")
        for row in section.rows:
            if section.repeating:
                print(f"  [{row.key}]" + ("  (added by you)" if row.added_by_user else ""))
            for item in row.fields:
                value = item.value or "-"
                source = "; ".join(s.label for s in item.sources)
                print(f"  {item.key:<28} {value}")
                print(f"  {'':<28} {item.state.words}" + (f" · from {source}" if source else ""))
        print()
    if summary.hidden:
        print(f"Rows taken out: {', '.join(summary.hidden)}")
    return EXIT_OK


def _change(args: argparse.Namespace, what: Callable[[Any, int], Any], done: str) -> int:
    with open_binder(args) as binder:
        item = what(binder, find_person_id(binder, args.person))
    if args.json:
        print_json(_field_json(item))
    else:
        print(f"{done}: {item.label} = {item.value or '(empty)'}")
    return EXIT_OK


def cmd_set(args: argparse.Namespace) -> int:
    from app.records.treatment_summary import set_field

    return _change(args, lambda b, p: set_field(b, p, args.field, args.value), "Written")


def cmd_confirm(args: argparse.Namespace) -> int:
    from app.records.treatment_summary import confirm_field

    return _change(args, lambda b, p: confirm_field(b, p, args.field), "Confirmed")


def cmd_reset(args: argparse.Namespace) -> int:
    from app.records.treatment_summary import reset_field

    return _change(args, lambda b, p: reset_field(b, p, args.field), "Follows the records")


def cmd_add(args: argparse.Namespace) -> int:
    from app.records.treatment_summary import add_row

    with open_binder(args) as binder:
        row = add_row(binder, find_person_id(binder, args.person), args.section)
    if args.json:
        print_json({"key": row.key, "fields": [f.key for f in row.fields]})
    else:
        names = ", ".join(f.key for f in row.fields)
        print(f"Added {row.key}. Fill it in with `carebinder summary set FIELD VALUE`: {names}")
    return EXIT_OK


def cmd_remove(args: argparse.Namespace) -> int:
    from app.records.treatment_summary import remove_row

    with open_binder(args) as binder:
        remove_row(binder, find_person_id(binder, args.person), args.row)
    print(f"Took {args.row} out of the treatment summary.")
    return EXIT_OK


def add_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    """Add `summary` to the `carebinder` parser's subcommands."""
    text = "the treatment summary: show it, correct or confirm its fields"
    actions = command_group(commands, "summary", text)

    def action(
        name: str, handler: Callable[[argparse.Namespace], int], text: str
    ) -> argparse.ArgumentParser:
        sub = json_subcommand(common, actions, name, handler, text)
        sub.add_argument("--person", metavar="NAME")
        return sub

    action("show", cmd_show, "show every field, its value and its source")
    setter = action("set", cmd_set, "write your own value for a field (kept from then on)")
    setter.add_argument("field", metavar="FIELD", help="a key from `summary show`")
    setter.add_argument("value", metavar="VALUE")
    confirm = action("confirm", cmd_confirm, "say the value found in the records is right")
    confirm.add_argument("field", metavar="FIELD")
    reset = action("reset", cmd_reset, "forget your value: the field follows the records")
    reset.add_argument("field", metavar="FIELD")
    add = action("add", cmd_add, "add a surgery, medicine or radiation course")
    add.add_argument("section", choices=("surgery", "systemic", "radiation"))
    remove = action("remove", cmd_remove, "take a row out of the summary")
    remove.add_argument("row", metavar="ROW", help="a row key such as systemic.m4")
