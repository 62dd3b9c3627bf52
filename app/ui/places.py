"""The places in the sidebar, in order, and the page that fills each.

Overview and Documents are made by the main window itself (they need its undo stack and
talk to each other). Every other place is a page class made as `Page(binder)` with
`set_person(person)`; a place with no page yet shows its placeholder (placeholder_pages.py).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from app.ui.care_pages import CARE_PAGES
from app.ui.placeholder_pages import PLACEHOLDERS, PlaceholderPage
from app.ui.second_opinion_page import SecondOpinionPage
from app.vault.binder import Binder

PageFactory = Callable[[Binder], QWidget]

BUILT_IN = ("Overview", "Documents")
PAGES: dict[str, PageFactory] = {
    **dict(CARE_PAGES),
    "Second opinion": SecondOpinionPage,
}
PLACES = (*BUILT_IN, *(p.place for p in PLACEHOLDERS))


def make_page(place: str, binder: Binder) -> QWidget:
    """The page for a place after Overview and Documents (a placeholder if none yet)."""
    factory = PAGES.get(place)
    if factory is not None:
        return factory(binder)
    placeholder = next(p for p in PLACEHOLDERS if p.place == place)
    return PlaceholderPage(placeholder)
