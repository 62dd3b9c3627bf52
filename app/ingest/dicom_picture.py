"""One small picture per series, for recognising a study: never for diagnosis.

Drawn in the sandbox child (sandbox.py: a memory and a time limit), from the file on the
disc, never from a decrypted copy. The header is checked before anything is decoded: an
image larger than `MAX_PIXELS` a frame (a header may promise 100,000 x 100,000) gets no
picture, and neither does a compression no installed decoder reads; the study is kept and
exported all the same. Grey images use the header's own window (centre and width) after the
rescale, as a viewer first shows them; without a window, the 1st to 99th percentile.
Only the frame in the middle of a multi-frame image is decoded.
"""

from __future__ import annotations

import io
import warnings
from typing import Any

from app.ingest.refusal import Refused
from app.ingest.sandbox import Crashed, JobFailed, Sandbox, TimedOut, shared
from app.progress import CancelFlag

MAX_PIXELS = 40_000_000  # one frame: a mammogram is 15 megapixels
PICTURE_SIZE = 256  # the longest side, in pixels
TIME_LIMIT = 60.0

NO_DECODER = (
    "No picture: this series is compressed in a way CareBinder cannot draw without an "
    "extra decoder (see README). The images are kept and exported all the same."
)
TOO_LARGE = "No picture: the image is too large to draw safely. It is kept all the same."
NO_MEMORY = "No picture: drawing this image needs more memory than is safe. It is kept."
NOT_DRAWN = "No picture: this image could not be drawn. It is kept all the same."
NO_IMAGE = "No picture: this series holds no image (a report, a plan or measurements)."


def draw_picture(
    path: str, *, cancel: CancelFlag | None = None, sandbox: Sandbox | None = None
) -> bytes:
    """A PNG of the series' image at `path`; raises `Refused` saying why there is none."""
    box = sandbox or shared("thumbnails")
    try:
        picture: bytes = box.call(
            "app.ingest.dicom_picture:picture_job", path, timeout=TIME_LIMIT, cancel=cancel
        )
    except TimedOut:
        raise Refused(NOT_DRAWN) from None
    except MemoryError:
        raise Refused(NO_MEMORY) from None
    except (Crashed, JobFailed):
        raise Refused(NOT_DRAWN) from None
    return picture


# ---- in the child -----------------------------------------------------------------------


def _first(value: Any) -> float | None:
    if value is None or value == "":
        return None
    try:
        if isinstance(value, list | tuple) or type(value).__name__ == "MultiValue":
            value = value[0]
        return float(value)
    except (TypeError, ValueError, IndexError):
        return None


def _has_decoder(syntax: str) -> bool:
    from pydicom.pixels import get_decoder

    try:
        return bool(get_decoder(syntax).is_available)
    except (NotImplementedError, ValueError, KeyError):
        return False


def _grey(frame: Any, ds: Any) -> Any:
    import numpy as np
    from pydicom.pixels import apply_modality_lut

    values = apply_modality_lut(frame, ds).astype(np.float64)
    centre, width = _first(ds.get("WindowCenter")), _first(ds.get("WindowWidth"))
    if centre is not None and width is not None and width > 1:
        low, high = centre - width / 2, centre + width / 2
    else:
        low, high = (float(v) for v in np.percentile(values, (1, 99)))
    if high <= low:
        high = low + 1
    scaled = np.clip((values - low) / (high - low), 0, 1) * 255
    if str(ds.get("PhotometricInterpretation", "")).upper() == "MONOCHROME1":
        scaled = 255 - scaled
    return scaled.astype(np.uint8)


def _colour(frame: Any, ds: Any) -> Any:
    import numpy as np
    from pydicom.pixels import apply_color_lut

    if str(ds.get("PhotometricInterpretation", "")).upper() == "PALETTE COLOR":
        frame = apply_color_lut(frame, ds)
    if frame.dtype != np.uint8:
        top = float(frame.max()) or 1.0
        frame = (frame.astype(np.float64) / top * 255).astype(np.uint8)
    return frame


def picture_job(path: str) -> bytes:
    """In the child: the picture of the DICOM image at `path`, as PNG bytes."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # odd header values: drawn all the same
        return _picture(path)


def _picture(path: str) -> bytes:
    import pydicom
    from PIL import Image
    from pydicom.pixels import pixel_array

    try:
        ds = pydicom.dcmread(path, stop_before_pixels=True)
        rows, columns = int(ds.get("Rows") or 0), int(ds.get("Columns") or 0)
        samples = int(ds.get("SamplesPerPixel") or 1)
        frames = max(1, int(ds.get("NumberOfFrames") or 1))
    except Exception:
        raise Refused(NOT_DRAWN) from None
    if rows <= 0 or columns <= 0:
        raise Refused(NO_IMAGE)
    if rows * columns * max(1, samples) > MAX_PIXELS:
        raise Refused(TOO_LARGE)
    syntax = str(ds.file_meta.get("TransferSyntaxUID", ""))
    if not _has_decoder(syntax):
        raise Refused(NO_DECODER)
    try:
        frame = pixel_array(path, index=frames // 2)
        if frame.ndim == 3 and samples == 1:
            frame = frame[0]
        drawn = _grey(frame, ds) if samples == 1 else _colour(frame, ds)
        image = Image.fromarray(drawn)
    except Exception:  # a damaged image, or a decoder's own complaint
        raise Refused(NOT_DRAWN) from None
    image.thumbnail((PICTURE_SIZE, PICTURE_SIZE))
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()
