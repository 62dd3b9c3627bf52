"""A reminder comes once, before the appointment, while CareBinder runs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.records.appointments import add_appointment


def test_a_due_reminder_is_shown_once_in_the_window(qtbot: object, window: object) -> None:
    binder = window.binder  # type: ignore[attr-defined]
    soon = datetime.now(UTC).replace(microsecond=0) + timedelta(minutes=30)
    add_appointment(binder, 1, soon, "UTC", minutes=30, purpose="Blood draw", reminder_minutes=60)
    later = soon + timedelta(days=3)
    add_appointment(binder, 1, later, "UTC", minutes=30, purpose="Scan", reminder_minutes=60)

    watcher = window.reminders  # type: ignore[attr-defined]
    shown = watcher.check()
    assert shown == [f"Reminder for Ada Example: Blood draw, {soon:%A %d %B at %H:%M}."]
    assert window.statusBar().currentMessage() == shown[0]  # type: ignore[attr-defined]
    assert watcher.check() == [], "each reminder is shown once"
    assert watcher.check(later - timedelta(minutes=10)) == [
        f"Reminder for Ada Example: Scan, {later:%A %d %B at %H:%M}."
    ]
