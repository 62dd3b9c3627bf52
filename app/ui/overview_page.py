"""Overview: the person at a glance (who, their diagnosis and stage first, their other health
problems, how many documents of which kind, the latest ones) on the left, and the care
journey on the right, the whole height of the window, so it is never cut at the bottom of a
1280x800 screen.

The other places are one click away from here.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.records.date_display import shown_date
from app.records.documents import kind_counts, latest_date, list_documents
from app.records.models import Person
from app.ui.clinical_lists import ConditionsBox
from app.ui.diagnosis_box import DiagnosisBox
from app.ui.imaging_list import StudiesBox
from app.ui.look import heading, paragraph, scrolled
from app.ui.timeline_view import TimelineView
from app.vault.binder import Binder

RECENT = 6
ELSEWHERE = (
    ("Medications", "Every medicine, its dose and when it started, changed and stopped."),
    ("Appointments", "When, with whom, and the questions to ask before each visit."),
    ("Second opinion", "Which records a second-opinion doctor needs are here, and the bundle."),
)


class OverviewPage(QWidget):
    open_document = Signal(int)
    import_requested = Signal()
    place_requested = Signal(str)
    treatment_summary_requested = Signal()  # "Check it in the treatment summary"

    def __init__(self, binder: Binder, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.binder = binder
        self.person: Person | None = None
        self.setAccessibleName("Overview")
        self.name = heading("", 1.8)
        self.born = paragraph("")
        self.summary = paragraph("")
        # The cancer and its stage, first: what a second-opinion doctor asks first.
        self.diagnosis = DiagnosisBox(binder)
        self.diagnosis.check_requested.connect(self.treatment_summary_requested)
        # The person's other health problems, at a glance, where a patient looks first.
        self.conditions = ConditionsBox(binder)
        self.kinds = QGridLayout()
        self.kinds.setHorizontalSpacing(24)
        kinds_box = QGroupBox("Documents by kind")
        self.kinds_box = kinds_box
        kinds_box.setLayout(self.kinds)
        self.recent = QListWidget()
        self.recent.setAccessibleName("Latest documents")
        # A narrow column: long titles are elided in the middle (whole in the tooltip).
        self.recent.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.recent.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.recent.itemActivated.connect(
            lambda item: self.open_document.emit(item.data(Qt.ItemDataRole.UserRole))
        )
        recent_box = QGroupBox("Latest documents (double-click to open)")
        self.recent_box = recent_box  # hidden while there are none: no empty box
        recent_layout = QVBoxLayout(recent_box)
        recent_layout.addWidget(self.recent)
        recent_layout.addStretch(1)
        self.import_button = QPushButton("Import documents...")
        self.import_button.setAccessibleName("Import documents")
        self.import_button.clicked.connect(self.import_requested)
        column = QVBoxLayout()
        column.setSpacing(14)
        column.addWidget(self.name)
        column.addWidget(self.born)
        column.addWidget(self.diagnosis)
        column.addWidget(self.summary)
        column.addWidget(self.conditions)
        column.addWidget(recent_box)
        column.addWidget(kinds_box)
        # Imaging studies from discs, beside the documents (app/ui/imaging_list.py).
        self.studies = StudiesBox(binder, stacked=True)
        column.addWidget(self.studies)
        buttons = QHBoxLayout()
        buttons.addWidget(self.import_button)
        buttons.addStretch(1)
        column.addLayout(buttons)
        elsewhere = QGroupBox("Elsewhere")
        elsewhere_rows = QGridLayout(elsewhere)
        elsewhere_rows.setColumnStretch(0, 1)
        for row, (place, text) in enumerate(ELSEWHERE):
            elsewhere_rows.addWidget(paragraph(text), row, 0)
            button = QPushButton(f"Open {place}")
            button.setAccessibleName(f"Open {place}")
            button.clicked.connect(lambda _checked=False, p=place: self.place_requested.emit(p))
            elsewhere_rows.addWidget(button, row, 1)
        column.addWidget(elsewhere)
        self.timeline = TimelineView(binder)
        self._timeline_for: Person | None = None  # whose journey to fill when first seen
        self.timeline.open_document.connect(self.open_document)
        self.diagnosis.picture_ready.connect(self.timeline.set_picture)
        self.timeline.import_requested.connect(self.import_requested)
        journey = QGroupBox("Care journey")
        journey_layout = QVBoxLayout(journey)
        journey_layout.addWidget(self.timeline)
        # The story on one page, for the doctor: diagnosis, surgery, treatments as bars.
        self.print_timeline_button = QPushButton("Print timeline...")
        self.print_timeline_button.setAccessibleName("Print the one-page timeline")
        self.print_timeline_button.setToolTip(
            "One page with the diagnosis, surgeries, treatments, scans and opinions by date"
        )
        self.print_timeline_button.clicked.connect(self.print_timeline)
        print_row = QHBoxLayout()
        print_row.addStretch(1)
        print_row.addWidget(self.print_timeline_button)
        journey_layout.addLayout(print_row)
        self.backup_line = paragraph("")
        self.backup_line.setAccessibleName("When the binder was last backed up")
        column.addWidget(self.backup_line)
        column.addStretch(1)
        holder = QWidget()
        holder.setLayout(column)
        # Scrolls on a small screen or with large text, instead of forcing a tall window.
        scroller = scrolled(holder)
        outer = QHBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroller, 1)
        outer.addWidget(journey, 1)
        # With large text the left column keeps the width of its widest box (the health
        # problems' heading and button, the studies' buttons); the journey gives way.
        bar = scroller.verticalScrollBar().sizeHint().width()
        widest = max(box.minimumSizeHint().width() for box in (self.conditions, self.studies))
        scroller.setMinimumWidth(widest + bar + 24)

    def showEvent(self, event: QShowEvent) -> None:
        if self._timeline_for is not None:
            self.diagnosis.set_person(self._timeline_for)
            self.timeline.set_person(self._timeline_for)
            self._timeline_for = None
        super().showEvent(event)

    def print_timeline(self) -> QWidget | None:
        """The print-or-save dialog with the one-page timeline chosen."""
        from app.ui.treatment_summary_view import open_sheet

        if self.person is None:
            return None
        return open_sheet(self.binder, self.person, "timeline", self)

    def set_person(self, person: Person) -> None:
        self.person = person
        self.name.setText(person.name)
        self.born.setText(f"Born {shown_date(person.born)}" if person.born else "")
        self.born.setVisible(bool(person.born))
        self.refresh(person)

    def refresh(self, person: Person) -> None:
        # Counts from the binder and the few recent rows only: a binder of ten years holds
        # thousands of documents, and none of them needs to be read whole here.
        counts = kind_counts(self.binder, person.id)
        self.conditions.set_person(person)
        self.studies.set_person(person)  # a portal file may have brought some in
        docs = list_documents(self.binder, person.id, limit=RECENT)
        first = person.name.split()[0] if person.name.split() else person.name
        if docs:
            newest = latest_date(self.binder, person.id)
            latest = f", the latest from {shown_date(newest)}" if newest else ""
            count = sum(counts.values())
            self.summary.setText(
                f"{first}'s binder holds {count} document{'s' if count != 1 else ''}{latest}."
            )
        else:
            self.summary.setText(
                f"{first}'s binder has no documents yet. Import the reports and letters you "
                "have: drag them onto the window, or choose Import documents."
            )
        while self.kinds.count():
            taken = self.kinds.takeAt(0)
            widget = taken.widget() if taken is not None else None
            if widget is not None:
                widget.hide()  # deleted only when the event loop runs: never drawn again
                widget.deleteLater()
        # Two columns of kinds, so the box stays short.
        kinds = sorted(counts.items(), key=lambda kv: kv[0].label)
        half = (len(kinds) + 1) // 2
        for place, (kind, count) in enumerate(kinds):
            row, column = place % half, 2 * (place // half)
            self.kinds.addWidget(QLabel(kind.label), row, column)
            number = QLabel(str(count))
            number.setAlignment(Qt.AlignmentFlag.AlignRight)
            self.kinds.addWidget(number, row, column + 1)
        if not counts:
            self.kinds.addWidget(QLabel("None yet"), 0, 0)
        self.recent_box.setVisible(bool(docs))
        self.kinds_box.setVisible(bool(counts))
        self.print_timeline_button.setVisible(bool(docs) or self.timeline.has_events(person))
        self.recent.clear()
        for doc in docs[:RECENT]:
            item = QListWidgetItem(f"{shown_date(doc.date)}  ·  {doc.named}")
            item.setToolTip(item.text())
            item.setData(Qt.ItemDataRole.UserRole, doc.id)
            self.recent.addItem(item)
        # The diagnosis (the clinical picture, read on a worker) and the care journey (a line
        # per document, visit and medicine change of ten years) are filled when the page is
        # seen, not for a window opening on another page or a person chosen on one.
        if self.isVisible():
            self.diagnosis.set_person(person)
            self.timeline.set_person(person)
            self._timeline_for = None
        else:
            self._timeline_for = person
        self._show_last_backup()
        rows = max(1, self.recent.count())
        frame = self.recent.frameWidth() * 2
        self.recent.setFixedHeight(self.recent.sizeHintForRow(0) * rows + frame + 4)

    def _show_last_backup(self) -> None:
        from app.vault.backup import last_backup

        when = last_backup(self.binder)
        if when:
            self.backup_line.setText(f"Last backup: {shown_date(when[:10])}.")
        else:
            self.backup_line.setText(
                "No backup yet. File > Back up... keeps a copy of the whole binder on another "
                "disk, encrypted."
            )
