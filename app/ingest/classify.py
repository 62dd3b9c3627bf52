"""Kind, date of service, facility and author of a document, from its text, by rules a person
can read and check.

Each kind has a list of phrases the documents themselves use (report headings such as
"FINAL DIAGNOSIS", "PREOPERATIVE DIAGNOSIS", "HOSPITAL COURSE", "IMPRESSION"), each with a
weight. The kind with the highest total wins when it reaches `MIN_SCORE`; the phrases that
counted are returned as the reason, so the choice can be explained. Matching ignores line
breaks and case (some sources replace line breaks with commas, OCR mixes case), and a phrase
counts once however often it appears. A user's correction of the kind or date is stored
apart and never overwritten: these are only first guesses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from app.ingest.kinds import DocumentKind

MIN_SCORE = 3
HEAD_CHARS = 400  # a title phrase near the top counts double: it names the document
SCAN_CHARS = 20_000  # rules look at the first pages; the rest seldom changes the kind

K = DocumentKind

# (pattern, weight). Patterns are regular expressions matched case-insensitively on text
# whose whitespace runs were collapsed to one space.
RULES: dict[DocumentKind, list[tuple[str, int]]] = {
    K.PATHOLOGY: [
        (r"surgical patho ?logy", 6),
        (r"patholog(y|ic|ical) (report|diagnosis|consultation|description|staging|form)", 4),
        (r"\b(gross|microscopic)\s*:", 3),
        (r"\b(well|moderately|poorly) differentiated\b", 2),
        (r"\b(adeno)?carcinoma\b|sarcoma\b|lymphoma\b|melanoma\b|neoplas(m|ia)\b", 1),
        (r"\bspecimens?\s*:", 1),
        (r"histopatholog", 5),
        (r"cytology report", 5),
        (r"autopsy", 6),
        (r"cause of death", 4),
        (r"final (pathologic )?diagnos[ie]s", 3),
        (r"gross (description|examination|assessment)", 4),
        (r"microscop(ic|y) (description|examination|assessment)", 4),
        (r"macroscopic description", 4),
        (r"received (fresh|in formalin|without fixative)", 4),
        (r"frozen section", 3),
        (r"specimens? (labeled|submitted|received|\(s\))", 3),
        (r"immunohistochem", 2),
        (r"\bp[tn][0-4x][abc]?\b", 2),
        (r"gleason", 2),
        (r"margins? (of resection )?(are )?(free|negative|positive|involved)", 2),
        (r"lymph nodes?,? (positive|negative)|of \w+ lymph nodes", 2),
        (r"\b(histologic(al)? (type|grade)|nuclear grade)\b", 2),
        (r"pathologist", 2),
        (r"signed out", 2),
        (r"external examination", 2),
        (r"internal examination", 2),
    ],
    K.OPERATIVE: [
        (r"operative (report|note)", 6),
        (r"pre-?op(erative)? diagnos[ie]s", 4),
        (r"post-?op(erative)? diagnos[ie]s", 4),
        (r"(title|name|description|details) of (the )?(operation|procedure)", 4),
        (r"procedures? (performed|in detail)", 4),
        (r"operative (procedure|narrative|findings)", 4),
        (
            r"\b(incision was made|was (re)?positioned|trocars?|skin was closed|closed with|"
            r"sutured?|hemostasis)\b",
            2,
        ),
        (r"^.{0,200}\b(laparoscopic|robotic|open)\s+\w+(ectomy|otomy|plasty|pexy)\b", 3),
        (r"estimated blood loss", 3),
        (r"prepped and draped", 3),
        (r"\banesthesia ?:", 2),
        (r"\bsurgeon ?:", 2),
        (r"indications? for (the )?(surgery|procedure|operation)", 2),
        (r"\bcomplications ?:", 1),
        (r"\bdrains ?:", 1),
    ],
    K.DISCHARGE_SUMMARY: [
        (r"discharge summary", 6),
        (r"transfer summary", 5),
        (r"hospital course", 4),
        (r"discharge diagnos[ie]s", 4),
        (r"date of discharge|discharge date", 4),
        (r"admitting diagnos[ie]s|admission diagnos[ie]s", 3),
        (r"procedures during (the )?hospitali[sz]ation", 3),
        (r"discharge (medications|instructions|condition|plan|disposition|diet|activit)", 3),
        (r"date of admission|admission date", 3),
        (r"length of (hospital )?stay|hospital stay|transitional care", 2),
        (r"\badmitted (to|on|for)\b", 1),
        (r"\b(medications|condition|instructions) (on|at) (discharge|transfer)", 3),
        (r"\bdischarged? (from|to|home)\b", 2),
    ],
    K.TREATMENT_PLAN: [
        (r"treatment plan", 5),
        (r"plan of (care|treatment)", 2),
        (r"care plan", 4),
        (r"treatment summary", 4),
        (r"chemotherapy (regimen|plan|schedule)", 4),
        (r"radiation (therapy )?(plan|prescription)", 4),
        (r"tumou?r board", 3),
        (r"cycles? (\d+|one|two|three|four|five|six) of", 2),
        (r"goals? of (care|treatment)", 2),
    ],
    K.LAB_RESULT: [
        (r"laboratory (report|results?)|lab results?", 5),
        (r"reference (range|interval)", 4),
        (r"normal range", 3),
        (r"\b(result|flag|units?)\b.{0,40}\b(reference|range)\b", 2),
        (r"specimen collected|collected ?:", 2),
        (r"\b(hemoglobin|hematocrit|platelets?|wbc|creatinine|sodium|potassium)\b", 1),
    ],
    K.IMAGING: [
        (r"radiology report|imaging report|diagnostic imaging", 6),
        (
            r"^.{0,120}\b(mri|ct|cta|x-?ray|ultrasound|sonogram|mammogra\w*|pet(/ct)?|"
            r"radiograph\w*|angiograph\w*|echocardiogra\w*)\b",
            3,
        ),
        (r"reason for (the )?exam", 3),
        (r"\bexam(ination)? ?:", 1),
        (r"\btechnique ?:|technique and findings", 3),
        (r"\bcomparison ?:", 3),
        (r"\bfindings ?:", 1),
        (r"\bimpression ?:", 1),
        (r"\b(ultrasound|sonograph\w*|mammogra\w*|radiograph\w*|fluoroscop\w*)\b", 1),
        (r"\b(with|without) (iv )?contrast\b", 2),
        (r"radiologist", 2),
        (r"\b(axial|sagittal|coronal) (images|imaging|t1|t2|reformat\w*)", 2),
        (r"\bbi-?rads\b", 6),
        (r"\b(pa and lateral|two views|\d views?( of)?|frontal and lateral)\b", 1),
        (
            r"\b(fdg|suv(max)?|hounsfield|t[12][- ]weighted|flair|dwi|gadolinium|"
            r"echogenic|hypoechoic|hyperechoic|attenuation|enhancing|enhancement)\b",
            1,
        ),
        (r"no acute (cardiopulmonary|intracranial|osseous|abdominal)\b", 3),
        (
            r"\b(ct|ultrasound|us|fluoroscop\w*|mri?)[- ]guid(ed|ance)|under (ct|ultrasound|"
            r"fluoroscopic|sonographic) guidance",
            3,
        ),
        (
            r"\b(mammogra\w*|tomosynthesis|dexa|bone (density|scan)|scintigra\w*|"
            r"nuclear medicine)\b",
            2,
        ),
    ],
    K.MEDICATION_LIST: [
        (r"medication (list|summary)|list of (current )?medications", 5),
        (r"\bsig ?:", 3),
        (r"\brefills?\b", 2),
        (r"prescription", 2),
        (r"pharmacy", 2),
        (r"\b\d+ ?(mg|mcg|ml)\b.{0,30}\b(daily|bid|tid|qid|q\d+h|once|twice|every)\b", 1),
    ],
    K.CONSULT_LETTER: [
        (r"dear (dr|doctor|mr|mrs|ms|colleague)", 5),
        (r"thank you for (the |this |your )?(kind )?(referral|allowing|asking|involving)", 4),
        (r"consultation|consult note|reason for (the )?consult", 3),
        (r"history (and|&) physical", 3),
        (r"progress note|office (note|visit)|clinic (note|visit)|nursing (note|assessment)", 3),
        (r"(^|[ ,.])(cc|hpi|hx)\s*:", 2),
        (r"(^|[ ,.])(pmh|fhx|shx|ros|a/p)\s*:", 2),
        (r"sincerely|yours (truly|sincerely)|kind regards", 3),
        (r"chief complaint", 2),
        (r"history of (the )?present(ing)? (illness|injury)", 2),
        (r"reason for (the )?visit", 2),
        (r"review of (systems|symptoms)", 1),
        (r"physical exam", 1),
        (r"\bsubjective ?:", 2),
        (r"\bobjective ?:", 1),
        (r"assessment (and|&) plan|impression (and|&) plan|\bassessment ?:", 2),
        (r"past (medical|surgical|psychiatric) history", 1),
        (r"social history|family history", 1),
        (r"\bplan ?:", 1),
        (r"\ber course|emergency (department|room)", 2),
        (r"\b(lungs|heart|abdomen)\s*:", 1),
        (r"\b(extremities|neurologic(al)?|heent|skin)\s*:", 1),
        (r"\b(ears|nose|oral cavity|genitourinary|rectal)\s*:", 1),
    ],
    K.INSURANCE: [
        (r"explanation of benefits", 6),
        (r"this is not a bill", 5),
        (r"(prior|pre-?) ?authori[sz]ation", 3),
        (r"member (id|number)|subscriber", 3),
        (r"\bdeductible\b", 3),
        (r"co-?pay(ment)?|co-?insurance", 2),
        (r"\bclaim (number|#|status)", 3),
        (r"(health )?plan (name|number)|group (number|#)", 2),
        (r"amount (billed|paid|allowed)|patient responsibility", 3),
    ],
}


def _needle(pattern: str) -> str:
    """A plain string every match must contain (its literal start), or "" if there is none.

    Checking `needle in text` first skips most regular expressions at C speed.
    """
    depth = 0
    escaped = False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            return ""  # an alternation at the top: no one literal is required
    body = pattern[2:] if pattern.startswith("\\b") else pattern
    literal: list[str] = []
    for char in body:
        if char.isalpha() or char in " -":
            literal.append(char)
            continue
        if char in "?*{" and literal:
            literal.pop()  # the character before a quantifier is optional
        break
    return "".join(literal) if len(literal) >= 4 else ""


# Compiled without re.I and run on lower-cased text: several times faster than re.I.
_COMPILED = {
    kind: [(re.compile(pattern, re.S), weight, _needle(pattern)) for pattern, weight in rules]
    for kind, rules in RULES.items()
}
# Where a consult-like history and exam come with a kind's own headings, those win:
# an operative report or a discharge summary also has a history and an exam.
_CLINICAL_NOTE_CAP = 8


@dataclass(frozen=True)
class KindGuess:
    kind: DocumentKind
    score: int
    reasons: tuple[str, ...]  # the phrases that counted, for "why this kind?"

    @property
    def explanation(self) -> str:
        if self.kind is DocumentKind.OTHER:
            return "No heading or phrase named a kind of record."
        return f"{self.kind.label}: the text has " + ", ".join(f"“{r}”" for r in self.reasons[:4])


def flatten(text: str) -> str:
    """Whitespace runs to one space; commas that stood for line breaks stay harmless."""
    return " ".join(text[:SCAN_CHARS].split())


# A whole health record (a Blue Button download, a continuity-of-care document, an advance
# care document) holds every kind of entry at once: no one kind fits it.
_WHOLE_RECORD = re.compile(
    r"blue ?button|my ?healthe ?vet|continuity of care( document)?|health summary|"
    r"summarization of episode|personal health record|advance (care|directive)",
)


def guess_kind(text: str) -> KindGuess:
    flat = flatten(text)
    lowered = flat.lower()
    if _WHOLE_RECORD.search(lowered[:HEAD_CHARS]):
        return KindGuess(DocumentKind.OTHER, 0, ())
    shown = flat if len(flat) == len(lowered) else lowered  # spans must line up
    head = lowered[:HEAD_CHARS]
    best = KindGuess(DocumentKind.OTHER, 0, ())
    for kind, rules in _COMPILED.items():
        score = 0
        reasons: list[str] = []
        for regex, weight, needle in rules:
            if needle and needle not in lowered:
                continue
            found = regex.search(lowered)
            if found is None:
                continue
            bonus = weight if weight >= 4 and regex.search(head) else 0
            score += weight + bonus
            reasons.append(shown[found.start() : found.end()][:40])
        if kind is DocumentKind.CONSULT_LETTER:
            score = min(score, _CLINICAL_NOTE_CAP + _letter_bonus(flat))
        if score > best.score:
            best = KindGuess(kind, score, tuple(reasons))
    if best.score < MIN_SCORE:
        return KindGuess(DocumentKind.OTHER, best.score, ())
    return best


def _letter_bonus(flat: str) -> int:
    """A letter or a consultation says so: then its history and exam are its own."""
    if re.search(r"dear (dr|doctor|colleague)", flat, re.I):
        return 6
    return 6 if re.search(r"consultation|consult note", flat[:HEAD_CHARS], re.I) else 0


# ---- dates ---------------------------------------------------------------------------------

_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ]
    )
    for m in names
}
_MONTH = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATE_PATTERNS = [
    # 2024-03-05, 20240305 (C-CDA style is handled by the structured reader)
    (re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b"), "ymd"),
    # 03/05/2024, 3-5-24, 03.05.2024: month first (US records)
    (re.compile(r"\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})\b"), "mdy"),
    # March 5, 2024 / Mar 5 2024
    (re.compile(_MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b", re.I), "Mdy"),
    # 5 March 2024 / 03 Jul 2013
    (re.compile(r"\b(\d{1,2})\s+" + _MONTH + r",?\s+(\d{4})\b", re.I), "dMy"),
]
_SERVICE_LABEL = re.compile(
    r"(date of (service|procedure|operation|surgery|discharge|exam(ination)?|visit|report|"
    r"collection|tumou?r procurement|consultation|admission)|service date|discharge date|"
    r"procedure date|surgery date|surgical date|collect(ion|ed)( date)?|signed out|"
    r"report date|exam date|\bdos\b|date)\s*[:#-]?\s*",
    re.I,
)
_BIRTH = re.compile(r"(dob|d\.o\.b|date of birth|birth ?date|born)\W{0,3}$", re.I)


def _to_iso(kind: str, groups: tuple[str, ...]) -> str | None:
    try:
        if kind == "ymd":
            y, m, d = int(groups[0]), int(groups[1]), int(groups[2])
        elif kind == "mdy":
            m, d, y = int(groups[0]), int(groups[1]), int(groups[2])
            if y < 100:
                y += 2000 if y <= date.today().year % 100 else 1900
        elif kind == "Mdy":
            m, d, y = _MONTHS[groups[0]], int(groups[1]), int(groups[2])
        else:
            d, m, y = int(groups[0]), _MONTHS[groups[1]], int(groups[2])
        value = date(y, m, d)
    except (ValueError, KeyError):
        return None
    if not 1900 <= value.year <= date.today().year + 1:
        return None
    return value.isoformat()


def _month_key(word: str) -> str:
    return word.lower().rstrip(".")


def find_dates(flat: str) -> list[tuple[int, str]]:
    """Every plausible date in the text, with its position, in reading order."""
    found: list[tuple[int, str]] = []
    for regex, kind in _DATE_PATTERNS:
        for match in regex.finditer(flat):
            groups = match.groups()
            if kind in ("Mdy", "dMy"):
                word = groups[0] if kind == "Mdy" else groups[1]
                key = _month_key(word)
                key = key if key in _MONTHS else key[:3]
                groups = (
                    (key, groups[1], groups[2]) if kind == "Mdy" else (groups[0], key, groups[2])
                )
            iso = _to_iso(kind, groups)
            if iso is None:
                continue
            before = flat[max(0, match.start() - 16) : match.start()]
            if _BIRTH.search(before):
                continue
            found.append((match.start(), iso))
    found.sort()
    return found


def guess_date(text: str) -> str | None:
    """The date of service: a date after a label such as "Date of service:" or "Collected:",
    else the first date in the text that is not a date of birth."""
    flat = flatten(text)
    dates = find_dates(flat)
    if not dates:
        return None
    best: tuple[int, str] | None = None
    for label in _SERVICE_LABEL.finditer(flat):
        for position, iso in dates:
            if label.end() <= position <= label.end() + 40:
                rank = 0 if "discharge" in label.group(0).lower() else 1
                if best is None or rank < best[0]:
                    best = (rank, iso)
                break
    if best is not None:
        return best[1]
    return dates[0][1]


# ---- facility and author -------------------------------------------------------------------

_FACILITY = re.compile(
    r"\b((?:[A-Z][A-Za-z.'&-]+ ){0,5}"
    r"(?:Hospital|Medical Center|Medical Centre|Clinic|Health System|Health Center|"
    r"Cancer Center|Cancer Institute|Infirmary|Medical Group|Laboratories|Imaging Center|"
    r"Surgery Center|University Hospitals?|Healthcare)"
    r"(?: (?:of|at|for) (?:[A-Z][A-Za-z.'-]+ ?){1,3})?)"
)
_FACILITY_LABEL = re.compile(
    r"\b(facility|hospital|institution|location|performing (lab|site))\s*:\s*"
    r"([A-Z][A-Za-z0-9.'& -]{3,60}?)(?=\s{2,}|,|;|$| [A-Z][A-Za-z ]+:)"
)
_NAME = (
    r"((?:Dr\.? )?[A-Z][a-z'-]+(?: [A-Z]\.?)?(?: [A-Z][a-zA-Z'-]+){1,2}"
    r"(?:,? (?:M\.?D\.?|D\.?O\.?|MBBS|Ph\.?D\.?|PA-C|NP|RN))?)"
)
_AUTHOR_LABEL = re.compile(
    r"\b(?:dictated by|electronically signed by|signed by|signed out by|attending(?: physician)?|"
    r"surgeon|pathologist|radiologist|author|provider|physician|consultant|reported by)"
    r"\s*[:-]?\s*" + _NAME
)
_SIGN_OFF = re.compile(r"\b(?:sincerely|regards|yours truly),?\s*" + _NAME, re.I)
_NOT_NAMES = {"The Patient", "Patient Name", "The Procedure"}


def guess_facility(text: str) -> str:
    flat = flatten(text[:8000])
    labelled = _FACILITY_LABEL.search(flat)
    if labelled:
        return labelled.group(3).strip()[:120]
    found = _FACILITY.search(flat)
    if found:
        name = found.group(1).strip()
        # Drop a heading word glued in front ("REPORT Mercy Hospital").
        words = name.split()
        while len(words) > 1 and words[0].isupper() and len(words[0]) > 3:
            words.pop(0)
        return " ".join(words)[:120]
    return ""


def guess_author(text: str) -> str:
    flat = flatten(text)
    for regex in (_AUTHOR_LABEL, _SIGN_OFF):
        for match in regex.finditer(flat):
            name = match.group(1).strip().rstrip(",")
            if name not in _NOT_NAMES and not name.isupper():
                return name[:120]
    return ""
