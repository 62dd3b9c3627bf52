"""What I shared: every bundle and sheet given to a doctor, newest first, to answer "what
did I give Dr. X?", with "Make this bundle again" (the same records, the same things left
out; the export dialog opens so the user chooses where, and a password again)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.export.redaction import Redaction
from app.records.date_display import shown_date
from app.records.errors import RecordsError
from app.records.models import Person
from app.records.share_log import ShareEntry, doctors_shared_with, list_shares
from app.ui.look import EmptyState
from app.vault.binder import Binder

ALL_DOCTORS = "Everyone"
EMPTY = (
    "Each bundle you prepare and each sheet you print or save is listed here, so you can "
    "see what every doctor has been given."
)


def when_words(iso: str) -> str:
    moment = datetime.fromisoformat(iso).astimezone()
    return f"{shown_date(moment.date())}, {moment:%H:%M}"


def entry_line(entry: ShareEntry) -> str:
    who = entry.for_doctor or "no doctor named"
    if entry.is_bundle:
        count = len(entry.documents)
        what = f"Bundle of {count} record{'s' if count != 1 else ''}"
    else:
        sheet = str(entry.options.get("sheet", "")).capitalize() or "A"
        what = f"{sheet} sheet, {'printed' if entry.what.endswith('printed') else 'saved'}"
    return f"{when_words(entry.shared_at)}  ·  {who}  ·  {what}"


def entry_details(entry: ShareEntry) -> str:
    """The details in plain words (rich text for a QLabel)."""
    from html import escape

    lines = [f"<b>{escape(entry_line(entry))}</b>"]
    if entry.target:
        lines.append(f"Saved to {escape(entry.target)}")
    if entry.is_bundle:
        lines.append("Protected with a password." if entry.password_protected else "No password.")
    left_out = Redaction.from_json(entry.options.get("redaction")).words()
    lines.append(f"Left out: {escape(left_out)}.")
    if entry.documents:
        lines.append("Records:")
        lines += [
            f"&nbsp;&nbsp;• {escape(d.date or 'undated')} {escape(d.title)}"
            for d in entry.documents
        ]
    return "<br>".join(lines)


class SharedView(QWidget):
    changed = Signal()
    prepare_requested = Signal()  # "Prepare the bundle..." while nothing was shared

    def __init__(self, binder: Binder, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.binder = binder
        self.person: Person | None = None
        self.entries: list[ShareEntry] = []
        self.setAccessibleName("What I shared")
        self.doctor = QComboBox()
        self.doctor.setAccessibleName("Shared with which doctor")
        self.doctor.currentIndexChanged.connect(self._fill)
        self.list = QListWidget()
        self.list.setAccessibleName("Bundles and sheets shared")
        self.list.currentRowChanged.connect(self._show)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.details.setAccessibleName("What was in it")
        self.empty = EmptyState(
            "Nothing shared yet", EMPTY, action_text="Prepare the bundle...",
            action=self.prepare_requested.emit,
        )  # fmt: skip
        self.again = QPushButton("Make this bundle again...")
        self.again.setAccessibleName("Make this bundle again")
        self.again.clicked.connect(self.make_again)
        self.message = QLabel()
        self.message.setWordWrap(True)

        self.top = QWidget()
        top = QHBoxLayout(self.top)
        top.setContentsMargins(0, 0, 0, 0)
        given_to = QLabel("&Given to:")
        given_to.setBuddy(self.doctor)
        top.addWidget(given_to)
        top.addWidget(self.doctor, 1)
        top.addStretch(2)
        right = QVBoxLayout()
        right.addWidget(self.details, 1)
        right.addWidget(self.message)
        right.addWidget(self.again, 0, Qt.AlignmentFlag.AlignLeft)
        body = QHBoxLayout()
        body.addWidget(self.list, 3)
        body.addLayout(right, 2)
        box = QVBoxLayout(self)
        box.addWidget(self.top)
        box.addWidget(self.empty, 1)
        box.addLayout(body, 1)

    def set_person(self, person: Person) -> None:
        self.person = person
        self.refresh()

    def refresh(self) -> None:
        if self.person is None:
            return
        chosen = self.doctor.currentText()
        self.doctor.blockSignals(True)
        self.doctor.clear()
        self.doctor.addItem(ALL_DOCTORS)
        self.doctor.addItems(doctors_shared_with(self.binder, self.person.id))
        index = self.doctor.findText(chosen)
        self.doctor.setCurrentIndex(max(index, 0))
        self.doctor.blockSignals(False)
        self._fill()

    def _fill(self) -> None:
        if self.person is None:
            return
        who = self.doctor.currentText()
        wanted = None if who in ("", ALL_DOCTORS) else who
        self.entries = [
            e
            for e in list_shares(self.binder, self.person.id)
            if wanted is None or e.for_doctor == wanted
        ]
        self.list.clear()
        for entry in self.entries:
            item = QListWidgetItem(entry_line(entry))
            item.setData(Qt.ItemDataRole.UserRole, entry.id)
            self.list.addItem(item)
        nothing = not self.entries
        self.empty.setVisible(nothing)
        # "Given to: Everyone" means nothing before anything was given to anyone.
        self.top.setVisible(self.doctor.count() > 1 or not nothing)
        self.list.setVisible(not nothing)
        self.details.setVisible(not nothing)
        self.again.setVisible(not nothing)
        self.message.clear()
        if self.entries:
            self.list.setCurrentRow(0)

    def current(self) -> ShareEntry | None:
        row = self.list.currentRow()
        return self.entries[row] if 0 <= row < len(self.entries) else None

    def _show(self, _row: int) -> None:
        entry = self.current()
        self.message.clear()
        if entry is None:
            self.details.clear()
            self.again.setEnabled(False)
            return
        self.details.setText(entry_details(entry))
        self.again.setEnabled(entry.is_bundle)

    def make_again(self) -> QWidget | None:
        """Open the export dialog with the logged choices; returns it (for tests)."""
        from app.export.share import changed_since, options_again
        from app.ui.export_dialog import ExportDialog

        entry = self.current()
        if entry is None or self.person is None:
            return None
        try:
            options = options_again(entry)
        except RecordsError as exc:
            self.message.setText(str(exc))
            return None
        problems = changed_since(self.binder, entry)
        dialog = ExportDialog(
            self.binder,
            self.person,
            list(options.document_ids or ()),
            options.for_doctor or "",
            self,
            redaction=options.redaction,
        )
        if entry.password_protected:
            dialog.protect.setChecked(True)
        if problems:
            dialog.message.setText("Since then: " + " ".join(problems))
        dialog.accepted.connect(self.refresh)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog
