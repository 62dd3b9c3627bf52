"""A code beside a plain name (RxNorm, SNOMED CT, LOINC, ICD-10...), as portal files give
them. Kept in the ingest layer so that parsers need nothing from the records layer."""

from __future__ import annotations

from dataclasses import dataclass

# Code systems by their FHIR URI, with the name people know them by.
SYSTEM_NAMES = {
    "http://www.nlm.nih.gov/research/umls/rxnorm": "RxNorm",
    "http://snomed.info/sct": "SNOMED CT",
    "http://loinc.org": "LOINC",
    "http://hl7.org/fhir/sid/icd-10-cm": "ICD-10-CM",
    "http://hl7.org/fhir/sid/icd-10": "ICD-10",
    "http://hl7.org/fhir/sid/icd-9-cm": "ICD-9-CM",
    "http://www.ama-assn.org/go/cpt": "CPT",
    "http://hl7.org/fhir/sid/ndc": "NDC",
    "http://fdasis.nlm.nih.gov": "UNII",
    "http://ncimeta.nci.nih.gov": "NCI Metathesaurus",
    "http://hl7.org/fhir/sid/cvx": "CVX",
}


@dataclass(frozen=True)
class Code:
    system: str  # a FHIR system URI, or "urn:oid:..." when the system is not known here
    code: str
    display: str = ""

    @property
    def system_name(self) -> str:
        return SYSTEM_NAMES.get(self.system, self.system)

    def to_json(self) -> dict[str, str]:
        data = {"system": self.system, "code": self.code}
        if self.display:
            data["display"] = self.display
        return data


SNOMED = "http://snomed.info/sct"
# How IPS says "no known allergies" (and "no known drug allergies"): as an allergy entry.
NO_KNOWN_ALLERGY = Code(SNOMED, "716186003", "No known allergy")
NO_KNOWN_DRUG_ALLERGY = Code(SNOMED, "409137002", "No known drug allergy")
