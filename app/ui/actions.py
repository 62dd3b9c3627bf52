"""The window's commands in one table: text, shortcut, menu, the handler's name, and the
places whose toolbar shows it.

The main window builds every QAction from this table, so menus, toolbar and shortcuts stay
out of the window class and the list of commands can be read in one place. The toolbar
follows the page: a command shows there only on the places it names ("Trash" is the
Documents page while it shows the Trash), so "Move to Trash" is never offered where no
document is in sight.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QToolBar, QWidget

Key = QKeySequence.StandardKey


@dataclass(frozen=True)
class Command:
    name: str
    text: str
    menu: str
    shortcut: QKeySequence.StandardKey | str | None = None
    tip: str = ""
    checkable: bool = False
    places: tuple[str, ...] = ()  # where the toolbar offers it (none: menus only)


COMMANDS = (
    Command(
        "import",
        "&Import documents...",
        "&File",
        Key.Open,
        "Add files or folders to this person's documents",
        places=("Overview", "Documents"),
    ),
    Command(
        "import_imaging",
        "Import an imaging &disc...",
        "&File",
        None,
        "Add the scans (CT, MRI, PET...) from a hospital's CD, DVD or USB stick",
    ),
    Command(
        "import_portal",
        "Import from a patient &portal...",
        "&File",
        None,
        "Medications, problems, visits and more from a hospital portal file",
    ),
    Command(
        "save_copy",
        "&Save a copy...",
        "&File",
        Key.SaveAs,
        "Write the original of the chosen document where you choose",
    ),
    Command(
        "add_person", "Add a &person...", "&File", None, "Keep the records of someone else too"
    ),
    Command(
        "export_bundle",
        "&Prepare a bundle for a doctor...",
        "&File",
        "Ctrl+E",
        "Everything a second-opinion doctor needs, in one ZIP or folder",
        places=("Overview", "Second opinion"),
    ),
    Command(
        "sheets",
        "&Print or save a sheet...",
        "&File",
        Key.Print,
        "The summary sheet, the medication history, the questions, the recovery sheet",
    ),
    Command(
        "backup",
        "&Back up...",
        "&File",
        None,
        "Write the whole binder to one encrypted file, for another disk",
    ),
    Command(
        "auto_backup",
        "A&utomatic backups...",
        "&File",
        None,
        "Back up to a folder of your choice every day or every week",
    ),
    Command(
        "change_passphrase",
        "Change the recovery pass&phrase...",
        "&File",
        None,
        "Set a new recovery passphrase",
    ),
    Command(
        "forget_key",
        "&Forget this computer...",
        "&File",
        None,
        "Ask for the recovery passphrase at every start on this computer",
    ),
    Command(
        "kept_aside",
        "Files kept &aside...",
        "&File",
        None,
        "Stored files no document names, kept (encrypted) instead of deleted",
    ),
    Command("lock", "&Lock now", "&File", "Ctrl+L", "Hide the records until the passphrase"),
    Command(
        "lock_after",
        "Lock &after idle minutes...",
        "&File",
        None,
        "Lock the window by itself when nobody has used it for a while",
    ),
    Command("quit", "&Quit", "&File", Key.Quit, "Close CareBinder"),
    Command("undo", "&Undo", "&Edit", Key.Undo, "Undo the last change"),
    Command("redo", "&Redo", "&Edit", Key.Redo, "Redo what was undone"),
    Command("find", "&Search documents", "&Edit", Key.Find, "Search the words in every document"),
    Command(
        "add_medication",
        "Add a &medication...",
        "&Edit",
        None,
        "A medicine taken now or before, with its dose",
        places=("Medications",),
    ),
    Command(
        "add_doctor",
        "Add a doctor or &clinic...",
        "&Edit",
        None,
        "Someone in the care team, with their phone and fax",
        places=("Care team",),
    ),
    Command(
        "add_appointment",
        "Add an &appointment...",
        "&Edit",
        None,
        "A visit, with the questions to ask",
        places=("Appointments",),
    ),
    Command(
        "delete",
        "Move to &Trash",
        "&Edit",
        Key.Delete,
        "Move the chosen document to the Trash",
        places=("Documents",),
    ),
    Command(
        "restore",
        "&Restore from the Trash",
        "&Edit",
        "Ctrl+R",
        "Put the chosen document back among the documents",
        places=("Trash",),
    ),
    Command(
        "purge",
        "&Delete for good...",
        "&Edit",
        "Shift+Del",
        "Remove the chosen document from the Trash and from this binder",
        places=("Trash",),
    ),
    Command(
        "show_trash",
        "Show the &Trash",
        "&View",
        "Ctrl+T",
        "See the documents you deleted",
        checkable=True,
        places=("Documents", "Trash"),
    ),
    Command("zoom_in", "&Larger preview", "&View", Key.ZoomIn, "Zoom in on the preview"),
    Command("zoom_out", "S&maller preview", "&View", Key.ZoomOut, "Zoom out of the preview"),
    Command("about", "&About CareBinder", "&Help", None, "What CareBinder is"),
)


def build_actions(parent: QWidget, handlers: dict[str, Callable[[], None]]) -> dict[str, QAction]:
    """One QAction per command, connected to its handler (KeyError when one is missing)."""
    actions: dict[str, QAction] = {}
    for command in COMMANDS:
        action = QAction(command.text, parent)
        action.setObjectName(command.name)
        if command.shortcut is not None:
            action.setShortcut(QKeySequence(command.shortcut))
        action.setToolTip(command.tip or command.text.replace("&", ""))
        action.setStatusTip(command.tip)
        action.setCheckable(command.checkable)
        # Every command must have its handler: a menu entry that does nothing is a bug.
        handler = handlers[command.name]
        action.triggered.connect(lambda _checked=False, h=handler: h())
        actions[command.name] = action
    return actions


class PageToolbar(QToolBar):
    """The toolbar of the page shown: the commands whose `places` name it."""

    def __init__(self, actions: dict[str, QAction], parent: QWidget | None = None) -> None:
        super().__init__("This page", parent)
        self.setObjectName("page toolbar")
        self.setMovable(False)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self._actions = actions

    def show_for(self, place: str) -> None:
        self.clear()  # the actions stay (in the menus); only this bar lets them go
        for command in COMMANDS:
            if place in command.places:
                self.addAction(self._actions[command.name])
