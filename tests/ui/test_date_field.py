"""The date field as a person uses it: typed as people type dates, echoed back in words,
a question answered with a click, and the date stored as the binder keeps it."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from app.records.people import list_people
from app.ui.date_field import DateField
from app.ui.people_dialog import AddPersonDialog
from app.vault.binder import Binder


def test_typing_12_apr_1961_into_the_person_dialog_stores_it_and_says_it_in_words(
    qtbot: QtBot, binder: Binder
) -> None:
    dialog = AddPersonDialog(binder)
    qtbot.addWidget(dialog)
    dialog.show()
    # The suite runs in the C locale, which names no order for 03/04/2025.
    assert dialog.born.echo.text() == (
        "A date in numbers alone can read two ways here: write the month as a word."
    )
    qtbot.keyClicks(dialog.name, "Rose Whitfield")
    qtbot.keyClicks(dialog.born.line, "12 Apr 1961")
    assert dialog.born.echo.text() == "Wednesday, 12 April 1961"
    dialog.add()
    assert dialog.person is not None and dialog.person.born == "1961-04-12"
    assert [p.born for p in list_people(binder) if p.name == "Rose Whitfield"] == ["1961-04-12"]


def test_a_date_that_reads_two_ways_is_asked_about_and_a_choice_answers_it(
    qtbot: QtBot,
) -> None:
    field = DateField("Date of the letter")
    qtbot.addWidget(field)
    qtbot.keyClicks(field.line, "03/04/2025")
    assert "“03/04/2025”: 3 April 2025 or 4 March 2025?" in field.echo.text()
    assert field.line.accessibleDescription() == "“03/04/2025”: 3 April 2025 or 4 March 2025?"
    try:
        field.value()
    except ValueError as exc:
        assert "3 April 2025 or 4 March 2025" in str(exc)
    else:
        raise AssertionError("an ambiguous date was taken without asking")
    field.echo.linkActivated.emit("2025-03-04")  # the person clicks "Tuesday, 4 March 2025"
    assert field.text() == "4 Mar 2025"
    assert field.value() == "2025-03-04"
    assert field.echo.text() == "Tuesday, 4 March 2025"


def test_a_date_of_birth_takes_no_yesterday_and_partial_dates_stay_partial(
    qtbot: QtBot, binder: Binder
) -> None:
    dialog = AddPersonDialog(binder)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.name, "Tom Whitfield")
    qtbot.keyClicks(dialog.born.line, "yesterday")
    dialog.add()
    assert dialog.person is None
    assert "date of birth as a date" in dialog.problem.text()
    dialog.born.line.clear()
    qtbot.keyClicks(dialog.born.line, "April 1961")
    assert dialog.born.echo.text() == "April 1961"
    dialog.add()
    assert dialog.person is not None and dialog.person.born == "1961-04"
