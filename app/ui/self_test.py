"""`carebinder --self-test`: prove an installed or frozen CareBinder works end to end.

In a temporary binder (its key kept in memory only): import a PDF, find its words, show the
main window, export a bundle and verify it. Prints each step; exit 0 only when all pass.
Used on the PyInstaller build (packaging/README.md), where a missing module or data file
would otherwise only show up on a user's machine.
"""

from __future__ import annotations

import os
import secrets
import shutil
import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path


def _pdf() -> bytes:
    import io

    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out)
    pdf.drawString(72, 760, "SURGICAL PATHOLOGY REPORT")
    pdf.drawString(72, 740, "Final diagnosis: selfcheckium benign tissue")
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def run_self_test() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import keyring
    from keyring.backends import fail

    keyring.set_keyring(fail.Keyring())  # the self-test never touches the user's keyring
    root = Path(tempfile.mkdtemp(prefix="carebinder-self-test-"))
    state: dict[str, object] = {}

    def create() -> None:
        from app.records.people import add_person
        from app.vault.binder import Binder

        binder = Binder.create(root / "binder", secrets.token_urlsafe(16))
        state["binder"] = binder
        state["person"] = add_person(binder, "Self Test").id

    def import_pdf() -> None:
        from app.records.importer import Outcome, import_bytes

        result = import_bytes(state["binder"], state["person"], _pdf(), "report.pdf")  # type: ignore[arg-type]
        if result.status is not Outcome.OK:
            raise RuntimeError(f"the PDF was not imported: {result.reason}")

    def search() -> None:
        from app.records.search import search as find

        if not find(state["binder"], "selfcheckium"):  # type: ignore[arg-type]
            raise RuntimeError("the imported words were not found")

    def window() -> None:
        from app.ui.application import make_application
        from app.ui.main_window import MainWindow

        app = make_application()
        shown = MainWindow(state["binder"], demo=False)  # type: ignore[arg-type]
        shown.show()
        app.processEvents()
        if not shown.isVisible() or shown.documents.model.rowCount() != 1:
            raise RuntimeError("the main window did not show the document")
        shown.close()
        app.processEvents()

    def export() -> None:
        from app.export.bundle import build_bundle
        from app.export.verify import verify

        target = root / "bundle.zip"
        build_bundle(state["binder"], state["person"], target)  # type: ignore[arg-type]
        report = verify(target)
        if not report.ok:
            raise RuntimeError(f"the bundle did not verify: {report.problem}")

    steps: list[tuple[str, Callable[[], None]]] = [
        ("create a binder", create),
        ("import a PDF", import_pdf),
        ("search its words", search),
        ("show the main window", window),
        ("export and verify a bundle", export),
    ]
    try:
        for name, step in steps:
            try:
                step()
            except Exception:
                print(f"self-test: {name}: FAILED", flush=True)
                traceback.print_exc()
                return 1
            print(f"self-test: {name}: ok", flush=True)
        print("self-test passed", flush=True)
        return 0
    finally:
        binder = state.get("binder")
        if binder is not None:
            from app.ui.jobs import wait_for_jobs

            wait_for_jobs()
            binder.close()  # type: ignore[attr-defined]
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(run_self_test())
