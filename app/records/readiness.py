"""Is the binder ready for the second-opinion visit? A checklist of what that doctor needs.

Each line is ticked from what the binder holds and names the documents; a missing line says
what to do next, in plain words; a line can be marked not applicable, with a reason (no
surgery, so no operative report). The operative-report and discharge-summary lines follow
the clinical picture: due for a surgery it records, "not needed unless you had surgery"
otherwise, with a plain question asked once (app/records/checklist_questions.py). See
../shared/DOMAIN.md, "What a second-opinion visit needs".

One room, though long: every line of the checklist is judged from the same reading of the
person's records, and the lines sit together so they can be checked against DOMAIN.md in
one read.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum

from app.ingest.kinds import DocumentKind
from app.records.appointments import Appointment, AppointmentKind, list_appointments
from app.records.care_team import Doctor, list_doctors
from app.records.date_display import shown_date
from app.records.dates import now_iso
from app.records.documents import list_documents
from app.records.errors import InvalidValue
from app.records.medications import list_medications
from app.records.models import Document
from app.records.picture import ClinicalPicture, clinical_picture
from app.records.questions import list_questions
from app.records.records_requests import RecordsRequest, RequestStatus, list_requests
from app.vault.binder import Binder


class ItemState(StrEnum):
    PRESENT = "present"
    MISSING = "missing"
    REQUESTED = "requested"
    NOT_APPLICABLE = "not_applicable"
    NOT_NEEDED = "not_needed"  # nothing says it is needed; a question asks to be sure


@dataclass(frozen=True)
class ChecklistLine:
    key: str
    label: str
    kinds: tuple[DocumentKind, ...]
    missing_what: str  # "the operative report", for the sentence saying what to ask for
    role_words: tuple[str, ...]  # care-team roles whose institution holds these records


CHECKLIST: tuple[ChecklistLine, ...] = (
    ChecklistLine(
        "pathology",
        "Pathology report of every biopsy and surgery",
        (DocumentKind.PATHOLOGY,),
        "the pathology report of every biopsy and surgery",
        ("patholog",),
    ),
    ChecklistLine(
        "operative",
        "Operative report of every surgery",
        (DocumentKind.OPERATIVE,),
        "the operative report of every surgery",
        ("surgeon", "surgery"),
    ),
    ChecklistLine(
        "discharge",
        "Discharge summary of every hospital stay",
        (DocumentKind.DISCHARGE_SUMMARY,),
        "the discharge summary of every hospital stay",
        ("surgeon", "hospital"),
    ),
    ChecklistLine(
        "treatment_plan",
        "Summary of the current treatment plan",
        (DocumentKind.TREATMENT_PLAN,),
        "a written summary of the current treatment plan",
        ("treating", "oncolog"),
    ),
    ChecklistLine(
        "medications",
        "Medication history with doses and dates",
        (DocumentKind.MEDICATION_LIST,),
        "",
        (),
    ),
    ChecklistLine(
        "tests",
        "Imaging and lab results",
        (DocumentKind.IMAGING, DocumentKind.LAB_RESULT),
        "the imaging reports and lab results",
        ("radiolog", "imaging"),
    ),
    # issue 19: the physical material the second pathologist and radiologist re-read.
    ChecklistLine(
        "slides",
        "Pathology slides and blocks: sent by the pathology lab",
        (),
        "the slides and blocks",
        ("patholog",),
    ),
    ChecklistLine(
        "imaging_disc",
        "Imaging on a disc: every scan the second-opinion doctor will want to see",
        (),
        "a disc with your scans",
        ("radiolog", "imaging"),
    ),
    ChecklistLine("questions", "Questions for this doctor", (), "", ()),
)
CHECKLIST_KEYS = tuple(line.key for line in CHECKLIST)


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    label: str
    state: ItemState
    detail: str  # what is there, or what to do next
    documents: tuple[Document, ...] = ()
    requests: tuple[RecordsRequest, ...] = ()
    reason: str = ""  # why it was marked not applicable
    question: str = ""  # the question it asks (app.records.checklist_questions.ASKED)

    @property
    def done(self) -> bool:
        return self.state in (ItemState.PRESENT, ItemState.NOT_APPLICABLE, ItemState.NOT_NEEDED)


@dataclass(frozen=True)
class Readiness:
    appointment: Appointment | None
    items: tuple[ChecklistItem, ...] = field(default_factory=tuple)
    # What the records are for, as the clinical picture says it: "Invasive ductal carcinoma
    # of the left breast, stage IIA, checked by you" ("" when no cancer is recorded).
    diagnosis: str = ""

    @property
    def ready(self) -> int:
        return sum(1 for item in self.items if item.done)

    def item(self, key: str) -> ChecklistItem:
        return next(i for i in self.items if i.key == key)


def second_opinion_appointment(binder: Binder, person_id: int) -> Appointment | None:
    """The next planned second-opinion visit, if one is booked."""
    return second_opinion_of(list_appointments(binder, person_id, upcoming=True))


def second_opinion_of(upcoming: list[Appointment]) -> Appointment | None:
    """The first second-opinion visit among these upcoming ones."""
    return next((a for a in upcoming if a.kind is AppointmentKind.SECOND_OPINION), None)


def mark_not_applicable(binder: Binder, person_id: int, key: str, reason: str) -> None:
    if key not in CHECKLIST_KEYS:
        raise InvalidValue(f"{key!r} is not a line of the checklist.")
    if not reason.strip():
        raise InvalidValue("Say why it does not apply (for example: no surgery yet).")
    with binder.transaction() as db:
        db.execute(
            "INSERT INTO checklist_marks (person_id, item, reason, created) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (person_id, item) DO UPDATE SET reason = excluded.reason",
            [person_id, key, reason.strip(), now_iso()],
        )


def clear_mark(binder: Binder, person_id: int, key: str) -> None:
    """Undo "not applicable": the line is needed again (and its question, if it asks one,
    is asked again)."""
    from app.records.checklist_questions import QUESTIONS, forget_answer

    with binder.transaction() as db:
        db.execute("DELETE FROM checklist_marks WHERE person_id = ? AND item = ?", [person_id, key])
    if key in QUESTIONS:
        forget_answer(binder, person_id, QUESTIONS[key])


def _where_to_ask(line: ChecklistLine, doctors: list[Doctor], documents: list[Document]) -> str:
    for doctor in doctors:
        role = f"{doctor.role} {doctor.specialty}".casefold()
        if doctor.institution and any(word in role for word in line.role_words):
            return doctor.institution
    facilities = Counter(d.facility for d in documents if d.facility)
    if facilities:
        return facilities.most_common(1)[0][0]
    return "the hospital or clinic"


def _titles(documents: tuple[Document, ...]) -> str:
    shown = [f"{d.title} ({shown_date(d.date)})" if d.date else d.title for d in documents[:3]]
    more = f" and {len(documents) - 3} more" if len(documents) > 3 else ""
    return "; ".join(shown) + more


def readiness(
    binder: Binder, person_id: int, appointment_id: int | None = None, read_new: bool = True
) -> Readiness:
    """The checklist for this person's second-opinion visit (the next booked one, or the
    appointment given). `read_new=False` on the window's thread: the clinical picture as
    last read (app.records.picture)."""
    appointment = None
    if appointment_id is not None:
        from app.records.appointments import get_appointment

        appointment = get_appointment(binder, appointment_id)
    else:
        appointment = second_opinion_appointment(binder, person_id)
    documents = list_documents(binder, person_id)
    doctors = list_doctors(binder, person_id)
    picture = clinical_picture(binder, person_id, read_new)  # once, for every line using it
    requests = list_requests(binder, person_id)
    marks = dict(
        binder.db.execute(
            "SELECT item, reason FROM checklist_marks WHERE person_id = ?", [person_id]
        ).fetchall()
    )
    items = []
    for line in CHECKLIST:
        docs = tuple(d for d in documents if d.kind in line.kinds)
        open_requests = tuple(
            r
            for r in requests
            if r.checklist_item == line.key
            and r.status in (RequestStatus.TO_REQUEST, RequestStatus.REQUESTED)
        )
        if line.key == "medications":
            items.append(_medications_item(binder, person_id, line, docs, marks))
            continue
        if line.key == "questions":
            items.append(_questions_item(binder, person_id, line, appointment))
            continue
        if line.key in ("operative", "discharge"):
            where = _where_to_ask(line, doctors, documents)
            items.append(
                _asked_item(binder, person_id, line, docs, open_requests, marks, where, picture)
            )
            continue
        if line.key in ("slides", "imaging_disc"):
            items.append(_physical_item(binder, person_id, line, requests, marks, doctors))
            continue
        if line.key == "pathology" and docs:
            surgeries_after = [
                d
                for d in documents
                if d.kind is DocumentKind.OPERATIVE
                and d.date
                and all((p.date or "") < d.date for p in docs)
            ]
            if surgeries_after:
                where = _where_to_ask(line, doctors, documents)
                items.append(
                    ChecklistItem(
                        line.key,
                        line.label,
                        ItemState.MISSING,
                        f"The surgery of {shown_date(surgeries_after[-1].date)} has no pathology "
                        f"report yet. Ask the records department of {where} for it.",
                        docs,
                        open_requests,
                    )
                )
                continue
        if docs:
            items.append(
                ChecklistItem(line.key, line.label, ItemState.PRESENT, _titles(docs), docs)
            )
        elif open_requests:
            items.append(_requested(line, open_requests, ()))
        elif line.key in marks:
            items.append(
                ChecklistItem(
                    line.key,
                    line.label,
                    ItemState.NOT_APPLICABLE,
                    f"Not applicable: {marks[line.key]}",
                    reason=marks[line.key],
                )
            )
        else:
            where = _where_to_ask(line, doctors, documents)
            items.append(
                ChecklistItem(
                    line.key,
                    line.label,
                    ItemState.MISSING,
                    f"Ask the records department of {where} for {line.missing_what}.",
                )
            )
    return Readiness(appointment, tuple(items), _diagnosis_words(picture))


def _diagnosis_words(picture: ClinicalPicture) -> str:
    words = []
    for cancer in picture.cancers():
        checked = f", {cancer.check_words}" if cancer.check_words else ""
        words.append(f"{cancer.sentence}{checked}")
    return "; ".join(words)


def _asked_item(
    binder: Binder,
    person_id: int,
    line: ChecklistLine,
    docs: tuple[Document, ...],
    open_requests: tuple[RecordsRequest, ...],
    marks: dict[str, str],
    where: str,
    picture: ClinicalPicture,
) -> ChecklistItem:
    """The operative report (or discharge summary): due for a surgery (or hospital stay)
    the binder records, else not needed unless the person says there was one."""
    from app.records.checklist_questions import (
        ASKED,
        QUESTIONS,
        answers,
        surgeries_without_report,
    )

    question = QUESTIONS[line.key]
    said = answers(binder, person_id).get(question)
    ask = f"Ask the records department of {where} for {line.missing_what}."
    if line.key == "operative":
        missing = surgeries_without_report(picture, docs)
        if missing:
            one = len(missing) == 1
            listed = "; ".join(missing)
            detail = (
                f"{listed} has no operative report yet."
                if one
                else f"These surgeries have no operative report yet: {listed}."
            )
            if open_requests:
                return _requested(line, open_requests, docs)
            return ChecklistItem(
                line.key, line.label, ItemState.MISSING,
                f"{detail} Ask the records department of {where} for it.", docs,
            )  # fmt: skip
    if docs:
        return ChecklistItem(line.key, line.label, ItemState.PRESENT, _titles(docs), docs)
    if open_requests:
        return _requested(line, open_requests, docs)
    if line.key in marks:
        return ChecklistItem(
            line.key, line.label, ItemState.NOT_APPLICABLE, f"Not applicable: {marks[line.key]}",
            reason=marks[line.key],
        )  # fmt: skip
    if said is False:
        reason = ASKED[question].no
        return ChecklistItem(
            line.key, line.label, ItemState.NOT_APPLICABLE, f"Not needed: you said “{reason}”.",
            reason=reason, question=question,
        )  # fmt: skip
    if said is True:
        return ChecklistItem(line.key, line.label, ItemState.MISSING, ask, question=question)
    unless = "you had surgery" if line.key == "operative" else "you stayed in hospital"
    return ChecklistItem(
        line.key, line.label, ItemState.NOT_NEEDED,
        f"Not needed unless {unless}. {ASKED[question].text}", question=question,
    )  # fmt: skip


def _requested(
    line: ChecklistLine, open_requests: tuple[RecordsRequest, ...], docs: tuple[Document, ...]
) -> ChecklistItem:
    request = open_requests[0]
    if request.status is RequestStatus.REQUESTED:
        detail = f"Requested from {request.facility} on {shown_date(request.requested_on)}."
        if request.is_overdue():
            detail += " It has been a while: a call to the records department may help."
    else:
        detail = f"To request from {request.facility}."
    return ChecklistItem(line.key, line.label, ItemState.REQUESTED, detail, docs, open_requests)


def _medications_item(
    binder: Binder,
    person_id: int,
    line: ChecklistLine,
    docs: tuple[Document, ...],
    marks: dict[str, str],
) -> ChecklistItem:
    meds = list_medications(binder, person_id)
    if not meds:
        if line.key in marks:
            return ChecklistItem(
                line.key,
                line.label,
                ItemState.NOT_APPLICABLE,
                f"Not applicable: {marks[line.key]}",
                docs,
                reason=marks[line.key],
            )
        return ChecklistItem(
            line.key,
            line.label,
            ItemState.MISSING,
            "Add every medicine taken now and before, with its dose and dates, on the "
            "Medications page.",
            docs,
        )
    incomplete = [m.name for m in meds if not m.current_dose or not m.start_date]
    current = sum(1 for m in meds if m.still_taking)
    if incomplete:
        return ChecklistItem(
            line.key,
            line.label,
            ItemState.MISSING,
            f"Add the dose or the start date for: {', '.join(incomplete)}.",
            docs,
        )
    return ChecklistItem(
        line.key,
        line.label,
        ItemState.PRESENT,
        f"{len(meds)} medicines with doses and dates ({current} taken now).",
        docs,
    )


def _physical_item(
    binder: Binder,
    person_id: int,
    line: ChecklistLine,
    requests: list[RecordsRequest],
    marks: dict[str, str],
    doctors: list[Doctor],
) -> ChecklistItem:
    """Slides and blocks are ticked when the lab has sent them; imaging on a disc when a
    study is imported. Both are physical: a records request tracks them until then."""
    from app.records.imaging import list_studies

    wanted = ("slides", "blocks") if line.key == "slides" else ("disc",)
    asked = tuple(
        r
        for r in requests
        if (r.checklist_item == line.key or any(i in wanted for i in r.items))
        and r.status is not RequestStatus.REFUSED
    )
    if line.key == "imaging_disc":
        studies = list_studies(binder, person_id)
        if studies:
            shown = [
                f"{s.title} ({shown_date(s.date)})" if s.date else s.title for s in studies[:3]
            ]
            more = f" and {len(studies) - 3} more" if len(studies) > 3 else ""
            count = f"{len(studies)} stud{'ies' if len(studies) != 1 else 'y'} imported: "
            return ChecklistItem(
                line.key, line.label, ItemState.PRESENT, count + "; ".join(shown) + more
            )
    else:
        sent = [r for r in asked if r.sent]
        if sent:
            request = sent[0]
            when = f" on {shown_date(request.sent_on)}" if request.sent_on else ""
            detail = f"Sent by {request.facility}{when}"
            if request.ship_to:
                detail += f" to {request.ship_to}"
            if request.tracking:
                detail += f" (tracking number {request.tracking})"
            detail += "."
            if request.return_needed:
                detail += (
                    f" Returned to the lab on {shown_date(request.returned_on)}."
                    if request.returned_on
                    else " They must go back to the lab afterwards."
                )
            return ChecklistItem(line.key, line.label, ItemState.PRESENT, detail, (), tuple(sent))
    waiting = tuple(r for r in asked if not r.sent)
    if waiting:
        request = waiting[0]
        if request.status is RequestStatus.REQUESTED and request.requested_on:
            detail = f"Asked of {request.facility} on {shown_date(request.requested_on)}"
            detail += (
                ": waiting for the lab to send them."
                if line.key == "slides"
                else ": waiting for the disc."
            )
            if request.is_overdue():
                detail += " It has been a while: a call may help."
        else:
            detail = f"To ask of {request.facility}."
        return ChecklistItem(line.key, line.label, ItemState.REQUESTED, detail, (), waiting)
    if line.key in marks:
        return ChecklistItem(
            line.key,
            line.label,
            ItemState.NOT_APPLICABLE,
            f"Not applicable: {marks[line.key]}",
            reason=marks[line.key],
        )
    where = _where_to_ask(line, doctors, [])
    if line.key == "slides":
        detail = (
            f"Ask the pathology department of {where} to send the slides (H&E and "
            "immunostains) and a representative block to the second-opinion center's "
            "pathology department. Write the letter from Records requests."
        )
    else:
        detail = (
            f"Ask the imaging department of {where} for a disc of your scans, then import it "
            "(File > Import an imaging disc)."
        )
    return ChecklistItem(line.key, line.label, ItemState.MISSING, detail)


def _questions_item(
    binder: Binder, person_id: int, line: ChecklistLine, appointment: Appointment | None
) -> ChecklistItem:
    appointment_id = appointment.id if appointment else None
    questions = list_questions(binder, person_id, appointment_id)
    if questions:
        return ChecklistItem(
            line.key, line.label, ItemState.PRESENT, f"{len(questions)} questions written down."
        )
    return ChecklistItem(
        line.key,
        line.label,
        ItemState.MISSING,
        "Write down the questions you want this doctor to answer.",
    )


def bundle_document_ids(binder: Binder, person_id: int) -> list[int]:
    """The documents to preselect for the bundle: those the checklist names, plus every
    document marked "include in the second-opinion bundle"."""
    chosen = {
        doc.id
        for item in readiness(binder, person_id, read_new=False).items
        for doc in item.documents
        if doc.include_in_bundle
    }
    chosen |= {d.id for d in list_documents(binder, person_id) if d.include_in_bundle}
    return sorted(chosen)
