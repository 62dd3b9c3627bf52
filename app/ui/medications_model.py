"""The table of medications: one row per drug, with its current dose and its dates."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from app.records.date_display import shown_date
from app.records.medications import Medication
from app.ui.record_table import RecordTableModel

COL_NAME, COL_DOSE, COL_HOW_OFTEN, COL_WHY, COL_BY, COL_STARTED, COL_STOPPED = range(7)
HEADERS = ("Drug", "Current dose", "How often", "Why", "Prescribed by", "Started", "Stopped")
MEDICATION_ROLE = Qt.ItemDataRole.UserRole
SORT_ROLE = Qt.ItemDataRole.UserRole + 1

_Index = QModelIndex | QPersistentModelIndex


def stopped_words(med: Medication) -> str:
    if med.stop_date is None:
        return "Still taking"
    if med.still_taking:
        return f"Until {shown_date(med.stop_date)}"
    return shown_date(med.stop_date)


class MedicationTableModel(RecordTableModel):
    headers = HEADERS

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[Medication] = []

    def set_medications(self, meds: list[Medication]) -> None:
        self.beginResetModel()
        self._rows = list(meds)
        self.endResetModel()

    def medications(self) -> list[Medication]:
        return list(self._rows)

    def row_of(self, med_id: int) -> int:
        return next((i for i, m in enumerate(self._rows) if m.id == med_id), -1)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        med = self._rows[index.row()]
        column = index.column()
        if role == MEDICATION_ROLE:
            return med
        if role == SORT_ROLE:
            if column == COL_STARTED:
                return med.start_date or "9999"
            if column == COL_STOPPED:
                return med.stop_date or "9999"
            return str(self.data(index)).casefold()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return {
                COL_NAME: med.name,
                COL_DOSE: med.current_dose,
                COL_HOW_OFTEN: med.current_how_often,
                COL_WHY: med.purpose,
                COL_BY: med.prescriber or "",
                COL_STARTED: shown_date(med.start_date, "Not known"),
                COL_STOPPED: stopped_words(med),
            }[column]
        return None
