"""The recovery sheet: how to open this binder on a new computer, printed to keep safe.

It never holds the passphrase unless the person asks for it to be printed; by default it
has a line to write it by hand. It names no person and no medical fact.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path


def recovery_sheet_pdf(
    binder_id: str, data_dir: Path, created: str, passphrase: str | None = None
) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import ListFlowable, Paragraph, SimpleDocTemplate, Spacer, Table

    styles = getSampleStyleSheet()
    body = styles["BodyText"]
    body.fontSize, body.leading = 11, 15
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        title="CareBinder recovery sheet",
        leftMargin=2.2 * cm,
        rightMargin=2.2 * cm,
    )
    written = passphrase if passphrase else ""
    story = [
        Paragraph("CareBinder recovery sheet", styles["Title"]),
        Paragraph(
            "Keep this sheet somewhere safe, away from the computer: with your passport or "
            "in a drawer at a relative's. With it and a backup, your binder can be opened "
            "on any computer.",
            body,
        ),
        Spacer(1, 12),
        Table(
            [
                ["Binder", binder_id],
                ["Created", created[:10]],
                ["Kept on this computer in", str(data_dir)],
                ["Sheet printed", date.today().isoformat()],
            ],
            colWidths=[5 * cm, 11.5 * cm],
        ),
        Spacer(1, 18),
        Paragraph("<b>Recovery passphrase</b>", body),
        Spacer(1, 6),
        Table(
            [[written or " "]],
            colWidths=[16.5 * cm],
            rowHeights=[1.4 * cm],
            style=[
                ("LINEBELOW", (0, 0), (-1, -1), 0.8, "black"),
                ("FONTSIZE", (0, 0), (-1, -1), 14),
            ],
        ),
        Paragraph(
            "Write it here by hand, exactly as you typed it."
            if not passphrase
            else "Printed at your request. Anyone holding this sheet and a backup can open "
            "your binder: keep it safe.",
            styles["Italic"],
        ),
        Spacer(1, 18),
        Paragraph("<b>To open your binder on a new computer</b>", body),
        ListFlowable(
            [
                Paragraph("Install CareBinder.", body),
                Paragraph(
                    "On its first start, choose <i>Restore from a backup...</i>, pick your "
                    "latest backup file (it ends in .cbbackup) and type the passphrase.",
                    body,
                ),
                Paragraph(
                    "Or copy the whole binder folder to the new computer and start "
                    "CareBinder: it asks for the passphrase once, then remembers it.",
                    body,
                ),
                Paragraph(
                    "From a terminal: <font face='Courier'>carebinder restore FILE</font>.",
                    body,
                ),
            ],
            bulletType="1",
        ),
        Spacer(1, 12),
        Paragraph(
            "Without the passphrase nobody can open the binder or its backups, not even the "
            "makers of CareBinder.",
            body,
        ),
    ]
    doc.build(story)
    return out.getvalue()
