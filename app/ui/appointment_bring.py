"""What to bring to one appointment: records from the binder, chosen from a list."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.records.appointments import Appointment, bring_document, documents_to_bring
from app.records.documents import get_document, list_documents
from app.records.errors import NotFound, RecordsError
from app.ui.appointment_attachments import document_words
from app.ui.care_widgets import Problem
from app.ui.look import heading, paragraph
from app.vault.binder import Binder


class BringPanel(QWidget):
    """ "What to bring": the records chosen, and a choice of the others to add."""

    def __init__(self, binder: Binder, problem: Problem, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.binder, self.problem = binder, problem
        self.appointment: Appointment | None = None
        self.bring_list = QListWidget()
        self.bring_list.setAccessibleName("Documents to bring")
        self.bring_list.setMaximumHeight(self.fontMetrics().lineSpacing() * 6)
        self.bring_choice = QComboBox()
        self.bring_choice.setAccessibleName("A document to bring")
        self.bring_choice.setMinimumContentsLength(20)
        self.bring_choice.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.bring_button = QPushButton("Add to the list")
        self.bring_button.setAccessibleName("Add the document to the list of what to bring")
        self.bring_button.clicked.connect(self.bring_chosen)
        bring_row = QHBoxLayout()
        self.bring_label = QLabel("&Also bring:")
        self.bring_label.setBuddy(self.bring_choice)
        bring_row.addWidget(self.bring_label)
        bring_row.addWidget(self.bring_choice, 1)
        bring_row.addWidget(self.bring_button)
        self.bring_empty = paragraph("")
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(heading("What to bring", 1.15))
        box.addWidget(self.bring_empty)
        box.addWidget(self.bring_list)
        box.addLayout(bring_row)

    def show_appointment(self, appointment: Appointment | None) -> None:
        self.appointment = appointment
        self.fill()

    def fill(self) -> None:
        appointment = self.appointment
        self.bring_list.clear()
        self.bring_choice.clear()
        if appointment is None:
            return
        chosen = documents_to_bring(self.binder, appointment.id)
        for doc_id in chosen:
            try:
                doc = get_document(self.binder, doc_id)
            except NotFound:
                continue
            self.bring_list.addItem(document_words(doc.title, doc.date))
        for doc in list_documents(self.binder, appointment.person_id):
            if doc.id not in chosen:
                self.bring_choice.addItem(document_words(doc.title, doc.date), doc.id)
        has = self.bring_list.count() > 0
        self.bring_list.setVisible(has)
        self.bring_empty.setText(
            "Nothing listed yet. Choose the records from the binder to take to this appointment."
            if not has
            else "These records from the binder:"
        )
        self.bring_choice.setEnabled(self.bring_choice.count() > 0)
        self.bring_button.setEnabled(self.bring_choice.count() > 0)
        if self.bring_choice.count() == 0 and not has:
            self.bring_empty.setText(
                "Documents you import can be listed here, to remember to bring them."
            )

    def bring_chosen(self) -> None:
        appointment, doc_id = self.appointment, self.bring_choice.currentData()
        if appointment is None or not isinstance(doc_id, int):
            return
        try:
            bring_document(self.binder, appointment.id, doc_id)
        except RecordsError as exc:
            self.problem.say(str(exc))
            return
        self.fill()
