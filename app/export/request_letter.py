"""A records-request letter, ready to sign: to a facility's records department, asking for
named records for named dates, in a named format, sent to a named place.

One letter-size page, black on white (it is faxed and photocopied), in the house style of
app/export/pdf_toolkit.py.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from typing import Any

from app.export.facts import long_date
from app.export.pdf_toolkit import WIDTH, fonts, p, printable
from app.records.models import Person
from app.records.people import get_person
from app.records.records_requests import RecordsRequest, get_request
from app.records.request_letters import LetterDetails, get_letter_details
from app.vault.binder import Binder


@dataclass(frozen=True)
class Letter:
    person: Person
    request: RecordsRequest
    details: LetterDetails
    written_on: date


def letter_for(binder: Binder, request_id: int, written_on: date | None = None) -> Letter:
    request = get_request(binder, request_id)
    return Letter(
        person=get_person(binder, request.person_id),
        request=request,
        details=get_letter_details(binder, request_id),
        written_on=written_on or date.today(),
    )


def dates_words(details: LetterDetails) -> str:
    first, last = details.records_from, details.records_to
    if first and last:
        return f"From {long_date(first)} to {long_date(last)}"
    if first:
        return f"From {long_date(first)} to today"
    if last:
        return f"All records up to {long_date(last)}"
    return "All dates"


def _styles(scale: float) -> dict[str, Any]:
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle

    regular, bold = fonts()

    def style(name: str, size: float, leading: float, font: str = regular) -> Any:
        # Pure black: letters are faxed and photocopied, where grey ink fades.
        return ParagraphStyle(
            name,
            fontName=font,
            fontSize=size * scale,
            leading=leading * scale,
            textColor=colors.black,
        )

    return {
        "body": style("body", 10.5, 14.5),
        "small": style("small", 9, 12),
        "sender": style("sender", 10, 13),
        "subject": style("subject", 12, 16, bold),
        "label": style("label", 10, 13.5, bold),
        "value": style("value", 10, 13.5),
    }


def _rows(letter: Letter) -> list[tuple[str, str]]:
    person, request, details = letter.person, letter.request, letter.details
    born = long_date(person.born) if person.born else "________________"
    send_to = details.send_to or details.patient_contact or "________________________________"
    return [
        ("Patient", person.name),
        ("Date of birth", born),
        ("Records wanted", request.what or "My complete medical record"),
        ("Dates of care", dates_words(details)),
        ("Format", details.delivery or "PDF files, by secure e-mail or download"),
        ("Send them to", send_to),
    ]


@dataclass(frozen=True)
class Wording:
    """What changes between the records department's letter and the pathology lab's."""

    department: str
    subject: str
    salutation: str
    opening: str
    rows: list[tuple[str, str]]
    closing: str


def _records_wording(letter: Letter, reach: str) -> Wording:
    return Wording(
        "Medical Records Department",
        f"Request for copies of medical records: {letter.person.name}",
        "Dear Records Department,",
        "I am asking for copies of my medical records, as is my right as a patient. I need "
        "them for a second opinion about my care, so I would be grateful to have them as "
        "soon as you can. The details are below.",
        _rows(letter),
        "Please include the reports and letters themselves (pathology, operative, imaging "
        "and laboratory reports, clinic notes and discharge summaries), not only a list. "
        f"If there is a fee, or if you need your own authorization form signed, please "
        f"tell me {reach} before sending anything, and I will reply quickly.",
    )


def _pathology_wording(letter: Letter, reach: str) -> Wording:
    """For the pathology department: the glass slides (H&E and immunostains) and a
    representative block of a named case, sent to the second-opinion center's pathologists."""
    person, request, details = letter.person, letter.request, letter.details
    born = long_date(person.born) if person.born else "________________"
    blank = "________________________________"
    wanted = []
    if "slides" in request.items:
        wanted.append("all the glass slides: the H&E slides and every immunostain")
    if "blocks" in request.items:
        wanted.append("a representative paraffin block (the one the diagnosis was made on)")
    if "disc" in request.items:
        wanted.append("the imaging on a disc")
    rows = [
        ("Patient", person.name),
        ("Date of birth", born),
        ("Case number", request.case_number or blank),
        ("Material wanted", ("; ".join(wanted) + ".")[:1].upper() + ("; ".join(wanted) + ".")[1:]),
        ("Send them to", request.ship_to or details.send_to or blank),
    ]
    if request.what:
        rows.insert(3, ("About", request.what))
    if request.return_needed:
        rows.append(
            (
                "Return",
                "The block will be returned to you after the review: please say where, and "
                "by when, in the package.",
            )
        )
    return Wording(
        "Pathology Department",
        f"Request for pathology slides and blocks: {person.name}",
        "Dear Pathology Department,",
        "I am seeking a second opinion about my diagnosis. The pathologists of the center "
        "giving it need to review the tissue themselves, so I am asking you to send them the "
        "slides and a block of the case below. I would be grateful if they could be sent "
        "as soon as you can.",
        rows,
        "Please enclose a copy of the pathology report with the material, and send me the "
        "courier's tracking number. If there is a fee, or if you need your own authorization "
        f"form signed, please tell me {reach} before sending anything, and I will reply "
        "quickly.",
    )


def wording(letter: Letter) -> Wording:
    reach = "at the contact details above" if letter.details.patient_contact else "by phone"
    if letter.request.for_pathology:
        return _pathology_wording(letter, reach)
    return _records_wording(letter, reach if reach != "by phone" else "by phone or mail")


def letter_pdf(letter: Letter) -> bytes:
    """The letter on one page: when much is asked for, the type gets a little smaller
    rather than the signature going to a second page."""
    for scale in (1.0, 0.92, 0.85, 0.78, 0.7):
        pdf, pages = _letter_pdf(letter, scale)
        if pages == 1:
            break
    return pdf


def _letter_pdf(letter: Letter, scale: float) -> tuple[bytes, int]:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import letter as letter_size
    from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

    st = _styles(scale)

    def Spacer(width: float, height: float) -> Any:  # platypus's name, scaled
        from reportlab.platypus import Spacer as Space

        return Space(width, height * scale)

    person, request, details = letter.person, letter.request, letter.details
    story: list[Any] = []
    sender = [person.name, *[line for line in details.patient_contact.splitlines() if line]]
    story.append(p("\n".join(sender), st["sender"]))
    story.append(Spacer(1, 14))
    story.append(p(long_date(letter.written_on.isoformat()), st["body"]))
    story.append(Spacer(1, 14))
    words = wording(letter)
    to = [request.department or words.department, request.facility]
    if request.contact:
        to.append(request.contact)
    story.append(p("\n".join(to), st["body"]))
    story.append(Spacer(1, 16))
    story.append(p(words.subject, st["subject"]))
    story.append(Spacer(1, 8))
    story.append(p(words.salutation, st["body"]))
    story.append(Spacer(1, 6))
    story.append(p(words.opening, st["body"]))
    story.append(Spacer(1, 10))
    data = [[p(label, st["label"]), p(value, st["value"])] for label, value in words.rows]
    grid = Table(data, colWidths=[1.45 * 72, WIDTH - 1.45 * 72], hAlign="LEFT")
    grid.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BOX", (0, 0), (-1, -1), 0.8, colors.black),
                ("LINEBELOW", (0, 0), (-1, -2), 0.4, colors.black),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                ("LEFTPADDING", (0, 0), (-1, -1), 6),
                ("RIGHTPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    story.append(grid)
    story.append(Spacer(1, 10))
    story.append(p(words.closing, st["body"]))
    story.append(Spacer(1, 8))
    story.append(p("Thank you for your help.", st["body"]))
    story.append(Spacer(1, 30))
    signature = Table(
        [
            ["", "", ""],
            [
                p("Signature", st["small"]),
                "",
                p("Date", st["small"]),
            ],
        ],
        colWidths=[3.6 * 72, 0.5 * 72, WIDTH - 4.1 * 72],
        rowHeights=[22, None],
        hAlign="LEFT",
    )
    signature.setStyle(
        TableStyle(
            [
                ("LINEABOVE", (0, 1), (0, 1), 0.8, colors.black),
                ("LINEABOVE", (2, 1), (2, 1), 0.8, colors.black),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    story.append(signature)
    story.append(Spacer(1, 4))
    story.append(p(f"{person.name}, born {long_date(person.born)}", st["body"]))
    story.append(Spacer(1, 8))
    proxy = Table(
        [[""], [p("If signed for the patient: name, and relationship or authority", st["small"])]],
        colWidths=[4.6 * 72],
        rowHeights=[22, None],
        hAlign="LEFT",
    )
    proxy.setStyle(
        TableStyle(
            [("LINEABOVE", (0, 1), (0, 1), 0.8, colors.black), ("LEFTPADDING", (0, 0), (-1, -1), 0)]
        )
    )
    story.append(proxy)

    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=letter_size,
        leftMargin=54,
        rightMargin=54,
        topMargin=54,
        bottomMargin=54,
        title=printable(f"{words.subject} to {request.facility}"),
        author="CareBinder",
        creator="CareBinder",
    )
    doc.build(story)
    return out.getvalue(), doc.page


def request_letter_pdf(binder: Binder, request_id: int, written_on: date | None = None) -> bytes:
    return letter_pdf(letter_for(binder, request_id, written_on))
