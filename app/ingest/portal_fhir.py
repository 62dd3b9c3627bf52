"""FHIR R4 JSON (a resource, a Bundle, an IPS document, bulk-data ndjson) -> a PortalRecord.

Read: Patient, MedicationRequest / MedicationStatement (with Medication), Condition,
AllergyIntolerance, Procedure, Encounter, Practitioner / PractitionerRole, Observation,
DiagnosticReport and DocumentReference (their notes and PDFs become documents). A bulk
export holds many people: every item carries the key of its patient, and the caller picks
one (PortalRecord.for_patient). JSON is checked for size and nesting before it is trusted.

One room, though long: one file format, read resource type by resource type.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

from app.ingest.codes import Code
from app.ingest.lab_names import plain_test_name
from app.ingest.portal_model import (
    ONLY,
    PortalAllergy,
    PortalClinician,
    PortalCondition,
    PortalDocument,
    PortalEncounter,
    PortalMedication,
    PortalPatient,
    PortalProcedure,
    PortalRecord,
    PortalResult,
    iso_date,
    merge_team,
    person_key,
    plain,
)
from app.ingest.refusal import Refused

MAX_JSON = 512 << 20  # bytes of FHIR JSON read from one file or folder
MAX_DEPTH = 64  # FHIR resources nest a dozen levels; hundreds means a hostile file
MAX_RESOURCES = 2_000_000
MAX_ATTACHMENT = 100 << 20


def load_json(data: bytes, ndjson: bool) -> list[dict[str, Any]]:
    """The JSON objects of a file, refused with a reason when damaged or hostile."""
    if len(data) > MAX_JSON:
        raise Refused("This FHIR file is too large to read safely (over 512 MB).")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Refused("This FHIR file is damaged: it is not UTF-8 text.") from None
    items: list[Any] = []
    try:
        if ndjson:
            for number, line in enumerate(text.splitlines(), 1):
                if line.strip():
                    try:
                        items.append(json.loads(line))
                    except ValueError as exc:
                        raise Refused(
                            f"This FHIR file is damaged: line {number} is not valid JSON ({exc})."
                        ) from None
        else:
            items.append(json.loads(text))
    except ValueError as exc:
        raise Refused(f"This FHIR file is damaged: it is not valid JSON ({exc}).") from None
    except RecursionError:
        raise Refused("This FHIR file nests its data too deeply to be a real record.") from None
    for item in items:
        _check_depth(item)
    resources = [i for i in items if isinstance(i, dict)]
    if not any("resourceType" in r for r in resources):
        raise Refused("This JSON file holds no FHIR records (no resourceType).")
    return resources


def _check_depth(value: Any) -> None:
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise Refused("This FHIR file nests its data too deeply to be a real record.")
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values() if isinstance(v, dict | list))
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item if isinstance(v, dict | list))


def read_fhir(
    resources: list[dict[str, Any]], format_name: str, keep_raw: bool = False
) -> PortalRecord:
    """`keep_raw`: keep each person's own resources as JSON lines (always done when the
    file holds several people), so that only theirs are kept as the source document."""
    return FhirReader(list(_flatten(resources))).read(format_name, keep_raw)


def _flatten(items: Iterable[dict[str, Any]]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(fullUrl, resource) for every resource, Bundles opened (nested ones too)."""
    for item in items:
        if item.get("resourceType") == "Bundle":
            for entry in item.get("entry") or []:
                if isinstance(entry, dict) and isinstance(entry.get("resource"), dict):
                    resource = entry["resource"]
                    if resource.get("resourceType") == "Bundle":
                        yield from _flatten([resource])
                    else:
                        yield str(entry.get("fullUrl", "")), resource
        elif "resourceType" in item:
            yield "", item
        if len(item) > MAX_RESOURCES:
            break


def _tail(reference: str) -> str:
    """ "Patient/abc", "urn:uuid:abc", "https://x/fhir/Patient/abc" -> "abc"."""
    return reference.rsplit("/", 1)[-1].removeprefix("urn:uuid:").split("|")[-1]


def _ref(value: Any) -> str:
    return str(value.get("reference", "")) if isinstance(value, dict) else ""


def _display(value: Any) -> str:
    return plain(str(value.get("display", ""))) if isinstance(value, dict) else ""


def concept(value: Any) -> tuple[str, tuple[Code, ...]]:
    """A CodeableConcept's plain name and its codes."""
    if isinstance(value, list):
        value = value[0] if value else None
    if not isinstance(value, dict):
        return "", ()
    codes = tuple(
        Code(str(c.get("system", "")), str(c.get("code", "")), plain(str(c.get("display", ""))))
        for c in value.get("coding") or []
        if isinstance(c, dict) and c.get("code")
    )
    name = str(value.get("text") or next((c.display for c in codes if c.display), ""))
    return plain(name), codes


def _status(value: Any) -> str:
    if isinstance(value, str):
        return value
    name, codes = concept(value)
    return codes[0].code if codes else name


def _human_name(names: Any) -> str:
    if not isinstance(names, list) or not names or not isinstance(names[0], dict):
        return ""
    name = names[0]
    if name.get("text"):
        return plain(str(name["text"]))
    parts = [*name.get("prefix", []), *name.get("given", []), name.get("family", "")]
    return plain(" ".join(str(p) for p in parts if p))


def _quantity(value: Any) -> tuple[str, str]:
    if not isinstance(value, dict) or value.get("value") is None:
        return "", ""
    number = value["value"]
    if isinstance(number, float) and number.is_integer():
        number = int(number)
    return str(number), str(value.get("unit") or value.get("code") or "")


_UNITS = {
    "s": "second",
    "min": "minute",
    "h": "hour",
    "d": "day",
    "wk": "week",
    "mo": "month",
    "a": "year",
}


def _timing(dosage: dict[str, Any]) -> str:
    timing = dosage.get("timing")
    repeat = timing.get("repeat") if isinstance(timing, dict) else None
    if not isinstance(repeat, dict):
        return "as needed" if dosage.get("asNeededBoolean") else ""
    frequency, period = repeat.get("frequency"), repeat.get("period")
    unit = _UNITS.get(str(repeat.get("periodUnit", "")), str(repeat.get("periodUnit", "")))
    if not frequency or not period or not unit:
        return ""
    times = {1: "once", 2: "twice"}.get(int(frequency), f"{int(frequency)} times")
    every = f"a {unit}" if float(period) == 1 else f"every {float(period):g} {unit}s"
    return f"{times} {every}" + (" as needed" if dosage.get("asNeededBoolean") else "")


class FhirReader:
    def __init__(self, entries: list[tuple[str, dict[str, Any]]]) -> None:
        self.entries = entries
        self.by_key: dict[str, dict[str, Any]] = {}
        self.by_identifier: dict[str, dict[str, Any]] = {}
        for full_url, resource in entries:
            for key in (full_url, str(resource.get("id", ""))):
                if key:
                    self.by_key[_tail(key)] = resource
            for identifier in resource.get("identifier") or []:
                if isinstance(identifier, dict) and identifier.get("value"):
                    self.by_identifier[str(identifier["value"])] = resource
        self.patients: dict[str, PortalPatient] = {}
        for full_url, resource in entries:
            if resource.get("resourceType") == "Patient":
                key = _tail(full_url or str(resource.get("id", ""))) or "patient"
                self.patients[key] = PortalPatient(
                    key, _human_name(resource.get("name")), iso_date(resource.get("birthDate"))
                )

        if not self.patients:
            # A bulk file of one resource type names its people only by reference.
            subjects: dict[str, str] = {}
            for _, resource in entries:
                subject = resource.get("subject") or resource.get("patient")
                if _ref(subject).startswith(("Patient/", "urn:uuid:")):
                    subjects.setdefault(_tail(_ref(subject)), _display(subject))
            if len(subjects) > 1:
                self.patients = {k: PortalPatient(k, name) for k, name in subjects.items()}

    def resolve(self, value: Any) -> dict[str, Any] | None:
        reference = _ref(value)
        if not reference:
            return None
        if "?identifier=" in reference:  # a bulk export's conditional reference
            return self.by_identifier.get(reference.rsplit("|", 1)[-1])
        return self.by_key.get(_tail(reference))

    def patient_of(self, resource: dict[str, Any]) -> str:
        """The key of the patient a resource is about; ONLY when the file has one person."""
        if len(self.patients) <= 1:
            return ONLY
        return _tail(_ref(resource.get("subject") or resource.get("patient")))

    def person_name(self, value: Any) -> str:
        found = self.resolve(value)
        if found is not None and found.get("resourceType") == "Practitioner":
            return _human_name(found.get("name")) or _display(value)
        if found is not None and found.get("resourceType") == "PractitionerRole":
            return _display(found.get("practitioner")) or _display(value)
        return _display(value)

    def organization_name(self, value: Any) -> str:
        found = self.resolve(value)
        if found is not None and found.get("name"):
            return plain(str(found["name"]))
        return _display(value)

    # -- reading ----------------------------------------------------------------------------

    def read(self, format_name: str, keep_raw: bool = False) -> PortalRecord:
        record = PortalRecord(format=format_name, patients=list(self.patients.values()))
        handlers = {
            "MedicationRequest": self.medication,
            "MedicationStatement": self.medication,
            "Condition": self.condition,
            "AllergyIntolerance": self.allergy,
            "Procedure": self.procedure,
            "Encounter": self.encounter,
            "Observation": self.observation,
            "DiagnosticReport": self.report,
            "DocumentReference": self.document_reference,
        }
        skipped: Counter[str] = Counter()
        raw: dict[str, list[str]] = {}
        for _, resource in self.entries:
            rtype = str(resource.get("resourceType", ""))
            if rtype == "Composition" and not record.title:
                record.title = plain(str(resource.get("title", "")))
            if len(self.patients) > 1 or keep_raw:
                key = (
                    _tail(str(resource.get("id", "")))
                    if rtype == "Patient" and len(self.patients) > 1
                    else self.patient_of(resource)
                )
                if key or len(self.patients) <= 1:
                    raw.setdefault(key, []).append(json.dumps(resource, ensure_ascii=False))
            handler = handlers.get(rtype)
            if handler is None:
                continue
            try:
                handler(resource, record)
            except (TypeError, ValueError, AttributeError, KeyError):
                skipped[rtype] += 1  # one odd record must not stop the rest
        record.care_team = merge_team(self.care_team(record))
        record.raw_by_patient = raw
        for rtype, count in skipped.items():
            record.notes.append(f"{count} {rtype} record(s) could not be read and were left out.")
        return record

    def medication(self, resource: dict[str, Any], record: PortalRecord) -> None:
        if resource.get("status") in ("entered-in-error", "not-taken", "cancelled", "draft"):
            return
        name, codes = concept(resource.get("medicationCodeableConcept"))
        if not name and "medicationReference" in resource:
            medication = self.resolve(resource["medicationReference"]) or {}
            name, codes = concept(medication.get("code"))
            name = name or _display(resource["medicationReference"])
        if not name or _absent(codes):
            return
        dosages = resource.get("dosageInstruction") or resource.get("dosage") or []
        dose = how_often = route = ""
        if dosages and isinstance(dosages[0], dict):
            first = dosages[0]
            for rate in first.get("doseAndRate") or []:
                amount, unit = _quantity(rate.get("doseQuantity"))
                dose = f"{amount} {unit}".strip()
            how_often = _timing(first)
            route = concept(first.get("route"))[0]
            if not dose and not how_often:
                dose = plain(str(first.get("text", "")))
        period = resource.get("effectivePeriod") or {}
        start = iso_date(
            period.get("start")
            or resource.get("effectiveDateTime")
            or resource.get("authoredOn")
            or (resource.get("dispenseRequest") or {}).get("validityPeriod", {}).get("start")
        )
        stop = iso_date(period.get("end"))
        reason = concept(resource.get("reasonCode"))[0] or _display(
            (resource.get("reasonReference") or [None])[0]
        )
        record.medications.append(
            PortalMedication(
                name=name,
                dose=dose,
                how_often=how_often,
                route=route,
                start=start,
                stop=stop,
                status=str(resource.get("status", "")),
                prescriber=self.person_name(
                    resource.get("requester") or resource.get("informationSource")
                ),
                purpose=reason,
                codes=codes,
                patient=self.patient_of(resource),
            )
        )

    def condition(self, resource: dict[str, Any], record: PortalRecord) -> None:
        name, codes = concept(resource.get("code"))
        if not name or _absent(codes):
            return
        if _status(resource.get("verificationStatus")) in ("refuted", "entered-in-error"):
            return
        onset = iso_date(
            resource.get("onsetDateTime")
            or (resource.get("onsetPeriod") or {}).get("start")
            or resource.get("recordedDate")
        )
        resolved = iso_date(
            resource.get("abatementDateTime") or (resource.get("abatementPeriod") or {}).get("end")
        )
        record.conditions.append(
            PortalCondition(
                name,
                onset,
                resolved,
                _status(resource.get("clinicalStatus")),
                codes,
                self.patient_of(resource),
            )
        )

    def allergy(self, resource: dict[str, Any], record: PortalRecord) -> None:
        name, codes = concept(resource.get("code"))
        if not name or _absent(codes):
            return
        reaction = severity = ""
        for item in resource.get("reaction") or []:
            if isinstance(item, dict):
                reaction = reaction or concept(item.get("manifestation"))[0]
                severity = severity or str(item.get("severity", ""))
        record.allergies.append(
            PortalAllergy(
                name,
                reaction,
                severity or str(resource.get("criticality", "")),
                iso_date(resource.get("onsetDateTime") or resource.get("recordedDate")),
                _status(resource.get("clinicalStatus")),
                codes,
                self.patient_of(resource),
            )
        )

    def procedure(self, resource: dict[str, Any], record: PortalRecord) -> None:
        if resource.get("status") in ("entered-in-error", "not-done", "preparation"):
            return
        name, codes = concept(resource.get("code"))
        if not name:
            return
        when = iso_date(
            resource.get("performedDateTime")
            or (resource.get("performedPeriod") or {}).get("start")
        )
        performers = resource.get("performer") or []
        who = self.person_name(performers[0].get("actor")) if performers else ""
        record.procedures.append(
            PortalProcedure(
                name,
                when,
                who,
                _display(resource.get("location")),
                codes,
                self.patient_of(resource),
            )
        )

    def encounter(self, resource: dict[str, Any], record: PortalRecord) -> None:
        status = str(resource.get("status", ""))
        if status in ("entered-in-error", "cancelled"):
            return
        start = str((resource.get("period") or {}).get("start", ""))
        if not iso_date(start):
            return
        doctor = ""
        for participant in resource.get("participant") or []:
            if isinstance(participant, dict) and participant.get("individual"):
                doctor = self.person_name(participant["individual"])
                if doctor:
                    break
        locations = resource.get("location") or []
        facility = self.organization_name(resource.get("serviceProvider")) or (
            _display(locations[0].get("location")) if locations else ""
        )
        purpose, codes = concept(resource.get("type"))
        reason = concept(resource.get("reasonCode"))[0]
        record.encounters.append(
            PortalEncounter(
                start if "T" in start else start[:10],
                doctor,
                facility,
                f"{purpose} ({reason})" if reason and purpose else purpose or reason,
                "planned" if status in ("planned", "arrived", "triaged") else "done",
                codes,
                self.patient_of(resource),
            )
        )

    def observation(self, resource: dict[str, Any], record: PortalRecord) -> None:
        if resource.get("status") in ("entered-in-error", "cancelled"):
            return
        name, codes = concept(resource.get("code"))
        if not name:
            return
        value, unit = _quantity(resource.get("valueQuantity"))
        if not value:
            value = concept(resource.get("valueCodeableConcept"))[0] or str(
                resource.get("valueString", "")
            )
        ranges = resource.get("referenceRange") or []
        reference = ""
        if ranges and isinstance(ranges[0], dict):
            low, _ = _quantity(ranges[0].get("low"))
            high, _ = _quantity(ranges[0].get("high"))
            reference = str(ranges[0].get("text", "")) or (f"{low}-{high}" if low or high else "")
        record.results.append(
            PortalResult(
                plain_test_name(name, codes),
                value,
                unit,
                reference,
                concept(resource.get("interpretation"))[0],
                iso_date(
                    resource.get("effectiveDateTime")
                    or (resource.get("effectivePeriod") or {}).get("start")
                    or resource.get("issued")
                ),
                codes,
                self.patient_of(resource),
            )
        )

    def report(self, resource: dict[str, Any], record: PortalRecord) -> None:
        title = concept(resource.get("code"))[0] or "Report"
        when = iso_date(resource.get("effectiveDateTime") or resource.get("issued"))
        for attachment in resource.get("presentedForm") or []:
            self._attachment(attachment, title, when, resource, record)

    def document_reference(self, resource: dict[str, Any], record: PortalRecord) -> None:
        if resource.get("status") == "entered-in-error":
            return
        title = (
            plain(str(resource.get("description", "")))
            or concept(resource.get("type"))[0]
            or "Note"
        )
        when = iso_date(resource.get("date"))
        for content in resource.get("content") or []:
            if isinstance(content, dict):
                self._attachment(content.get("attachment"), title, when, resource, record)

    def _attachment(
        self,
        attachment: Any,
        title: str,
        when: str | None,
        resource: dict[str, Any],
        record: PortalRecord,
    ) -> None:
        if not isinstance(attachment, dict) or not isinstance(attachment.get("data"), str):
            return  # a link to elsewhere (url) is not fetched: CareBinder stays offline
        encoded = attachment["data"]
        if len(encoded) > MAX_ATTACHMENT * 4 // 3 + 4:
            record.notes.append(f"“{title}” is too large to bring in and was left out.")
            return
        try:
            data = base64.b64decode(encoded, validate=False)
        except (binascii.Error, ValueError):
            record.notes.append(f"“{title}” is damaged and was left out.")
            return
        media = str(attachment.get("contentType", "")).split(";")[0].strip() or "text/plain"
        if data.startswith(b"%PDF-"):
            media = "application/pdf"
        name = plain(str(attachment.get("title", ""))) or title
        record.documents.append(PortalDocument(name, media, data, when, self.patient_of(resource)))

    def care_team(self, record: PortalRecord) -> list[PortalClinician]:
        """The practitioners this file names, each with the place they were seen most."""
        places: dict[tuple[str, str], Counter[str]] = {}
        for encounter in record.encounters:
            if encounter.doctor:
                key = (person_key(encounter.doctor), encounter.patient)
                places.setdefault(key, Counter())[encounter.facility] += 1
        roles: dict[str, dict[str, Any]] = {}
        for _, resource in self.entries:
            if resource.get("resourceType") == "PractitionerRole":
                who = self.person_name(resource.get("practitioner"))
                if who:
                    roles[person_key(who)] = resource
        team: list[PortalClinician] = []
        named = set(places)
        for _, resource in self.entries:
            if resource.get("resourceType") != "Practitioner":
                continue
            name = _human_name(resource.get("name"))
            if not name:
                continue
            patients = [p for (k, p) in named if k == person_key(name)]
            if len(self.patients) > 1 and not patients:
                continue  # a bulk export lists every clinician of every patient
            team += [self._clinician(resource, name, roles, places, p) for p in patients or [ONLY]]
        known = {person_key(c.name) for c in team}
        for (who, patient), counter in places.items():
            if who not in known:
                doctor = next(
                    e.doctor
                    for e in record.encounters
                    if person_key(e.doctor) == who and e.patient == patient
                )
                team.append(
                    PortalClinician(
                        doctor, institution=counter.most_common(1)[0][0], patient=patient
                    )
                )
        return team

    def _clinician(
        self,
        resource: dict[str, Any],
        name: str,
        roles: dict[str, dict[str, Any]],
        places: dict[tuple[str, str], Counter[str]],
        patient: str,
    ) -> PortalClinician:
        telecom = [t for t in resource.get("telecom") or [] if isinstance(t, dict)]
        role = roles.get(person_key(name), {})
        telecom += [t for t in role.get("telecom") or [] if isinstance(t, dict)]
        phone = next((str(t.get("value")) for t in telecom if t.get("system") == "phone"), "")
        email = next((str(t.get("value")) for t in telecom if t.get("system") == "email"), "")
        addresses = resource.get("address") or []
        address = ""
        if addresses and isinstance(addresses[0], dict):
            first = addresses[0]
            address = str(first.get("text", "")) or ", ".join(
                str(p)
                for p in [
                    *first.get("line", []),
                    first.get("city"),
                    first.get("state"),
                    first.get("postalCode"),
                ]
                if p
            )
        counter = places.get((person_key(name), patient))
        institution = counter.most_common(1)[0][0] if counter else ""
        institution = institution or self.organization_name(role.get("organization"))
        return PortalClinician(
            name=name,
            specialty=concept(role.get("specialty"))[0],
            institution=institution,
            phone=phone,
            email=email,
            address=plain(address),
            patient=patient,
        )


def _absent(codes: tuple[Code, ...]) -> bool:
    """IPS "no known allergies" / "no information" entries are not conditions."""
    return any(
        c.system.endswith("absent-unknown-uv-ips")
        or (c.system == "http://snomed.info/sct" and c.code in ("716186003", "160245001"))
        for c in codes
    )
