"""The attendance at a glance: a timeline picture of a client's booked sessions, as SVG.

One mark per booked session over the last 6 months (and the bookings of the next 4 weeks),
one row per usual slot: modality, weekday and time of day ("In person, Mon morning"), so a
weekday, time or modality where misses gather stands out as a row of crosses. The outcome is
told by shape and colour together (Okabe-Ito colours, readable by colour-blind users; the
shapes alone tell them apart in greyscale):

    attended: filled circle   no-show: cross   late cancellation: filled triangle
    cancelled with notice: open square   booked (no outcome yet): open circle

The picture goes with a text alternative that states the same facts. Plain data in, text
out: no Rasa, no SQL; the action sends it inside the message (a data: URI), never by URL.
"""
from __future__ import annotations

import base64
from collections import Counter, OrderedDict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Dict, List, Sequence, Tuple
from xml.sax.saxutils import escape

from reconnect.guidance.attendance import (
    ATTENDED,
    CANCELLED,
    LATE_CANCEL,
    MODALITY_NAMES,
    NO_SHOW,
    SCHEDULED,
    time_of_day,
)
from reconnect.guidance.client import AppointmentLike

PAST_DAYS = 182
AHEAD_DAYS = 28
OUTCOMES = (ATTENDED, NO_SHOW, LATE_CANCEL, CANCELLED, SCHEDULED)
LABELS = {ATTENDED: "attended", NO_SHOW: "no-show", LATE_CANCEL: "late cancellation",
          CANCELLED: "cancelled with notice", SCHEDULED: "booked, no outcome yet"}
PLURALS = {ATTENDED: "attended", NO_SHOW: "no-shows", LATE_CANCEL: "late cancellations",
           CANCELLED: "cancelled with notice", SCHEDULED: "booked, no outcome yet"}
COLOURS = {ATTENDED: "#0072B2", NO_SHOW: "#D55E00", LATE_CANCEL: "#E69F00",
           CANCELLED: "#555555", SCHEDULED: "#000000"}
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

WIDTH, LEFT, RIGHT, TOP, ROW = 680, 200, 20, 48, 34


@dataclass(frozen=True)
class Timeline:
    svg: str
    alt: str
    caption: str

    @property
    def data_uri(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode()).decode()

    def payload(self) -> Dict[str, str]:
        """The custom payload the web widget shows: the picture and its text alternative."""
        return {"type": "attendance_timeline", "image": self.data_uri, "alt": self.alt,
                "caption": self.caption}


def _slot(appointment: AppointmentLike) -> Tuple[int, int, str]:
    tod = time_of_day(appointment.start)
    order = {"morning": 0, "afternoon": 1, "evening": 2}.get(tod, 3)
    return (appointment.start.weekday(), order, appointment.modality)


def _row_name(slot: Tuple[int, int, str], appointment: AppointmentLike) -> str:
    modality = MODALITY_NAMES.get(slot[2], slot[2]).capitalize()
    return f"{modality}, {DAYS[slot[0]]} {time_of_day(appointment.start)}"


def _mark(outcome: str, x: float, y: float) -> str:
    colour = COLOURS[outcome]
    if outcome == ATTENDED:
        return f'<circle cx="{x:.1f}" cy="{y}" r="6" fill="{colour}"/>'
    if outcome == NO_SHOW:
        return (f'<path d="M{x - 6:.1f} {y - 6}L{x + 6:.1f} {y + 6}M{x - 6:.1f} {y + 6}'
                f'L{x + 6:.1f} {y - 6}" stroke="{colour}" stroke-width="3.2" '
                'stroke-linecap="round"/>')
    if outcome == LATE_CANCEL:
        return (f'<path d="M{x:.1f} {y - 7}L{x + 7:.1f} {y + 6}L{x - 7:.1f} {y + 6}Z" '
                f'fill="{colour}" stroke="#000000" stroke-width="1"/>')
    if outcome == CANCELLED:
        return (f'<rect x="{x - 5.5:.1f}" y="{y - 5.5}" width="11" height="11" fill="#ffffff" '
                f'stroke="{colour}" stroke-width="2"/>')
    return (f'<circle cx="{x:.1f}" cy="{y}" r="6" fill="#ffffff" stroke="{colour}" '
            'stroke-width="2" stroke-dasharray="3 2"/>')


def _month_ticks(start: date, end: date) -> List[date]:
    first = date(start.year, start.month, 1)
    ticks = []
    while first <= end:
        if first >= start:
            ticks.append(first)
        first = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    return ticks


def _count_words(counts: Counter) -> str:
    parts = [f"{counts[o]} {PLURALS[o] if counts[o] != 1 else LABELS[o]}"
             for o in OUTCOMES if counts[o]]
    return ", ".join(parts) if parts else "none"


def attendance_timeline(name: str, appointments: Sequence[AppointmentLike],
                        today: date) -> Timeline:
    """The timeline of a client's sessions from 6 months ago to 4 weeks ahead."""
    start, end = today - timedelta(days=PAST_DAYS), today + timedelta(days=AHEAD_DAYS)
    shown = sorted((a for a in appointments
                    if start <= a.start.date() <= end and a.status in OUTCOMES),
                   key=lambda a: a.start)
    # A past booking with no outcome recorded stays "booked": the record does not say more.
    rows: "OrderedDict[Tuple[int, int, str], str]" = OrderedDict()
    for appointment in sorted(shown, key=_slot):
        rows.setdefault(_slot(appointment), _row_name(_slot(appointment), appointment))
    index = {slot: i for i, slot in enumerate(rows)}
    span = (end - start).days or 1
    plot = WIDTH - LEFT - RIGHT

    def x_of(day: date) -> float:
        return LEFT + plot * (day - start).days / span

    height = TOP + ROW * max(len(rows), 1) + 84
    title = f"Attendance of {name}, {start:%d %b %Y} to {today:%d %b %Y}"
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
           f'viewBox="0 0 {WIDTH} {height}" role="img" font-family="sans-serif" '
           f'font-size="13"><title>{escape(title)}</title>',
           f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>',
           f'<text x="12" y="24" font-size="15" font-weight="bold" fill="#111111">'
           f'{escape(title)}</text>']
    bottom = TOP + ROW * max(len(rows), 1)
    for tick in _month_ticks(start, end):
        x = x_of(tick)
        out.append(f'<line x1="{x:.1f}" y1="{TOP - 6}" x2="{x:.1f}" y2="{bottom}" '
                   'stroke="#dddddd"/>')
        out.append(f'<text x="{x:.1f}" y="{bottom + 16}" text-anchor="middle" '
                   f'fill="#333333">{tick:%b}</text>')
    x_today = x_of(today)
    out.append(f'<line x1="{x_today:.1f}" y1="{TOP - 10}" x2="{x_today:.1f}" y2="{bottom}" '
               'stroke="#111111" stroke-dasharray="4 3"/>')
    out.append(f'<text x="{x_today:.1f}" y="{TOP - 14}" text-anchor="middle" '
               'fill="#111111">today</text>')
    for slot, i in index.items():
        y = TOP + ROW * i + ROW // 2
        if i % 2 == 0:
            out.append(f'<rect x="{LEFT - 8}" y="{y - ROW // 2}" width="{plot + 16}" '
                       f'height="{ROW}" fill="#f3f4f6"/>')
        out.append(f'<text x="{LEFT - 14}" y="{y + 4}" text-anchor="end" '
                   f'fill="#111111">{escape(rows[slot])}</text>')
    for appointment in shown:
        y = TOP + ROW * index[_slot(appointment)] + ROW // 2
        out.append(_mark(appointment.status, x_of(appointment.start.date()), y))
    if not shown:
        out.append(f'<text x="{LEFT}" y="{TOP + ROW // 2 + 4}" fill="#333333">'
                   'No sessions booked in these months.</text>')
    legend_y, x = bottom + 48, 12.0
    for outcome in OUTCOMES:
        label = LABELS[outcome].split(",")[0]
        out.append(_mark(outcome, x + 7, legend_y - 4))
        out.append(f'<text x="{x + 18:.1f}" y="{legend_y}" fill="#111111">{label}</text>')
        x += 34 + 7.0 * len(label)
    out.append("</svg>")
    return Timeline("".join(out), _alt(name, shown, rows, start, today),
                    f"{name}: one mark per booked session, 6 months back and 4 weeks ahead; "
                    "one row per modality, weekday and time of day.")


def _alt(name: str, shown: Sequence[AppointmentLike],
         rows: "OrderedDict[Tuple[int, int, str], str]", start: date, today: date) -> str:
    if not shown:
        return (f"Attendance timeline of {name}: no sessions booked from {start:%d %b %Y} "
                f"to 4 weeks after {today:%d %b %Y}.")
    total = Counter(a.status for a in shown)
    per_row: Dict[Tuple[int, int, str], Counter] = {slot: Counter() for slot in rows}
    for appointment in shown:
        per_row[_slot(appointment)][appointment.status] += 1
    lines = [f"Attendance timeline of {name} from {start:%d %b %Y} to {today:%d %b %Y}, "
             f"with bookings of the next 4 weeks: {len(shown)} sessions: "
             f"{_count_words(total)}."]
    for slot, label in rows.items():
        counts = per_row[slot]
        modality, day_time = label.split(", ", 1)
        day, tod = day_time.split(" ", 1)
        lines.append(f"{modality}, {WEEKDAY_NAMES[DAYS.index(day)]} {tod}: "
                     f"{sum(counts.values())} sessions, {_count_words(counts)}.")
    return " ".join(lines)
