"""Dates on the command line, typed as people type them, in the locale's order: the same
rules as the window's date field (app/records/date_input.py)."""

from __future__ import annotations

from tests.conftest import Cli


def test_born_april_12_1961_is_stored_and_listed_the_one_way_dates_are_shown(cli: Cli) -> None:
    assert cli.run("init", "--person", "Ada Example", "--born", "April 12, 1961").code == 0
    people = cli.run("person", "list", "--json").json()
    assert [p["born"] for p in people] == ["1961-04-12"]
    assert "Ada Example  born 12 Apr 1961" in cli.run("person", "list").out


def test_an_all_number_date_follows_the_locale_and_is_asked_about_where_it_says_none(
    cli: Cli,
) -> None:
    assert cli.run("init", "--person", "Ada Example").code == 0
    cli.env["LC_ALL"] = "C.UTF-8"
    asked = cli.run("person", "add", "Bob Example", "--born", "03/04/1960")
    assert asked.code == 2
    assert "“03/04/1960”: 3 April 1960 or 4 March 1960?" in asked.err
    assert cli.run("person", "list", "--json").json()[-1]["name"] == "Ada Example"

    cli.env["LC_ALL"] = "en_US.UTF-8"
    assert cli.run("person", "add", "Bob Example", "--born", "03/04/1960").code == 0
    cli.env["LC_ALL"] = "en_GB.UTF-8"
    assert cli.run("person", "add", "Cy Example", "--born", "03/04/1960").code == 0
    born = {p["name"]: p["born"] for p in cli.run("person", "list", "--json").json()}
    assert born["Bob Example"] == "1960-03-04", "month/day/year in the United States"
    assert born["Cy Example"] == "1960-04-03", "day/month/year in Britain"
    # And each shows dates its own way.
    assert "Bob Example  born 4 Mar 1960" in cli.run("person", "list").out  # en_GB
    cli.env["LC_ALL"] = "en_US.UTF-8"
    assert "Bob Example  born Mar 4, 1960" in cli.run("person", "list").out


def test_nonsense_is_refused_with_its_reason_and_nothing_changes(cli: Cli) -> None:
    assert cli.run("init", "--person", "Ada Example").code == 0
    added = cli.run("med", "add", "Tamoxifen", "--dose", "20 mg", "--start", "31 Feb 2024")
    assert added.code == 2
    assert "February 2024 has no day 31" in added.err
    assert cli.run("med", "list", "--json").json() == []
    assert cli.run("med", "add", "Tamoxifen", "--dose", "20 mg", "--start", "March 2024").code == 0
    assert cli.run("med", "list", "--json").json()[0]["start_date"] == "2024-03"
    born = cli.run("person", "add", "Dot Example", "--born", "yesterday")
    assert born.code == 2 and "date of birth as a date" in born.err


def test_an_appointment_is_added_with_a_typed_day_and_time(cli: Cli) -> None:
    from datetime import date, timedelta

    assert cli.run("init", "--person", "Ada Example").code == 0
    added = cli.run("appt", "add", "--at", "next Monday 9:30", "--tz", "Europe/London", "--json")
    assert added.code == 0, added.err
    today = date.today()
    monday = today + timedelta(days=7 - today.weekday())
    assert added.json()["starts_at"].startswith(f"{monday.isoformat()}T09:30")
    month_only = cli.run("appt", "add", "--at", "April 2027 10:00")
    assert month_only.code == 2 and "Which day in April 2027?" in month_only.err
