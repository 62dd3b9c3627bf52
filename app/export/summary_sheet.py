"""`Summary.pdf`: the one-to-two-page sheet the second-opinion doctor reads first: who the
person is, the diagnosis and stage, the plan, the care team, medications, allergies and the
records enclosed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from app.export.contents import Entry, Inclusion
from app.export.facts import Facts, long_date, short_date
from app.export.pdf_toolkit import WIDTH, build, facts_table, header, p, styles, table
from app.export.sheet_words import doctor_line, dose_text, said_by, when_text
from app.records.allergies import is_no_known
from app.records.models import Document


def summary_pdf(
    facts: Facts, entries: Sequence[Entry] | None, documents: Sequence[Document]
) -> bytes:
    """The one-to-two-page summary. `entries`: what the bundle encloses (None when the sheet
    is printed on its own; then `documents` lists the records the binder holds)."""
    from reportlab.platypus import KeepTogether, Spacer

    st = styles()
    title = "Summary for the second-opinion visit" if facts.visit else "Medical summary"
    story = header(facts, title, st)

    about: list[tuple[str, str]] = [("Name", facts.person.name), ("Date of birth", facts.born)]
    if facts.visit:
        who = facts.visit.doctor or facts.for_doctor or "not named"
        about.append(("Visit", f"{when_text(facts.visit)}, with {who}"))
        if facts.visit.location:
            about.append(("Where", facts.visit.location))
    if facts.reason:
        about.append(("Reason for the visit", facts.reason))
    ins = facts.insurance
    if ins.plan:
        plan = ins.plan + (f", member ID {ins.member_id}" if ins.member_id else "")
        about.append(("Insurance", plan))
    story.append(facts_table(about, st, WIDTH))

    story.append(p("Diagnosis and stage", st["h2"]))
    rows: list[tuple[str, str]] = []
    if facts.diagnosis:
        rows.append(("Diagnosis", f"{facts.diagnosis.diagnosis} ({said_by(facts.diagnosis)})"))
    if facts.stage:
        rows.append(("Stage", f"{facts.stage.stage} ({said_by(facts.stage)})"))
    if rows:
        story.append(facts_table(rows, st, WIDTH))
        if not facts.stage:
            story.append(p("No stage has been recorded.", st["body"]))
    else:
        text = "No diagnosis or stage has been recorded in this binder."
        if facts.pathology:
            names = "; ".join(f"{d.title} ({long_date(d.date)})" for d in facts.pathology[:3])
            text += f" Please see the pathology report: {names}."
        story.append(p(text, st["body"]))

    problems = [c for c in facts.conditions if c.status.lower() not in ("resolved", "inactive")]
    if problems:
        listed = "; ".join(
            c.name + (f" (since {long_date(c.onset_date)})" if c.onset_date else "")
            for c in problems
        )
        story.append(Spacer(1, 3))
        other = "Other conditions" if rows else "Conditions"  # beside a diagnosis, or alone
        story.append(p(f"{other} on record: {listed}.", st["muted"]))

    story.append(p("Current treatment plan", st["h2"]))
    plan_rows: list[tuple[str, str]] = []
    if facts.treatment_plan:
        d = facts.treatment_plan
        where = f", {d.facility}" if d.facility else ""
        plan_rows.append(("Written plan", f"{d.title}, {long_date(d.date)}{where} (enclosed)"))
    if facts.plan:
        plan_rows.append(("Recommended", f"{facts.plan.recommendation} ({said_by(facts.plan)})"))
    if plan_rows:
        story.append(facts_table(plan_rows, st, WIDTH))
    else:
        story.append(p("No treatment plan has been recorded yet.", st["body"]))

    story.append(p("Care team", st["h2"]))
    team = [d for d in facts.doctors if d.id != (facts.doctor.id if facts.doctor else None)]
    if team:
        rows_t = [["Name", "Role", "Institution", "Phone", "Fax"]]
        rows_t += [[d.name, doctor_line(d), d.institution, d.phone, d.fax] for d in team]
        story.append(table(rows_t, [1.35 * 72, 1.5 * 72, 1.55 * 72, 1.25 * 72, 1.25 * 72], st))
    else:
        others = "other " if facts.doctors else ""
        story.append(p(f"No {others}doctors are recorded.", st["body"]))

    story.append(p("Current medications", st["h2"]))
    current = facts.current_medications
    if current:
        rows_m = [["Medicine", "Dose and how often", "Since", "For"]]
        rows_m += [
            [
                m.name,
                dose_text(m),
                short_date(m.start_date) if m.start_date else "not known",
                m.purpose,
            ]
            for m in current
        ]
        story.append(table(rows_m, [1.6 * 72, 2.4 * 72, 1.3 * 72, 1.7 * 72], st))
    else:
        story.append(p("No current medications are recorded.", st["body"]))
    past = facts.past_medications
    if past:
        names = ", ".join(f"{m.name} (stopped {long_date(m.stop_date)})" for m in past)
        story.append(Spacer(1, 3))
        story.append(
            p(
                f"Stopped: {names}. The whole history, with dose changes, is in Medications.pdf."
                if entries is not None
                else f"Stopped: {names}.",
                st["muted"],
            )
        )
    story.append(p("Allergies", st["h2"]))
    real_allergies = [a for a in facts.allergies if not is_no_known(a)]
    no_known = [a for a in facts.allergies if is_no_known(a)]
    if real_allergies:
        rows_a = [["Allergy or intolerance", "Reaction", "Severity", "Noted"]]
        rows_a += [
            [a.name, a.reaction, a.severity, short_date(a.noted_date) if a.noted_date else ""]
            for a in real_allergies
        ]
        story.append(table(rows_a, [2.3 * 72, 2.3 * 72, 1.1 * 72, 1.3 * 72], st))
    elif no_known:
        # Said, not left blank: the doctor can tell "none" from "never asked".
        said = no_known[0]
        portal = said.source_document_id is not None
        who = "from a patient-portal record" if portal else "recorded by the patient"
        when = f", {long_date(said.noted_date)}" if said.noted_date else ""
        story.append(p(f"No known allergies ({who}{when}).", st["body"]))
    else:
        story.append(p("None recorded in this binder: please ask the patient.", st["body"]))

    story.append(p("Enclosed records" if entries is not None else "Records held", st["h2"]))
    if entries is not None:
        in_packet = [e for e in entries if e.inclusion is Inclusion.PACKET]
        if in_packet:
            rows_r = [["Date", "Kind", "Record", "Packet pages"]]
            for e in sorted(in_packet, key=lambda e: e.start):
                pages = f"{e.start}" if e.pages == 1 else f"{e.start}-{e.start + e.pages - 1}"
                rows_r.append(
                    [short_date(e.document.date), e.document.kind.label, e.document.title, pages]
                )
            story.append(
                p(
                    f"{len(in_packet)} records, in date order, in “Records packet.pdf”; "
                    "each original file is in the folder “records”.",
                    st["intro"],
                )
            )
            story.append(Spacer(1, 3))
            story.append(table(rows_r, [0.9 * 72, 1.55 * 72, 3.6 * 72, 0.95 * 72], st))
        else:
            story.append(p("No record could be put in the records packet.", st["body"]))
        apart = [e for e in entries if e.inclusion is not Inclusion.PACKET]
        if apart:
            lines = [p("Not in the packet:", st["head"])]
            for e in apart:
                doc = e.document
                lines.append(p(f"• {doc.title} ({short_date(doc.date)}): {e.note}", st["cell"]))
            story.append(Spacer(1, 4))
            story.append(KeepTogether(lines))
    elif documents:
        rows_d = [["Date", "Kind", "Record"]]
        rows_d += [
            [d.date or "undated", d.kind.label, d.title]
            for d in sorted(documents, key=lambda d: d.date or "")
        ]
        story.append(table(rows_d, [0.9 * 72, 1.6 * 72, 4.5 * 72], st))
    else:
        story.append(p("No records are held in this binder yet.", st["body"]))
    if facts.imaging:
        story += imaging_table(facts, entries is not None, st)
    return build(story, facts, "Summary")


def imaging_table(facts: Facts, enclosed: bool, st: dict[str, Any]) -> list[Any]:
    """The imaging studies: date, what, description, image count, and how to open them."""
    from reportlab.platypus import Spacer

    story: list[Any] = [p("Imaging studies" if enclosed else "Imaging studies held", st["h2"])]
    if enclosed:
        story.append(
            p(
                "The images themselves, exactly as the hospital's disc gave them, are in the "
                "folder “Imaging”: open its DICOMDIR file with a DICOM viewer (RadiAnt, "
                "Horos, OsiriX, Weasis) or a hospital's import station.",
                st["intro"],
            )
        )
        story.append(Spacer(1, 3))
    rows = [["Date", "What", "Description", "Images"]]
    for study in facts.imaging:
        what = study.what[:1].upper() + study.what[1:]
        rows.append([short_date(study.date), what, study.description, str(study.images)])
    story.append(table(rows, [0.9 * 72, 1.55 * 72, 3.6 * 72, 0.95 * 72], st))
    return story


# -- medications -----------------------------------------------------------------------------
