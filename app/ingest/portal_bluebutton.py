"""Blue Button text downloads (VA My HealtheVet, MyMedicare.gov) -> a PortalRecord.

These are "Label: value" reports in sections. A section starts at a ruled heading
("----- VA MEDICATION HISTORY -----", or a title between two rules); inside it, a record
starts at its first label ("Medication:", "Allergy Name:", "Problem:"...) and runs until the
next one. Sections this reader does not know (insurance, journals, goals) are left to the
kept document, where search finds them.
"""

from __future__ import annotations

import re
from datetime import datetime

from app.ingest.lab_names import plain_test_name
from app.ingest.portal_model import (
    PortalAllergy,
    PortalClinician,
    PortalCondition,
    PortalEncounter,
    PortalMedication,
    PortalRecord,
    PortalResult,
    merge_team,
    plain,
)
from app.ingest.refusal import Refused

MAX_TEXT = 64 << 20

_RULE = re.compile(r"^\s*[-=*]{8,}\s*$")
_HEADING = re.compile(r"^\s*-{3,}\s*([A-Za-z][^-]*?[A-Za-z)])\s*-{3,}\s*$")
_FIELD = re.compile(r"^([A-Za-z][A-Za-z0-9 /&().#'-]{0,40}?)\s*:\s?(.*)$")

# The label that starts a record, and what kind of record it is.
_STARTS = {
    "medication": "medication",
    "drug name": "medication",
    "allergy name": "allergy",
    "problem": "condition",
    "condition name": "condition",
    "provider name": "clinician",
    "admission date": "admission",
    "test/lab type": "result",
}


def bb_date(text: str | None) -> str | None:
    """ "10 Dec 2012 @ 0935", "01/25/2008", "1/27/1942" -> ISO date; anything else -> None."""
    value = (text or "").split("@")[0].strip()
    for pattern in ("%d %b %Y", "%m/%d/%Y", "%b %d, %Y", "%d %B %Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(value, pattern).date().isoformat()
        except ValueError:
            continue
    return None


def bb_datetime(text: str | None) -> str | None:
    """ "09 Dec 2013 @ 0800" -> "2013-12-09T08:00:00" (local time: no offset is given)."""
    match = re.match(r"\s*(.+?)\s*@\s*(\d{2})(\d{2})\s*$", text or "")
    day = bb_date(text)
    if match and day:
        return f"{day}T{match.group(2)}:{match.group(3)}:00"
    return day


def read_bluebutton(data: bytes) -> PortalRecord:
    if len(data) > MAX_TEXT:
        raise Refused("This Blue Button file is too large to be a download from a portal.")
    text = data.decode("utf-8", errors="replace")
    if "MYMEDICARE.GOV" in text[:2000].upper():
        source = "Medicare Blue Button text"
    elif "HEALTHEVET" in text[:2000].upper():
        source = "VA Blue Button text"
    else:
        source = "Blue Button text"
    record = PortalRecord(format=source)
    section = ""
    current: dict[str, str] | None = None
    kind = ""
    records: list[tuple[str, str, dict[str, str]]] = []
    lines = text.splitlines()
    last_key = ""
    for index, line in enumerate(lines):
        heading = _HEADING.match(line)
        boxed = (
            _RULE.match(line) is None
            and 0 < index < len(lines) - 1
            and _RULE.match(lines[index - 1]) is not None
            and _RULE.match(lines[index + 1]) is not None
            and ":" not in line
        )
        if heading or boxed:
            section = (heading.group(1) if heading else line).strip().upper()
            current, kind, last_key = None, "", ""
            continue
        if _RULE.match(line):
            continue
        found = _FIELD.match(line)
        if found is None:
            # A wrapped value continues the last field (comments run over several lines).
            if current is not None and last_key and line.startswith(" " * 8) and line.strip():
                current[last_key] += " " + line.strip()
            elif not line.strip():
                last_key = ""
            continue
        key, value = found.group(1).strip().lower(), found.group(2).strip()
        if re.fullmatch(r"-*|N/?A", value, re.I):  # "--" and "N/A" say nothing
            value = ""
        start = _STARTS.get(key)
        if key == "date/time" and "APPOINTMENT" in section:
            start = "appointment"
        if start is not None:
            current, kind = {}, start
            records.append((kind, section, current))
        if current is not None:
            current.setdefault(key, value)
            last_key = key
    for kind, section, fields in records:
        _add(record, kind, section, fields)
    record.care_team = merge_team(record.care_team)
    if not record.count():
        record.notes.append("No medications, problems, allergies or visits were found in it.")
    return record


def _add(record: PortalRecord, kind: str, section: str, fields: dict[str, str]) -> None:
    if kind == "medication":
        name = plain(fields.get("medication") or fields.get("drug name"))
        if not name or "no information" in name.lower():
            return
        record.medications.append(
            PortalMedication(
                name=name,
                dose=plain(fields.get("instructions") or fields.get("supply")),
                start=bb_date(fields.get("initially ordered on") or fields.get("start date")),
                stop=bb_date(fields.get("stop date")),
                status=plain(fields.get("status")),
            )
        )
    elif kind == "allergy":
        name = plain(fields.get("allergy name"))
        if name:
            record.allergies.append(
                PortalAllergy(
                    name=name,
                    reaction=plain(fields.get("reaction")),
                    severity=plain(fields.get("severity")),
                    noted=bb_date(fields.get("date entered") or fields.get("first episode date")),
                )
            )
    elif kind == "condition":
        name = plain(fields.get("problem") or fields.get("condition name"))
        if name:
            record.conditions.append(
                PortalCondition(
                    name=name,
                    onset=bb_date(
                        fields.get("date/time entered")
                        or fields.get("medical condition start date")
                    ),
                    resolved=bb_date(fields.get("medical condition end date")),
                    status=plain(fields.get("status")).lower(),
                )
            )
    elif kind == "clinician":
        name = plain(fields.get("provider name"))
        if name:
            record.care_team.append(
                PortalClinician(
                    name=name,
                    specialty=plain(fields.get("specialty") or fields.get("type of provider")),
                    phone=plain(fields.get("phone number")),
                    email=plain(fields.get("email")),
                    address=plain(fields.get("provider address")),
                )
            )
    elif kind == "appointment":
        when = bb_datetime(fields.get("date/time"))
        status = plain(fields.get("status")).upper()
        if not when or "CANCEL" in status or "NOT KEPT" in status or "NO-SHOW" in status:
            return
        clinic = plain(fields.get("clinic"))
        record.encounters.append(
            PortalEncounter(
                date=when,
                facility=plain(fields.get("location")),
                purpose=clinic,
                status="planned" if status == "FUTURE" else "done",
            )
        )
    elif kind == "admission":
        when = bb_datetime(fields.get("admission date"))
        if when:
            record.encounters.append(
                PortalEncounter(
                    date=when,
                    doctor=plain(fields.get("admitting physician")),
                    facility=plain(fields.get("location")),
                    purpose="Hospital stay",
                )
            )
    elif kind == "result":
        name = plain(fields.get("test/lab type"))
        if name:
            record.results.append(
                PortalResult(
                    name=plain_test_name(name),
                    value=plain(fields.get("results")),
                    date=bb_date(fields.get("date taken")),
                )
            )
