"""The clinical picture: one person's cancer (or cancers) and its treatment, in one place,
the one source of truth every screen and file reads.

For each cancer: site, side, type (histology), grade and its system, date of diagnosis,
size, margins, lymph nodes, lymphovascular invasion; clinical and pathological TNM, stage
group and AJCC edition; each biomarker with its result. Then the treatment (surgeries,
cancer medicines, radiation), side effects, the first symptom and the current plan.

Each value keeps its sources (a document with its title and date, a medicine, an opinion,
a procedure) and its state: found and not checked, in conflict (two records disagree),
confirmed, corrected or typed by the user.

- `model`: the shape, the states, the plain words ("Invasive ductal carcinoma of the left
  breast, stage IIA") every consumer uses;
- `readings`: each report read once (app.ingest.clinical), kept in the binder;
- `diagnoses`, `treatments`, `found`, `from_records`: what the records say, chosen across
  documents, conflicts kept;
- `build`: the picture, the user's decisions applied; `decisions`: those decisions.

docs/treatment-summary.md says what it holds, where each consumer reads it, and its limits.
"""

import importlib
from typing import TYPE_CHECKING, Any

from app.records.picture.model import (
    Candidate,
    ClinicalPicture,
    Diagnosis,
    FieldState,
    PictureField,
    PictureRow,
    Section,
    Source,
    biomarker_words,
    short_date,
)

if TYPE_CHECKING:
    from app.records.picture.build import clinical_picture, prefill
    from app.records.picture.decisions import (
        ADDABLE,
        add_row,
        choose_value,
        confirm_field,
        remove_row,
        reset_field,
        set_field,
        show_row,
    )

# `build` and `decisions` load when first asked for: the window's first screen needs the
# shape (`model`), not the report readers behind `build` (app.ingest.clinical), a tenth of a
# second of imports. (No submodule may share a name listed here: a submodule loaded later
# would take the name's place in this package.)
_LATER = {
    "build": ("clinical_picture", "prefill"),
    "decisions": (
        "ADDABLE",
        "add_row",
        "choose_value",
        "confirm_field",
        "remove_row",
        "reset_field",
        "set_field",
        "show_row",
    ),
}
_FROM = {name: module for module, names in _LATER.items() for name in names}


def __getattr__(name: str) -> Any:
    if name not in _FROM:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_FROM[name]}"), name)
    globals()[name] = value
    return value


__all__ = [
    "ADDABLE",
    "Candidate",
    "ClinicalPicture",
    "Diagnosis",
    "FieldState",
    "PictureField",
    "PictureRow",
    "Section",
    "Source",
    "add_row",
    "biomarker_words",
    "choose_value",
    "clinical_picture",
    "confirm_field",
    "prefill",
    "remove_row",
    "reset_field",
    "set_field",
    "short_date",
    "show_row",
]
