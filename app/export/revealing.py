"""Which enclosed originals show what the user chose to withhold.

Originals go into a bundle byte for byte, never edited, so an insurance letter that prints
the authorization number still shows it after "insurance numbers" is withheld. This finds
such records (by their searchable text) so the export dialog and `carebinder export` can
say which, and offer to leave them out. No Qt here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from app.export.facts import gather
from app.export.redaction import (
    ID_NUMBER,
    INSURANCE_IDS,
    NAMED_ID_NUMBER,
    Redaction,
    care_places,
    note_choices,
    street_addresses,
)
from app.records.documents import document_text
from app.vault.binder import Binder


@dataclass(frozen=True)
class Revealing:
    document_id: int
    name: str  # the record as the lists name it: "Insurance letter: prior authorization"
    shows: tuple[str, ...]  # in words: "an insurance number", "a street address"

    def words(self) -> str:
        return f"{self.name} (it shows {' and '.join(self.shows)})"


def _squash(text: str) -> str:
    return "".join(text.split()).casefold()


def revealing_originals(
    binder: Binder,
    person_id: int,
    document_ids: Iterable[int],
    redaction: Redaction | None,
    facts: Any = None,
) -> list[Revealing]:
    """The chosen records whose own text shows a withheld value, in the records' order
    (`facts`: the person's snapshot before redaction, when already gathered)."""
    if redaction is None or not redaction.anything:
        return []
    wanted = set(document_ids)
    facts = facts if facts is not None else gather(binder, person_id)
    checks: list[tuple[str, list[str]]] = []
    if redaction.insurance_ids:
        numbers = [str(getattr(facts.insurance, n) or "") for n in INSURANCE_IDS]
        checks.append(("an insurance number", [n for n in numbers if len(n.strip()) >= 3]))
    chosen = set(redaction.notes)
    notes = [n.text for n in note_choices(facts) if n.key in chosen and len(n.text.strip()) >= 3]
    checks.append(("a note you chose to leave out", notes))
    places = care_places(facts)
    found: list[Revealing] = []
    for doc in facts.documents:
        if doc.id not in wanted:
            continue
        text = document_text(binder, doc.id)
        squashed = _squash(text)
        shows = [what for what, values in checks if any(_squash(v) in squashed for v in values)]
        if redaction.id_numbers and (ID_NUMBER.search(text) or NAMED_ID_NUMBER.search(text)):
            shows.append("an ID number")
        if redaction.addresses and street_addresses(text, [*places, doc.facility]):
            shows.append("a street address")
        if shows:
            found.append(Revealing(doc.id, doc.named, tuple(shows)))
    return found


def revealing_warning(found: list[Revealing]) -> str:
    """The same words for the dialog and the command line."""
    if not found:
        return ""
    listed = "; ".join(r.words() for r in found)
    these = "This original shows" if len(found) == 1 else "These originals show"
    return (
        f"{these} something you chose to leave out: {listed}. Original files go in exactly "
        "as they are and are never changed, so leave them out if the doctor should not see it."
    )
