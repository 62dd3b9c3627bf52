"""Write the letter for a records request: which dates, in what form, sent where, and how
the office reaches you; then print it or save it as a PDF to sign and send."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from app.export.names import safe_part
from app.records.errors import RecordsError
from app.records.records_requests import RecordsRequest
from app.records.request_letters import (
    DELIVERY_FORMATS,
    LetterDetails,
    get_letter_details,
    save_letter_details,
)
from app.ui.sheets_dialog import lay_out, print_pdf, save_pdf
from app.vault.binder import Binder


class RequestLetterDialog(QDialog):
    def __init__(
        self, binder: Binder, request: RecordsRequest, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.binder = binder
        self.request = request
        self.pdf: bytes | None = None
        self.setWindowTitle(f"Letter to {request.facility}")
        details = get_letter_details(binder, request.id)
        self.records_from = QLineEdit(details.records_from or "")
        self.records_from.setPlaceholderText("e.g. 2026-02 (leave empty for all dates)")
        self.records_from.setAccessibleName("First date of care wanted")
        self.records_to = QLineEdit(details.records_to or "")
        self.records_to.setPlaceholderText("e.g. 2026-05-15 (leave empty for up to today)")
        self.records_to.setAccessibleName("Last date of care wanted")
        self.delivery = QComboBox()
        self.delivery.setEditable(True)
        self.delivery.addItems(DELIVERY_FORMATS)
        self.delivery.setCurrentText(details.delivery or DELIVERY_FORMATS[0])
        self.delivery.setAccessibleName("How the records should come")
        self.send_to = QLineEdit(details.send_to)
        self.send_to.setPlaceholderText("An address, e-mail or fax; empty: your contact below")
        self.send_to.setAccessibleName("Where to send the records")
        self.contact = QPlainTextEdit(details.patient_contact)
        self.contact.setPlaceholderText("Your address, phone and e-mail, one per line")
        self.contact.setAccessibleName("Your contact details")
        self.contact.setFixedHeight(76)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Message")
        form = QFormLayout()
        if request.for_pathology:
            # The pathology lab's letter (issue 19): slides and a block of a named case,
            # sent to the second-opinion center; no dates of care, no file format.
            from app.records.records_requests import items_words

            what = items_words(request.items)
            case = f", case {request.case_number}" if request.case_number else ""
            wanted = QLabel(f"{what[:1].upper()}{what[1:]}{case}")
            wanted.setWordWrap(True)
            form.addRow("Asking for:", wanted)
            if not self.send_to.text():
                self.send_to.setText(request.ship_to)
            self.send_to.setPlaceholderText("The second-opinion center's pathology department")
            form.addRow("Send them to:", self.send_to)
            form.addRow("Your contact:", self.contact)
            self.records_from.hide()
            self.records_to.hide()
            self.delivery.hide()
            to = request.department or "the pathology department"
            intro = (
                f"A one-page letter to {to} of {request.facility}, asking for the slides "
                "(H&E and immunostains) and a representative block, for you to sign."
            )
        else:
            wanted = QLabel(request.what or "Your complete medical record")
            wanted.setWordWrap(True)
            form.addRow("Records wanted:", wanted)
            form.addRow("Care from:", self.records_from)
            form.addRow("Care until:", self.records_to)
            form.addRow("Send them as:", self.delivery)
            form.addRow("Send them to:", self.send_to)
            form.addRow("Your contact:", self.contact)
            intro = (
                f"A one-page letter to {request.department or 'the records department'} of "
                f"{request.facility}, with your name and date of birth, for you to sign."
            )
        self.print_button = QPushButton("Print...")
        self.save_button = QPushButton("Save as PDF...")
        close = QPushButton("Close")
        self.print_button.clicked.connect(self.print_letter)
        self.save_button.clicked.connect(self.save_letter)
        close.clicked.connect(self.accept)
        lay_out(
            self,
            intro,
            form,
            self.message,
            self.print_button,
            self.save_button,
            close,
        )
        self.resize(600, 400)

    def save_details(self) -> LetterDetails | None:
        try:
            return save_letter_details(
                self.binder,
                self.request.id,
                records_from=self.records_from.text(),
                records_to=self.records_to.text(),
                delivery=self.delivery.currentText(),
                send_to=self.send_to.text(),
                patient_contact=self.contact.toPlainText(),
            )
        except RecordsError as exc:
            self.message.setText(str(exc))
            return None

    def make(self) -> bytes | None:
        from app.export.request_letter import request_letter_pdf

        if self.save_details() is None:
            return None
        self.message.clear()
        self.pdf = request_letter_pdf(self.binder, self.request.id)
        return self.pdf

    def print_letter(self) -> None:
        pdf = self.make()
        if pdf is not None:
            print_pdf(pdf, self)

    def save_letter(self) -> None:
        pdf = self.make()
        if pdf is None:
            return
        name = (
            f"Records request to {safe_part(self.request.facility, 60, 'records department')}.pdf"
        )
        target = save_pdf(pdf, self, "Save the letter", name)
        if target:
            self.message.setText(f"Saved to {target}. Sign it before you send it.")
