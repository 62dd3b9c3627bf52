"""Pages of known text, "photographed" in software: the test material for reading photos
and poor scans (tests/ingest/test_scans.py, tests/bench/test_ocr_bench.py).

A page of text is drawn by reportlab and pdfium as a 300 dpi scan would see it; a photo of
it is that page on tinted paper, on a table, turned a quarter turn any way and skewed a few
degrees, lit unevenly, blurred as a phone's lens does, grainy, and saved as a JPEG at phone
quality. `recall` is the share of the page's words found in what was read.
"""

from __future__ import annotations

import io
import random
import re
from collections import Counter
from typing import Any

LETTER = (612.0, 792.0)


def page_of_text(
    text: str, dpi: int = 300, size: float = 11.0, font: str = "Helvetica"
) -> tuple[Any, str]:
    """The page as a scanner sees it (a Pillow RGB image) and the text that fit on it."""
    import pypdfium2 as pdfium
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=LETTER)
    pdf.setFont(font, size)
    y, shown = LETTER[1] - 72, []
    for paragraph in text.split("\n"):
        for line in simpleSplit(paragraph, font, size, LETTER[0] - 144) or [""]:
            if y < 72:
                break
            pdf.drawString(72, y, line)
            shown.append(line)
            y -= size * 1.35
    pdf.showPage()
    pdf.save()
    document = pdfium.PdfDocument(out.getvalue())
    try:
        image = document[0].render(scale=dpi / 72).to_pil().convert("RGB")
    finally:
        document.close()
    return image, "\n".join(shown)


def photograph(page: Any, turn: int, skew: float, seed: int, quality: int = 72) -> bytes:
    """A phone's JPEG of `page`: turned `turn` + `skew` degrees counter-clockwise."""
    from PIL import Image, ImageChops, ImageFilter

    rng = random.Random(seed)
    paper = rng.choice([(246, 240, 226), (238, 236, 230), (250, 245, 232), (236, 240, 246)])
    tinted = ImageChops.multiply(page, Image.new("RGB", page.size, paper))
    table = rng.choice([(92, 70, 52), (60, 60, 64), (120, 110, 96), (170, 160, 150)])
    margin = int(0.05 * max(page.size))
    scene = Image.new("RGB", (page.width + 2 * margin, page.height + 2 * margin), table)
    scene.paste(tinted, (margin, margin))
    scene = scene.rotate(
        turn + skew, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=table
    )
    # Light falling off across the page, from a random side, to between 45% and 75%.
    dark = rng.uniform(0.45, 0.75)
    ramp = Image.linear_gradient("L").rotate(rng.uniform(0, 360), fillcolor=255)
    ramp = ramp.resize(scene.size, Image.Resampling.BILINEAR)
    ramp = ramp.point([round(255 * (dark + (1 - dark) * v / 255)) for v in range(256)])
    scene = ImageChops.multiply(scene, Image.merge("RGB", [ramp] * 3))
    scene = scene.filter(ImageFilter.GaussianBlur(rng.uniform(0.8, 1.5)))
    grain = Image.effect_noise(scene.size, rng.uniform(6, 12)).convert("RGB")
    scene = ImageChops.add(scene, grain, scale=1.0, offset=-128)
    long_side = rng.choice([2600, 3000, 3400])
    factor = long_side / max(scene.size)
    scene = scene.resize(
        (round(scene.width * factor), round(scene.height * factor)), Image.Resampling.LANCZOS
    )
    out = io.BytesIO()
    scene.save(out, "JPEG", quality=quality)
    return out.getvalue()


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def recall(truth: str, found: str) -> float:
    """The share of the page's words (counted with repeats) that were read."""
    expected, got = Counter(words(truth)), Counter(words(found))
    total = sum(expected.values())
    return sum(min(n, got[w]) for w, n in expected.items()) / total if total else 1.0
