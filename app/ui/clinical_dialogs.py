"""The dialogs that add, change or remove an allergy or a health problem (condition).

Like the medications dialogs: each saves through app.records when its main button is pressed
and stays open, saying why, while the binder refuses a value (an empty name, a date that is
not one). Opened with `open()`, never `exec()`. Items brought in from a patient-portal file
are edited the same way: their codes are kept by the records layer and never shown here.
A choice the user leaves as it was keeps the stored word (a portal's "Severe", "remission").
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from app.records.allergies import (
    NOT_SURE,
    SEVERITIES,
    Allergy,
    add_allergy,
    delete_allergy,
    severity_word,
    update_allergy,
)
from app.records.conditions import (
    STATUSES,
    Condition,
    add_condition,
    check_dates,
    delete_condition,
    status_word,
    update_condition,
)
from app.ui.care_words import DATE_HINT, clean_partial_date
from app.ui.look import paragraph
from app.ui.saving_dialog import SavingDialog
from app.vault.binder import Binder

# What a hand-typed allergy is: one the person has now (FHIR's clinical status "active").
NEW_ALLERGY_STATUS = "active"


def _line(name: str, placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setAccessibleName(name)
    if placeholder:
        edit.setPlaceholderText(placeholder)
    return edit


def _notes(dialog: QWidget) -> QPlainTextEdit:
    notes = QPlainTextEdit()
    notes.setAccessibleName("Notes")
    notes.setTabChangesFocus(True)
    notes.setMaximumHeight(dialog.fontMetrics().lineSpacing() * 4)
    return notes


def _date(edit: QLineEdit, label: str) -> str | None:
    """The date typed, checked here so the message names the field as the form does."""
    try:
        return clean_partial_date(edit.text())
    except ValueError as exc:
        raise ValueError(f"{label}: {exc}") from None


def _name(edit: QLineEdit, missing: str) -> str:
    if not edit.text().strip():
        raise ValueError(missing)
    return edit.text()


def _choice(name: str, words: tuple[str, ...], chosen: str) -> QComboBox:
    box = QComboBox()
    box.setAccessibleName(name)
    for word in words:
        box.addItem(word.capitalize(), word)
    box.setCurrentIndex(max(0, box.findData(chosen)))
    return box


class ItemDialog(SavingDialog):
    """Add or edit one item; when editing, a Remove... button that asks first."""

    binder: Binder

    def __init__(
        self, title: str, item: Allergy | Condition | None, noun: str, parent: QWidget | None
    ) -> None:
        super().__init__(title, "Add" if item is None else "Save", parent)
        self.item = item
        self.noun = noun
        if item is not None:
            self.offer_removal(
                item, noun, item.name, "It will no longer be on the summary for your doctor."
            )

    def _from_portal_note(self) -> None:
        if self.item is not None and (self.item.codes or self.item.source_document_id):
            self.form.addRow(
                "", paragraph("This came from a patient-portal file. You can correct it here.")
            )

    def _delete(self, binder: Binder, item_id: int) -> None:
        raise NotImplementedError

    def remove_record(self) -> None:
        if self.item is not None:
            self._delete(self.binder, self.item.id)


class AllergyDialog(ItemDialog):
    """Add an allergy, or change or remove one already recorded."""

    def __init__(
        self,
        binder: Binder,
        person_id: int,
        allergy: Allergy | None = None,
        parent: QWidget | None = None,
    ) -> None:
        title = "Add an allergy" if allergy is None else f"Allergy: {allergy.name}"
        super().__init__(title, allergy, "allergy", parent)
        self.binder, self.person_id, self.allergy = binder, person_id, allergy
        self.name = _line("What you are allergic to", "for example penicillin, latex, peanuts")
        self.reaction = _line(
            "What happens (reaction)", "for example rash, swelling, trouble breathing"
        )
        self.severity = _choice(
            "How bad",
            (*SEVERITIES, NOT_SURE),
            severity_word(allergy.severity) if allergy else NOT_SURE,
        )
        self.since = _line("Since (date, optional)", DATE_HINT)
        self.notes = _notes(self)
        self.form.addRow("&What you are allergic to:", self.name)
        self.form.addRow("What &happens (reaction):", self.reaction)
        self.form.addRow("How &bad:", self.severity)
        self.form.addRow("&Since (date, optional):", self.since)
        self.form.addRow("&Notes:", self.notes)
        self.form.addRow(
            "", paragraph("Allergies are listed on the summary sheet for every doctor.")
        )
        if allergy is not None:
            self.name.setText(allergy.name)
            self.reaction.setText(allergy.reaction)
            self.since.setText(allergy.noted_date or "")
            self.notes.setPlainText(allergy.notes)
            self._from_portal_note()
        self.resize(540, self.sizeHint().height())

    def _severity(self) -> str:
        chosen = str(self.severity.currentData())
        if self.allergy is not None and chosen == severity_word(self.allergy.severity):
            return self.allergy.severity  # unchanged: keep the word as it was recorded
        return "" if chosen == NOT_SURE else chosen

    def values(self) -> dict[str, Any]:
        return {
            "name": _name(self.name, "Write what you are allergic to."),
            "reaction": self.reaction.text(),
            "severity": self._severity(),
            "noted": _date(self.since, "Since"),
            "status": self.allergy.status if self.allergy else NEW_ALLERGY_STATUS,
            "notes": self.notes.toPlainText(),
        }

    def work(self) -> Allergy:
        if self.allergy is None:
            return add_allergy(self.binder, self.person_id, **self.values())
        return update_allergy(self.binder, self.allergy.id, **self.values())

    def _delete(self, binder: Binder, item_id: int) -> None:
        delete_allergy(binder, item_id)


class ConditionDialog(ItemDialog):
    """Add a health problem (a condition or diagnosis), or change or remove one."""

    def __init__(
        self,
        binder: Binder,
        person_id: int,
        condition: Condition | None = None,
        parent: QWidget | None = None,
    ) -> None:
        title = "Add a health problem" if condition is None else f"Condition: {condition.name}"
        super().__init__(title, condition, "condition", parent)
        self.binder, self.person_id, self.condition = binder, person_id, condition
        self.name = _line("Condition", "for example high blood pressure, diabetes, asthma")
        self.since = _line("Since", DATE_HINT)
        self.ended = _line("Ended (if it has)", "leave empty if it has not")
        self.status = _choice(
            "Status", tuple(STATUSES), status_word(condition.status) if condition else "current"
        )
        self.notes = _notes(self)
        self.form.addRow("&Condition:", self.name)
        self.form.addRow("&Since:", self.since)
        self.form.addRow("&Ended (if it has):", self.ended)
        self.form.addRow("S&tatus:", self.status)
        self.form.addRow("&Notes:", self.notes)
        self.form.addRow(
            "",
            paragraph(
                "Current ones are listed on the summary sheet for every doctor. Dates can be "
                "partial: a month and year, or only a year."
            ),
        )
        if condition is not None:
            self.name.setText(condition.name)
            self.since.setText(condition.onset_date or "")
            self.ended.setText(condition.resolved_date or "")
            self.notes.setPlainText(condition.notes)
            self._from_portal_note()
        self.ended.textEdited.connect(self._ended_typed)
        self.resize(540, self.sizeHint().height())

    def _ended_typed(self, text: str) -> None:
        # An end date means it is over: say so, unless the user chose otherwise after.
        if text.strip() and self.status.currentData() == "current":
            self.status.setCurrentIndex(self.status.findData("past"))

    def _status(self) -> str:
        chosen = str(self.status.currentData())
        if self.condition is not None and chosen == status_word(self.condition.status):
            return self.condition.status  # unchanged: keep the word as it was recorded
        return STATUSES[chosen]

    def values(self) -> dict[str, Any]:
        return {
            "name": _name(self.name, "Write the name of the condition."),
            "onset": _date(self.since, "Since"),
            "resolved": _date(self.ended, "Ended"),
            "status": self._status(),
            "notes": self.notes.toPlainText(),
        }

    def work(self) -> Condition:
        values = self.values()
        check_dates(values["onset"], values["resolved"])
        if self.condition is None:
            return add_condition(self.binder, self.person_id, **values)
        return update_condition(self.binder, self.condition.id, **values)

    def _delete(self, binder: Binder, item_id: int) -> None:
        delete_condition(binder, item_id)
