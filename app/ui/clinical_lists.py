"""The person's allergies and health problems (conditions), shown compactly inside a page.

`AllergiesStrip` sits at the top of the Medications page, where a doctor looks for
allergies: one line, "Allergies: Penicillin (rash, severe) · Latex", each name a link that
opens its dialog (change, or remove after a question), and "Add an allergy...". With none
recorded, a second button says "No known allergies"; that line is then a link that asks
before taking it back, and adding an allergy replaces it (the records layer does).
`ConditionsBox` sits on the Overview, the person at a glance: one line per health problem,
current ones first. With nothing recorded each says so plainly, never an empty box.

Every read and edit is one small query on the binder's own connection, on the UI thread,
like the Medications page.
"""

from __future__ import annotations

import contextlib
import html
from typing import Generic, TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.records.allergies import (
    Allergy,
    allergy_words,
    delete_allergy,
    get_allergy,
    is_no_known,
    list_allergies,
    record_no_known_allergies,
)
from app.records.conditions import Condition, get_condition, list_conditions, status_word
from app.records.errors import NotFound, RecordsError
from app.records.models import Person
from app.ui.care_words import partial_date
from app.ui.clinical_dialogs import AllergyDialog, ConditionDialog, ItemDialog
from app.ui.look import Notice, paragraph
from app.vault.binder import Binder

ItemT = TypeVar("ItemT", Allergy, Condition)

NO_ALLERGIES = (
    "No allergies recorded. Add any you have, or say there are none, so your doctor knows."
)
NO_KNOWN_BUTTON = "No known allergies"
NO_CONDITIONS = (
    "No other health problems recorded. Add them (for example high blood pressure, diabetes "
    "or an earlier illness) so they reach the summary for your doctor."
)


def _bold(label: QLabel) -> QLabel:
    font = QFont(label.font())
    font.setBold(True)
    label.setFont(font)
    return label


def _link(item_id: int, text: str) -> str:
    return f"<a href='{item_id}'>{html.escape(text)}</a>"


class _ItemList(QFrame, Generic[ItemT]):
    """A framed, compact list of one kind of item with an Add button; each item's name is a
    link to its dialog. Subclasses say how to read, show and edit their items."""

    changed = Signal()
    status_message = Signal(str)

    def __init__(self, binder: Binder, add_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.binder = binder
        self.person: Person | None = None
        self.items: list[ItemT] = []
        self.dialog: ItemDialog | None = None
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.text.setOpenExternalLinks(False)
        self.text.linkActivated.connect(lambda href: self.open_edit_dialog(int(href)))
        self.add_button = QPushButton(add_text + "...")
        self.add_button.setAccessibleName(add_text)
        self.add_button.clicked.connect(lambda: self.open_add_dialog())
        self.notice = Notice()

    # -- what each kind says -------------------------------------------------------------------

    def _read(self, person_id: int) -> list[ItemT]:
        raise NotImplementedError

    def _get(self, item_id: int) -> ItemT:
        raise NotImplementedError

    def _html(self, items: list[ItemT]) -> str:
        raise NotImplementedError

    def _dialog(self, item: ItemT | None) -> ItemDialog:
        raise NotImplementedError

    def _empty_text(self) -> str:
        raise NotImplementedError

    # -- showing -------------------------------------------------------------------------------

    def set_person(self, person: Person) -> None:
        self.person = person
        self.notice.hide()
        self.refresh()

    def refresh(self) -> None:
        self.items = self._read(self.person.id) if self.person is not None else []
        if self.items:
            self.text.setText(self._html(self.items))
        else:
            self.text.setText(html.escape(self._empty_text()))
        self.text.setAccessibleName(self.shown_text())

    def shown_text(self) -> str:
        """What the user reads, without the markup."""
        from PySide6.QtGui import QTextDocument

        document = QTextDocument()
        document.setHtml(self.text.text())
        return " ".join(document.toPlainText().split())

    # -- dialogs -------------------------------------------------------------------------------

    def open_add_dialog(self) -> ItemDialog | None:
        if self.person is None:
            return None
        return self._open(self._dialog(None))

    def open_edit_dialog(self, item_id: int) -> ItemDialog | None:
        try:
            item = self._get(item_id)
        except NotFound:
            self.refresh()  # removed meanwhile (another window, the command line)
            return None
        return self._open(self._dialog(item))

    def _open(self, dialog: ItemDialog) -> ItemDialog:
        adding = dialog.item is None
        dialog.saved.connect(
            lambda item: self._done(f"Added {item.name}." if adding else f"Saved {item.name}.")
        )
        dialog.removed.connect(lambda item: self._done(f"Removed {item.name}."))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _done(self, message: str) -> None:
        self.refresh()
        self.notice.show_message(message)
        self.status_message.emit(message)
        self.changed.emit()


class AllergiesStrip(_ItemList[Allergy]):
    """One line of allergies above the medications, in every view."""

    def __init__(self, binder: Binder, parent: QWidget | None = None) -> None:
        super().__init__(binder, "Add an allergy", parent)
        self.setAccessibleName("Allergies")
        self.title = _bold(QLabel("Allergies:"))
        # Everything at the top, the first line of words level with the button's words, so
        # a long list wraps under itself and the title stays beside its first line.
        pad = max(0, (self.add_button.sizeHint().height() - self.fontMetrics().height()) // 2)
        for label in (self.title, self.text):
            label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            label.setContentsMargins(0, pad, 0, 0)
        row = QHBoxLayout()
        row.setContentsMargins(10, 6, 6, 6)
        row.setSpacing(8)
        row.addWidget(self.title, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.text, 1)
        row.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignTop)
        # Only while nothing is recorded: "none" is an answer, and the doctor should see it.
        self.none_button = QPushButton(NO_KNOWN_BUTTON)
        self.none_button.setAccessibleName("Record that there are no known allergies")
        self.none_button.setToolTip(
            "Say there are no known allergies, so the summary tells your doctor so "
            "instead of asking."
        )
        self.none_button.clicked.connect(lambda: self.record_no_known())
        self.confirm: QMessageBox | None = None
        row.addWidget(self.none_button, 0, Qt.AlignmentFlag.AlignTop)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(0)
        box.addLayout(row)
        box.addWidget(self.notice)

    def _read(self, person_id: int) -> list[Allergy]:
        items = list_allergies(self.binder, person_id)
        # Real allergies win over an old "no known allergies" row, as on the summary.
        return [a for a in items if not is_no_known(a)] or items

    def _get(self, item_id: int) -> Allergy:
        return get_allergy(self.binder, item_id)

    def refresh(self) -> None:
        super().refresh()
        self.none_button.setVisible(self.person is not None and not self.items)

    def no_known(self) -> Allergy | None:
        """The "no known allergies" row shown, if that is what the line says."""
        return self.items[0] if self.items and is_no_known(self.items[0]) else None

    def _html(self, items: list[Allergy]) -> str:
        said = self.no_known()
        if said is not None:
            when = partial_date(said.noted_date)
            words = f"{NO_KNOWN_BUTTON} (recorded {when})" if when else NO_KNOWN_BUTTON
            return _link(said.id, words) + " <span>&nbsp; (choose it to take it back)</span>"
        parts = []
        for allergy in items:
            rest = allergy_words(allergy)[len(allergy.name) :]
            parts.append(_link(allergy.id, allergy.name) + html.escape(rest))
        return " · ".join(parts) + " <span>&nbsp; (choose a name to change or remove it)</span>"

    def _dialog(self, item: Allergy | None) -> ItemDialog:
        assert self.person is not None
        dialog = AllergyDialog(self.binder, self.person.id, item, parent=self)
        if item is None and self.no_known() is not None:
            dialog.form.addRow("", paragraph("Adding an allergy replaces “No known allergies”."))
        return dialog

    def _empty_text(self) -> str:
        return NO_ALLERGIES

    # -- "no known allergies" ------------------------------------------------------------------

    def record_no_known(self) -> None:
        if self.person is None:
            return
        try:
            record_no_known_allergies(self.binder, self.person.id)
        except RecordsError as exc:
            self.refresh()  # an allergy added meanwhile (another window, the command line)
            self.notice.show_message(str(exc))
            return
        self._done("Recorded: no known allergies. The summary for your doctor says so.")

    def open_edit_dialog(self, item_id: int) -> ItemDialog | None:
        said = self.no_known()
        if said is not None and said.id == item_id:
            self.ask_to_take_back(said)
            return None
        return super().open_edit_dialog(item_id)

    def ask_to_take_back(self, said: Allergy) -> QMessageBox:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Take back “no known allergies”?")
        box.setText("Take back “No known allergies”?")
        box.setInformativeText(
            "The summary will then say that no allergies are recorded, and ask your doctor "
            "to check with you."
        )
        take_back = box.addButton("Take it back", QMessageBox.ButtonRole.DestructiveRole)
        take_back.setAccessibleName("Yes, take back no known allergies")
        keep = box.addButton("Keep it", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.buttonClicked.connect(lambda button: self._take_back(said, button is take_back))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.confirm = box
        box.open()
        return box

    def _take_back(self, said: Allergy, yes: bool) -> None:
        self.confirm = None
        if not yes:
            return
        with contextlib.suppress(NotFound):  # already gone (another window, the command line)
            delete_allergy(self.binder, said.id)
        self._done("Took back “no known allergies”.")

    def names_shown(self) -> list[str]:
        """Each allergy as the line says it: "Penicillin (rash, severe)"."""
        return [allergy_words(a) for a in self.items]


def condition_words(condition: Condition) -> str:
    """The dates and the status in words: "since Mar 2019, current", "2019 to 2021, past"."""
    since, ended = partial_date(condition.onset_date), partial_date(condition.resolved_date)
    parts = []
    if since and since == ended:
        parts.append(f"in {since}")
    elif since and ended:
        parts.append(f"{since} to {ended}")
    elif since:
        parts.append(f"since {since}")
    elif ended:
        parts.append(f"ended {ended}")
    word = status_word(condition.status)
    parts.append("not sure if current" if word == "not sure" else word)
    return ", ".join(parts)


class ConditionsBox(_ItemList[Condition]):
    """The person's health problems, one per line, current ones first."""

    def __init__(self, binder: Binder, parent: QWidget | None = None) -> None:
        super().__init__(binder, "Add a health problem", parent)
        self.setAccessibleName("Health problems")
        self.title = _bold(QLabel("Health problems and diagnoses"))
        row = QHBoxLayout()
        row.addWidget(self.title, 1)
        row.addWidget(self.add_button)
        box = QVBoxLayout(self)
        box.setContentsMargins(10, 6, 6, 8)
        box.addLayout(row)
        box.addWidget(self.text)
        box.addWidget(self.notice)

    def _read(self, person_id: int) -> list[Condition]:
        items = list_conditions(self.binder, person_id)
        # Current (and unsure) first, as the summary lists them; past ones after.
        return sorted(items, key=lambda c: status_word(c.status) == "past")

    def _get(self, item_id: int) -> Condition:
        return get_condition(self.binder, item_id)

    def _html(self, items: list[Condition]) -> str:
        lines = [f"{_link(c.id, c.name)}: {html.escape(condition_words(c))}" for c in items]
        hint = "Choose a name to change or remove it. Current ones are on the summary sheet."
        return "<br>".join(lines) + f"<p style='margin-top:6px'>{html.escape(hint)}</p>"

    def _dialog(self, item: Condition | None) -> ItemDialog:
        assert self.person is not None
        return ConditionDialog(self.binder, self.person.id, item, parent=self)

    def _empty_text(self) -> str:
        return NO_CONDITIONS

    def names_shown(self) -> list[str]:
        return [c.name for c in self.items]
