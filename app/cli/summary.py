"""`carebinder summary show|set|confirm|choose|reset|add|remove`: the clinical picture
(the treatment summary).

`show` prints every field with its key (`diagnosis.histology`, `stage.pathologic_t`,
`biomarker.er`, `diagnosis2.site` for a second cancer, `surgery.d12.date`...), its value,
its state (found, conflict, confirmed, corrected, typed) and where it came from; `--json`
gives the same as `{"fields": {key: {...}}, "sections": [...]}`, a conflict with each value
the records give and who gives it. `set FIELD VALUE` writes the user's own value, `confirm
FIELD` says the found value is right, `choose FIELD N` settles a conflict (value N of its
list); all three are kept when the records change. `reset FIELD` lets the field follow the
records again. `add SECTION` adds a surgery, medicine, radiation course or another cancer
the records do not show; `remove ROW` takes a row (or a cancer: `diagnosis2`) out.
Conventions of app/cli/common.py: `--json`, `--person NAME`, exit codes 0 / 1 / 2.
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


def _sources_json(sources: Any) -> list[dict[str, Any]]:
    return [
        {"kind": s.kind, "id": s.id, "label": s.label, "title": s.title, "date": s.date}
        for s in sources
    ]


def _field_json(item: Any) -> dict[str, Any]:
    return {
        "key": item.key,
        "label": item.label,
        "value": item.value,
        "found": item.found,
        "state": item.state.value,
        "sources": _sources_json(item.sources),
        "candidates": [
            {"value": c.value, "sources": _sources_json(c.sources)} for c in item.candidates
        ],
        "records_changed": item.records_changed,
    }


def cmd_show(args: argparse.Namespace) -> int:
    from app.records.picture import clinical_picture

    with open_binder(args) as binder:
        summary = clinical_picture(binder, find_person_id(binder, args.person))
    if args.json:
        print_json(
            {
                "fields": {f.key: _field_json(f) for f in summary.fields()},
                "diagnoses": [
                    {"number": d.number, "name": d.name, "stage": d.stage, "grade": d.grade}
                    for d in summary.cancers()
                ],
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
                if (
                    section.key.startswith("biomarkers")
                    and not item.value
                    and (not item.in_conflict)
                ):
                    continue  # only the results found or written; "other" when it has one
                value = item.value or "-"
                source = "; ".join(s.label for s in item.sources)
                print(f"  {item.key:<28} {value}")
                print(f"  {'':<28} {item.state.words}" + (f" · from {source}" if source else ""))
                if item.in_conflict or item.records_changed:
                    for number, candidate in enumerate(item.candidates, 1):
                        who = "; ".join(s.label for s in candidate.sources)
                        print(f"  {'':<28}   {number}. {candidate.value} (from {who})")
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
    from app.records.picture import set_field

    return _change(args, lambda b, p: set_field(b, p, args.field, args.value), "Written")


def cmd_confirm(args: argparse.Namespace) -> int:
    from app.records.picture import confirm_field

    return _change(args, lambda b, p: confirm_field(b, p, args.field), "Confirmed")


def cmd_choose(args: argparse.Namespace) -> int:
    from app.records.picture import choose_value

    return _change(args, lambda b, p: choose_value(b, p, args.field, args.number), "Chosen")


def cmd_reset(args: argparse.Namespace) -> int:
    from app.records.picture import reset_field

    return _change(args, lambda b, p: reset_field(b, p, args.field), "Follows the records")


def cmd_add(args: argparse.Namespace) -> int:
    from app.records.picture import add_row

    with open_binder(args) as binder:
        row = add_row(binder, find_person_id(binder, args.person), args.section)
    if args.json:
        print_json({"key": row.key, "fields": [f.key for f in row.fields]})
    elif args.section == "diagnosis":
        print(f"Added {row.key}. Fill it in with `carebinder summary set {row.key}.site VALUE`.")
    else:
        names = ", ".join(f.key for f in row.fields)
        print(f"Added {row.key}. Fill it in with `carebinder summary set FIELD VALUE`: {names}")
    return EXIT_OK


def cmd_remove(args: argparse.Namespace) -> int:
    from app.records.picture import remove_row

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
    choose = action("choose", cmd_choose, "settle a conflict: value N of what the records say")
    choose.add_argument("field", metavar="FIELD")
    choose.add_argument("number", metavar="N", type=int)
    reset = action("reset", cmd_reset, "forget your value: the field follows the records")
    reset.add_argument("field", metavar="FIELD")
    add = action("add", cmd_add, "add a surgery, medicine, radiation course or another cancer")
    add.add_argument("section", choices=("surgery", "systemic", "radiation", "diagnosis"))
    remove = action("remove", cmd_remove, "take a row (or a cancer) out of the summary")
    remove.add_argument("row", metavar="ROW", help="a row key: systemic.m4, diagnosis2")
