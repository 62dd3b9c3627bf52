"""patient-summary.json: the summary's facts as a FHIR R4 International Patient Summary
document Bundle (Patient, Composition, Condition, Observation, MedicationStatement,
AllergyIntolerance, Practitioner, DocumentReference), so a clinic's software can read what
the sheet says.

The cancer (app/export/fhir_cancer.py, from the clinical picture) comes first in the
Problems section: a Condition with its site, stage (summary and TNM) and the enclosed
reports it was found in as evidence, and its TNM categories and biomarkers as Observations
in the Results section. The person's other health problems follow it.

What the binder does not know is said with the IPS "absent or unknown" codes, never left
out silently. Dates keep the precision the patient gave ("2024-03").
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from xml.sax.saxutils import escape

from app.export.contents import Entry, Inclusion
from app.export.facts import Facts
from app.export.fhir_cancer import cancer_resources
from app.records.allergies import NO_KNOWN_ALLERGY, SNOMED, Allergy, is_no_known
from app.records.coded import Code, fhir_concept

LOINC = "http://loinc.org"
ABSENT = "http://hl7.org/fhir/uv/ips/CodeSystem/absent-unknown-uv-ips"
IPS_PROFILE = "http://hl7.org/fhir/uv/ips/StructureDefinition/Bundle-uv-ips"


def _urn() -> str:
    return f"urn:uuid:{uuid.uuid4()}"


def _narrative(lines: Sequence[str]) -> dict[str, str]:
    items = "".join(f"<li>{escape(line)}</li>" for line in lines) or "<li>None recorded</li>"
    return {
        "status": "generated",
        "div": f'<div xmlns="http://www.w3.org/1999/xhtml"><ul>{items}</ul></div>',
    }


def _absent(code: str, display: str) -> dict[str, Any]:
    return {"coding": [{"system": ABSENT, "code": code, "display": display}], "text": display}


def _name(full: str) -> dict[str, Any]:
    parts = full.replace("Dr. ", "").split()
    name: dict[str, Any] = {"text": full}
    if len(parts) > 1:
        name["family"], name["given"] = parts[-1], parts[:-1]
    return name


def patient_summary(facts: Facts, entries: Sequence[Entry]) -> bytes:
    now = datetime.now(UTC).replace(microsecond=0).isoformat()
    patient_ref = _urn()
    resources: list[tuple[str, dict[str, Any]]] = []
    person = facts.person
    patient: dict[str, Any] = {"resourceType": "Patient", "name": [_name(person.name)]}
    if person.born:
        patient["birthDate"] = person.born
    resources.append((patient_ref, patient))
    subject = {"reference": patient_ref, "display": person.name}

    practitioners = []
    for doctor in facts.doctors:
        telecom = [
            {"system": system, "value": value, "use": "work"}
            for system, value in (
                ("phone", doctor.phone),
                ("fax", doctor.fax),
                ("email", doctor.email),
            )
            if value
        ]
        resource: dict[str, Any] = {"resourceType": "Practitioner", "name": [_name(doctor.name)]}
        if telecom:
            resource["telecom"] = telecom
        if doctor.address or doctor.institution:
            resource["address"] = [
                {"text": ", ".join(x for x in (doctor.institution, doctor.address) if x)}
            ]
        ref = _urn()
        practitioners.append(ref)
        resources.append((ref, resource))

    # Every enclosed record gets its reference first: the cancer's evidence points to them.
    enclosed = [e for e in entries if e.inclusion is not Inclusion.MISSING]
    document_refs = {e.document.id: _urn() for e in enclosed}
    cancer = cancer_resources(facts.picture, subject, document_refs.get)
    conditions = list(cancer.conditions)  # the cancer first in the Problems section
    for recorded in facts.conditions:
        conditions.append((_urn(), _condition(recorded, subject)))
    if not conditions:
        conditions.append(
            (
                _urn(),
                {
                    "resourceType": "Condition",
                    "code": _absent("no-problem-info", "No information about problems"),
                    "subject": subject,
                },
            )
        )
    resources += conditions

    statements = []
    for med in facts.medications:
        dosage = [{"text": f"{med.dose} {med.how_often}".strip() or "dose not recorded"}]
        dosage += [
            {"text": f"from {c.changed_on}: {c.dose} {c.how_often}".strip()} for c in med.changes
        ]
        statement: dict[str, Any] = {
            "resourceType": "MedicationStatement",
            "status": "active" if med.still_taking else "completed",
            "medicationCodeableConcept": fhir_concept(
                med.name, facts.medication_codes.get(med.id, ())
            ),
            "subject": subject,
            "dosage": dosage,
        }
        period = {k: v for k, v in (("start", med.start_date), ("end", med.stop_date)) if v}
        if period:
            statement["effectivePeriod"] = period
        if med.purpose:
            statement["reasonCode"] = [{"text": med.purpose}]
        statements.append((_urn(), statement))
    if not statements:
        statements.append(
            (
                _urn(),
                {
                    "resourceType": "MedicationStatement",
                    "status": "unknown",
                    "medicationCodeableConcept": _absent(
                        "no-medication-info", "No information about medications"
                    ),
                    "subject": subject,
                },
            )
        )
    resources += statements

    # Real allergies, or else "no known allergies" (never both: they contradict).
    said = [a for a in facts.allergies if not is_no_known(a)] or list(facts.allergies)
    allergies = [(_urn(), _allergy(a, subject)) for a in said] or [
        (
            _urn(),
            {
                "resourceType": "AllergyIntolerance",
                "code": _absent("no-allergy-info", "No information about allergies"),
                "patient": subject,
            },
        )
    ]
    resources += allergies

    references = []
    for entry in enclosed:
        doc = entry.document
        attachment: dict[str, Any] = {
            "contentType": doc.media_type,
            "url": entry.path,
            "title": doc.title,
            "size": doc.size,
        }
        if doc.date:
            attachment["creation"] = doc.date
        reference: dict[str, Any] = {
            "resourceType": "DocumentReference",
            "status": "current",
            "type": {"text": doc.kind.label},
            "subject": subject,
            "description": doc.title,
            "content": [{"attachment": attachment}],
        }
        if doc.facility or doc.author:
            reference["author"] = [
                {"display": ", ".join(x for x in (doc.author, doc.facility) if x)}
            ]
        references.append((document_refs[doc.id], reference))
    resources += references
    resources += cancer.observations

    def section(
        title: str,
        code: str,
        display: str,
        refs: list[tuple[str, dict[str, Any]]],
        lines: list[str],
    ) -> dict[str, Any]:
        return {
            "title": title,
            "code": {"coding": [{"system": LOINC, "code": code, "display": display}]},
            "text": _narrative(lines),
            "entry": [{"reference": ref} for ref, _ in refs],
        }

    problem_lines = cancer.lines or ["No cancer diagnosis recorded"]
    problem_lines += [
        f"{c.name} (since {c.onset_date})" if c.onset_date else c.name for c in facts.conditions
    ]
    composition = {
        "resourceType": "Composition",
        "status": "final",
        "type": {
            "coding": [{"system": LOINC, "code": "60591-5", "display": "Patient summary Document"}]
        },
        "subject": subject,
        "date": now,
        "author": [{"reference": patient_ref, "display": f"{person.name} (with CareBinder)"}],
        "title": f"Patient summary of {person.name}",
        "section": [
            section("Problems", "11450-4", "Problem list - Reported", conditions, problem_lines),
            *(
                [
                    section(
                        "Results",
                        "30954-2",
                        "Relevant diagnostic tests/laboratory data Narrative",
                        cancer.observations,
                        cancer.result_lines,
                    )
                ]
                if cancer.observations
                else []
            ),
            section(
                "Medications",
                "10160-0",
                "History of Medication use Narrative",
                statements,
                [
                    f"{m.name}: {m.current_dose} {m.current_how_often}".strip()
                    for m in facts.medications
                ],
            ),
            section(
                "Allergies and intolerances",
                "48765-2",
                "Allergies and adverse reactions Document",
                allergies,
                [f"{a.name}: {a.reaction}" if a.reaction else a.name for a in said]
                or ["No information about allergies"],
            ),
            section(
                "Care team",
                "85847-2",
                "Patient Care team information",
                [(r, {}) for r in practitioners],
                [f"{d.name}, {d.role}".strip(", ") for d in facts.doctors],
            ),
            section(
                "Enclosed records",
                "55107-7",
                "Addendum Document",
                references,
                [
                    f"{e.document.date or 'undated'} {e.document.title}"
                    for e in entries
                    if e.inclusion is not Inclusion.MISSING
                ],
            ),
        ],
    }
    bundle = {
        "resourceType": "Bundle",
        "meta": {"profile": [IPS_PROFILE]},
        "identifier": {"system": "urn:ietf:rfc:3986", "value": _urn()},
        "type": "document",
        "timestamp": now,
        "entry": [
            {"fullUrl": ref, "resource": res} for ref, res in [(_urn(), composition), *resources]
        ],
    }
    return json.dumps(bundle, indent=2, ensure_ascii=False).encode("utf-8") + b"\n"


_CONDITION_CLINICAL = ("active", "recurrence", "relapse", "inactive", "remission", "resolved")
_ALLERGY_CLINICAL = ("active", "inactive", "resolved")


def _condition(recorded: Any, subject: dict[str, Any]) -> dict[str, Any]:
    """A problem or diagnosis from the binder's own list, with its codes."""
    resource: dict[str, Any] = {
        "resourceType": "Condition",
        "code": fhir_concept(recorded.name, recorded.codes),
        "subject": subject,
    }
    status = recorded.status.lower().split("/")[0]
    if status not in _CONDITION_CLINICAL:
        status = "resolved" if recorded.resolved_date else ""
    if recorded.resolved_date and status in ("active", "recurrence", "relapse"):
        status = "resolved"  # FHIR: an abated condition cannot be active
    if status:
        resource["clinicalStatus"] = {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/condition-clinical",
                    "code": status,
                }
            ]
        }
    if recorded.onset_date:
        resource["onsetDateTime"] = recorded.onset_date
    if recorded.resolved_date:
        resource["abatementDateTime"] = recorded.resolved_date
    return resource


def _no_known_codes(recorded: Allergy) -> tuple[Code, ...]:
    """The codes of a "no known allergies" row: its own SNOMED CT one, or the IPS code its
    name means (a portal's "NKDA" typed without a code)."""
    if any(c.system == SNOMED for c in recorded.codes):
        return recorded.codes
    if "drug" in recorded.name.lower() or recorded.name.strip().upper() == "NKDA":
        return (Code(SNOMED, "409137002", "No known drug allergy"), *recorded.codes)
    return (NO_KNOWN_ALLERGY, *recorded.codes)


def _allergy(recorded: Allergy, subject: dict[str, Any]) -> dict[str, Any]:
    no_known = is_no_known(recorded)
    codes = _no_known_codes(recorded) if no_known else recorded.codes
    resource: dict[str, Any] = {
        "resourceType": "AllergyIntolerance",
        "code": fhir_concept(recorded.name, codes),
        "patient": subject,
    }
    if recorded.status.lower() in _ALLERGY_CLINICAL:
        resource["clinicalStatus"] = {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical",
                    "code": recorded.status.lower(),
                }
            ]
        }
    if recorded.noted_date:
        # "No known allergies" has no onset: its date is when it was said.
        resource["recordedDate" if no_known else "onsetDateTime"] = recorded.noted_date
    if recorded.reaction:
        resource["reaction"] = [{"manifestation": [{"text": recorded.reaction}]}]
    return resource
