"""Reading cancer facts from real reports: field-level accuracy against the hand labels
(tests/ingest/clinical_labels.toml), per field, per organ and per part of the labelled set,
for `app.ingest.clinical.read_report` and, as the baseline, for the rules that read reports
before issue 17 (tests/bench/old_reading.py, frozen from main).

"Stated" fields are those where the report gives a value: right means the reader found that
value. "Absent" fields are those where the report says nothing: right means the reader found
nothing (a wrong guess there is a false finding). "Tune" reports are those the rules were
written against; "held" reports were labelled afterwards and never used to change the rules
before their figure was measured.

Prints figures; asserts only that every labelled file could be read. Run with `make bench`.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.ingest.clinical import anatomy
from tests.bench import old_reading
from tests.ingest.clinical_scoring import (
    CORE,
    FIELDS,
    Outcome,
    by,
    field_group,
    load_labels,
    new_reader,
    percent,
    score,
    share,
)

pytestmark = pytest.mark.corpus

_OLD_GRADE = re.compile(r",\s*((?:nottingham |gleason |figo |histologic )?grade\s+\S+|"
                        r"(?:well|moderately|poorly) differentiated)$", re.IGNORECASE)  # fmt: skip
_OLD_TNM = re.compile(
    r"(?P<pre>[cpy]{0,2})(?P<kind>[TNM])(?P<code>[0-4]|is|x)(?P<sub>[a-d]?)", re.I
)
_OLD_MARKERS = {
    "er": r"estrogen receptor|\bER\b",
    "pr": r"progesterone receptor|\bPR\b",
    "her2": r"HER-?2",
    "ki67": r"Ki-?67",
    "pdl1": r"PD-?L1",
    "mmr": r"mismatch repair|MMR",
    "msi": r"MSI|microsatellite",
    "psa": r"PSA",
    "oncotype": r"oncotype|recurrence score|mammaprint",
}


def old_reader(text: str) -> dict[str, str]:
    """The pre-issue-17 rules, with their values split into the fields the labels use."""
    found: dict[str, str] = {}
    histology = old_reading.find_histology(text)
    if grade := _OLD_GRADE.search(histology):
        found["grade"] = grade.group(1)
        histology = histology[: grade.start()]
    found["histology"] = histology
    found["malignant"] = "true" if histology else "none"
    site = old_reading.find_site(text)
    organs = anatomy.find_sites(site)
    found["site"] = organs[0].organ if organs else site
    found["laterality"] = organs[0].side if organs else ""
    stage, _ = old_reading.find_stage(text)
    if group := re.match(r"Stage (\S+)", stage):
        found["stage_group"] = group.group(1)
    for match in _OLD_TNM.finditer(stage.split("(")[-1]):
        kind = match.group("kind").upper()
        found[f"p{kind}"] = f"{match.group('pre')}{kind}{match.group('code')}{match.group('sub')}"
    for value in old_reading.find_biomarkers(text):
        for name, pattern in _OLD_MARKERS.items():
            if re.search(pattern, value, re.IGNORECASE):
                result = re.sub(pattern, "", value, count=1, flags=re.IGNORECASE)
                found[f"biomarker.{name}"] = result.strip(" :-")
                break
    return found


def _table(title: str, rows: list[tuple[str, list[Outcome], list[Outcome]]]) -> list[str]:
    lines = [title, f"  {'':16} {'before':>16} {'after':>16}"]
    for name, old, new in rows:
        lines.append(f"  {name:16} {percent(*share(old)):>16} {percent(*share(new)):>16}")
    return lines


def test_accuracy_of_reading_real_reports(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    labels = load_labels()
    new = score(corpus, labels, new_reader)
    old = score(corpus, labels, old_reader)
    assert len({o.file for o in new}) == len(labels)

    def stated(outcomes: list[Outcome]) -> list[Outcome]:
        return [o for o in outcomes if o.stated]

    lines = [f"Reading reports: {len(labels)} hand-labelled reports"]
    old_fields = by(stated(old), field_group)
    new_fields = by(stated(new), field_group)
    names = [*FIELDS, "biomarkers"]
    lines += _table(
        "Per field (fields the report states):",
        [(n, old_fields.get(n, []), new_fields.get(n, [])) for n in names if n in new_fields],
    )
    old_organs = by(stated(old), lambda o: o.organ)
    new_organs = by(stated(new), lambda o: o.organ)
    lines += _table(
        "Per organ (fields the report states):",
        [(n, old_organs[n], new_organs[n]) for n in sorted(new_organs)],
    )
    rows = []
    for split in ("tune", "held"):
        part_old = [o for o in old if o.split == split]
        part_new = [o for o in new if o.split == split]
        rows.append((f"{split}: stated", stated(part_old), stated(part_new)))
        rows.append(
            (
                f"{split}: core",
                [o for o in stated(part_old) if o.field in CORE],
                [o for o in stated(part_new) if o.field in CORE],
            )
        )
        rows.append(
            (
                f"{split}: absent",
                [o for o in part_old if not o.stated],
                [o for o in part_new if not o.stated],
            )
        )
    rows.append(("all: stated", stated(old), stated(new)))
    rows.append(("all: every field", old, new))
    lines += _table("Share of fields right (core: " + ", ".join(CORE) + "):", rows)
    lines.append("Misses after:")
    for o in new:
        if not o.right:
            lines.append(
                f"  [{o.split}] {Path(o.file).name[:44]:44} {o.field:16} "
                f"want {o.expected!r}, got {o.got!r}"
            )
    with capsys.disabled():
        print("\n" + "\n".join(lines))
