"""Dates typed as people type them: what is read (and stored), what is asked, what is refused.

One table, read under three localities: Britain (day/month/year), the United States
(month/day/year) and a computer that names no language (C), where an all-number date that
reads two ways is asked about. Today is fixed: Wednesday 2 December 2026.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from babel import Locale

from app.records.date_display import date_in_words, shown_date
from app.records.date_input import Ask, DateUse, Read, Refuse, parse_typed_date, read_date
from app.records.date_locale import DateLocale, DayOrder, date_locale

TODAY = date(2026, 12, 2)
GB = DateLocale(Locale.parse("en_GB"), DayOrder.DAY_FIRST)
US = DateLocale(Locale.parse("en_US"), DayOrder.MONTH_FIRST)
UNSAID = DateLocale(Locale.parse("en"), DayOrder.UNKNOWN, said=False)
PAST, BIRTH, PLANNED = DateUse.PAST, DateUse.BIRTH, DateUse.PLANNED

# (typed, use, what Britain makes of it, the United States, a computer that says nothing).
# A string is the stored value; ("ask", choices...) a question; ("no", words in the reason).
CASES: list[tuple[Any, ...]] = [
    ("12 Apr 1961", BIRTH, "1961-04-12", "1961-04-12", "1961-04-12"),
    ("April 12, 1961", BIRTH, "1961-04-12", "1961-04-12", "1961-04-12"),
    ("12 April 1961", BIRTH, "1961-04-12", "1961-04-12", "1961-04-12"),
    ("12th April 1961", BIRTH, "1961-04-12", "1961-04-12", "1961-04-12"),
    ("April 12th, 1961", BIRTH, "1961-04-12", "1961-04-12", "1961-04-12"),
    ("12-Apr-1961", BIRTH, "1961-04-12", "1961-04-12", "1961-04-12"),
    ("  12   APR   1961 ", BIRTH, "1961-04-12", "1961-04-12", "1961-04-12"),
    ("Wednesday, 12 April 1961", BIRTH, "1961-04-12", "1961-04-12", "1961-04-12"),
    ("Wed 12 Apr 1961", BIRTH, "1961-04-12", "1961-04-12", "1961-04-12"),
    ("Sept 3 2020", PAST, "2020-09-03", "2020-09-03", "2020-09-03"),
    ("1961-04-12", BIRTH, "1961-04-12", "1961-04-12", "1961-04-12"),
    ("1961/4/12", BIRTH, "1961-04-12", "1961-04-12", "1961-04-12"),
    ("2026-10-20", PAST, "2026-10-20", "2026-10-20", "2026-10-20"),
    ("12/04/1961", BIRTH, "1961-04-12", "1961-12-04", ("ask", "1961-04-12", "1961-12-04")),
    ("04/12/1961", BIRTH, "1961-12-04", "1961-04-12", ("ask", "1961-12-04", "1961-04-12")),
    ("03/04/2025", PAST, "2025-04-03", "2025-03-04", ("ask", "2025-04-03", "2025-03-04")),
    ("3.4.2025", PAST, "2025-04-03", "2025-03-04", ("ask", "2025-04-03", "2025-03-04")),
    ("05/05/2025", PAST, "2025-05-05", "2025-05-05", "2025-05-05"),
    ("25/12/2024", PAST, "2024-12-25", ("ask", "2024-12-25"), "2024-12-25"),
    ("12/25/2024", PAST, ("ask", "2024-12-25"), "2024-12-25", "2024-12-25"),
    ("April 1961", BIRTH, "1961-04", "1961-04", "1961-04"),
    ("Apr 1961", BIRTH, "1961-04", "1961-04", "1961-04"),
    ("april, 1961", BIRTH, "1961-04", "1961-04", "1961-04"),
    ("04/1961", BIRTH, "1961-04", "1961-04", "1961-04"),
    ("1961-04", BIRTH, "1961-04", "1961-04", "1961-04"),
    ("1961", BIRTH, "1961", "1961", "1961"),
    ("today", PAST, "2026-12-02", "2026-12-02", "2026-12-02"),
    ("Yesterday", PAST, "2026-12-01", "2026-12-01", "2026-12-01"),
    ("last Tuesday", PAST, "2026-12-01", "2026-12-01", "2026-12-01"),
    ("last Wednesday", PAST, "2026-11-25", "2026-11-25", "2026-11-25"),
    ("last sunday", PAST, "2026-11-29", "2026-11-29", "2026-11-29"),
    ("tomorrow", PLANNED, "2026-12-03", "2026-12-03", "2026-12-03"),
    ("next Monday", PLANNED, "2026-12-07", "2026-12-07", "2026-12-07"),
    ("Tuesday", PAST, ("ask", "2026-12-01"), ("ask", "2026-12-01"), ("ask", "2026-12-01")),
    ("Friday", PLANNED, *[("ask", "2026-11-27", "2026-12-04")] * 3),
    ("12 April", PAST, *[("ask", "2026-04-12")] * 3),
    ("12 December", PAST, *[("ask", "2025-12-12")] * 3),
    ("12 December", PLANNED, *[("ask", "2026-12-12")] * 3),
    (
        "12/04/61",
        BIRTH,
        ("ask", "1961-04-12"),
        ("ask", "1961-12-04"),
        ("ask", "1961-04-12", "1961-12-04"),
    ),
    (
        "31/02/2025",
        PAST,
        ("no", "February 2025 has no day 31"),
        ("no", "no month 31"),
        ("no", "February 2025 has no day 31"),
    ),
    ("April 31, 2025", PAST, *[("no", "April 2025 has no day 31")] * 3),
    ("29 Feb 2023", PAST, *[("no", "February 2023 has no day 29")] * 3),
    ("29 Feb 2024", PAST, "2024-02-29", "2024-02-29", "2024-02-29"),
    ("13/13/2025", PAST, *[("no", "no month 13")] * 3),
    ("2025-13-01", PAST, *[("no", "no month 13")] * 3),
    ("Saturday 12 April 1961", BIRTH, *[("no", "was a Wednesday, not a Saturday")] * 3),
    ("hello", PAST, *[("no", "is not a date")] * 3),
    ("12 Aprli 1961", PAST, *[("no", "“aprli”")] * 3),
    ("April", PAST, *[("no", "which year")] * 3),
    ("12 04 1961", PAST, *[("no", "is not a date")] * 3),
    ("", PAST, *[("no", "Type a date")] * 3),
    ("1850", PAST, *[("no", "too long ago")] * 3),
    ("2099-01-01", PLANNED, *[("no", "too far in the future")] * 3),
    ("2027", BIRTH, *[("no", "cannot be in the future")] * 3),
    ("yesterday", BIRTH, *[("no", "date of birth as a date")] * 3),
    ("tomorrow", PAST, *[("no", "cannot be in the future")] * 3),
    ("next Monday", PAST, *[("no", "cannot be in the future")] * 3),
    ("last week", PAST, *[("no", "name a day of the week")] * 3),
]


def _check(reading: object, expected: object, typed: str) -> None:
    if isinstance(expected, str):
        assert reading == Read(expected), typed
    elif expected[0] == "ask":  # type: ignore[index]
        assert isinstance(reading, Ask), (typed, reading)
        assert reading.choices == tuple(expected[1:]), typed  # type: ignore[index]
        assert typed.strip() in reading.question or "which year" in reading.question
    else:
        assert isinstance(reading, Refuse), (typed, reading)
        assert expected[1].lower() in reading.reason.lower(), (typed, reading.reason)  # type: ignore[index]


def test_the_table_has_at_least_forty_inputs_of_each_answer() -> None:
    answers = [case[2:] for case in CASES]
    flat = [a for row in answers for a in row]
    assert len(CASES) >= 40
    assert sum(isinstance(a, str) for a in flat) >= 40
    assert sum(isinstance(a, tuple) and a[0] == "ask" for a in flat) >= 15
    assert sum(isinstance(a, tuple) and a[0] == "no" for a in flat) >= 40


@pytest.mark.parametrize(("typed", "use", "britain", "america", "unsaid"), CASES)
def test_a_typed_date_is_read_asked_about_or_refused(
    typed: str, use: DateUse, britain: object, america: object, unsaid: object
) -> None:
    for here, expected in ((GB, britain), (US, america), (UNSAID, unsaid)):
        _check(read_date(typed, use, today=TODAY, here=here), expected, typed)


def test_an_order_question_names_both_dates_in_words() -> None:
    reading = read_date("03/04/2025", today=TODAY, here=UNSAID)
    assert isinstance(reading, Ask)
    assert reading.question == "“03/04/2025”: 3 April 2025 or 4 March 2025?"


def test_an_appointment_needs_its_day() -> None:
    reading = read_date("April 2027", DateUse.PLANNED, today=TODAY, here=GB, whole_day=True)
    assert isinstance(reading, Refuse)
    assert "Which day in April 2027" in reading.reason


def test_parse_typed_date_gives_the_stored_value_or_the_words_for_the_user() -> None:
    assert parse_typed_date("  ", today=TODAY) is None
    assert parse_typed_date("April 1961", today=TODAY) == "1961-04"
    with pytest.raises(ValueError, match="3 April 2025 or 4 March 2025"):
        parse_typed_date("03/04/2025", today=TODAY)
    with pytest.raises(ValueError, match="no day 30"):
        parse_typed_date("30 Feb 2024", today=TODAY)


@pytest.mark.parametrize(
    ("locale", "order", "medium", "month", "words"),
    [
        ("en_US.UTF-8", "month/day/year", "Oct 20, 2026", "Oct 2026", "Tuesday, October 20, 2026"),
        ("en_GB.UTF-8", "day/month/year", "20 Oct 2026", "Oct 2026", "Tuesday, 20 October 2026"),
        ("de_DE.UTF-8", "day/month/year", "20.10.2026", "Okt. 2026", "Dienstag, 20. Oktober 2026"),
        ("C.UTF-8", "unknown", "20 Oct 2026", "Oct 2026", "Tuesday, 20 October 2026"),
    ],
)
def test_the_shown_format_and_the_reading_order_follow_the_locale(
    monkeypatch: pytest.MonkeyPatch, locale: str, order: str, medium: str, month: str, words: str
) -> None:
    monkeypatch.setenv("LC_ALL", locale)
    assert date_locale().order.value == order
    assert shown_date("2026-10-20") == medium
    assert shown_date("2026-10") == month
    assert shown_date("2026") == "2026"
    assert date_in_words("2026-10-20") == words
    # What is shown is read back as the same date, partial dates included.
    for value in ("2026-10-20", "2026-10", "2026", "2025-03-04"):
        assert read_date(shown_date(value), today=TODAY) == Read(value)
        assert read_date(date_in_words(value), today=TODAY) == Read(value)


def test_the_locales_own_month_names_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LC_ALL", "fr_FR.UTF-8")
    assert read_date("3 avril 2020", today=TODAY) == Read("2020-04-03")
    assert read_date("mercredi 12 avril 1961", today=TODAY) == Read("1961-04-12")


def test_the_hint_beside_an_empty_field_says_the_order() -> None:
    from app.records.date_input import order_hint

    assert order_hint(GB) == "Dates in numbers are read day/month/year."
    assert order_hint(US) == "Dates in numbers are read month/day/year."
    assert "write the month as a word" in order_hint(UNSAID)
