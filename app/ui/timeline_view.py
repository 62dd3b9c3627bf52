"""The care journey in date order, for the Overview page: the cancer's diagnosis, surgeries
and lines of treatment (from the clinical picture), documents, appointments, medicine
starts, stops and dose changes, and opinions, with a tick box per kind to narrow it down.

Reads app.records.timeline on the UI thread (a few small queries); the clinical picture is
given by the Overview once its worker has read it (`set_picture`). Double-clicking a line
of a document (or of the diagnosis or a surgery, when a report gives it) asks to open it.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QGridLayout,
    QLabel,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.records.date_display import shown_date
from app.records.models import Person
from app.records.picture import ClinicalPicture
from app.records.timeline import EventCategory, TimelineEvent, timeline
from app.ui.column_fit import fit_columns
from app.ui.look import EmptyState
from app.vault.binder import Binder

# One word per line of the list: what kind of event it is (the filter boxes use the plurals).
KIND_WORDS = {
    EventCategory.CANCER: "Cancer care",
    EventCategory.DOCUMENT: "Document",
    EventCategory.APPOINTMENT: "Appointment",
    EventCategory.MEDICATION: "Medicine",
    EventCategory.OPINION: "Opinion",
}
COL_DATE, COL_KIND, COL_TITLE, COL_DETAIL = range(4)
EVENT_ROLE = Qt.ItemDataRole.UserRole


class TimelineView(QWidget):
    open_document = Signal(int)
    import_requested = Signal()  # "Import documents..." while the journey is empty

    def __init__(self, binder: Binder, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.binder = binder
        self.person: Person | None = None
        self.picture: ClinicalPicture | None = None
        self.today_item: QTreeWidgetItem | None = None
        self.setAccessibleName("Care journey")

        self.filters: dict[EventCategory, QCheckBox] = {}
        # Two ticks a row, the long "Diagnosis and treatment" on a row of its own: the
        # journey's column stays narrow enough for a 1280-pixel window with large text.
        filter_row = QGridLayout()
        show = QLabel("Show:")
        filter_row.addWidget(show, 0, 0)
        cancer = EventCategory.CANCER
        others = [c for c in EventCategory if c is not cancer]
        for category in [cancer, *others]:
            box = QCheckBox(category.label)
            box.setChecked(True)
            box.setAccessibleName(f"Show {category.label.lower()}")
            box.toggled.connect(lambda _on: self.refresh())
            self.filters[category] = box
        filter_row.addWidget(self.filters[cancer], 0, 1, 1, 2)
        for place, category in enumerate(others):
            filter_row.addWidget(self.filters[category], 1 + place // 2, 1 + place % 2)
        filter_row.setColumnStretch(3, 1)

        self.list = QTreeWidget()
        self.list.setAccessibleName("Care journey by date")
        self.list.setColumnCount(4)
        self.list.setHeaderLabels(["Date", "Kind", "What happened", "Details"])
        self.list.setRootIsDecorated(False)
        self.list.setAlternatingRowColors(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # Rows as tall as their words: a long recommendation wraps rather than being cut.
        self.list.setUniformRowHeights(False)
        self.list.setStyleSheet("QTreeWidget::item { padding: 3px 2px; }")  # room to read
        self.list.itemActivated.connect(self._activated)
        self.list.setMinimumHeight(self.fontMetrics().lineSpacing() * 12)
        # The kind of each line can be spared when the column is narrow (large text): the
        # words say it too ("Started ...", "Opinion of ...", "Imaging report, ...").
        self.columns = fit_columns(
            self.list, wrap=(COL_DATE, COL_KIND, COL_TITLE, COL_DETAIL), spare=(COL_KIND,)
        )
        # No events: one sentence and one button where the list would be an empty box.
        self.empty = EmptyState("", "")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.list)
        self.stack.addWidget(self.empty)

        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(filter_row)
        column.addWidget(self.stack, 1)

    def set_person(self, person: Person) -> None:
        self.person = person
        self.refresh()

    def set_picture(self, picture: ClinicalPicture) -> None:
        """A person's clinical picture, read elsewhere: its story joins their journey (now,
        or when they are shown)."""
        self.picture = picture
        if self.person is not None and picture.person_id == self.person.id:
            self.refresh()

    def chosen_categories(self) -> set[EventCategory]:
        return {category for category, box in self.filters.items() if box.isChecked()}

    def refresh(self) -> None:
        self.list.clear()
        self.today_item = None
        if self.person is None:
            return
        chosen = self.chosen_categories()
        picture = (
            self.picture if self.picture and self.picture.person_id == self.person.id else None
        )
        events = timeline(self.binder, self.person.id, chosen, picture) if chosen else []
        today = date.today().isoformat()
        divider: QTreeWidgetItem | None = None
        items: list[QTreeWidgetItem] = []
        for event in events:
            if divider is None and event.date > today:
                divider = self._today_line()
                items.append(divider)
            item = QTreeWidgetItem(
                [shown_date(event.date), KIND_WORDS[event.category], event.title, event.detail]
            )
            item.setData(COL_DATE, EVENT_ROLE, event)
            item.setToolTip(COL_TITLE, f"{event.title}\n{event.detail}".strip())
            if event.date > today:
                # What is still to come reads apart from what happened, in words as well.
                font = QFont(item.font(COL_TITLE))
                font.setItalic(True)
                for column in range(4):
                    item.setFont(column, font)
            items.append(item)
        # All at once: one insertion for the view to lay out, not one per line of ten years.
        self.list.addTopLevelItems(items)
        self.today_item = divider
        self._scroll_to_present()
        if not chosen:
            self.empty.set_text("Nothing ticked", "Tick one of the kinds above.", "")
        elif self._nothing_at_all():
            self.empty.set_text(
                "The care journey starts here",
                "Each document, visit, medicine and opinion takes its place here by date, "
                "starting with the papers you import.",
                "Import documents...",
                self.import_requested.emit,
            )
        else:
            self.empty.set_text("Nothing of these kinds yet", "Tick the other kinds too.", "")
        self.stack.setCurrentWidget(self.list if events else self.empty)

    def _nothing_at_all(self) -> bool:
        return self.person is None or not timeline(self.binder, self.person.id)

    def has_events(self, person: Person | None = None) -> bool:
        """Whether the person (the one shown, by default) has anything on the journey."""
        who = person or self.person
        return who is not None and bool(timeline(self.binder, who.id))

    def _scroll_to_present(self) -> None:
        """Open on the present (recent past above, what is coming below), not on 2019."""
        if self.today_item is not None:
            self.list.scrollToItem(self.today_item, QAbstractItemView.ScrollHint.PositionAtCenter)
        else:
            self.list.scrollToBottom()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # The list has its real height only once laid out: scroll after that.
        QTimer.singleShot(0, self._scroll_to_present)

    def _today_line(self) -> QTreeWidgetItem:
        """Where the past ends: what follows is still to come."""
        item = QTreeWidgetItem([shown_date(date.today().isoformat()), "Today", "Still to come:"])
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        font = QFont(item.font(COL_DATE))
        font.setBold(True)
        for column in range(4):
            item.setFont(column, font)
        return item

    def shown_events(self) -> list[TimelineEvent]:
        items = (self.list.topLevelItem(row) for row in range(self.list.topLevelItemCount()))
        shown = [item.data(COL_DATE, EVENT_ROLE) for item in items if item is not None]
        return [event for event in shown if isinstance(event, TimelineEvent)]

    def _activated(self, item: QTreeWidgetItem, _column: int) -> None:
        event = item.data(COL_DATE, EVENT_ROLE)
        if not isinstance(event, TimelineEvent):
            return
        if event.category is EventCategory.DOCUMENT or (
            event.category is EventCategory.CANCER and event.ref_id
        ):
            self.open_document.emit(event.ref_id)
