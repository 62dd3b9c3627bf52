"""The dialogs of the records-requests tracker: add or edit a request, and say the records
arrived, choosing which of the person's documents they became.

Like the medications dialogs, each saves through app.records when its main button is pressed
and stays open (with the reason in plain words) when the binder refuses a value. They are
opened with `open()`, so the page and the tests stay live.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.records.dates import today_iso
from app.records.documents import list_documents
from app.records.errors import RecordsError
from app.records.readiness import CHECKLIST
from app.records.records_requests import (
    ITEMS,
    METHODS,
    RecordsRequest,
    RequestStatus,
    add_request,
    mark_received,
    update_request,
)
from app.ui.care_widgets import Problem
from app.ui.care_words import DATE_HINT, clean_partial_date, partial_date
from app.ui.look import paragraph
from app.vault.binder import Binder


def _line(name: str, placeholder: str = "", text: str = "") -> QLineEdit:
    edit = QLineEdit(text)
    edit.setAccessibleName(name)
    edit.setPlaceholderText(placeholder)
    return edit


def _buttons(dialog: QDialog, save_text: str) -> QDialogButtonBox:
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
    )
    save = buttons.button(QDialogButtonBox.StandardButton.Save)
    save.setText(save_text)
    save.setAccessibleName(save_text)
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel")
    buttons.rejected.connect(dialog.reject)
    return buttons


class RequestDialog(QDialog):
    """A request for records: add a new one, or correct one already in the tracker."""

    saved = Signal(object)  # the RecordsRequest as saved

    def __init__(
        self,
        binder: Binder,
        person_id: int,
        request: RecordsRequest | None = None,
        checklist_item: str = "",
        facility: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.binder, self.person_id, self.request = binder, person_id, request
        adding = request is None
        self.setWindowTitle("Ask for records" if adding else "Edit the request")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        wanted = next((line for line in CHECKLIST if line.key == checklist_item), None)
        self.facility = _line("Office or hospital", "for example Lakeside Cancer Center", facility)
        self.department = _line("Department", "for example Medical records")
        self.contact = _line("Contact", "a name, phone or fax number")
        self.what = _line("What was asked for", "for example the operative report of 12 May")
        if wanted is not None:
            self.what.setText(wanted.label)
        self.requested_on = _line("Asked on", DATE_HINT)
        self.method = QComboBox()
        self.method.setAccessibleName("How it was asked")
        self.method.addItem("Not said", "")
        for method in METHODS:
            self.method.addItem(method, method)
        self.status = QComboBox()
        self.status.setAccessibleName("Where it stands")
        for status in RequestStatus:
            self.status.addItem(status.label, status.value)
        self.for_line = QComboBox()
        self.for_line.setAccessibleName("Which line of the checklist it is for")
        self.for_line.addItem("None in particular", "")
        for line in CHECKLIST:
            self.for_line.addItem(line.label, line.key)
        self.for_line.setCurrentIndex(max(0, self.for_line.findData(checklist_item)))
        self.notes = QPlainTextEdit()
        self.notes.setAccessibleName("Notes")
        self.notes.setTabChangesFocus(True)
        self.notes.setMaximumHeight(self.fontMetrics().lineSpacing() * 4)

        form = QFormLayout()
        form.addRow("&Office or hospital:", self.facility)
        form.addRow("&Department:", self.department)
        form.addRow("&Contact:", self.contact)
        form.addRow("&What:", self.what)
        form.addRow("&Asked on:", self.requested_on)
        form.addRow("&How:", self.method)
        form.addRow("&Status:", self.status)
        form.addRow("&For the line:", self.for_line)
        form.addRow("&Notes:", self.notes)
        self.physical = PhysicalItems()
        if checklist_item == "slides":
            self.physical.choose(("slides", "blocks"))
        elif checklist_item == "imaging_disc":
            self.physical.choose(("disc",))
        if request is not None:
            self._fill(request)
        else:
            self.status.setCurrentIndex(self.status.findData(RequestStatus.TO_REQUEST.value))
            self.requested_on.textEdited.connect(self._asked_means_requested)
        self.problem = Problem()
        buttons = _buttons(self, "Add" if adding else "Save")
        buttons.accepted.connect(self.save)
        box = QVBoxLayout(self)
        box.addLayout(form)
        box.addWidget(self.physical)
        box.addWidget(self.problem)
        box.addWidget(buttons)
        self.result_request: RecordsRequest | None = None

    def _fill(self, request: RecordsRequest) -> None:
        self.physical.fill(request)
        self.facility.setText(request.facility)
        self.department.setText(request.department)
        self.contact.setText(request.contact)
        self.what.setText(request.what)
        self.requested_on.setText(request.requested_on or "")
        self.method.setCurrentIndex(max(0, self.method.findData(request.method)))
        if self.method.findData(request.method) < 0 and request.method:
            self.method.addItem(request.method, request.method)
            self.method.setCurrentIndex(self.method.count() - 1)
        self.status.setCurrentIndex(self.status.findData(request.status.value))
        self.for_line.setCurrentIndex(max(0, self.for_line.findData(request.checklist_item)))
        self.notes.setPlainText(request.notes)

    def _asked_means_requested(self, text: str) -> None:
        # Writing the date it was asked means it has been asked; a small kindness.
        if text.strip() and self.status.currentData() == RequestStatus.TO_REQUEST.value:
            self.status.setCurrentIndex(self.status.findData(RequestStatus.REQUESTED.value))

    def save(self) -> None:
        try:
            asked = clean_partial_date(self.requested_on.text())
            facts: dict[str, Any] = {
                "facility": self.facility.text(),
                "what": self.what.text(),
                "department": self.department.text(),
                "contact": self.contact.text(),
                "method": str(self.method.currentData() or ""),
                "checklist_item": str(self.for_line.currentData() or ""),
                "notes": self.notes.toPlainText(),
            }
            status = RequestStatus(self.status.currentData())
            physical = self.physical.facts()
            if self.request is None:
                dates = {k: physical.pop(k) for k in ("sent_on", "returned_on")}
                saved = add_request(
                    self.binder,
                    self.person_id,
                    requested_on=asked,
                    status=status,
                    **facts,
                    **physical,
                )
                if any(dates.values()):
                    saved = update_request(self.binder, saved.id, **dates)
            else:
                saved = update_request(
                    self.binder,
                    self.request.id,
                    requested_on=asked,
                    status=status,
                    **facts,
                    **physical,
                )
        except (RecordsError, ValueError) as exc:
            self.problem.say(str(exc))
            return
        self.result_request = saved
        self.saved.emit(saved)
        self.accept()


class PhysicalItems(QGroupBox):
    """What a lab sends by courier (pathology slides and blocks, a disc of scans): the case
    number, where they must go, the tracking number, and whether they come back."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Slides, blocks or a disc (sent by courier)", parent)
        self.setAccessibleName("Slides, blocks or a disc")
        self.items: dict[str, QCheckBox] = {}
        row = QHBoxLayout()
        for item, words in ITEMS.items():
            box = QCheckBox(words[:1].upper() + words[1:])
            box.setAccessibleName(f"Ask for {words}")
            self.items[item] = box
            row.addWidget(box)
        row.addStretch(1)
        self.case_number = _line("Case number", "the surgical pathology case number, e.g. S24-1234")
        self.ship_to = _line(
            "Send them to", "the second-opinion center's pathology department, with its address"
        )
        self.tracking = _line("Tracking number", "the courier's tracking number")
        self.sent_on = _line("Sent on", DATE_HINT)
        self.return_needed = QCheckBox("They must be returned to the lab")
        self.return_needed.setAccessibleName("They must be returned to the lab")
        self.returned_on = _line("Returned on", DATE_HINT)
        form = QFormLayout(self)
        form.addRow("Ask for:", row)
        form.addRow("&Case number:", self.case_number)
        form.addRow("Send &them to:", self.ship_to)
        form.addRow("&Tracking number:", self.tracking)
        form.addRow("Sent by the lab on:", self.sent_on)
        form.addRow("", self.return_needed)
        form.addRow("Returned on:", self.returned_on)

    def choose(self, items: tuple[str, ...]) -> None:
        for item, box in self.items.items():
            box.setChecked(item in items)

    def fill(self, request: RecordsRequest) -> None:
        self.choose(request.items)
        self.case_number.setText(request.case_number)
        self.ship_to.setText(request.ship_to)
        self.tracking.setText(request.tracking)
        self.sent_on.setText(request.sent_on or "")
        self.return_needed.setChecked(request.return_needed)
        self.returned_on.setText(request.returned_on or "")

    def facts(self) -> dict[str, Any]:
        return {
            "items": [item for item, box in self.items.items() if box.isChecked()],
            "case_number": self.case_number.text(),
            "ship_to": self.ship_to.text(),
            "tracking": self.tracking.text(),
            "return_needed": self.return_needed.isChecked(),
            "sent_on": clean_partial_date(self.sent_on.text()),
            "returned_on": clean_partial_date(self.returned_on.text()),
        }


class ReceivedDialog(QDialog):
    """The records arrived: when, and which of the person's documents they are."""

    saved = Signal(object)

    def __init__(
        self, binder: Binder, request: RecordsRequest, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.binder, self.request = binder, request
        self.setWindowTitle("The records arrived")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.received_on = _line("Arrived on", DATE_HINT, today_iso())
        self.documents = QListWidget()
        self.documents.setAccessibleName("Documents that arrived")
        for doc in list_documents(binder, request.person_id):
            when = f" ({partial_date(doc.date)})" if doc.date else ""
            item = QListWidgetItem(f"{doc.kind.label}: {doc.title}{when}")
            item.setData(Qt.ItemDataRole.UserRole, doc.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            linked = doc.id in request.document_ids
            item.setCheckState(Qt.CheckState.Checked if linked else Qt.CheckState.Unchecked)
            self.documents.addItem(item)
        self.problem = Problem()
        buttons = _buttons(self, "Mark received")
        buttons.accepted.connect(self.save)
        form = QFormLayout()
        form.addRow("&Arrived on:", self.received_on)
        box = QVBoxLayout(self)
        box.addWidget(paragraph(f"{request.what or 'Records'} from {request.facility}."))
        box.addLayout(form)
        box.addWidget(
            paragraph(
                "Tick the documents they became (import them first on the Documents page), "
                "or none if they are on paper:"
            )
        )
        box.addWidget(self.documents, 1)
        box.addWidget(self.problem)
        box.addWidget(buttons)
        self.resize(560, 420)
        self.result_request: RecordsRequest | None = None

    def choose(self, document_ids: list[int]) -> None:
        for row in range(self.documents.count()):
            item = self.documents.item(row)
            wanted = item.data(Qt.ItemDataRole.UserRole) in document_ids
            item.setCheckState(Qt.CheckState.Checked if wanted else Qt.CheckState.Unchecked)

    def chosen(self) -> list[int]:
        return [
            int(self.documents.item(row).data(Qt.ItemDataRole.UserRole))
            for row in range(self.documents.count())
            if self.documents.item(row).checkState() == Qt.CheckState.Checked
        ]

    def save(self) -> None:
        try:
            on = clean_partial_date(self.received_on.text())
            saved = mark_received(self.binder, self.request.id, self.chosen(), on=on)
        except (RecordsError, ValueError) as exc:
            self.problem.say(str(exc))
            return
        self.result_request = saved
        self.saved.emit(saved)
        self.accept()
