"""Requests for records sent to a doctor's office or a hospital's records department.

Patients must ask for their records and wait; this keeps track of what was asked, from
whom, how, and what arrived.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from app.records.dates import earliest, now_iso, optional_date, today_iso
from app.records.errors import InvalidValue, NotFound
from app.vault.binder import Binder

# Records departments usually answer within two weeks; after that a gentle reminder helps.
OVERDUE_AFTER_DAYS = 14


class RequestStatus(StrEnum):
    TO_REQUEST = "to_request"
    REQUESTED = "requested"
    RECEIVED = "received"
    REFUSED = "refused"

    @property
    def label(self) -> str:
        return {
            "to_request": "To request",
            "requested": "Requested",
            "received": "Received",
            "refused": "Refused",
        }[self.value]


METHODS = ("Patient portal", "Fax", "Form", "In person", "Phone", "Email", "Mail")

# Physical items a request can ask for, with the words the tracker and letters use.
ITEMS: dict[str, str] = {
    "slides": "slides",
    "blocks": "blocks",
    "disc": "imaging disc",
}
PATHOLOGY_ITEMS = ("slides", "blocks")


def items_words(items: tuple[str, ...]) -> str:
    """'slides and blocks', 'slides, blocks and imaging disc'."""
    words = [ITEMS[i] for i in ITEMS if i in items]
    if len(words) < 2:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


_ITEM_WORDS = {
    "slide": "slides", "slides": "slides", "block": "blocks", "blocks": "blocks",
    "disc": "disc", "discs": "disc", "disk": "disc", "cd": "disc", "dvd": "disc",
}  # fmt: skip


def parse_items(text: str | list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """'slides,blocks' or ['disc'] as known item names, in a fixed order."""
    wanted = text.split(",") if isinstance(text, str) else list(text)
    words = [w.strip().lower() for w in wanted if w.strip()]
    unknown = [w for w in words if w not in _ITEM_WORDS]
    if unknown:
        raise InvalidValue(f"{', '.join(unknown)}: a request can ask for slides, blocks or a disc.")
    chosen = {_ITEM_WORDS[w] for w in words}
    return tuple(item for item in ITEMS if item in chosen)


@dataclass(frozen=True)
class RecordsRequest:
    id: int
    person_id: int
    facility: str
    department: str
    contact: str
    what: str
    requested_on: str | None
    method: str
    status: RequestStatus
    received_on: str | None
    notes: str
    checklist_item: str
    document_ids: tuple[int, ...] = ()
    # Physical items (issue 19): slides, blocks, a disc; sent by courier, maybe returned.
    items: tuple[str, ...] = ()
    case_number: str = ""
    ship_to: str = ""  # where they must be sent: the second-opinion center's pathology lab
    tracking: str = ""  # the courier's tracking number
    sent_on: str | None = None  # when the lab sent them
    return_needed: bool = False
    returned_on: str | None = None

    @property
    def physical(self) -> bool:
        return bool(self.items)

    @property
    def for_pathology(self) -> bool:
        """Slides or blocks: the letter goes to the pathology department."""
        return any(item in PATHOLOGY_ITEMS for item in self.items)

    @property
    def sent(self) -> bool:
        """The items are on their way or have arrived."""
        return self.sent_on is not None or self.status is RequestStatus.RECEIVED

    def is_overdue(self, today: date | None = None) -> bool:
        if self.status is not RequestStatus.REQUESTED or not self.requested_on:
            return False
        today = today or date.today()
        return earliest(self.requested_on) + timedelta(days=OVERDUE_AFTER_DAYS) < today

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "facility": self.facility,
            "department": self.department,
            "contact": self.contact,
            "what": self.what,
            "requested_on": self.requested_on,
            "method": self.method,
            "status": self.status.value,
            "received_on": self.received_on,
            "notes": self.notes,
            "checklist_item": self.checklist_item,
            "document_ids": list(self.document_ids),
            "overdue": self.is_overdue(),
            "items": list(self.items),
            "case_number": self.case_number,
            "ship_to": self.ship_to,
            "tracking": self.tracking,
            "sent_on": self.sent_on,
            "return_needed": self.return_needed,
            "returned_on": self.returned_on,
        }


_SELECT = (
    "SELECT id, person_id, facility, department, contact, what, requested_on, method, status, "
    "received_on, notes, checklist_item, items, case_number, ship_to, tracking, sent_on, "
    "return_needed, returned_on FROM records_requests"
)


_FIELDS = (
    "id", "person_id", "facility", "department", "contact", "what", "requested_on", "method",
    "status", "received_on", "notes", "checklist_item", "items", "case_number", "ship_to",
    "tracking", "sent_on", "return_needed", "returned_on",
)  # fmt: skip


def _row(binder: Binder, row: tuple[Any, ...]) -> RecordsRequest:
    values: dict[str, Any] = dict(zip(_FIELDS, row, strict=True))
    values["status"] = RequestStatus(values["status"])
    values["items"] = tuple(i for i in values["items"].split(",") if i)
    values["return_needed"] = bool(values["return_needed"])
    docs = binder.db.execute(
        "SELECT document_id FROM records_request_documents WHERE request_id = ? "
        "ORDER BY document_id",
        [row[0]],
    )
    return RecordsRequest(**values, document_ids=tuple(r[0] for r in docs))


def add_request(
    binder: Binder,
    person_id: int,
    facility: str,
    what: str,
    department: str = "",
    contact: str = "",
    requested_on: str | None = None,
    method: str = "",
    status: RequestStatus | None = None,
    checklist_item: str = "",
    notes: str = "",
    items: str | tuple[str, ...] | list[str] = (),
    case_number: str = "",
    ship_to: str = "",
    tracking: str = "",
    return_needed: bool = False,
) -> RecordsRequest:
    if not facility.strip():
        raise InvalidValue("Say which office or hospital the records are asked from.")
    try:
        asked = optional_date(requested_on)
    except ValueError as exc:
        raise InvalidValue(str(exc)) from None
    chosen_items = parse_items(items)
    chosen = status or (RequestStatus.REQUESTED if asked else RequestStatus.TO_REQUEST)
    now = now_iso()
    with binder.transaction() as db:
        cursor = db.execute(
            "INSERT INTO records_requests (person_id, facility, department, contact, what, "
            "requested_on, method, status, notes, checklist_item, items, case_number, ship_to, "
            "tracking, return_needed, created, updated) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                person_id,
                facility.strip(),
                department.strip(),
                contact.strip(),
                what.strip(),
                asked,
                method.strip(),
                chosen.value,
                notes.strip(),
                checklist_item,
                ",".join(chosen_items),
                case_number.strip(),
                ship_to.strip(),
                tracking.strip(),
                int(return_needed),
                now,
                now,
            ],
        )
        request_id = int(cursor.lastrowid or 0)
    return get_request(binder, request_id)


def get_request(binder: Binder, request_id: int) -> RecordsRequest:
    row = binder.db.execute(f"{_SELECT} WHERE id = ?", [request_id]).fetchone()
    if row is None:
        raise NotFound(f"There is no records request with id {request_id}.")
    return _row(binder, row)


def list_requests(binder: Binder, person_id: int) -> list[RecordsRequest]:
    rows = binder.db.execute(
        f"{_SELECT} WHERE person_id = ? ORDER BY requested_on IS NULL, requested_on, id",
        [person_id],
    ).fetchall()
    return [_row(binder, row) for row in rows]


def mark_requested(
    binder: Binder, request_id: int, on: str | None = None, method: str | None = None
) -> RecordsRequest:
    get_request(binder, request_id)
    try:
        asked = optional_date(on) or today_iso()
    except ValueError as exc:
        raise InvalidValue(str(exc)) from None
    with binder.transaction() as db:
        db.execute(
            "UPDATE records_requests SET status = 'requested', requested_on = ?, "
            "method = coalesce(?, method), updated = ? WHERE id = ?",
            [asked, method, now_iso(), request_id],
        )
    return get_request(binder, request_id)


def mark_received(
    binder: Binder,
    request_id: int,
    document_ids: list[int] | tuple[int, ...] = (),
    on: str | None = None,
) -> RecordsRequest:
    """The records arrived: status Received, the date, and the documents they became."""
    request = get_request(binder, request_id)
    try:
        received = optional_date(on) or today_iso()
    except ValueError as exc:
        raise InvalidValue(str(exc)) from None
    with binder.transaction() as db:
        for doc_id in document_ids:
            owner = db.execute("SELECT person_id FROM documents WHERE id = ?", [doc_id]).fetchone()
            if owner is None or owner[0] != request.person_id:
                raise InvalidValue(f"Document {doc_id} is not one of this person's documents.")
            db.execute(
                "INSERT OR IGNORE INTO records_request_documents (request_id, document_id) "
                "VALUES (?, ?)",
                [request_id, doc_id],
            )
        db.execute(
            "UPDATE records_requests SET status = 'received', received_on = ?, updated = ? "
            "WHERE id = ?",
            [received, now_iso(), request_id],
        )
    return get_request(binder, request_id)


def set_status(binder: Binder, request_id: int, status: RequestStatus) -> RecordsRequest:
    get_request(binder, request_id)
    with binder.transaction() as db:
        db.execute(
            "UPDATE records_requests SET status = ?, updated = ? WHERE id = ?",
            [status.value, now_iso(), request_id],
        )
    return get_request(binder, request_id)


def delete_request(binder: Binder, request_id: int) -> None:
    get_request(binder, request_id)
    with binder.transaction() as db:
        db.execute("DELETE FROM records_requests WHERE id = ?", [request_id])


_EDITABLE = (
    "facility", "department", "contact", "what", "method", "notes", "checklist_item",
    "case_number", "ship_to", "tracking",
)  # fmt: skip
_DATES = ("requested_on", "received_on", "sent_on", "returned_on")


def update_request(binder: Binder, request_id: int, **changes: Any) -> RecordsRequest:
    """Correct what was written about a request (facility, what, date asked, how...)."""
    unknown = set(changes) - {*_EDITABLE, *_DATES, "status", "items", "return_needed"}
    if unknown:
        raise InvalidValue(f"These facts cannot be edited: {', '.join(sorted(unknown))}.")
    get_request(binder, request_id)
    values: dict[str, Any] = {}
    for key, value in changes.items():
        if key in _DATES:
            try:
                values[key] = optional_date(value)
            except ValueError as exc:
                raise InvalidValue(str(exc)) from None
        elif key == "items":
            values[key] = ",".join(parse_items(value))
        elif key == "return_needed":
            values[key] = int(bool(value))
        elif key == "status":
            values[key] = RequestStatus(value).value
        else:
            values[key] = str(value).strip()
    if "facility" in values and not values["facility"]:
        raise InvalidValue("Say which office or hospital the records are asked from.")
    values["updated"] = now_iso()
    assignments = ", ".join(f"{column} = ?" for column in values)
    with binder.transaction() as db:
        db.execute(
            f"UPDATE records_requests SET {assignments} WHERE id = ?",
            [*values.values(), request_id],
        )
    return get_request(binder, request_id)


def mark_sent(
    binder: Binder, request_id: int, on: str | None = None, tracking: str | None = None
) -> RecordsRequest:
    """The lab sent the items (slides, blocks, a disc): when, and the courier's number."""
    request = get_request(binder, request_id)
    if not request.physical:
        raise InvalidValue("Only a request for slides, blocks or a disc is sent by courier.")
    try:
        sent = optional_date(on) or today_iso()
    except ValueError as exc:
        raise InvalidValue(str(exc)) from None
    status = request.status
    if status in (RequestStatus.TO_REQUEST, RequestStatus.REFUSED):
        status = RequestStatus.REQUESTED
    with binder.transaction() as db:
        db.execute(
            "UPDATE records_requests SET sent_on = ?, tracking = coalesce(?, tracking), "
            "status = ?, updated = ? WHERE id = ?",
            [sent, tracking.strip() if tracking else None, status.value, now_iso(), request_id],
        )
    return get_request(binder, request_id)


def mark_returned(binder: Binder, request_id: int, on: str | None = None) -> RecordsRequest:
    """Items that had to go back to the lab went back."""
    request = get_request(binder, request_id)
    if not request.return_needed:
        raise InvalidValue("This request does not say the items must go back.")
    try:
        returned = optional_date(on) or today_iso()
    except ValueError as exc:
        raise InvalidValue(str(exc)) from None
    with binder.transaction() as db:
        db.execute(
            "UPDATE records_requests SET returned_on = ?, updated = ? WHERE id = ?",
            [returned, now_iso(), request_id],
        )
    return get_request(binder, request_id)
