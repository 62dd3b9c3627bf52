"""Problems and diagnoses, as recorded by a doctor or brought in from a patient portal."""

from __future__ import annotations

from dataclasses import dataclass

from app.records import clinical
from app.records.coded import Code
from app.records.date_display import shown_date
from app.records.dates import surely_before
from app.records.errors import InvalidValue
from app.vault.binder import Binder


@dataclass(frozen=True)
class Condition(clinical.CodedRow):
    id: int
    person_id: int
    name: str
    codes: tuple[Code, ...]
    onset_date: str | None
    resolved_date: str | None
    status: str  # as the source said: active, resolved, inactive... ("" when not said)
    notes: str
    source_document_id: int | None


# A person's conditions are listed by the date each began (unknown dates last), then by name.
_TABLE = clinical.Table(
    "conditions", Condition, "condition", "onset_date IS NULL, onset_date, name COLLATE NOCASE"
)


def _values(
    onset: str | None, resolved: str | None, status: str, notes: str
) -> dict[str, str | None]:
    return {
        "onset_date": clinical.clean_date(onset, "Date it began"),
        "resolved_date": clinical.clean_date(resolved, "Date it ended"),
        "status": status,
        "notes": notes,
    }


def add_condition(
    binder: Binder,
    person_id: int,
    name: str,
    onset: str | None = None,
    resolved: str | None = None,
    status: str = "",
    codes: tuple[Code, ...] = (),
    notes: str = "",
    source_document_id: int | None = None,
) -> Condition:
    values = _values(onset, resolved, status, notes)
    return _TABLE.add(binder, person_id, name, codes, source_document_id, values)


def check_dates(onset: str | None, resolved: str | None) -> None:
    """Refuse an end before the start, when every day each date can mean says so. Typed-in
    values only: a portal file's dates are taken as the file gives them."""
    if onset and resolved and surely_before(resolved, onset):
        raise InvalidValue(
            f"The end ({shown_date(resolved)}) is before the start ({shown_date(onset)})."
        )


def update_condition(
    binder: Binder,
    condition_id: int,
    name: str,
    onset: str | None = None,
    resolved: str | None = None,
    status: str = "",
    notes: str = "",
) -> Condition:
    """Every value given replaces the one stored (an empty one clears it), as add_condition
    takes them; the codes and the document it came from stay."""
    values = _values(onset, resolved, status, notes)
    check_dates(values["onset_date"], values["resolved_date"])
    return _TABLE.update(binder, condition_id, name, values)


# Read, list and delete are the same for every coded list.
get_condition = _TABLE.get
list_conditions = _TABLE.of_person
delete_condition = _TABLE.delete


# The plain choices for a condition's status and what is stored for each: the words the
# summary sheet and the FHIR file read ("resolved" keeps it off the summary's current list).
STATUSES = {"current": "active", "past": "resolved", "not sure": ""}
_CURRENT = ("active", "recurrence", "relapse")
_PAST = ("resolved", "inactive")


def status_word(status: str) -> str:
    """The plain choice a stored status falls under: current, past or not sure."""
    word = status.strip().lower().split("/")[0]
    if word in _CURRENT:
        return "current"
    if word in _PAST:
        return "past"
    return "not sure"


def is_past(condition: Condition) -> bool:
    """Over, as the summary sheet counts it (its status says resolved or inactive)."""
    return status_word(condition.status) == "past"


@dataclass(frozen=True)
class MergedCondition:
    """One health problem as the person reads it, however many records name it: the same
    condition brought in from three portal files is one line, with its three sources."""

    shown: Condition  # the one opened to change it: the earliest known onset
    rows: tuple[Condition, ...]

    @property
    def name(self) -> str:
        return self.shown.name

    @property
    def sources(self) -> tuple[int, ...]:
        """The documents the rows came from, each once, in the rows' order."""
        found = [r.source_document_id for r in self.rows if r.source_document_id is not None]
        return tuple(dict.fromkeys(found))


def same_condition_key(name: str) -> str:
    """Names compared without case, extra spaces or a trailing full stop."""
    return " ".join(name.casefold().rstrip(".").split())


def merge_conditions(conditions: list[Condition] | tuple[Condition, ...]) -> list[MergedCondition]:
    """Conditions with the same name as one each, in the order the first of each came."""
    groups: dict[str, list[Condition]] = {}
    for condition in conditions:
        groups.setdefault(same_condition_key(condition.name), []).append(condition)
    merged = []
    for rows in groups.values():
        dated = [r for r in rows if r.onset_date]
        shown = min(dated, key=lambda r: r.onset_date or "") if dated else rows[0]
        merged.append(MergedCondition(shown, tuple(rows)))
    return merged
