"""What Reconnect says in Slack to each role, in each mode, as Slack messages (text + blocks).

Default mode (no health information): counts, rates and what needs doing, with a link to the
signed-in widget; never a client's name, id or any fact about one. Health-information mode:
each role's view in a direct message (README, "Slack").
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Dict, List, Optional, Sequence, Tuple

from reconnect.channels.open_items import link
from reconnect.guidance.history import CHANNEL_NAMES
from reconnect.guidance.outcomes import Attempt
from reconnect.guidance.wording import day, plural
from reconnect.records.staff_views import (
    ClientLine,
    FrontDeskView,
    NoShowRates,
    SupervisorView,
    TherapistView,
)

NOT_LINKED = ("Your Slack account is not linked to a staff member of the clinic, so I can't "
              "show you anything. Ask the practice manager to add your Slack user id to your "
              "staff record.")
ASK_IN_DM = "Ask me in a direct message."
TOO_LONG = "That message is too long for me to read. Please ask in fewer words."
OUTCOME_NAMES = {"reached": "reached", "no_answer": "no answer",
                 "left_message": "left a message", "sent": "sent"}

# The front desk's and supervisors' choices: a click sends the value as if it were typed.
FRONT_DESK_MENU = (("Missed today", "missed today"), ("No-show rates", "no-show rates"),
                   ("Follow-ups due today", "follow-ups today"),
                   ("Sessions lost this month", "sessions lost"))
SUPERVISOR_MENU = (("Clients needing attention", "needs attention"),)


@dataclass
class Reply:
    """One Slack message: its text (also the notification's) and optional Block Kit buttons."""

    text: str
    buttons: Sequence[Tuple[str, str]] = field(default=())   # (title, value typed)

    def as_slack(self) -> Dict[str, Any]:
        if not self.buttons:
            return {"text": self.text}
        blocks: List[Dict[str, Any]] = [
            {"type": "section", "text": {"type": "mrkdwn", "text": self.text[:3000]}},
            {"type": "actions", "elements": [
                {"type": "button", "text": {"type": "plain_text", "text": title[:75]},
                 "value": value, "action_id": f"choice_{i}"}
                for i, (title, value) in enumerate(self.buttons[:25])]}]
        return {"text": self.text, "blocks": blocks}


def _pct(value: float) -> str:
    return f"{value * 100:.0f}%"


def _open(url: str, what: str = "Open Reconnect") -> str:
    return f"<{url}|{what}>"


def _item(url: str, item: str, what: str) -> str:
    """A link that opens one item in the signed-in widget (a fixed name: no client in it)."""
    return _open(link(url, item), what)


# -- default mode: counts and links only ------------------------------------------------

def therapist_counts(view: TherapistView, url: str, asked: bool) -> Reply:
    lines = [f"{plural(len(view.due_today), 'follow-up is', 'follow-ups are')} due today, "
             f"{len(view.overdue)} overdue - {_item(url, 'follow-ups', 'open them')}",
             f"{plural(len(view.chronic), 'client is', 'clients are')} over the chronic rule; "
             f"{len(view.at_review)} at the review threshold - "
             f"{_item(url, 'attention', 'open the list')}"]
    if asked:
        lines.append(f"Anything about a client is answered in Reconnect, not here: {_open(url)}")
    return Reply("\n".join(lines))


def front_desk_counts(view: FrontDeskView, url: str, asked: bool) -> Reply:
    four, twelve = view.rates
    lines = [f"{plural(len(view.missed_today), 'client', 'clients')} missed today; "
             f"{len(view.missed_in_a_row)} have missed 2 or more in a row - "
             f"{_item(url, 'missed-today', 'open the list')}",
             f"{plural(len(view.follow_ups_today), 'follow-up is', 'follow-ups are')} due today "
             f"- {_item(url, 'follow-ups-today', 'open them')}",
             f"No-show rate: {_pct(four.overall.rate)} over 4 weeks, "
             f"{_pct(twelve.overall.rate)} over 12 weeks - {_item(url, 'rates', 'open the rates')}",
             f"This month: {plural(view.lost_no_shows, 'no-show', 'no-shows')} and "
             f"{plural(view.lost_late_cancels, 'late cancellation', 'late cancellations')}."]
    lines += _rate_lines(four, limit_to=("therapist", "weekday", "time of day", "modality"))
    if asked:
        lines.append(f"Names and details are in Reconnect, not here: {_open(url)}")
    return Reply("\n".join(lines))


def supervisor_counts(view: SupervisorView, url: str, asked: bool) -> Reply:
    lines = [f"Across {plural(len(view.supervisees), 'supervisee', 'supervisees')}: "
             f"{plural(len(view.at_review), 'client', 'clients')} at the review threshold, "
             f"{len(view.risk_missed)} with a risk level who missed a session in the last 2 "
             f"weeks, {plural(len(view.overdue), 'overdue follow-up', 'overdue follow-ups')} - "
             f"{_item(url, 'supervision', 'open the list')}"]
    if asked:
        lines.append(f"Client summaries open in Reconnect, not here: {_open(url)}")
    return Reply("\n".join(lines))


# -- health-information mode -------------------------------------------------------------

def _booking(line: ClientLine) -> str:
    return f"next booked {_when(line.next_booking)}" if line.next_booking else "nothing booked"


def _when(moment: Optional[datetime]) -> str:
    if moment is None:
        return "-"
    return f"{day(moment.date())} {moment:%H:%M}"


def front_desk_menu(intro: str = "What would you like to see?") -> Reply:
    return Reply(intro + "\nYou can also record an outreach attempt you made, e.g. "
                 "\"called (first and last name), left a voicemail\".", FRONT_DESK_MENU)


def missed_today(view: FrontDeskView) -> Reply:
    lines = [f"*Missed today* ({len(view.missed_today)}):"]
    lines += [f"- {c.client_name} ({c.therapist_name}) at {c.when:%H:%M}, {_booking(c)}"
              for c in view.missed_today if c.when] or ["- no one"]
    lines.append(f"*Missed 2 or more in a row* ({len(view.missed_in_a_row)}):")
    lines += [f"- {c.client_name} ({c.therapist_name}): {c.run} in a row, {_booking(c)}"
              for c in view.missed_in_a_row] or ["- no one"]
    return Reply("\n".join(lines), FRONT_DESK_MENU)


def _rate_lines(rates: NoShowRates, limit_to: Sequence[str]) -> List[str]:
    lines = []
    for dimension in limit_to:
        parts = [f"{r.label} {_pct(r.rate)} ({r.no_shows}/{r.due})"
                 for r in rates.by[dimension] if r.due]
        if parts:
            lines.append(f"By {dimension} ({rates.weeks} weeks): " + ", ".join(parts))
    return lines


def no_show_rates(view: FrontDeskView) -> Reply:
    lines = []
    for rates in view.rates:
        lines.append(f"*Last {rates.weeks} weeks*: clinic {_pct(rates.overall.rate)} "
                     f"({rates.overall.no_shows} no-shows of {rates.overall.due} sessions due)")
        lines += _rate_lines(rates, ("therapist", "weekday", "time of day", "modality"))
    return Reply("\n".join(lines), FRONT_DESK_MENU)


def follow_ups_today(view: FrontDeskView) -> Reply:
    lines = [f"*Follow-ups due today* ({len(view.follow_ups_today)}):"]
    lines += [f"- {c.client_name} ({c.therapist_name})" for c in view.follow_ups_today] \
        or ["- none"]
    return Reply("\n".join(lines), FRONT_DESK_MENU)


def sessions_lost(view: FrontDeskView) -> Reply:
    return Reply(f"This month so far: {plural(view.lost_no_shows, 'session', 'sessions')} lost to "
                 f"no-shows and {view.lost_late_cancels} to late cancellations.",
                 FRONT_DESK_MENU)


def read_back(client_name: str, attempt: Attempt) -> Reply:
    what = CHANNEL_NAMES.get(attempt.channel or "", attempt.channel or "contact")
    on = day(attempt.on) if attempt.on else "today"
    outcome = OUTCOME_NAMES.get(attempt.outcome or "", attempt.outcome or "")
    return Reply(f"Record: {what} to {client_name} on {on}, {outcome}. Save it?",
                 (("Yes", "yes"), ("Cancel", "cancel")))


def supervisor_menu(intro: str = "What would you like to see?") -> Reply:
    return Reply(intro, SUPERVISOR_MENU)


def needs_attention(view: SupervisorView) -> Reply:
    def block(title: str, lines: Sequence[ClientLine], detail) -> List[str]:
        return [f"*{title}* ({len(lines)}):"] + (
            [f"- {c.client_name} ({c.therapist_name}){detail(c)}" for c in lines] or ["- none"])

    text = "\n".join(
        [f"Your supervisees: {', '.join(view.supervisees) or 'none on record'}."]
        + block("At the review threshold", view.at_review,
                lambda c: f": {c.run} consecutive no-shows" if c.run else "")
        + block("Risk on record, missed in the last 2 weeks", view.risk_missed, lambda c: "")
        + block("Overdue follow-ups", view.overdue,
                lambda c: f": due {day(c.when.date())}" if c.when else ""))
    seen: Dict[str, str] = {}
    for c in view.at_review + view.risk_missed + view.overdue:
        seen.setdefault(c.client_id, c.client_name)
    buttons = [(f"Summary: {name}", f"summary {cid}") for cid, name in seen.items()]
    return Reply(text, buttons[:20] + list(SUPERVISOR_MENU))


def unknown_for_role(role: str) -> str:
    what = {"front_desk": "the schedule view and recording outreach attempts",
            "supervisor": "your supervisees' clients who need attention and their summaries",
            "therapist": "your own caseload"}.get(role, "nothing here")
    return f"Here I can help you with {what}."


def today_line(today: date) -> str:
    return day(today)
