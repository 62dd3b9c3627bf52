"""The Appointments page: the upcoming visits (or all of them), a month calendar with the
appointment days marked, and the chosen appointment in full (appointments_details.py).

Add opens a dialog (appointments_dialogs.py). "Save to a calendar file" writes an .ics the
user's phone or computer calendar opens, reminders included; "Open a calendar file" adds the
events of a clinic's .ics. Both run on a worker (jobs.run_job) with a database connection of
the worker's own, because they read or write a file the user chose; every other read and edit
is one small query on the UI thread.

One room, though long: the list, the month calendar and the details panel share the chosen
appointment and refresh together; each concern of the details has its own module
(appointment_questions, appointment_notes, appointment_attachments, appointment_bring).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QBrush, QFont, QPalette, QShowEvent, QTextCharFormat
from PySide6.QtWidgets import (
    QCalendarWidget,
    QFileDialog,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabBar,
    QVBoxLayout,
    QWidget,
)

from app.progress import CancelFlag, Progress
from app.records.appointments import (
    Appointment,
    AppointmentStatus,
    get_appointment,
    list_appointments,
)
from app.records.date_display import shown_day
from app.records.models import Person
from app.records.questions import list_questions
from app.records.recurrence import Recurrence, all_occurrences, recurrences
from app.records.thread_binder import on_this_thread
from app.ui.appointments_details import AppointmentDetails
from app.ui.appointments_dialogs import AddAppointmentDialog
from app.ui.care_words import clock
from app.ui.jobs import run_job
from app.ui.look import EmptyState, Notice, heading, scrolled
from app.vault.binder import Binder

APPOINTMENT_ROLE = Qt.ItemDataRole.UserRole
UPCOMING, ALL = 0, 1


def list_words(appointment: Appointment, repeats: Recurrence | None = None) -> str:
    """Two lines for the list: the day and time, then what and with whom (and how it
    repeats, for treatment cycles)."""
    start = appointment.local_start
    first = f"{shown_day(start.date())}, {clock(start)}"
    if appointment.status is not AppointmentStatus.PLANNED:
        first += f" · {appointment.status.label}"
    elif appointment.needs_status:
        first += " · Did it take place?"
    what = appointment.purpose or appointment.kind.label
    who = f" with {appointment.doctor}" if appointment.doctor else ""
    again = f" · {repeats.words()}" if repeats is not None else ""
    return f"{first}\n{what}{who}{again}"


def _qdate(appointment: Appointment) -> QDate:
    start = appointment.local_start
    return QDate(start.year, start.month, start.day)


def export_calendar_file(
    binder: Binder, person_id: int, target: Path, appointment_id: int | None = None
) -> int:
    """Write the person's appointments (or one) to `target`; runs on a worker."""
    from app.export.calendar import calendar_bytes
    from app.vault.atomic import write_bytes

    with on_this_thread(binder) as view:
        if appointment_id is not None:
            appointments = [get_appointment(view, appointment_id)]
        else:
            appointments = list_appointments(view, person_id)
        questions = {a.id: list_questions(view, person_id, a.id) for a in appointments}
        from app.records.recurrence import recurrences

        repeats = recurrences(view, person_id)
        data = calendar_bytes(appointments, view.binder_id, questions, repeats)
    write_bytes(target, data)
    return len(appointments)


def import_calendar_file(binder: Binder, person_id: int, source: Path) -> object:
    """Add the events of the .ics at `source`; runs on a worker."""
    from app.ingest.calendar_file import MAX_CALENDAR_BYTES
    from app.ingest.refusal import Refused
    from app.records.calendar_import import import_calendar

    if source.stat().st_size > MAX_CALENDAR_BYTES:
        raise Refused("It is too large to be a calendar file.")
    data = source.read_bytes()
    with on_this_thread(binder) as view:
        return import_calendar(view, person_id, data)


class AppointmentsPage(QWidget):
    status_message = Signal(str)
    calendar_file_done = Signal(str)  # what the user was told about an .ics export or import
    open_document = Signal(int)  # an attachment to see on the Documents page
    documents_added = Signal()  # a file attached from disk joined the library

    def __init__(self, binder: Binder, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.binder = binder
        self.person: Person | None = None
        self.appointments: list[Appointment] = []
        self.repeats: dict[int, Recurrence] = {}
        self.setAccessibleName("Appointments")

        self.title = heading("Appointments")
        self.add_button = QPushButton("Add an appointment...")
        self.add_button.setAccessibleName("Add an appointment")
        self.add_button.clicked.connect(lambda: self.open_add_dialog())
        self.export_button = QPushButton("Save to a calendar file...")
        self.export_button.setAccessibleName(
            "Save all appointments to a calendar file (.ics) for a phone or computer calendar"
        )
        self.export_button.setToolTip(
            "An .ics file your phone or computer calendar opens, with the reminders, so "
            "they remind you even when CareBinder is closed."
        )
        self.export_button.clicked.connect(self.choose_export_file)
        self.import_button = QPushButton("Open a calendar file...")
        self.import_button.setAccessibleName("Add appointments from a calendar file (.ics)")
        self.import_button.setToolTip(
            "Add the appointments in an .ics file, such as one from a clinic's patient portal."
        )
        self.import_button.clicked.connect(self.choose_import_file)
        self.export_one_button = QPushButton("Save this one to a calendar file...")
        self.export_one_button.setAccessibleName(
            "Save the chosen appointment to a calendar file (.ics)"
        )
        self.export_one_button.clicked.connect(lambda: self.choose_export_file(one=True))

        self.views = QTabBar()
        self.views.setAccessibleName("Which appointments to list")
        self.views.addTab("Upcoming")
        self.views.addTab("All")
        self.views.setExpanding(False)
        self.list = QListWidget()
        self.list.setAccessibleName("Appointments")
        self.list.setAlternatingRowColors(True)
        self.list.setSpacing(2)
        self.list.setWordWrap(True)
        self.list_empty = EmptyState("", "")
        self.list_stack = QStackedWidget()
        self.list_stack.addWidget(self.list)
        self.list_stack.addWidget(self.list_empty)

        self.calendar = QCalendarWidget()
        self.calendar.setAccessibleName("Month calendar; days with an appointment are bold")
        self.calendar.setGridVisible(False)
        self.calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.calendar.clicked.connect(self.day_chosen)
        # The calendar's own buttons have no names a screen reader could say.
        for child, name in (
            ("qt_calendar_prevmonth", "Previous month"),
            ("qt_calendar_nextmonth", "Next month"),
            ("qt_calendar_monthbutton", "Choose the month"),
            ("qt_calendar_yearbutton", "Choose the year"),
            ("qt_calendar_yearedit", "Year"),
        ):
            part = self.calendar.findChild(QWidget, child)
            if part is not None:
                part.setAccessibleName(name)

        left = QWidget()
        left_box = QVBoxLayout(left)
        left_box.setContentsMargins(0, 0, 0, 0)
        left_box.addWidget(self.views)
        left_box.addWidget(self.list_stack, 1)
        left_box.addWidget(self.calendar)

        self.details = AppointmentDetails(binder)
        self.details.changed.connect(lambda _a: self.refresh())
        self.details.open_document.connect(self.open_document)
        self.details.documents_added.connect(self.documents_added)
        details_holder = QWidget()
        holder_box = QVBoxLayout(details_holder)
        holder_box.setContentsMargins(0, 0, 0, 0)
        holder_box.addWidget(self.details)
        one_row = QHBoxLayout()
        one_row.setContentsMargins(12, 0, 12, 0)
        one_row.addStretch(1)
        one_row.addWidget(self.export_one_button)
        holder_box.addLayout(one_row)
        self.details_empty = EmptyState("", "")
        holder_box.addWidget(self.details_empty, 1)
        scroll = scrolled(details_holder)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(scroll)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([360, 640])
        self.splitter.setChildrenCollapsible(False)

        self.notice = Notice()
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        for button in (self.add_button, self.export_button, self.import_button):
            top.addWidget(button)
        box = QVBoxLayout(self)
        box.addLayout(top)
        box.addWidget(self.notice)
        box.addWidget(self.splitter, 1)

        self.views.currentChanged.connect(lambda _i: self.refresh())
        self.list.currentItemChanged.connect(lambda _c, _p: self._show_selected())
        self._show_selected()

    # -- what is shown ---------------------------------------------------------------------

    def set_person(self, person: Person) -> None:
        self.details.flush()
        self.person = person
        self.notice.hide()
        self.refresh()
        self.select_row(0)

    def show_view(self, name: str) -> None:
        """Switch to "Upcoming" or "All"."""
        self.views.setCurrentIndex(ALL if name == "All" else UPCOMING)

    def refresh(self, select_id: int | None = None) -> None:
        chosen = self.selected_appointment()
        wanted = select_id if select_id is not None else (chosen.id if chosen else None)
        if self.person is None:
            self.appointments, everything = [], []
        else:
            everything = list_appointments(self.binder, self.person.id)
            if self.views.currentIndex() == UPCOMING:
                self.appointments = list_appointments(self.binder, self.person.id, upcoming=True)
            else:
                # Newest first: the next and latest visits matter more than old ones.
                self.appointments = list(reversed(everything))
        self.repeats = recurrences(self.binder, self.person.id) if self.person else {}
        self.list.blockSignals(True)
        self.list.clear()
        for appointment in self.appointments:
            item = QListWidgetItem(list_words(appointment, self.repeats.get(appointment.id)))
            item.setData(APPOINTMENT_ROLE, appointment)
            item.setToolTip(item.text().replace("\n", ": "))
            self.list.addItem(item)
        self.list.blockSignals(False)
        self._mark_days(everything)
        self.export_button.setEnabled(bool(everything))
        self._update_empty(bool(everything))
        if wanted is None or not self.select_appointment(wanted):
            self.select_row(0)

    def _mark_days(self, appointments: list[Appointment]) -> None:
        self.calendar.setDateTextFormat(QDate(), QTextCharFormat())  # clears every mark
        marked = QTextCharFormat()
        marked.setFontWeight(QFont.Weight.Bold)
        marked.setFontUnderline(True)
        marked.setBackground(QBrush(self.palette().color(QPalette.ColorRole.AlternateBase)))
        marked.setForeground(QBrush(self.palette().color(QPalette.ColorRole.Text)))
        shown = [a for a in appointments if a.status is not AppointmentStatus.CANCELLED]
        # A repeating appointment (treatment cycles) marks the day of every occurrence.
        for occurrence in all_occurrences(shown, self.repeats):
            day = occurrence.day
            self.calendar.setDateTextFormat(QDate(day.year, day.month, day.day), marked)

    def marked_days(self) -> list[QDate]:
        return sorted(self.calendar.dateTextFormat().keys(), key=lambda d: d.toJulianDay())

    def _update_empty(self, any_at_all: bool) -> None:
        name = self.person.name.split()[0] if self.person and self.person.name else "this person"
        if self.appointments:
            self.list_stack.setCurrentWidget(self.list)
            return
        if any_at_all:
            self.list_empty.set_text(
                "Nothing coming up",
                "No planned appointment is ahead; the earlier ones are all listed.",
                "Show all",
                lambda: self.show_view("All"),
            )
        else:
            # The panel beside says what appointments are for; here, what to do.
            self.list_empty.set_text(
                f"None yet for {name}",
                "Add the next visit, such as the second-opinion appointment.",
                "Add an appointment...",
                self.open_add_dialog,
            )
        self.list_stack.setCurrentWidget(self.list_empty)

    def _show_selected(self) -> None:
        appointment = self.selected_appointment()
        self.details.show_appointment(appointment)
        self.export_one_button.setVisible(appointment is not None)
        self.details_empty.setVisible(appointment is None)
        if appointment is None:
            if self.appointments:
                self.details_empty.set_text(
                    "Choose an appointment", "Its questions, notes and what to bring show here."
                )
            else:
                self.details_empty.set_text(
                    "Questions before, notes after",
                    "For each appointment you can write the questions to ask, tick them off "
                    "with the answers during the visit, and keep notes of what the doctor "
                    "said. Choose “Add an appointment” to begin, or open a calendar file "
                    "from the clinic.",
                )
        else:
            self.calendar.setSelectedDate(_qdate(appointment))

    def select_row(self, row: int) -> None:
        if 0 <= row < self.list.count():
            self.list.setCurrentRow(row)
        else:
            self.list.setCurrentRow(-1)
        self._show_selected()

    def select_appointment(self, appointment_id: int) -> bool:
        for row in range(self.list.count()):
            appointment = self.list.item(row).data(APPOINTMENT_ROLE)
            if isinstance(appointment, Appointment) and appointment.id == appointment_id:
                self.select_row(row)
                return True
        return False

    def selected_appointment(self) -> Appointment | None:
        item = self.list.currentItem()
        appointment = item.data(APPOINTMENT_ROLE) if item is not None else None
        return appointment if isinstance(appointment, Appointment) else None

    def day_chosen(self, chosen: QDate) -> None:
        """A day in the calendar: show its appointment (from All if it is not upcoming)."""
        if self.person is None:
            return
        day = chosen.toPython()
        found = [
            o
            for o in all_occurrences(list_appointments(self.binder, self.person.id), self.repeats)
            if o.day == day
        ]
        on_day = [o.appointment for o in found]
        if not on_day:
            self.status_message.emit(f"No appointment on {chosen.toString('dddd d MMMM')}.")
            return
        if found[0].times > 1:
            what = found[0].appointment.purpose or found[0].appointment.kind.label
            self.status_message.emit(
                f"{chosen.toString('dddd d MMMM')}: {what}, {found[0].words()} "
                f"({self.repeats[found[0].appointment.id].words()})."
            )
        if not self.select_appointment(on_day[0].id):
            self.show_view("All")
            self.select_appointment(on_day[0].id)

    def flush(self) -> None:
        """Save notes or answers still waiting for a pause in typing (before closing)."""
        self.details.flush()

    def showEvent(self, event: QShowEvent) -> None:
        # Another page may have changed what this one shows (a doctor renamed, a
        # medication's prescriber removed): read it again when the page comes into view.
        super().showEvent(event)
        if self.person is not None:
            self.refresh()

    # -- adding ------------------------------------------------------------------------------

    def open_add_dialog(self) -> AddAppointmentDialog | None:
        if self.person is None:
            return None
        day = self.calendar.selectedDate()
        on_day = day if day >= QDate.currentDate() else QDate.currentDate()
        dialog = AddAppointmentDialog(self.binder, self.person.id, on_day, parent=self)
        dialog.saved.connect(self._added)
        dialog.open()
        return dialog

    def _added(self, appointment: Appointment) -> None:
        self.refresh(select_id=appointment.id)
        if self.selected_appointment() is None:
            self.show_view("All")
            self.select_appointment(appointment.id)
        self.notice.show_message(
            f"Added the appointment of {appointment.local_start:%A} "
            f"{appointment.local_start.day} {appointment.local_start:%B}. Write the "
            "questions to ask below."
        )
        self.details.new_question.setFocus()

    # -- calendar files ----------------------------------------------------------------------

    def choose_export_file(self, one: bool = False) -> None:
        chosen = self.selected_appointment() if one else None
        name = "appointment.ics" if chosen else "appointments.ics"
        target, _ = QFileDialog.getSaveFileName(
            self, "Save to a calendar file", str(Path.home() / name), "Calendar files (*.ics)"
        )
        if target:
            self.export_calendar(Path(target), chosen.id if chosen else None)

    def choose_import_file(self) -> None:
        source, _ = QFileDialog.getOpenFileName(
            self,
            "Open a calendar file",
            str(Path.home()),
            "Calendar files (*.ics *.ical *.ifb *.icalendar);;All files (*)",
        )
        if source:
            self.import_calendar(Path(source))

    def export_calendar(self, target: Path, appointment_id: int | None = None) -> None:
        """Write the appointments (or one) to `target` on a worker; the page says when."""
        if self.person is None:
            return
        self.details.flush()
        binder, person_id = self.binder, self.person.id

        def work(progress: Progress, cancel: CancelFlag) -> int:
            return export_calendar_file(binder, person_id, target, appointment_id)

        def done(count: object) -> None:
            n = count if isinstance(count, int) else 0
            self._say_calendar(
                f"Saved {n} appointment{'s' if n != 1 else ''} to {target.name}. Open it "
                "with your phone's or computer's calendar: the reminders come with it."
            )

        run_job(
            work,
            on_done=done,
            on_error=lambda exc: self._say_calendar(
                f"The calendar file was not saved: {_reason(exc)}"
            ),
        )

    def import_calendar(self, source: Path) -> None:
        """Add the events of the .ics at `source` on a worker; the page says what happened."""
        if self.person is None:
            return
        self.details.flush()
        binder, person_id = self.binder, self.person.id

        def work(progress: Progress, cancel: CancelFlag) -> object:
            return import_calendar_file(binder, person_id, source)

        run_job(
            work,
            on_done=lambda result: self._imported(source, result),
            on_error=lambda exc: self._say_calendar(f"{source.name} was not added: {_reason(exc)}"),
        )

    def _imported(self, source: Path, result: object) -> None:
        from app.records.calendar_import import CalendarImport

        if not isinstance(result, CalendarImport):
            return
        added, there = len(result.added), len(result.already_there)
        parts = [f"{added} appointment{'s' if added != 1 else ''} added from {source.name}"]
        if there:
            parts.append(f"{there} {'was' if there == 1 else 'were'} already here")
        if result.skipped:
            parts.append(
                f"{len(result.skipped)} left out ({'; '.join(result.skipped[:3])}"
                + ("; ..." if len(result.skipped) > 3 else "")
                + ")"
            )
        first = result.added[0].id if result.added else None
        self.refresh(select_id=first)
        if first is not None and self.selected_appointment() is None:
            self.show_view("All")
            self.select_appointment(first)
        self._say_calendar(", ".join(parts) + ".")

    def _say_calendar(self, text: str) -> None:
        self.notice.show_message(text)
        self.status_message.emit(text)
        self.calendar_file_done.emit(text)


def _reason(exc: Exception) -> str:
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    return str(exc)
