"""The `portal` command: bring records from a patient-portal file into the binder.

    carebinder portal FILE [--person NAME] [--patient NAME] [--only GROUPS] [--dry-run] [--json]

Shows what the file holds, grouped, each item marked new or already in CareBinder, and
brings in every new item (or only the groups named). FILE may be a folder holding a FHIR
bulk export. Conventions of app/cli/common.py: exit 0 done, 1 the file was refused (nothing
changed), 2 usage error.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from app.cli.common import (
    EXIT_OK,
    EXIT_SOME_REFUSED,
    UsageError,
    find_person_id,
    open_binder,
    print_json,
    say,
)

GROUP_NAMES = {
    "medications": "medications",
    "conditions": "conditions",
    "problems": "conditions",
    "diagnoses": "conditions",
    "allergies": "allergies",
    "procedures": "procedures",
    "surgeries": "procedures",
    "encounters": "encounters",
    "visits": "encounters",
    "care-team": "care_team",
    "care_team": "care_team",
    "doctors": "care_team",
    "results": "results",
    "documents": "documents",
}


def _groups(text: str | None) -> set[str] | None:
    if not text:
        return None
    chosen = set()
    for word in (w.strip().lower() for w in text.split(",") if w.strip()):
        if word not in GROUP_NAMES:
            known = ", ".join(sorted(set(GROUP_NAMES) - {"care_team"}))
            raise UsageError(f"--only: {word!r} is not one of: {known}.")
        chosen.add(GROUP_NAMES[word])
    return chosen


def _refused(args: argparse.Namespace, path: Path, reason: str) -> int:
    if args.json:
        print_json({"path": str(path), "status": "refused", "reason": reason})
    say(f"{path.name}: {reason} Nothing was changed.")
    return EXIT_SOME_REFUSED


def cmd_portal(args: argparse.Namespace) -> int:
    from app.ingest.portal_model import GROUP_LABELS
    from app.ingest.portal_read import read_folder, read_portal
    from app.ingest.refusal import Refused
    from app.records.portal_import import apply, describe, pick_patient, preview

    path = Path(args.file)
    only = _groups(args.only)
    try:
        if path.is_dir():
            record, _ = read_folder(path)
            data, name = b"", f"{path.name}.ndjson"
        elif path.is_file():
            data, name = path.read_bytes(), path.name
            record = read_portal(data)
        else:
            raise UsageError(f"There is no file or folder at {path}.")
        record = pick_patient(record, args.patient)
    except Refused as exc:
        return _refused(args, path, str(exc))
    except OSError as exc:
        return _refused(args, path, f"The file could not be read ({exc.strerror}).")
    if path.is_dir() and not record.raw_by_patient:
        raise UsageError("This folder holds no FHIR records to bring in.")
    with open_binder(args) as binder:
        person_id = find_person_id(binder, args.person)
        from app.records.people import get_person
        from app.records.portal_import import someone_else

        warning = someone_else(record, get_person(binder, person_id).name)
        shown = preview(binder, person_id, record, name, data)
        chosen = [i for i in shown.new_items if only is None or i.group in only]
        result = None
        if not args.dry_run:
            result = apply(binder, person_id, shown, chosen)
    if args.json:
        report: dict[str, Any] = {"path": str(path), "status": "ok", **describe(shown)}
        report["dry_run"] = bool(args.dry_run)
        report["imported"] = result.to_json() if result else None
        print_json(report)
        return EXIT_OK
    print(f"{path.name}: {record.format}" + (f", “{record.title}”" if record.title else ""))
    if len(record.patients) == 1:
        who = record.patients[0]
        print(f"About: {who.name}" + (f", born {who.born}" if who.born else ""))
    if warning:
        print(f"Warning: {warning}")
    for group, items in shown.grouped().items():
        if not items:
            continue
        new = sum(1 for i in items if i.new)
        print(f"\n{GROUP_LABELS[group]} ({len(items)}, {new} new)")
        for item in items[: args.limit]:
            mark = "+" if item.new else "="
            note = f"  [{item.why}]" if item.why else ""
            detail = f" - {item.detail}" if item.detail else ""
            print(f"  {mark} {item.label}{detail}{note}")
        if len(items) > args.limit:
            print(f"  ... and {len(items) - args.limit} more")
    for note in record.notes:
        print(f"\nNote: {note}")
    if result is None:
        print(f"\nDry run: {len(chosen)} new item(s) would be brought in. Nothing was changed.")
    else:
        if result.total:
            what = ", ".join(f"{n} {GROUP_LABELS[g].lower()}" for g, n in result.added.items())
            print(f"\nBrought in: {what}.")
        else:
            print("\nNothing new to bring in: everything is already in CareBinder.")
        print(f"The file is kept as document {result.source_document_id}.")
        for note in result.notes:
            print(f"Note: {note}")
    return EXIT_OK


def add_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    text = "bring medications, problems, visits and more from a patient-portal file"
    portal = commands.add_parser("portal", help=text, description=text, parents=[common])
    portal.set_defaults(handler=cmd_portal)
    portal.add_argument("file", metavar="FILE", help="a C-CDA/CCD, FHIR or Blue Button file")
    portal.add_argument("--person", metavar="NAME", help="whose binder records these are")
    portal.add_argument(
        "--patient", metavar="NAME", help="in a file holding several people, whose records"
    )
    portal.add_argument(
        "--only",
        metavar="GROUPS",
        help="bring in only these groups (comma-separated): medications, conditions, "
        "allergies, procedures, visits, care-team, results, documents",
    )
    portal.add_argument("--dry-run", action="store_true", help="show, change nothing")
    portal.add_argument("--json", action="store_true")
    portal.add_argument("--limit", type=int, default=50, help=argparse.SUPPRESS)
