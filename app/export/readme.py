"""README.txt: what the bundle is, for whom, how it is organised, how to check it."""

from __future__ import annotations

from collections.abc import Sequence

from app.export.contents import Entry, Inclusion
from app.export.facts import Facts, long_date


def readme_text(facts: Facts, entries: Sequence[Entry], encrypted: bool) -> str:
    name = facts.person.name
    lines = [
        f"Medical records of {name} (born {facts.born})",
        "=" * 60,
        "",
        f"Prepared on {long_date(facts.prepared_on.isoformat())} by the patient or their "
        "caregiver with CareBinder,",
        "for "
        + (facts.for_doctor if facts.for_doctor else "the doctor giving a second opinion")
        + (
            f", for the visit of {long_date(facts.visit.local_start.date().isoformat())}."
            if facts.visit
            else "."
        ),
    ]
    if facts.reason:
        lines.append(f"Reason for the visit: {facts.reason}")
    lines += [
        "",
        "Everything here opens with an ordinary PDF reader; no special software is needed.",
        "",
        "Start here",
        "----------",
        "Summary.pdf            one to two pages: diagnosis as known, treatment plan, care team",
        "                       with phone and fax, current medicines, and the enclosed records",
        "Records packet.pdf     every enclosed record in one PDF, oldest first, with a contents",
        "                       page and a bookmark for each record",
        "Medications.pdf        the whole medication history, with every dose change",
        "Treatment summary.pdf  diagnosis, stage, biomarkers, surgeries, cancer medicines and",
        "                       their doses, radiation, side effects, plan; each with its source",
        "Timeline.pdf           one page: symptoms, biopsy, diagnosis, surgery, treatments, scans",
        "                       and opinions on a single dated axis",
        "Questions.pdf          the patient's questions, with room for the answers",
        "records/               each original file exactly as received, by kind:",
        "                       records/<kind>/<date> <title>.<ext>",
        "patient-summary.json   the summary's facts as a FHIR R4 International Patient Summary",
        "appointments.ics       the appointments, for any calendar program",
    ]
    if facts.imaging:
        lines += [
            "Imaging/               the scans themselves (CT, MRI, PET...) as a standard DICOM",
            "                       file set: open Imaging/DICOMDIR with a DICOM viewer",
        ]
    lines += [
        "SHA256SUMS             a checksum for every file above",
        "",
        "Enclosed records",
        "----------------",
    ]
    for e in entries:
        d = e.document
        where = f"  ->  {e.path}" if e.path else ""
        lines.append(f"{d.date or 'undated':<10}  {d.kind.label}: {d.title}{where}")
        if e.inclusion is not Inclusion.PACKET:
            lines.append(f"            Note: {e.note}")
    if facts.imaging:
        lines += imaging_lines(facts)
    lines += [
        "",
        "Checking that nothing was changed or damaged",
        "--------------------------------------------",
        "SHA256SUMS lists the SHA-256 checksum of every file. To check them all:",
        "  Linux:    sha256sum -c SHA256SUMS",
        "  macOS:    shasum -a 256 -c SHA256SUMS",
        '  Windows:  certutil -hashfile "Summary.pdf" SHA256   (one file at a time; compare',
        "            the result with its line in SHA256SUMS)",
        "Run these inside the unpacked folder. Every line should say OK.",
    ]
    if encrypted:
        lines += [
            "",
            "This ZIP is protected with a password (AES-256). Open it with 7-Zip (Windows),",
            "The Unarchiver or Keka (macOS), or 7z / unzip with AES support (Linux). The password",
            "is given separately by the patient.",
        ]
    lines += [
        "",
        "These records are private medical information. Please keep them safe and delete",
        "them when they are no longer needed.",
        "",
    ]
    return "\n".join(lines)


def imaging_lines(facts: Facts) -> list[str]:
    """The studies in Imaging/, and how to open them."""
    lines = [
        "",
        "Imaging studies (the images themselves, in Imaging/)",
        "----------------------------------------------------",
    ]
    for study in facts.imaging:
        count = f"{study.images} image{'s' if study.images != 1 else ''}"
        what = study.what[:1].upper() + study.what[1:]
        about = f": {study.description}" if study.description else ""
        lines.append(f"{study.date or 'undated':<10}  {what}{about} ({count})")
    lines += [
        "",
        "The images are exactly as the hospital's disc gave them (DICOM files, unchanged).",
        "To look at them, open the file Imaging/DICOMDIR with a DICOM viewer: RadiAnt or",
        "MicroDicom (Windows), Horos or OsiriX (macOS), Weasis (any system); a hospital's",
        "PACS import station reads the Imaging folder as it would read a disc.",
    ]
    return lines
