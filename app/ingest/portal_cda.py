"""C-CDA / CCD / C32 documents (HL7 CDA R2 XML) -> a PortalRecord.

Sections are told by their LOINC code (the same in C32 and C-CDA R1.1/R2.1): medications,
problems, allergies, procedures, encounters, results. The header gives the care team
(service-event performers, the author, the legal authenticator) and the visit the document
is about (encompassingEncounter). An unstructured body (a PDF or text) becomes a document.
Entries that say "not given" (negationInd) are left out. XML is read by defusedxml.

One room, though long: one file format, read section by section.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element

from app.ingest.codes import NO_KNOWN_ALLERGY, NO_KNOWN_DRUG_ALLERGY, Code
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
    plain,
)
from app.ingest.refusal import Refused
from app.ingest.structured import nonxml_content

OIDS = {
    "2.16.840.1.113883.6.88": "http://www.nlm.nih.gov/research/umls/rxnorm",
    "2.16.840.1.113883.6.96": "http://snomed.info/sct",
    "2.16.840.1.113883.6.1": "http://loinc.org",
    "2.16.840.1.113883.6.90": "http://hl7.org/fhir/sid/icd-10-cm",
    "2.16.840.1.113883.6.3": "http://hl7.org/fhir/sid/icd-10",
    "2.16.840.1.113883.6.103": "http://hl7.org/fhir/sid/icd-9-cm",
    "2.16.840.1.113883.6.104": "http://hl7.org/fhir/sid/icd-9-cm",
    "2.16.840.1.113883.6.12": "http://www.ama-assn.org/go/cpt",
    "2.16.840.1.113883.6.69": "http://hl7.org/fhir/sid/ndc",
    "2.16.840.1.113883.4.9": "http://fdasis.nlm.nih.gov",
    "2.16.840.1.113883.12.292": "http://hl7.org/fhir/sid/cvx",
}
MEDICATION_SECTIONS = {"10160-0", "10183-2", "75311-1", "42346-7", "29549-3"}
PROBLEM_SECTIONS = {"11450-4", "11348-0", "46665-4"}  # problems, past history, hospital dx
ALLERGY_SECTIONS = {"48765-2"}
PROCEDURE_SECTIONS = {"47519-4"}
ENCOUNTER_SECTIONS = {"46240-8"}
RESULT_SECTIONS = {"30954-2"}


def local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1]


def parse_xml(data: bytes, what: str) -> Element:
    """A well-formed, entity-free XML tree, with namespaces dropped from the tags."""
    from defusedxml import (
        DefusedXmlException,
        DTDForbidden,
        EntitiesForbidden,
        ExternalReferenceForbidden,
    )
    from defusedxml.ElementTree import ParseError, fromstring

    try:
        # No DTD at all: clinical documents never need one, and every XML bomb needs one.
        root = fromstring(data, forbid_dtd=True)
    except (EntitiesForbidden, DTDForbidden):
        raise Refused(
            f"This {what} carries a document type declaration (DTD), which real clinical "
            "documents do not need and which is a known way to attack programs that read XML. "
            "It was not opened."
        ) from None
    except ExternalReferenceForbidden:
        raise Refused(
            f"This {what} asks to load other files or web addresses while it is read. "
            "It was not opened."
        ) from None
    except (ParseError, DefusedXmlException, ValueError) as exc:
        where = getattr(exc, "position", None)
        at = f" (line {where[0]}, column {where[1]})" if where else ""
        raise Refused(f"This {what} is damaged: its XML is broken or cut short{at}.") from None
    for element in root.iter():
        if isinstance(element.tag, str):
            element.tag = local(element.tag)
    return root


def read_cda(data: bytes) -> PortalRecord:
    root = parse_xml(data, "clinical document (C-CDA)")
    if root.tag not in ("ClinicalDocument", "section"):
        raise Refused("This XML file is not a clinical document (C-CDA or CCD).")
    return CdaReader(root).read()


def _text(element: Element | None) -> str:
    if element is None:
        return ""
    return " ".join("".join(element.itertext()).split())


def hl7_date(value: str | None) -> str | None:
    """ "20120806103000-0500" -> "2012-08-06" (a day, a month or a year, as given)."""
    match = re.match(r"(\d{4})(\d{2})?(\d{2})?", value or "")
    if not match:
        return None
    return iso_date("-".join(p for p in match.groups() if p))


def hl7_datetime(value: str | None) -> str | None:
    """With the time and offset when the value has them: "2012-08-06T10:30:00-05:00"."""
    match = re.match(
        r"(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})?(\d{2})?(?:\.\d+)?([+-]\d{4})?", value or ""
    )
    if not match:
        return hl7_date(value)
    year, month, day, hour, minute, second, offset = match.groups()
    if iso_date(f"{year}-{month}-{day}") is None or int(hour) > 23 or int(minute or 0) > 59:
        return None
    text = f"{year}-{month}-{day}T{hour}:{minute or '00'}:{second or '00'}"
    if offset:
        text += f"{offset[:3]}:{offset[3:]}"
    return text


def _moment(encounter: Element) -> str | None:
    """When a visit began: its effectiveTime, or the start of its span, with the time."""
    time = encounter.find("effectiveTime")
    raw = None
    if time is not None:
        low = time.find("low")
        raw = time.get("value") or (low.get("value") if low is not None else None)
    return hl7_datetime(raw)


def _attr(element: Element | None, name: str) -> str:
    # Never `element or default`: an Element with no children is false.
    return element.get(name, "") if element is not None else ""


def _name(element: Element | None) -> str:
    """A person's name as it is said: "Dr. Henry Seven"."""
    if element is None:
        return ""
    parts = [
        _text(child) for child in element if child.tag in ("prefix", "given", "family", "suffix")
    ]
    return " ".join(p for p in parts if p) or _text(element)


class CdaReader:
    def __init__(self, root: Element) -> None:
        self.root = root
        # Narrative pieces by ID, so that <originalText><reference value="#med1"/> can be read.
        self.ids = {el.get("ID", ""): _text(el) for el in root.iter() if el.get("ID")}

    def read(self) -> PortalRecord:
        root = self.root
        record = PortalRecord(format="C-CDA document", title=_text(root.find("title")))
        sections = [root] if root.tag == "section" else list(root.iter("section"))
        for section in sections:
            code = _attr(section.find("code"), "code")
            if code in MEDICATION_SECTIONS:
                record.medications += self.medications(section)
            elif code in PROBLEM_SECTIONS:
                record.conditions += self.conditions(section)
            elif code in ALLERGY_SECTIONS:
                record.allergies += self.allergies(section)
            elif code in PROCEDURE_SECTIONS:
                record.procedures += self.procedures(section)
            elif code in ENCOUNTER_SECTIONS:
                record.encounters += self.encounters(section)
            elif code in RESULT_SECTIONS:
                record.results += self.results(section)
        if root.tag == "ClinicalDocument":
            patient = root.find("recordTarget/patientRole/patient")
            if patient is not None and _name(patient.find("name")):
                born = hl7_date(_attr(patient.find("birthTime"), "value"))
                record.patients.append(PortalPatient(ONLY, _name(patient.find("name")), born))
            record.care_team = merge_team(self.care_team())
            visit = self.header_encounter()
            if visit is not None:
                record.encounters.append(visit)
            record.documents += self.unstructured(record.title)
        return record

    # -- shared pieces ----------------------------------------------------------------------

    def concept(self, element: Element | None) -> tuple[str, tuple[Code, ...]]:
        """The plain name and the codes of a coded element (code, value, translations)."""
        if element is None:
            return "", ()
        codes: list[Code] = []
        for coded in [element, *element.findall("translation")]:
            system = coded.get("codeSystem", "")
            if coded.get("code") and system:
                codes.append(
                    Code(
                        OIDS.get(system, f"urn:oid:{system}"),
                        coded.get("code", ""),
                        plain(coded.get("displayName", "")),
                    )
                )
        name = element.get("displayName", "")
        original = element.find("originalText")
        if original is not None:
            reference = original.find("reference")
            referenced = self.ids.get(
                (reference.get("value", "") if reference is not None else "").lstrip("#"), ""
            )
            name = name or referenced or _text(original)
        if not name:
            name = next((c.display for c in codes if c.display), "")
        return plain(name), tuple(codes)

    def span(self, element: Element) -> tuple[str | None, str | None]:
        """An act's start and end dates (an IVL_TS low/high, or a single value)."""
        for time in element.findall("effectiveTime"):
            low, high = time.find("low"), time.find("high")
            if low is not None or high is not None:
                start = hl7_date(low.get("value")) if low is not None else None
                stop = hl7_date(high.get("value")) if high is not None else None
                return start, stop
            if time.get("value"):
                return hl7_date(time.get("value")), None
        return None, None

    @staticmethod
    def entries(section: Element, tag: str) -> list[Element]:
        found: list[Element] = []
        for entry in section.findall("entry"):
            found += [el for el in entry.iter(tag) if el.get("negationInd") != "true"]
        return found

    # -- sections ---------------------------------------------------------------------------

    def medications(self, section: Element) -> list[PortalMedication]:
        meds: list[PortalMedication] = []
        for entry in section.findall("entry"):
            sbadm = entry.find("substanceAdministration")
            if sbadm is None or sbadm.get("negationInd") == "true":
                continue
            material = sbadm.find("consumable/manufacturedProduct/manufacturedMaterial")
            name, codes = self.concept(material.find("code") if material is not None else None)
            if not name and material is not None:
                name = plain(_text(material.find("name")))
            if not name:
                continue
            start, stop = self.span(sbadm)
            dose = sbadm.find("doseQuantity")
            dose_text = ""
            if dose is not None:
                low = dose.find("low")
                value = dose.get("value") or (low.get("value") if low is not None else "")
                unit = dose.get("unit") or (low.get("unit") if low is not None else "")
                if value:
                    dose_text = f"{value} {unit}".strip() if unit and unit != "1" else value
            route, _ = self.concept(sbadm.find("routeCode"))
            author = sbadm.find("author/assignedAuthor/assignedPerson/name")
            meds.append(
                PortalMedication(
                    name=name,
                    dose=dose_text,
                    how_often=self.frequency(sbadm),
                    route=route,
                    start=start,
                    stop=stop,
                    status=_attr(sbadm.find("statusCode"), "code"),
                    prescriber=_name(author),
                    purpose=self.indication(sbadm),
                    codes=codes,
                )
            )
        return meds

    def frequency(self, sbadm: Element) -> str:
        instructions = sbadm.find("text")
        for time in sbadm.findall("effectiveTime"):
            period = time.find("period")
            if period is None:
                continue
            value, unit = period.get("value", ""), period.get("unit", "")
            words = {"h": "hours", "d": "days", "wk": "weeks", "min": "minutes", "mo": "months"}
            if value and unit:
                if time.get("institutionSpecified") == "true" and unit == "h":
                    per_day = round(24 / float(value)) if float(value) else 0
                    return {1: "once a day", 2: "twice a day"}.get(
                        per_day, f"{per_day} times a day"
                    )
                if value in ("1", "1.0"):
                    return {"d": "once a day", "h": "every hour", "wk": "once a week"}.get(
                        unit, f"every {words.get(unit, unit)}"
                    )
                return f"every {value} {words.get(unit, unit)}"
        if instructions is not None:
            reference = instructions.find("reference")
            if reference is not None:
                return self.ids.get(reference.get("value", "").lstrip("#"), "")[:200]
        return ""

    def indication(self, act: Element) -> str:
        for relation in act.findall("entryRelationship"):
            if relation.get("typeCode") == "RSON":
                observation = relation.find("observation")
                if observation is not None:
                    name, _ = self.concept(observation.find("value"))
                    if name:
                        return name
        return ""

    def conditions(self, section: Element) -> list[PortalCondition]:
        found: list[PortalCondition] = []
        for entry in section.findall("entry"):
            # The problem observations of each concern act (or on their own): never the
            # status or comment observations nested inside them.
            for observation in [
                *entry.findall("observation"),
                *entry.findall("act/entryRelationship/observation"),
            ]:
                if observation.get("negationInd") == "true":
                    continue
                value = observation.find("value")
                if value is None:
                    continue
                name, codes = self.concept(value)
                name = name or self.narrative_of(observation)
                if not name:
                    continue
                onset, resolved = self.span(observation)
                status = ""
                for relation in observation.findall("entryRelationship/observation"):
                    relation_code = relation.find("code")
                    if relation_code is not None and relation_code.get("code") == "33999-4":
                        status, _ = self.concept(relation.find("value"))
                found.append(PortalCondition(name, onset, resolved, status.lower(), codes))
        return found

    def narrative_of(self, act: Element) -> str:
        """The words an entry points to in the section's narrative (<text><reference>)."""
        reference = act.find("text/reference")
        if reference is None:
            return ""
        return plain(self.ids.get(reference.get("value", "").lstrip("#"), ""))

    def allergies(self, section: Element) -> list[PortalAllergy]:
        found: list[PortalAllergy] = []
        for entry in section.findall("entry"):
            for observation in entry.iter("observation"):
                entity = observation.find("participant/participantRole/playingEntity")
                if observation.get("negationInd") == "true":
                    said = _no_known_allergy(observation, entity)
                    if said is not None:
                        name = said.display.replace("allergy", "allergies")
                        found.append(PortalAllergy(name, codes=(said,)))
                    continue
                if entity is None:
                    continue
                name, codes = self.concept(entity.find("code"))
                if not codes or "not available" in name.lower():
                    # VA exports say "Coded Allergy Name Not Available" and give the name here.
                    name = plain(_text(entity.find("name"))) or name
                if not name:
                    continue
                reaction = severity = ""
                for relation in observation.findall("entryRelationship/observation"):
                    template = {t.get("root") for t in relation.findall("templateId")}
                    value_name, _ = self.concept(relation.find("value"))
                    if "2.16.840.1.113883.10.20.22.4.9" in template:
                        reaction = reaction or value_name
                    elif "2.16.840.1.113883.10.20.22.4.8" in template:
                        severity = severity or value_name
                noted, _ = self.span(observation)
                found.append(PortalAllergy(name, reaction, severity, noted, "", codes))
        return found

    def procedures(self, section: Element) -> list[PortalProcedure]:
        found: list[PortalProcedure] = []
        for entry in section.findall("entry"):
            for act in entry:
                if act.tag not in ("procedure", "act", "observation"):
                    continue
                if act.get("negationInd") == "true" or act.get("moodCode", "EVN") != "EVN":
                    continue
                name, codes = self.concept(act.find("code"))
                if not name:
                    continue
                start, _ = self.span(act)
                performer = act.find("performer/assignedEntity")
                who = _name(performer.find("assignedPerson/name")) if performer is not None else ""
                where = (
                    _text(performer.find("representedOrganization/name"))
                    if performer is not None
                    else ""
                )
                found.append(PortalProcedure(name, start, who, where, codes))
        return found

    def encounters(self, section: Element) -> list[PortalEncounter]:
        found: list[PortalEncounter] = []
        for encounter in self.entries(section, "encounter"):
            when = _moment(encounter)
            if not when:
                continue
            purpose, codes = self.concept(encounter.find("code"))
            doctor = _name(encounter.find("performer/assignedEntity/assignedPerson/name"))
            facility = _text(encounter.find("participant/participantRole/playingEntity/name"))
            if not facility:
                facility = _text(
                    encounter.find("performer/assignedEntity/representedOrganization/name")
                )
            mood = encounter.get("moodCode", "EVN")
            status = "planned" if mood in ("INT", "ARQ", "PRMS", "PRP", "RQO", "APT") else "done"
            found.append(PortalEncounter(when, doctor, facility, purpose, status, codes))
        return found

    def results(self, section: Element) -> list[PortalResult]:
        found: list[PortalResult] = []
        for observation in self.entries(section, "observation"):
            value = observation.find("value")
            name, codes = self.concept(observation.find("code"))
            if value is None or not name:
                continue
            unit = value.get("unit", "")
            amount = value.get("value", "") or self.concept(value)[0] or _text(value)
            if unit == "1":
                unit = ""
            taken, _ = self.span(observation)
            interpretation, _ = self.concept(observation.find("interpretationCode"))
            reference = _text(observation.find("referenceRange/observationRange/text"))
            if not reference:
                low = observation.find("referenceRange/observationRange/value/low")
                high = observation.find("referenceRange/observationRange/value/high")
                if low is not None and high is not None:
                    reference = f"{low.get('value', '')}-{high.get('value', '')} {unit}".strip()
            name = plain_test_name(name, codes)
            found.append(PortalResult(name, amount, unit, reference, interpretation, taken, codes))
        return found

    # -- header -----------------------------------------------------------------------------

    def care_team(self) -> list[PortalClinician]:
        people: list[PortalClinician] = []
        paths = (
            "documentationOf/serviceEvent/performer/assignedEntity",
            "componentOf/encompassingEncounter/encounterParticipant/assignedEntity",
            "componentOf/encompassingEncounter/responsibleParty/assignedEntity",
            "author/assignedAuthor",
            "legalAuthenticator/assignedEntity",
        )
        for path in paths:
            for entity in self.root.findall(path):
                name = _name(entity.find("assignedPerson/name"))
                if not name:
                    continue
                specialty, _ = self.concept(entity.find("code"))
                phone = next(
                    (
                        t.get("value", "").removeprefix("tel:").strip()
                        for t in entity.findall("telecom")
                        if t.get("value", "").startswith("tel:")
                    ),
                    "",
                )
                address = entity.find("addr")
                people.append(
                    PortalClinician(
                        name=name,
                        specialty=specialty,
                        institution=_text(entity.find("representedOrganization/name")),
                        phone=phone,
                        address=", ".join(
                            _text(part)
                            for part in (address if address is not None else [])
                            if _text(part)
                        ),
                    )
                )
        return people

    def header_encounter(self) -> PortalEncounter | None:
        encounter = self.root.find("componentOf/encompassingEncounter")
        if encounter is None:
            return None
        when = _moment(encounter)
        if not when:
            return None
        doctor = ""
        for path in (
            "responsibleParty/assignedEntity/assignedPerson/name",
            "encounterParticipant/assignedEntity/assignedPerson/name",
        ):
            doctor = doctor or _name(encounter.find(path))
        facility = _text(encounter.find("location/healthCareFacility/location/name")) or _text(
            encounter.find("location/healthCareFacility/serviceProviderOrganization/name")
        )
        purpose, codes = self.concept(encounter.find("code"))
        title = _text(self.root.find("title"))
        return PortalEncounter(when, doctor, facility, purpose or title, "done", codes)

    def unstructured(self, title: str) -> list[PortalDocument]:
        documents: list[PortalDocument] = []
        when = hl7_date(_attr(self.root.find("effectiveTime"), "value"))
        for body in self.root.iter("nonXMLBody"):
            content = body.find("text")
            if content is None:
                continue
            raw = nonxml_content(content)
            if raw is None:
                continue
            data = raw.encode("utf-8") if isinstance(raw, str) else raw
            if not data:
                continue
            media = content.get("mediaType", "text/plain")
            if data.startswith(b"%PDF-"):
                media = "application/pdf"
            documents.append(PortalDocument(title or "Attached document", media, data, when))
        return documents


# A negated allergy to "a substance" (or no substance named) is how C-CDA says "no known
# allergies"; negated "drug or medicament" or "drug allergy", "no known drug allergies". A
# negated allergy to one named substance ("not allergic to penicillin") stays left out.
_ANY_SUBSTANCE = {"105590001", "410942007"}  # Substance; Drug or medicament
_ANY_ALLERGY = {"419199007", "416098002", "420134006", "418038007", "419511003"}
_DRUG = {"410942007", "416098002", "419511003"}


def _no_known_allergy(observation: Element, entity: Element | None) -> Code | None:
    substance = entity.find("code") if entity is not None else None
    what = substance.get("code", "") if substance is not None else ""
    value = observation.find("value")
    kind = value.get("code", "") if value is not None else ""
    if what and what not in _ANY_SUBSTANCE:
        return None
    if kind and kind not in _ANY_ALLERGY:
        return None
    return NO_KNOWN_DRUG_ALLERGY if {what, kind} & _DRUG else NO_KNOWN_ALLERGY
