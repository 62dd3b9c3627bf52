"""The insurance form of the second-opinion workspace: what a second opinion needs to be paid
for. Each field is saved as soon as it is left or chosen; there is no Save button to forget.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.records.errors import RecordsError
from app.records.insurance import Insurance, get_insurance, save_insurance
from app.ui.look import paragraph
from app.vault.binder import Binder

TEXT_FIELDS = (
    ("plan", "&Plan:", "Insurance plan", "the name on the insurance card"),
    ("member_id", "&Member ID:", "Member ID", ""),
    ("group_id", "&Group ID:", "Group ID", ""),
    ("phone", "Phone:", "Insurance phone number", "the member services number on the card"),
)
ANSWER_FIELDS = (
    ("second_opinion_covered", "Second opinion &covered:", "Is a second opinion covered"),
    ("referral_needed", "&Referral or authorization needed:", "Is a referral needed"),
    ("in_network", "Second-opinion doctor &in network:", "Is the doctor in the network"),
)
ANSWER_WORDS = (("unknown", "Not known yet"), ("yes", "Yes"), ("no", "No"))


class InsuranceForm(QWidget):
    def __init__(self, binder: Binder, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.binder = binder
        self.person_id: int | None = None
        self.setAccessibleName("Insurance")
        self.texts: dict[str, QLineEdit] = {}
        self.answers: dict[str, QComboBox] = {}
        form = QFormLayout()
        for key, label, name, hint in TEXT_FIELDS:
            edit = QLineEdit()
            edit.setAccessibleName(name)
            edit.setPlaceholderText(hint)
            edit.editingFinished.connect(lambda key=key: self._save_text(key))
            self.texts[key] = edit
            form.addRow(label, edit)
        for key, label, name in ANSWER_FIELDS:
            box = QComboBox()
            box.setAccessibleName(name)
            for value, words in ANSWER_WORDS:
                box.addItem(words, value)
            box.activated.connect(lambda _index, key=key: self._save_answer(key))
            self.answers[key] = box
            form.addRow(label, box)
        self.authorization = QLineEdit()
        self.authorization.setAccessibleName("Authorization number")
        self.authorization.setPlaceholderText("if the plan gave one")
        self.authorization.editingFinished.connect(
            lambda: self._save("authorization_number", self.authorization.text())
        )
        self.texts["authorization_number"] = self.authorization
        form.addRow("&Authorization number:", self.authorization)
        self.notes = QPlainTextEdit()
        self.notes.setAccessibleName("Insurance notes")
        self.notes.setTabChangesFocus(True)
        self.notes.setMaximumHeight(self.fontMetrics().lineSpacing() * 5)
        self.notes.textChanged.connect(lambda: self._save("notes", self.notes.toPlainText()))
        form.addRow("&Notes:", self.notes)
        self.saved_line = QLabel("")
        self.saved_line.setAccessibleName("Saved")
        column = QVBoxLayout(self)
        column.addWidget(
            paragraph(
                "Some plans pay for a second opinion only with a referral, an authorization "
                "number, or inside their network. Call the number on the card to ask; what "
                "you write here is saved as you go."
            )
        )
        column.addLayout(form)
        column.addWidget(self.saved_line)
        column.addStretch(1)
        self._loading = False

    def set_person(self, person_id: int) -> None:
        self.person_id = person_id
        self.show_insurance(get_insurance(self.binder, person_id))

    def show_insurance(self, insurance: Insurance) -> None:
        self._loading = True
        for key, edit in self.texts.items():
            edit.setText(str(getattr(insurance, key)))
        for key, box in self.answers.items():
            box.setCurrentIndex(max(0, box.findData(getattr(insurance, key))))
        self.notes.setPlainText(insurance.notes)
        self.saved_line.setText("")
        self._loading = False

    def _save_text(self, key: str) -> None:
        self._save(key, self.texts[key].text())

    def _save_answer(self, key: str) -> None:
        self._save(key, str(self.answers[key].currentData()))

    def _save(self, key: str, value: str) -> None:
        if self._loading or self.person_id is None:
            return
        if str(getattr(get_insurance(self.binder, self.person_id), key)) == value.strip():
            return  # nothing changed: no write, no "Saved" that means nothing
        try:
            save_insurance(self.binder, self.person_id, **{key: value})
        except RecordsError as exc:
            self.saved_line.setText(str(exc))
            return
        self.saved_line.setText("Saved.")
