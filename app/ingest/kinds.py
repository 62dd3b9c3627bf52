"""The kinds of document a patient keeps, with the plain words the interface shows."""

from __future__ import annotations

import re
from enum import StrEnum


class DocumentKind(StrEnum):
    PATHOLOGY = "pathology"
    OPERATIVE = "operative"
    DISCHARGE_SUMMARY = "discharge_summary"
    TREATMENT_PLAN = "treatment_plan"
    LAB_RESULT = "lab_result"
    IMAGING = "imaging"
    MEDICATION_LIST = "medication_list"
    CONSULT_LETTER = "consult_letter"
    INSURANCE = "insurance"
    OTHER = "other"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]

    @classmethod
    def parse(cls, text: str) -> DocumentKind:
        """Accept the stored value, the plain label, or a few common words for it."""
        wanted = text.strip().lower().replace("-", " ").replace("_", " ")
        for kind in cls:
            if wanted in (kind.value.replace("_", " "), kind.label.lower()):
                return kind
        for kind, words in _KIND_SYNONYMS.items():
            if wanted in words:
                return kind
        choices = ", ".join(k.value for k in cls)
        raise ValueError(f"{text!r} is not a document kind. Choose one of: {choices}.")


KIND_LABELS: dict[DocumentKind, str] = {
    DocumentKind.PATHOLOGY: "Pathology report",
    DocumentKind.OPERATIVE: "Operative report",
    DocumentKind.DISCHARGE_SUMMARY: "Discharge summary",
    DocumentKind.TREATMENT_PLAN: "Treatment plan",
    DocumentKind.LAB_RESULT: "Lab result",
    DocumentKind.IMAGING: "Imaging report",
    DocumentKind.MEDICATION_LIST: "Medication list",
    DocumentKind.CONSULT_LETTER: "Consult note or letter",
    DocumentKind.INSURANCE: "Insurance",
    DocumentKind.OTHER: "Other",
}

_KIND_SYNONYMS: dict[DocumentKind, tuple[str, ...]] = {
    DocumentKind.OPERATIVE: ("operative report", "surgery", "op note", "operation"),
    DocumentKind.DISCHARGE_SUMMARY: ("discharge",),
    DocumentKind.LAB_RESULT: ("lab", "labs", "test result", "blood test"),
    DocumentKind.IMAGING: ("scan", "radiology", "imaging"),
    DocumentKind.MEDICATION_LIST: ("medications", "meds"),
    DocumentKind.CONSULT_LETTER: ("consult", "letter", "consultation"),
    DocumentKind.TREATMENT_PLAN: ("plan",),
}


# Words that already say a document's kind in its title ("Insurance letter" is insurance).
_KIND_WORDS: dict[DocumentKind, tuple[str, ...]] = {
    DocumentKind.PATHOLOGY: ("pathology", "biopsy", "cytology"),
    DocumentKind.OPERATIVE: ("operative", "operation", "surgery", "surgical", "op note"),
    DocumentKind.DISCHARGE_SUMMARY: ("discharge",),
    DocumentKind.TREATMENT_PLAN: ("treatment plan", "plan of care", "care plan"),
    DocumentKind.LAB_RESULT: ("lab", "laboratory", "blood test", "blood count", "results"),
    DocumentKind.IMAGING: (
        "imaging",
        "radiology",
        "scan",
        "ct",
        "mri",
        "x-ray",
        "ultrasound",
        "mammogram",
        "pet",
    ),
    DocumentKind.MEDICATION_LIST: ("medication", "medicine", "prescription"),
    DocumentKind.CONSULT_LETTER: ("consult", "consultation", "letter", "note", "notes"),
    DocumentKind.INSURANCE: ("insurance", "insurer"),
    DocumentKind.OTHER: (),
}


def with_kind(kind: DocumentKind, title: str) -> str:
    """ "Pathology report: Excision of the left breast", but "Insurance letter" alone: the
    kind goes before a title only when the title does not say it already ("Other" never)."""
    lowered = title.casefold()
    said = any(re.search(rf"\b{re.escape(word)}\b", lowered) for word in _KIND_WORDS[kind])
    if kind is DocumentKind.OTHER or said or not title.strip():
        return title or kind.label
    return f"{kind.label}: {title}"
