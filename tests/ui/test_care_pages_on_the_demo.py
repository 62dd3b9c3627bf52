"""The three care pages on the demo binder, as the screenshots show them: what a newcomer
reads first on each. Set CAREBINDER_CARE_SHOTS=DIR to also save each page as a PNG there."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.records.people import list_people
from app.ui.appointments_page import AppointmentsPage
from app.ui.care_team_page import CareTeamPage
from app.ui.main_window import MainWindow
from app.ui.medications_page import MedicationsPage
from app.vault.binder import Binder


def shown(qtbot: QtBot, page: QWidget, binder: Binder, person: int = 0) -> QWidget:
    qtbot.addWidget(page)
    page.resize(1200, 760)
    page.show()
    page.set_person(list_people(binder)[person])  # type: ignore[attr-defined]
    return page


def save_shot(page: QWidget, name: str) -> None:
    # Let the layouts settle first (new rows are shown and laid out by queued events).
    for _ in range(3):
        QApplication.processEvents()
    image = page.grab()
    assert not image.isNull() and image.width() == 1200
    folder = os.environ.get("CAREBINDER_CARE_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        image.save(str(Path(folder) / f"{name}.png"))


CARE_PLACES = (
    ("Medications", MedicationsPage),
    ("Care team", CareTeamPage),
    ("Appointments", AppointmentsPage),
)


def test_each_care_place_in_the_window_shows_its_page(demo_window: MainWindow) -> None:
    sidebar = [demo_window.sidebar.item(r).text() for r in range(demo_window.sidebar.count())]
    for place, page_class in CARE_PLACES:
        assert place in sidebar, f"{place} is missing from the sidebar"
        demo_window.show_place(place)
        assert demo_window.sidebar.currentItem().text() == place
        shown = demo_window.stack.currentWidget()
        assert isinstance(shown, page_class), f"{place} shows {type(shown).__name__}"
        assert shown.isVisible()
    assert [p for p in sidebar if p in dict(CARE_PLACES)] == [
        "Medications",
        "Care team",
        "Appointments",
    ]


def test_eleanor_s_pages_read_well(qtbot: QtBot, demo: Binder) -> None:
    meds = shown(qtbot, MedicationsPage(demo), demo)
    assert isinstance(meds, MedicationsPage)
    assert meds.names_shown() == ["Lisinopril", "Atorvastatin", "Vitamin D3", "Lorazepam"]
    assert "Feb 2021: changed to 10 mg" in meds.details.text()
    save_shot(meds, "medications")
    meds.show_view("Past")
    assert meds.names_shown() == ["Ibuprofen"]
    meds.show_view("Timeline")
    save_shot(meds, "medications-timeline")

    team = shown(qtbot, CareTeamPage(demo), demo)
    assert isinstance(team, CareTeamPage)
    assert len(team.names_shown()) == 7
    # The second-opinion doctor, and the surgeon whose opinion differs.
    assert {"Dr. Irene Castellanos", "Dr. Marcus Hale"} <= set(team.names_shown())
    save_shot(team, "care-team")

    visits = shown(qtbot, AppointmentsPage(demo), demo)
    assert isinstance(visits, AppointmentsPage)
    assert visits.list.count() == 2, "the two coming visits"
    details = visits.details
    assert details.title.text() == "Second opinion on the treatment plan"
    assert len(details.question_texts()) == 4
    assert details.bring_list.count() == 3, "what to bring, from the binder"
    assert "(Chicago time" in details.when.text()
    assert len(visits.marked_days()) == 7
    save_shot(visits, "appointments")
    visits.show_view("All")
    assert visits.list.count() == 7
    visits.day_chosen(visits.marked_days()[2])  # the first oncology visit, done
    assert details.status.currentText() == "Done"
    assert "Stage IIA" in details.notes.toPlainText()
    save_shot(visits, "appointments-past")


def test_thomas_s_pages_show_his_own_records(qtbot: QtBot, demo: Binder) -> None:
    meds = shown(qtbot, MedicationsPage(demo), demo, person=1)
    assert isinstance(meds, MedicationsPage)
    assert "Clopidogrel" not in meds.names_shown(), "stopped: under Past"
    meds.show_view("Past")
    # His heart medicine, and the chemotherapy of his rectal cancer in 2021.
    assert set(meds.names_shown()) == {"Capecitabine", "Clopidogrel", "Oxaliplatin"}
    visits = shown(qtbot, AppointmentsPage(demo), demo, person=1)
    assert isinstance(visits, AppointmentsPage)
    assert visits.list.count() == 1
    assert "Annual check-up with Dr. Maria Lopez" in visits.list.item(0).text()
