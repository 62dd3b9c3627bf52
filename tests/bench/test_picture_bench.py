"""Issue 17: the clinical picture reads each report once.

    CAREBINDER_BENCH_SIZE=medium tests/with-keyring .venv/bin/python -m pytest \
        tests/bench/test_picture_bench.py -s

On the binder of ten years (tests/bench/make_binder.py), for its busiest person: the picture
built cold (every report read by app.ingest.clinical, as after an upgrade), then warm (the
stored readings: what the Overview, the treatment summary and the export pay each time),
beside the baseline of only fetching those reports' texts from the database. Nothing about
time is asserted: the ratios are what count, measured in the same run.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.bench.test_large_binder_bench import SIZE, _ratio, big  # noqa: F401  (fixture)

ROUNDS = 5


@pytest.fixture
def opened(big: Path) -> Iterator[object]:  # noqa: F811  (the fixture above, by name)
    from app.vault.unlock import open_with_passphrase
    from tests.bench.make_binder import PASSPHRASE

    binder = open_with_passphrase(big, PASSPHRASE, remember=False)
    yield binder
    binder.close()


def test_the_picture_reads_each_report_once(opened: object) -> None:
    from app.records.documents import document_text, list_documents
    from app.records.picture import clinical_picture
    from app.records.picture.readings import READ_KINDS
    from app.vault.binder import Binder

    binder = opened
    assert isinstance(binder, Binder)
    counts = binder.db.execute(
        "SELECT person_id, count(*) FROM documents GROUP BY person_id ORDER BY 2 DESC"
    ).fetchall()
    person = int(counts[0][0])
    reports = [d for d in list_documents(binder, person) if d.kind in READ_KINDS]

    fetch = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        for doc in reports:
            document_text(binder, doc.id)
        fetch.append(time.perf_counter() - started)
    with binder.transaction() as db:
        db.execute("DELETE FROM report_readings")
    started = time.perf_counter()
    picture = clinical_picture(binder, person)
    cold = time.perf_counter() - started
    warm = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        assert clinical_picture(binder, person) == picture
        warm.append(time.perf_counter() - started)
    fetch_s, warm_s = statistics.median(fetch), statistics.median(warm)
    print(
        f"\n[{SIZE}] clinical picture of {len(reports)} reports: texts fetched only "
        f"{fetch_s:.3f} s; cold (every report read) {cold:.3f} s; warm (stored readings) "
        f"{warm_s:.3f} s = cold / {cold / warm_s:.0f}, {_ratio(warm_s, fetch_s)} of "
        f"fetching the texts; {len(picture.cancers())} cancers, "
        f"{len(picture.conflicts())} conflicts"
    )
