"""Bring records in from a patient-portal file: what the file holds, grouped, with a box to
tick for each item. New items are ticked; items already in CareBinder are unticked and say
so. Plain names only (the codes are kept, not shown). Reading and bringing in run off the
UI thread through run_job, with a Cancel button.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.ingest.portal_model import GROUP_LABELS, PortalRecord
from app.progress import CancelFlag, Progress
from app.records.models import Person
from app.records.portal_import import (
    ALREADY,
    Applied,
    Item,
    Preview,
    apply,
    preview,
    someone_else,
)
from app.records.thread_binder import on_this_thread
from app.ui.jobs import Job, run_job
from app.ui.look import heading, paragraph
from app.vault.binder import Binder

FILE_FILTER = "Patient portal files (*.xml *.json *.ndjson *.txt);;All files (*)"

_ITEM = Qt.ItemDataRole.UserRole


def read_source(path: Path) -> tuple[PortalRecord, str, bytes]:
    """The record of a file (or a FHIR export folder), with what is kept of it."""
    from app.ingest.portal_read import read_folder, read_portal

    if path.is_dir():
        record, _ = read_folder(path)
        return record, f"{path.name}.ndjson", b""
    data = path.read_bytes()
    return read_portal(data), path.name, data


class PortalDialog(QDialog):
    def __init__(
        self, binder: Binder, person: Person, path: Path, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.binder, self.person, self.path = binder, person, path
        self.record: PortalRecord | None = None
        self.shown: Preview | None = None
        self.source_name, self.source_data = path.name, b""
        self.applied: Applied | None = None
        self.job: Job | None = None
        self.setWindowTitle("Import from a patient portal")
        self.resize(860, 620)

        self.title = heading(f"Records in {path.name}", 1.3)
        self.intro = paragraph(
            f"Tick what to bring into {person.name}'s records. Items already in CareBinder "
            "are not ticked, so nothing is added twice. The file itself is kept with the "
            "documents."
        )
        self.whose_label = QLabel("Whose records in this file:")
        self.whose = QComboBox()
        self.whose.setAccessibleName("Whose records in this file")
        self.whose.currentIndexChanged.connect(self._patient_chosen)
        whose_row = QHBoxLayout()
        whose_row.addWidget(self.whose_label)
        whose_row.addWidget(self.whose, 1)
        self.whose_label.hide()
        self.whose.hide()

        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["What", "Details"])
        self.tree.setAccessibleName("What the file holds")
        self.tree.setUniformRowHeights(True)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(0, 360)
        self.tree.itemChanged.connect(lambda *_: self._update_button())

        self.status = paragraph("Reading the file…")
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.bring_in = QPushButton("Bring in")
        self.bring_in.setDefault(True)
        self.bring_in.setEnabled(False)
        self.bring_in.clicked.connect(self._start_apply)
        self.cancel = QPushButton("Cancel")
        self.cancel.clicked.connect(self._cancel)
        buttons = QHBoxLayout()
        buttons.addWidget(self.progress, 1)
        buttons.addStretch()
        buttons.addWidget(self.cancel)
        buttons.addWidget(self.bring_in)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.intro)
        layout.addLayout(whose_row)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.status)
        layout.addStretch()
        layout.addLayout(buttons)
        self._start_reading()

    # -- reading ----------------------------------------------------------------------------

    def _start_reading(self) -> None:
        path = self.path

        def work(progress: Progress, cancel: CancelFlag) -> tuple[PortalRecord, str, bytes]:
            progress(0, 0, "Reading the file")
            return read_source(path)

        self.job = run_job(
            work, on_done=self._read, on_error=self._refused, on_cancelled=self.reject
        )

    def _read(self, found: tuple[PortalRecord, str, bytes]) -> None:
        self.job = None
        self.record, self.source_name, self.source_data = found
        self.progress.hide()
        if len(self.record.patients) > 1:
            self.whose.blockSignals(True)
            self.whose.addItem("Choose a person…", None)
            for patient in self.record.patients:
                born = f" (born {patient.born})" if patient.born else ""
                self.whose.addItem(f"{patient.name or patient.key}{born}", patient.key)
            self.whose.blockSignals(False)
            self.whose_label.show()
            self.whose.show()
            self.status.setText(
                f"This file holds the records of {len(self.record.patients)} people. "
                "Choose whose records to bring in."
            )
            return
        self._show(self.record)

    def _patient_chosen(self, index: int) -> None:
        key = self.whose.itemData(index)
        if self.record is None or key is None:
            self.tree.clear()
            self._update_button()
            return
        self._show(self.record.for_patient(key))

    def _refused(self, error: Exception) -> None:
        self.job = None
        self.progress.hide()
        self.tree.hide()
        self.intro.hide()
        self.status.setText(f"This file cannot be brought in. {error}")
        self.status.setAccessibleName(self.status.text())
        self.cancel.setText("Close")

    # -- the list ---------------------------------------------------------------------------

    def _show(self, record: PortalRecord) -> None:
        if len(record.patients) == 1 and record.patients[0].name:
            who = record.patients[0]
            born = f", born {who.born}" if who.born else ""
            self.title.setText(f"Records of {who.name}{born}, in {self.path.name}")
        self.shown = preview(
            self.binder, self.person.id, record, self.source_name, self.source_data
        )
        self.tree.blockSignals(True)
        self.tree.clear()
        for group, items in self.shown.grouped().items():
            if not items:
                continue
            new = sum(1 for i in items if i.new)
            if new == len(items):
                words = f"{len(items)}"
            elif new == 0:
                words = f"{len(items)}, all already in CareBinder"
            else:
                words = f"{len(items)}, {new} new"
            top = QTreeWidgetItem([f"{GROUP_LABELS[group]} ({words})"])
            top.setFlags(
                top.flags() | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsAutoTristate
            )
            font = top.font(0)
            font.setBold(True)
            top.setFont(0, font)
            self.tree.addTopLevelItem(top)
            top.setFirstColumnSpanned(True)  # a group's title is never cut
            for item in items:
                row = QTreeWidgetItem([item.label, _details(item)])
                row.setToolTip(0, item.label)
                row.setToolTip(1, _details(item))
                row.setData(0, _ITEM, item)
                row.setFlags(row.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                row.setCheckState(0, Qt.CheckState.Checked if item.new else Qt.CheckState.Unchecked)
                if not item.new:
                    row.setFlags(row.flags() & ~Qt.ItemFlag.ItemIsEnabled)
                top.addChild(row)
            top.setExpanded(new > 0 and len(items) <= 30)
            if new == 0:  # nothing here can be ticked
                top.setFlags(top.flags() & ~Qt.ItemFlag.ItemIsEnabled)
        self.tree.blockSignals(False)
        nothing = not self.shown.items
        warning = someone_else(record, self.person.name)
        self.status.setText(
            "Nothing in this file can be brought in as records; it can still be kept as a "
            "document with Import."
            if nothing
            else (f"{warning} " if warning else "") + self._summary()
        )
        self._update_button()
        self.cancel.setText("Cancel" if self.shown.new_items else "Close")

    def chosen(self) -> list[Item]:
        picked: list[Item] = []
        for index in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(index)
            for child in range(top.childCount() if top is not None else 0):
                row = top.child(child) if top is not None else None
                item = row.data(0, _ITEM) if row is not None else None
                if (
                    isinstance(item, Item)
                    and row is not None
                    and row.checkState(0) == Qt.CheckState.Checked
                ):
                    picked.append(item)
        return [i for i in picked if i.new]

    def _summary(self) -> str:
        assert self.shown is not None
        already = sum(1 for i in self.shown.items if i.why == ALREADY)
        new = len(self.shown.new_items)
        if not new:
            return "Everything in this file is already in CareBinder: nothing to bring in."
        text = f"{new} new item{'s' if new != 1 else ''}"
        if already:
            text += f"; {already} already in CareBinder"
        for note in self.shown.record.notes[:2]:
            text += f". {note}"
        return text + "."

    def _update_button(self) -> None:
        count = len(self.chosen()) if self.shown is not None else 0
        self.bring_in.setText(f"Bring in {count} item{'s' if count != 1 else ''}")
        self.bring_in.setEnabled(count > 0 and self.job is None)

    # -- bringing in ------------------------------------------------------------------------

    def _start_apply(self) -> None:
        if self.shown is None:
            return
        shown, chosen, binder, person_id = self.shown, self.chosen(), self.binder, self.person.id

        def work(progress: Progress, cancel: CancelFlag) -> Applied:
            with on_this_thread(binder) as view:
                return apply(view, person_id, shown, chosen, progress, cancel)

        self.bring_in.setEnabled(False)
        self.tree.setEnabled(False)
        self.progress.show()
        self.progress.setRange(0, 0)
        self.status.setText("Bringing the records in…")
        self.job = run_job(
            work,
            on_done=self._applied,
            on_error=self._failed,
            on_progress=self._progress,
            on_cancelled=self._apply_cancelled,
        )

    def _progress(self, done: int, total: int, label: str) -> None:
        if total:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
        if label:
            self.status.setText(f"Reading {label}…")

    def _applied(self, result: Applied) -> None:
        self.job = None
        self.applied = result
        self.accept()

    def _failed(self, error: Exception) -> None:
        self.job = None
        self.progress.hide()
        self.tree.setEnabled(True)
        self.status.setText(f"Nothing was brought in: {error}")
        self._update_button()

    def _apply_cancelled(self) -> None:
        self.job = None
        self.progress.hide()
        self.tree.setEnabled(True)
        self.status.setText("Stopped. Nothing was brought in.")
        self._update_button()

    def _cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
        else:
            self.reject()

    def done_message(self) -> str:
        if self.applied is None:
            return ""
        if not self.applied.total:
            return "Nothing new: everything was already in CareBinder."
        parts = [f"{n} {GROUP_LABELS[g].lower()}" for g, n in self.applied.added.items()]
        return f"Brought in {', '.join(parts)} from {self.path.name}."


def _details(item: Item) -> str:
    """The details, led by why an item is not ticked: "already in CareBinder · ..."."""
    return " · ".join(p for p in (item.why, item.detail) if p)


def import_from_portal(parent: QWidget, binder: Binder, person: Person) -> str:
    """Ask for a file, show the dialog; what was done, in words ("" when nothing)."""
    name, _ = QFileDialog.getOpenFileName(
        parent, "Import from a patient portal", str(Path.home()), FILE_FILTER
    )
    if not name:
        return ""
    dialog = PortalDialog(binder, person, Path(name), parent)
    if dialog.exec() and dialog.applied is not None:
        message = dialog.done_message()
        if dialog.applied.notes:
            QMessageBox.information(
                parent,
                "Import from a patient portal",
                message + "\n\n" + "\n".join(dialog.applied.notes[:10]),
            )
        return message
    return ""


__all__ = ["PortalDialog", "import_from_portal", "read_source"]
