"""Which way this computer writes dates: its language and the order of day and month.

Read from the environment the way every program on Linux does (`LANGUAGE`, `LC_ALL`,
`LC_TIME`, `LANG`, through Babel). The window may name the locale Qt found when the
environment says nothing (macOS, Windows). "C" and "POSIX" say nothing about a language:
then dates are shown day-month-year with the month in words ("20 Oct 2026", English month
names), which no reader misreads, and an all-number date that could be read two ways is asked about.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from enum import Enum
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Babel is imported when a date is first shown or read, not at start-up
    from babel import Locale

# Month and day names when no language is named: English.
_UNSAID = "en"
_ENV = ("LANGUAGE", "LC_ALL", "LC_TIME", "LANG")
_window_locale: str | None = None


class DayOrder(Enum):
    """How an all-number date such as 03/04/2025 is read here."""

    DAY_FIRST = "day/month/year"
    MONTH_FIRST = "month/day/year"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class DateLocale:
    locale: Locale
    order: DayOrder
    said: bool = True  # False: C or POSIX, no language named


def use_window_locale(name: str | None) -> None:
    """The locale the desktop reports (Qt's `QLocale.system().name()`), used only when the
    environment names none."""
    global _window_locale
    _window_locale = name or None


def date_locale() -> DateLocale:
    """This process's date locale, worked out again only when the environment changes."""
    return _date_locale(tuple(os.environ.get(name, "") for name in _ENV), _window_locale)


@cache
def _date_locale(environment: tuple[str, ...], window: str | None) -> DateLocale:
    from babel import Locale, UnknownLocaleError, default_locale

    name = default_locale("LC_TIME") if any(environment) else None
    if name in (None, "en_US_POSIX"):  # Babel's reading of C and POSIX
        name = window if window not in (None, "C", "POSIX") else None
    if name is None:
        return DateLocale(Locale.parse(_UNSAID), DayOrder.UNKNOWN, said=False)
    try:
        locale = Locale.parse(name)
    except (UnknownLocaleError, ValueError):
        return DateLocale(Locale.parse(_UNSAID), DayOrder.UNKNOWN, said=False)
    return DateLocale(locale, _order(locale))


def _order(locale: Locale) -> DayOrder:
    """From the locale's own short pattern: "dd/MM/y" is day first, "M/d/yy" month first;
    a year-first pattern ("y-MM-dd") says nothing about 03/04/2025."""
    from babel.dates import get_date_format

    pattern = get_date_format("short", locale=locale).pattern.lower()
    day, month, year = (pattern.find(letter) for letter in "dmy")
    if min(day, month, year) < 0 or year < min(day, month):
        return DayOrder.UNKNOWN
    return DayOrder.DAY_FIRST if day < month else DayOrder.MONTH_FIRST
