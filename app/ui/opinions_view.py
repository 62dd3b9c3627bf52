"""The opinions part of the second-opinion workspace: the list of what each doctor said (add,
edit, remove), and the chosen ones side by side (opinion_comparison.py).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.records.date_display import shown_date
from app.records.errors import RecordsError
from app.records.opinions import (
    OPINION_FIELDS,
    Opinion,
    add_follow_up,
    add_opinion,
    delete_opinion,
    follow_ups,
    list_opinions,
)
from app.ui.look import EmptyState, Notice, heading, paragraph, scrolled
from app.ui.opinion_comparison import OpinionComparison
from app.ui.opinion_dialog import OpinionDialog
from app.vault.binder import Binder

# Side by side reads well up to three columns; the newest three are shown first.
SHOWN_AT_FIRST = 3


class OpinionsView(QWidget):
    changed = Signal()

    def __init__(self, binder: Binder, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.binder = binder
        self.person_id: int | None = None
        self.opinions: list[Opinion] = []
        # The doctor a new opinion most likely comes from: the second-opinion doctor.
        self.likely_doctor_id: int | None = None
        self.setAccessibleName("Opinions")

        self.list = QListWidget()
        self.list.setAccessibleName("Opinions to compare (tick up to three)")
        self.list.itemChanged.connect(lambda _item: self._show_chosen())
        self.list.itemActivated.connect(lambda _item: self.open_edit_dialog())
        self.add_button = QPushButton("Add an opinion...")
        self.edit_button = QPushButton("Edit...")
        self.delete_button = QPushButton("Remove")
        for button, name in (
            (self.add_button, "Add an opinion"),
            (self.edit_button, "Edit the chosen opinion"),
            (self.delete_button, "Remove the chosen opinion"),
        ):
            button.setAccessibleName(name)
        self.add_button.clicked.connect(self.open_add_dialog)
        self.edit_button.clicked.connect(self.open_edit_dialog)
        self.delete_button.clicked.connect(self.delete_selected)
        self.notice = Notice()

        side = QVBoxLayout()
        side.addWidget(heading("What each doctor said", 1.1))
        side.addWidget(paragraph("Tick the opinions to see side by side."))
        side.addWidget(self.list, 1)
        for button in (self.add_button, self.edit_button, self.delete_button):
            side.addWidget(button)
        side_holder = QWidget()
        side_holder.setLayout(side)
        side_holder.setMaximumWidth(280)
        self.side = side_holder  # hidden while there is no opinion: no empty list box

        self.comparison = OpinionComparison(binder)
        self.comparison.setAccessibleName("Opinions side by side")
        scroll = scrolled(self.comparison)
        self.empty = EmptyState("", "")
        self.right = QStackedWidget()
        self.right.addWidget(self.empty)
        self.right.addWidget(scroll)

        row = QHBoxLayout()
        row.addWidget(side_holder)
        row.addWidget(self.right, 1)
        box = QVBoxLayout(self)
        box.addWidget(self.notice)
        box.addLayout(row, 1)
        self.dialog: OpinionDialog | None = None

    def set_person(self, person_id: int) -> None:
        if person_id != self.person_id:
            self.list.clear()  # another person's ticks: theirs start with the newest ticked
        self.person_id = person_id
        self.notice.hide()
        self.refresh()

    def refresh(self, newly_added: int | None = None) -> None:
        if self.person_id is None:
            return
        was_chosen = set(self.chosen_ids()) if self.list.count() else None
        self.opinions = list_opinions(self.binder, self.person_id)
        newest = {o.id for o in self.opinions[-SHOWN_AT_FIRST:]}
        self.list.blockSignals(True)
        self.list.clear()
        for opinion in self.opinions:
            when = f"\n{shown_date(opinion.given_on)}" if opinion.given_on else ""
            item = QListWidgetItem(f"{opinion.doctor or 'A doctor'}{when}")
            item.setData(Qt.ItemDataRole.UserRole, opinion.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            chosen = (
                opinion.id in newest
                if was_chosen is None
                else opinion.id in was_chosen or opinion.id == newly_added
            )
            item.setCheckState(Qt.CheckState.Checked if chosen else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self.list.blockSignals(False)
        if self.list.count() and self.list.currentRow() < 0:
            self.list.setCurrentRow(self.list.count() - 1)
        self.edit_button.setEnabled(bool(self.opinions))
        self.delete_button.setEnabled(bool(self.opinions))
        self._show_chosen()

    def chosen_ids(self) -> list[int]:
        return [
            int(self.list.item(row).data(Qt.ItemDataRole.UserRole))
            for row in range(self.list.count())
            if self.list.item(row).checkState() == Qt.CheckState.Checked
        ]

    def choose(self, opinion_ids: list[int]) -> None:
        self.list.blockSignals(True)
        for row in range(self.list.count()):
            item = self.list.item(row)
            wanted = item.data(Qt.ItemDataRole.UserRole) in opinion_ids
            item.setCheckState(Qt.CheckState.Checked if wanted else Qt.CheckState.Unchecked)
        self.list.blockSignals(False)
        self._show_chosen()

    def _show_chosen(self) -> None:
        chosen = set(self.chosen_ids())
        shown = [o for o in self.opinions if o.id in chosen]
        records: dict[str, str] = {}
        if shown and self.person_id is not None:
            from app.records.picture import clinical_picture
            from app.records.picture.model import opinion_words

            # Each opinion reads against what the records say (the stored readings: fast).
            picture = clinical_picture(self.binder, self.person_id, read_new=False)
            records = opinion_words(picture)
        self.comparison.show_opinions(shown, records)
        self.side.setVisible(bool(self.opinions))
        if not self.opinions:
            self.empty.set_text(
                "No opinions yet",
                "After each visit, write down what the doctor said (the diagnosis, the stage, "
                "the treatment and why), and the opinions are set side by side with their "
                "differences marked.",
                "Add an opinion...",
                self.open_add_dialog,
            )
        elif not shown:
            self.empty.set_text("Nothing ticked", "Tick the opinions you want to compare.", "")
        self.right.setCurrentIndex(1 if shown else 0)

    def selected_opinion(self) -> Opinion | None:
        item = self.list.currentItem()
        if item is None:
            return None
        wanted = item.data(Qt.ItemDataRole.UserRole)
        return next((o for o in self.opinions if o.id == wanted), None)

    # -- actions ------------------------------------------------------------------------------

    def open_add_dialog(self) -> OpinionDialog | None:
        if self.person_id is None:
            return None
        dialog = OpinionDialog(self.binder, self.person_id, parent=self)
        if self.likely_doctor_id is not None:
            dialog.doctor.choose(self.likely_doctor_id)
        return self._open(dialog)

    def open_edit_dialog(self) -> OpinionDialog | None:
        opinion = self.selected_opinion()
        if opinion is None or self.person_id is None:
            return None
        return self._open(OpinionDialog(self.binder, self.person_id, opinion, parent=self))

    def _open(self, dialog: OpinionDialog) -> OpinionDialog:
        dialog.saved.connect(lambda opinion: self._saved(opinion))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _saved(self, opinion: Opinion) -> None:
        self.refresh(newly_added=opinion.id)
        self.changed.emit()

    def delete_selected(self) -> None:
        opinion = self.selected_opinion()
        if opinion is None:
            return
        questions = [q.text for q in follow_ups(self.binder, opinion.id)]
        try:
            delete_opinion(self.binder, opinion.id)
        except RecordsError as exc:
            self.notice.show_message(str(exc))
            return
        self.notice.show_message(
            f"The opinion of {opinion.heading} was removed.",
            "Undo",
            lambda: self._put_back(opinion, questions),
        )
        self.refresh()
        self.changed.emit()

    def _put_back(self, opinion: Opinion, questions: list[str]) -> None:
        """Undo a removal: the same facts and follow-up questions, as a new record."""
        facts = {name: str(getattr(opinion, name)) for name, _label in OPINION_FIELDS}
        again = add_opinion(
            self.binder,
            opinion.person_id,
            doctor_id=opinion.doctor_id,
            given_on=opinion.given_on,
            appointment_id=opinion.appointment_id,
            **facts,
        )
        for text in questions:
            add_follow_up(self.binder, again.id, text)
        self._saved(again)
