"""The checklist's operative-report and discharge-summary lines, following what the binder
knows instead of asking for everything:

- a surgery recorded in the clinical picture (an operative report, a resection's pathology
  report, a procedure from a portal file, or one the user added) makes its operative
  report due; with no surgery recorded the line says "not needed unless you had surgery"
  and asks once, plainly: "Did you have surgery?";
- the same for hospital stays and discharge summaries: "Did you stay in hospital?".

The answer is stored (table checklist_answers): "no" marks the line not needed (Undo forgets
the answer and asks again), "yes" makes the report due.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.records.dates import now_iso
from app.records.errors import InvalidValue
from app.records.models import Document
from app.records.picture import ClinicalPicture, PictureRow, short_date
from app.records.picture.treatments import within_a_month
from app.vault.binder import Binder

# Which question each line asks when the binder does not know.
QUESTIONS = {"operative": "surgery", "discharge": "hospital_stay"}


@dataclass(frozen=True)
class Asked:
    """A question a checklist line asks, with the words of its two answers."""

    key: str  # "surgery", "hospital_stay"
    text: str  # "Did you have surgery?"
    yes: str  # "Yes, I had surgery"
    no: str  # "No surgery"


ASKED = {
    "surgery": Asked("surgery", "Did you have surgery for this illness?", "Yes, I had surgery",
                     "No surgery"),
    "hospital_stay": Asked("hospital_stay", "Did you stay in hospital overnight?",
                           "Yes, I stayed in hospital", "No hospital stay"),
}  # fmt: skip


def answers(binder: Binder, person_id: int) -> dict[str, bool]:
    rows = binder.db.execute(
        "SELECT question, answer FROM checklist_answers WHERE person_id = ?", [person_id]
    )
    return {question: answer == "yes" for question, answer in rows}


def answer_question(binder: Binder, person_id: int, question: str, yes: bool) -> None:
    if question not in ASKED:
        raise InvalidValue(f"{question!r} is not a question of the checklist.")
    with binder.transaction() as db:
        db.execute(
            "INSERT INTO checklist_answers (person_id, question, answer, created) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (person_id, question) DO UPDATE SET "
            "answer = excluded.answer, created = excluded.created",
            [person_id, question, "yes" if yes else "no", now_iso()],
        )


def forget_answer(binder: Binder, person_id: int, question: str) -> None:
    with binder.transaction() as db:
        db.execute(
            "DELETE FROM checklist_answers WHERE person_id = ? AND question = ?",
            [person_id, question],
        )


def _covered(row: PictureRow, reports: tuple[Document, ...]) -> bool:
    """An operative report of this surgery is in the binder: the row is made from one, or
    one is dated within a month of it."""
    if any(row.key == f"surgery.d{d.id}" for d in reports):
        return True
    when = row.value("date")
    return bool(when) and any(within_a_month(when, d.date) for d in reports)


def surgeries_without_report(picture: ClinicalPicture, reports: tuple[Document, ...]) -> list[str]:
    """The surgeries the picture records whose operative report is not in the binder, in
    words ("Left lumpectomy of 3 Jun 2024")."""
    rows = picture.section("surgery").rows
    missing = []
    for row in rows:
        if _covered(row, reports):
            continue
        what = row.value("procedure") or "A surgery"
        when = row.value("date")
        missing.append(f"{what} of {short_date(when)}" if when else what)
    return missing
