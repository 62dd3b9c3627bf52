"""Repeating appointments, for treatment given in cycles: "every 21 days, 6 times".

The rule is stored on the appointment (its first occurrence); the later occurrences are
worked out when needed, never stored, so moving or cancelling the appointment moves or
cancels the series. Occurrences keep the wall-clock time in the appointment's zone: a 09:30
infusion stays at 09:30 when the clocks change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from app.records.appointments import Appointment, get_appointment
from app.records.dates import now_iso
from app.records.errors import InvalidValue
from app.vault.binder import Binder

UNITS = ("days", "weeks")
MAX_TIMES = 366  # a year of daily radiotherapy fits; anything more is a typing slip


@dataclass(frozen=True)
class Recurrence:
    every: int  # N
    unit: str  # "days" or "weeks"
    times: int  # K occurrences in all, the first one included

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            raise InvalidValue("An appointment repeats every so many days or weeks.")
        if not 1 <= self.every <= 365:
            raise InvalidValue("Say how often it repeats: every 1 to 365 days or weeks.")
        if not 2 <= self.times <= MAX_TIMES:
            raise InvalidValue(f"A repeating appointment happens 2 to {MAX_TIMES} times.")

    @property
    def step(self) -> timedelta:
        return timedelta(days=self.every * (7 if self.unit == "weeks" else 1))

    def words(self) -> str:
        """'every 21 days, 6 times'; 'every week, 4 times'."""
        unit = self.unit[:-1] if self.every == 1 else self.unit
        every = f"every {unit}" if self.every == 1 else f"every {self.every} {unit}"
        return f"{every}, {self.times} times"

    def rrule(self) -> dict[str, Any]:
        """For icalendar: FREQ=DAILY;INTERVAL=21;COUNT=6."""
        freq = "WEEKLY" if self.unit == "weeks" else "DAILY"
        return {"FREQ": freq, "INTERVAL": self.every, "COUNT": self.times}

    def to_json(self) -> dict[str, Any]:
        return {"every": self.every, "unit": self.unit, "times": self.times}


_RULE_PART = re.compile(r"([A-Z]+)=([^;]+)")


def from_rrule(text: str) -> Recurrence | None:
    """A calendar's RRULE when it says "every N days or weeks, K times"; None for rules
    this cannot keep (until a date, by weekday, monthly...): the first event is still added."""
    parts = dict(_RULE_PART.findall(text.upper()))
    freq, count = parts.get("FREQ"), parts.get("COUNT")
    if freq not in ("DAILY", "WEEKLY") or not count or set(parts) - {
        "FREQ", "INTERVAL", "COUNT", "WKST",
    }:  # fmt: skip
        return None
    try:
        return Recurrence(
            int(parts.get("INTERVAL", "1")), "weeks" if freq == "WEEKLY" else "days", int(count)
        )
    except (ValueError, InvalidValue):
        return None


def parse_every(text: str) -> tuple[int, str]:
    """'21d', '21 days', '3w', '3 weeks' -> (21, 'days'), (3, 'weeks')."""
    match = re.fullmatch(r"\s*(\d+)\s*(d|days?|w|weeks?)\s*", text.lower())
    if not match:
        raise InvalidValue(f"{text!r}: say how often, such as 21d (days) or 3w (weeks).")
    return int(match.group(1)), "weeks" if match.group(2).startswith("w") else "days"


def get_recurrence(binder: Binder, appt_id: int) -> Recurrence | None:
    row = binder.db.execute(
        "SELECT repeat_every, repeat_unit, repeat_times FROM appointments WHERE id = ?",
        [appt_id],
    ).fetchone()
    if row is None or not row[2]:
        return None
    return Recurrence(int(row[0]), str(row[1]), int(row[2]))


def recurrences(binder: Binder, person_id: int) -> dict[int, Recurrence]:
    """Every repeating appointment of the person: appointment id -> rule (one query)."""
    rows = binder.db.execute(
        "SELECT id, repeat_every, repeat_unit, repeat_times FROM appointments "
        "WHERE person_id = ? AND repeat_times > 0",
        [person_id],
    ).fetchall()
    return {int(r[0]): Recurrence(int(r[1]), str(r[2]), int(r[3])) for r in rows}


def set_recurrence(binder: Binder, appt_id: int, rule: Recurrence | None) -> Recurrence | None:
    """Make the appointment repeat by `rule`, or (None) happen once."""
    get_appointment(binder, appt_id)
    every, unit, times = (rule.every, rule.unit, rule.times) if rule else (0, "days", 0)
    with binder.transaction() as db:
        db.execute(
            "UPDATE appointments SET repeat_every = ?, repeat_unit = ?, repeat_times = ?, "
            "updated = ? WHERE id = ?",
            [every, unit, times, now_iso(), appt_id],
        )
    return get_recurrence(binder, appt_id)


@dataclass(frozen=True)
class Occurrence:
    appointment: Appointment
    number: int  # 1 for the appointment itself
    times: int  # how many in all
    starts_at: datetime  # aware, in the appointment's zone

    @property
    def day(self) -> date:
        return self.starts_at.date()

    def words(self) -> str:
        return f"{self.number} of {self.times}"


def occurrences(appointment: Appointment, rule: Recurrence | None) -> list[Occurrence]:
    """Every occurrence, the appointment itself first; one when it does not repeat."""
    first = appointment.local_start
    if rule is None:
        return [Occurrence(appointment, 1, 1, first)]
    tz = first.tzinfo  # the appointment's own zone (local_start is in it)
    wall = first.replace(tzinfo=None)
    return [
        Occurrence(appointment, n + 1, rule.times, (wall + n * rule.step).replace(tzinfo=tz))
        for n in range(rule.times)
    ]


def all_occurrences(
    appointments: list[Appointment], rules: dict[int, Recurrence]
) -> list[Occurrence]:
    """The occurrences of all `appointments`, in time order."""
    found = [o for a in appointments for o in occurrences(a, rules.get(a.id))]
    return sorted(found, key=lambda o: o.starts_at)
