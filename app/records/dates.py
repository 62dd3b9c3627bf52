"""Dates as patients know them: a day, a month or only a year ("March 2024").

Stored as ISO text of the precision given: `YYYY-MM-DD`, `YYYY-MM` or `YYYY`, which sorts
correctly as text.
"""

from __future__ import annotations

import calendar
import re
from datetime import UTC, date, datetime

_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def parse_partial_date(text: str) -> str:
    """Normalise `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; raise ValueError with a plain message."""
    cleaned = text.strip()
    match = _PARTIAL.match(cleaned)
    if not match:
        raise ValueError(f"{text!r} is not a date: write it as 2024-03-15, 2024-03 or 2024.")
    year, month, day = match.groups()
    try:
        date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        raise ValueError(f"{text!r} is not a real date.") from None
    return cleaned


def optional_date(text: str | None) -> str | None:
    if text is None or not text.strip():
        return None
    return parse_partial_date(text)


def now_iso() -> str:
    """The current moment in UTC, for created/updated columns."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def earliest(partial: str) -> date:
    """The first day a partial date can mean ("2024-03" -> 2024-03-01)."""
    parts = [int(p) for p in partial.split("-")]
    return date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def latest(partial: str) -> date:
    """The last day a partial date can mean ("2024-02" -> 2024-02-29)."""
    parts = [int(p) for p in partial.split("-")]
    year = parts[0]
    month = parts[1] if len(parts) > 1 else 12
    day = parts[2] if len(parts) > 2 else calendar.monthrange(year, month)[1]
    return date(year, month, day)


def surely_before(a: str, b: str) -> bool:
    """True only when every day `a` can mean is before every day `b` can mean.

    "2024-03" is not surely before "2024-03-15": a patient who remembers only the month
    may be right about both.
    """
    return latest(a) < earliest(b)


def today_iso() -> str:
    return date.today().isoformat()
