"""The places later versions fill, each with a calm empty state saying what will be there."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QVBoxLayout, QWidget

from app.records.models import Person
from app.ui.look import EmptyState


@dataclass(frozen=True)
class Placeholder:
    place: str
    title: str
    text: str  # "{name}" is replaced with the person's first name


PLACEHOLDERS = (
    Placeholder(
        "Medications",
        "Medications",
        "Every medicine {name} takes or has taken, with its dose, why it was given, and the "
        "dates it started, changed and stopped. You will be able to print the whole history "
        "as one sheet for any doctor. This part of CareBinder is on its way.",
    ),
    Placeholder(
        "Care team",
        "Care team",
        "Each doctor, nurse and clinic looking after {name}: their specialty and role, the "
        "hospital, phone and fax numbers, and the patient portal. This part of CareBinder is "
        "on its way.",
    ),
    Placeholder(
        "Appointments",
        "Appointments",
        "Every appointment with the care team, with the questions to ask written down "
        "before and what the doctor said noted after. This part of CareBinder is on its way.",
    ),
    Placeholder(
        "Second opinion",
        "Second opinion",
        "A checklist of what a second-opinion doctor asks for (pathology and operative "
        "reports, discharge summaries, the treatment plan, the medication history) showing "
        "what is here and what is still missing, and one button that gathers it all into a "
        "bundle for the doctor. This part of CareBinder is on its way.",
    ),
)


class PlaceholderPage(QWidget):
    def __init__(self, placeholder: Placeholder, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.placeholder = placeholder
        self.setAccessibleName(placeholder.place)
        self.empty = EmptyState(placeholder.title, "")
        box = QVBoxLayout(self)
        box.addWidget(self.empty)

    def set_person(self, person: Person) -> None:
        first = person.name.split()[0] if person.name.split() else person.name
        self.empty.set_text(self.placeholder.title, self.placeholder.text.format(name=first))
