"""The treatment summary tab of the second-opinion workspace: the clinical picture, every
value CareBinder found in the records, where it came from (a button opens the report or the
medicine), and whether the user checked it. The user confirms a value, chooses between two
records that disagree, writes their own, or lets it follow the records again; adds a
biomarker result, a surgery, medicine, radiation course or another cancer the records do not
show; takes out what is not part of it; prints it.

Reads app.records.picture on the UI thread (a few small queries: each report's reading is
stored); printing goes through the sheets dialog, which makes the PDF on a worker.

One room, though long: its rows, buttons and small dialogs all edit the one picture on
screen; the picture's rules live in app.records.picture.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial
from typing import TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QFontInfo
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.records.errors import RecordsError
from app.records.models import Person
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
    remove_row,
    reset_field,
    set_field,
    short_date,
    show_row,
)
from app.records.picture.model import BIOMARKERS, split_group
from app.ui.date_field import DateField
from app.ui.look import LARGE_TEXT_PIXELS, Notice, paragraph, scrolled
from app.vault.binder import Binder

T = TypeVar("T")
LONG_FIELDS = ("doses", "other", "text", "regimen", "note")
ADD_WORDS = {
    "surgery": "Add a surgery",
    "systemic": "Add a medicine",
    "radiation": "Add a radiation course",
}
# Shown even when empty, so the main facts of a cancer can always be written; the other
# details (margins, nodes, size...) when found, or on "Show every detail".
ALWAYS = {
    "diagnosis": ("site", "laterality", "histology", "grade", "date"),
    "stage": ("group", "clinical_t", "clinical_n", "clinical_m", "pathologic_t", "pathologic_n",
              "pathologic_m"),
}  # fmt: skip


class CorrectDialog(QDialog):
    """Write the value of one field; a date as people type dates."""

    def __init__(self, item: PictureField, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item = item
        self.setWindowTitle(f"Write: {item.label}")
        self.long = item.name in LONG_FIELDS
        self.editor: QLineEdit | QPlainTextEdit | DateField
        if item.is_date:
            self.editor = DateField(item.label)
            self.editor.set_value(item.value)
        elif self.long:
            self.editor = QPlainTextEdit(item.value)
            self.editor.setMinimumHeight(110)
            self.editor.setTabChangesFocus(True)  # Tab goes on to the buttons
        else:
            self.editor = QLineEdit(item.value)
        self.editor.setAccessibleName(item.label)
        hint = ""
        if item.found and item.found != item.value:
            found = short_date(item.found) if item.is_date else item.found
            hint += f" The records say: {found}"
        elif item.candidates and item.in_conflict:
            hint += " The records say: " + " or ".join(c.value for c in item.candidates)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addWidget(QLabel(f"{item.label}:"))
        box.addWidget(self.editor)
        if hint.strip():
            box.addWidget(paragraph(hint.strip()))
        box.addWidget(buttons)
        self.resize(520, 220 if self.long else 140)

    def text(self) -> str:
        if isinstance(self.editor, QPlainTextEdit):
            return self.editor.toPlainText()
        return self.editor.text()


class BiomarkerDialog(QDialog):
    """A biomarker or genetic result the records do not give: which one, and its result."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add a result")
        self.which = QComboBox()
        self.which.setEditable(True)
        self.which.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for name, label in BIOMARKERS.items():
            if name != "other":
                self.which.addItem(label, name)
        self.which.setCurrentIndex(-1)
        self.which.setAccessibleName("Which result")
        self.answer = QLineEdit()
        self.answer.setAccessibleName("The result")
        self.answer.setPlaceholderText("for example: positive (90%), not detected, 12%")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addWidget(QLabel("Which test (choose one, or write its name):"))
        box.addWidget(self.which)
        box.addWidget(QLabel("Its result, as the report says it:"))
        box.addWidget(self.answer)
        box.addWidget(buttons)
        self.resize(460, 170)

    def name(self) -> str:
        """The result's key ("her2"), or a key made of the name written."""
        typed = self.which.currentText().strip()
        index = self.which.findText(typed, Qt.MatchFlag.MatchFixedString)
        if index >= 0:
            return str(self.which.itemData(index))
        return re.sub(r"[^a-z0-9]+", "", typed.lower())[:24]


# A source's name is elided in the middle past this many characters (whole in the
# tooltip): fewer with large text, so the row still fits a 1280-pixel window.
SOURCE_CHARS = 44
SOURCE_CHARS_LARGE_TEXT = 30


def source_chars() -> int:
    """How many characters of a source's name to show, for the text size in use (the
    system's own, or the one CareBinder was given)."""
    pixels = QFontInfo(QApplication.font()).pixelSize()
    return SOURCE_CHARS_LARGE_TEXT if pixels >= LARGE_TEXT_PIXELS else SOURCE_CHARS


def _row_title(section: Section, row: PictureRow) -> str:
    if section.key == "surgery":
        what = row.value("procedure") or "Surgery"
        when = f", {short_date(row.value('date'))}" if row.value("date") else ""
        return f"{what}{when}"
    if section.key == "systemic":
        return row.value("drug") or "Medicine"
    site = row.value("site")
    return f"Radiation to the {site.lower()}" if site else "Radiation"


def _fields_to_show(row: PictureRow, every: bool) -> list[PictureField]:
    """A cancer's main facts always; the other details when there is something to say."""
    base, _ = split_group(row.key)
    said = [f for f in row.fields if f.value or f.in_conflict or f.state is not FieldState.EMPTY]
    if base == "biomarker":
        return said  # "Add a result..." writes one the records do not give
    if base in ALWAYS and not every:
        return [f for f in row.fields if f in said or f.name in ALWAYS[base]]
    return list(row.fields)


class TreatmentSummaryView(QWidget):
    open_document = Signal(int)
    open_medication = Signal(int)
    open_opinion = Signal(int)

    def __init__(self, binder: Binder, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.binder = binder
        self.person: Person | None = None
        self.summary: ClinicalPicture | None = None
        self.dialog: QDialog | None = None
        self.every_detail = False
        self.setAccessibleName("Treatment summary")
        self.intro = paragraph(
            "CareBinder filled this in from the reports and medicines in the binder. Check "
            "each value: confirm it when it is right, or write the right one. Where two "
            "reports disagree, choose the right one. What you confirm, choose or write is "
            "kept when the records change; the rest follows the records."
        )
        self.print_button = QPushButton("Print or save as PDF...")
        self.print_button.setAccessibleName("Print the treatment summary")
        self.print_button.clicked.connect(self.print_summary)
        self.details_button = QPushButton("Show every detail")
        self.details_button.setAccessibleName("Show every detail of the diagnosis and stage")
        self.details_button.setToolTip("Size, margins, lymph nodes and the other details")
        self.details_button.clicked.connect(self.toggle_details)
        self.count = QLabel("")
        self.count.setAccessibleName("How much is checked")
        self.notice = Notice()
        self.body = QWidget()
        self.body_layout = QVBoxLayout(self.body)
        self.body_layout.setSpacing(10)
        scroller = scrolled(self.body)
        self.scroller = scroller
        top = QHBoxLayout()
        top.addWidget(self.intro, 1)
        right = QVBoxLayout()
        right.addWidget(self.print_button)
        right.addWidget(self.details_button)
        right.addWidget(self.count, 0, Qt.AlignmentFlag.AlignRight)
        top.addLayout(right)
        box = QVBoxLayout(self)
        box.addLayout(top)
        box.addWidget(self.notice)
        box.addWidget(scroller, 1)

    # -- showing ------------------------------------------------------------------------------

    def set_person(self, person: Person) -> None:
        self.person = person
        self.notice.hide()
        self.refresh()

    def toggle_details(self) -> None:
        self.every_detail = not self.every_detail
        self.details_button.setText(
            "Show fewer details" if self.every_detail else "Show every detail"
        )
        self.refresh()

    def refresh(self) -> None:
        if self.person is None:
            return
        # As last read: the importer and the Overview's worker read the reports, not this thread.
        self.summary = clinical_picture(self.binder, self.person.id, read_new=False)
        while self.body_layout.count():
            taken = self.body_layout.takeAt(0)
            widget = taken.widget() if taken is not None else None
            if widget is not None:
                widget.hide()  # gone at once, not only once the event loop deletes it
                widget.setParent(None)
                widget.deleteLater()
        for section in self.summary.sections:
            self.body_layout.addWidget(self._section(section))
        self.body_layout.addStretch(1)
        fields = [f for f in self.summary.fields() if f.value or f.in_conflict]
        checked = sum(f.state.checked for f in fields)
        text = f"{checked} of {len(fields)} values checked"
        if conflicts := len(self.summary.conflicts()):
            text += f"; {conflicts} to settle"
        self.count.setText(text)
        self.count.setAccessibleName(self.count.text())

    def _section(self, section: Section) -> QGroupBox:
        group = QGroupBox(section.title)
        group.setAccessibleName(section.title)
        column = QVBoxLayout(group)
        if section.repeating:
            for each in section.rows:
                column.addWidget(self._row_frame(section, each))
        row = section.rows[0] if section.rows and not section.repeating else None
        if section.is_empty and not (section.repeating and section.rows):
            column.addWidget(paragraph(section.empty_text))
        if row is not None:
            # Empty too, so what the records do not say can be written.
            column.addLayout(self._grid(_fields_to_show(row, self.every_detail)))
        line = QHBoxLayout()
        line.addStretch(1)
        base, number = split_group(section.key)
        if section.repeating:
            self._add_button(line, ADD_WORDS[section.key], partial(self.add, section.key))
        elif base == "biomarkers":
            self._add_button(line, "Add a result", partial(self.add_result, section.rows[0].key))
        elif base == "diagnosis" and row is not None:
            if not section.is_empty or row.added_by_user:
                words = "Remove" if row.added_by_user else "Not a cancer diagnosis"
                out = QPushButton(words)
                out.setAccessibleName(f"{words}: {section.title}")
                out.setToolTip("Take this cancer out of the summary (the reports are not changed)")
                out.clicked.connect(lambda _c=False, key=row.key: self.take_out(key))
                line.addWidget(out)
            if number == 1:
                self._add_button(line, "Add another cancer", partial(self.add, "diagnosis"))
        if line.count() > 1:
            column.addLayout(line)
        return group

    def _add_button(self, line: QHBoxLayout, words: str, action: Callable[[], object]) -> None:
        add = QPushButton(words + "...")
        add.setAccessibleName(words)
        add.clicked.connect(lambda _c=False: action())
        line.addWidget(add)

    def _row_frame(self, section: Section, row: PictureRow) -> QFrame:
        frame = QFrame()
        frame.setFrameShape(QFrame.Shape.StyledPanel)
        column = QVBoxLayout(frame)
        title = QLabel(_row_title(section, row))
        font = QFont(title.font())
        font.setBold(True)
        title.setFont(font)
        out = QPushButton("Remove" if row.added_by_user else "Not part of the treatment")
        out.setAccessibleName(f"Take {title.text()} out of the summary")
        out.setToolTip("Take this row out of the summary (the record itself is not changed)")
        out.clicked.connect(lambda _c=False, key=row.key: self.take_out(key))
        line = QHBoxLayout()
        line.addWidget(title, 1)
        line.addWidget(out)
        column.addLayout(line)
        column.addLayout(self._grid(list(row.fields)))
        return frame

    def _grid(self, fields: list[PictureField]) -> QGridLayout:
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        # The same column widths in every section, so values line up down the page.
        width = self.fontMetrics().horizontalAdvance("Histology (type of cancer):")
        grid.setColumnMinimumWidth(0, width + 8)
        # Narrow enough for 1280 pixels with text at 150%: long source names are elided.
        grid.setColumnMinimumWidth(2, self.fontMetrics().averageCharWidth() * source_chars())
        grid.setColumnMinimumWidth(3, self.fontMetrics().averageCharWidth() * 18)
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(2, 2)
        for index, item in enumerate(fields):
            label = QLabel(f"{item.label}:")
            label.setWordWrap(True)
            label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            shown = item.value or "—"
            if item.value and item.is_date:
                shown = short_date(item.value)
            if item.in_conflict:
                shown = "To settle: " + " or ".join(c.value for c in item.candidates)
            value = QLabel(shown)
            value.setWordWrap(True)
            value.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setAccessibleName(f"{item.label}: {shown}")
            value.setObjectName(item.key)
            if item.in_conflict:
                bold = QFont(value.font())
                bold.setBold(True)
                value.setFont(bold)
            state = QLabel(self._state_words(item))
            state.setWordWrap(True)
            muted = QFont(state.font())
            muted.setItalic(item.state in (FieldState.FOUND, FieldState.CONFLICT))
            state.setFont(muted)
            where = QVBoxLayout()
            where.setSpacing(0)
            where.addWidget(state)
            if item.in_conflict:
                for number, candidate in enumerate(item.candidates, 1):
                    use = QPushButton(f"Use “{candidate.value}”")
                    use.setAccessibleName(f"Use {candidate.value} for {item.label}")
                    use.clicked.connect(lambda _c=False, k=item.key, n=number: self.choose(k, n))
                    where.addWidget(use)
                    for source in candidate.sources:
                        where.addWidget(self._source_button(source))
            else:
                for source in item.sources:
                    where.addWidget(self._source_button(source))
            actions = QHBoxLayout()
            if item.state is FieldState.FOUND:
                confirm = QPushButton("Confirm")
                confirm.setAccessibleName(f"Confirm {item.label}")
                confirm.clicked.connect(lambda _c=False, k=item.key: self.confirm(k))
                actions.addWidget(confirm)
            write = QPushButton("Correct..." if item.value else "Write...")
            write.setAccessibleName(f"Write {item.label}")
            write.clicked.connect(lambda _c=False, f=item: self.open_correct_dialog(f))
            actions.addWidget(write)
            if item.state.checked:
                undo = QPushButton("Use the records" if item.found or item.candidates else "Clear")
                undo.setAccessibleName(f"Let {item.label} follow the records")
                undo.setToolTip("Forget what you said: show what the records say")
                undo.clicked.connect(lambda _c=False, k=item.key: self.reset(k))
                actions.addWidget(undo)
            actions.addStretch(1)
            grid.addWidget(label, index, 0)
            grid.addWidget(value, index, 1)
            grid.addLayout(where, index, 2)
            grid.addLayout(actions, index, 3)
        return grid

    def _state_words(self, item: PictureField) -> str:
        if item.records_changed:
            found = short_date(item.found) if item.is_date else item.found
            now = found or " or ".join(c.value for c in item.candidates)
            return f"Checked by you; the records now say: {now}"
        if item.state is FieldState.EMPTY and not item.sources:
            return "Not in the records"
        return item.state.words

    def _source_button(self, source: Source) -> QPushButton:
        """A link-like button that opens the report, medicine or opinion."""
        button = QPushButton(self.fontMetrics().elidedText(
            source.label, Qt.TextElideMode.ElideMiddle,
            self.fontMetrics().averageCharWidth() * source_chars(),
        ))  # fmt: skip
        button.setFlat(True)
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        button.setStyleSheet(
            "QPushButton { text-decoration: underline; text-align: left; padding: 0 2px; }"
        )
        button.setAccessibleName(f"Open the source: {source.label}")
        button.setToolTip(f"Open where this value came from: {source.label}")
        button.clicked.connect(lambda _c=False, s=source: self.open_source(s))
        return button

    # -- actions ------------------------------------------------------------------------------

    def open_source(self, source: Source) -> None:
        if source.kind == "document":
            self.open_document.emit(source.id)
        elif source.kind == "medication":
            self.open_medication.emit(source.id)
        elif source.kind == "opinion":
            self.open_opinion.emit(source.id)

    def _change(self, work: Callable[[Binder, int], T]) -> tuple[int, T] | None:
        """Make one change for the person shown, then show the summary again: (their id, what
        the change returned). None when no one is shown or the records refuse the change (the
        notice then says why)."""
        if self.person is None:
            return None
        person_id = self.person.id
        try:
            result = work(self.binder, person_id)
        except RecordsError as exc:
            self.notice.show_message(str(exc))
            return None
        self.refresh()
        return person_id, result

    def _do(self, action: str, work: Callable[[Binder, int], object]) -> None:
        done = self._change(work)
        item = done[1] if done is not None else None
        if isinstance(item, PictureField):
            key = item.key
            self.notice.show_message(f"{action}: {item.label}.", "Undo", lambda: self.reset(key))

    def confirm(self, key: str) -> None:
        self._do("Confirmed", lambda b, p: confirm_field(b, p, key))

    def choose(self, key: str, number: int) -> None:
        self._do("Chosen", lambda b, p: choose_value(b, p, key, number))

    def reset(self, key: str) -> None:
        if self._change(lambda b, p: reset_field(b, p, key)) is not None:
            self.notice.hide()

    def open_correct_dialog(self, item: PictureField) -> CorrectDialog:
        dialog = CorrectDialog(item, self)
        dialog.accepted.connect(lambda: self.write(item.key, dialog.text()))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()
        return dialog

    def write(self, key: str, value: str) -> None:
        self._do("Saved your value", lambda b, p: set_field(b, p, key, value))

    def add_result(self, row_key: str) -> BiomarkerDialog:
        dialog = BiomarkerDialog(self)

        def save() -> None:
            name, result = dialog.name(), dialog.answer.text().strip()
            if name and result:
                self.write(f"{row_key}.{name}", result)

        dialog.accepted.connect(save)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()
        return dialog

    def add(self, section: str) -> None:
        done = self._change(lambda b, p: add_row(b, p, section))
        if done is None:
            return
        row = done[1]
        self.notice.show_message(
            "Added. Write each value with its Write... button.",
            "Undo",
            lambda: self.take_out(row.key),
        )

    def take_out(self, row_key: str) -> None:
        done = self._change(lambda b, p: remove_row(b, p, row_key))
        if done is not None and ".u" not in row_key:
            person_id = done[0]

            def back() -> None:
                show_row(self.binder, person_id, row_key)
                self.refresh()

            self.notice.show_message("Taken out of the summary.", "Undo", back)

    def print_summary(self) -> QDialog | None:
        if self.person is None:
            return None
        return open_sheet(self.binder, self.person, "treatment", self)


def open_sheet(binder: Binder, person: Person, which: str, parent: QWidget) -> QDialog:
    """The print-or-save dialog with this sheet chosen (shown without blocking)."""
    from app.ui.sheets_dialog import SheetsDialog

    dialog = SheetsDialog(binder, person, parent)
    dialog.which.setCurrentIndex(max(0, dialog.which.findData(which)))
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
