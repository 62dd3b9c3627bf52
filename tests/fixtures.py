"""Small real files made by the tests themselves (PDFs with reportlab, images with Qt-free
bytes), so no test depends on files nobody here wrote."""

from __future__ import annotations

import io
from pathlib import Path


def make_pdf(path: Path | None, *pages: str) -> bytes:
    """A real PDF with one page per string; written to `path` when given."""
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out)
    for text in pages or ("",):
        y = 760
        for line in text.splitlines() or [""]:
            pdf.drawString(72, y, line)
            y -= 16
        pdf.showPage()
    pdf.save()
    data = out.getvalue()
    if path is not None:
        path.write_bytes(data)
    return data


def make_encrypted_pdf(path: Path, text: str, password: str) -> bytes:
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out, encrypt=pdfencrypt.StandardEncryption(password, canPrint=1))
    pdf.drawString(72, 760, text)
    pdf.showPage()
    pdf.save()
    path.write_bytes(out.getvalue())
    return out.getvalue()
