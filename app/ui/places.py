"""The places in the sidebar, in order, and the page that fills each.

Overview and Documents are made by the main window itself (they need its undo stack and
talk to each other). Every other place is a page class made as `Page(binder)` with
`set_person(person)`; a place with no page yet shows its placeholder (placeholder_pages.py).
The main window makes these pages the first time they are shown, and `later` keeps even
their modules from being imported before then: start-up pays only for what it shows.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from app.ui.placeholder_pages import PLACEHOLDERS, PlaceholderPage
from app.vault.binder import Binder

PageFactory = Callable[[Binder], QWidget]


def later(module: str, name: str) -> PageFactory:
    """A factory for the page class `module.name`, imported when the page is first made."""

    def make(binder: Binder) -> QWidget:
        page: QWidget = getattr(importlib.import_module(module), name)(binder)
        return page

    return make


BUILT_IN = ("Overview", "Documents")
PAGES: dict[str, PageFactory] = {
    "Medications": later("app.ui.medications_page", "MedicationsPage"),
    "Care team": later("app.ui.care_team_page", "CareTeamPage"),
    "Appointments": later("app.ui.appointments_page", "AppointmentsPage"),
    "Second opinion": later("app.ui.second_opinion_page", "SecondOpinionPage"),
}
PLACES = (*BUILT_IN, *(p.place for p in PLACEHOLDERS))


def make_page(place: str, binder: Binder) -> QWidget:
    """The page for a place after Overview and Documents (a placeholder if none yet)."""
    factory = PAGES.get(place)
    if factory is not None:
        return factory(binder)
    placeholder = next(p for p in PLACEHOLDERS if p.place == place)
    return PlaceholderPage(placeholder)
