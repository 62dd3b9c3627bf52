"""The second-opinion workspace: is everything ready for the visit, what was asked for and
what arrived, the insurance, and what each doctor said, side by side.

At the top: which visit (the next booked second-opinion appointment), how many of the seven
lines are ready, and one button that asks for the bundle for that doctor with the
checklist's documents preselected (`prepare_bundle(person_id, document_ids)`; the window
opens the export dialog). Below, the tabs: first the Guide (the steps from diagnosis to
decision, guide_view.py), then Checklist, Records requests, Opinions, Insurance, What I
shared and the Treatment summary. Every read and edit is one small query on the binder's
own connection, on the UI thread, like the other care pages.
"""

from __future__ import annotations

import re

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.records.errors import RecordsError
from app.records.models import Person
from app.records.readiness import (
    CHECKLIST,
    Readiness,
    bundle_document_ids,
    clear_mark,
    mark_not_applicable,
    readiness,
)
from app.ui.care_words import appointment_when
from app.ui.guide_view import GuideView
from app.ui.insurance_form import InsuranceForm
from app.ui.look import Notice, heading, paragraph, scrolled
from app.ui.opinions_view import OpinionsView
from app.ui.readiness_checklist import ChecklistView, ReasonDialog
from app.ui.records_requests_view import RecordsRequestsView
from app.ui.shared_view import SharedView
from app.ui.treatment_summary_view import TreatmentSummaryView
from app.vault.binder import Binder

TAB_GUIDE, TAB_CHECKLIST, TAB_REQUESTS, TAB_OPINIONS, TAB_INSURANCE, TAB_SHARED = range(6)
_ASK_WHERE = re.compile(r"records department of (.+?) for ")


def visit_words(ready: Readiness) -> str:
    appointment = ready.appointment
    if appointment is None:
        return (
            "No second-opinion visit is booked yet. The checklist below is what any "
            "second-opinion doctor will ask for; add the visit on the Appointments page "
            "once it is booked."
        )
    who = appointment.doctor or "the second-opinion doctor"
    where = f", at {appointment.location}" if appointment.location else ""
    return f"For the visit with {who} on {appointment_when(appointment)}{where}."


def ready_words(ready: Readiness) -> str:
    total = len(ready.items)
    if ready.ready == total:
        return f"All {total} ready"
    return f"{ready.ready} of {total} ready"


class SecondOpinionPage(QWidget):
    prepare_bundle = Signal(int, list)  # person id, document ids to preselect
    status_message = Signal(str)
    open_document = Signal(int)  # from the treatment summary's sources
    open_medication = Signal(int)
    place_requested = Signal(str)  # a guide step's place elsewhere in the window

    def __init__(self, binder: Binder, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.binder = binder
        self.person: Person | None = None
        self.ready: Readiness | None = None
        self.setAccessibleName("Second opinion")

        self.title = heading("Second opinion")
        self.visit = paragraph("")
        self.visit.setAccessibleName("Which visit")
        self.count = QLabel("")
        font = QFont(self.count.font())
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.count.setFont(font)
        self.count.setAccessibleName("How much is ready")
        self.bundle_button = QPushButton("Prepare the bundle...")
        self.bundle_button.setAccessibleName("Prepare the bundle for the doctor")
        self.bundle_button.clicked.connect(self.ask_for_bundle)
        self.notice = Notice()

        self.checklist = ChecklistView()
        self.checklist.not_applicable_requested.connect(self.open_not_applicable_dialog)
        self.checklist.undo_requested.connect(self.undo_mark)
        self.checklist.request_requested.connect(self.ask_for_records)
        self.checklist.answered.connect(self.answer)
        checklist_scroll = scrolled(self.checklist, "Checklist")

        self.requests = RecordsRequestsView(binder)
        self.requests.changed.connect(self.refresh_checklist)
        self.opinions = OpinionsView(binder)
        self.insurance = InsuranceForm(binder)
        insurance_holder = QWidget()
        insurance_row = QHBoxLayout(insurance_holder)
        insurance_row.addWidget(self.insurance, 3)
        insurance_row.addStretch(1)

        self.guide = GuideView(binder)
        self.guide.go_to.connect(self.go_to)
        guide_scroll = scrolled(self.guide, "Guide")

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Parts of the second-opinion workspace")
        self.tabs.tabBar().setAccessibleName("Parts of the second-opinion workspace")
        self.tabs.addTab(guide_scroll, "Guide")
        self.tabs.setTabToolTip(TAB_GUIDE, "The steps from the diagnosis to a decision")
        self.tabs.addTab(checklist_scroll, "Checklist")
        self.tabs.addTab(self.requests, "Records requests")
        self.tabs.addTab(self.opinions, "Opinions")
        self.tabs.addTab(insurance_holder, "Insurance")
        self.shared = SharedView(binder)
        self.shared.prepare_requested.connect(self.ask_for_bundle)
        self.tabs.addTab(self.shared, "What I shared")
        self.tabs.setTabToolTip(TAB_SHARED, "Every bundle and sheet given to a doctor")
        self.treatment = TreatmentSummaryView(binder)
        self.treatment.open_document.connect(self.open_document)
        self.treatment.open_medication.connect(self.open_medication)
        self.treatment.open_opinion.connect(lambda _id: self.tabs.setCurrentIndex(TAB_OPINIONS))
        self.tab_treatment = self.tabs.addTab(self.treatment, "Treatment summary")
        self.tabs.setTabToolTip(self.tab_treatment, "What was found and done, with its sources")
        self.tabs.setTabToolTip(TAB_CHECKLIST, "What the second-opinion doctor needs")
        self.tabs.setTabToolTip(TAB_REQUESTS, "Records asked of offices and hospitals")
        self.tabs.setTabToolTip(TAB_OPINIONS, "What each doctor said, side by side")
        self.tabs.setTabToolTip(TAB_INSURANCE, "What the insurance covers")

        top = QHBoxLayout()
        words = QVBoxLayout()
        words.addWidget(self.title)
        words.addWidget(self.visit)
        top.addLayout(words, 1)
        right = QVBoxLayout()
        right.addWidget(self.count, 0, Qt.AlignmentFlag.AlignRight)
        right.addWidget(self.bundle_button)
        right.addStretch(1)
        top.addLayout(right)
        box = QVBoxLayout(self)
        box.addLayout(top)
        box.addWidget(self.notice)
        box.addWidget(self.tabs, 1)

    # -- showing ------------------------------------------------------------------------------

    def set_person(self, person: Person) -> None:
        self.person = person
        self.notice.hide()
        self.refresh()

    def refresh(self) -> None:
        """Read everything again (documents may have been imported on another page)."""
        if self.person is None:
            return
        self.requests.set_person(self.person.id)
        self.guide.set_person(self.person.id)
        self.refresh_checklist()
        self.opinions.set_person(self.person.id)
        self.insurance.set_person(self.person.id)
        self.shared.set_person(self.person)
        self.treatment.set_person(self.person)

    def refresh_checklist(self) -> None:
        if self.person is None:
            return
        self.ready = readiness(self.binder, self.person.id, read_new=False)
        self.visit.setText(visit_words(self.ready))
        self.visit.setAccessibleName(self.visit.text())
        self.count.setText(ready_words(self.ready))
        self.count.setAccessibleName(self.count.text())
        doctor = self.ready.appointment.doctor if self.ready.appointment else None
        text = f"Prepare the bundle for {doctor}..." if doctor else "Prepare the bundle..."
        self.bundle_button.setText(text)
        self.bundle_button.setAccessibleName(text.rstrip("."))
        self.checklist.show_readiness(self.ready)
        appointment = self.ready.appointment
        self.opinions.likely_doctor_id = appointment.doctor_id if appointment else None
        waiting = sum(1 for r in self.requests.requests if r.is_overdue())
        words = f"Records requests ({waiting} waiting a while)" if waiting else "Records requests"
        self.tabs.setTabText(TAB_REQUESTS, words)

    def showEvent(self, event: QShowEvent) -> None:
        # Documents imported or medicines added elsewhere tick lines here.
        if self.person is not None:
            self.refresh_checklist()
            self.guide.refresh()  # steps are done on other pages too
            self.shared.refresh()  # a bundle may have been made from another page
            self.treatment.refresh()  # reports or medicines may have changed elsewhere
        super().showEvent(event)

    def go_to(self, place: str, tab: str) -> None:
        """A guide step's button: one of this page's tabs, or another place."""
        if place != "Second opinion":
            self.place_requested.emit(place)
            return
        for index in range(self.tabs.count()):
            if self.tabs.tabText(index).startswith(tab):
                self.tabs.setCurrentIndex(index)
                return

    # -- checklist actions --------------------------------------------------------------------

    def _label(self, key: str) -> str:
        return next(line.label for line in CHECKLIST if line.key == key)

    def open_not_applicable_dialog(self, key: str) -> ReasonDialog:
        dialog = ReasonDialog(self._label(key), self)
        dialog.accepted.connect(lambda: self.mark_not_applicable(key, dialog.reason.text()))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def mark_not_applicable(self, key: str, reason: str) -> None:
        if self.person is None:
            return
        try:
            mark_not_applicable(self.binder, self.person.id, key, reason)
        except RecordsError as exc:
            self.notice.show_message(str(exc))
            return
        self.refresh_checklist()
        self.notice.show_message(
            f"“{self._label(key)}” is marked not applicable.", "Undo", lambda: self.undo_mark(key)
        )

    def undo_mark(self, key: str) -> None:
        if self.person is None:
            return
        clear_mark(self.binder, self.person.id, key)
        self.notice.hide()
        self.refresh_checklist()

    def answer(self, question: str, yes: bool) -> None:
        """A checklist question answered ("Did you have surgery?"): kept, with Undo."""
        from app.records.checklist_questions import ASKED, answer_question, forget_answer

        if self.person is None:
            return
        person_id = self.person.id
        answer_question(self.binder, person_id, question, yes)
        self.refresh_checklist()
        asked = ASKED[question]

        def undo() -> None:
            forget_answer(self.binder, person_id, question)
            self.notice.hide()
            self.refresh_checklist()

        said = asked.yes if yes else asked.no
        self.notice.show_message(f"Noted: “{said}”.", "Undo", undo)

    def ask_for_records(self, key: str) -> None:
        """'Ask for it...' on a missing line: a new request, prefilled with what and where."""
        facility = ""
        if self.ready is not None:
            match = _ASK_WHERE.search(self.ready.item(key).detail)
            if match and match.group(1) != "the hospital or clinic":
                facility = match.group(1)
        self.tabs.setCurrentIndex(TAB_REQUESTS)
        self.requests.open_add_dialog(checklist_item=key, facility=facility)

    # -- the bundle ---------------------------------------------------------------------------

    def ask_for_bundle(self) -> None:
        if self.person is None:
            return
        self.prepare_bundle.emit(self.person.id, bundle_document_ids(self.binder, self.person.id))
