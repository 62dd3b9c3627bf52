"""Cycles are collected on the UI thread only, never by a worker that happens to allocate."""

from __future__ import annotations

import gc


def test_the_cycle_collector_runs_on_the_ui_thread_only(qtbot: object) -> None:
    from app.ui.application import make_application
    from app.ui.ui_thread_gc import collect_on_ui_thread

    collector = collect_on_ui_thread(make_application())
    assert not gc.isenabled(), "automatic collection is off"

    class Node:
        other: object = None

    for _ in range(collector.threshold[0] + 10):
        a, b = Node(), Node()
        a.other, b.other = b, a
    del a, b
    assert collector.check() > 0, "the timer's check frees the cycles"
