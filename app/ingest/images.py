"""Photos and scans (JPEG, PNG, TIFF with many pages, HEIC): page count, thumbnail, and
each page drawn for OCR. Decoded in a sandbox child with Pillow.

A photo's EXIF orientation (a phone held sideways) is applied first, for the thumbnail and
for reading: the page is read, and its words are placed, as a person sees it.

Pillow's decompression-bomb guard is kept, with an explicit limit: a 35,000 x 35,000 pixel
scan is refused with a reason instead of taking gigabytes of memory.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import Any

from app.ingest.ocr_pool import PageSource
from app.ingest.page_cleanup import PreparedPage
from app.ingest.refusal import Refused
from app.ingest.sandbox import Crashed, JobFailed, Sandbox, TimedOut, shared
from app.progress import CancelFlag

# 150 megapixels: a letter page scanned at 1,200 dpi; four times a 600 dpi A3 scan.
MAX_PIXELS = 150_000_000
MAX_FRAMES = 2000
TIME_LIMIT = 60.0
THUMBNAIL_WIDTH = 200
OCR_MAX_PIXELS = 40_000_000


@dataclass(frozen=True)
class ImageInfo:
    frames: int
    width: int
    height: int
    thumbnail: bytes | None  # PNG, THUMBNAIL_WIDTH wide


def read_image(
    data: bytes, *, cancel: CancelFlag | None = None, sandbox: Sandbox | None = None
) -> ImageInfo:
    """Page count and thumbnail; raises `Refused` when the image cannot be read safely."""
    info: ImageInfo = _call("app.ingest.images:info_job", data, cancel=cancel, sandbox=sandbox)
    return info


def page_source(data: bytes) -> PageSource:
    """How the OCR pool draws this picture's frames (in its own sandbox children)."""
    return PageSource("app.ingest.images:page_job", data, ())


def _call(job: str, *args: Any, cancel: CancelFlag | None, sandbox: Sandbox | None) -> Any:
    box = sandbox or shared()
    try:
        return box.call(job, *args, timeout=TIME_LIMIT, cancel=cancel)
    except TimedOut:
        raise Refused("Reading this image took too long; it may be damaged.") from None
    except MemoryError:
        raise Refused("This image needs more memory than is safe to open it.") from None
    except (Crashed, JobFailed):
        raise Refused("This image could not be read (it may be damaged or incomplete).") from None


# ---- in the child -----------------------------------------------------------------------


def _open(data: bytes) -> Any:
    from PIL import Image, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS  # above it Pillow warns; the warning is an error here
    try:
        import pillow_heif

        pillow_heif.register_heif_opener()
    except ImportError:
        pass
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise Refused(_too_large(data)) from None
    except UnidentifiedImageError:
        raise Refused("This image could not be read (its format is unknown or damaged).") from None
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise Refused(_too_large(data, (width, height)))
    return image


def _too_large(data: bytes, size: tuple[int, int] | None = None) -> str:
    where = f" ({size[0]:,} x {size[1]:,} pixels)" if size else ""
    return f"The image is too large to open safely{where}."


def info_job(data: bytes) -> ImageInfo:
    from PIL import Image

    image = _open(data)
    frames = min(int(getattr(image, "n_frames", 1) or 1), MAX_FRAMES)
    width, height = image.size
    try:
        image.draft("RGB", (THUMBNAIL_WIDTH * 2, THUMBNAIL_WIDTH * 8))  # JPEG: decode small
        image.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            thumb = _upright(image, image.convert("RGB"))
        thumb.thumbnail((THUMBNAIL_WIDTH, THUMBNAIL_WIDTH * 4))
        out = io.BytesIO()
        thumb.save(out, "PNG", optimize=True)
        thumbnail: bytes | None = out.getvalue()
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombWarning) as exc:
        if isinstance(exc, OSError) and "truncated" not in str(exc).lower():
            raise Refused("This image could not be read (it may be damaged).") from None
        raise Refused("This image is incomplete or damaged.") from None
    return ImageInfo(frames, width, height, thumbnail)


def page_job(key: str, data: bytes | None, index: int, clean: bool) -> PreparedPage:
    """Frame `index` upright (its EXIF orientation applied), greyscale, at most
    OCR_MAX_PIXELS, and made ready for tesseract. The picture is decoded from the same
    bytes for every frame, opened once per child."""
    from PIL import Image

    from app.ingest.page_cleanup import keep, kept, prepare

    if data is not None:
        keep(key, _open(data))
    image = kept(key)
    image.seek(index)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        frame = _upright(image, image.convert("L"))
    dpi = _dpi(image)
    area = frame.width * frame.height
    if area > OCR_MAX_PIXELS:
        factor = (OCR_MAX_PIXELS / area) ** 0.5
        size = (max(int(frame.width * factor), 1), max(int(frame.height * factor), 1))
        frame = frame.resize(size, Image.Resampling.LANCZOS)
        dpi = round(dpi * factor) if dpi else None
    return prepare(frame, dpi, clean)


def _upright(image: Any, pixels: Any) -> Any:
    """`pixels` (decoded from `image`'s current frame) turned as its EXIF orientation says:
    the same turns and flips as Pillow's `exif_transpose`, on the smaller decoded copy."""
    from PIL import Image

    try:
        orientation = image.getexif().get(0x0112, 1)
    except Exception:  # a damaged EXIF block: the picture as stored
        return pixels
    method = {
        2: Image.Transpose.FLIP_LEFT_RIGHT,
        3: Image.Transpose.ROTATE_180,
        4: Image.Transpose.FLIP_TOP_BOTTOM,
        5: Image.Transpose.TRANSPOSE,
        6: Image.Transpose.ROTATE_270,
        7: Image.Transpose.TRANSVERSE,
        8: Image.Transpose.ROTATE_90,
    }.get(orientation if isinstance(orientation, int) else 1)
    return pixels.transpose(method) if method is not None else pixels


def _dpi(image: Any) -> int | None:
    """The resolution a scanner wrote into the file; a camera's 72 dpi means nothing."""
    try:
        found = image.info.get("dpi")
        value = round(float(found[0])) if found else 0
    except (TypeError, ValueError, IndexError):
        return None
    return value if 150 <= value <= 1200 else None
