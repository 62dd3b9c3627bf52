"""The `export`, `verify` and `sheet` commands: the bundle for the second-opinion doctor,
its check, and the printable sheets.

Conventions of app/cli/common.py: `--person NAME` picks the person, exit codes 0 / 1 / 2.
`export` exits 1 when the bundle was written but some record could not go in the records
packet (the message says which and why).
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
    EXIT_USAGE,
    UsageError,
    date_option,
    find_person_id,
    open_binder,
    print_json,
    read_secret_file,
    say,
    subcommand,
    text_progress,
)

# Words for the imaging studies (the scans themselves, in Imaging/) in --kinds.
STUDY_WORDS = ("studies", "imaging-studies", "scans", "dicom", "discs")


def _kinds(text: str | None) -> list[Any] | None:
    from app.ingest.kinds import DocumentKind

    if not text:
        return None
    parts = [p.strip() for p in text.split(",") if p.strip()]
    try:
        return [DocumentKind.parse(p) for p in parts if p.lower() not in STUDY_WORDS]
    except ValueError as exc:
        raise UsageError(f"{exc} Add `studies` for the imaging studies (scans).") from None


def _study_ids(text: str | None) -> tuple[int, ...] | None:
    """With --kinds, the imaging studies go in only when `studies` is among the kinds."""
    if not text:
        return None
    wanted = {p.strip().lower() for p in text.split(",")}
    return None if wanted & set(STUDY_WORDS) else ()


WITHHOLD = ("insurance-ids", "id-numbers", "addresses")


def _withhold(text: str | None) -> Any:
    """`--withhold insurance-ids,id-numbers,addresses,note:dose-change:7`."""
    from app.export.redaction import Redaction

    if not text:
        return None
    parts = [part.strip() for part in text.split(",") if part.strip()]
    notes = tuple(part[5:] for part in parts if part.startswith("note:"))
    unknown = [p for p in parts if p not in WITHHOLD and not p.startswith("note:")]
    if unknown:
        raise UsageError(
            f"--withhold: unknown {', '.join(unknown)}; say {', '.join(WITHHOLD)} or note:KEY."
        )
    return Redaction("insurance-ids" in parts, "id-numbers" in parts, "addresses" in parts, notes)


def _again(binder: Any, person_id: int, number: int, password: str | None) -> Any:
    """The options of logged bundle `number`; its records must still be the same files."""
    from app.export.share import changed_since, options_again
    from app.records.share_log import get_share

    entry = get_share(binder, number)
    if entry.person_id != person_id:
        raise UsageError(f"Bundle {number} in the log was made for another person.")
    if entry.password_protected and not password:
        raise UsageError(
            f"Bundle {number} was protected with a password, which CareBinder does not keep: "
            "give one with --password-file."
        )
    for problem in changed_since(binder, entry):
        say(f"Note: {problem}")
    return options_again(entry, password)


def _revealing(binder: Any, person_id: int, options: Any, leave_out: bool) -> tuple[Any, list[Any]]:
    """Say which chosen originals show a withheld value (originals are never changed); with
    --leave-out-revealing, choose the records without them."""
    import dataclasses

    from app.export.bundle import NothingToExport, select_documents
    from app.export.facts import gather
    from app.export.revealing import revealing_originals, revealing_warning

    if options.redaction is None or not options.redaction.anything:
        return options, []
    facts = gather(binder, person_id, options.for_doctor)
    try:
        docs = select_documents(binder, facts, options)
    except NothingToExport:
        return options, []  # build_bundle says so
    chosen = [d.id for d in docs]
    found = revealing_originals(binder, person_id, chosen, options.redaction, facts)
    if not found:
        return options, []
    say(f"Note: {revealing_warning(found)}")
    if not leave_out:
        say("To leave them out, add --leave-out-revealing.")
        return options, found
    shown = {r.document_id for r in found}
    kept = [d.id for d in docs if d.id not in shown]
    say(f"Left out: {len(found)} record{'s' if len(found) != 1 else ''} (--leave-out-revealing).")
    chosen = dataclasses.replace(options, document_ids=kept, preselected=False, kinds=None)
    return dataclasses.replace(chosen, since=None), found


def cmd_export(args: argparse.Namespace) -> int:
    from app.export.bundle import BundleError, NothingToExport, build_bundle
    from app.export.bundle_options import BundleOptions
    from app.progress import CancelFlag, Cancelled

    password = read_secret_file(args.password_file) if args.password_file else None
    target = Path(args.target)
    options = BundleOptions(
        for_doctor=args.for_,
        preselected=args.preselected,
        kinds=_kinds(args.kinds),
        since=args.since or None,
        password=password,
        folder=None if not args.folder else True,
        redaction=_withhold(args.withhold),
        study_ids=_study_ids(args.kinds),
    )
    with open_binder(args) as binder:
        person_id = find_person_id(binder, args.person)
        if args.again is not None:
            options = _again(binder, person_id, args.again, password)
        options, revealing = _revealing(binder, person_id, options, args.leave_out_revealing)
        try:
            result = build_bundle(
                binder,
                person_id,
                target,
                options,
                progress=text_progress(sys.stderr.isatty() and not args.json),
                cancel=CancelFlag(),
            )
        except NothingToExport as exc:
            raise UsageError(str(exc)) from None
        except BundleError as exc:
            say(f"The bundle was not written: {exc}")
            return EXIT_SOME_REFUSED
        except (Cancelled, KeyboardInterrupt):
            say("\nExport stopped. Nothing was written.")
            return EXIT_SOME_REFUSED
    if args.json:
        print_json(
            {
                "target": str(result.target),
                "files": result.files,
                "packet_pages": result.packet_pages,
                "originals_showing_withheld": [
                    {
                        "id": r.document_id,
                        "name": r.name,
                        "shows": list(r.shows),
                        "left_out": args.leave_out_revealing,
                    }
                    for r in revealing
                ],
                "imaging_studies": result.studies,
                "records": [
                    {
                        "id": e.document.id,
                        "title": e.document.title,
                        "path": e.path,
                        "inclusion": e.inclusion.value,
                        "start": e.start,
                        "pages": e.pages,
                        "note": e.note,
                    }
                    for e in result.entries
                ],
            }
        )
    else:
        in_packet = len(result.entries) - len(result.left_out)
        print(
            f"Wrote {result.target}: {in_packet} records in a {result.packet_pages}-page "
            f"packet, {len(result.files)} files."
        )
    for entry in result.left_out:
        say(f"Note: “{entry.document.title}” {entry.note}")
        if entry.inclusion.value == "missing":
            say("      `carebinder check` tells which stored files are damaged.")
    return EXIT_SOME_REFUSED if result.left_out else EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    from app.export.verify import verify

    path = Path(args.bundle)
    if not path.exists():
        raise UsageError(f"There is no bundle at {path}.")
    password = read_secret_file(args.password_file) if args.password_file else None
    report = verify(path, password)
    if report.ok:
        print(
            f"The bundle is whole: {report.files_checked} files match their checksums; the "
            f"packet has {report.pages} pages and {report.bookmarks} bookmarks as listed."
        )
        return EXIT_OK
    print(f"Problem: {report.problem}")
    return EXIT_SOME_REFUSED


def cmd_sheet(args: argparse.Namespace) -> int:
    from app.export.printable import sheet_pdf
    from app.export.share import log_sheet
    from app.vault.atomic import write_bytes

    target = Path(args.out).absolute()
    redaction = _withhold(args.withhold)
    with open_binder(args) as binder:
        person_id = find_person_id(binder, args.person)
        data = sheet_pdf(binder, person_id, args.which, args.for_, redaction)
        write_bytes(target, data)
        # Logged as shared with the doctor named (the log says "saved", with where).
        log_sheet(binder, person_id, args.which, data, args.for_ or "", (), redaction, str(target))
    say(f"Wrote the {args.which} sheet to {target}.")
    return EXIT_OK


def add_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    """Add `export`, `verify` and `sheet` to the `carebinder` parser's subcommands."""
    command = partial(subcommand, commands, common)
    export = command(
        "export", cmd_export, "write the bundle for the second-opinion doctor (ZIP or folder)"
    )
    export.add_argument("target", metavar="OUT.zip|OUT_DIR")
    export.add_argument("--person", metavar="NAME")
    export.add_argument("--for", dest="for_", metavar="DOCTOR", help="the doctor it is for")
    export.add_argument(
        "--kinds",
        metavar="K,K",
        help="only these kinds of record; add `studies` for the imaging studies (scans)",
    )
    export.add_argument(
        "--since", metavar="DATE", type=date_option(), help="only records dated on or after"
    )
    export.add_argument(
        "--preselected", action="store_true", help="only the records the checklist chose"
    )
    export.add_argument("--folder", action="store_true", help="write a folder even for .zip")
    export.add_argument(
        "--password-file", metavar="F", help="encrypt the ZIP (AES) with the password in F"
    )
    export.add_argument(
        "--withhold",
        metavar="WHAT,WHAT",
        help="mask in every generated file: insurance-ids, id-numbers, addresses, note:KEY",
    )
    export.add_argument(
        "--leave-out-revealing",
        action="store_true",
        help="leave out the original files that show what --withhold masks",
    )
    export.add_argument(
        "--again", type=int, metavar="N", help="make bundle N of `carebinder shared` again"
    )
    export.add_argument("--json", action="store_true")

    check = command("verify", cmd_verify, "check a bundle's checksums, pages and bookmarks")
    check.add_argument("bundle", metavar="BUNDLE")
    check.add_argument("--password-file", metavar="F")

    sheet = command("sheet", cmd_sheet, "write a printable sheet as PDF")
    sheet.add_argument(
        "which",
        choices=("summary", "medications", "questions", "appointment", "treatment", "timeline"),
    )
    sheet.add_argument("out", metavar="OUT.pdf")
    sheet.add_argument("--person", metavar="NAME")
    sheet.add_argument("--for", dest="for_", metavar="DOCTOR")
    sheet.add_argument("--withhold", metavar="WHAT,WHAT", help="as for `export`")


__all__ = ["EXIT_USAGE", "add_commands"]
