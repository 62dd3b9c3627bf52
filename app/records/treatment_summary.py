"""The treatment summary is the clinical picture shown section by section
(app.records.picture): this name stays for the screens and sheets that call it so."""

from __future__ import annotations

from app.records.picture import (
    ClinicalPicture,
    FieldState,
    PictureField,
    PictureRow,
    Section,
    Source,
    add_row,
    choose_value,
    clinical_picture,
    confirm_field,
    prefill,
    remove_row,
    reset_field,
    set_field,
    short_date,
    show_row,
)

# The names the summary's callers knew.
TreatmentSummary = ClinicalPicture
SummaryField = PictureField
SummaryRow = PictureRow
treatment_summary = clinical_picture

__all__ = [
    "FieldState",
    "Section",
    "Source",
    "SummaryField",
    "SummaryRow",
    "TreatmentSummary",
    "add_row",
    "choose_value",
    "confirm_field",
    "prefill",
    "remove_row",
    "reset_field",
    "set_field",
    "short_date",
    "show_row",
    "treatment_summary",
]
