"""The `shared`, `requests`, `request-letter` and `repeat` commands: what was given to whom,
the letter that asks a records department for records, and appointments that repeat
(treatment cycles).

Conventions of app/cli/common.py: `--json` prints one JSON document, `--person NAME` picks
the person, exit codes 0 / 1 / 2. `carebinder export OUT --again N` (in app/cli/export.py)
makes logged bundle N again.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from functools import partial
from typing import Any

from app.cli.common import (
    EXIT_OK,
    UsageError,
    find_person_id,
    open_binder,
    print_json,
    say,
    subcommand,
)


def _when(iso: str) -> str:
    from datetime import datetime

    moment = datetime.fromisoformat(iso).astimezone()
    return f"{moment:%Y-%m-%d %H:%M}"


def cmd_shared(args: argparse.Namespace) -> int:
    from app.export.redaction import Redaction
    from app.records.share_log import list_shares

    with open_binder(args) as binder:
        entries = list_shares(binder, find_person_id(binder, args.person), args.for_)
    if args.json:
        print_json([e.to_json() for e in entries])
        return EXIT_OK
    if not entries:
        who = f" with {args.for_}" if args.for_ else ""
        print(f"Nothing has been shared{who} yet.")
        return EXIT_OK
    for e in entries:
        who = e.for_doctor or "no doctor named"
        locked = ", password-protected" if e.password_protected else ""
        withheld = Redaction.from_json(e.options.get("redaction")).words()
        if e.is_bundle:
            what = f"bundle of {len(e.documents)} records{locked}"
        else:
            what = f"{e.options.get('sheet', 'a')} sheet ({e.what.split()[-1]})"
        print(f"{e.id:>4}  {_when(e.shared_at)}  {who}: {what}")
        if e.target:
            print(f"      to {e.target}")
        if withheld != "nothing":
            print(f"      withheld: {withheld}")
        for d in e.documents:
            print(f"      - {d.date or 'undated'}  {d.title}  (record {d.id}, {d.sha256[:12]})")
    say("Make a bundle again with: carebinder export OUT --again NUMBER")
    return EXIT_OK


def add_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    """Add `shared` and `request-letter` to the `carebinder` parser's subcommands."""
    command = partial(subcommand, commands, common)
    shared = command("shared", cmd_shared, "list the bundles and sheets given to doctors")
    shared.add_argument("--person", metavar="NAME")
    shared.add_argument("--for", dest="for_", metavar="DOCTOR", help="only what this doctor got")
    shared.add_argument("--json", action="store_true")
    add_letter_command(command)


def cmd_request_letter(args: argparse.Namespace) -> int:
    from pathlib import Path

    from app.export.request_letter import request_letter_pdf
    from app.records.request_letters import save_letter_details
    from app.vault.atomic import write_bytes

    changes = {
        key: value
        for key, value in (
            ("records_from", args.from_),
            ("records_to", args.to),
            ("delivery", args.format),
            ("send_to", args.send_to),
            ("patient_contact", args.contact),
        )
        if value is not None
    }
    target = Path(args.out).absolute()
    with open_binder(args) as binder:
        if changes:
            save_letter_details(binder, args.id, **changes)
        data = request_letter_pdf(binder, args.id)
    write_bytes(target, data)
    say(f"Wrote the letter to {target}. Sign it, then send it (or print it first).")
    return EXIT_OK


def cmd_requests(args: argparse.Namespace) -> int:
    from app.records.records_requests import list_requests

    with open_binder(args) as binder:
        requests = list_requests(binder, find_person_id(binder, args.person))
    if args.json:
        print_json([r.to_json() for r in requests])
    elif not requests:
        print("No records have been asked for yet.")
    for r in [] if args.json else requests:
        asked = f", asked {r.requested_on}" if r.requested_on else ""
        what = r.what or "records"
        if r.items:
            from app.records.records_requests import items_words

            case = f", case {r.case_number}" if r.case_number else ""
            what = f"{items_words(r.items)}{case}" + (f" ({r.what})" if r.what else "")
        sent = f", sent {r.sent_on}" if r.sent_on else ""
        print(f"{r.id:>4}  {r.facility}: {what} ({r.status.label}{asked}{sent})")
    return EXIT_OK


def cmd_repeat(args: argparse.Namespace) -> int:
    from app.records.appointments import get_appointment
    from app.records.recurrence import Recurrence, occurrences, parse_every, set_recurrence

    rule = None
    if not args.never:
        if not args.every or not args.times:
            raise UsageError("Say --every 21d --times 6, or --never.")
        every, unit = parse_every(args.every)
        rule = Recurrence(every, unit, args.times)
    with open_binder(args) as binder:
        set_recurrence(binder, args.id, rule)
        appointment = get_appointment(binder, args.id)
    dates = [o.starts_at for o in occurrences(appointment, rule)]
    if args.json:
        print_json(
            {
                "appointment": appointment.to_json(),
                "repeats": rule.to_json() if rule else None,
                "occurrences": [d.isoformat() for d in dates],
            }
        )
    elif rule is None:
        print(f"Appointment {args.id} now happens once.")
    else:
        days = ", ".join(f"{d:%Y-%m-%d}" for d in dates)
        print(f"Appointment {args.id} repeats {rule.words()}: {days}.")
    return EXIT_OK


def add_letter_command(command: Callable[..., argparse.ArgumentParser]) -> None:
    listed = command("requests", cmd_requests, "list the records asked of offices and hospitals")
    listed.add_argument("--person", metavar="NAME")
    listed.add_argument("--json", action="store_true")
    letter = command(
        "request-letter",
        cmd_request_letter,
        "write a letter asking a records department for records (PDF, to print and sign)",
    )
    letter.add_argument("id", type=int, help="the records request's number (`requests`)")
    letter.add_argument("out", metavar="OUT.pdf")
    letter.add_argument("--from", dest="from_", metavar="DATE", help="first date of care wanted")
    letter.add_argument("--to", metavar="DATE", help="last date of care wanted")
    letter.add_argument("--format", metavar="TEXT", help="how the records should come")
    letter.add_argument("--send-to", metavar="TEXT", help="where to send them")
    letter.add_argument("--contact", metavar="TEXT", help="your address, phone, e-mail")

    repeat = command(
        "repeat", cmd_repeat, "make an appointment repeat, for treatment cycles (or stop it)"
    )
    repeat.add_argument("id", type=int, help="the appointment (see `appt list`)")
    repeat.add_argument("--every", metavar="21d|3w", help="how often: days (d) or weeks (w)")
    repeat.add_argument("--times", type=int, metavar="K", help="how many times in all")
    repeat.add_argument("--never", action="store_true", help="it happens once after all")
    repeat.add_argument("--json", action="store_true")
