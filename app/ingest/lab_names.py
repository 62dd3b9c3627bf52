"""Plain names for lab tests and other coded results from portal files.

The file's own display text is kept when it reads as words ("Hemoglobin", "Urea nitrogen,
Serum"). LOINC's machine names are not: a fully specified name
("TROPONIN T.CARDIAC:MCNC:PT:SER/PLAS:QN:"), a long common name ("Leukocytes [#/volume] in
Blood by Manual count") or a bare lab abbreviation ("K", "HGB"). Those are replaced by the
plain name of the test's LOINC code from the bundled map (resources/loinc, with its
licence), or, for a code the map does not know, cut down to the test's own words in plain
case ("Troponin T cardiac"). Pure: no database, no Qt.
"""

from __future__ import annotations

import re
from functools import cache

from app.ingest.codes import Code
from app.resources import resource_path

LOINC = "http://loinc.org"
MAP = "loinc/consumer-names.tsv"

# COMPONENT:PROPERTY:TIME:SYSTEM:SCALE[:METHOD]: four colons or more, no spaces around them.
_FULLY_SPECIFIED = re.compile(r"^[^:]+(?::[^:\s]*){4,}$")
# "X [property] in System", LOINC's long common name.
_LONG_COMMON = re.compile(r"^(?P<component>[^\[\]]+?)\s*\[[^\]]*\](?:\s+in\s+.+)?$")
# The abbreviations lab printouts use for the commonest tests, when no code says more.
_ABBREVIATIONS = {
    "hgb": "Hemoglobin (oxygen-carrying protein in red blood cells)",
    "hb": "Hemoglobin (oxygen-carrying protein in red blood cells)",
    "hct": "Hematocrit (share of the blood made of red cells)",
    "wbc": "White blood cell count (infection-fighting cells)",
    "rbc": "Red blood cell count",
    "plt": "Platelet count (cells that help blood clot)",
    "na": "Sodium (a salt in the blood)",
    "k": "Potassium (a salt in the blood)",
    "cl": "Chloride (a salt in the blood)",
    "hco3": "Bicarbonate (acid balance of the blood)",
    "co2": "Carbon dioxide (acid balance of the blood)",
    "bun": "Urea nitrogen (BUN, kidney test)",
    "cr": "Creatinine (kidney test)",
    "creat": "Creatinine (kidney test)",
    "glu": "Glucose (blood sugar)",
    "glucose": "Glucose (blood sugar)",
    "ca": "Calcium",
    "alt": "ALT (liver enzyme)",
    "ast": "AST (liver enzyme)",
    "alk phos": "Alkaline phosphatase (liver and bone enzyme)",
    "tsh": "TSH (thyroid test)",
    "psa": "PSA (prostate test)",
    "inr": "INR (clotting test)",
    "crp": "C-reactive protein (CRP, inflammation test)",
    "esr": "Sedimentation rate (ESR, inflammation test)",
    "cbc": "Complete blood count (CBC)",
}


@cache
def consumer_names() -> dict[str, str]:
    """LOINC code -> plain name, read once from the bundled map."""
    names: dict[str, str] = {}
    for line in resource_path(MAP).read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            code, _, name = line.partition("\t")
            names[code.strip()] = name.strip()
    return names


def is_machine_name(name: str) -> bool:
    """A LOINC fully specified or long common name, or a bare abbreviation in capitals."""
    text = name.strip()
    if _FULLY_SPECIFIED.match(text) or _LONG_COMMON.match(text):
        return True
    return text.lower() in _ABBREVIATIONS or (text.isupper() and len(text) <= 5)


def plain_test_name(name: str, codes: tuple[Code, ...] = ()) -> str:
    """What a patient reads for this result: the file's own words when they are words, else
    the map's plain name for its LOINC code, else the test's own words in plain case."""
    text = " ".join(name.split())
    if text and not is_machine_name(text):
        return text
    known = consumer_names()
    for code in codes:
        if code.system == LOINC and code.code in known:
            return known[code.code]
    if text.lower() in _ABBREVIATIONS:
        return _ABBREVIATIONS[text.lower()]
    if _FULLY_SPECIFIED.match(text):
        component = text.split(":", 1)[0]
        return _plain_case(re.sub(r"[.^]", " ", component))
    if match := _LONG_COMMON.match(text):
        return match.group("component").strip()
    return text or next((c.display for c in codes if c.display), "")


def _plain_case(text: str) -> str:
    words = [w.upper() if len(w) == 1 else w for w in text.lower().split()]
    sentence = " ".join(words)
    return sentence[:1].upper() + sentence[1:]
