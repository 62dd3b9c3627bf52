"""The road from a diagnosis to a decision: the second-opinion guide, step by step.

Each step says in calm words what to do (written from ../shared/DOMAIN.md), names the
place in CareBinder that does it, and says whether it is done. Most steps are done when the
binder shows it (a second-opinion doctor in the care team, the insurance answers written,
every checklist line ready, a bundle shared, questions written, two opinions); the two that
leave no trace in the records ("ask how long it is safe to wait", "the visit happened") are
ticked by the person (`mark_step`), and kept in `guide_marks`.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.records.appointments import AppointmentKind, AppointmentStatus, list_appointments
from app.records.care_team import list_doctors
from app.records.dates import now_iso
from app.records.errors import InvalidValue
from app.records.insurance import get_insurance
from app.records.opinions import list_opinions
from app.records.questions import list_questions
from app.records.readiness import readiness
from app.records.share_log import BUNDLE, list_shares
from app.vault.binder import Binder


@dataclass(frozen=True)
class GuideLine:
    key: str
    title: str
    words: str  # what to do and why, in plain words (paragraphs split by a blank line)
    place: str  # the sidebar place that does it
    tab: str  # the Second opinion tab, when the place is "Second opinion"; else ""
    link: str  # the button's words
    ticked_by_hand: bool = False  # done only when the person says so


GUIDE: tuple[GuideLine, ...] = (
    GuideLine(
        "ask",
        "Asking for a second opinion is normal",
        "Doctors expect it, and most welcome it: a cancer diagnosis and its treatment are "
        "big decisions, and a second look often confirms the plan or sharpens it. Asking "
        "will not harm your care.\n\n"
        "You can say: “Before we start, I would like a second opinion, to be sure of the "
        "plan. Could you suggest someone, and could your office send my records?” Then add "
        "the second-opinion doctor to the care team.",
        "Care team",
        "",
        "Open the care team",
    ),
    GuideLine(
        "time",
        "Is there time to ask?",
        "For most cancers, the few weeks a second opinion takes do not change the outcome; "
        "for a few, treatment has to start at once. Ask your doctor: “How long can we "
        "safely wait before starting?”\n\n"
        "If treatment must begin now, it still can: the second opinion can look at the next "
        "steps, or review the biopsy while treatment starts.",
        "Appointments",
        "",
        "Write the question for a visit",
        ticked_by_hand=True,
    ),
    GuideLine(
        "insurance",
        "Check the insurance",
        "Call the number on the insurance card and ask three things: is a second opinion "
        "covered; is a referral or an authorization number needed first; is the doctor you "
        "chose in the plan's network, and what does it cost if not. Write the answers "
        "down, with the name of the person you spoke to.",
        "Second opinion",
        "Insurance",
        "Write down the answers",
    ),
    GuideLine(
        "records",
        "Gather the records",
        "The second-opinion doctor needs the reports themselves: the pathology of every "
        "biopsy and surgery, operative reports, hospital discharge summaries, the treatment "
        "plan, the medicines with their doses and dates, the scans and tests. The "
        "checklist shows what is here and what to ask for. Offices can take a week or two "
        "to send records, so ask early.",
        "Second opinion",
        "Checklist",
        "Open the checklist",
    ),
    GuideLine(
        "send",
        "Send or bring the records",
        "Many clinics want the records a few days before the visit. The bundle holds them "
        "all, with a summary on top, and the doctor reads it with nothing but a PDF reader.",
        "Second opinion",
        "What I shared",
        "See what was shared",
    ),
    GuideLine(
        "questions",
        "Write the questions",
        "In the visit it is easy to forget what you meant to ask. Write the questions "
        "before, the most important first: what is the diagnosis and the stage; what do "
        "you recommend, and why; what are the other choices; what happens if I wait.",
        "Appointments",
        "",
        "Write the questions",
    ),
    GuideLine(
        "visit",
        "At the visit",
        "Bring someone you trust: a second pair of ears hears what you miss. Take notes, "
        "or ask whether you may record the talk (always ask first), and ask the doctor to "
        "spell the words you do not know. The notes and the recording stay with the "
        "appointment.",
        "Appointments",
        "",
        "Open the appointment",
        ticked_by_hand=True,
    ),
    GuideLine(
        "compare",
        "After: compare the opinions",
        "Write down what each doctor said, and read the opinions side by side. Where they "
        "differ, ask each doctor how they reached their plan, how they read the tests, "
        "which guidelines or studies they followed, and whether they could talk the case "
        "over together.\n\n"
        "When they still differ, or the question is about the biopsy or the surgery "
        "itself, a third opinion (a pathologist, a surgeon, a radiation oncologist) can "
        "settle it.",
        "Second opinion",
        "Opinions",
        "Compare the opinions",
    ),
)
GUIDE_KEYS = tuple(line.key for line in GUIDE)


@dataclass(frozen=True)
class GuideStep:
    line: GuideLine
    done: bool
    status: str  # what the binder shows for this step, in a few words

    @property
    def key(self) -> str:
        return self.line.key


def mark_step(binder: Binder, person_id: int, key: str, done: bool = True) -> None:
    """Tick (or untick) a step the records cannot show by themselves."""
    if key not in GUIDE_KEYS:
        raise InvalidValue(f"There is no step “{key}” in the guide.")
    with binder.transaction() as db:
        if done:
            db.execute(
                "INSERT OR IGNORE INTO guide_marks (person_id, step, created) VALUES (?, ?, ?)",
                [person_id, key, now_iso()],
            )
        else:
            db.execute("DELETE FROM guide_marks WHERE person_id = ? AND step = ?", [person_id, key])


def _marked(binder: Binder, person_id: int) -> set[str]:
    rows = binder.db.execute("SELECT step FROM guide_marks WHERE person_id = ?", [person_id])
    return {row[0] for row in rows}


def guide(binder: Binder, person_id: int) -> list[GuideStep]:
    """Every step of the guide, with whether it is done for this person."""
    marked = _marked(binder, person_id)
    appointments = list_appointments(binder, person_id)
    second = [a for a in appointments if a.kind is AppointmentKind.SECOND_OPINION]
    doctors = [d for d in list_doctors(binder, person_id) if "second" in d.role.casefold()]
    insurance = get_insurance(binder, person_id)
    ready = readiness(binder, person_id)
    bundles = [s for s in list_shares(binder, person_id) if s.what == BUNDLE]
    opinions = list_opinions(binder, person_id)
    # The steps about the visit follow the next second-opinion visit when one is booked
    # (an earlier opinion does not make the coming visit done), else the latest one.
    coming = ready.appointment
    visit = coming or (second[-1] if second else None)
    asked = len(list_questions(binder, person_id, visit.id)) if visit else 0
    visited = visit is not None and visit.status is AppointmentStatus.DONE

    def step(key: str, done: bool, status: str) -> GuideStep:
        line = next(line for line in GUIDE if line.key == key)
        return GuideStep(line, done or key in marked, status)

    answers = (insurance.second_opinion_covered, insurance.referral_needed, insurance.in_network)
    known = sum(1 for answer in answers if answer != "unknown")
    who = doctors[0].name if doctors else (second[0].doctor if second else None)
    total = len(ready.items)
    return [
        step("ask", bool(who), f"{who} is in the care team." if who else "no doctor yet."),
        step("time", False, "you ticked it." if "time" in marked else "tick it once you asked."),
        step("insurance", known == 3, f"{known} of 3 answers written down."),
        step("records", ready.ready == total, f"{ready.ready} of {total} ready."),
        step(
            "send",
            bool(bundles),
            f"shared with {bundles[0].for_doctor or 'a doctor'}." if bundles else "not yet.",
        ),
        step("questions", asked > 0, _questions_words(asked, visit is not None)),
        step("visit", visited, _visit_words(visited, "visit" in marked)),
        step(
            "compare",
            len(opinions) >= 2,
            f"{len(opinions)} opinion{'s' if len(opinions) != 1 else ''} written down.",
        ),
    ]


def _questions_words(asked: int, booked: bool) -> str:
    if not booked:
        return "add the second-opinion appointment first."
    return f"{asked} question{'s' if asked != 1 else ''} written."


def _visit_words(visited: bool, ticked: bool) -> str:
    if visited:
        return "the visit took place."
    return "you ticked it." if ticked else "still ahead."
