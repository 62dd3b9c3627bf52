"""The records-requests tracker: what was asked of which office, when and how, and whether
it arrived. A request waiting longer than usual says so in words ("waiting 3 weeks"), in
bold, never in red.
"""

from __future__ import annotations

from datetime import date
from typing import TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.records.dates import earliest
from app.records.errors import RecordsError
from app.records.records_requests import (
    RecordsRequest,
    RequestStatus,
    delete_request,
    items_words,
    list_requests,
    mark_requested,
)
from app.ui.care_words import partial_date
from app.ui.look import Notice, paragraph
from app.ui.record_table import show_as_list
from app.ui.records_request_dialogs import ReceivedDialog, RequestDialog
from app.vault.binder import Binder

COLUMNS = ("Office or hospital", "What", "Asked on", "How", "Status")
COL_FACILITY, COL_WHAT, COL_ASKED, COL_HOW, COL_STATUS = range(5)
REQUEST_ROLE = Qt.ItemDataRole.UserRole
_Dialog = TypeVar("_Dialog", RequestDialog, ReceivedDialog)


def waiting_words(request: RecordsRequest, today: date | None = None) -> str:
    """'asked 5 days ago', 'waiting 3 weeks': how long an open request has been waiting."""
    if request.status is not RequestStatus.REQUESTED or not request.requested_on:
        return ""
    days = ((today or date.today()) - earliest(request.requested_on)).days
    if days <= 0:
        return "asked today"
    if days < 14:
        return f"asked {days} day{'s' if days != 1 else ''} ago"
    weeks = days // 7
    if weeks < 9:
        return f"waiting {weeks} weeks"
    return f"waiting {days // 30} months"


def what_words(request: RecordsRequest) -> str:
    """What was asked for; for slides, blocks or a disc, which and the case number."""
    if not request.physical:
        return request.what
    items = items_words(request.items)
    items = items[:1].upper() + items[1:]
    case = f", case {request.case_number}" if request.case_number else ""
    asked = f"{request.what} ({items}{case})" if request.what else f"{items}{case}"
    if request.ship_to:
        asked += f", to {request.ship_to}"
    return asked


def courier_words(request: RecordsRequest) -> str:
    """'sent 3 May 2026, tracking 1Z999 · must go back': where physical items stand."""
    words = []
    if request.sent_on:
        tracking = f", tracking {request.tracking}" if request.tracking else ""
        words.append(f"sent {partial_date(request.sent_on)}{tracking}")
    if request.return_needed:
        back = request.returned_on
        words.append(f"returned {partial_date(back)}" if back else "must go back to the lab")
    return " · ".join(words)


def status_words(request: RecordsRequest, today: date | None = None) -> str:
    courier = courier_words(request) if request.physical else ""
    if courier:
        return f"{_status_words(request, today)} · {courier}"
    return _status_words(request, today)


def _status_words(request: RecordsRequest, today: date | None = None) -> str:
    if request.physical and request.sent_on and request.status is RequestStatus.REQUESTED:
        return "➜ On its way"
    if request.status is RequestStatus.RECEIVED:
        when = f" {partial_date(request.received_on)}" if request.received_on else ""
        count = len(request.document_ids)
        docs = f" · {count} document{'s' if count != 1 else ''}" if count else ""
        return f"✓ Received{when}{docs}"
    if request.status is RequestStatus.REQUESTED:
        waiting = waiting_words(request, today)
        nudge = ": a call may help" if request.is_overdue(today) else ""
        return f"◷ Requested, {waiting}{nudge}" if waiting else "◷ Requested"
    if request.status is RequestStatus.REFUSED:
        return "— Refused"
    return "○ To request"


class RecordsRequestsView(QWidget):
    changed = Signal()  # a request was added or changed: the checklist may change too

    def __init__(self, binder: Binder, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.binder = binder
        self.person_id: int | None = None
        self.requests: list[RecordsRequest] = []
        self.setAccessibleName("Records requests")

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        show_as_list(self.table, "Records requests", wrap_words=True)
        self.table.doubleClicked.connect(lambda _index: self.open_edit_dialog())
        self.table.itemSelectionChanged.connect(self._update_buttons)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_WHAT, QHeaderView.ResizeMode.Stretch)

        self.add_button = QPushButton("Ask for records...")
        self.edit_button = QPushButton("Edit...")
        self.requested_button = QPushButton("Asked today")
        self.received_button = QPushButton("Mark received...")
        self.delete_button = QPushButton("Remove")
        self.letter_button = QPushButton("Write the letter...")
        self.letter_button.clicked.connect(self.open_letter_dialog)
        for button, name in (
            (self.letter_button, "Write a letter asking for the chosen records"),
            (self.add_button, "Add a records request"),
            (self.edit_button, "Edit the chosen request"),
            (self.requested_button, "Mark the chosen request as asked today"),
            (self.received_button, "Mark the chosen request as received"),
            (self.delete_button, "Remove the chosen request"),
        ):
            button.setAccessibleName(name)
        self.add_button.clicked.connect(lambda: self.open_add_dialog())
        self.edit_button.clicked.connect(self.open_edit_dialog)
        self.requested_button.clicked.connect(self.mark_asked_today)
        self.received_button.clicked.connect(self.open_received_dialog)
        self.delete_button.clicked.connect(self.delete_selected)
        self.notice = Notice()

        buttons = QHBoxLayout()
        for button in (
            self.add_button,
            self.edit_button,
            self.requested_button,
            self.received_button,
            self.letter_button,
            self.delete_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        box = QVBoxLayout(self)
        box.addWidget(
            paragraph(
                "Records come from the doctor's office or the hospital's records department, "
                "and you usually have to ask for them. Keep track here of what you asked for "
                "and what has arrived."
            )
        )
        box.addWidget(self.notice)
        box.addLayout(buttons)
        box.addWidget(self.table, 1)
        self.dialog: RequestDialog | ReceivedDialog | None = None
        self._update_buttons()

    def set_person(self, person_id: int) -> None:
        self.person_id = person_id
        self.notice.hide()
        self.refresh()

    def refresh(self, select_id: int | None = None) -> None:
        if self.person_id is None:
            return
        selected = self.selected_request()
        wanted = select_id if select_id is not None else (selected.id if selected else None)
        self.requests = list_requests(self.binder, self.person_id)
        self.table.setRowCount(len(self.requests))
        for row, request in enumerate(self.requests):
            asked = partial_date(request.requested_on, "Not yet")
            cells = (
                request.facility,
                what_words(request),
                asked,
                request.method,
                status_words(request),
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(REQUEST_ROLE, request.id)
                if column == COL_FACILITY and request.department:
                    item.setToolTip(f"{request.facility}, {request.department}")
                if request.is_overdue():
                    # Stands out by weight and by its words, not by an alarming colour.
                    font = QFont(item.font())
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(row, column, item)
            if request.id == wanted:
                self.table.selectRow(row)
        self._update_buttons()

    def status_text(self, request_id: int) -> str:
        for row, request in enumerate(self.requests):
            item = self.table.item(row, COL_STATUS)
            if request.id == request_id and item is not None:
                return item.text()
        raise KeyError(request_id)

    def selected_request(self) -> RecordsRequest | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or rows[0].row() >= len(self.requests):
            return None
        return self.requests[rows[0].row()]

    def select(self, request_id: int) -> None:
        self.refresh(select_id=request_id)

    def _update_buttons(self) -> None:
        request = self.selected_request()
        self.edit_button.setEnabled(request is not None)
        self.delete_button.setEnabled(request is not None)
        self.letter_button.setEnabled(request is not None)
        self.requested_button.setEnabled(
            request is not None and request.status is RequestStatus.TO_REQUEST
        )
        self.received_button.setEnabled(
            request is not None and request.status is not RequestStatus.RECEIVED
        )

    # -- actions ------------------------------------------------------------------------------

    def open_add_dialog(self, checklist_item: str = "", facility: str = "") -> RequestDialog | None:
        if self.person_id is None:
            return None
        dialog = RequestDialog(
            self.binder, self.person_id, checklist_item=checklist_item, facility=facility,
            parent=self,
        )  # fmt: skip
        return self._open(dialog)

    def open_edit_dialog(self) -> RequestDialog | None:
        request = self.selected_request()
        if request is None or self.person_id is None:
            return None
        return self._open(RequestDialog(self.binder, self.person_id, request, parent=self))

    def open_received_dialog(self) -> ReceivedDialog | None:
        request = self.selected_request()
        if request is None:
            return None
        return self._open(ReceivedDialog(self.binder, request, parent=self))

    def open_letter_dialog(self) -> QDialog | None:
        from app.ui.request_letter_dialog import RequestLetterDialog

        request = self.selected_request()
        if request is None:
            return None
        dialog = RequestLetterDialog(self.binder, request, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _open(self, dialog: _Dialog) -> _Dialog:
        dialog.saved.connect(self._saved)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _saved(self, request: RecordsRequest) -> None:
        self.refresh(select_id=request.id)
        self.changed.emit()

    def mark_asked_today(self) -> None:
        request = self.selected_request()
        if request is None:
            return
        saved = mark_requested(self.binder, request.id)
        self._saved(saved)

    def delete_selected(self) -> None:
        request = self.selected_request()
        if request is None:
            return
        try:
            delete_request(self.binder, request.id)
        except RecordsError as exc:
            self.notice.show_message(str(exc))
            return
        self.notice.show_message(f"The request to {request.facility} was removed.")
        self.refresh()
        self.changed.emit()
