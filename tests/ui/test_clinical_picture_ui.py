"""The clinical picture in the window, driven as a user would (offscreen) on the demo binder:
the Overview opens with the diagnosis and stage in plain words and a way to check them, the
care journey shows the cancer's story, the treatment summary settles a conflict and takes a
result or a cancer the records do not give, and the opinions read against the records."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QGroupBox, QLabel, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from app.ingest.kinds import DocumentKind
from app.records.documents import update_document
from app.records.importer import import_bytes
from app.records.opinions import add_opinion
from app.records.picture import FieldState, clinical_picture
from app.records.timeline import EventCategory
from tests.fixtures import make_pdf

MASTECTOMY = """SURGICAL PATHOLOGY REPORT
Specimen: Left breast, mastectomy.
FINAL DIAGNOSIS
Left breast, mastectomy: Invasive ductal carcinoma,
Nottingham grade 2. Pathologic stage: pT3 pN0."""


def _button(widget: QWidget, name: str) -> QPushButton:
    found = [b for b in widget.findChildren(QPushButton) if b.accessibleName() == name]
    assert found, name
    return found[0]


def _thomas(window: object) -> None:
    box = window.person_box  # type: ignore[attr-defined]
    box.setCurrentIndex(box.findText("Thomas Whitfield"))


def test_the_overview_opens_with_the_diagnosis_and_a_way_to_check_it(
    qtbot: QtBot, demo_window: object
) -> None:
    window = demo_window
    box = window.overview.diagnosis  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: not box.reading and "Reading" not in box.words.text(), timeout=20000)
    # Eleanor checked her diagnosis and stage: the Overview says so.
    assert box.words.text() == (
        "Invasive ductal carcinoma of the left breast, stage IIA, checked by you."
    )
    overview = window.overview  # type: ignore[attr-defined]
    top = box.mapTo(overview, QPoint(0, 0)).y()
    assert top < overview.conditions.mapTo(overview, QPoint(0, 0)).y(), "above other problems"

    # Thomas has not: found in the records, not checked yet.
    _thomas(window)
    qtbot.waitUntil(lambda: "rectum" in box.words.text(), timeout=20000)
    assert box.words.text() == (
        "Invasive adenocarcinoma of the rectum, stage IIIB, found in the records, not checked yet."
    )
    assert box.hint.isVisibleTo(box)
    qtbot.mouseClick(box.check_button, Qt.MouseButton.LeftButton)
    page = window.other_pages["Second opinion"]  # type: ignore[attr-defined]
    assert window.stack.currentWidget() is page  # type: ignore[attr-defined]
    assert page.tabs.currentIndex() == page.tab_treatment

    # The care journey tells the cancer's story too.
    window.show_place("Overview")  # type: ignore[attr-defined]
    timeline = window.overview.timeline  # type: ignore[attr-defined]
    qtbot.waitUntil(
        lambda: any(e.category is EventCategory.CANCER for e in timeline.shown_events()),
        timeout=20000,
    )
    story = [(e.date, e.title) for e in timeline.shown_events() if e.category.value == "cancer"]
    assert ("2021-02-09", "Diagnosis: Invasive adenocarcinoma of the rectum") in story
    assert ("2021-06-28", "Surgery: Low anterior resection with loop ileostomy") in story
    assert ("2021-08-16", "Treatment: Oxaliplatin") in story


def test_the_treatment_summary_settles_a_conflict_and_takes_what_the_records_lack(
    qtbot: QtBot, demo_window: object, tmp_path: Path
) -> None:
    window = demo_window
    person = window.person  # type: ignore[attr-defined]
    binder = window.binder  # type: ignore[attr-defined]
    # Two surgical reports that disagree on the tumour's T category.
    for name, text, day in (
        ("lumpectomy.pdf", MASTECTOMY.replace("mastectomy", "lumpectomy").replace("pT3", "pT2"),
         "2026-11-02"),
        ("mastectomy.pdf", MASTECTOMY, "2026-12-01"),
    ):  # fmt: skip
        doc = import_bytes(binder, person.id, make_pdf(None, text), name,
                           kind=DocumentKind.PATHOLOGY).document  # fmt: skip
        assert doc is not None
        update_document(binder, doc.id, date=day)
    window.show_place("Second opinion")  # type: ignore[attr-defined]
    page = window.other_pages["Second opinion"]  # type: ignore[attr-defined]
    page.tabs.setCurrentIndex(page.tab_treatment)
    view = page.treatment
    view.refresh()
    shown = view.findChild(QLabel, "stage.pathologic_t")
    assert shown is not None and shown.text() == "To settle: pT2 or pT3"
    assert "1 to settle" in view.count.text()

    qtbot.mouseClick(
        _button(view, "Use pT3 for Pathological T (tumour)"), Qt.MouseButton.LeftButton
    )
    chosen = clinical_picture(binder, person.id).field("stage.pathologic_t")
    assert (chosen.value, chosen.state) == ("pT3", FieldState.CONFIRMED)
    assert view.findChild(QLabel, "stage.pathologic_t").text() == "pT3"  # type: ignore[union-attr]
    assert "to settle" not in view.count.text()

    # A result the records do not give.
    qtbot.mouseClick(_button(view, "Add a result"), Qt.MouseButton.LeftButton)
    dialog = view.dialog
    dialog.which.setCurrentIndex(dialog.which.findText("PD-L1"))  # type: ignore[union-attr]
    dialog.answer.setText("1%")  # type: ignore[union-attr]
    dialog.accept()  # type: ignore[union-attr]
    pdl1 = clinical_picture(binder, person.id).field("biomarker.pdl1")
    assert (pdl1.value, pdl1.state) == ("1%", FieldState.TYPED)
    assert view.findChild(QLabel, "biomarker.pdl1") is not None

    # Another cancer, written in, then taken out again.
    qtbot.mouseClick(_button(view, "Add another cancer"), Qt.MouseButton.LeftButton)
    assert clinical_picture(binder, person.id).numbers == (1, 2)
    assert "Diagnosis: the second cancer" in [g.title() for g in view.findChildren(QGroupBox)]
    qtbot.mouseClick(
        _button(view, "Remove: Diagnosis: the second cancer"), Qt.MouseButton.LeftButton
    )
    assert clinical_picture(binder, person.id).numbers == (1,)


def test_the_opinions_read_against_what_the_records_say(qtbot: QtBot, demo_window: object) -> None:
    window = demo_window
    person = window.person  # type: ignore[attr-defined]
    binder = window.binder  # type: ignore[attr-defined]
    added = add_opinion(binder, person.id, given_on="2026-12-02",
                        diagnosis="Invasive ductal carcinoma", stage="IB")  # fmt: skip
    window.show_place("Second opinion")  # type: ignore[attr-defined]
    page = window.other_pages["Second opinion"]  # type: ignore[attr-defined]
    page.refresh()
    page.opinions.choose([added.id])  # the ticks chosen before stay: this one is ticked
    comparison = page.opinions.comparison
    assert comparison.cell_text("stage", 0) == "IB"
    assert comparison.records_text("stage").startswith("Stage IIA")
    assert comparison.records_text("diagnosis").startswith(
        "Invasive ductal carcinoma of the left breast"
    )
    assert comparison.records_text("diagnosis").endswith("(checked by you)")
