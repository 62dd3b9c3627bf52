"""The `imaging` commands: import an imaging disc, list the studies, copy studies to a folder.

    carebinder imaging import FOLDER [--person NAME] [--patient NAME] [--json]
    carebinder imaging list [--person NAME] [--json]
    carebinder imaging copy FOLDER [--study ID]... [--person NAME] [--json]

A disc holding several patients is imported only once one is chosen with --patient (the
choices are listed). Conventions of app/cli/common.py: exit 0 done, 1 some images could not
be imported (the others were), 2 usage error.
"""

from __future__ import annotations

import argparse
import sys
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
    text_progress,
)
from app.progress import CancelFlag


def _choose_patient(disc: Any, wanted: str | None) -> Any:
    from app.ingest.dicom_header import readable_name
    from app.records.imaging_import import describe_patients

    patients = disc.patients()
    if wanted is None:
        if len(patients) > 1:
            raise UsageError(describe_patients(disc) + " Say whose with --patient NAME.")
        return disc
    text = wanted.strip().casefold()
    chosen = [
        p
        for p in patients
        if text in (p.patient_id.casefold(), p.name.casefold())
        or text in readable_name(p.name).casefold()
    ]
    if len(chosen) != 1:
        names = "; ".join(p.label for p in patients)
        raise UsageError(f"--patient {wanted!r} names none or several of: {names}.")
    return disc.only(chosen[0].key)


def _study_lines(binder: Any, study: Any) -> list[str]:
    from app.records.imaging import list_series

    lines = [f"{study.id:>4}  {study.date or 'no date'}  {study.title}"]
    where = ", ".join(p for p in (study.body_part.title(), study.institution) if p)
    if where:
        lines.append(f"      {where}")
    lines += [f"      - {series.label}" for series in list_series(binder, study.id)]
    return lines


def cmd_import(args: argparse.Namespace) -> int:
    from app.ingest.dicom_disc import read_disc
    from app.records.imaging_import import import_disc

    folder = Path(args.folder)
    if not folder.exists():
        raise UsageError(f"There is no disc or folder at {folder}.")
    shown = sys.stderr.isatty() and not args.json
    cancel = CancelFlag()
    lines: list[str] = []
    try:
        disc = _choose_patient(read_disc(folder, text_progress(shown), cancel), args.patient)
        with open_binder(args) as binder:
            person_id = find_person_id(binder, args.person)
            report = import_disc(binder, person_id, disc, text_progress(shown), cancel)
            for imported in report.studies:
                lines += _study_lines(binder, imported.study)
                lines.append(
                    f"      {imported.stored} images kept now, {imported.already} already there"
                )
    except KeyboardInterrupt:
        cancel.cancel()
        say("Stopped. What was kept before stays in the binder.")
        return EXIT_SOME_REFUSED
    if args.json:
        print_json({"path": str(folder), **report.to_json()})
        return EXIT_SOME_REFUSED if report.failed else EXIT_OK
    print("\n".join(lines))
    for warning in report.warnings:
        print(f"Warning: {warning}")
    for problem in report.problems:
        say(f"{Path(problem.path).name}: {problem.reason}")
    print(report.summary())
    return EXIT_SOME_REFUSED if report.failed else EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    from app.records.imaging import list_series, list_studies

    with open_binder(args) as binder:
        person_id = find_person_id(binder, args.person)
        studies = list_studies(binder, person_id)
        if args.json:
            print_json(
                [
                    {**s.to_json(), "series_list": [r.to_json() for r in list_series(binder, s.id)]}
                    for s in studies
                ]
            )
            return EXIT_OK
        if not studies:
            print("No imaging study yet. Import a disc with: carebinder imaging import FOLDER")
        for study in studies:
            print("\n".join(_study_lines(binder, study)))
    return EXIT_OK


def cmd_copy(args: argparse.Namespace) -> int:
    from app.export.imaging_fileset import write_file_set
    from app.records.imaging import get_study, list_studies

    parent = Path(args.folder)
    if not parent.is_dir():
        raise UsageError(f"{parent} is not a folder (a stick, or a folder to burn to a disc).")
    with open_binder(args) as binder:
        person_id = find_person_id(binder, args.person)
        if args.study:
            ids = [get_study(binder, i).id for i in args.study]
        else:
            ids = [s.id for s in list_studies(binder, person_id)]
        if not ids:
            raise UsageError("There is no imaging study to copy.")
        shown = sys.stderr.isatty() and not args.json
        target = write_file_set(binder, ids, parent, progress=text_progress(shown))
    if args.json:
        print_json({"folder": str(target), "studies": ids, "index": str(target / "DICOMDIR")})
    else:
        print(
            f"Copied {len(ids)} stud{'ies' if len(ids) != 1 else 'y'} to {target}. It opens "
            "with any DICOM viewer, from its DICOMDIR file."
        )
    return EXIT_OK


def add_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    actions = command_group(commands, "imaging", "imaging discs: import, list, copy to a folder")
    command = partial(json_subcommand, common, actions)
    imported = command("import", cmd_import, "import an imaging disc (CD, DVD, stick or folder)")
    imported.add_argument("folder", metavar="FOLDER", help="the disc, or the folder copied from it")
    imported.add_argument("--person", metavar="NAME", help="whose images these are")
    imported.add_argument(
        "--patient", metavar="NAME", help="on a disc of several patients, whose images to keep"
    )
    listed = command("list", cmd_list, "list the imaging studies")
    listed.add_argument("--person", metavar="NAME")
    copied = command(
        "copy", cmd_copy, "copy studies to a stick or disc folder, with their own DICOMDIR"
    )
    copied.add_argument("folder", metavar="FOLDER", help="where the new folder is made")
    copied.add_argument(
        "--study", type=int, action="append", metavar="ID", help="a study (all when not given)"
    )
    copied.add_argument("--person", metavar="NAME")
