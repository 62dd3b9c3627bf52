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
from functools import lru_cache

from app.ingest.clinical.prepare import one_line

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
    r"basal[- ]cell|merkel[- ]cell|h[uü]rthle[- ]cell|mucoepidermoid|adenoid[- ]cystic|"
    r"acinic[- ]cell|burkitt|myxoid|embryonal|alveolar|germ[- ]cell|islet[- ]cell|"
    r"lymphoepithelial|hepatoid|oncocytic|serous[- ]papillary|papillary[- ]serous|"
    r"intestinal(?:[- ]type)?|gastric[- ]type|mixed|combined|invasive\s+lobular|"
    r"in\s+situ|intraductal|intraepithelial|ductal\s+and\s+lobular|"
    r"prostatic|pulmonary|colonic|colorectal|pancreatic|gastric|esophageal|hepatic|"
    r"endometrial|ovarian|cervical|renal|breast|lung|prostate|colon|rectal|bladder|"
    r"thyroid|skin|cutaneous"
)
# Words after a name that still belong to it: "carcinoma, clear cell type", "(clear cell)".
_TYPE_AFTER = re.compile(
    r"(?:\s*[,-]\s*|\s+|\s*\(\s*)(?P<type>(?:(?:" + _BEFORE + r"|type|subtype|variant|"
    r"features?|pattern|nos|with|and|or|\(|\))\s*[,/-]?\s*){1,8})",
    re.IGNORECASE,
)
# A name is found by its core first, then extended left over its qualifying words: far
# faster than trying the qualifiers at every position of a long report.
_CORE = re.compile(r"(?P<core>" + _CORES + r")\b", re.IGNORECASE)
_BEFORE_TAIL = re.compile(r"(?:(?:" + _BEFORE + r")(?:\s*[,/-]\s*|\s+and\s+|\s+))*$", re.IGNORECASE)
_REACH = 160  # characters before a core where its qualifying words may start
_ORGAN_ADJECTIVES = re.compile(
    r"\b(?:prostatic|pulmonary|colonic|colorectal|pancreatic|gastric|esophageal|hepatic|"
    r"endometrial|ovarian|cervical|renal(?!\s+cell)|breast|lung|prostate|colon|rectal|"
    r"bladder|thyroid|skin|cutaneous)\b",
    re.IGNORECASE,
)
# Grades and behaviour written as part of a name are read by grading.py and negation.py.
_NOT_TYPE = re.compile(
    r"\b(?:well|moderately|poorly)[- ]differentiated\b|\b(?:primary|residual|recurrent|"
    r"multiple|malignant(?=\s+\w)|intermediate[- ]grade)\b|"
    r"\b(?:high|low)[- ]grade\b(?!\s+serous)",
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


_PROPER = {
    "b-cell": "B-cell", "t-cell": "T-cell", "b cell": "B-cell", "t cell": "T-cell",
    "merkel": "Merkel", "hodgkin": "Hodgkin", "burkitt": "Burkitt", "ewing": "Ewing",
    "kaposi": "Kaposi", "hurthle": "Hurthle", "mullerian": "Mullerian", "gist": "GIST",
}  # fmt: skip
_QUALIFIER_ONLY = re.compile(rf"^(?:(?:{_BEFORE})(?:\s+|$))+$", re.IGNORECASE)


def _canonical(before: str, core: str, after: str) -> str:
    """One printable name from the words around the core: "Renal cell carcinoma, clear cell
    type" -> "Clear cell renal cell carcinoma"."""
    core_l = one_line(core).lower()
    if core_l in _ABBREVIATIONS:
        return _ABBREVIATIONS[core_l]
    before = _ORGAN_ADJECTIVES.sub(" ", _NOT_TYPE.sub(" ", before))
    after = _ORGAN_ADJECTIVES.sub(" ", _NOT_TYPE.sub(" ", after))
    before_words = one_line(re.sub(r"\s*[,/]\s*", " ", before)).strip(" -").lower()
    after_words = _clean_type(after).lower()
    core_text = one_line(core).lower()
    if core_l.endswith("s") and not core_l.endswith(("sis", "ss")):
        core_text = core_text[:-1]  # "carcinomas" -> "carcinoma"
    # Kidney: a "conventional" renal cell carcinoma is the clear cell type.
    if "renal cell" in before_words:
        before_words = before_words.replace("conventional", "clear cell")
        after_words = re.sub(r"\bconventional\b", "clear cell", after_words)
    # A type written after the name reads before it: "carcinoma, clear cell type".
    if after_words and _QUALIFIER_ONLY.match(after_words):
        before_words = f"{after_words} {before_words}"
        after_words = ""
    words: list[str] = []
    for word in f"{before_words} {core_text}".split():
        if not words or words[-1] != word or word in ("cell",):
            words.append(word)
    name = " ".join(words)
    name = re.sub(r"\b(clear cell) (?:clear cell )+", r"\1 ", name)
    name = re.sub(r"\bclear cell (.*?)clear cell ", r"clear cell \1", name)
    if after_words and after_words not in name:
        name = f"{name}, {after_words}"
    for lower, proper in _PROPER.items():
        name = re.sub(rf"\b{re.escape(lower)}\b", proper, name)
    return name[:1].upper() + name[1:]


def find_histologies(text: str, start: int = 0, end: int | None = None) -> list[Histology]:
    """Every tumour name whose words start in text[start:end], in reading order."""
    end = len(text) if end is None else end
    return [h for h in _all_histologies(text) if start <= h.start < end]


@lru_cache(maxsize=16)
def _all_histologies(text: str) -> tuple[Histology, ...]:
    found: list[Histology] = []
    for match in _CORE.finditer(text):
        if match.start() and (text[match.start() - 1].isalnum()):
            continue  # inside a longer word ("adenocarcinoma" holds "carcinoma")
        window_start = max(0, match.start() - _REACH)
        tail = _BEFORE_TAIL.search(text, window_start, match.start())
        before = tail.group(0) if tail else ""
        if before and tail and tail.start() > 0 and text[tail.start() - 1].isalnum():
            # The qualifiers began inside a word: keep only the whole words.
            cut = re.match(r"\S*\s*", before)
            before = before[cut.end() :] if cut else before
        name_start = match.start() - len(before)
        core = match.group("core")
        after_match = _TYPE_AFTER.match(text, match.end(), min(len(text), match.end() + 60))
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
        words = f"{before} {core} {after}"
        found.append(
            Histology(
                value=_canonical(before, core, after),
                start=match.start() if not before.strip() else name_start,
                end=stop,
                in_situ=bool(_NOT_MALIGNANT.search(words)) and "invasive" not in words.lower(),
                metastatic="metastatic" in before.lower(),
                organ_words=organ_words,
            )
        )
    return tuple(found)


# "prostate cancer", "cancer of the left breast", "carcinoma of the cecum": a cancer
# named by its organ; the organ is read by anatomy.py.
CANCER_OF_ORGAN = re.compile(
    r"\b(?:cancer|malignancy|malignant\s+(?:tumou?r|neoplasm)|carcinoma|adenocarcinoma)\s+"
    r"(?:of|in|involving)\s+(?:the\s+)?(?P<after>(?:left|right)?\s*[a-z]+(?:\s+[a-z]+)?)|"
    r"\b(?P<before>(?:[a-z]+\s+(?:and\s+)?){0,2}[a-z]+)\s+cancer\b",
    re.IGNORECASE,
)
