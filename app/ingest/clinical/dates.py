"""Dates as reports write them, read as ISO dates."""

from __future__ import annotations

import re
from datetime import date

_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ("january", "february", "march", "april", "may", "june", "july", "august",
         "september", "october", "november", "december")
    )
}  # fmt: skip
MONTH_WORD = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
TEXT_DATE = (
    r"\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4}|"
    rf"{MONTH_WORD}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{MONTH_WORD}\s+\d{{4}}"
)


def text_date(text: str) -> str | None:
    """ "March 7, 2022", "7 Mar 2022", "03/07/2022" (US order) or "2022-03-07" as ISO."""
    cleaned = text.strip().rstrip(".").replace(",", " ")
    try:
        if match := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", cleaned):
            numbers = [int(g) for g in match.groups()]
            return date(numbers[0], numbers[1], numbers[2]).isoformat()
        if match := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", cleaned):
            numbers = [int(g) for g in match.groups()]
            return date(numbers[2], numbers[0], numbers[1]).isoformat()
        words = cleaned.replace(".", " ").split()
        if len(words) == 3:
            if words[0].isdigit():
                day_text, month_text, year_text = words
            else:
                month_text, day_text, year_text = words
            month: int | None = next(
                (n for name, n in _MONTHS.items() if name.startswith(month_text.lower()[:3])),
                None,
            )
            if month is not None:
                return date(int(year_text), month, int(day_text)).isoformat()
    except ValueError:
        return None
    return None


# A date the report gives for the diagnosis or the procedure the specimen came from.
_DIAGNOSIS_DATE = re.compile(
    r"\b(?:date\s+of\s+(?:diagnosis|procedure|operation|surgery|biopsy|collection|"
    r"specimen\s+collection|resection)|(?:procedure|surgery|operation|biopsy|collection|"
    r"diagnosis)\s+date|date\s+(?:collected|obtained|taken)|collected(?:\s+on)?|"
    r"diagnosed\s+(?:on|in))\s*[:\-]?\s*(?P<date>" + TEXT_DATE + r")",
    re.IGNORECASE,
)


def find_diagnosis_date(text: str) -> tuple[str, int, int] | None:
    """(ISO date, start, end) of an explicitly labelled diagnosis or procedure date."""
    for match in _DIAGNOSIS_DATE.finditer(text):
        iso = text_date(match.group("date"))
        if iso:
            return iso, match.start("date"), match.end("date")
    return None
