"""Every date CareBinder shows, one way: the locale's medium format ("20 Oct 2026" in
Britain, "Oct 20, 2026" in the United States), in tables, editors, sheets and PDFs alike.

Partial dates keep their precision: "Oct 2026", "2026". `date_in_words` is the longer form
echoed beside a date field as the user types ("Tuesday, 20 October 2026"), so a misread is
seen at once.
"""

from __future__ import annotations

from datetime import date

from app.records.date_locale import date_locale


def _parts(value: str | date) -> tuple[int, int | None, int | None] | None:
    if isinstance(value, date):
        return value.year, value.month, value.day
    try:
        numbers = [int(part) for part in value.split("-")]
        if len(numbers) == 3:
            date(*numbers)
            return numbers[0], numbers[1], numbers[2]
        if len(numbers) == 2 and 1 <= numbers[1] <= 12:
            return numbers[0], numbers[1], None
        if len(numbers) == 1:
            return numbers[0], None, None
    except ValueError:
        pass
    return None


# The patterns when no language is named (C, POSIX): day, month in words, year.
_UNSAID = {
    "medium": "d MMM y",
    "full": "EEEE, d MMMM y",
    "yMMM": "MMM y",
    "yMMMM": "MMMM y",
    "yMMMEd": "EEE, d MMM y",
    "yMMMMd": "d MMMM y",
}


def _format(day: date, form: str) -> str:
    """`form` is a Babel format name ("medium", "full") or a skeleton ("yMMM")."""
    from babel.dates import format_date, format_skeleton

    here = date_locale()
    if not here.said:
        return format_date(day, _UNSAID[form], locale=here.locale)
    if form in ("medium", "full"):
        return format_date(day, form, locale=here.locale)
    return format_skeleton(form, day, locale=here.locale)


def _shown(value: str | date, day_form: str, month_form: str) -> str:
    parts = _parts(value)
    if parts is None:
        return str(value)  # text that is not a date is shown as it is
    year, month, day = parts
    if day is not None and month is not None:
        return _format(date(year, month, day), day_form)
    if month is not None:
        return _format(date(year, month, 1), month_form)
    return str(year)


def shown_date(value: str | date | None, empty: str = "") -> str:
    """ "2026-10-20" -> "20 Oct 2026"; "2026-10" -> "Oct 2026"; "2026"; None -> `empty`."""
    if value is None or value == "":
        return empty
    return _shown(value, "medium", "yMMM")


def date_in_words(value: str | date) -> str:
    """ "1961-04-12" -> "Wednesday, 12 April 1961"; "1961-04" -> "April 1961"; "1961"."""
    return _shown(value, "full", "yMMMM")


def shown_day(day: date) -> str:
    """The shown date with its weekday, for appointments: "Thu, 3 Dec 2026"."""
    return _format(day, "yMMMEd")


def day_and_month_in_words(day: date) -> str:
    """ "3 April 2025" (or "April 3, 2025"): how a question about a date names its choices."""
    return _format(day, "yMMMMd")
