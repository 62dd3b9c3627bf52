"""Start-up loads what the first window needs, and no more: a new process opens a binder
and shows the main window, and the report readers (app.ingest.clinical, a tenth of a second
of imports) and numpy (sqlite-utils would import it to map its types) are not loaded. They
load when first needed: the diagnosis when the Overview is seen, numpy for an imaging
picture."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import PASSPHRASE, ROOT

SHOW = """
import json, sys
from pathlib import Path
from app.ui.application import make_application
app = make_application()
from app.vault.unlock import open_with_passphrase
binder = open_with_passphrase(Path(sys.argv[1]), sys.argv[2], remember=False)
from app.ui.main_window import MainWindow
window = MainWindow(binder)
window.show_place(sys.argv[3])
window.show()
for _ in range(20):
    app.processEvents()
from app.ui.jobs import wait_for_jobs
wait_for_jobs()
app.processEvents()
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("app", "numpy", "pandas"))
print(json.dumps(loaded))
window.close()
binder.close()
"""


def _loaded(data_dir: Path, place: str) -> set[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run(
        [sys.executable, "-c", SHOW, str(data_dir), PASSPHRASE, place],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=True,
        timeout=120,
    ).stdout
    return set(json.loads(out.splitlines()[-1]))


def _binder(data_dir: Path) -> None:
    from app.records.people import add_person
    from app.vault.binder import Binder

    with Binder.create(data_dir, PASSPHRASE) as binder:
        add_person(binder, "Ada Example")


def test_a_window_opening_on_the_documents_loads_no_report_reader(
    data_dir: Path, no_keyring: None
) -> None:
    _binder(data_dir)
    loaded = _loaded(data_dir, "Documents")
    assert "app.ui.main_window" in loaded and "app.records.picture.model" in loaded
    assert "numpy" not in loaded
    assert not {m for m in loaded if m.startswith("app.ingest.clinical")}
    assert "app.records.importer" not in loaded


def test_the_overview_reads_the_diagnosis_when_it_is_seen(data_dir: Path, no_keyring: None) -> None:
    _binder(data_dir)
    loaded = _loaded(data_dir, "Overview")
    assert "app.records.picture.build" in loaded and "app.ingest.clinical" in loaded
    assert "numpy" not in loaded
