"""Sheets print from the window: a real PDF, painted page by page on the printer."""

from __future__ import annotations

import io
from pathlib import Path

from PySide6.QtPrintSupport import QPrinter


def test_the_medication_sheet_is_made_and_prints_every_page(
    qtbot: object, demo_window: object, tmp_path: Path
) -> None:
    from pypdf import PdfReader

    from app.ui.sheets_dialog import SheetsDialog, paint_pdf

    window = demo_window
    dialog = SheetsDialog(window.binder, window.person, window)  # type: ignore[attr-defined]
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    dialog.which.setCurrentIndex(dialog.which.findData("medications"))
    made: list[bytes] = []
    dialog.make(made.append)
    qtbot.waitUntil(lambda: bool(made), timeout=30000)  # type: ignore[attr-defined]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(made[0])).pages)
    for drug in ("Lisinopril", "Atorvastatin", "Ibuprofen"):
        assert drug in text

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    pages = paint_pdf(made[0], printer)
    assert pages == len(PdfReader(io.BytesIO(made[0])).pages)
    assert len(PdfReader(tmp_path / "printed.pdf").pages) == pages


def test_the_recovery_sheet_prints_the_passphrase_only_when_asked_and_right(
    qtbot: object, demo_window: object
) -> None:
    from pypdf import PdfReader

    from app.ui.sheets_dialog import RECOVERY, SheetsDialog

    window = demo_window
    binder = window.binder  # type: ignore[attr-defined]
    binder.change_passphrase("quiet meadow copper kettle")
    dialog = SheetsDialog(binder, window.person, window)  # type: ignore[attr-defined]
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    dialog.which.setCurrentIndex(dialog.which.findData(RECOVERY))
    made: list[bytes] = []
    dialog.make(made.append)
    text = PdfReader(io.BytesIO(made[0])).pages[0].extract_text()
    assert "Write it here by hand" in text and "meadow" not in text
    assert "Whitfield" not in text, "the recovery sheet names nobody"

    dialog.with_passphrase.setChecked(True)
    dialog.passphrase.setText("not it")
    dialog.make(made.append)
    assert len(made) == 1
    assert dialog.message.text() == "That is not this binder's recovery passphrase."
    dialog.passphrase.setText("quiet meadow copper kettle")
    dialog.make(made.append)
    assert "quiet meadow copper kettle" in PdfReader(io.BytesIO(made[1])).pages[0].extract_text()
