"""The first-run wizard: what CareBinder is, a recovery passphrase, and the first person.

On leaving the person page the binder is created (a fraction of a second: the passphrase is
stretched with Argon2id) and its key is offered to the OS keyring on a worker, so a slow or
locked keyring never freezes the window. The last page says plainly whether daily use will
need the passphrase, and offers three next steps (drop the hospital papers, import from a
patient portal, add the second-opinion appointment): the choice is kept in `first_step` and
the main window takes it as soon as it opens.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from app.records.date_input import DateUse
from app.ui.date_field import DateField
from app.ui.dropped_files import carries_local_files, local_files
from app.ui.jobs import run_job

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow
from app.ui.look import heading, paragraph
from app.vault.binder import Binder
from app.vault.keys import passphrase_problem, strength_hint
from app.vault.os_keyring import KeyringAnswer


class WelcomePage(QWizardPage):
    def __init__(self, data_dir: Path) -> None:
        super().__init__()
        self.setTitle("Welcome to CareBinder")
        self.setSubTitle("One safe place for your medical records, on your own computer.")
        box = QVBoxLayout(self)
        box.addWidget(
            paragraph(
                "CareBinder keeps medical records, medications, the care team and "
                "appointments together, for you and for the people you look after. It helps "
                "you gather everything a doctor needs for a second opinion."
            )
        )
        box.addWidget(
            paragraph(
                "Everything stays on this computer and is encrypted. Nothing is sent "
                "anywhere. The next steps take about a minute."
            )
        )
        where = paragraph(f"Your binder will be kept in: {data_dir}")
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.addWidget(where)
        box.addStretch(1)
        box.addWidget(paragraph("Moving to a new computer? Restore the backup you made."))
        self.restore_button = QPushButton("Restore from a backup...")
        self.restore_button.setAccessibleName("Restore from a backup")
        box.addWidget(self.restore_button, 0, Qt.AlignmentFlag.AlignLeft)


class PassphrasePage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Choose a recovery passphrase")
        self.setSubTitle("It opens your binder on a new computer or from a backup.")
        explain = paragraph(
            "On this computer you will usually not need it: the computer keeps CareBinder's "
            "key safe for you. Write the passphrase down and keep it somewhere safe. "
            "Nobody, not even CareBinder, can recover it for you. A few unrelated words, "
            "like “blue heron paper lantern”, are strong and easy to remember."
        )
        self.first = QLineEdit()
        self.first.setEchoMode(QLineEdit.EchoMode.Password)
        self.first.setAccessibleName("Recovery passphrase")
        self.second = QLineEdit()
        self.second.setEchoMode(QLineEdit.EchoMode.Password)
        self.second.setAccessibleName("Recovery passphrase again")
        self.show_box = QCheckBox("Show the passphrase")
        self.show_box.toggled.connect(self._show)
        self.hint = QLabel(" ")
        self.hint.setAccessibleName("Passphrase strength")
        self.hint.setWordWrap(True)
        self.problem = QLabel(" ")
        self.problem.setAccessibleName("Passphrase problem")
        self.problem.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Recovery passphrase:", self.first)
        form.addRow("Strength:", self.hint)
        form.addRow("The same again:", self.second)
        form.addRow("", self.show_box)
        box = QVBoxLayout(self)
        box.addWidget(explain)
        box.addSpacing(8)
        box.addLayout(form)
        box.addWidget(self.problem)
        box.addStretch(1)
        self.first.textChanged.connect(self._changed)
        self.second.textChanged.connect(self._changed)

    def _show(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self.first.setEchoMode(mode)
        self.second.setEchoMode(mode)

    def _changed(self) -> None:
        text = self.first.text()
        self.hint.setText(strength_hint(text) if text else " ")
        problem = passphrase_problem(text) if text else None
        if problem is None and self.second.text() and self.second.text() != text:
            problem = "The two passphrases are not the same yet."
        self.problem.setText(problem or " ")
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        text = self.first.text()
        return bool(text) and passphrase_problem(text) is None and self.second.text() == text

    def passphrase(self) -> str:
        return self.first.text()


class PersonPage(QWizardPage):
    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle("Whose records will you keep first?")
        self.setSubTitle("Yourself, or the person you care for. You can add others later.")
        self.name = QLineEdit()
        self.name.setAccessibleName("Name")
        self.name.setPlaceholderText("for example, Eleanor Whitfield")
        self.born = DateField("Date of birth", DateUse.BIRTH)
        self.problem = QLabel(" ")
        self.problem.setWordWrap(True)
        self.problem.setAccessibleName("Problem")
        form = QFormLayout()
        form.addRow("Name:", self.name)
        form.addRow("Date of birth:", self.born)
        box = QVBoxLayout(self)
        box.addWidget(
            paragraph(
                "The name and date of birth appear on the summary sheet and on every page "
                "of the records you give a doctor, so they can tell whose records they are."
            )
        )
        box.addSpacing(8)
        box.addLayout(form)
        box.addWidget(self.problem)
        box.addStretch(1)
        self.name.textChanged.connect(self.completeChanged)

    def isComplete(self) -> bool:
        return bool(self.name.text().strip())

    def validatePage(self) -> bool:
        try:
            self.born.value()
        except ValueError as exc:
            self.problem.setText(str(exc))
            return False
        problem = self._wizard.create_binder()
        self.problem.setText(problem or " ")
        return problem is None


@dataclass(frozen=True)
class FirstStep:
    """What the person chose to do first, for the main window once it opens."""

    what: str  # "import", "portal" or "appointment"
    paths: tuple[Path, ...] = field(default_factory=tuple)  # files dropped on the page


class DropArea(QFrame):
    """ "Drop the hospital papers here": files or folders dropped on it are kept."""

    dropped = Signal(list)  # list[Path]

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setFrameShadow(QFrame.Shadow.Sunken)
        self.setAccessibleName("Drop the hospital papers here")
        label = paragraph(
            "Drop the hospital papers here: the PDFs, scans and photos of your reports."
        )
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.choose = QPushButton("Choose the papers...")
        self.choose.setAccessibleName("Choose the hospital papers to add")
        box = QVBoxLayout(self)
        box.setContentsMargins(16, 14, 16, 14)
        box.addWidget(label)
        box.addWidget(self.choose, 0, Qt.AlignmentFlag.AlignHCenter)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if carries_local_files(event):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = local_files(event)
        if paths:
            event.acceptProposedAction()
            self.dropped.emit(paths)


class DonePage(QWizardPage):
    step_chosen = Signal(object)  # FirstStep

    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Your binder is ready")
        self.status = paragraph("Keeping the key safe on this computer...")
        self.status.setAccessibleName("Whether the passphrase is needed each day")
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setAccessibleName("Working")
        self.busy.setTextVisible(False)
        self.next_steps = QWidget()
        steps = QVBoxLayout(self.next_steps)
        steps.setContentsMargins(0, 8, 0, 0)
        steps.addWidget(heading("What to do next", 1.15))
        self.drop = DropArea()
        self.drop.choose.clicked.connect(lambda: self.choose(FirstStep("import")))
        self.drop.dropped.connect(lambda paths: self.choose(FirstStep("import", tuple(paths))))
        steps.addWidget(self.drop)
        self.portal_button = QPushButton("Import from a patient portal...")
        self.portal_button.setAccessibleName("Import a file downloaded from a patient portal")
        self.portal_button.clicked.connect(lambda: self.choose(FirstStep("portal")))
        self.appointment_button = QPushButton("Add the second-opinion appointment...")
        self.appointment_button.setAccessibleName("Add the second-opinion appointment")
        self.appointment_button.clicked.connect(lambda: self.choose(FirstStep("appointment")))
        for button, words in (
            (self.portal_button, "Downloaded your records from a hospital's website?"),
            (self.appointment_button, "Booked the visit with the second-opinion doctor?"),
        ):
            row = QHBoxLayout()
            row.addWidget(paragraph(words), 1)
            row.addWidget(button)
            steps.addLayout(row)
        steps.addWidget(paragraph("Or choose Finish and look around first."))
        self.next_steps.hide()
        box = QVBoxLayout(self)
        box.addWidget(self.status)
        box.addWidget(self.busy)
        box.addWidget(self.next_steps)
        box.addStretch(1)
        self.answered = False

    def choose(self, step: FirstStep) -> None:
        if self.answered:
            self.step_chosen.emit(step)

    def show_answer(self, answer: KeyringAnswer) -> None:
        self.busy.hide()
        if answer.ok:
            self.status.setText(
                "This computer keeps its key safe for you, so you will not need the "
                "passphrase day to day here. Keep the passphrase for a new computer or a "
                "backup."
            )
        else:
            self.status.setText(
                "This computer has no safe place to keep the key for you, so CareBinder "
                "will ask for your recovery passphrase each time it opens. Your records are "
                "just as safe."
            )
            # The technical reason, for whoever helps with the computer.
            self.status.setToolTip(f"The system keyring: {answer.problem}")
        self.answered = True
        self.next_steps.show()
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.answered


class FirstRunWizard(QWizard):
    """Creates the binder and its first person; `binder` is the open binder when accepted."""

    def __init__(self, data_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self.binder: Binder | None = None
        self.keyring_answer: KeyringAnswer | None = None
        self.first_step: FirstStep | None = None  # a next step chosen on the last page
        self.setWindowTitle("Set up CareBinder")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.welcome = WelcomePage(data_dir)
        self.passphrase_page = PassphrasePage()
        self.person_page = PersonPage(self)
        self.done_page = DonePage()
        for page in (self.welcome, self.passphrase_page, self.person_page, self.done_page):
            self.addPage(page)
        self.welcome.restore_button.clicked.connect(self.restore_backup)
        self.done_page.step_chosen.connect(self._step_chosen)
        self.resize(640, 520)

    def _step_chosen(self, step: FirstStep) -> None:
        self.first_step = step
        self.accept()

    def restore_backup(self) -> None:
        """A new computer: the binder comes from a backup instead of being created."""
        from app.ui.binder_safety import RestoreDialog

        dialog = RestoreDialog(self.data_dir, self)
        if dialog.exec() and dialog.binder is not None:
            self.binder = dialog.binder
            self.accept()

    def create_binder(self) -> str | None:
        """Create the binder and the first person; a plain problem when it cannot."""
        from app.records.people import add_person
        from app.vault.errors import VaultError

        if self.binder is not None:
            return None
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            binder = Binder.create(self.data_dir, self.passphrase_page.passphrase())
            add_person(binder, self.person_page.name.text(), self.person_page.born.value())
        except VaultError as exc:
            return str(exc)
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.binder = binder
        # The keyring may take seconds (or show its own prompt): never on the UI thread.
        run_job(
            lambda progress, cancel: binder.remember_key(),
            on_done=self._remembered,
            on_error=lambda exc: self._remembered(KeyringAnswer(None, None, str(exc))),
        )
        return None

    def _remembered(self, answer: KeyringAnswer) -> None:
        self.keyring_answer = answer
        self.done_page.show_answer(answer)


def take_first_step(window: MainWindow, step: object) -> None:
    """The next step chosen at the end of the wizard, taken once the main window is open."""
    from app.records.appointments import AppointmentKind

    what, paths = getattr(step, "what", ""), list(getattr(step, "paths", ()))
    if what == "import" and paths:
        window.import_paths(paths)
    elif what == "import":
        window.choose_files_to_import()
    elif what == "portal":
        window.import_from_portal()
    elif what == "appointment":
        window.show_place("Appointments")
        dialog = window.other_pages["Appointments"].open_add_dialog()  # type: ignore[attr-defined]
        if dialog is not None:
            dialog.kind.setCurrentIndex(dialog.kind.findData(AppointmentKind.SECOND_OPINION.value))
