"""The picture as shown: what the records say (app.records.picture.from_records), with the user's
decisions applied (table treatment_summary_fields, written by app.records.picture.decisions).

What the user confirmed, chose or wrote stays as they said it, whatever the records say
later (a re-import, a new report, a better reader); everything else follows the records.
When the records later say something else about a checked value, the field says so
(`records_changed`).
"""

from __future__ import annotations

from app.records.picture.found import Found, agree
from app.records.picture.from_records import Prefill, found_values
from app.records.picture.model import (
    BIOMARKER_NAME,
    DIAGNOSIS_FIELDS,
    REPEATING,
    STAGE_FIELDS,
    TREATMENT_SHAPE,
    ClinicalPicture,
    FieldState,
    PictureField,
    PictureRow,
    Section,
    biomarker_label,
    biomarker_order,
    diagnosis_titles,
    group_key,
    split_group,
)
from app.vault.binder import Binder

Stored = dict[str, tuple[str, str, str]]  # field or row key -> (state, value, found then)


def stored_decisions(binder: Binder, person_id: int) -> Stored:
    rows = binder.db.execute(
        "SELECT field, state, value, found FROM treatment_summary_fields WHERE person_id = ?",
        [person_id],
    )
    return {row[0]: (row[1], row[2], row[3]) for row in rows}


def make_field(
    key: str, label: str, is_date: bool, found: Found | None, said: tuple[str, str, str] | None
) -> PictureField:
    value = found.value if found else ""
    candidates = found.candidates if found else ()
    sources = found.sources if found else ()
    conflict = bool(found and found.conflict)
    state = FieldState.CONFLICT if conflict else FieldState.FOUND if value else FieldState.EMPTY
    shown, changed = value, False
    if said is not None and said[0] == "confirmed":
        state, shown = FieldState.CONFIRMED, said[1]
        if conflict:
            chosen = next((c for c in candidates if agree(key, c.value, shown)), None)
            sources = chosen.sources if chosen else ()
            changed = chosen is None
        elif value:
            changed = not agree(key, value, shown)
    elif said is not None and said[0] == "corrected":
        state = FieldState.CORRECTED if (value or conflict) else FieldState.TYPED
        shown = said[1]
    return PictureField(key, label, shown, value, state, sources, is_date, candidates, changed)


def _groups(prefill: Prefill, stored: Stored) -> int:
    """How many cancers to show: those found, and any the user added or spoke of."""
    numbers = [prefill.diagnoses, 1]
    for key in stored:
        row = key.split(".", 1)[0]
        base, number = split_group(row)
        if base in ("diagnosis", "stage", "biomarker"):
            numbers.append(number)
    return max(numbers)


def _diagnosis_sections(prefill: Prefill, stored: Stored, number: int) -> list[Section]:
    hidden = stored.get(group_key("diagnosis", number), ("",))[0] == "hidden"
    added = stored.get(group_key("diagnosis", number), ("",))[0] == "added"
    found = {} if hidden else prefill.found
    titles = diagnosis_titles(number)
    sections = []
    for base, section, title, names, empty in (
        ("diagnosis", "diagnosis", titles[0], DIAGNOSIS_FIELDS, "No diagnosis is recorded yet."),
        ("stage", "stage", titles[1], STAGE_FIELDS, "No stage is recorded yet."),
    ):
        row = group_key(base, number)
        fields = tuple(
            make_field(f"{row}.{n}", label, is_date, found.get(f"{row}.{n}"),
                       stored.get(f"{row}.{n}"))
            for n, label, is_date in names
        )  # fmt: skip
        sections.append(
            Section(
                group_key(section, number), title, (PictureRow(row, fields, added),), False, empty
            )
        )
    row = group_key("biomarker", number)
    said = {k.split(".", 1)[1] for k in [*found, *stored] if k.startswith(f"{row}.")}
    markers = {n for n in said if BIOMARKER_NAME.fullmatch(n)} | {"other"}
    fields = tuple(
        make_field(f"{row}.{n}", biomarker_label(n), False, found.get(f"{row}.{n}"),
                   stored.get(f"{row}.{n}"))
        for n in sorted(markers, key=biomarker_order)
    )  # fmt: skip
    sections.append(
        Section(
            group_key("biomarkers", number),
            titles[2],
            (PictureRow(row, fields),),
            False,
            "No biomarker or genetic result is recorded.",
        )
    )
    return sections


def _row_number(row_key: str) -> int:
    tail = row_key.rsplit(".", 1)[1]
    return int(tail[1:]) if tail[1:].isdigit() else 0


def apply(person_id: int, prefill: Prefill, stored: Stored) -> ClinicalPicture:
    """The picture: what the records say, with the user's decisions applied."""
    hidden = tuple(sorted(k for k, (state, _, _) in stored.items() if state == "hidden"))
    added = [k for k, (state, _, _) in stored.items() if state == "added"]
    sections: list[Section] = []
    numbers = []
    for number in range(1, _groups(prefill, stored) + 1):
        shown = _diagnosis_sections(prefill, stored, number)
        gone = group_key("diagnosis", number) in hidden
        if number > 1 and gone and all(s.is_empty for s in shown):
            continue  # a cancer the user said is not one, and nothing they wrote on it
        sections += shown
        numbers.append(number)
    for key, title, repeating, names, empty_text in TREATMENT_SHAPE:
        if repeating:
            row_keys = [r for r in prefill.rows if r.startswith(f"{key}.") and r not in hidden]
            row_keys += sorted((r for r in added if r.startswith(f"{key}.")), key=_row_number)
        else:
            row_keys = [key]
        rows = []
        for row_key in row_keys:
            fields = tuple(
                make_field(f"{row_key}.{n}", label, is_date, prefill.found.get(f"{row_key}.{n}"),
                           stored.get(f"{row_key}.{n}"))
                for n, label, is_date in names
            )  # fmt: skip
            rows.append(PictureRow(row_key, fields, row_key in added))
        sections.append(Section(key, title, tuple(rows), key in REPEATING, empty_text))
    return ClinicalPicture(person_id, tuple(sections), hidden, tuple(numbers))


def prefill(binder: Binder, person_id: int, read_new: bool = True) -> ClinicalPicture:
    """The picture as the records alone give it (no decision of the user applied)."""
    return apply(person_id, found_values(binder, person_id, read_new), {})


def clinical_picture(binder: Binder, person_id: int, read_new: bool = True) -> ClinicalPicture:
    """The person's clinical picture: the records as read (each report's reading is
    stored, so only new or changed reports are read), with what the user confirmed, chose
    or wrote kept.

    `read_new=False` on the window's own thread: it reads no report (the importer and the
    Overview's worker do), it uses what was read last."""
    found = found_values(binder, person_id, read_new)
    return apply(person_id, found, stored_decisions(binder, person_id))
