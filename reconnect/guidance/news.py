"""A fresh miss told by the therapist ("ugh she no-showed AGAIN this morning"): news, not a
dead end. What the record says of today's session, the run as it stands, and the step of the
walkthrough that fits now. Decision support from the record only: nothing is written."""
from __future__ import annotations

import re
from datetime import date
from typing import Iterable, List

from reconnect.guidance.attendance import AttendanceSummary, Rule
from reconnect.guidance.client import AppointmentLike
from reconnect.guidance.review import ReviewThreshold
from reconnect.guidance.wording import plural

_MISS = re.compile(r"\b(?:no[- ]?show(?:ed|s)?|didn'?t (?:show|come|turn up|make it)|did not (?:show"
                   r"|come)|missed (?:again|today|this morning|this afternoon|her|his|their|the)"
                   r"|dna'?d?|skipped (?:again|today|her|his)|was a no[- ]?show|ghosted)\b",
                   re.IGNORECASE)


_CLINIC_DEFAULT = Rule()


def tells_a_miss(text: str) -> bool:
    """Does the message tell of a session missed ("no-showed again", "didn't show today")?"""
    return bool(_MISS.search(text or ""))


def miss_news(client: str, summary: AttendanceSummary, appointments: Iterable[AppointmentLike],
              today: date, review: ReviewThreshold, rule: Rule = _CLINIC_DEFAULT) -> str:
    """The reply to a fresh miss, every fact from the record. A session of today not yet
    recorded is counted only as "if recorded as a no-show", never as a fact."""
    todays = sorted((a for a in appointments if a.start.date() == today), key=lambda a: a.start)
    lines: List[str] = []
    unrecorded = any(str(getattr(a.status, "value", a.status)) == "scheduled" for a in todays)
    run = summary.current_run + (1 if unrecorded else 0)
    if not todays:
        lines.append(f"The record has no session booked for {client} today; if one was, the "
                     "front desk can add it.")
    for appointment in todays:
        status = str(getattr(appointment.status, "value", appointment.status))
        when = appointment.start.strftime("%H:%M")
        lines.append(f"Today's {when} session for {client} is "
                     + ("not recorded yet (the front desk records attendance)."
                        if status == "scheduled" else f"recorded as {status.replace('_', ' ')}."))
    lines.append(f"As recorded: {plural(summary.current_run, 'consecutive no-show')}; "
                 + summary.verdict.describe()[0].lower() + summary.verdict.describe()[1:])
    chronic = summary.verdict.chronic
    if unrecorded and run > summary.current_run:
        becomes = ("a chronic pattern by the clinic rule" if run >= rule.consecutive
                   else "not yet a chronic pattern by the clinic rule")
        lines.append(f"Once today's is recorded as a no-show: {run} in a row, {becomes} "
                     f"({rule.describe()}).")
        chronic = chronic or run >= rule.consecutive
    if summary.current_run >= review.consecutive:
        lines.append("Next: this is the clinic's point to review whether therapy still fits "
                     f"({review.describe()}). Ask \"should I close the file?\" for the review, "
                     "after checking risk.")
    elif chronic:
        lines.append("Next: reach out without judgement and explore what gets in the way. Ask "
                     "\"how do I raise it?\" or for a draft text, then tell me the barriers.")
    else:
        lines.append("Next: a short, warm check-in is usually enough for a single miss. Ask "
                     "for a draft text or e-mail.")
    return "\n".join(lines)
