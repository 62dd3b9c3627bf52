"""A fictional binder of ten years, built reproducibly from a seed, for the benchmarks.

    python -m tests.bench.make_binder DIR --size large|stress|medium --seed N

Sizes: "large" is 3 people, 3,000 documents and 15,000 pages (text PDFs with medical
wording, scanned-style image pages, phone photos), 60 medications with dose changes,
40 doctors and 400 appointments; "stress" is 10,000 documents and 50,000 pages; "medium"
(a fifth of large) keeps `make bench` short when CAREBINDER_BENCH_SIZE=medium.

Records are written through the binder's own functions (add_document with Extracted facts,
binder.files.put), not through a full import: the searchable text is set directly and the
PDFs come from a few reportlab templates per page count, so a large binder builds in a few
minutes. Each original is made unique by a trailing comment after %%EOF, which PDF readers
ignore. The binder goes in DIR/binder (passphrase: tests.conftest.PASSPHRASE); DIR/built.json
marks a finished build, and a second run with the same size, seed and schema reuses it.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import random
import shutil
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from app.ingest.extract import Extracted
from app.records.appointments import AppointmentKind, add_appointment
from app.records.care_team import add_doctor
from app.records.documents import add_document
from app.records.medications import add_medication, change_dose
from app.records.models import DocumentKind
from app.records.people import add_person
from app.vault.binder import Binder
from app.vault.migrations import SCHEMA_V1, SCHEMA_V2, SCHEMA_V3, SCHEMA_V4

PASSPHRASE = "blue heron paper lantern"  # the same as tests.conftest.PASSPHRASE


@dataclass(frozen=True)
class Size:
    documents: int
    pages: int
    medications: int
    doctors: int
    appointments: int


SIZES = {
    "medium": Size(600, 3_000, 24, 16, 120),
    "large": Size(3_000, 15_000, 60, 40, 400),
    "stress": Size(10_000, 50_000, 120, 80, 1_000),
}
PEOPLE = (
    ("Maria Lindqvist", "1961-04-12"),
    ("Tom Okafor", "1958-11-30"),
    ("June Alvarez", "1990-02-07"),
)
SHARE = (0.5, 0.3, 0.2)  # of the documents and other records, per person
FIRST_YEAR, LAST_YEAR = 2016, 2026

# Words a search can look for: a few rare ones (in a handful of documents), common ones and
# phrases. The benchmark reads these lists.
RARE_WORDS = ("pheochromocytoma", "Erdheim", "osimertinib", "hidradenitis", "Kikuchi", "xanthoma")
COMMON_WORDS = ("patient", "tumor", "blood", "dose", "follow")
PHRASES = ('"partial response"', '"no evidence of disease"', '"lymph nodes"')

_SENTENCES = (
    "The patient was seen today for follow-up of {cancer}.",
    "She reports {symptom} since the last cycle of {drug}.",
    "He reports {symptom} that started two weeks ago.",
    "CT of the chest, abdomen and pelvis shows {finding}.",
    "Restaging imaging demonstrates a partial response in the {site}.",
    "There is no evidence of disease on today's scan.",
    "Blood counts: hemoglobin {hb} g/dL, platelets {plt} x10^9/L, neutrophils {anc}.",
    "Creatinine {cr} mg/dL; liver enzymes within normal limits.",
    "The tumor measures {mm} mm in greatest dimension, previously {mm2} mm.",
    "Margins are negative; {nodes} of {nodes2} lymph nodes are involved.",
    "Plan: continue {drug} at the current dose and recheck labs in {weeks} weeks.",
    "Dose reduced to {pct}% because of {symptom}.",
    "Discussed the options, including surgery, radiation and a clinical trial.",
    "Tumor board recommendation: {plan}.",
    "Estrogen receptor positive, HER2 negative, Ki-67 {pct}%.",
    "PET-CT shows a new FDG-avid lesion in the {site}, SUV max {suv}.",
    "Pain is controlled with {painkiller}; no fever or chills.",
    "Follow-up visit in {weeks} weeks with repeat imaging.",
    "The patient understands the plan and agrees to proceed.",
    "Blood pressure {bp}, pulse {pulse}, weight {kg} kg.",
)
_FILL = {
    "cancer": (
        "stage II breast cancer",
        "colon adenocarcinoma",
        "non-small cell lung cancer",
        "diffuse large B-cell lymphoma",
        "prostate adenocarcinoma",
        "ovarian cancer",
    ),
    "symptom": (
        "fatigue",
        "nausea",
        "peripheral neuropathy",
        "mouth sores",
        "diarrhea",
        "shortness of breath",
        "hand-foot syndrome",
        "poor appetite",
    ),
    "drug": (
        "carboplatin and paclitaxel",
        "FOLFOX",
        "pembrolizumab",
        "letrozole",
        "capecitabine",
        "R-CHOP",
        "tamoxifen",
        "docetaxel",
        "bevacizumab",
        "enzalutamide",
    ),
    "finding": (
        "stable disease",
        "a decrease in the size of the liver lesions",
        "no new sites of disease",
        "a small pleural effusion",
        "enlarged mediastinal lymph nodes",
    ),
    "site": (
        "liver",
        "left lung",
        "right breast",
        "pelvis",
        "mediastinum",
        "spine",
        "adrenal gland",
    ),
    "plan": (
        "adjuvant chemotherapy followed by radiation",
        "surveillance every three months",
        "surgery after four cycles",
        "enrolment in a clinical trial",
        "hormone therapy for five years",
    ),
    "painkiller": ("acetaminophen", "oxycodone", "ibuprofen", "gabapentin"),
}
_KINDS = (
    (DocumentKind.LAB_RESULT, "Lab results", 25),
    (DocumentKind.CONSULT_LETTER, "Clinic letter", 20),
    (DocumentKind.IMAGING, "CT report", 14),
    (DocumentKind.PATHOLOGY, "Pathology report", 6),
    (DocumentKind.TREATMENT_PLAN, "Treatment plan", 6),
    (DocumentKind.DISCHARGE_SUMMARY, "Discharge summary", 5),
    (DocumentKind.OPERATIVE, "Operative note", 3),
    (DocumentKind.MEDICATION_LIST, "Medication list", 6),
    (DocumentKind.INSURANCE, "Insurance letter", 5),
    (DocumentKind.OTHER, "Photo", 10),
)
_FACILITIES = (
    "Riverside Cancer Centre", "St. Elsewhere Hospital", "Northgate Imaging", "Lakeview Clinic",
    "City Pathology Lab", "Harbor Radiation Oncology",
)  # fmt: skip
_FIRST = ("Anna", "Ben", "Chiara", "David", "Elif", "Farid", "Grace", "Hiro", "Ines", "Jonas")
_LAST = ("Berg", "Costa", "Dubois", "Eze", "Fischer", "Gupta", "Haddad", "Ito", "Jensen", "Kowal")
_SPECIALTIES = (
    "Medical oncology", "Surgical oncology", "Radiation oncology", "Pathology", "Radiology",
    "Primary care", "Cardiology", "Palliative care",
)  # fmt: skip
_MEDS = (
    ("ondansetron", "8 mg"), ("dexamethasone", "4 mg"), ("letrozole", "2.5 mg"),
    ("tamoxifen", "20 mg"), ("capecitabine", "500 mg"), ("gabapentin", "300 mg"),
    ("metformin", "500 mg"), ("lisinopril", "10 mg"), ("oxycodone", "5 mg"),
    ("omeprazole", "20 mg"), ("enoxaparin", "40 mg"), ("prochlorperazine", "10 mg"),
)  # fmt: skip


def sentence(rng: random.Random) -> str:
    template = rng.choice(_SENTENCES)
    values: dict[str, object] = {key: rng.choice(choices) for key, choices in _FILL.items()}
    values.update(
        hb=f"{rng.uniform(8, 15):.1f}", plt=rng.randint(60, 400), anc=f"{rng.uniform(0.5, 7):.1f}",
        cr=f"{rng.uniform(0.5, 1.8):.2f}", mm=rng.randint(5, 60), mm2=rng.randint(5, 60),
        nodes=rng.randint(0, 4), nodes2=rng.randint(5, 20), weeks=rng.choice((2, 3, 4, 6, 12)),
        pct=rng.choice((10, 20, 25, 30, 75, 80)), suv=f"{rng.uniform(2, 14):.1f}",
        bp=f"{rng.randint(100, 160)}/{rng.randint(60, 95)}", pulse=rng.randint(55, 110),
        kg=rng.randint(48, 110),
    )  # fmt: skip
    return template.format(**values)


def page_text(rng: random.Random, words: int = 260) -> str:
    out: list[str] = []
    count = 0
    while count < words:
        line = sentence(rng)
        out.append(line)
        count += len(line.split())
    return "\n".join(out)


# -- originals -------------------------------------------------------------------------------


def _text_pdf(rng: random.Random, pages: int) -> bytes:
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out)
    pdf.setTitle("CareBinder benchmark record")
    for _ in range(pages):
        text = pdf.beginText(60, 780)
        text.setFont("Helvetica", 9)
        for line in page_text(rng, 420).splitlines()[:60]:
            text.textLine(line[:110])
        pdf.drawText(text)
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def _scan_page(rng: random.Random) -> bytes:
    """A grey, slightly noisy page image with dark lines of "print", like a fax or a scan."""
    from PIL import Image, ImageDraw, ImageFilter

    image = Image.new("L", (850, 1100), 236)
    draw = ImageDraw.Draw(image)
    for line in range(rng.randint(25, 45)):
        y = 90 + line * 22
        x = 70
        while x < 760:
            width = rng.randint(20, 90)
            draw.rectangle((x, y, x + width, y + 9), fill=rng.randint(30, 80))
            x += width + rng.randint(8, 14)
    noise = Image.effect_noise((850, 1100), 18).convert("L")
    image = Image.blend(image, noise, 0.12).filter(ImageFilter.GaussianBlur(0.6))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=55)
    return out.getvalue()


def _scan_pdf(images: list[bytes]) -> bytes:
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=(612, 792))
    for data in images:
        pdf.drawImage(ImageReader(io.BytesIO(data)), 0, 0, 612, 792)
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def _photo(rng: random.Random) -> bytes:
    """A phone photo of a handout: a bright sheet on a dark desk, in colour."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (1600, 1200), (70 + rng.randint(0, 30), 55, 40))
    draw = ImageDraw.Draw(image)
    draw.polygon([(300, 80), (1320, 120), (1280, 1140), (260, 1100)], fill=(232, 228, 214))
    for line in range(30):
        y = 170 + line * 30
        draw.line((360, y, 1220 - rng.randint(0, 300), y + 2), fill=(60, 60, 70), width=5)
    out = io.BytesIO()
    Image.blend(image, Image.effect_noise((1600, 1200), 30).convert("RGB"), 0.08).save(
        out, "JPEG", quality=70
    )
    return out.getvalue()


def _thumbnail(rng: random.Random) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (200, 260), (250, 250, 250))
    draw = ImageDraw.Draw(image)
    for line in range(20):
        draw.line((16, 20 + line * 11, 180 - rng.randint(0, 60), 20 + line * 11), fill=(90, 90, 90))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


class Templates:
    """A few originals per page count, reused with a unique trailing comment each time."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.text: dict[int, list[bytes]] = {}
        self.scans: dict[int, list[bytes]] = {}
        self.scan_pages = [_scan_page(rng) for _ in range(4)]
        self.photos = [_photo(rng) for _ in range(4)]
        self.thumbnails = [_thumbnail(rng) for _ in range(6)]

    def text_pdf(self, pages: int) -> bytes:
        choices = self.text.setdefault(pages, [])
        if len(choices) < 3:
            choices.append(_text_pdf(self.rng, pages))
        return self.rng.choice(choices)

    def scan_pdf(self, pages: int) -> bytes:
        choices = self.scans.setdefault(pages, [])
        if len(choices) < 2:
            choices.append(_scan_pdf([self.rng.choice(self.scan_pages) for _ in range(pages)]))
        return self.rng.choice(choices)


def _unique(data: bytes, number: int) -> bytes:
    # After %%EOF for a PDF, after the end marker for a JPEG: readers ignore it.
    return data + f"\n%carebinder benchmark document {number}\n".encode()


# -- the binder ----------------------------------------------------------------------------


def _split(total: int, rng: random.Random) -> list[int]:
    counts = [int(total * share) for share in SHARE]
    counts[0] += total - sum(counts)
    return counts


def _page_counts(size: Size, rng: random.Random) -> list[tuple[str, int]]:
    """(form, pages) per document: photos, scans and text PDFs adding up to size.pages."""
    forms = []
    for _ in range(size.documents):
        roll = rng.random()
        forms.append("photo" if roll < 0.1 else "scan" if roll < 0.3 else "text")
    pages = [1 if f == "photo" else rng.randint(1, 6) if f == "scan" else 0 for f in forms]
    text_docs = [i for i, f in enumerate(forms) if f == "text"]
    left = size.pages - sum(pages)
    base = left // len(text_docs)
    for i in text_docs:
        pages[i] = base
    for i in text_docs[: left - base * len(text_docs)]:
        pages[i] += 1
    # Spread the text PDFs from 1 page to many, keeping the total: move pages in pairs.
    for _ in range(len(text_docs) * 2):
        a, b = rng.choice(text_docs), rng.choice(text_docs)
        move = rng.randint(0, pages[a] - 1)
        if pages[b] + move <= 40:
            pages[a] -= move
            pages[b] += move
    return list(zip(forms, pages, strict=True))


def _random_date(rng: random.Random) -> str:
    start = datetime(FIRST_YEAR, 1, 1)
    day = start + timedelta(days=rng.randint(0, (LAST_YEAR - FIRST_YEAR) * 365 + 200))
    roll = rng.random()
    if roll < 0.03:
        return day.strftime("%Y-%m")  # some records only say the month
    return day.strftime("%Y-%m-%d")


def build(target: Path, size_name: str, seed: int, quiet: bool = False) -> Path:
    """Build (or reuse) the binder; returns the binder's folder (target / "binder")."""
    size = SIZES[size_name]
    marker = target / "built.json"
    # A binder built before the schema changed would lack what the app now expects.
    schema = hashlib.sha256((SCHEMA_V1 + SCHEMA_V2 + SCHEMA_V3 + SCHEMA_V4).encode()).hexdigest()[
        :16
    ]
    wanted = {"size": size_name, "seed": seed, **size.__dict__, "version": 3, "schema": schema}
    folder = target / "binder"
    if marker.exists() and json.loads(marker.read_text()) == wanted:
        return folder
    if folder.exists():
        shutil.rmtree(folder)
    marker.unlink(missing_ok=True)
    target.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    templates = Templates(rng)
    started = time.perf_counter()

    def say(text: str) -> None:
        if not quiet:
            print(f"[{time.perf_counter() - started:6.1f} s] {text}", file=sys.stderr)

    with Binder.create(folder, PASSPHRASE) as binder:
        people = [add_person(binder, name, born).id for name, born in PEOPLE]
        doctors: dict[int, list[tuple[int, str, str]]] = {}
        for pid, count in zip(people, _split(size.doctors, rng), strict=True):
            for _ in range(count):
                name = f"Dr. {rng.choice(_FIRST)} {rng.choice(_LAST)}"
                facility = rng.choice(_FACILITIES)
                doctor = add_doctor(
                    binder, pid, name, specialty=rng.choice(_SPECIALTIES), institution=facility
                )
                doctors.setdefault(pid, []).append((doctor.id, name, facility))
        for pid, count in zip(people, _split(size.medications, rng), strict=True):
            for _ in range(count):
                drug, strength = rng.choice(_MEDS)
                start = datetime(rng.randint(FIRST_YEAR, LAST_YEAR - 1), rng.randint(1, 12), 1)
                stop = start + timedelta(days=rng.randint(60, 900))
                stopped = stop < datetime(2026, 6, 1) and rng.random() < 0.6
                med = add_medication(
                    binder, pid, drug, start.date().isoformat(),
                    stop.date().isoformat() if stopped else None,
                    prescriber_id=rng.choice(doctors[pid])[0], strength=strength,
                    dose="1 tablet", how_often="once a day", purpose="as the oncologist advised",
                )  # fmt: skip
                for change in range(rng.randint(1, 4)):
                    on = start + timedelta(days=20 + change * 15)
                    change_dose(binder, med.id, f"{change + 2} tablets", on.date().isoformat())
        kinds = list(AppointmentKind)
        for pid, count in zip(people, _split(size.appointments, rng), strict=True):
            with binder.transaction():
                for _ in range(count):
                    when = datetime(FIRST_YEAR, 1, 1, tzinfo=UTC) + timedelta(
                        days=rng.randint(0, 3900), hours=rng.randint(8, 16)
                    )
                    doctor_id, _name, facility = rng.choice(doctors[pid])
                    add_appointment(
                        binder, pid, when, "Europe/Berlin", doctor_id, 30, facility,
                        rng.choice(("Follow-up", "Chemotherapy", "Scan", "Blood test")),
                        rng.choice(kinds), reminder_minutes=None,
                    )  # fmt: skip
        say("people, doctors, medications and appointments written")

        owners = [
            pid
            for pid, n in zip(people, _split(size.documents, rng), strict=True)
            for _ in range(n)
        ]
        # Each rare word in exactly four documents.
        picked = rng.sample(range(size.documents), 4 * len(RARE_WORDS))
        rare = {number: RARE_WORDS[i // 4] for i, number in enumerate(picked)}
        weights = [w for _, _, w in _KINDS]
        for number, ((form, pages), pid) in enumerate(
            zip(_page_counts(size, rng), owners, strict=True)
        ):
            if number % 200 == 0:
                if number:
                    binder.db.execute("COMMIT")
                    say(f"{number} documents")
                # Batches of 200 documents per transaction: add_document's own transactions
                # nest as savepoints, so the build does not wait on one fsync per document.
                binder.db.execute("BEGIN")
            kind, label, _ = rng.choices(_KINDS, weights)[0]
            if form == "photo":
                kind, label = DocumentKind.OTHER, "Photo of a handout"
            doctor_id, author, facility = rng.choice(doctors[pid])
            date = _random_date(rng)
            if form == "text":
                data, media = templates.text_pdf(pages), "application/pdf"
                text = "\n\f".join(page_text(rng) for _ in range(pages))
            elif form == "scan":
                data, media = templates.scan_pdf(pages), "application/pdf"
                text = "\n\f".join(page_text(rng, 180) for _ in range(pages))  # as if read by OCR
            else:
                data, media, text = templates.photos[number % 4], "image/jpeg", ""
            if number in rare:
                text += f"\nHistory notable for {rare[number]}."
            stored = binder.files.put(_unique(data, number))
            facts = Extracted(
                media_type=media,
                title=f"{label} {date}" + (f" ({facility})" if rng.random() < 0.5 else ""),
                pages=pages,
                text=text,
                text_status="text" if text else "none",
                kind=kind,
                date=None if rng.random() < 0.02 else date,
                facility=facility,
                author=author,
                thumbnail=rng.choice(templates.thumbnails),
            )
            ext = "jpg" if form == "photo" else "pdf"
            add_document(binder, pid, stored, facts, f"record-{number:05d}.{ext}")
        binder.db.execute("COMMIT")
        say(f"{size.documents} documents, {size.pages} pages")
        binder.db.execute("PRAGMA optimize")
    marker.write_text(json.dumps(wanted))
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dir", type=Path, help="folder to build in (reused when already built)")
    parser.add_argument("--size", choices=tuple(SIZES), default="large")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    folder = build(args.dir, args.size, args.seed)
    used = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())
    print(f"{folder}: {args.size}, seed {args.seed}, {used / 1e6:.0f} MB,"
          f" ready in {time.perf_counter() - started:.0f} s")  # fmt: skip
    return 0


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    raise SystemExit(main())
