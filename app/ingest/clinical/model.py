"""What reading a report gives: findings with the span they came from, and how sure the
report is of each. The shapes here are a contract with `app/records` (the clinical picture)
and with `carebinder summary show --json`: keep the names and the keys stable."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Certainty(StrEnum):
    STATED = "stated"  # "invasive ductal carcinoma"
    UNCERTAIN = "uncertain"  # "suspicious for", "cannot be excluded", "possible"
    NEGATED = "negated"  # "negative for carcinoma", "no evidence of"


@dataclass(frozen=True)
class Finding:
    key: str  # one of KEYS, or "biomarker.<name>"
    value: str  # normalised and printable: "Invasive ductal carcinoma", "pT2"
    start: int  # the span in the text it came from (character offsets)
    end: int
    specimen: str = ""  # "A", "B", "1" ... when the report has several specimens
    certainty: Certainty = Certainty.STATED


@dataclass(frozen=True)
class ReportReading:
    malignant: bool | None  # names a cancer (True), says none was found (False), silent (None)
    findings: tuple[Finding, ...]  # the chosen value per key
    candidates: tuple[Finding, ...]  # everything seen, for review and tests

    def get(self, key: str) -> Finding | None:
        return next((f for f in self.findings if f.key == key), None)

    def value(self, key: str) -> str:
        found = self.get(key)
        return found.value if found else ""


# The biomarkers read (biomarker.<name>): the list, then others real reports give
# (AR, CA 19-9, CD20/CD30/CD117, ATRX, NTRK, p53 by immunostain).
BIOMARKERS = (
    "er", "pr", "her2", "ki67", "mmr", "msi", "pdl1", "mgmt", "egfr", "alk", "ros1", "kras",
    "nras", "braf", "brca1", "brca2", "pik3ca", "idh1", "idh2", "1p19q", "tp53", "psa",
    "oncotype", "afp", "ca125", "cea", "p16", "hpv", "ebv", "ar", "ca199", "cd20", "cd30",
    "cd117", "atrx", "ntrk", "p53",
)  # fmt: skip

KEYS = (
    "diagnosis.site",
    "diagnosis.laterality",
    "diagnosis.histology",
    "diagnosis.grade",
    "diagnosis.grade_system",
    "diagnosis.date",
    "diagnosis.margins",
    "diagnosis.lymph_nodes",
    "diagnosis.lvi",
    "diagnosis.size",
    "stage.clinical_t",
    "stage.clinical_n",
    "stage.clinical_m",
    "stage.pathologic_t",
    "stage.pathologic_n",
    "stage.pathologic_m",
    "stage.group",
    "stage.ajcc_edition",
    *(f"biomarker.{name}" for name in BIOMARKERS),
    "treatment.surgery",
    "treatment.radiation",
    "treatment.radiation_site",
    "treatment.radiation_start",
    "treatment.radiation_end",
    "plan",
)
