"""Choosing the tumour's extent among what a report says: its margins (one involved
margin makes them positive; "final" margins have the last word), lymphatic invasion, size,
and the lymph nodes (a total the report states wins; else each specimen's count once,
added up)."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from app.ingest.clinical import extent, tnm
from app.ingest.clinical.model import Finding
from app.ingest.clinical.sections import Role
from app.ingest.clinical.weighing import (
    REPORT_ROLES,
    ROLE_WEIGHT,
    Candidate,
    Context,
    make_finding,
    place_weight,
)


def extent_candidates(context: Context) -> list[Candidate]:
    text = context.text
    out: list[Candidate] = []
    # Margins: one involved margin makes the resection's margins positive.
    margins = [
        s
        for s in extent.find_margins(text)
        if context.role(s.start) in (*REPORT_ROLES, Role.SPECIMEN)
        and context.part(s.start) not in context.node_parts
    ]
    main_margins = [
        s for s in margins if not context.main or context.part(s.start) in (context.main, "")
    ]
    chosen = main_margins or margins
    # "The final resection margins are negative": the last word on the margins.
    final = [s for s in chosen if "final" in text[s.start : s.end].lower()]
    chosen = final or chosen
    positive = [s for s in chosen if s.value == "Positive"]
    for statement in positive or chosen:
        score = place_weight(context, statement.start) + statement.strength + (5 if positive else 0)
        if statement.value.startswith("Negative,"):
            score += 0.5
        out.append(
            Candidate(
                make_finding(
                    context, "diagnosis.margins", statement.value, statement.start, statement.end
                ),
                score,
            )
        )
    categories = tnm.find_categories(text)
    for suffix in tnm.find_suffixes(text, categories):
        if suffix.kind == "L":
            key, value = "diagnosis.lvi", "Present" if suffix.level else "Not identified"
        elif suffix.kind == "R":
            key, value = "diagnosis.margins", "Positive" if suffix.level else "Negative"
        else:
            continue
        score = place_weight(context, suffix.start, main_bonus=False) + 1
        out.append(Candidate(make_finding(context, key, value, suffix.start, suffix.end), score))
    for statement in extent.find_lvi(text):
        if context.role(statement.start) is Role.FAMILY:
            continue
        score = place_weight(context, statement.start) + statement.strength
        out.append(
            Candidate(
                make_finding(
                    context, "diagnosis.lvi", statement.value, statement.start, statement.end
                ),
                score,
            )
        )
    for statement in extent.find_sizes(text):
        role = context.role(statement.start)
        if role in (Role.FAMILY, Role.PAST, Role.HISTORY):
            continue
        if context.part(statement.start) in context.node_parts:
            continue
        if role is Role.GROSS and not re.search(
            r"tumou?r|mass|carcinoma|neoplasm", context.text[statement.start : statement.end], re.I
        ):
            continue  # a gross description measures nodules, cysts and nodes too
        score = place_weight(context, statement.start) + 3 * statement.strength
        out.append(
            Candidate(
                make_finding(
                    context, "diagnosis.size", statement.value, statement.start, statement.end
                ),
                score,
            )
        )
    out += _node_candidates(context)
    return out


def _node_candidates(context: Context) -> list[Candidate]:
    """ "P of T positive": a total the report states wins; else each specimen's count, added."""
    counts = [
        c for c in extent.find_node_counts(context.text) if context.role(c.start) is not Role.FAMILY
    ]
    out: list[Candidate] = []
    # "pN0 (0/22)": the count written with the category is the report's own total.
    for positive, total, start, end in tnm.find_node_ratios(context.text):
        value = f"{positive} of {total} positive"
        finding = make_finding(context, "diagnosis.lymph_nodes", value, start, end)
        out.append(Candidate(finding, place_weight(context, start, main_bonus=False) + 6))
    if not counts:
        return out
    for count in counts:
        if count.stated_total:
            out.append(
                Candidate(
                    make_finding(
                        context,
                        "diagnosis.lymph_nodes",
                        f"{count.positive} of {count.total} positive",
                        count.start,
                        count.end,
                    ),
                    max(8.0, place_weight(context, count.start, main_bonus=False)) + 8,
                )
            )
    # Each count once: reports repeat their diagnosis (and scans repeat a page), so a count
    # whose numbers and words match an earlier one is the same count; a summary line
    # ("Lymph nodes: 3 of 11 right and 5 of 10 left") restates the specimens' counts. The
    # counts of the most weighty section that gives any are added up.
    best_role = max((context.role(c.start) for c in counts), key=lambda r: ROLE_WEIGHT[r])
    roles = (
        (Role.DIAGNOSIS, Role.ADDENDUM, Role.TOP)
        if best_role in (Role.DIAGNOSIS, Role.ADDENDUM, Role.TOP)
        else (best_role,)
    )
    in_diagnosis = [c for c in counts if context.role(c.start) in roles]
    kept: list[extent.NodeCount] = []
    for count in in_diagnosis:
        if count.stated_total:
            continue
        words = _around(context.text, count)
        summary = bool(_SUMMARY_LINE.search(_line_before(context.text, count.start)))
        if any(
            (k.positive, k.total) == (count.positive, count.total)
            and (
                summary
                or (
                    not _distinct_specimens(context, k, count)
                    and SequenceMatcher(None, words, _around(context.text, k)).ratio() > 0.9
                )
            )
            for k in kept
        ):
            continue
        kept.append(count)
    # "In total, there are eight lymph nodes": that section's count is its total.
    for count in list(kept):
        sentence = context.text[max(0, count.start - 120) : count.start].split(". ")[-1]
        if re.search(r"\bin\s+total\b|\btotal\s+of\b|\baltogether\b", sentence, re.I):
            section = next(
                (s for s in context.found_sections if s.start <= count.start < s.end), None
            )
            if section is not None:
                kept = [k for k in kept if k is count or not section.start <= k.start < section.end]
    if kept:
        # A count before or after all the others that is their sum is the report's total.
        for count in (kept[0], kept[-1]) if len(kept) > 2 else ():
            others = [k for k in kept if k is not count]
            if (
                others
                and count.total == sum(k.total for k in others)
                and count.positive == sum(k.positive for k in others)
            ):
                kept = [count]
                break
        positive = sum(c.positive for c in kept)
        total = sum(c.total for c in kept)
        first, last = kept[0].start, kept[-1].end
        out.append(
            Candidate(
                Finding(
                    "diagnosis.lymph_nodes",
                    f"{positive} of {total} positive",
                    *context.prepared.span(first, last),
                ),
                place_weight(context, first, main_bonus=False) + 2,
            )
        )
    return out


_SUMMARY_LINE = re.compile(r"\b(?:lymph\s+nodes?|nodes?)\s*(?:status)?\s*:", re.IGNORECASE)


def _distinct_specimens(context: Context, one: extent.NodeCount, other: extent.NodeCount) -> bool:
    """Two counts under different specimen labels of the same section are two counts."""
    first, second = context.part(one.start), context.part(other.start)
    if not first or not second or first == second:
        return False
    return any(
        s.start <= one.start < s.end and s.start <= other.start < s.end
        for s in context.found_sections
    )


def _line_before(text: str, position: int) -> str:
    return text[text.rfind("\n", 0, position) + 1 : position]


def _around(text: str, count: extent.NodeCount) -> str:
    return text[max(0, count.start - 40) : count.end + 20].lower()
