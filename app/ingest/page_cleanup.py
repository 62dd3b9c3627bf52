"""A page made easy to read before tesseract reads it, as OCRmyPDF and Paperless-ngx do:
colour out, lighting evened, contrast stretched, the lines turned to run across and
straightened. Pillow only (docs/ingest.md says why not OpenCV).

Runs in the sandbox child, on pixels the child decoded itself. What comes back is the
image to read and how it was turned, so that the words tesseract finds can be placed back
where they are on the page as it is seen (`app.ingest.ocr_words`).

Which way up a page is (0 or 180 degrees once its lines run across) is not decided here:
that needs tesseract's own orientation detection, which the parent runs only when the first
reading looks like nonsense (`app.ingest.ocr`).
"""

from __future__ import annotations

import contextlib
import io
import itertools
from dataclasses import dataclass
from typing import Any

LIGHT_MAP_SIDE = 200  # the long side of the map of the paper's brightness, in pixels
SKEW_SIDE = 1000  # the long side of the small copy the skew is measured on
MAX_SKEW = 6.0  # degrees either way; a photo more crooked than this is rare
INK = 150  # after the lighting is evened, darker than this counts as ink
BLANK = 1e-4  # a page with less ink than this share of its pixels is blank
NOT_LOADED = "the document is not loaded in this child"


@dataclass(frozen=True)
class PreparedPage:
    """One page ready for tesseract, and how it relates to the page as seen."""

    image: bytes  # greyscale PGM, lines running across (maybe upside down)
    width: int  # the page as seen (drawn upright), in pixels: where the words go back to
    height: int
    turn: float  # degrees the page was turned counter-clockwise (Pillow's sense) to be read
    blank: bool  # no ink at all: nothing to read
    dpi: int | None = None  # of the page as seen, when known (a PDF page); photos: unknown
    thumbnail: bytes | None = None  # PNG of the page as seen, when asked for


def prepare(page: Any, dpi: int | None = None, clean: bool = True) -> PreparedPage:
    """`page` is a Pillow image of the page as seen (upright as the person sees it)."""
    grey = page if page.mode == "L" else page.convert("L")
    width, height = grey.size
    if not clean:
        return PreparedPage(_pgm(grey), width, height, 0.0, False, dpi)
    flat = even_out_light(grey)
    if _ink_share(flat) < BLANK:
        return PreparedPage(b"", width, height, 0.0, True, dpi)
    quarter, angle = find_skew(flat)
    turned = flat
    if quarter:
        from PIL import Image

        turned = turned.transpose(Image.Transpose.ROTATE_90)
    if abs(angle) >= 0.1:
        from PIL import Image

        turned = turned.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    else:
        angle = 0.0
    return PreparedPage(
        _pgm(stretch_contrast(turned)), width, height, 90.0 * quarter + angle, False, dpi
    )


def even_out_light(grey: Any) -> Any:
    """Divide the page by a map of its paper's brightness: a shadow, a lamp's gradient or
    a yellowed sheet all become white paper, and ink keeps its contrast against it."""
    from PIL import Image, ImageFilter, ImageMath

    factor = max(1, round(max(grey.size) / LIGHT_MAP_SIDE))
    small = grey.reduce(factor) if factor > 1 else grey.copy()
    # The brightest spot nearby is paper: wide enough to reach past a line of text.
    paper = small.filter(ImageFilter.MaxFilter(5)).filter(ImageFilter.GaussianBlur(2))
    paper = paper.resize(grey.size, Image.Resampling.BILINEAR)
    flat = ImageMath.lambda_eval(
        lambda a: (a["page"] * 270) / (a["paper"] + 1), page=grey, paper=paper
    )
    return flat.convert("L")  # clipped to 0..255: paper a touch past white stays white


def stretch_contrast(flat: Any) -> Any:
    """Darkest ink to black: a faded or blurred photo's grey strokes become dark again.
    Paper is white already (`even_out_light`), so only the dark end moves."""
    histogram = flat.histogram()
    total = sum(histogram) or 1
    seen, darkest = 0, 0
    for value, count in enumerate(histogram):
        seen += count
        if seen > total * 0.002:
            darkest = value
            break
    if darkest <= 8 or darkest >= INK:
        return flat
    scale = 255 / (255 - darkest)
    table = [max(0, min(255, round(255 - (255 - v) * scale))) for v in range(256)]
    return flat.point(table)


def _ink_share(flat: Any) -> float:
    histogram = flat.histogram()
    return sum(histogram[:INK]) / max(sum(histogram), 1)


def find_skew(flat: Any) -> tuple[int, float]:
    """(quarter turns, degrees) that make the page's lines run straight across: the turn
    whose rows of ink are most sharply told apart (a projection profile). Measured on small
    copies: roughly on a coarse one, then finely."""
    from PIL import Image

    def ink(side: int) -> Any:
        scale = min(side / max(flat.size), 1.0)
        size = (max(1, round(flat.width * scale)), max(1, round(flat.height * scale)))
        small = flat.resize(size, Image.Resampling.BOX) if scale < 1 else flat
        # Ink bright on black, so that the rotation's new corners add nothing.
        return small.point([255 - v if v < 200 else 0 for v in range(256)])

    coarse = ink(SKEW_SIDE // 2)
    families = (coarse, coarse.transpose(Image.Transpose.ROTATE_90))
    # Which way the lines run: by two measures multiplied, each right where the other is
    # weak. Sharpness (rows against their neighbours) stands out on a full page but also
    # rises with the strokes of a few large letters; the spread of the rows (their variance)
    # stands out on a line or two of large type but barely on a photo's page on a table.
    best = (-1.0, 0, 0.0)  # score, quarter, angle
    steps = round(MAX_SKEW / 1.5)
    for quarter, image in enumerate(families):
        rows = {1.5 * k: _profile(image, 1.5 * k) for k in range(-steps, steps + 1)}
        sharpest = max(rows, key=lambda a: _sharpness(rows[a]))
        score = _sharpness(rows[sharpest]) * max(_spread(r) for r in rows.values())
        if score > best[0]:
            best = (score, quarter, sharpest)
    _, quarter, angle = best
    fine = ink(SKEW_SIDE)
    if quarter:
        fine = fine.transpose(Image.Transpose.ROTATE_90)
    for spread, step in ((1.0, 0.25), (0.2, 0.05)):
        reach = round(spread / step)
        candidates = [angle + step * k for k in range(-reach, reach + 1)]
        scored = [(_sharpness(_profile(fine, a)), a) for a in candidates if abs(a) <= MAX_SKEW + 1]
        angle = max(scored)[1]
    return quarter, round(angle, 2)


def _profile(ink: Any, angle: float) -> list[int]:
    """The ink in each row after turning by `angle`."""
    from PIL import Image

    turned = ink.rotate(angle, resample=Image.Resampling.BILINEAR) if angle else ink
    return list(turned.resize((1, turned.height), Image.Resampling.BOX).getdata())


def _sharpness(rows: list[int]) -> float:
    """How sharply rows of ink alternate with rows of paper."""
    return float(sum((a - b) * (a - b) for a, b in itertools.pairwise(rows)))


def _spread(rows: list[int]) -> float:
    """How far the rows' ink strays from its mean (their variance)."""
    mean = sum(rows) / max(len(rows), 1)
    return sum((r - mean) * (r - mean) for r in rows) / max(len(rows), 1)


def _pgm(image: Any) -> bytes:
    out = io.BytesIO()
    image.save(out, "PPM")
    return out.getvalue()


def thumbnail_png(page: Any, width: int) -> bytes:
    """The page as seen, `width` pixels wide (a long strip's height capped), as PNG."""
    from PIL import Image

    scale = width / max(page.width, 1)
    if page.height * scale > width * 4:
        scale = width * 4 / page.height
    size = (max(1, round(page.width * scale)), max(1, round(page.height * scale)))
    small = page.convert("RGB").resize(size, Image.Resampling.BOX)
    out = io.BytesIO()
    small.save(out, "PNG", compress_level=1)
    return out.getvalue()


# ---- the document a child draws pages of ----------------------------------------------------

_kept: dict[str, Any] = {}  # the one document (an open PDF or picture) by its key


def keep(key: str, document: Any) -> None:
    """Keep `document` open in this child for its next pages (the one before is let go)."""
    forget_job()
    _kept[key] = document


def kept(key: str) -> Any:
    """The document kept under `key`; LookupError when this child does not have it (it was
    restarted since), and the parent sends it again."""
    document = _kept.get(key)
    if document is None:
        raise LookupError(NOT_LOADED)
    return document


def forget_job() -> None:
    """Let go of the kept document: its bytes may be large."""
    for document in _kept.values():
        with contextlib.suppress(Exception):  # a damaged file may fail to close: dropped anyway
            document.close()
    _kept.clear()
