"""Everything the records say for the picture, before the user's decisions: each report's
stored reading (app.records.picture.readings), the cancers across them
(app.records.picture.diagnoses), and the treatment and plan (app.records.picture.treatments).
"""

from __future__ import annotations

from dataclasses import dataclass

from app.records.documents import list_documents
from app.records.medications import list_medications
from app.records.opinions import list_opinions
from app.records.picture.diagnoses import cancer_diagnoses
from app.records.picture.found import Founds
from app.records.picture.model import group_key
from app.records.picture.readings import readings
from app.records.picture.treatments import current_plan, medicines, radiation, surgeries
from app.records.procedures import list_procedures
from app.vault.binder import Binder


@dataclass(frozen=True)
class Prefill:
    found: Founds  # field key ("diagnosis2.site", "surgery.d12.date") -> what the records say
    rows: tuple[str, ...]  # the repeating rows found, in order ("surgery.d12", "systemic.m3")
    diagnoses: int  # how many cancers the records show


def found_values(binder: Binder, person_id: int, read_new: bool = True) -> Prefill:
    """`read_new=False`: only what is already read (app.records.picture.readings)."""
    documents = sorted(list_documents(binder, person_id), key=lambda d: (d.date or "9999", d.id))
    read = readings(binder, documents, read_new)
    opinions = list_opinions(binder, person_id)
    found: Founds = {}
    cancers = cancer_diagnoses(documents, read, opinions)
    for number, cancer in enumerate(cancers, 1):
        for key, value in cancer.items():
            base, name = key.split(".", 1)
            found[f"{group_key(base, number)}.{name}"] = value
    rows: list[str] = []
    parts = (
        surgeries(binder, documents, read, list_procedures(binder, person_id)),
        medicines(list_medications(binder, person_id)),
        radiation(documents, read),
    )
    for values, names in parts:
        found.update(values)
        rows += names
    found.update(current_plan(documents, read, opinions))
    return Prefill(found, tuple(rows), len(cancers))
