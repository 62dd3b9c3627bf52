"""Scoring a reader of cancer facts against the hand labels in clinical_labels.toml.

Used by the accuracy floor (tests/ingest/test_clinical_accuracy_floor.py) and the benchmark
(tests/bench/test_clinical_accuracy.py). What counts as a match per field is written at the
top of clinical_labels.toml and implemented here.
"""

from __future__ import annotations

import re
import tomllib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from app.ingest.clinical import read_report
from app.ingest.clinical.grading import grade_level

LABELS = Path(__file__).with_name("clinical_labels.toml")
FIELDS = (
    "malignant", "site", "laterality", "histology", "grade", "pT", "pN", "pM", "stage_group",
    "ajcc", "lymph_nodes", "margins", "lvi", "size", "surgery",
)  # fmt: skip
# The fields a second-opinion doctor reads first; the headline figure is over these.
CORE = ("malignant", "site", "histology", "grade", "pT", "pN")
KEY_OF = {
    "site": "diagnosis.site",
    "laterality": "diagnosis.laterality",
    "histology": "diagnosis.histology",
    "grade": "diagnosis.grade",
    "pT": "stage.pathologic_t",
    "pN": "stage.pathologic_n",
    "pM": "stage.pathologic_m",
    "stage_group": "stage.group",
    "ajcc": "stage.ajcc_edition",
    "lymph_nodes": "diagnosis.lymph_nodes",
    "margins": "diagnosis.margins",
    "lvi": "diagnosis.lvi",
    "size": "diagnosis.size",
    "surgery": "treatment.surgery",
}
# A reader: report text -> field -> value ("" when it found nothing); "malignant" is
# "true", "false" or "none".
Reader = Callable[[str], dict[str, str]]


@dataclass(frozen=True)
class Label:
    file: str
    organ: str
    split: str
    fields: dict[str, str]  # field -> expected ("absent", "skip", or "a|b")


@dataclass(frozen=True)
class Outcome:
    file: str
    organ: str
    split: str
    field: str
    expected: str
    got: str
    right: bool

    @property
    def stated(self) -> bool:
        """The report states a value here (not "absent")."""
        return self.expected != "absent"


def load_labels(path: Path = LABELS) -> list[Label]:
    data = tomllib.loads(path.read_text("utf-8"))
    labels = []
    for entry in data["report"]:
        fields: dict[str, str] = {}
        for name in FIELDS:
            if name not in entry:
                raise ValueError(f'{entry["file"]}: no label for {name!r} (write "absent")')
            value = entry[name]
            fields[name] = str(value).lower() if isinstance(value, bool) else str(value)
        for name, value in entry.get("biomarkers", {}).items():
            fields[f"biomarker.{name}"] = str(value)
        labels.append(Label(entry["file"], entry["organ"], entry["split"], fields))
    return labels


def report_text(corpus: Path, file: str) -> str:
    """The text CareBinder reads from the file: a .txt as it is, a PDF's text layer through
    the same pdfium reader the import uses (page texts joined as an import joins them)."""
    path = corpus / file
    if path.suffix.lower() == ".pdf":
        from app.ingest.pdf_text import pdfium_job

        return pdfium_job(path.read_bytes(), None).text
    return path.read_text("utf-8", errors="replace")


def new_reader(text: str) -> dict[str, str]:
    reading = read_report(text)
    found = {field: reading.value(key) for field, key in KEY_OF.items()}
    found["malignant"] = {True: "true", False: "false", None: "none"}[reading.malignant]
    for finding in reading.findings:
        if finding.key.startswith("biomarker."):
            found[finding.key] = finding.value
    return found


# -- matching --------------------------------------------------------------------------------

_BEHAVIOUR = {"invasive", "infiltrating", "malignant", "primary", "type", "nos", "of", "the",
              "with", "features", "and", "conventional", "usual", "derived"}  # fmt: skip
_SPELLING = {
    "transitional": "urothelial",
    "tumour": "tumor",
    "oesophagus": "esophagus",
    "non-keratinizing": "nonkeratinizing",
    "mullerian-derived": "mullerian",
    "well-differentiated": "well",
}


def _histology_words(value: str) -> frozenset[str]:
    words = re.sub(r"[(),;:/]", " ", value.lower()).replace(" cell ", " cell ").split()
    out = set()
    for word in words:
        word = _SPELLING.get(word, word)
        for part in word.split("-") if word not in ("non-small",) else [word]:
            if part and part not in _BEHAVIOUR:
                out.add(_SPELLING.get(part, part))
    # "squamous carcinoma" is "squamous cell carcinoma"
    if "squamous" in out:
        out.add("cell")
    return frozenset(out)


def _organ(value: str) -> str:
    return value.split("(")[0].strip().lower()


def _tnm(value: str) -> str:
    code = value.replace(" ", "").lower()
    code = re.sub(r"^(y|r)?[pc]", lambda m: m.group(1) or "", code)
    return code


def _grade(value: str) -> tuple[str, str]:
    family, level = grade_level(value)
    if family in ("differentiation", "g"):
        family = ""
    return family, level


def _grades_match(expected: str, got: str) -> bool:
    e_family, e_level = _grade(expected)
    g_family, g_level = _grade(got)
    if e_family == "gleason" or g_family == "gleason":
        return e_family == g_family and e_level == g_level
    if e_level != g_level:
        return False
    return e_family == g_family or not e_family or not g_family


def _first_word(value: str) -> str:
    word = value.split(",")[0].split("(")[0].strip().lower()
    return {
        "not detected": "negative",
        "wild type": "negative",
        "absent": "not identified",
        "detected": "positive",
    }.get(word, word)


def _size(value: str) -> float | None:
    match = re.match(r"\s*(\d+(?:\.\d+)?)\s*(cm|mm)", value.lower())
    if not match:
        return None
    number = float(match.group(1))
    return number / 10 if match.group(2) == "mm" else number


_PROCEDURE = re.compile(r"[a-z]*ectomy|resection|excision|whipple|dissection|lobectomy")


def _procedure(value: str) -> frozenset[str]:
    words = set(_PROCEDURE.findall(value.lower().replace("-", "")))
    if "whipple" in words:
        words = (words - {"whipple"}) | {"pancreaticoduodenectomy"}
    return frozenset(words)


def matches(field: str, expected: str, got: str) -> bool:
    """Whether `got` (what a reader found, "" for nothing) is right for `expected`."""
    options = [option.strip() for option in expected.split("|")]
    if field == "malignant":
        return got in options
    if options == ["absent"]:
        return got == ""
    if not got:
        return False
    return any(_one(field, option, got) for option in options)


def _one(field: str, expected: str, got: str) -> bool:
    if field == "site":
        return _organ(expected) == _organ(got)
    if field in ("laterality", "stage_group", "ajcc"):
        return expected.lower() == got.lower()
    if field == "histology":
        return _histology_words(expected) == _histology_words(got)
    if field == "grade":
        return _grades_match(expected, got)
    if field in ("pT", "pN", "pM"):
        return _tnm(expected) == _tnm(got)
    if field == "lymph_nodes":
        return re.findall(r"\d+", expected) == re.findall(r"\d+", got)
    if field in ("margins", "lvi") or field.startswith("biomarker."):
        if field in ("biomarker.ki67", "biomarker.psa", "biomarker.ca125", "biomarker.cea"):
            return re.findall(r"[\d.]+", expected) == re.findall(r"[\d.]+", got)
        return _first_word(expected) == _first_word(got)
    if field == "size":
        e, g = _size(expected), _size(got)
        return e is not None and g is not None and abs(e - g) < 0.05
    if field == "surgery":
        wanted = _procedure(expected)
        return bool(wanted) and wanted <= _procedure(got)
    raise ValueError(f"no rule for {field}")


# -- scoring ---------------------------------------------------------------------------------


def score(corpus: Path, labels: Iterable[Label], reader: Reader) -> list[Outcome]:
    outcomes = []
    for label in labels:
        found = reader(report_text(corpus, label.file))
        for field, expected in label.fields.items():
            if expected == "skip":
                continue
            got = found.get(field, "")
            outcomes.append(
                Outcome(
                    label.file,
                    label.organ,
                    label.split,
                    field,
                    expected,
                    got,
                    matches(field, expected, got),
                )
            )
    return outcomes


def share(outcomes: Iterable[Outcome]) -> tuple[int, int]:
    items = list(outcomes)
    return sum(o.right for o in items), len(items)


def by(outcomes: Iterable[Outcome], key: Callable[[Outcome], str]) -> dict[str, list[Outcome]]:
    groups: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        groups[key(outcome)].append(outcome)
    return dict(groups)


def field_group(outcome: Outcome) -> str:
    return "biomarkers" if outcome.field.startswith("biomarker.") else outcome.field


def percent(right: int, total: int) -> str:
    return f"{right}/{total} = {right / total:.0%}" if total else "-"
