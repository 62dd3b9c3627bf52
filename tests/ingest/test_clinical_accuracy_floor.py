"""Reading real reports stays as good as it is: on the hand-labelled corpus reports
(clinical_labels.toml), each field keeps at least its measured share of right answers, less
a small margin, and fields a report does not state stay empty. A change that breaks reading
fails here; the full figures (and the baseline) are printed by tests/bench/
test_clinical_accuracy.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ingest.clinical_scoring import (
    by,
    field_group,
    load_labels,
    new_reader,
    percent,
    score,
    share,
)

pytestmark = pytest.mark.corpus

# field -> fewest right answers allowed, of the stated values labelled (measured at the end
# of issue 17, minus one or two: a floor, not the result).
FLOORS = {
    "malignant": (65, 66),
    "site": (52, 56),
    "laterality": (22, 25),
    "histology": (50, 53),
    "grade": (42, 46),
    "pT": (23, 25),
    "pN": (22, 23),
    "pM": (11, 13),
    "stage_group": (1, 3),
    "ajcc": (4, 5),
    "lymph_nodes": (23, 28),
    "margins": (28, 32),
    "lvi": (18, 22),
    "size": (28, 34),
    "surgery": (32, 36),
    "biomarkers": (8, 11),
}


def test_reading_the_labelled_reports_keeps_its_accuracy(corpus: Path) -> None:
    labels = load_labels()
    outcomes = score(corpus, labels, new_reader)
    fields = by([o for o in outcomes if o.stated], field_group)
    report = []
    for name, (floor, total) in FLOORS.items():
        right, seen = share(fields[name])
        assert seen == total, f"{name}: {seen} labelled values, the floor counts {total}"
        if right < floor:
            misses = [f"{Path(o.file).name}: want {o.expected!r}, got {o.got!r}"
                      for o in fields[name] if not o.right]  # fmt: skip
            report.append(f"{name}: {percent(right, seen)}, floor {floor}: " + "; ".join(misses))
    assert not report, "\n".join(report)
    # What a report does not state is not invented (a false site, stage or grade).
    invented = [o for o in outcomes if not o.stated and not o.right]
    assert len(invented) <= 2, [f"{Path(o.file).name} {o.field}: {o.got!r}" for o in invented]
    # The headline: nine in ten stated fields right on the reports held out while tuning.
    held = [o for o in outcomes if o.split == "held" and o.stated]
    right, total = share(held)
    assert right / total >= 0.88, percent(right, total)
