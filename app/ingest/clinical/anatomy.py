"""Where a tumour is: the organ a report names, with its side.

Sites are read from words (organ names, their adjectives, their surgeries), never guessed
from a file name. The value is the organ ("Kidney", "Breast"), with a part of it in
brackets when the report names one ("Colon (cecum)", "Brain (temporal lobe)").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# organ -> the words that name it or a part of it. A part names its organ in brackets.
# Order matters where phrases overlap: longer phrases are tried first.
_ORGANS: dict[str, tuple[str, ...]] = {
    "Breast": ("breast", "mammary", "mastectomy", "lumpectomy", "nipple"),
    "Lung": ("lung", "pulmonary lobe", "lobectomy of lung", "pneumonectomy", "bronchus",
             "upper lobe", "lower lobe", "middle lobe", "lingula", "rul", "rll", "lul", "lll",
             "rml"),
    "Pleura": ("pleura", "pleural"),
    "Prostate": ("prostate", "prostatic", "prostatectomy"),
    "Kidney": ("kidney", "renal", "nephrectomy", "nephroureterectomy"),
    "Renal pelvis": ("renal pelvis",),
    "Ureter": ("ureter", "ureteral"),
    "Bladder": ("urinary bladder", "bladder", "cystectomy", "cystoprostatectomy"),
    "Urethra": ("urethra", "urethral"),
    "Adrenal gland": ("adrenal gland", "adrenal", "adrenalectomy"),
    "Testis": ("testis", "testicle", "testicular", "orchiectomy"),
    "Penis": ("penis", "penile"),
    "Liver": ("liver", "hepatic lobe", "hepatectomy", "hepatic segment", "segmentectomy"),
    "Gallbladder": ("gallbladder", "gall bladder", "cholecystectomy"),
    "Bile duct": ("bile duct", "common bile duct", "hilar bile duct", "biliary"),
    "Pancreas": ("pancreas", "pancreatic", "pancreaticoduodenectomy", "whipple",
                 "pancreatectomy", "ampulla"),
    "Esophagus": ("esophagus", "oesophagus", "esophageal", "esophagectomy",
                  "gastroesophageal junction"),
    "Stomach": ("stomach", "gastric", "gastrectomy"),
    "Small intestine": ("small intestine", "small bowel", "duodenum", "jejunum", "ileum"),
    "Appendix": ("appendix", "appendectomy"),
    "Colon": ("colon", "cecum", "caecum", "cecal", "sigmoid", "large intestine",
              "large bowel", "colectomy", "hemicolectomy", "hepatic flexure",
              "splenic flexure", "colonic", "ileocecal"),
    "Rectum": ("rectum", "rectal", "rectosigmoid", "anterior resection",
               "abdominoperineal resection"),
    "Anus": ("anus", "anal canal", "anal"),
    "Ovary": ("ovary", "ovaries", "ovarian", "oophorectomy", "adnexa", "adnexal",
              "salpingo-oophorectomy"),
    "Fallopian tube": ("fallopian tube", "fallopian tubes"),
    "Peritoneum": ("peritoneum", "peritoneal"),
    "Omentum": ("omentum", "omental", "omentectomy"),
    "Uterus": ("uterus", "uterine corpus", "endometrium", "endometrial", "myometrium",
               "hysterectomy", "corpus uteri", "uteri"),
    "Cervix": ("cervix", "uterine cervix", "ectocervix", "endocervix", "cervix uteri",
               "endocervical", "ectocervical"),
    "Vulva": ("vulva", "vulvar", "vulvectomy"),
    "Vagina": ("vagina", "vaginal"),
    "Brain": ("brain", "cerebrum", "cerebral", "cerebellum", "cerebellar", "brainstem",
              "brain stem", "frontal lobe", "temporal lobe", "parietal lobe",
              "occipital lobe", "frontal", "temporal", "parietal", "occipital",
              "craniotomy", "intracranial"),
    "Spinal cord": ("spinal cord",),
    "Thyroid": ("thyroid", "thyroidectomy"),
    "Tongue": ("tongue", "base of tongue", "oral tongue", "glossectomy"),
    "Tonsil": ("tonsil", "tonsillar", "tonsils", "tonsillectomy", "tonsillar fossa"),
    "Oropharynx": ("oropharynx", "oropharyngeal"),
    "Pharynx": ("pharynx", "pharyngeal", "pharyngectomy"),
    "Nasopharynx": ("nasopharynx", "nasopharyngeal"),
    "Hypopharynx": ("hypopharynx", "hypopharyngeal", "pyriform sinus", "piriform sinus"),
    "Larynx": ("larynx", "laryngeal", "laryngectomy", "supraglottic", "glottic", "glottis",
               "subglottic", "vocal cord", "epiglottis"),
    "Oral cavity": ("oral cavity", "floor of mouth", "floor of the mouth", "buccal mucosa",
                    "gingiva", "gum", "alveolar ridge", "retromolar trigone", "hard palate",
                    "palate", "lip", "mandible", "maxilla", "mouth", "mandibulectomy",
                    "hemimandibulectomy", "maxillectomy", "alveolar", "gingival", "buccal"),
    "Head and neck": ("head and neck",),
    "Salivary gland": ("parotid", "parotid gland", "submandibular gland", "salivary gland"),
    "Sinonasal": ("maxillary sinus", "nasal cavity", "paranasal sinus", "ethmoid sinus"),
    "Skin": ("skin", "cutaneous", "dermis", "epidermis"),
    "Bone": ("bone", "femur", "tibia", "humerus", "vertebra", "vertebral body"),
    "Bone marrow": ("bone marrow", "marrow"),
    "Soft tissue": ("soft tissue", "retroperitoneum", "retroperitoneal"),
    "Spleen": ("spleen", "splenectomy"),
    "Thymus": ("thymus", "thymic"),
    "Mediastinum": ("mediastinum", "mediastinal"),
    "Eye": ("eye", "orbit", "ocular", "choroid", "retina"),
    "Lymph node": ("lymph node", "lymph nodes", "node", "nodes", "lymphadenectomy",
                   "node dissection", "neck dissection", "sentinel node"),
}  # fmt: skip
# A part named alone still says its organ; these are the parts worth showing in brackets.
_PARTS = {
    "cecum": "cecum", "caecum": "cecum", "cecal": "cecum", "sigmoid": "sigmoid colon",
    "hepatic flexure": "hepatic flexure", "splenic flexure": "splenic flexure",
    "upper lobe": "upper lobe", "lower lobe": "lower lobe", "middle lobe": "middle lobe",
    "rul": "upper lobe", "rll": "lower lobe", "lul": "upper lobe", "lll": "lower lobe",
    "rml": "middle lobe", "frontal lobe": "frontal lobe", "temporal lobe": "temporal lobe",
    "parietal lobe": "parietal lobe", "occipital lobe": "occipital lobe",
    "frontal": "frontal lobe", "temporal": "temporal lobe", "parietal": "parietal lobe",
    "occipital": "occipital lobe", "cerebellum": "cerebellum", "cerebellar": "cerebellum",
    "base of tongue": "base of tongue", "oral tongue": "oral tongue",
    "supraglottic": "supraglottis", "glottic": "glottis", "subglottic": "subglottis",
    "floor of mouth": "floor of mouth", "floor of the mouth": "floor of mouth",
    "endometrium": "endometrium", "endometrial": "endometrium",
    "rectosigmoid": "rectosigmoid", "duodenum": "duodenum", "ileum": "ileum",
    "ascending": "ascending colon", "transverse": "transverse colon",
    "descending": "descending colon",
}  # fmt: skip
_ORGAN_OF = {w: organ for organ, words in _ORGANS.items() for w in words}
_WORDS = sorted(_ORGAN_OF, key=len, reverse=True)
_SITE = re.compile(
    r"\b(?P<side>(?:left|right|bilateral|both)(?:\s+and\s+(?:left|right))?\s+)?"
    r"(?:(?:upper|lower|mid|inner|outer|anterior|posterior|ascending|descending|transverse)\s+)*"
    r"(?P<word>" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in _WORDS) + r")\b",
    re.IGNORECASE,
)
_SHORT_CODES = {"rul", "rll", "lul", "lll", "rml"}
_SIDE = re.compile(r"\b(left|right|bilateral|both sides|both)\b|\b([LR])\s*(?=\w)", re.I)
PAIRED = frozenset(
    {"Breast", "Lung", "Kidney", "Ureter", "Adrenal gland", "Testis", "Ovary",
     "Fallopian tube", "Eye", "Tonsil", "Brain", "Salivary gland", "Renal pelvis",
     "Pleura", "Bone", "Soft tissue", "Skin", "Lymph node", "Oral cavity", "Sinonasal"}
)  # fmt: skip


@dataclass(frozen=True)
class Site:
    organ: str  # "Kidney"
    part: str  # "temporal lobe", or ""
    side: str  # "Left", "Right", "Bilateral" or ""
    start: int
    end: int
    region: str = ""  # a part of the body, not an organ: "hand", "thigh"
    procedure: bool = False  # named by its surgery ("nephrectomy"), not by the organ

    @property
    def value(self) -> str:
        return f"{self.organ} ({self.part})" if self.part else self.organ

    @property
    def is_node(self) -> bool:
        return self.organ == "Lymph node"


def find_sites(text: str, start: int = 0, end: int | None = None) -> list[Site]:
    """Every organ named in text[start:end], with the side written before it."""
    found: list[Site] = []
    end = len(text) if end is None else end
    for match in _SITE.finditer(text, start, end):
        word = " ".join(match.group("word").lower().split())
        if word in _SHORT_CODES and not match.group("word").isupper():
            continue
        organ = _ORGAN_OF[word]
        side = side_word(match.group("side") or "")
        if not side and word in _SHORT_CODES:
            side = "Right" if word.startswith("r") else "Left"
        if not side:
            # "Kidney, left, radical nephrectomy", "OVARY, RIGHT".
            after = re.match(
                r"\s*,\s*(left|right|bilateral)\b", text[match.end() : match.end() + 14], re.I
            )
            side = side_word(after.group(1)) if after else ""
        prefix = text[match.start() : match.start("word")].lower()
        part = _PARTS.get(word, "")
        for position in ("ascending", "descending", "transverse"):
            if position in prefix and organ == "Colon":
                part = f"{position} colon"
        procedure = word.endswith(("ectomy", "resection", "otomy", "whipple"))
        found.append(Site(organ, part, side, match.start(), match.end(), "", procedure))
    return found


def side_word(text: str) -> str:
    lowered = text.strip().lower()
    if lowered.startswith(("bilateral", "both")) or " and " in lowered:
        return "Bilateral"
    if lowered.startswith("left"):
        return "Left"
    if lowered.startswith("right"):
        return "Right"
    return ""


def side_near(text: str, start: int, end: int) -> str:
    """Left, Right or Bilateral written in text[start:end] ("Right and left" is bilateral)."""
    sides = {side_word(m.group(1)) for m in _SIDE.finditer(text, start, end) if m.group(1)}
    if "Bilateral" in sides or {"Left", "Right"} <= sides:
        return "Bilateral"
    return next(iter(sides), "")


def organ_of(word: str) -> str:
    """The organ a word names ("cecum" -> "Colon"), or ""."""
    return _ORGAN_OF.get(" ".join(word.lower().split()), "")


# Parts of the body that are not organs: a skin cancer or a sarcoma is named by them.
_REGIONS = (
    "hand", "finger", "thumb", "wrist", "forearm", "upper arm", "arm", "elbow", "shoulder",
    "back", "chest wall", "trunk", "buttock", "thigh", "lower leg", "leg", "knee", "calf",
    "ankle", "foot", "toe", "heel", "scalp", "face", "forehead", "cheek", "nose", "ear",
    "eyelid", "flank", "abdominal wall",
)  # fmt: skip
_REGION = re.compile(
    r"\b(?P<side>(?:left|right|bilateral|both)\s+)?(?:(?:upper|lower|mid|inner|outer|"
    r"anterior|posterior|medial|lateral|dorsal|dorsum\s+of\s+the|volar)\s+)*(?P<word>"
    + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(_REGIONS, key=len, reverse=True))
    + r")\b",
    re.IGNORECASE,
)


def find_regions(text: str, start: int = 0, end: int | None = None) -> list[Site]:
    """Parts of the body named in text[start:end] ("left posterior arm"), with their side;
    the organ is left for the caller (skin or soft tissue, by the tumour's type)."""
    end = len(text) if end is None else end
    found = []
    for match in _REGION.finditer(text, start, end):
        word = " ".join(match.group("word").lower().split())
        side = side_word(match.group("side") or "")
        if not side:
            before = text[max(start, match.start() - 30) : match.start()]
            side = side_near(before, 0, len(before))
        found.append(Site("", word, side, match.start(), match.end(), word))
    return found
