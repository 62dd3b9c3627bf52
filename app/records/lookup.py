"""Finding the record a person means by a name or an id, as the CLI and dialogs accept."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol, TypeVar

from app.records.errors import Ambiguous, NotFound


class Named(Protocol):
    @property
    def id(self) -> int: ...

    @property
    def name(self) -> str: ...


T = TypeVar("T", bound=Named)


def pick(
    items: Sequence[T],
    name_or_id: str,
    missing: str,
    describe: Callable[[T], str] = lambda item: item.name,
) -> T:
    """The one item whose id is `name_or_id`, or whose name is it (case-insensitive), or
    contains it. Raises NotFound with `missing`, or Ambiguous naming the candidates."""
    wanted = " ".join(name_or_id.split()).casefold()
    if wanted.isdigit():
        for item in items:
            if item.id == int(wanted):
                return item
    exact = [item for item in items if item.name.casefold() == wanted]
    matches = exact or [item for item in items if wanted in item.name.casefold()]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise NotFound(missing)
    names = ", ".join(f"{describe(item)} (id {item.id})" for item in matches)
    raise Ambiguous(f"{name_or_id!r} could be {names}. Use the id.")
