"""The user's word on the picture, stored (table treatment_summary_fields) and kept over
whatever the records say later (each works on the picture as last read, reading no report:
the window calls them on its own thread):

- `confirm_field`: the value found is right (kept as it is now);
- `choose_value`: of two records that disagree, this one is right;
- `set_field`: the right value, written by the user (a correction, or a value the records
  do not give: a biomarker, a first symptom);
- `reset_field`: forget the decision, follow the records again;
- `add_row` / `remove_row` / `show_row`: a surgery, medicine, radiation course or another
  cancer the records do not show; a found row that is not part of the cancer's treatment
  (a medicine for something else), or a found cancer that is not one.
"""

from __future__ import annotations

from app.records.date_input import parse_typed_date
from app.records.dates import now_iso
from app.records.errors import InvalidValue, NotFound
from app.records.picture.build import clinical_picture, stored_decisions
from app.records.picture.model import (
    BIOMARKER_NAME,
    REPEATING,
    FieldState,
    PictureField,
    PictureRow,
    biomarker_label,
    group_key,
    split_group,
)
from app.vault.binder import Binder

ADDABLE = (*REPEATING, "diagnosis")


def _known_field(binder: Binder, person_id: int, key: str) -> PictureField:
    picture = clinical_picture(binder, person_id, read_new=False)
    if found := picture.get(key):
        return found
    row, _, name = key.partition(".")
    base, number = split_group(row)
    if base == "biomarker" and number in picture.numbers and BIOMARKER_NAME.fullmatch(name):
        # A result the records do not give, written by the user ("biomarker.pdl1").
        return PictureField(key, biomarker_label(name), "", "", FieldState.EMPTY)
    raise InvalidValue(
        f"The treatment summary has no field {key!r}. `carebinder summary show` lists the fields."
    )


def _save(binder: Binder, person_id: int, key: str, state: str, value: str, found: str) -> None:
    with binder.transaction() as db:
        db.execute(
            "INSERT INTO treatment_summary_fields (person_id, field, state, value, found, "
            "updated) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (person_id, field) DO UPDATE SET "
            "state = excluded.state, value = excluded.value, found = excluded.found, "
            "updated = excluded.updated",
            [person_id, key, state, value, found, now_iso()],
        )


def _found_words(item: PictureField) -> str:
    """What the records said when the user decided (kept for the record)."""
    return item.found or " | ".join(c.value for c in item.candidates)


def set_field(binder: Binder, person_id: int, key: str, value: str) -> PictureField:
    """The user's own value for a field (kept over whatever the records say later)."""
    current = _known_field(binder, person_id, key)
    cleaned = value.strip()
    if current.is_date and cleaned:
        try:
            cleaned = parse_typed_date(cleaned) or ""
        except ValueError as exc:
            raise InvalidValue(f"{current.label}: {exc}") from None
    _save(binder, person_id, key, "corrected", cleaned, _found_words(current))
    return clinical_picture(binder, person_id, read_new=False).field(key)


def confirm_field(binder: Binder, person_id: int, key: str) -> PictureField:
    """The user checked the value found in the records: keep it as it is now."""
    current = _known_field(binder, person_id, key)
    if current.in_conflict:
        raise InvalidValue(
            f"The records disagree on “{current.label}”: choose the right value "
            f"(`carebinder summary choose {key} N`) or write it."
        )
    if not current.value:
        raise InvalidValue(
            f"“{current.label}” is empty: there is nothing to confirm. Write the value instead."
        )
    _save(binder, person_id, key, "confirmed", current.value, _found_words(current))
    return clinical_picture(binder, person_id, read_new=False).field(key)


def choose_value(binder: Binder, person_id: int, key: str, number: int) -> PictureField:
    """Settle what the records say about a field: value `number` (1, 2...) of its
    candidates is right."""
    current = _known_field(binder, person_id, key)
    if not current.candidates:
        raise InvalidValue(f"The records give no value for “{current.label}” to choose from.")
    if not 1 <= number <= len(current.candidates):
        listed = "; ".join(f"{n}: {c.value}" for n, c in enumerate(current.candidates, 1))
        raise InvalidValue(f"Choose a number from 1 to {len(current.candidates)} ({listed}).")
    chosen = current.candidates[number - 1]
    _save(binder, person_id, key, "confirmed", chosen.value, _found_words(current))
    return clinical_picture(binder, person_id, read_new=False).field(key)


def reset_field(binder: Binder, person_id: int, key: str) -> PictureField:
    """Forget the user's decision: the field follows the records again."""
    _known_field(binder, person_id, key)
    with binder.transaction() as db:
        db.execute(
            "DELETE FROM treatment_summary_fields WHERE person_id = ? AND field = ?",
            [person_id, key],
        )
    picture = clinical_picture(binder, person_id, read_new=False)
    return picture.get(key) or PictureField(key, key, "", "", FieldState.EMPTY)


def add_row(binder: Binder, person_id: int, section: str) -> PictureRow:
    """A surgery, medicine or radiation course the records do not show, or another cancer,
    written by the user."""
    if section not in ADDABLE:
        raise InvalidValue(f"Rows can be added to {', '.join(ADDABLE)}, not to {section!r}.")
    stored = stored_decisions(binder, person_id)
    if section == "diagnosis":
        number = max(clinical_picture(binder, person_id, read_new=False).numbers) + 1
        key = group_key("diagnosis", number)
        _save(binder, person_id, key, "added", "", "")
        return clinical_picture(binder, person_id, read_new=False).section(key).rows[0]
    used = [_row_number(k) for k in stored if k.startswith(f"{section}.u") and k.count(".") == 1]
    key = f"{section}.u{max(used, default=0) + 1}"
    _save(binder, person_id, key, "added", "", "")
    picture = clinical_picture(binder, person_id, read_new=False)
    return next(r for r in picture.section(section).rows if r.key == key)


def _row_number(row_key: str) -> int:
    tail = row_key.rsplit(".", 1)[1]
    return int(tail[1:]) if tail[1:].isdigit() else 0


def _diagnosis_number(row_key: str) -> int | None:
    base, number = split_group(row_key)
    return number if base == "diagnosis" and "." not in row_key else None


def remove_row(binder: Binder, person_id: int, row_key: str) -> None:
    """Take a row out: a row the user added is deleted; a row found in the records is
    hidden (a medicine that is not cancer treatment, a cancer that is not one) until shown
    again. A cancer taken out takes what the user wrote about it along."""
    picture = clinical_picture(binder, person_id, read_new=False)
    number = _diagnosis_number(row_key)
    if number is not None:
        try:
            row = picture.section(row_key).rows[0]
        except NotFound:
            raise InvalidValue(f"The treatment summary has no cancer {row_key!r}.") from None
        parts = [group_key(b, number) for b in ("diagnosis", "stage", "biomarker")]
        with binder.transaction() as db:
            for part in parts:
                db.execute(
                    "DELETE FROM treatment_summary_fields WHERE person_id = ? AND "
                    "(field = ? OR field LIKE ?)",
                    [person_id, part, f"{part}.%"],
                )
        if not row.added_by_user:
            _save(binder, person_id, row_key, "hidden", "", "")
        return
    section = row_key.split(".", 1)[0]
    if section not in REPEATING or row_key.count(".") != 1:
        raise InvalidValue(f"{row_key!r} is not a row of the treatment summary.")
    found = next((r for r in picture.section(section).rows if r.key == row_key), None)
    if found is None:
        raise InvalidValue(f"The treatment summary has no row {row_key!r}.")
    with binder.transaction() as db:
        db.execute(
            "DELETE FROM treatment_summary_fields WHERE person_id = ? AND "
            "(field = ? OR field LIKE ?)",
            [person_id, row_key, f"{row_key}.%"],
        )
    if not found.added_by_user:
        _save(binder, person_id, row_key, "hidden", "", "")


def show_row(binder: Binder, person_id: int, row_key: str) -> None:
    """Bring back a row (or a cancer) found in the records that the user had taken out."""
    with binder.transaction() as db:
        db.execute(
            "DELETE FROM treatment_summary_fields WHERE person_id = ? AND field = ? "
            "AND state = 'hidden'",
            [person_id, row_key],
        )
