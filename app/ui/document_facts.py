"""The editor for one document's facts, saved as the user types (or on Enter), with Undo.

Each change is one `QUndoCommand` on the page's `QUndoStack`; successive edits of the same
field of the same document merge into one step, so Ctrl+Z undoes a whole word, not a
letter. A value the binder refuses (a date that is not a date) is shown beside the field and
not saved.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QFocusEvent, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from app.records.documents import update_document
from app.records.errors import RecordsError
from app.records.models import Document, DocumentKind
from app.ui.care_widgets import debounced
from app.vault.binder import Binder

_TEXT_FIELDS = ("title", "date", "facility", "author")


def current_value(doc: Document, field: str) -> Any:
    value = getattr(doc, field)
    if field == "kind":
        return value.value
    if field == "date":
        return value or ""
    return value


class EditFact(QUndoCommand):
    """Set one fact of one document; undo puts the old value back."""

    ID = 4201

    def __init__(
        self,
        binder: Binder,
        doc_id: int,
        field: str,
        old: Any,
        new: Any,
        changed: Callable[[Document], None],
        already_done: bool = False,
    ) -> None:
        super().__init__(f"edit the {field.replace('_', ' ')}")
        self.binder, self.doc_id, self.field = binder, doc_id, field
        self.old, self.new = old, new
        self.changed = changed
        self._skip_redo = already_done

    def id(self) -> int:
        return self.ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, EditFact) or (other.doc_id, other.field) != (
            self.doc_id,
            self.field,
        ):
            return False
        self.new = other.new
        return True

    def _apply(self, value: Any) -> None:
        self.changed(update_document(self.binder, self.doc_id, **{self.field: value}))

    def redo(self) -> None:
        if self._skip_redo:
            self._skip_redo = False
            return
        self._apply(self.new)

    def undo(self) -> None:
        self._apply(self.old)


class NotesEdit(QPlainTextEdit):
    """A notes box that says when the user leaves it."""

    left = Signal()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.left.emit()


class FactsEditor(QWidget):
    """Kind, title, date, facility, author, notes, and "include in the bundle"."""

    def __init__(
        self,
        binder: Binder,
        undo_stack: QUndoStack,
        changed: Callable[[Document], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.binder = binder
        self.undo_stack = undo_stack
        self.changed = changed
        self.doc: Document | None = None
        self._loading = False
        self.kind = QComboBox()
        for kind in DocumentKind:
            self.kind.addItem(kind.label, kind.value)
        self.title = QLineEdit()
        self.date = QLineEdit()
        self.date.setPlaceholderText("for example 2024-03-15, 2024-03 or 2024")
        self.facility = QLineEdit()
        self.facility.setPlaceholderText("hospital, clinic or laboratory")
        self.author = QLineEdit()
        self.author.setPlaceholderText("the doctor who wrote or signed it")
        self.notes = NotesEdit()
        self.notes.setPlaceholderText("anything you want to remember about this document")
        self.notes.setTabChangesFocus(True)
        self.notes.setMaximumHeight(self.fontMetrics().lineSpacing() * 4)
        self.include = QCheckBox("Include in the second-opinion bundle")
        self.problem = QLabel("")
        self.problem.setWordWrap(True)
        self.problem.setAccessibleName("Problem with a value")
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("&Kind:", self.kind)
        form.addRow("&Title:", self.title)
        form.addRow("Date of &service:", self.date)
        form.addRow("&Facility:", self.facility)
        form.addRow("&Doctor or author:", self.author)
        form.addRow("&Notes:", self.notes)
        form.addRow("", self.include)
        form.addRow("", self.problem)
        names = {
            self.kind: "Kind of document",
            self.title: "Title",
            self.date: "Date of service",
            self.facility: "Facility",
            self.author: "Doctor or author",
            self.notes: "Notes",
            self.include: "Include in the second-opinion bundle",
        }
        for widget, name in names.items():
            widget.setAccessibleName(name)
        self._timers: dict[str, QTimer] = {}
        for field in _TEXT_FIELDS:
            edit: QLineEdit = getattr(self, field)
            timer = debounced(self, partial(self.save, field))
            self._timers[field] = timer
            edit.textEdited.connect(timer.start)
            edit.editingFinished.connect(lambda f=field: self.save(f))
        self.kind.activated.connect(lambda _index: self.save("kind"))
        self.include.toggled.connect(lambda _on: self.save("include_in_bundle"))
        self.notes.left.connect(lambda: self.save("notes"))
        self.show_document(None)

    def flush(self) -> None:
        """Save whatever was typed and not saved yet (before showing another document)."""
        for field in (*_TEXT_FIELDS, "notes", "kind", "include_in_bundle"):
            self.save(field)

    def show_document(self, doc: Document | None) -> None:
        """Fill the fields from `doc` (or empty and disable them)."""
        if self.doc is not None and (doc is None or doc.id != self.doc.id):
            self.flush()
        for timer in self._timers.values():
            timer.stop()
        self._loading = True
        self.doc = doc
        self.setEnabled(doc is not None)
        self.problem.setText("")
        if doc is None:
            for edit in (self.title, self.date, self.facility, self.author):
                edit.clear()
            self.notes.clear()
        else:
            self.kind.setCurrentIndex(max(0, self.kind.findData(doc.kind.value)))
            for field in _TEXT_FIELDS:
                line: QLineEdit = getattr(self, field)
                value = str(current_value(doc, field))
                if line.text() != value:
                    line.setText(value)
            if self.notes.toPlainText() != doc.notes:
                self.notes.setPlainText(doc.notes)
            self.include.setChecked(doc.include_in_bundle)
        self._loading = False

    def value_of(self, field: str) -> Any:
        if field == "kind":
            return self.kind.currentData()
        if field == "notes":
            return self.notes.toPlainText()
        if field == "include_in_bundle":
            return self.include.isChecked()
        edit: QLineEdit = getattr(self, field)
        return edit.text().strip()

    def save(self, field: str) -> None:
        """Save one field when it differs from the binder's value."""
        if self._loading or self.doc is None:
            return
        if field in self._timers:
            self._timers[field].stop()
        doc = self.doc
        old, new = current_value(doc, field), self.value_of(field)
        if old == new:
            return
        try:
            updated = update_document(self.binder, doc.id, **{field: new})
        except RecordsError as exc:
            self.problem.setText(str(exc))
            return
        self.problem.setText("")
        self.doc = updated
        self.undo_stack.push(
            EditFact(self.binder, doc.id, field, old, new, self.changed, already_done=True)
        )
        self.changed(updated)
