"""Pictures (photos, scans saved as images) as letter pages, for the records packet to
write directly.

A JPEG goes in as its own bytes, neither decoded nor re-encoded, and is turned upright by
the way it is drawn (its EXIF orientation becomes the drawing's matrix). Its data is read
from the encrypted store a piece at a time as the packet is written, so not even a copy of
it is held. Any other picture (PNG, TIFF, HEIC) is turned upright
and its pixels deflated. Each picture is scaled to fit the page below a band left free for
the caption, which the records packet draws with its footer font (see packet.py).
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any, BinaryIO

LETTER = (612.0, 792.0)
CAPTION_BAND = 40.0  # free at the top for the caption, as at the bottom for the footer


@dataclass(frozen=True)
class _Picture:
    width: int  # as stored
    height: int
    gray: bool
    filter: str  # DCTDecode (a JPEG as it is) or FlateDecode (pixels)
    orientation: int  # EXIF orientation of the stored pixels (1: upright)


def open_picture(source: bytes | BinaryIO, load: bool = True) -> Any:
    """The picture in `source` (HEIC too, where pillow-heif is installed); decoded now when
    `load`, else when its pixels are first needed."""
    from PIL import Image

    try:
        import pillow_heif

        pillow_heif.register_heif_opener()
    except ImportError:
        pass
    image = Image.open(io.BytesIO(source) if isinstance(source, bytes) else source)
    if load:
        image.load()
    return image


def passes_through(image: Any, media_type: str) -> bool:
    """A JPEG goes into the packet as it is. (A CMYK JPEG is decoded: Adobe's store their
    colours inverted.)"""
    frames = int(getattr(image, "n_frames", 1))
    return media_type == "image/jpeg" and frames == 1 and image.mode in ("RGB", "L")


def frame_count(data: bytes | BinaryIO, media_type: str) -> int:
    """Pictures in a picture file. Every picture that will be decoded is decoded now, so a
    damaged one is refused (ValueError) here rather than breaking the packet later."""
    try:
        image = open_picture(data, load=False)
        if passes_through(image, media_type):
            return 1
        image.load()
        frames = int(getattr(image, "n_frames", 1))
        for index in range(1, frames):
            image.seek(index)
            image.load()
        return frames
    except Exception as exc:  # Pillow raises many kinds on a damaged picture
        raise ValueError(f"the picture could not be opened ({exc.__class__.__name__})") from None


def _orientation(image: Any) -> int:
    value = image.getexif().get(0x0112, 1)
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _matrix(orientation: int, x: float, y: float, w: float, h: float) -> str:
    """Maps the stored picture's unit square onto the box (x, y, w, h) as seen, upright:
    the same turns and flips as Pillow's exif_transpose, for each EXIF orientation."""
    values = {
        1: (w, 0, 0, h, x, y),
        2: (-w, 0, 0, h, x + w, y),
        3: (-w, 0, 0, -h, x + w, y + h),
        4: (w, 0, 0, -h, x, y + h),
        5: (0, -h, -w, 0, x + w, y + h),
        6: (0, -h, w, 0, x, y + h),
        7: (0, h, w, 0, x, y),
        8: (0, h, -w, 0, x + w, y),
    }[orientation]
    return " ".join(f"{v:.3f}" for v in values)


@dataclass(frozen=True)
class PicturePage:
    """One picture as a letter page: its image object and the drawing that shows it."""

    image: bytes  # the image object's dictionary entries, all but /Length
    length: int  # of its data
    data: Callable[[], Iterator[bytes]]  # its data, in pieces
    drawing: bytes  # draws the image, named /Im0, upright and fitted on the page
    box: tuple[float, float, float, float]  # where it is drawn: left, bottom, width, height


def _page(picture: _Picture, length: int, data: Callable[[], Iterator[bytes]]) -> PicturePage:
    turned = picture.orientation in (5, 6, 7, 8)
    shown_w, shown_h = (
        (picture.height, picture.width) if turned else (picture.width, picture.height)
    )
    box_w, box_h = LETTER[0] - 72, LETTER[1] - 2 * CAPTION_BAND
    scale = min(box_w / shown_w, box_h / shown_h)
    w, h = shown_w * scale, shown_h * scale
    x, y = (LETTER[0] - w) / 2, CAPTION_BAND + (box_h - h) / 2
    space = "DeviceGray" if picture.gray else "DeviceRGB"
    image = (
        f"/Type /XObject /Subtype /Image /Width {picture.width} /Height {picture.height} "
        f"/ColorSpace /{space} /BitsPerComponent 8 /Filter /{picture.filter}"
    )
    drawing = f"q {_matrix(picture.orientation, x, y, w, h)} cm /Im0 Do Q"
    return PicturePage(image.encode(), length, data, drawing.encode(), (x, y, w, h))


def picture_pages(open_original: Callable[[], BinaryIO], media_type: str) -> Iterator[PicturePage]:
    """A page for each picture in the file `open_original` opens, made as it is reached. A
    JPEG's data is the JPEG itself, read again from `open_original()` in pieces when the
    page is written; other pictures are decoded one at a time and their pixels deflated."""
    from PIL import ImageOps

    with open_original() as probe:
        image = open_picture(probe, load=False)
        width, height = image.size
        picture = _Picture(width, height, image.mode == "L", "DCTDecode", _orientation(image))
        as_is = passes_through(image, media_type)
        length = probe.seek(0, io.SEEK_END)
    if as_is:

        def pieces() -> Iterator[bytes]:
            with open_original() as original:
                while piece := original.read(1 << 20):
                    yield piece

        yield _page(picture, length, pieces)
        return
    with open_original() as source:
        image = open_picture(source.read())
    for index in range(int(getattr(image, "n_frames", 1))):
        image.seek(index)
        upright = ImageOps.exif_transpose(image)
        gray = upright.mode in ("1", "L", "LA", "I", "I;16", "F")
        pixels = upright.convert("L" if gray else "RGB")
        data = zlib.compress(pixels.tobytes(), 6)
        frame = _Picture(pixels.width, pixels.height, gray, "FlateDecode", 1)
        yield _page(frame, len(data), partial(iter, [data]))
