"""The type of tumour a report names ("invasive ductal carcinoma", "clear cell renal cell
carcinoma", "glioblastoma"), as a printable value with the words that qualify it.

A name is a core word (carcinoma, adenocarcinoma, sarcoma, lymphoma, glioblastoma...) with
the qualifying words written before it ("basaloid squamous cell") and a type written after
it ("carcinoma, clear cell type", "Renal cell carcinoma - Conventional (clear cell) type").
Organ words inside the name ("prostatic adenocarcinoma") say the site, not the type.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.ingest.clinical.prepare import capitalised, one_line

# Malignant tumour names (a noun the name ends with). Benign look-alikes (adenoma,
# leiomyoma, lipoma, meningioma, hyperplasia, dysplasia) are not in the list.
_CORES = (
    r"adenocarcinomas?|carcinomas?|carcinoma\s+in\s+situ|adenocarcinoma\s+in\s+situ|"
    r"carcinosarcoma|(?:leiomyo|lipo|rhabdomyo|osteo|chondro|angio|fibro|myxofibro|gliosar|"
    r"lymphangio|neurofibro|synovial\s+|ewing\s+|kaposi\s+|undifferentiated\s+pleomorphic\s+)?"
    r"sarcomas?|(?:non-?)?hodgkin(?:'?s)?\s+lymphoma|lymphomas?|leuka?emias?|myelomas?|"
    r"melanomas?|mesotheliomas?|glioblastomas?(?:\s+multiforme)?|astrocytomas?|"
    r"oligodendrogliomas?|oligoastrocytomas?|ependymomas?|gliomas?|medulloblastomas?|"
    r"neuroblastomas?|nephroblastomas?|hepatoblastomas?|retinoblastomas?|seminomas?|"
    r"dysgerminomas?|germinomas?|choriocarcinomas?|yolk\s+sac\s+tumou?r|"
    r"cholangiocarcinomas?|gastrointestinal\s+stromal\s+tumou?r|\bGIST\b|carcinoid(?:\s+tumou?r)?|"
    r"neuroendocrine\s+(?:tumou?r|neoplasm)|thymomas?|blastomas?|"
    r"malignant\s+neoplasm|mycosis\s+fungoides|"
    r"\bDCIS\b|\bLCIS\b|\bHCC\b|\bRCC\b|\bNSCLC\b|\bSCLC\b|\bSCC\b|\bGBM\b|\bDLBCL\b|\bCLL\b|\bAML\b|"
    r"\bALL\b(?=\s*\()|\bCML\b"
)
# Words that qualify a name, written before it.
_BEFORE = (
    r"invasive|infiltrating|microinvasive|minimally\s+invasive|metastatic|recurrent|residual|"
    r"primary|malignant|high[- ]grade|low[- ]grade|intermediate[- ]grade|"
    r"ductal|lobular|tubular|tubulo-?papillary|papillary|micropapillary|cribriform|solid|"
    r"mucinous|mucin[- ]producing|colloid|medullary|metaplastic|inflammatory|apocrine|"
    r"signet[- ]ring(?:\s+cell)?|serous|endometrioid|clear[- ]cell|squamous(?:\s+cell)?|"
    r"basaloid|keratinizing|non-?keratinizing|sarcomatoid|spindle[- ]cell|verrucous|"
    r"adenosquamous|small[- ]cell|non-?small[- ]cell|large[- ]cell|giant[- ]cell|"
    r"neuroendocrine|renal[- ]cell|transitional[- ]cell|urothelial|hepatocellular|"
    r"fibrolamellar|cholangiocellular|acinar(?:\s+cell)?|small\s+acinar|conventional|"
    r"chromophobe|collecting\s+duct|bronchioloalveolar|bronchiolo-alveolar|lepidic|"
    r"anaplastic|pilocytic|diffuse|follicular|mantle\s+cell|marginal\s+zone|"
    r"diffuse\s+large\s+b-?\s*cell|large\s+b-?\s*cell|b-?\s*cell|t-?\s*cell|"
    r"nodular\s+sclerosis|classical|classic|plasma\s+cell|multiple|nodular|"
    r"superficial\s+spreading|lentigo\s+maligna|acral\s+lentiginous|desmoplastic|"
    r"well[- ]differentiated|moderately[- ]differentiated|poorly[- ]differentiated|"
    r"undifferentiated|dedifferentiated|pleomorphic|epithelioid|biphasic|sarcomatous|"
    r"intestinal(?:[- ]type)?|gastric[- ]type|mixed|combined|invasive\s+lobular|"
    r"in\s+situ|intraductal|intraepithelial|ductal\s+and\s+lobular|"
    r"prostatic|pulmonary|colonic|colorectal|pancreatic|gastric|esophageal|hepatic|"
    r"endometrial|ovarian|cervical|renal|breast|lung|prostate|colon|rectal|bladder|"
    r"thyroid|skin|cutaneous"
)
# Words after a name that still belong to it: "carcinoma, clear cell type", "(clear cell)".
_TYPE_AFTER = re.compile(
    r"^(?:\s*[,-]\s*|\s+|\s*\(\s*)(?P<type>(?:(?:" + _BEFORE + r"|type|subtype|variant|"
    r"features?|pattern|nos|with|and|or|\(|\))\s*[,/-]?\s*){1,8})",
    re.IGNORECASE,
)
_NAME = re.compile(
    r"(?P<before>(?:(?:"
    + _BEFORE
    + r")(?:\s*[,/-]\s*|\s+and\s+|\s+))*)(?P<core>"
    + _CORES
    + r")\b",
    re.IGNORECASE,
)
_ORGAN_ADJECTIVES = re.compile(
    r"\b(?:prostatic|pulmonary|colonic|colorectal|pancreatic|gastric|esophageal|hepatic|"
    r"endometrial|ovarian|cervical|renal(?!\s+cell)|breast|lung|prostate|colon|rectal|"
    r"bladder|thyroid|skin|cutaneous)\b",
    re.IGNORECASE,
)
# Grades and behaviour written as part of a name are read by grading.py and negation.py.
_NOT_TYPE = re.compile(
    r"\b(?:well|moderately|poorly)[- ]differentiated\b|\b(?:primary|residual|recurrent|"
    r"multiple|malignant(?=\s+\w)|intermediate[- ]grade)\b",
    re.IGNORECASE,
)
_ABBREVIATIONS = {
    "dcis": "Ductal carcinoma in situ",
    "lcis": "Lobular carcinoma in situ",
    "hcc": "Hepatocellular carcinoma",
    "rcc": "Renal cell carcinoma",
    "nsclc": "Non-small cell lung carcinoma",
    "sclc": "Small cell lung carcinoma",
    "scc": "Squamous cell carcinoma",
    "gbm": "Glioblastoma",
    "dlbcl": "Diffuse large B-cell lymphoma",
    "cll": "Chronic lymphocytic leukemia",
    "aml": "Acute myeloid leukemia",
    "all": "Acute lymphoblastic leukemia",
    "cml": "Chronic myeloid leukemia",
    "gist": "Gastrointestinal stromal tumor",
}
# Names that are not malignant on their own words.
_NOT_MALIGNANT = re.compile(r"\bin\s+situ\b|\bDCIS\b|\bLCIS\b", re.IGNORECASE)


@dataclass(frozen=True)
class Histology:
    value: str  # "Clear cell renal cell carcinoma"
    start: int
    end: int
    in_situ: bool
    metastatic: bool
    organ_words: str  # "prostatic": says the site


def _clean_type(words: str) -> str:
    words = re.sub(
        r"\b(?:type|subtype|variant|nos|with|features?|pattern)\b", " ", words, flags=re.I
    )
    words = re.sub(r"[()]", " ", words)
    words = re.sub(r"\s*[,/]\s*", " ", words)
    words = re.sub(r"\b(?:and|or)\s*$", " ", one_line(words), flags=re.I)
    return one_line(words).strip(" -,")


def _canonical(before: str, core: str, after: str) -> str:
    """One printable name from the words around the core."""
    core_l = one_line(core).lower()
    if core_l in _ABBREVIATIONS:
        return _ABBREVIATIONS[core_l]
    before = _NOT_TYPE.sub(" ", before)
    after = _NOT_TYPE.sub(" ", after)
    before = _ORGAN_ADJECTIVES.sub(" ", before)
    after = _ORGAN_ADJECTIVES.sub(" ", after)
    before_words = one_line(re.sub(r"\s*[,/]\s*", " ", before)).strip(" -")
    after_words = _clean_type(after)
    core_text = one_line(core)
    if core_l.endswith("s") and not core_l.endswith(("sis", "ss")):
        core_text = core_text[:-1]  # "carcinomas" -> "carcinoma"
    lowered_after = after_words.lower()
    # Kidney: "renal cell carcinoma, conventional (clear cell) type" is clear cell RCC.
    if "renal cell" in before_words.lower() and "clear cell" in lowered_after:
        before_words = "clear cell " + before_words
        after_words = ""
    elif lowered_after in ("conventional", "conventional clear cell"):
        after_words = ""
    if "conventional" in before_words.lower() and "renal cell" in before_words.lower():
        before_words = re.sub(r"conventional\s*", "clear cell ", before_words, flags=re.I)
    name = one_line(f"{before_words} {core_text}")
    if after_words and after_words.lower() not in name.lower():
        name = f"{name}, {after_words}"
    name = re.sub(r"\bclear cell clear cell\b", "clear cell", name, flags=re.I)
    return capitalised(name)


def find_histologies(text: str, start: int = 0, end: int | None = None) -> list[Histology]:
    end = len(text) if end is None else end
    found: list[Histology] = []
    for match in _NAME.finditer(text, start, end):
        before = match.group("before") or ""
        core = match.group("core")
        after_match = _TYPE_AFTER.match(text, match.end(), min(end, match.end() + 60))
        after = ""
        stop = match.end()
        if after_match and re.search(
            r"\btype\b|\bsubtype\b|\bvariant\b|\(", after_match.group(0), re.IGNORECASE
        ):
            after = after_match.group("type")
            stop = after_match.end()
            if after.count("(") > after.count(")"):
                after = after.rsplit("(", 1)[0]
        elif after_match and re.fullmatch(
            r"[\s,]*(?:non-?keratinizing|keratinizing|large cell non-?keratinizing|"
            r"mucinous|(?:large|small) cell[\s,]+non-?keratinizing)\s*",
            after_match.group("type"),
            re.IGNORECASE,
        ):
            after = after_match.group("type")
            stop = after_match.end()
        organ_words = " ".join(m.group(0) for m in _ORGAN_ADJECTIVES.finditer(before))
        value = _canonical(before, core, after)
        words = f"{before} {core} {after}"
        found.append(
            Histology(
                value=value,
                start=match.start("core") if not before.strip() else match.start(),
                end=stop,
                in_situ=bool(_NOT_MALIGNANT.search(words)) and "invasive" not in words.lower(),
                metastatic="metastatic" in before.lower(),
                organ_words=organ_words,
            )
        )
    return found


# "prostate cancer", "cancer of the left breast", "carcinoma of the cecum": a cancer
# named by its organ; the organ is read by anatomy.py.
CANCER_OF_ORGAN = re.compile(
    r"\b(?:cancer|malignancy|malignant\s+(?:tumou?r|neoplasm)|carcinoma|adenocarcinoma)\s+"
    r"(?:of|in|involving)\s+(?:the\s+)?(?P<after>(?:left|right)?\s*[a-z]+(?:\s+[a-z]+)?)|"
    r"\b(?P<before>[a-z]+)\s+cancer\b",
    re.IGNORECASE,
)
