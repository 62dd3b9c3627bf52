"""What a records-request letter says beyond the request itself: the dates of care wanted,
how the records should come (format), where to send them, and how to reach the patient.

Kept per request. The patient's contact is remembered from their last letter, so it is
typed once.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from app.records.dates import now_iso, optional_date
from app.records.errors import InvalidValue
from app.records.records_requests import get_request
from app.vault.binder import Binder

DELIVERY_FORMATS = (
    "PDF files, by secure e-mail or download",
    "Through the patient portal",
    "A CD or USB stick (scans with a viewer)",
    "Paper copies, by mail",
    "By fax",
)


@dataclass(frozen=True)
class LetterDetails:
    request_id: int
    records_from: str | None = None  # YYYY, YYYY-MM or YYYY-MM-DD
    records_to: str | None = None
    delivery: str = ""
    send_to: str = ""  # an address, e-mail or fax number; "" means the patient's contact
    patient_contact: str = ""  # address, phone, e-mail: how the office reaches the patient

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


_COLUMNS = ("request_id", "records_from", "records_to", "delivery", "send_to", "patient_contact")


def get_letter_details(binder: Binder, request_id: int) -> LetterDetails:
    """The letter's details; a new letter starts with the patient's contact from the last."""
    request = get_request(binder, request_id)
    row = binder.db.execute(
        f"SELECT {', '.join(_COLUMNS)} FROM request_letters WHERE request_id = ?", [request_id]
    ).fetchone()
    if row is not None:
        return LetterDetails(*row)
    last = binder.db.execute(
        "SELECT l.patient_contact FROM request_letters l JOIN records_requests r "
        "ON r.id = l.request_id WHERE r.person_id = ? AND l.patient_contact != '' "
        "ORDER BY l.updated DESC LIMIT 1",
        [request.person_id],
    ).fetchone()
    return LetterDetails(request_id, patient_contact=last[0] if last else "")


def save_letter_details(binder: Binder, request_id: int, **details: Any) -> LetterDetails:
    unknown = set(details) - set(_COLUMNS[1:])
    if unknown:
        raise InvalidValue(f"A letter has no {', '.join(sorted(unknown))}.")
    current = get_letter_details(binder, request_id).to_json()
    for key, value in details.items():
        if key in ("records_from", "records_to"):
            try:
                current[key] = optional_date(value)
            except ValueError as exc:
                raise InvalidValue(str(exc)) from None
        else:
            current[key] = str(value or "").strip()
    first, last = current["records_from"], current["records_to"]
    if first and last and last < first:
        raise InvalidValue("The last date of care is before the first one.")
    with binder.transaction() as db:
        db.execute(
            f"INSERT OR REPLACE INTO request_letters ({', '.join(_COLUMNS)}, updated) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [current[c] for c in _COLUMNS] + [now_iso()],
        )
    return get_letter_details(binder, request_id)
