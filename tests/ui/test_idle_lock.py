"""Locking hides the records until the passphrase; idle minutes lock by themselves."""

from __future__ import annotations


def test_a_locked_window_hides_the_records_until_the_passphrase(
    qtbot: object, window: object
) -> None:
    from tests.conftest import PASSPHRASE

    window.actions_by_name["lock"].trigger()  # type: ignore[attr-defined]
    assert window.locked  # type: ignore[attr-defined]
    assert window.centralWidget() is window.lock_panel  # type: ignore[attr-defined]
    assert not window.splitter.isVisible()  # type: ignore[attr-defined]
    assert not window.actions_by_name["import"].isEnabled()  # type: ignore[attr-defined]

    panel = window.lock_panel  # type: ignore[attr-defined]
    panel.passphrase.setText("not it")
    panel.try_passphrase()
    qtbot.waitUntil(
        lambda: panel.message.text() == "That is not the recovery passphrase.", timeout=30000
    )  # type: ignore[attr-defined]
    assert window.locked  # type: ignore[attr-defined]

    panel.passphrase.setText(PASSPHRASE)
    panel.try_passphrase()
    qtbot.waitUntil(lambda: not window.locked, timeout=10000)  # type: ignore[attr-defined]
    assert window.centralWidget() is window.splitter  # type: ignore[attr-defined]
    assert window.actions_by_name["import"].isEnabled()  # type: ignore[attr-defined]
    assert panel.passphrase.text() == ""


def test_idle_minutes_lock_the_window_only_when_chosen(window: object, settings: object) -> None:
    from app.ui.idle_lock import MINUTES

    idle = window.idle  # type: ignore[attr-defined]
    start = idle.last_activity
    assert not idle.check(start + 3600), "off by default"
    settings.setValue(MINUTES, 5)  # type: ignore[attr-defined]
    assert not idle.check(start + 4 * 60)
    assert idle.check(start + 5 * 60)
    assert window.locked  # type: ignore[attr-defined]
