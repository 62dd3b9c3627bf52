"""The `med`, `doctor`, `appt` and `ics` commands: medications, the care team, appointments.

Conventions of app/cli/common.py: `--json` prints one JSON document, `--person NAME` picks
the person, exit codes 0 / 1 / 2.
"""

from __future__ import annotations

import argparse
from functools import partial
from pathlib import Path
from typing import Any

from app.cli.common import (
    EXIT_OK,
    EXIT_SOME_REFUSED,
    UsageError,
    command_group,
    find_person_id,
    json_subcommand,
    open_binder,
    print_json,
    say,
    show_result,
)


def _doctor_id(binder: Any, person_id: int, name_or_id: str | None) -> int | None:
    from app.records.care_team import find_doctor

    return find_doctor(binder, person_id, name_or_id).id if name_or_id else None


# -- medications ------------------------------------------------------------------------------


def cmd_med_add(args: argparse.Namespace) -> int:
    from app.records.medications import add_medication

    details = {
        key: value
        for key, value in (
            ("dose", args.dose),
            ("how_often", args.how_often),
            ("purpose", args.purpose),
            ("strength", args.strength),
            ("route", args.route),
            ("cycles", args.cycles),
        )
        if value
    }
    with open_binder(args) as binder:
        person_id = find_person_id(binder, args.person)
        med = add_medication(
            binder,
            person_id,
            args.name,
            start=args.start,
            stop=args.stop,
            prescriber_id=_doctor_id(binder, person_id, args.by),
            **details,
        )
    return show_result(args, med, f"Added {med.name} (id {med.id}).")


def cmd_med_change(args: argparse.Namespace) -> int:
    from app.records.medications import change_dose

    with open_binder(args) as binder:
        med = change_dose(binder, args.id, args.dose or "", args.on, args.how_often or "")
    return show_result(args, med, f"{med.name}: now {med.current_dose} from {args.on}.")


def cmd_med_stop(args: argparse.Namespace) -> int:
    from app.records.medications import stop_medication

    with open_binder(args) as binder:
        med = stop_medication(binder, args.id, args.on)
    return show_result(args, med, f"{med.name}: stopped on {med.stop_date}.")


def cmd_med_remove(args: argparse.Namespace) -> int:
    """Only for a medicine entered by mistake: `stop` keeps the history of one stopped."""
    from app.records.medications import delete_medication, get_medication

    with open_binder(args) as binder:
        med = get_medication(binder, args.id)
        delete_medication(binder, args.id)
    return show_result(args, med, f"Removed {med.name} (id {med.id}) and its doses.")


def cmd_med_list(args: argparse.Namespace) -> int:
    from app.records.medications import MedicationView, list_medications

    with open_binder(args) as binder:
        meds = list_medications(
            binder, find_person_id(binder, args.person), MedicationView(args.view)
        )
    if args.json:
        print_json([m.to_json() for m in meds])
        return EXIT_OK
    for med in meds:
        span = f"{med.start_date or '?'} to {med.stop_date or 'now'}"
        print(
            f"{med.id:>4}  {med.name:<22} {med.current_dose:<12} {med.current_how_often:<16} {span}"
        )
        for change in med.changes:
            print(f"        {change.changed_on}: {change.dose} {change.how_often}".rstrip())
    if not meds:
        say("No medications.")
    return EXIT_OK


# -- care team ----------------------------------------------------------------------------------


_DOCTOR_FIELDS = ("specialty", "role", "institution", "phone", "fax", "email", "address", "portal")


def cmd_doctor_add(args: argparse.Namespace) -> int:
    from app.records.care_team import add_doctor

    details = {key: getattr(args, key) for key in _DOCTOR_FIELDS if getattr(args, key)}
    with open_binder(args) as binder:
        doctor = add_doctor(binder, find_person_id(binder, args.person), args.name, **details)
    if args.json:
        print_json(doctor.to_json())
    else:
        print(f"Added {doctor.name} (id {doctor.id}).")
    return EXIT_OK


def cmd_doctor_list(args: argparse.Namespace) -> int:
    from app.records.care_team import list_doctors

    with open_binder(args) as binder:
        doctors = list_doctors(binder, find_person_id(binder, args.person))
    if args.json:
        print_json([d.to_json() for d in doctors])
        return EXIT_OK
    for doctor in doctors:
        role = f"{doctor.role}, " if doctor.role else ""
        print(f"{doctor.id:>4}  {doctor.name:<24} {role}{doctor.specialty}  {doctor.phone}")
    if not doctors:
        say("No one in the care team yet.")
    return EXIT_OK


# -- appointments --------------------------------------------------------------------------------


def cmd_appt_add(args: argparse.Namespace) -> int:
    from app.records.appointments import (
        AppointmentKind,
        AppointmentStatus,
        add_appointment,
        overlapping,
        parse_when,
    )

    starts_at, zone_name = parse_when(args.at, args.tz)
    with open_binder(args) as binder:
        person_id = find_person_id(binder, args.person)
        appointment = add_appointment(
            binder,
            person_id,
            starts_at,
            time_zone=zone_name,
            doctor_id=_doctor_id(binder, person_id, args.with_),
            minutes=args.minutes,
            location=args.where or "",
            purpose=args.purpose or "",
            kind=AppointmentKind(args.kind),
            status=AppointmentStatus(args.status) if args.status else None,
            reminder_minutes=args.remind,
        )
        clashes = overlapping(binder, appointment)
    for other in clashes:
        say(f"Note: it overlaps appointment {other.id} ({other.local_start:%Y-%m-%d %H:%M}).")
    if args.json:
        print_json(appointment.to_json())
    else:
        print(
            f"Added appointment {appointment.id} on {appointment.local_start:%A %d %B %Y, %H:%M}."
        )
    return EXIT_OK


def cmd_appt_list(args: argparse.Namespace) -> int:
    from app.records.appointments import list_appointments
    from app.records.questions import list_questions

    with open_binder(args) as binder:
        person_id = find_person_id(binder, args.person)
        appointments = list_appointments(binder, person_id, upcoming=args.upcoming)
        questions = {a.id: list_questions(binder, person_id, a.id) for a in appointments}
    if args.json:
        print_json(
            [
                {**a.to_json(), "questions": [q.to_json() for q in questions[a.id]]}
                for a in appointments
            ]
        )
        return EXIT_OK
    for a in appointments:
        who = a.doctor or "no doctor named"
        print(f"{a.id:>4}  {a.local_start:%Y-%m-%d %H:%M}  {a.status.label:<9} {who}  {a.purpose}")
        for q in questions[a.id]:
            print(f"        [{'x' if q.answered else ' '}] {q.text}")
    if not appointments:
        say("No appointments." if not args.upcoming else "No upcoming appointments.")
    return EXIT_OK


def cmd_appt_question(args: argparse.Namespace) -> int:
    from app.records.appointments import get_appointment
    from app.records.questions import add_question

    with open_binder(args) as binder:
        appointment = get_appointment(binder, args.id)
        question = add_question(binder, appointment.person_id, args.text, appointment.id)
    if args.json:
        print_json(question.to_json())
    else:
        print(f"Added question {question.id} for appointment {appointment.id}.")
    return EXIT_OK


# -- calendars -----------------------------------------------------------------------------------


def cmd_ics_export(args: argparse.Namespace) -> int:
    from app.export.calendar import calendar_bytes
    from app.records.appointments import get_appointment, list_appointments
    from app.records.questions import list_questions
    from app.vault.atomic import write_bytes

    with open_binder(args) as binder:
        if args.appt:
            appointments = [get_appointment(binder, args.appt)]
        else:
            appointments = list_appointments(binder, find_person_id(binder, args.person))
        questions = {a.id: list_questions(binder, a.person_id, a.id) for a in appointments}
        from app.records.recurrence import get_recurrence

        repeats = {a.id: r for a in appointments if (r := get_recurrence(binder, a.id))}
        data = calendar_bytes(appointments, binder.binder_id, questions, repeats)
    write_bytes(Path(args.file).absolute(), data)
    say(f"Wrote {len(appointments)} appointment(s) to {args.file}.")
    return EXIT_OK


def cmd_ics_import(args: argparse.Namespace) -> int:
    from app.ingest.refusal import Refused
    from app.records.calendar_import import import_calendar

    try:
        data = Path(args.file).read_bytes()
    except OSError as exc:
        raise UsageError(f"{args.file} cannot be read ({exc.strerror}).") from None
    with open_binder(args) as binder:
        try:
            result = import_calendar(binder, find_person_id(binder, args.person), data)
        except Refused as exc:
            say(f"{args.file}: {exc}")
            return EXIT_SOME_REFUSED
    if args.json:
        print_json(
            {
                "added": [a.to_json() for a in result.added],
                "already_there": [a.id for a in result.already_there],
                "skipped": result.skipped,
            }
        )
    for reason in result.skipped:
        say(reason)
    say(
        f"{len(result.added)} appointment(s) added, {len(result.already_there)} already there, "
        f"{len(result.skipped)} skipped."
    )
    return EXIT_SOME_REFUSED if result.skipped else EXIT_OK


# -- the parser ----------------------------------------------------------------------------------


def add_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    """Add the care commands to the `carebinder` parser's subcommands."""
    group = partial(command_group, commands)
    action = partial(json_subcommand, common)

    med = group("med", "the medication history")
    add = action(med, "add", cmd_med_add, "add a medication")
    add.add_argument("name")
    add.add_argument("--dose", required=True)
    add.add_argument("--how-often", metavar="TEXT")
    add.add_argument("--start", metavar="DATE")
    add.add_argument("--stop", metavar="DATE")
    add.add_argument("--for", dest="purpose", metavar="TEXT", help="why it is taken")
    add.add_argument("--by", metavar="DOCTOR", help="who prescribed it (name or id)")
    add.add_argument("--strength")
    add.add_argument("--route")
    add.add_argument("--cycles", help="for a regimen given in cycles")
    add.add_argument("--person", metavar="NAME")
    change = action(med, "change", cmd_med_change, "record a dose change")
    change.add_argument("id", type=int)
    change.add_argument("--dose")
    change.add_argument("--how-often", metavar="TEXT")
    change.add_argument("--on", metavar="DATE", required=True)
    stop = action(med, "stop", cmd_med_stop, "mark a medication stopped")
    stop.add_argument("id", type=int)
    stop.add_argument("--on", metavar="DATE")
    remove = action(
        med, "remove", cmd_med_remove, "remove a medication entered by mistake (stop keeps history)"
    )
    remove.add_argument("id", type=int)
    mlist = action(med, "list", cmd_med_list, "list medications")
    mlist.add_argument("--view", choices=("current", "past", "all"), default="all")
    mlist.add_argument("--person", metavar="NAME")

    doctor = group("doctor", "the care team")
    dadd = action(doctor, "add", cmd_doctor_add, "add a doctor or clinic")
    dadd.add_argument("name")
    for name in _DOCTOR_FIELDS:
        dadd.add_argument(f"--{name}")
    dadd.add_argument("--person", metavar="NAME")
    dlist = action(doctor, "list", cmd_doctor_list, "list the care team")
    dlist.add_argument("--person", metavar="NAME")

    appt = group("appt", "appointments")
    aadd = action(appt, "add", cmd_appt_add, "add an appointment")
    aadd.add_argument("--with", dest="with_", metavar="DOCTOR")
    aadd.add_argument("--at", required=True, metavar="YYYY-MM-DDTHH:MM")
    aadd.add_argument("--tz", metavar="ZONE", help="time zone, such as America/Chicago")
    aadd.add_argument("--minutes", type=int)
    aadd.add_argument("--where", metavar="TEXT")
    aadd.add_argument("--purpose", metavar="TEXT")
    aadd.add_argument(
        "--kind",
        default="follow_up",
        choices=("first_visit", "second_opinion", "follow_up", "treatment", "test_or_scan"),
    )
    aadd.add_argument("--status", choices=("planned", "done", "cancelled"))
    aadd.add_argument("--remind", type=int, default=24 * 60, metavar="MINUTES")
    aadd.add_argument("--person", metavar="NAME")
    alist = action(appt, "list", cmd_appt_list, "list appointments")
    alist.add_argument("--upcoming", action="store_true")
    alist.add_argument("--person", metavar="NAME")
    question = action(appt, "question", cmd_appt_question, "add a question for an appointment")
    question.add_argument("id", type=int)
    question.add_argument("text")

    ics = group("ics", "calendar files (.ics)")
    export = action(ics, "export", cmd_ics_export, "write appointments to an .ics file")
    export.add_argument("file")
    export.add_argument("--appt", type=int, metavar="ID")
    export.add_argument("--person", metavar="NAME")
    imp = action(ics, "import", cmd_ics_import, "add the events of an .ics file")
    imp.add_argument("file")
    imp.add_argument("--person", metavar="NAME")
