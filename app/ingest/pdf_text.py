"""Page count, text and first-page thumbnail of a PDF, read in a sandbox child; and its
pages drawn for OCR.

pypdfium2 reads first; when it cannot open the file, pdfminer.six tries (it copes with some
damaged files pdfium rejects). When pypdfium2 crashes or loops, the child is killed and a
fresh one tries pdfminer alone. A PDF either comes back whole or is refused with a reason:
never half-read. An encrypted PDF needs its password. The thumbnail is drawn by the same
child from the PDF it has open for the text, not by a second one opening it again.

The `*_job` functions run in the child (see `app.ingest.sandbox`); `read_pdf` and
`page_source` are what the rest of the app calls.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from app.ingest.ocr_pool import PageSource
from app.ingest.page_cleanup import PreparedPage
from app.ingest.refusal import Refused
from app.ingest.sandbox import Crashed, JobFailed, Sandbox, TimedOut, shared
from app.progress import CancelFlag

TIME_LIMIT = 120.0  # seconds to read one PDF's text; real records take well under one
THUMBNAIL_WIDTH = 200  # pixels
OCR_DPI = 300
MAX_RENDER_PIXELS = 40_000_000  # a poster-sized page is scaled down to this for OCR

NEEDS_PASSWORD = "The PDF is protected by a password. Give its password to import it."
WRONG_PASSWORD = "The PDF's password was not accepted. Check it and try again."
UNREADABLE = "This is not a readable PDF (it may be damaged or incomplete)."


@dataclass(frozen=True)
class PdfText:
    page_texts: tuple[str, ...]
    extractor: str  # "pdfium" or "pdfminer": which reader produced the text
    thumbnail: bytes | None = None  # PNG of the first page
    attachments: int = 0  # files attached inside the PDF: kept with it, never opened

    @property
    def pages(self) -> int:
        return len(self.page_texts)

    @property
    def text(self) -> str:
        return "\n\f".join(self.page_texts)


def read_pdf(
    data: bytes,
    password: str | None = None,
    *,
    timeout: float = TIME_LIMIT,
    cancel: CancelFlag | None = None,
    sandbox: Sandbox | None = None,
    thumbnail: bool = True,
) -> PdfText:
    """The PDF's text page by page, and its first page as a thumbnail when asked and it can
    be drawn; raises `Refused` with a reason a person understands."""
    box = sandbox or shared()
    try:
        result: PdfText = box.call(
            "app.ingest.pdf_text:pdfium_job",
            data,
            password,
            thumbnail,
            timeout=timeout,
            cancel=cancel,
        )
        return result
    except (Crashed, TimedOut, JobFailed, MemoryError):
        pass  # pdfium crashed, looped or blew its memory: a fresh child tries pdfminer
    try:
        result = box.call(
            "app.ingest.pdf_text:pdfminer_job", data, password, timeout=timeout, cancel=cancel
        )
        return result
    except TimedOut:
        raise Refused("Reading this PDF took too long; it may be damaged.") from None
    except MemoryError:
        raise Refused("This PDF needs more memory than is safe to read it.") from None
    except (Crashed, JobFailed):
        raise Refused(UNREADABLE) from None


def page_source(data: bytes, password: str | None, dpi: int = OCR_DPI) -> PageSource:
    """How the OCR pool draws this PDF's pages (in its own sandbox children)."""
    return PageSource("app.ingest.pdf_text:page_job", data, (password, dpi))


# ---- in the child -----------------------------------------------------------------------


def _open_pdfium(data: bytes, password: str | None) -> object:
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(data, password=password)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise Refused(NEEDS_PASSWORD if password is None else WRONG_PASSWORD) from None
        raise


def pdfium_job(data: bytes, password: str | None, thumbnail: bool = False) -> PdfText:
    """Text with pypdfium2, and the first page's thumbnail from the page already loaded;
    pdfminer when pdfium cannot open the file at all."""
    import pypdfium2 as pdfium

    try:
        pdf = _open_pdfium(data, password)
    except pdfium.PdfiumError:
        return pdfminer_job(data, password)
    assert isinstance(pdf, pdfium.PdfDocument)
    try:
        texts: list[str] = []
        picture: bytes | None = None
        for index in range(len(pdf)):
            page = pdf[index]
            try:
                textpage = page.get_textpage()
                texts.append(_clean(textpage.get_text_range()))
                textpage.close()
                if index == 0 and thumbnail:
                    picture = _thumbnail(page)
            finally:
                page.close()
        return PdfText(tuple(texts), "pdfium", picture, _attachments(pdf))
    finally:
        pdf.close()


def pdfminer_job(data: bytes, password: str | None) -> PdfText:
    """Text with pdfminer.six, page by page."""
    from pdfminer.converter import TextConverter
    from pdfminer.layout import LAParams
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage

    out = io.StringIO()
    manager = PDFResourceManager()
    device = TextConverter(manager, out, laparams=LAParams())
    interpreter = PDFPageInterpreter(manager, device)
    texts: list[str] = []
    try:
        for page in PDFPage.get_pages(io.BytesIO(data), password=password or ""):
            interpreter.process_page(page)
            texts.append(_clean(out.getvalue()))
            out.seek(0)
            out.truncate()
    except PDFPasswordIncorrect:
        raise Refused(NEEDS_PASSWORD if password is None else WRONG_PASSWORD) from None
    except Exception as exc:
        if "encrypt" in str(exc).lower() or "password" in str(exc).lower():
            raise Refused(NEEDS_PASSWORD if password is None else WRONG_PASSWORD) from None
        raise Refused(UNREADABLE) from None
    finally:
        device.close()
    if not texts:
        raise Refused("This PDF has no pages.")
    return PdfText(tuple(texts), "pdfminer")


def page_job(
    key: str, data: bytes | None, password: str | None, dpi: int, index: int, clean: bool
) -> PreparedPage:
    """Page `index` drawn at `dpi` (a poster-sized page is scaled down), greyscale, and made
    ready for tesseract. The PDF is opened once per child and kept for its next pages."""
    import pypdfium2 as pdfium

    from app.ingest.page_cleanup import keep, kept, prepare

    if data is not None:
        keep(key, _open_pdfium(data, password))
    pdf = kept(key)
    assert isinstance(pdf, pdfium.PdfDocument)
    page = pdf[index]
    try:
        width, height = page.get_size()
        scale = dpi / 72
        area = max(width * height * scale * scale, 1.0)
        if area > MAX_RENDER_PIXELS:
            scale *= (MAX_RENDER_PIXELS / area) ** 0.5
        image = page.render(scale=scale, grayscale=True).to_pil().convert("L")
    finally:
        page.close()
    return prepare(image, max(round(scale * 72), 1), clean)


def _thumbnail(page: Any) -> bytes | None:
    """The page, THUMBNAIL_WIDTH pixels wide, as PNG bytes; None if it cannot be drawn."""
    try:
        width, height = page.get_size()
        if width <= 0 or height <= 0:
            return None
        scale = THUMBNAIL_WIDTH / width
        if height * scale > THUMBNAIL_WIDTH * 4:  # a long strip: cap its height
            scale = THUMBNAIL_WIDTH * 4 / height
        image = page.render(scale=scale).to_pil().convert("RGB")
        out = io.BytesIO()
        image.save(out, "PNG", compress_level=1)  # small either way; level 6 took 3x longer
        return out.getvalue()
    except Exception:
        return None


def _attachments(pdf: object) -> int:
    """How many files are attached: counted, never opened. (pdfium runs no JavaScript: the
    form environment that would run it is never initialised.)"""
    try:
        return int(pdf.count_attachments())  # type: ignore[attr-defined]
    except Exception:
        return 0


def _clean(text: str) -> str:
    # pdfium reports line ends as \r\n and may leave NULs from broken fonts.
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
