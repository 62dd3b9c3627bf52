"""Page count and text of a PDF, with pypdfium2.

The ingest issue moves this into a child process with time and memory limits and adds a
second extractor; until then it runs in-process on the worker thread.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.ingest.refusal import Refused


@dataclass(frozen=True)
class PdfText:
    pages: int
    text: str


def read_pdf(data: bytes, password: str | None = None) -> PdfText:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data, password=password)
    except pdfium.PdfiumError as exc:
        message = str(exc).lower()
        if "password" in message:
            if password is None:
                raise Refused("The PDF is protected by a password.") from None
            raise Refused("The PDF's password was not accepted.") from None
        raise Refused("This is not a readable PDF (it may be damaged or incomplete).") from None
    try:
        pages: list[str] = []
        for index in range(len(pdf)):
            page = pdf[index]
            try:
                textpage = page.get_textpage()
                pages.append(textpage.get_text_bounded())
                textpage.close()
            finally:
                page.close()
        return PdfText(len(pages), "\n\f".join(pages))
    finally:
        pdf.close()
