"""The three care pages (issue 5), by the place name the main window's sidebar shows.

Each is a QWidget made as `Page(binder, parent=None)` with `set_person(person)`.
"""

from __future__ import annotations

from app.ui.appointments_page import AppointmentsPage
from app.ui.care_team_page import CareTeamPage
from app.ui.medications_page import MedicationsPage

CARE_PAGES = (
    ("Medications", MedicationsPage),
    ("Care team", CareTeamPage),
    ("Appointments", AppointmentsPage),
)

__all__ = ["CARE_PAGES", "AppointmentsPage", "CareTeamPage", "MedicationsPage"]
