"""Pictures (photos, scans saved as images) as letter pages of a small PDF written directly.

A JPEG goes in as its own bytes, neither decoded nor re-encoded, and is turned upright by
the way it is drawn (its EXIF orientation becomes the drawing's matrix). Its page is the
JPEG, read from the encrypted store, between a few hundred bytes of PDF before and after,
so not even a copy of it is made. Any other picture (PNG, TIFF, HEIC) is turned upright
and its pixels deflated. Each picture is scaled to fit the page below a band left free for
the caption, which the records packet draws with its footer font (see packet.py).
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, BinaryIO

from app.seekable import SeekableReader

LETTER = (612.0, 792.0)
CAPTION_BAND = 40.0  # free at the top for the caption, as at the bottom for the footer
_HEADER = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"


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


def frame_count(data: bytes, media_type: str) -> int:
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


class _Writer:
    """A small PDF written object by object: catalog, page tree, then for each picture its
    page, its drawing and its image, whose data the caller writes (or supplies) in place."""

    ENDSTREAM = b"\nendstream\nendobj\n"

    def __init__(self, count: int) -> None:
        self.out = io.BytesIO()
        self.out.write(_HEADER)
        self.offsets: list[int] = []
        self.obj("<< /Type /Catalog /Pages 2 0 R >>")
        kids = " ".join(f"{3 + 3 * i} 0 R" for i in range(count))
        self.obj(f"<< /Type /Pages /Kids [{kids}] /Count {count} >>")

    def obj(self, body: str, stream: bytes | None = None) -> None:
        self.offsets.append(self.out.tell())
        self.out.write(f"{len(self.offsets)} 0 obj\n{body}".encode())
        if stream is not None:
            self.out.write(b"\nstream\n" + stream + b"\nendstream")
        self.out.write(b"\nendobj\n")

    def picture(self, picture: _Picture, length: int) -> None:
        """A page drawing `picture` upright; ends where its `length` bytes of data go."""
        number = len(self.offsets) + 1
        turned = picture.orientation in (5, 6, 7, 8)
        shown_w, shown_h = (
            (picture.height, picture.width) if turned else (picture.width, picture.height)
        )
        box_w, box_h = LETTER[0] - 72, LETTER[1] - 2 * CAPTION_BAND
        scale = min(box_w / shown_w, box_h / shown_h)
        w, h = shown_w * scale, shown_h * scale
        x, y = (LETTER[0] - w) / 2, CAPTION_BAND + (box_h - h) / 2
        self.obj(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {LETTER[0]:g} {LETTER[1]:g}] "
            f"/Resources << /XObject << /Im0 {number + 2} 0 R >> >> /Contents {number + 1} 0 R >>"
        )
        drawing = f"q {_matrix(picture.orientation, x, y, w, h)} cm /Im0 Do Q".encode()
        self.obj(f"<< /Length {len(drawing)} >>", drawing)
        space = "DeviceGray" if picture.gray else "DeviceRGB"
        self.offsets.append(self.out.tell())
        self.out.write(
            f"{number + 2} 0 obj\n<< /Type /XObject /Subtype /Image /Width {picture.width} "
            f"/Height {picture.height} /ColorSpace /{space} /BitsPerComponent 8 "
            f"/Filter /{picture.filter} /Length {length} >>\nstream\n".encode()
        )

    def finish(self, at: int) -> bytes:
        """The cross-references and trailer; `at` is where they start in the whole file."""
        size = len(self.offsets) + 1
        rows = "".join(f"{o:010d} 00000 n \n" for o in self.offsets)
        return (
            f"xref\n0 {size}\n0000000000 65535 f \n{rows}"
            f"trailer\n<< /Size {size} /Root 1 0 R >>\nstartxref\n{at}\n%%EOF\n"
        ).encode()


class Joined(SeekableReader):
    """Several seekable files read as one (bytes before, a stored JPEG, bytes after)."""

    def __init__(self, parts: Sequence[BinaryIO]) -> None:
        self._parts: list[tuple[int, int, BinaryIO]] = []  # (start, end, part)
        position = 0
        for part in parts:
            end = position + part.seek(0, io.SEEK_END)
            self._parts.append((position, end, part))
            position = end
        super().__init__(position)

    def read_at(self, position: int, limit: int) -> bytes:
        for start, end, part in self._parts:
            if start <= position < end:
                part.seek(position - start)
                return part.read(min(limit, end - position))
        return b""

    def close(self) -> None:
        for _, _, part in self._parts:
            part.close()
        super().close()


def picture_pdf(
    open_original: Callable[[], BinaryIO], media_type: str, keep: Callable[[bytes], BinaryIO]
) -> BinaryIO:
    """The picture file `open_original` opens, as a seekable PDF of one page per picture.
    A JPEG's page reads the JPEG itself from `open_original()`; other pictures' pages are
    made in memory and handed to `keep` (encrypted scratch space), which returns them."""
    from PIL import ImageOps

    with open_original() as probe:
        image = open_picture(probe, load=False)
        width, height = image.size
        picture = _Picture(width, height, image.mode == "L", "DCTDecode", _orientation(image))
        as_is = passes_through(image, media_type)
    if as_is:
        original = open_original()
        length = original.seek(0, io.SEEK_END)
        writer = _Writer(1)
        writer.picture(picture, length)
        head = writer.out.getvalue()
        tail = _Writer.ENDSTREAM + writer.finish(len(head) + length + len(_Writer.ENDSTREAM))
        joined = Joined([io.BytesIO(head), original, io.BytesIO(tail)])
        return io.BufferedReader(joined, buffer_size=1 << 13)
    with open_original() as source:
        image = open_picture(source.read())
    frames = int(getattr(image, "n_frames", 1))
    writer = _Writer(frames)
    for index in range(frames):
        image.seek(index)
        upright = ImageOps.exif_transpose(image)
        gray = upright.mode in ("1", "L", "LA", "I", "I;16", "F")
        pixels = upright.convert("L" if gray else "RGB")
        data = zlib.compress(pixels.tobytes(), 6)
        writer.picture(_Picture(pixels.width, pixels.height, gray, "FlateDecode", 1), len(data))
        writer.out.write(data)
        writer.out.write(_Writer.ENDSTREAM)
    return keep(writer.out.getvalue() + writer.finish(writer.out.tell()))
