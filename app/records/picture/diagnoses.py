"""The cancer (or cancers) across every document: which reports speak of the same tumour,
which of them to believe for each value, and where they disagree.

- A report read as benign ("no malignancy identified") never makes a diagnosis; neither
  does a value the reader found negated or uncertain (it never reaches `findings`).
- Pathology reports make the diagnoses; a letter, plan or summary only adds to the cancer
  they describe (or makes the one diagnosis when no pathology report names a cancer).
- Two tumours of different organs (or of the left and the right breast) are two diagnoses,
  whether in two reports or in two specimens of one report. The first found (the earliest
  report) is diagnosis 1; the order never changes when later reports arrive, so the user's
  decisions stay with the cancer they were made on.
- For the tumour's own features (type, grade, size, margins, nodes, pathological stage) a
  surgical pathology report outranks a biopsy, which outranks a letter that repeats it.
  Clinical stage and biomarkers have no such order: two reports that disagree make a
  conflict for the user to settle.
- Without any report, the latest opinion's diagnosis and stage (what a doctor said).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from app.ingest.clinical import Certainty, Finding, ReportReading
from app.ingest.kinds import DocumentKind
from app.records.models import Document
from app.records.opinions import Opinion
from app.records.picture.found import Found, Founds, Said, choose
from app.records.picture.model import Source
from app.records.picture.sources import document_source, opinion_source

_TUMOUR_KEYS = ("diagnosis.", "stage.", "biomarker.")
# Values a resection specimen settles better than a biopsy.
_SPECIMEN_RANKED = re.compile(
    r"^(?:diagnosis\.(?!date)\w+|stage\.pathologic_\w|stage\.group|stage\.ajcc_edition)$"
)
_RESECTION = re.compile(
    r"ectomy|resection|excision|excised|re-excision|amputation|enucleation|exenteration",
    re.IGNORECASE,
)
_ORGANS = (
    ("breast", "breast"), ("lung", "lung"), ("bronch", "lung"), ("pleura", "pleura"),
    ("colon", "colorectal"), ("rect", "colorectal"), ("sigmoid", "colorectal"),
    ("cecum", "colorectal"), ("caecum", "colorectal"), ("colorectal", "colorectal"),
    ("prostat", "prostate"), ("kidney", "kidney"), ("renal", "kidney"),
    ("bladder", "bladder"), ("urothel", "bladder"), ("ovar", "ovary"), ("uter", "uterus"),
    ("endometri", "uterus"), ("cervi", "cervix"), ("pancrea", "pancreas"), ("liver", "liver"),
    ("hepat", "liver"), ("stomach", "stomach"), ("gastr", "stomach"), ("esophag", "esophagus"),
    ("oesophag", "esophagus"), ("thyroid", "thyroid"), ("skin", "skin"), ("brain", "brain"),
    ("tongue", "head and neck"), ("laryn", "head and neck"), ("pharyn", "head and neck"),
    ("tonsil", "head and neck"), ("oral", "head and neck"), ("mouth", "head and neck"),
    ("testi", "testis"), ("bone", "bone"), ("lymph node", "lymph node"),
)  # fmt: skip


def _affirmed(finding: Finding) -> bool:
    return finding.certainty is Certainty.STATED


def organ(site: str) -> str:
    """The organ a site names, for telling two cancers apart ("Left breast" -> "breast")."""
    text = site.casefold()
    for word, name in _ORGANS:
        if word in text:
            return name
    return " ".join(w for w in re.sub(r"[^a-z ]", " ", text).split()
                    if w not in ("left", "right", "upper", "lower", "the", "of"))  # fmt: skip


def side(site: str, laterality: str) -> str:
    text = f"{laterality} {site}".casefold()
    if "bilateral" in text or ("left" in text and "right" in text):
        return "both"
    return "left" if "left" in text else "right" if "right" in text else ""


@dataclass
class _Tumour:
    """What one document says about one tumour."""

    document: Document
    values: dict[str, str]  # key ("diagnosis.site") -> value
    resection: bool

    @functools.cached_property
    def source(self) -> Source:
        return document_source(self.document)

    @property
    def organ(self) -> str:
        return organ(self.values.get("diagnosis.site", ""))

    @property
    def side(self) -> str:
        values = self.values
        return side(values.get("diagnosis.site", ""), values.get("diagnosis.laterality", ""))

    @property
    def metastatic(self) -> bool:
        return "metasta" in self.values.get("diagnosis.histology", "").casefold()


@dataclass
class _Group:
    organ: str
    side: str
    said: list[_Tumour] = field(default_factory=list)

    def takes(self, tumour: _Tumour) -> bool:
        if tumour.organ and self.organ and tumour.organ != self.organ:
            return False
        return not (tumour.side and self.side and tumour.side != self.side)

    def add(self, tumour: _Tumour) -> None:
        self.said.append(tumour)
        self.organ = self.organ or tumour.organ
        self.side = self.side or tumour.side


def _tumours(doc: Document, reading: ReportReading) -> list[_Tumour]:
    """The main tumour of a report, then any other primary in another specimen of it."""
    if reading.malignant is False:
        return []  # benign: never a diagnosis, nor its stage or biomarkers
    values = {f.key: f.value for f in reading.findings if f.key.startswith(_TUMOUR_KEYS)}
    if not values:
        return []
    if doc.kind is DocumentKind.PATHOLOGY and not (
        reading.malignant or "diagnosis.histology" in values
    ):
        return []  # a pathology report silent on cancer only describes
    main = reading.get("diagnosis.histology")
    specimen = main.specimen if main else ""
    # A resection: the reader names the surgery the specimen came from, or the title says it.
    operated = {c.specimen for c in reading.candidates if c.key == "treatment.surgery"}
    resection = doc.kind is DocumentKind.PATHOLOGY and (
        bool(_RESECTION.search(doc.title)) or reading.get("treatment.surgery") is not None
    )
    found = [_Tumour(doc, values, resection)]
    by_specimen: dict[str, dict[str, str]] = {}
    for item in reading.candidates:
        other_specimen = item.specimen and item.specimen != specimen
        if other_specimen and _affirmed(item) and item.key.startswith(_TUMOUR_KEYS):
            by_specimen.setdefault(item.specimen, {}).setdefault(item.key, item.value)
    for name, other in by_specimen.items():
        if "diagnosis.histology" not in other or "diagnosis.site" not in other:
            continue
        tumour = _Tumour(doc, other, doc.kind is DocumentKind.PATHOLOGY and name in operated)
        if tumour.metastatic or tumour.organ == found[0].organ:
            continue  # the same cancer elsewhere, or a spread of it: not another primary
        found.append(tumour)
    return found


def _rank(key: str, tumour: _Tumour) -> int:
    pathology = tumour.document.kind is DocumentKind.PATHOLOGY
    if key.startswith("biomarker."):
        return 2 if pathology or tumour.document.kind is DocumentKind.LAB_RESULT else 1
    if _SPECIMEN_RANKED.match(key):
        if pathology:
            return 3 if tumour.resection else 2
        # A scan measures before any specimen does: below a letter that states the value.
        return 0 if tumour.document.kind is DocumentKind.IMAGING else 1
    return 1


def _date_found(group: _Group) -> Found | None:
    """The date of diagnosis: the earliest pathology report of this cancer (the date the
    report states, else its own), else a date a letter states."""
    pathology = [t for t in group.said if t.document.kind is DocumentKind.PATHOLOGY]
    for tumours in (pathology, [t for t in group.said if t.values.get("diagnosis.date")]):
        dated = [(t.values.get("diagnosis.date") or t.document.date or "", t) for t in tumours]
        dated = [(d, t) for d, t in dated if d]
        if dated:
            when, tumour = min(dated, key=lambda dt: (dt[0], dt[1].document.id))
            return Found(when, (tumour.source,))
    return None


def _founds(group: _Group) -> Founds:
    keys = sorted({k for t in group.said for k in t.values} - {"diagnosis.date"})
    result: Founds = {}
    for key in keys:
        said = [
            Said(t.values[key], t.source, _rank(key, t),
                 (t.document.date or "", t.document.id))
            for t in group.said
            if t.values.get(key)
        ]  # fmt: skip
        if chosen := choose(key, said):
            result[key] = chosen
    if when := _date_found(group):
        result["diagnosis.date"] = when
    return result


def cancer_diagnoses(
    documents: Sequence[Document], readings: dict[int, ReportReading], opinions: Sequence[Opinion]
) -> list[Founds]:
    """What the records say about each cancer, main one first; keys without a number
    ("diagnosis.site", "stage.group", "biomarker.er")."""
    dated = sorted(documents, key=lambda d: (d.date or "9999", d.id))
    groups: list[_Group] = []
    pathology = [d for d in dated if d.kind is DocumentKind.PATHOLOGY]
    others = [d for d in dated if d.kind is not DocumentKind.PATHOLOGY]
    for doc in [*pathology, *others]:
        if doc.id not in readings:
            continue
        for tumour in _tumours(doc, readings[doc.id]):
            home = next((g for g in groups if g.takes(tumour)), None)
            made_by_pathology = doc.kind is DocumentKind.PATHOLOGY
            if home is None and tumour.metastatic and groups:
                continue  # a spread of a cancer already known is not a new diagnosis
            if home is None and (made_by_pathology or not groups):
                home = _Group(tumour.organ, tumour.side)
                groups.append(home)
            if home is not None:
                home.add(tumour)
    found = [_founds(g) for g in groups]
    _add_opinions(found, opinions)
    return found


def _add_opinions(found: list[Founds], opinions: Sequence[Opinion]) -> None:
    """A doctor's word where no report speaks: the latest opinion's diagnosis, and its
    stage when no report states one."""
    stated = [o for o in opinions if o.diagnosis.strip()]
    staged = [o for o in opinions if o.stage.strip()]
    if not found and (stated or staged):
        found.append({})
    if not found:
        return
    main = found[0]
    if "diagnosis.histology" not in main and "diagnosis.site" not in main and stated:
        main["diagnosis.histology"] = Found(stated[-1].diagnosis, (opinion_source(stated[-1]),))
    if staged and not any(k.startswith("stage.") for k in main):
        main["stage.group"] = Found(staged[-1].stage, (opinion_source(staged[-1]),))
