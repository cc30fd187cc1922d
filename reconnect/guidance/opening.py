"""How to open the conversation about missed sessions: the facts, an opener, the barriers.

The domain brief (step 3): name the pattern factually, with curiosity, without blame; then
explore the barriers (step 4). The facts come from the record, never from the therapist's
typing; the opener uses the name the client goes by. For a barrier that is "not known yet"
`open_questions` gives questions the therapist can ask.
"""
from __future__ import annotations

from typing import List, Optional, Sequence

from reconnect.guidance.attendance import (
    ATTENDED,
    MISSED,
    NO_SHOW,
    AppointmentLike,
    AttendanceSummary,
)
from reconnect.guidance.client import ClientLike
from reconnect.guidance.evidence import WHAT_WORKS
from reconnect.guidance.history import BARRIER_NAMES, BARRIERS
from reconnect.guidance.wording import day, number_word, plural

# Sessions looked back on for "missed N of the last M".
RECENT_SESSIONS = 5


def addressed_as(client: ClientLike) -> str:
    """The name the client goes by: preferred name, else first name."""
    return (client.preferred_name or "").strip() or client.first_name


def recent_misses(appointments: Sequence[AppointmentLike], last: int = RECENT_SESSIONS
                  ) -> tuple:
    """(missed, of, no-shows) over the last `last` sessions that were due to take place.

    Sessions cancelled with notice and bookings without an outcome are left out: they were
    neither kept nor missed.
    """
    due = sorted((a for a in appointments if a.status in (ATTENDED, *MISSED)),
                 key=lambda a: a.start)[-last:]
    missed = sum(1 for a in due if a.status in MISSED)
    no_shows = sum(1 for a in due if a.status == NO_SHOW)
    return missed, len(due), no_shows


def pattern_facts(summary: AttendanceSummary,
                  appointments: Optional[Sequence[AppointmentLike]] = None) -> List[str]:
    """The pattern in plain facts from the record, one per line, without judgement."""
    facts: List[str] = []
    if not summary.has_history:
        return ["No sessions on record yet."]
    if appointments:
        missed, of, no_shows = recent_misses(appointments)
        if of:
            detail = f" ({plural(no_shows, 'no-show')})" if missed and no_shows != missed else ""
            facts.append(f"Missed {missed} of the last {plural(of, 'session')}{detail}.")
    w = summary.window
    facts.append(f"Last {summary.window_days} days: {w.attended} attended, "
                 f"{plural(w.no_show, 'no-show')}, {plural(w.late_cancel, 'late cancellation')}.")
    if summary.current_run:
        since = (f"since the last attended session on {day(summary.last_attended.date())}"
                 if summary.last_attended else "and no session attended yet")
        facts.append(f"{plural(summary.current_run, 'no-show')} in a row {since}.")
    elif summary.last_attended:
        facts.append(f"Last attended {day(summary.last_attended.date())}.")
    for p in summary.patterns:
        facts.append(f"When misses happen: {p.describe()}.")
    return facts


def _opener(client: ClientLike, summary: AttendanceSummary) -> List[str]:
    name = addressed_as(client)
    weekday = next((p for p in summary.patterns if p.dimension == "weekday"), None)
    if weekday:
        noticed = (f"I've noticed {weekday.group}s have been harder to make than other days, "
                   "and I wanted to check in with you rather than guess why.")
    elif summary.current_run >= 2:
        noticed = (f"I've noticed we haven't managed to meet the last "
                   f"{number_word(summary.current_run)} times, and I wanted to check in with you "
                   "rather than guess why.")
    else:
        noticed = ("I've noticed it's been harder to make our sessions lately, and I wanted to "
                   "check in with you rather than guess why.")
    return [f'"{name}, {noticed}',
            "I'm curious what's been getting in the way - there's no wrong answer, and I'd like "
            'us to find something that works for you."']


def opening_coaching(client: ClientLike, summary: AttendanceSummary,
                     appointments: Optional[Sequence[AppointmentLike]] = None) -> str:
    """Coaching for the opening conversation: facts, a two-line opener, what to avoid, barriers.

    `appointments` is optional; with it the facts include "missed N of the last M sessions".
    """
    name = addressed_as(client)
    lines = [f"Opening the conversation with {client.display_name}: name the pattern "
             "factually, with curiosity, without blame."]
    if client.risk_level in ("elevated", "high"):
        lines.append(f"- Risk level on record is {client.risk_level}: settle safety first "
                     "(ask me for the safety steps).")
    lines.append("The facts from the record:")
    lines += [f"- {fact}" for fact in pattern_facts(summary, appointments)]
    lines.append("A possible opener:")
    lines += [f"  {line}" for line in _opener(client, summary)]
    lines.append("Avoid:")
    lines.append('- Blame or labels ("you keep missing", "you\'re not committed").')
    lines.append("- Fees or policy first: money can come later, once you know what's going on.")
    lines.append('- Ultimatums ("one more and I\'ll have to close your file").')
    lines.append(f"- Guessing the reason for {name}: ask, then listen.")
    lines.append("Barriers to explore: "
                 + ", ".join(BARRIER_NAMES[b] for b in BARRIERS if b != "not_known")
                 + ", or not known yet (I can suggest open questions).")
    lines.append(WHAT_WORKS)
    lines.append(f"Decision support: adapt the words to {name} and to your relationship.")
    return "\n".join(lines)


def open_questions() -> List[str]:
    """Open, non-judgmental questions for when the barrier is not known yet."""
    return [
        "What has made it hard to get to our sessions lately?",
        "What's been going on for you over the last few weeks?",
        "When you've planned to come and then couldn't, what got in the way?",
        "How have our sessions been feeling for you - is there anything you'd want to be "
        "different?",
        "What would make it easier to come: a different day or time, meeting less often, or "
        "meeting by video or phone?",
        "Has anything practical, like getting here, cost, work or looking after someone, "
        "become harder?",
        "What would you like to get from our work now - has that changed since we started?",
    ]
