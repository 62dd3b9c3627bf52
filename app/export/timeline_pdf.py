"""The one-page timeline: the whole story on a single dated axis, landscape letter.

Above the axis, the moments: first symptom, biopsies, diagnosis, surgeries, scans and
opinions, each with its own marker shape (open circle, triangle, diamond, square...) so it
reads in black and white. Below the axis, each line of treatment as a bar: medicines
hatched, radiation dotted, each with its name and dates written on it. Labels are staggered
in rows: a label goes to the lowest row where it overlaps no other label and no leader line
crosses it; what cannot be placed even shortened gets a number, listed at the foot of the
page. It is always exactly one page.

One room, though long: the axis, the markers, the bars and the label placement share one
page's coordinates.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from app.export.facts import Facts, gather, short_date
from app.export.pdf_toolkit import fonts, printable
from app.records.dates import earliest, latest
from app.records.documents import list_documents
from app.records.models import Document, DocumentKind
from app.records.picture import ClinicalPicture, clinical_picture
from app.records.picture.model import group_key
from app.records.timeline import EventCategory, timeline
from app.vault.binder import Binder


class Mark(StrEnum):
    SYMPTOM = "First symptom"
    BIOPSY = "Biopsy or pathology"
    DIAGNOSIS = "Diagnosis"
    SURGERY = "Surgery"
    SCAN = "Scan"
    OPINION = "Opinion"


class BarKind(StrEnum):
    MEDICINE = "Cancer medicine"
    RADIATION = "Radiation"


@dataclass(frozen=True)
class Point:
    day: str  # partial ISO date
    mark: Mark
    title: str


@dataclass(frozen=True)
class Bar:
    start: str
    end: str | None  # None: still going on
    kind: BarKind
    title: str


def _first_words(text: str, most: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= most else text[: most - 1].rsplit(" ", 1)[0] + "…"


def story_items(
    binder: Binder,
    person_id: int,
    picture: ClinicalPicture | None = None,
    documents: Sequence[Document] | None = None,
) -> tuple[list[Point], list[Bar]]:
    """The moments and the lines of treatment, from the clinical picture and the care
    journey (`documents`: the person's, when already listed)."""
    picture = picture or clinical_picture(binder, person_id)
    points: list[Point] = []
    bars: list[Bar] = []
    symptom = picture.section("symptom").rows[0]
    if symptom.value("date"):
        what = symptom.value("what") or "First symptom"
        points.append(Point(symptom.value("date"), Mark.SYMPTOM, _first_words(what)))
    # Each cancer's diagnosis: its type and site, "Invasive adenocarcinoma, rectum".
    diagnosed: dict[int | None, tuple[str, str]] = {}  # source document -> (date, words)
    for cancer in picture.cancers():
        when = picture.get(f"{group_key('diagnosis', cancer.number)}.date")
        if when is None or not when.value:
            continue
        site = cancer.site
        named = ", ".join(
            x for x in (cancer.histology or "Cancer", site[:1].lower() + site[1:]) if x
        )
        doc = next((s.id for s in when.sources if s.kind == "document"), None)
        diagnosed[doc] = (when.value, _first_words(named))
    merged: set[int | None] = set()
    listed = list_documents(binder, person_id) if documents is None else documents
    kinds = {d.id: d.kind for d in listed}
    surgery_docs = {r.key for r in picture.section("surgery").rows}
    wanted = {EventCategory.DOCUMENT, EventCategory.OPINION}
    for event in timeline(binder, person_id, wanted):
        if event.category is EventCategory.OPINION:
            points.append(Point(event.date, Mark.OPINION, _first_words(event.title)))
            continue
        kind = kinds.get(event.ref_id)
        if kind is DocumentKind.PATHOLOGY:
            said = diagnosed.get(event.ref_id)
            if said is not None and said[0] == event.date:
                points.append(Point(event.date, Mark.DIAGNOSIS, f"Biopsy and diagnosis: {said[1]}"))
                merged.add(event.ref_id)
            elif f"surgery.d{event.ref_id}" not in surgery_docs:
                # (A resection's pathology report is the surgery's own point, below.)
                points.append(Point(event.date, Mark.BIOPSY, _first_words(event.title)))
        elif kind is DocumentKind.IMAGING:
            points.append(Point(event.date, Mark.SCAN, _first_words(event.title)))
        elif kind is DocumentKind.OPERATIVE and f"surgery.d{event.ref_id}" not in surgery_docs:
            continue  # the user took this surgery out of the summary
    for doc, (day, named) in diagnosed.items():
        if doc not in merged:
            points.append(Point(day, Mark.DIAGNOSIS, f"Diagnosis: {named}"))
    for row in picture.section("surgery").rows:
        if row.value("date"):
            title = row.value("procedure") or "Surgery"
            points.append(Point(row.value("date"), Mark.SURGERY, _first_words(title)))
    for row in picture.section("systemic").rows:
        if row.value("start"):
            drug = row.value("drug") or "Medicine"
            bars.append(Bar(row.value("start"), row.value("end") or None, BarKind.MEDICINE, drug))
    for row in picture.section("radiation").rows:
        start, end = row.value("start") or row.value("end"), row.value("end")
        if start:
            bits = [x for x in (row.value("site"), row.value("dose")) if x]
            if row.value("fractions"):
                bits.append(f"{row.value('fractions')} fractions")
            title = "Radiation" + (f": {', '.join(bits)}" if bits else "")
            bars.append(Bar(start, end or start, BarKind.RADIATION, title))
    points.sort(key=lambda p: (p.day, p.mark.value))
    bars.sort(key=lambda b: b.start)
    return points, bars


# -- drawing --------------------------------------------------------------------------------------

PAGE_W, PAGE_H = 11 * 72, 8.5 * 72
LEFT, RIGHT = 48, PAGE_W - 48
FOOT = 40
LANE = 30  # height of a treatment lane
ROW = 26  # height of a row of labels above the axis
SIZE = 8  # label font size


@dataclass
class _Box:
    left: float
    right: float
    level: int
    x: float  # where its leader line stands


class _Axis:
    def __init__(self, first: date, last: date) -> None:
        span = max((last - first).days, 60)
        pad = max(10, span // 25)
        self.first = first - timedelta(days=pad)
        self.last = first + timedelta(days=span + pad)
        self.days = (self.last - self.first).days

    def x(self, day: date) -> float:
        return LEFT + (RIGHT - LEFT) * (day - self.first).days / self.days

    def ticks(self) -> list[date]:
        months = self.days / 30.4
        step = next((s for s in (1, 2, 3, 6, 12, 24, 60) if months / s <= 12), 120)
        tick = date(self.first.year, self.first.month, 1)
        ticks = []
        while tick <= self.last:
            if tick >= self.first and (tick.year * 12 + tick.month - 1) % step == 0:
                ticks.append(tick)
            month = tick.month + 1
            tick = date(tick.year + (month > 12), (month - 1) % 12 + 1, 1)
        return ticks


def _fit(text: str, width: float, font: str, size: float, measure: Callable[..., float]) -> str:
    if measure(text, font, size) <= width:
        return text
    while text and measure(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip(" ,:;") + "…"


def _marker(c: Any, mark: Mark, x: float, y: float, r: float = 4.2) -> None:
    """A shape per kind of moment; filled or open, never told apart by colour."""
    c.setLineWidth(1)
    if mark is Mark.SYMPTOM:
        c.circle(x, y, r, stroke=1, fill=0)
    elif mark is Mark.BIOPSY:
        path = c.beginPath()
        path.moveTo(x - r, y - r * 0.8)
        path.lineTo(x + r, y - r * 0.8)
        path.lineTo(x, y + r)
        path.close()
        c.drawPath(path, stroke=1, fill=1)
    elif mark in (Mark.DIAGNOSIS, Mark.OPINION):
        path = c.beginPath()
        big = r * 1.3
        path.moveTo(x, y + big)
        path.lineTo(x + big, y)
        path.lineTo(x, y - big)
        path.lineTo(x - big, y)
        path.close()
        c.drawPath(path, stroke=1, fill=1 if mark is Mark.DIAGNOSIS else 0)
    elif mark is Mark.SURGERY:
        c.rect(x - r, y - r, 2 * r, 2 * r, stroke=1, fill=1)
    else:  # scan
        c.rect(x - r, y - r, 2 * r, 2 * r, stroke=1, fill=0)


def _pattern(c: Any, kind: BarKind, x: float, y: float, w: float, h: float) -> None:
    """Hatching for medicines, dots for radiation, inside an outlined white bar."""
    c.saveState()
    c.setFillColorRGB(1, 1, 1)
    c.rect(x, y, w, h, stroke=0, fill=1)
    path = c.beginPath()
    path.rect(x, y, w, h)
    c.clipPath(path, stroke=0, fill=0)
    c.setFillColorRGB(0, 0, 0)
    c.setStrokeColorRGB(0.15, 0.15, 0.15)
    if kind is BarKind.MEDICINE:
        c.setLineWidth(0.9)
        step = 4.5
        start = x - h
        while start < x + w:
            c.line(start, y, start + h, y + h)
            start += step
    else:
        for row, yy in enumerate(_frange(y + 1.8, y + h, 3.2)):
            for xx in _frange(x + 1.5 + (row % 2) * 1.6, x + w, 3.2):
                c.circle(xx, yy, 0.75, stroke=0, fill=1)
    c.restoreState()
    c.setLineWidth(1)
    c.rect(x, y, w, h, stroke=1, fill=0)


def _frange(start: float, stop: float, step: float) -> list[float]:
    values = []
    while start < stop:
        values.append(start)
        start += step
    return values


def _when(bar: Bar) -> str:
    if bar.end is None:
        return f"from {short_date(bar.start)}, ongoing"
    if bar.end == bar.start:
        return short_date(bar.start)
    return f"{short_date(bar.start)} to {short_date(bar.end)}"


def timeline_pdf(
    binder: Binder,
    person_id: int,
    facts: Facts | None = None,
    for_doctor: str | None = None,
    redaction: Any = None,
    raw: Facts | None = None,
) -> bytes:
    """`facts`: the (already redacted) snapshot; `redaction`: applied to the labels too;
    `raw`: the snapshot before redaction (read again when not given)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    facts = facts or gather(binder, person_id, for_doctor)
    points, bars = story_items(binder, person_id, facts.picture, facts.documents)
    if redaction is not None:
        from app.export.redaction import redact_more

        points, bars = redact_more(raw or gather(binder, person_id), redaction, (points, bars))
    regular, bold = fonts()
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=(PAGE_W, PAGE_H))
    c.setTitle(f"Timeline: {facts.person.name}")
    c.setAuthor("CareBinder")
    c.setCreator("CareBinder")
    c.setFillColorRGB(0.07, 0.09, 0.11)
    c.setFont(bold, 16)
    c.drawString(LEFT, PAGE_H - 46, printable(f"Timeline: {facts.person.name}"))
    c.setFont(regular, 9.5)
    line = f"Born {facts.born}"
    if facts.for_doctor:
        line += f" · prepared for {facts.for_doctor}"
    c.drawString(LEFT, PAGE_H - 61, printable(line))
    _legend(c, regular, stringWidth)
    today = date.today()
    if not points and not bars:
        c.setFont(regular, 11)
        c.drawString(
            LEFT, PAGE_H / 2, "Nothing dated is in the binder yet: no reports, treatments or "
            "opinions with a date."
        )  # fmt: skip
        _footer(c, facts, regular)
        c.showPage()
        c.save()
        return out.getvalue()

    days = [earliest(p.day) for p in points] + [earliest(b.start) for b in bars]
    ends = [latest(b.end) if b.end else today for b in bars] + [latest(p.day) for p in points]
    axis = _Axis(min(days), max(ends))

    # First the labels' rows (as many as the page allows), then the whole drawing is
    # centred on the page: rows of labels, the axis, then one lane per line of treatment.
    top = PAGE_H - 98
    # Many lines of treatment share at most about half the page: lanes get narrower.
    lane = min(LANE, 240 / max(1, len(bars)))
    room = top - (FOOT + 22 + 2 * 9) - lane * len(bars) - 30 - 14  # 9: a line of "Also"
    levels = max(1, int(room // ROW))
    labels = _labels(points, axis)
    # Right to left: each label then only has to rise above the leaders it spans, which
    # makes a staircase that never crosses a line. When that leaves a moment other than a
    # scan without room, the other moments go first and scans take what is left.
    placed, unplaced = _place_all(labels, levels, regular, bold, stringWidth)
    if any(label.mark is not Mark.SCAN for label in unplaced):
        ordered = [x for x in labels if x.mark is not Mark.SCAN]
        ordered += [x for x in labels if x.mark is Mark.SCAN]
        placed, unplaced = _place_all(ordered, levels, regular, bold, stringWidth, by_kind=True)
    used = max((box.level + 1 for _, box in placed), default=0)
    height = used * ROW + 14 + 30 + lane * len(bars)
    unplaced.sort(key=lambda item: item.x)  # numbered left to right
    also = _also_lines(unplaced, regular, stringWidth)
    bottom = FOOT + 22 + 9 * max(0, len(also) - 1)
    lanes_top = bottom + lane * len(bars) + max(0, (top - bottom - height) / 2)
    axis_y = lanes_top + 30
    # Below the axis: one lane per line of treatment, then the axis and its tick labels.
    for index, bar in enumerate(bars):
        y = lanes_top - (index + 1) * lane + 4
        x0 = axis.x(earliest(bar.start))
        x1 = axis.x(latest(bar.end)) if bar.end else axis.x(today)
        width = max(x1 - x0, 3.5)
        _pattern(c, bar.kind, x0, y, width, 9)
        if bar.end is None:  # an open end: an arrow says it goes on
            c.line(x0 + width, y + 4.5, x0 + width + 8, y + 4.5)
            c.line(x0 + width + 8, y + 4.5, x0 + width + 4, y + 7.5)
            c.line(x0 + width + 8, y + 4.5, x0 + width + 4, y + 1.5)
        words = f"{bar.title} · {_when(bar)}"
        words = _fit(printable(words), RIGHT - LEFT, regular, 8, stringWidth)
        text_w = stringWidth(words, regular, 8)
        c.setFont(regular, 8)
        if lane >= 24:  # the words above its bar
            c.drawString(min(max(x0, LEFT), RIGHT - text_w), y + 12, words)
        elif x0 + width + 12 + text_w <= RIGHT:  # narrow lanes: beside the bar
            c.drawString(x0 + width + 12, y + 1, words)
        else:
            words = _fit(words, max(x0 - LEFT - 6, 60), regular, 8, stringWidth)
            c.drawRightString(max(x0 - 6, LEFT + 60), y + 1, words)
        c.setStrokeColorRGB(0.75, 0.75, 0.75)
        c.setLineWidth(0.3)
        c.setDash(1, 2)
        c.line(LEFT, y - 3, RIGHT, y - 3)
        c.setDash()
        c.setStrokeColorRGB(0, 0, 0)

    # The axis, its ticks and the present.
    c.setLineWidth(1.4)
    c.line(LEFT, axis_y, RIGHT, axis_y)
    c.setFont(regular, 7.5)
    c.setLineWidth(0.8)
    for tick in axis.ticks():
        x = axis.x(tick)
        c.line(x, axis_y - 4, x, axis_y + 1)
        c.drawCentredString(x, axis_y - 13, short_date(tick.isoformat()[:7]))
    if axis.first <= today <= axis.last:
        x = axis.x(today)
        c.setDash(3, 2)
        c.setLineWidth(0.7)
        c.line(x, FOOT + 14, x, top)
        c.setDash()
        c.setFont(bold, 7.5)
        c.drawCentredString(x, top + 3, "Today")

    for label, box in placed:
        y = axis_y + 12 + box.level * ROW
        c.setLineWidth(0.5)
        c.setStrokeColorRGB(0.35, 0.35, 0.35)
        c.line(box.x, axis_y + 5, box.x, y + ROW - 8)
        if len(label.xs) > 1:  # a bracket over a group of scans
            c.line(min(label.xs), axis_y + 6, max(label.xs), axis_y + 6)
        c.setStrokeColorRGB(0, 0, 0)
        for x in label.xs:
            _marker(c, label.mark, x, axis_y)
        c.setFont(bold, SIZE)
        c.drawString(box.left + 1.5, y + 8.5, label.day)
        c.setFont(regular, SIZE)
        c.drawString(box.left + 1.5, y, label.title)
    # What found no room: numbered under the axis (two alternating rows), listed below.
    unplaced.sort(key=lambda item: item.x)
    for number, label in enumerate(unplaced, 1):
        for x in label.xs:
            _marker(c, label.mark, x, axis_y)
        c.setFont(bold, 7)
        c.drawCentredString(label.x, axis_y - 24 - (number % 2) * 8, str(number))
    c.setFont(regular, 7)
    for index, line in enumerate(also):
        c.drawString(LEFT, FOOT + 6 + 9 * (len(also) - 1 - index), line)
    _footer(c, facts, regular)
    c.showPage()
    c.save()
    return out.getvalue()


@dataclass(frozen=True)
class _Label:
    x: float  # where its leader stands
    mark: Mark
    day: str  # as printed: "3 Jun 2024", or "8 Jan to 22 Mar 2024" for a group
    title: str
    xs: tuple[float, ...]  # the markers it speaks for


GROUP = 36.0  # scans closer than this (in points) share one label


def _labels(points: list[Point], axis: _Axis) -> list[_Label]:
    """One label per moment, except scans close together: one label per group of them."""
    labels: list[_Label] = []
    scans: list[list[tuple[Point, float]]] = []
    for point in points:
        x = axis.x(earliest(point.day))
        if point.mark is not Mark.SCAN:
            labels.append(_Label(x, point.mark, short_date(point.day), point.title, (x,)))
        elif scans and x - scans[-1][0][1] <= GROUP:
            scans[-1].append((point, x))
        else:
            scans.append([(point, x)])
    for group in scans:
        first, x = group[0]
        if len(group) == 1:
            labels.append(_Label(x, Mark.SCAN, short_date(first.day), first.title, (x,)))
            continue
        last = group[-1][0]
        day = f"{short_date(first.day)} to {short_date(last.day)}"
        if first.day[:4] == last.day[:4]:  # "8 Mar to 22 Mar 2024"
            day = f"{short_date(first.day).removesuffix(first.day[:4]).strip().rstrip(',')} to "
            day += short_date(last.day)
        titles = sorted({p.title for p, _ in group})
        title = f"{len(group)} scans" + (f": {titles[0]}" if len(titles) == 1 else "")
        labels.append(_Label(x, Mark.SCAN, day, title, tuple(gx for _, gx in group)))
    return labels


def _also_lines(unplaced: list[_Label], font: str, measure: Callable[..., float]) -> list[str]:
    """The moments with no room for a label, in words, on at most three lines."""
    if not unplaced:
        return []
    items = [
        f"{n}. {label.day}: {label.title}"
        if len(label.xs) > 1  # "3 scans" says what it is
        else f"{n}. {label.day} {label.mark.value.lower()}: {label.title}"
        for n, label in enumerate(unplaced, 1)
    ]
    lines: list[str] = []
    current = "Also:"
    for item in items:
        candidate = f"{current} {item};"
        if measure(candidate, font, 7) <= RIGHT - LEFT or current == "Also:":
            current = candidate
        else:
            lines.append(current)
            current = f"{item};"
    lines.append(current.rstrip(";"))
    if len(lines) > 3:
        lines = [*lines[:2], " ".join(lines[2:])]
    return [_fit(printable(line), RIGHT - LEFT, font, 7, measure) for line in lines]


def _place_all(
    labels: list[_Label],
    levels: int,
    regular: str,
    bold: str,
    measure: Callable[..., float],
    by_kind: bool = False,
) -> tuple[list[tuple[_Label, _Box]], list[_Label]]:
    boxes: list[_Box] = []
    unplaced: list[_Label] = []
    placed: list[tuple[_Label, _Box]] = []
    if by_kind:  # keep the given order of kinds, right to left within each
        order = sorted(labels, key=lambda x: (x.mark is Mark.SCAN, -x.x))
    else:
        order = sorted(labels, key=lambda x: -x.x)
    for label in order:
        box = None
        for most in (300.0, 200.0, 130.0, 80.0):
            title = _fit(printable(label.title), most, regular, SIZE, measure)
            width = max(measure(label.day, bold, SIZE), measure(title, regular, SIZE))
            box = _place(boxes, label.x, width + 3, levels)
            if box is not None:
                placed.append((_Label(label.x, label.mark, label.day, title, label.xs), box))
                break
        if box is None:
            unplaced.append(label)
    return placed, unplaced


def _place(boxes: list[_Box], x: float, width: float, levels: int) -> _Box | None:
    """The lowest free row for a label whose leader stands at x, or None."""
    left = x - 1.5 if x + width <= RIGHT else x - width + 1.5
    left = max(left, LEFT - 6)
    right = left + width
    for level in range(levels):
        clash = any(b.level == level and b.left - 5 < right and left < b.right + 5 for b in boxes)
        # This leader must not cross a lower label, nor this label a higher leader.
        crosses = any(b.level < level and b.left - 2 <= x <= b.right + 2 for b in boxes)
        covers = any(b.level > level and left - 2 <= b.x <= right + 2 for b in boxes)
        if not clash and not crosses and not covers:
            box = _Box(left, right, level, x)
            boxes.append(box)
            return box
    return None


def _legend(c: Any, regular: str, measure: Callable[..., float]) -> None:
    """Two right-aligned rows: the moments' shapes, then the treatments' patterns."""
    c.setFont(regular, 8)
    rows: list[list[tuple[str, Mark | BarKind]]] = [
        [(mark.value, mark) for mark in Mark],
        [(kind.value, kind) for kind in BarKind],
    ]
    for index, row in enumerate(rows):
        y = PAGE_H - 44 - index * 15
        x: float = RIGHT
        for label, what in reversed(row):
            x -= measure(label, regular, 8)
            c.drawString(x, y, label)
            if isinstance(what, Mark):
                x -= 10
                _marker(c, what, x + 4, y + 3, 3.6)
            else:
                x -= 21
                _pattern(c, what, x, y - 1, 16, 8)
            x -= 14


def _footer(c: Any, facts: Facts, regular: str) -> None:
    c.setFont(regular, 7.5)
    c.setFillColorRGB(0.32, 0.38, 0.43)
    c.drawString(LEFT, 24, printable(f"{facts.person.name} · born {facts.born}"))
    c.drawRightString(
        RIGHT,
        24,
        f"Dates as recorded in the binder · Prepared {short_date(facts.prepared_on.isoformat())}",
    )
