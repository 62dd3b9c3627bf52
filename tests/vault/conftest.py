"""After every test that used the `binder` fixture, the binder must still pass `check`,
unless the test is marked `breaks_binder` (it damages the binder on purpose)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def binder_is_whole_afterwards(request: pytest.FixtureRequest) -> Iterator[None]:
    if "binder" not in request.fixturenames:
        yield
        return
    # Asked for here, so the binder is still open when this fixture's teardown runs.
    binder = request.getfixturevalue("binder")
    yield
    if request.node.get_closest_marker("breaks_binder"):
        return
    from sqlcipher3.dbapi2 import ProgrammingError

    try:
        report = binder.check()
    except ProgrammingError:
        return  # the test closed this binder itself (and reopened and checked another)
    assert report.ok, f"the test left a binder that is not whole: {report.problems}"
