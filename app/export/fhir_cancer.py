"""The cancer in the FHIR summary, from the clinical picture: one Condition per cancer (code
text, bodySite, onset, stage with its summary and TNM assessments, the enclosed reports it
was found in as evidence), and Observations for its TNM categories (LOINC, as mCODE codes
them) and biomarkers, each derived from its source reports.

A value the records disagree on is not asserted: the Condition's note names both values and
their reports. A value not yet checked by the patient is said so in the note too.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from app.records.picture import ClinicalPicture, Diagnosis, FieldState, PictureField, Source
from app.records.picture.model import biomarker_words, group_key

LOINC = "http://loinc.org"
# The TNM categories and stage groups, clinical and pathological (LOINC, as mCODE uses).
TNM_CODES = {
    "clinical_t": ("21905-5", "Primary tumor.clinical [Class] Cancer"),
    "clinical_n": ("21906-3", "Regional lymph nodes.clinical [Class] Cancer"),
    "clinical_m": ("21907-1", "Distant metastases.clinical [Class] Cancer"),
    "pathologic_t": ("21899-0", "Primary tumor.pathology Cancer"),
    "pathologic_n": ("21900-6", "Regional lymph nodes.pathology [Class] Cancer"),
    "pathologic_m": ("21901-4", "Distant metastases.pathology [Class] Cancer"),
}
STAGE_GROUP_CODES = {
    "clinical": ("21908-9", "Stage group.clinical Cancer"),
    "pathologic": ("21902-2", "Stage group.pathology Cancer"),
}
_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
_CATEGORY = "http://terminology.hl7.org/CodeSystem/condition-category"
_OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"


def _urn() -> str:
    return f"urn:uuid:{uuid.uuid4()}"


@dataclass
class CancerResources:
    conditions: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    observations: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)  # the Problems section's narrative
    result_lines: list[str] = field(default_factory=list)  # the Results section's


def _derived(sources: tuple[Source, ...], reference: Callable[[int], str | None]) -> list[Any]:
    refs = []
    for source in sources:
        if source.kind == "document" and (ref := reference(source.id)):
            refs.append({"reference": ref, "display": source.label})
    return refs


def _observation(
    subject: dict[str, Any],
    condition_ref: str,
    code: dict[str, Any],
    value: str,
    item: PictureField,
    reference: Callable[[int], str | None],
    laboratory: bool,
) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Observation",
        "status": "final" if item.state.checked else "preliminary",
        "code": code,
        "subject": subject,
        "focus": [{"reference": condition_ref}],
        "valueCodeableConcept": {"text": value},
    }
    if laboratory:
        resource["category"] = [
            {"coding": [{"system": _OBSERVATION_CATEGORY, "code": "laboratory"}]}
        ]
    if derived := _derived(item.sources, reference):
        resource["derivedFrom"] = derived
    if item.state is FieldState.FOUND:
        resource["note"] = [{"text": "Found in the records, not yet checked by the patient."}]
    return resource


def _notes(cancer: Diagnosis) -> list[dict[str, str]]:
    picture, number = cancer.picture, cancer.number
    own = (group_key("diagnosis", number), group_key("stage", number),
           group_key("biomarker", number))  # fmt: skip
    fields = [f for f in picture.fields() if f.key.split(".")[0] in own]
    notes = []
    for item in fields:
        if item.in_conflict:
            said = " or ".join(
                f"{c.value} ({'; '.join(s.label for s in c.sources)})" for c in item.candidates
            )
            notes.append({"text": f"The records disagree on {item.label}: {said}."})
    if any(f.state is FieldState.FOUND for f in cancer.key_fields):
        notes.append(
            {"text": "Found in the records by CareBinder; not yet checked by the patient."}
        )
    return notes


def cancer_resources(
    picture: ClinicalPicture | None,
    subject: dict[str, Any],
    reference: Callable[[int], str | None],
) -> CancerResources:
    """The Conditions and Observations of every cancer in the picture. `reference`: the
    bundle reference of an enclosed document, by id (None when it is not enclosed)."""
    made = CancerResources()
    if picture is None:
        return made
    for cancer in picture.cancers():
        number = cancer.number
        condition_ref = _urn()

        def get(base: str, name: str, number: int = number) -> PictureField | None:
            return picture.get(f"{group_key(base, number)}.{name}")

        condition: dict[str, Any] = {
            "resourceType": "Condition",
            "clinicalStatus": {"coding": [{"system": _CLINICAL, "code": "active"}]},
            "category": [{"coding": [{"system": _CATEGORY, "code": "problem-list-item"}]}],
            "code": {"text": cancer.name},
            "subject": subject,
        }
        if cancer.site:
            condition["bodySite"] = [{"text": cancer.site}]
        when = get("diagnosis", "date")
        if when is not None and when.value:
            condition["onsetDateTime"] = when.value
        stages = []
        for which in ("pathologic", "clinical"):
            assessments = []
            for part in ("t", "n", "m"):
                item = get("stage", f"{which}_{part}")
                if item is None or not item.value:
                    continue
                code, display = TNM_CODES[f"{which}_{part}"]
                concept = {"coding": [{"system": LOINC, "code": code, "display": display}],
                           "text": f"{item.label}"}  # fmt: skip
                ref = _urn()
                made.observations.append(
                    (
                        ref,
                        _observation(
                            subject,
                            condition_ref,
                            concept,
                            item.value,
                            item,
                            reference,
                            laboratory=False,
                        ),
                    )
                )
                assessments.append({"reference": ref, "display": item.value})
            if not assessments:
                continue
            code, display = STAGE_GROUP_CODES[which]
            word = "Pathological" if which == "pathologic" else "Clinical"
            summary = cancer.tnm(which)
            stage: dict[str, Any] = {
                "summary": {"text": summary},
                "assessment": assessments,
                "type": {
                    "coding": [{"system": LOINC, "code": code, "display": display}],
                    "text": f"{word} staging",
                },
            }
            stages.append(stage)
        if cancer.stage_group:
            group = cancer.stage_group[:1].upper() + cancer.stage_group[1:]
            # The stage group goes with the first staging (pathological when there is one).
            if stages:
                stages[0]["summary"] = {"text": f"{group} ({stages[0]['summary']['text']})"}
            else:
                stages.append({"summary": {"text": group}})
        if stages:
            condition["stage"] = stages
        evidence = _derived(tuple(s for f in cancer.key_fields for s in f.sources), reference)
        unique = list({e["reference"]: e for e in evidence}.values())
        if unique:
            condition["evidence"] = [{"detail": unique}]
        if notes := _notes(cancer):
            condition["note"] = notes
        made.conditions.append((condition_ref, condition))
        line = cancer.sentence
        if cancer.grade:
            line += f"; {cancer.grade}"
        if words := cancer.check_words:
            line += f" ({words})"
        made.lines.append(line)
        for item in cancer.biomarkers():
            concept = {"text": item.label}
            made.observations.append(
                (
                    _urn(),
                    _observation(
                        subject,
                        condition_ref,
                        concept,
                        item.value,
                        item,
                        reference,
                        laboratory=True,
                    ),
                )
            )
            made.result_lines.append(biomarker_words(item))
        made.result_lines += [f"{f.label}: {f.value}" for f in (
            get("stage", f"{w}_{p}") for w in ("pathologic", "clinical") for p in "tnm"
        ) if f is not None and f.value]  # fmt: skip
    return made
