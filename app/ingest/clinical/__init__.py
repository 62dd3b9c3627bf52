"""Reading cancer facts from a report's text: diagnosis, grade, stage, biomarkers,
treatments and plan, each with the span it came from and how sure the report is of it.

Pure: text in, facts out (no database, no records). `read_report` is the entry point;
`title_from_text` names a document from its own heading.
"""

from app.ingest.clinical.dates import text_date
from app.ingest.clinical.model import BIOMARKERS, KEYS, Certainty, Finding, ReportReading
from app.ingest.clinical.report import read_report
from app.ingest.clinical.titles import title_from_text

__all__ = [
    "BIOMARKERS",
    "KEYS",
    "Certainty",
    "Finding",
    "ReportReading",
    "read_report",
    "text_date",
    "title_from_text",
]
