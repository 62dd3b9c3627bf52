"""The recovery sheet: how to open this binder on a new computer, printed to keep safe.

It never holds the passphrase unless the person asks for it to be printed; by default it
has a line to write it by hand. It names no person and no medical fact. Drawn in the house
style of app/export/pdf_toolkit.py, on a letter page like every sheet.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from app.export.pdf_toolkit import WIDTH, facts_table, p, styles


def recovery_sheet_pdf(
    binder_id: str, data_dir: Path, created: str, passphrase: str | None = None
) -> bytes:
    from reportlab.lib.pagesizes import letter
    from reportlab.platypus import ListFlowable, SimpleDocTemplate, Spacer, Table

    st = styles()
    body = st["body"]
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=letter,
        title="CareBinder recovery sheet",
        author="CareBinder",
        creator="CareBinder",
        leftMargin=54,
        rightMargin=54,
        topMargin=50,
        bottomMargin=58,
    )
    story = [
        p("CareBinder recovery sheet", st["title"]),
        p(
            "Keep this sheet somewhere safe, away from the computer: with your passport or "
            "in a drawer at a relative's. With it and a backup, your binder can be opened "
            "on any computer.",
            body,
        ),
        Spacer(1, 12),
        facts_table(
            [
                ("Binder", binder_id),
                ("Created", created[:10]),
                ("Kept on this computer in", str(data_dir)),
                ("Sheet printed", date.today().isoformat()),
            ],
            st,
            WIDTH,
            label_width=2.2 * 72,
        ),
        p("Recovery passphrase", st["h2"]),
        Table(
            [[p(passphrase or " ", st["question"])]],
            colWidths=[WIDTH],
            rowHeights=[0.55 * 72],
            style=[
                ("LINEBELOW", (0, 0), (-1, -1), 0.8, "black"),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ],
        ),
        Spacer(1, 4),
        p(
            "Write it here by hand, exactly as you typed it."
            if not passphrase
            else "Printed at your request. Anyone holding this sheet and a backup can open "
            "your binder: keep it safe.",
            st["muted"],
        ),
        p("To open your binder on a new computer", st["h2"]),
        ListFlowable(
            [
                p("Install CareBinder.", body),
                p(
                    "On its first start, choose “Restore from a backup...”, pick your latest "
                    "backup file (it ends in .cbbackup) and type the passphrase.",
                    body,
                ),
                p(
                    "Or copy the whole binder folder to the new computer and start "
                    "CareBinder: it asks for the passphrase once, then remembers it.",
                    body,
                ),
                p("From a terminal: carebinder restore FILE", body),
            ],
            bulletType="1",
        ),
        Spacer(1, 12),
        p(
            "Without the passphrase nobody can open the binder or its backups, not even the "
            "makers of CareBinder.",
            body,
        ),
    ]
    doc.build(story)
    return out.getvalue()
