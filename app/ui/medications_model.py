"""The table of medications: one row per drug, with its current dose and its dates."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from app.records.medications import Medication
from app.ui.care_words import partial_date

COL_NAME, COL_DOSE, COL_HOW_OFTEN, COL_WHY, COL_BY, COL_STARTED, COL_STOPPED = range(7)
HEADERS = ("Drug", "Current dose", "How often", "Why", "Prescribed by", "Started", "Stopped")
MEDICATION_ROLE = Qt.ItemDataRole.UserRole
SORT_ROLE = Qt.ItemDataRole.UserRole + 1

_Index = QModelIndex | QPersistentModelIndex


def stopped_words(med: Medication) -> str:
    if med.stop_date is None:
        return "Still taking"
    if med.still_taking:
        return f"Until {partial_date(med.stop_date)}"
    return partial_date(med.stop_date)


class MedicationTableModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self._meds: list[Medication] = []

    def set_medications(self, meds: list[Medication]) -> None:
        self.beginResetModel()
        self._meds = list(meds)
        self.endResetModel()

    def medications(self) -> list[Medication]:
        return list(self._meds)

    def row_of(self, med_id: int) -> int:
        return next((i for i, m in enumerate(self._meds) if m.id == med_id), -1)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._meds)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        med = self._meds[index.row()]
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
                COL_STARTED: partial_date(med.start_date, "Not known"),
                COL_STOPPED: stopped_words(med),
            }[column]
        return None
