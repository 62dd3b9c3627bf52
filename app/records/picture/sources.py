"""Where a value came from, named as the user knows it: "Pathology report: rectal biopsy,
12 Feb 2024", "Medication: Oxaliplatin", "Opinion of Dr. Shah, 2024-02-26"."""

from __future__ import annotations

from app.records.medications import Medication
from app.records.models import Document
from app.records.opinions import Opinion
from app.records.picture.model import Source, short_date


def document_source(doc: Document) -> Source:
    # "Pathology report: rectal biopsy" needs no "Pathology report:" before it.
    return Source("document", doc.id, f"{doc.named}, {short_date(doc.date)}", doc.title, doc.date)


def medication_source(med: Medication) -> Source:
    return Source("medication", med.id, f"Medication: {med.name}", med.name, med.start_date)


def opinion_source(opinion: Opinion) -> Source:
    return Source(
        "opinion", opinion.id, f"Opinion of {opinion.heading}", opinion.heading, opinion.given_on
    )
