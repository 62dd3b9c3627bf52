"""Dates as people type them, read by one set of rules for the window and the command line.

Accepted: "12 Apr 1961", "April 12, 1961", "Wednesday 12 April 1961", "12/04/1961" in this
computer's order (day/month/year or month/day/year), "1961-04-12", "April 1961", "04/1961",
"1961", and, where a recent date makes sense, "today", "yesterday", "last Tuesday" (and, for
appointments, "tomorrow" and "next Tuesday"). Month and weekday names are English or the
locale's own.

A reading is one of three answers:
- `Read`: the date as the binder stores it, of the precision typed (`1961-04-12`, `1961-04`
  or `1961`: "April 1961" stays a month);
- `Ask`: the text can mean more than one date ("03/04/2025" where the order is not known,
  "12/04/61", "Tuesday"); the question names the choices;
- `Refuse`: not a date, with the reason ("February 2025 has no day 30").

The rules are ours: a general parser such as dateutil's fills what is missing from today
("April" becomes April of this year, "3" the 3rd of this month) and silently picks an
order for 03/04/2025, which is wrong for a medical record. dateutil's `relativedelta` does
the weekday arithmetic and Babel gives the locale's month names and order.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum

from dateutil.relativedelta import FR, MO, SA, SU, TH, TU, WE, relativedelta, weekday

from app.records.date_display import date_in_words, day_and_month_in_words
from app.records.date_locale import DateLocale, DayOrder, date_locale

EARLIEST_YEAR = 1880  # nothing in a living person's records is older
LATEST_YEARS_AHEAD = 30  # a planned stop or appointment further off is a typing slip


class DateUse(Enum):
    """What the date is for, which decides the words it may be typed with."""

    BIRTH = "birth"  # a date, never in the future; no "yesterday"
    PAST = "past"  # "today", "yesterday", "last Tuesday"
    PLANNED = "planned"  # also "tomorrow", "next Tuesday" (appointments, planned stops)


@dataclass(frozen=True)
class Read:
    value: str  # YYYY-MM-DD, YYYY-MM or YYYY


@dataclass(frozen=True)
class Ask:
    question: str
    choices: tuple[str, ...]  # YYYY-MM-DD values, in the order the question names them


@dataclass(frozen=True)
class Refuse:
    reason: str


Reading = Read | Ask | Refuse

_ENGLISH_MONTHS = {
    **{name.lower(): i for i, name in enumerate(calendar.month_name) if name},
    **{name.lower(): i for i, name in enumerate(calendar.month_abbr) if name},
    "sept": 9,
}
_ENGLISH_DAYS = {
    **{name.lower(): i for i, name in enumerate(calendar.day_name)},
    **{name.lower(): i for i, name in enumerate(calendar.day_abbr)},
    "tues": 1,
    "thur": 3,
    "thurs": 3,
}
WEEKDAYS = (MO, TU, WE, TH, FR, SA, SU)
_TOKEN = re.compile(r"\d+|[^\W\d_]+", re.UNICODE)
_ORDINAL = re.compile(r"(\d)(st|nd|rd|th)\b", re.IGNORECASE)
_YEAR_FIRST = re.compile(r"(\d{4})[-/.](\d{1,2})(?:[-/.](\d{1,2}))?")
_NUMBERS = re.compile(r"(\d{1,2})([-/.])(\d{1,2})\2(\d{2}|\d{4})")
_MONTH_YEAR = re.compile(r"(\d{1,2})[-/.](\d{4})")


def order_hint(here: DateLocale | None = None) -> str:
    """Which order an all-number date is read in, said beside an empty date field."""
    order = (here or date_locale()).order
    if order is DayOrder.UNKNOWN:
        return "A date in numbers alone can read two ways here: write the month as a word."
    return f"Dates in numbers are read {order.value}."


def examples(use: DateUse = DateUse.PAST, here: DateLocale | None = None) -> str:
    """A placeholder that shows the forms a field takes, in this computer's order."""
    numbers = {
        DayOrder.DAY_FIRST: "12/04/1961",
        DayOrder.MONTH_FIRST: "04/12/1961",
        DayOrder.UNKNOWN: "1961-04-12",
    }[(here or date_locale()).order]
    words = "" if use is DateUse.BIRTH else ", yesterday"
    return f"e.g. 12 Apr 1961, {numbers}, April 1961, 1961{words}"


def read_date(
    text: str,
    use: DateUse = DateUse.PAST,
    today: date | None = None,
    here: DateLocale | None = None,
    whole_day: bool = False,
) -> Reading:
    """Read what was typed. `whole_day` refuses a month or a year alone (an appointment
    needs its day)."""
    today = today or date.today()
    here = here or date_locale()
    cleaned = " ".join(text.strip().split())
    if not cleaned:
        return Refuse("Type a date, for example 12 Apr 1961.")
    reading = _read(cleaned, use, today, here)
    if isinstance(reading, Read):
        return _check(reading, cleaned, use, today, whole_day)
    return reading


def parse_typed_date(
    text: str | None,
    use: DateUse = DateUse.PAST,
    today: date | None = None,
    whole_day: bool = False,
) -> str | None:
    """The stored form of a typed date, None when nothing was typed. Raises ValueError with
    the question or the reason, for the user."""
    if text is None or not text.strip():
        return None
    reading = read_date(text, use, today, whole_day=whole_day)
    if isinstance(reading, Read):
        return reading.value
    if isinstance(reading, Ask):
        raise ValueError(reading.question)
    raise ValueError(reading.reason)


# -- the rules ----------------------------------------------------------------------------------


def _read(text: str, use: DateUse, today: date, here: DateLocale) -> Reading:
    lowered = _ORDINAL.sub(r"\1", text.lower())
    relative = _relative(text, lowered, use, today, here)
    if relative is not None:
        return relative
    if match := _YEAR_FIRST.fullmatch(lowered):
        year, month, day = match.groups()
        return _made(text, int(year), int(month), int(day) if day else None)
    if match := _NUMBERS.fullmatch(lowered):
        first, _, second, year = match.groups()
        return _numbers(text, int(first), int(second), year, use, today, here)
    if match := _MONTH_YEAR.fullmatch(lowered):
        return _made(text, int(match.group(2)), int(match.group(1)), None)
    if re.fullmatch(r"\d{4}", lowered):
        return Read(lowered)
    return _words(text, lowered, use, today, here)


def _relative(
    text: str, lowered: str, use: DateUse, today: date, here: DateLocale
) -> Reading | None:
    words = lowered.split()
    fixed = {"today": 0, "yesterday": -1, "tomorrow": 1}
    said_weekday = len(words) == 2 and words[0] in ("last", "next")
    alone_weekday = len(words) == 1 and _weekday(words[0], here) is not None
    if not (lowered in fixed or said_weekday or alone_weekday):
        return None
    if use is DateUse.BIRTH:
        return Refuse("Write the date of birth as a date, for example 12 Apr 1961.")
    if lowered in fixed:
        if fixed[lowered] > 0 and use is not DateUse.PLANNED:
            return Refuse("This date cannot be in the future.")
        return Read((today + timedelta(days=fixed[lowered])).isoformat())
    day_number = _weekday(words[-1], here)
    if day_number is None:
        return Refuse(
            f"“{text}” is not a date. After “{words[0]}”, name a day of the week, as in "
            f"“{words[0]} Tuesday”."
        )
    day = WEEKDAYS[day_number]
    last = today + relativedelta(days=-1, weekday=weekday(day.weekday, -1))
    upcoming = today + relativedelta(days=+1, weekday=day)
    if alone_weekday:
        choices = (last, upcoming) if use is DateUse.PLANNED else (last,)
        question = " or ".join(day_and_month_in_words(d) for d in choices)
        return Ask(f"“{text}”: {question}?", tuple(d.isoformat() for d in choices))
    if words[0] == "last":
        return Read(last.isoformat())
    if use is not DateUse.PLANNED:
        return Refuse("This date cannot be in the future.")
    return Read(upcoming.isoformat())


def _numbers(
    text: str, first: int, second: int, year_text: str, use: DateUse, today: date, here: DateLocale
) -> Reading:
    if len(year_text) == 2:
        return _two_digit_year(text, first, second, int(year_text), use, today, here)
    year = int(year_text)
    day_first, month_first = _valid(year, second, first), _valid(year, first, second)
    if first == second or here.order is DayOrder.UNKNOWN:
        if day_first and month_first and first != second:
            return _ask_order(text, day_first, month_first)
        if day_first or month_first:
            return Read((day_first or month_first or date.min).isoformat())
        return _made(text, year, second, first)
    preferred, other = (
        (day_first, month_first) if here.order is DayOrder.DAY_FIRST else (month_first, day_first)
    )
    if preferred:
        return Read(preferred.isoformat())
    if other:
        return Ask(
            f"“{text}”: did you mean {day_and_month_in_words(other)}? Dates in numbers are "
            f"read {here.order.value} here.",
            (other.isoformat(),),
        )
    if here.order is DayOrder.DAY_FIRST:
        return _made(text, year, second, first)
    return _made(text, year, first, second)


def _two_digit_year(
    text: str, first: int, second: int, short: int, use: DateUse, today: date, here: DateLocale
) -> Reading:
    found: list[str] = []
    for century in (1900, 2000):
        reading = _numbers(text, first, second, str(century + short), use, today, here)
        if isinstance(reading, Read):
            found.append(reading.value)
        elif isinstance(reading, Ask):
            found += reading.choices
    plausible = (_check(Read(value), text, use, today, False) for value in found)
    choices = [date.fromisoformat(r.value) for r in plausible if isinstance(r, Read)]
    if not choices:
        return Refuse(f"“{text}” is not a date: write the year in full, for example 1961.")
    words = " or ".join(day_and_month_in_words(c) for c in choices)
    return Ask(f"“{text}”: {words}? Write the year in full.", tuple(c.isoformat() for c in choices))


def _ask_order(text: str, day_first: date, month_first: date) -> Ask:
    return Ask(
        f"“{text}”: {day_and_month_in_words(day_first)} or {day_and_month_in_words(month_first)}?",
        (day_first.isoformat(), month_first.isoformat()),
    )


def _words(text: str, lowered: str, use: DateUse, today: date, here: DateLocale) -> Reading:
    tokens = _TOKEN.findall(lowered)
    if len(tokens) > 1 and not tokens[0].isdigit() and _month(tokens[0], here) is None:
        said_day = _weekday(tokens[0], here)
        if said_day is None:
            return _not_a_date(text, tokens[0])
        tokens = tokens[1:]
    else:
        said_day = None
    numbers = [t for t in tokens if t.isdigit()]
    names = [t for t in tokens if not t.isdigit()]
    if len(names) != 1:
        return _not_a_date(text, names[1] if len(names) > 1 else None)
    month = _month(names[0], here)
    if month is None:
        return _not_a_date(text, names[0])
    years = [n for n in numbers if len(n) == 4]
    days = [n for n in numbers if len(n) <= 2]
    if len(years) > 1 or len(days) > 1 or len(numbers) != len(years) + len(days):
        return _not_a_date(text, None)
    if not numbers:
        return Refuse(f"“{text}”: which year? For example {names[0].title()} {today.year}.")
    if not years:
        if days and len(numbers) == 1:
            return _which_year(text, int(days[0]), month, use, today)
        return _not_a_date(text, None)
    reading = _made(text, int(years[0]), month, int(days[0]) if days else None)
    if said_day is not None and isinstance(reading, Read) and len(reading.value) == 10:
        actual = date.fromisoformat(reading.value)
        if actual.weekday() != said_day:
            return Refuse(
                f"{day_and_month_in_words(actual)} was a {calendar.day_name[actual.weekday()]}, "
                f"not a {calendar.day_name[said_day]}."
            )
    return reading


def _which_year(text: str, day: int, month: int, use: DateUse, today: date) -> Reading:
    """ "12 April": the last one (or, for plans, the next one), asked, never assumed."""
    year = today.year
    candidate = _valid(year, month, day)
    if candidate is None:
        return _made(text, year, month, day)
    if use is DateUse.PLANNED:
        if candidate < today:
            candidate = _valid(year + 1, month, day) or candidate
    elif candidate > today:
        candidate = _valid(year - 1, month, day) or candidate
    return Ask(
        f"“{text}”: which year? {day_and_month_in_words(candidate)}?", (candidate.isoformat(),)
    )


def _not_a_date(text: str, word: str | None) -> Refuse:
    if word is not None and word.isalpha() and word != text.lower():
        return Refuse(f"“{word}” in “{text}” is not a month or a day of the week.")
    return Refuse(f"“{text}” is not a date. Write it as 12 Apr 1961, April 1961 or 1961.")


def _made(text: str, year: int, month: int, day: int | None) -> Reading:
    if not 1 <= month <= 12:
        return Refuse(f"“{text}”: there is no month {month}.")
    if day is None:
        return Read(f"{year:04d}-{month:02d}")
    last = calendar.monthrange(year, month)[1] if year >= 1 else 31
    if not 1 <= day <= last:
        month_words = f"{calendar.month_name[month]} {year}"
        return Refuse(f"“{text}”: {month_words} has no day {day} (it has {last} days).")
    return Read(f"{year:04d}-{month:02d}-{day:02d}")


def _valid(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _check(reading: Read, text: str, use: DateUse, today: date, whole_day: bool) -> Reading:
    value = reading.value
    year = int(value[:4])
    shown = date_in_words(value)
    if year < EARLIEST_YEAR:
        return Refuse(f"{shown} is too long ago for a medical record: check the year.")
    if year > today.year + LATEST_YEARS_AHEAD:
        return Refuse(f"{shown} is too far in the future: check the year.")
    if use is DateUse.BIRTH and value > today.isoformat()[: len(value)]:
        return Refuse(f"{shown} is after today: a date of birth cannot be in the future.")
    if whole_day and len(value) < 10:
        return Refuse(f"Which day in {shown}? Type the whole date, for example 12 Apr {year}.")
    return reading


def _names(kind: str, here: DateLocale) -> dict[str, int]:
    """The locale's own month or day names and their abbreviations, lower case, no dots."""
    found: dict[str, int] = {}
    data = here.locale.months if kind == "months" else here.locale.days
    for context in ("format", "stand-alone"):
        for width in ("wide", "abbreviated"):
            for number, name in data[context][width].items():
                found[str(name).lower().rstrip(".")] = number
    return found


def _month(word: str, here: DateLocale) -> int | None:
    word = word.rstrip(".")
    return _ENGLISH_MONTHS.get(word) or _names("months", here).get(word)


def _weekday(word: str, here: DateLocale) -> int | None:
    word = word.rstrip(".")
    if word in _ENGLISH_DAYS:
        return _ENGLISH_DAYS[word]
    return _names("days", here).get(word)  # Babel numbers days Monday = 0, as Python does
