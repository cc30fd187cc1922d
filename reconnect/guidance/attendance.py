"""What a client's appointment history says: counts, runs, timing patterns, money, verdict.

Definitions (stated in the summary and the README so a therapist can check them):
- An outcome is attended, no_show, late_cancel or cancelled; `scheduled` is a booking.
- The current run is the number of no-shows since the last attended session. Cancellations
  (late or with notice) neither count toward it nor break it: they are not attendance.
- The window covers the last `window_days` days up to and including today.
- A timing pattern compares missed sessions (no-shows and late cancellations) with attended
  ones by weekday, time of day and modality.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Iterable, List, Optional, Sequence, Tuple

from reconnect.guidance.client import AppointmentLike

ATTENDED, NO_SHOW, LATE_CANCEL, CANCELLED, SCHEDULED = (
    "attended", "no_show", "late_cancel", "cancelled", "scheduled")
MISSED = (NO_SHOW, LATE_CANCEL)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MODALITY_NAMES = {"in_person": "in person", "telehealth": "telehealth", "phone": "phone"}
# A pattern is reported only when it rests on enough sessions and stands out clearly.
MIN_MISSES_FOR_PATTERN = 3
MIN_RATE_GAP = 0.25
# When nearly every session falls in one group (the client's usual slot), a higher miss rate
# there says little: the sessions to compare with must be at least this share of the total.
MIN_COMPARISON_SHARE = 0.25


@dataclass(frozen=True)
class Rule:
    consecutive: int = 2
    in_window: int = 3
    window_days: int = 90

    def describe(self) -> str:
        return (f"{self.consecutive} consecutive no-shows, or {self.in_window} in "
                f"{self.window_days} days")


@dataclass(frozen=True)
class Counts:
    attended: int = 0
    no_show: int = 0
    late_cancel: int = 0
    cancelled: int = 0

    @property
    def booked(self) -> int:
        return self.attended + self.no_show + self.late_cancel + self.cancelled


@dataclass(frozen=True)
class Pattern:
    """Missed sessions concentrate in one group (a weekday, a time of day or a modality)."""

    dimension: str          # "weekday" | "time of day" | "modality"
    group: str              # e.g. "Monday", "evening", "telehealth"
    missed: int
    total: int
    other_missed: int
    other_total: int

    @property
    def rate(self) -> float:
        return self.missed / self.total

    @property
    def other_rate(self) -> float:
        return self.other_missed / self.other_total if self.other_total else 0.0

    def describe(self) -> str:
        label = {"weekday": f"sessions on {self.group}s", "time of day": f"{self.group} sessions",
                 "modality": f"{self.group} sessions"}[self.dimension]
        others = {"weekday": "on other days", "time of day": "at other times",
                  "modality": "in other modalities"}[self.dimension]
        return (f"missed {self.missed} of {self.total} {label}, against "
                f"{self.other_missed} of {self.other_total} {others}")

    def same_sessions_as(self, other: "Pattern") -> bool:
        """Two views of one set of sessions (every Monday session is a morning one)."""
        return (self.missed, self.total, self.other_missed, self.other_total) == (
            other.missed, other.total, other.other_missed, other.other_total)


@dataclass(frozen=True)
class Verdict:
    chronic: bool
    reasons: Tuple[str, ...]
    rule: Rule

    def describe(self) -> str:
        if self.chronic:
            return (f"Chronic pattern by the clinic rule ({self.rule.describe()}): "
                    + " and ".join(self.reasons) + ".")
        return f"Not a chronic pattern by the clinic rule ({self.rule.describe()})."


@dataclass(frozen=True)
class AttendanceSummary:
    today: date
    window_days: int
    window: Counts
    total: Counts
    current_run: int
    last_attended: Optional[datetime]
    next_booked: Optional[datetime]
    next_booked_modality: Optional[str]
    unrecorded: int                      # booked in the past, outcome not yet recorded
    patterns: Tuple[Pattern, ...]
    amount_owed: Decimal
    verdict: Verdict
    no_shows_in_rule_window: int
    attended_slots: Tuple[Tuple[str, str, int], ...] = field(default=())  # (weekday, hh:mm, n)
    # Misses after a long run of kept sessions: (kept, of, last kept day), else None.
    recent_change: Optional[Tuple[int, int, date]] = None
    # The weekday-and-time slots of the current run of no-shows: never offered as "kept".
    run_slots: Tuple[Tuple[str, str], ...] = field(default=())

    @property
    def has_history(self) -> bool:
        return self.total.booked > 0


def _count(appointments: Iterable[AppointmentLike]) -> Counts:
    tally = Counter(a.status for a in appointments)
    return Counts(tally[ATTENDED], tally[NO_SHOW], tally[LATE_CANCEL], tally[CANCELLED])


def time_of_day(moment: datetime) -> str:
    if moment.hour < 12:
        return "morning"
    if moment.hour < 17:
        return "afternoon"
    return "evening"


def _groupers():
    return (
        ("weekday", lambda a: WEEKDAYS[a.start.weekday()]),
        ("time of day", lambda a: time_of_day(a.start)),
        ("modality", lambda a: MODALITY_NAMES.get(a.modality, a.modality)),
    )


def find_patterns(kept: Sequence[AppointmentLike]) -> Tuple[Pattern, ...]:
    """Groups whose miss rate stands clearly above the rest; strongest first."""
    found: List[Pattern] = []
    for dimension, key in _groupers():
        missed = Counter(key(a) for a in kept if a.status in MISSED)
        total = Counter(key(a) for a in kept)
        if len(total) < 2:
            continue  # nothing to compare with
        all_missed, all_total = sum(missed.values()), sum(total.values())
        best: Optional[Pattern] = None
        for group, n in total.items():
            m = missed[group]
            candidate = Pattern(dimension, group, m, n, all_missed - m, all_total - n)
            if (m >= MIN_MISSES_FOR_PATTERN
                    and candidate.other_total >= MIN_COMPARISON_SHARE * all_total
                    and candidate.rate - candidate.other_rate >= MIN_RATE_GAP
                    and (best is None or candidate.rate > best.rate)):
                best = candidate
        if best:
            found.append(best)
    distinct: List[Pattern] = []
    for pattern in sorted(found, key=lambda p: p.other_rate - p.rate):
        if not any(pattern.same_sessions_as(kept) for kept in distinct):
            distinct.append(pattern)
    return tuple(distinct)


def current_run(past: Sequence[AppointmentLike]) -> int:
    """No-shows since the last attended session (cancellations skipped)."""
    run = 0
    for appointment in sorted(past, key=lambda a: a.start, reverse=True):
        if appointment.status == ATTENDED:
            break
        if appointment.status == NO_SHOW:
            run += 1
    return run


# A change from a habit: at least this many sessions before the run, nearly all kept, and a run
# of at least this many no-shows after them.
CHANGE_MIN_BEFORE = 6
CHANGE_MIN_KEPT_SHARE = 0.8
CHANGE_MIN_RUN = 2
# ... and of the sessions just before the run, at most this many missed.
CHANGE_RECENT = 10
CHANGE_RECENT_MISSES = 1


def recent_change(past: Sequence[AppointmentLike], run: int
                  ) -> Optional[Tuple[int, int, date]]:
    """(kept, of, last kept day) when the current run of no-shows follows a long stretch of
    kept sessions: a change in the client's life more likely than a bad slot."""
    if run < CHANGE_MIN_RUN:
        return None
    ordered = sorted((a for a in past if a.status in (ATTENDED, *MISSED)), key=lambda a: a.start)
    last_kept = max((i for i, a in enumerate(ordered) if a.status == ATTENDED), default=None)
    if last_kept is None:
        return None
    before = ordered[:last_kept + 1]
    kept = sum(1 for a in before if a.status == ATTENDED)
    recent = before[-CHANGE_RECENT:]
    recent_kept = sum(1 for a in recent if a.status == ATTENDED)
    if (len(before) < CHANGE_MIN_BEFORE or kept / len(before) < CHANGE_MIN_KEPT_SHARE
            or len(recent) - recent_kept > CHANGE_RECENT_MISSES):
        return None  # misses before the run too: a pattern, not a change
    return kept, len(before), ordered[last_kept].start.date()


def run_slots(past: Sequence[AppointmentLike]) -> Tuple[Tuple[str, str], ...]:
    """The weekday-and-time slots of the no-shows since the last attended session."""
    slots = []
    for appointment in sorted(past, key=lambda a: a.start, reverse=True):
        if appointment.status == ATTENDED:
            break
        if appointment.status == NO_SHOW:
            slots.append((WEEKDAYS[appointment.start.weekday()],
                          appointment.start.strftime("%H:%M")))
    return tuple(dict.fromkeys(slots))


def amount_owed(appointments: Iterable[AppointmentLike]) -> Decimal:
    owed = Decimal("0.00")
    for a in appointments:
        if a.fee_charged is not None:
            balance = Decimal(a.fee_charged) - Decimal(a.fee_paid or 0)
            if balance > 0:
                owed += balance
    return owed.quantize(Decimal("0.01"))


def attended_slots(past: Sequence[AppointmentLike], limit: int = 3
                   ) -> Tuple[Tuple[str, str, int], ...]:
    """The weekday-and-time slots the client has attended most often."""
    tally = Counter((WEEKDAYS[a.start.weekday()], a.start.strftime("%H:%M"))
                    for a in past if a.status == ATTENDED)
    return tuple((day, hhmm, n) for (day, hhmm), n in tally.most_common(limit))


def by_modality(appointments: Sequence[AppointmentLike]) -> dict:
    """How the client attended in each modality: {modality: (kept, missed)}."""
    result: dict = {}
    for a in appointments:
        if a.status in (ATTENDED, *MISSED):
            kept, missed = result.get(a.modality, (0, 0))
            result[a.modality] = (kept + (a.status == ATTENDED), missed + (a.status in MISSED))
    return result


def summarize(appointments: Sequence[AppointmentLike], now: datetime, rule: Rule,
              window_days: int = 90) -> AttendanceSummary:
    """Summarize a client's attendance as of `now` (clinic-local, naive)."""
    today = now.date()
    outcomes = [a for a in appointments if a.status != SCHEDULED]
    past_bookings = [a for a in appointments if a.status == SCHEDULED and a.start < now]
    upcoming = sorted((a for a in appointments if a.status == SCHEDULED and a.start >= now),
                      key=lambda a: a.start)

    def in_last(days: int):
        first_day = today - timedelta(days=days - 1)
        return [a for a in outcomes if first_day <= a.start.date() <= today]

    window = in_last(window_days)
    run = current_run(outcomes)
    rule_window_no_shows = sum(1 for a in in_last(rule.window_days) if a.status == NO_SHOW)
    reasons = []
    if run >= rule.consecutive:
        reasons.append(f"{run} consecutive no-shows")
    if rule_window_no_shows >= rule.in_window:
        reasons.append(f"{rule_window_no_shows} no-shows in the last {rule.window_days} days")
    attended = [a.start for a in outcomes if a.status == ATTENDED]
    kept_or_missed = [a for a in outcomes if a.status in (ATTENDED, *MISSED)]

    return AttendanceSummary(
        today=today,
        window_days=window_days,
        window=_count(window),
        total=_count(outcomes),
        current_run=run,
        last_attended=max(attended) if attended else None,
        next_booked=upcoming[0].start if upcoming else None,
        next_booked_modality=upcoming[0].modality if upcoming else None,
        unrecorded=len(past_bookings),
        patterns=find_patterns(kept_or_missed),
        amount_owed=amount_owed(appointments),
        verdict=Verdict(bool(reasons), tuple(reasons), rule),
        no_shows_in_rule_window=rule_window_no_shows,
        attended_slots=attended_slots(outcomes),
        recent_change=recent_change(outcomes, run),
        run_slots=run_slots(outcomes),
    )
