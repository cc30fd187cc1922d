"""The morning digest in Slack (`reconnect digest [--dry-run]`).

Each therapist linked to Slack gets a direct message with their follow-ups due today and
overdue, the clients who crossed the chronic rule since their last digest, and the clients at
the review threshold; each supervisor the summary of their supervisees' clients who need
attention. Staff with nothing to report get nothing. At most one digest per staff member and
clinic day: the database remembers what was sent, so a second run that day sends nothing.
In the default mode (clinic.yml `slack.health_information: false`) a digest holds counts and
links that open each item in the widget only.
"""
from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Callable, List, Optional, Tuple

from reconnect.channels import slack_replies as say
from reconnect.channels.open_items import link
from reconnect.channels.slack import make_client
from reconnect.guidance.wording import day
from reconnect.records.staff_views import ClientLine, StaffViews, TherapistView
from reconnect.settings import SlackMode, clinic_now, clinic_today, slack_mode

CHANNEL = "slack_digest"


@dataclass
class DigestRun:
    sent: List[str] = field(default_factory=list)        # staff ids
    nothing: List[str] = field(default_factory=list)     # nothing to report
    already: List[str] = field(default_factory=list)     # sent earlier today
    failed: List[str] = field(default_factory=list)


def _names(lines: Tuple[ClientLine, ...], with_day: bool = False) -> str:
    return ", ".join(f"{c.client_name}" + (f" (due {day(c.when.date())})"
                                           if with_day and c.when else "") for c in lines)


def therapist_digest(view: TherapistView, mode: SlackMode) -> say.Reply:
    if not mode.health_information:
        url = mode.widget_url
        return say.Reply(
            f"Good morning. Follow-ups: {len(view.due_today)} due today, {len(view.overdue)} "
            f"overdue - <{link(url, 'follow-ups')}|open them>.\n"
            f"{len(view.newly_chronic)} client(s) crossed the chronic rule since your last "
            f"digest; {len(view.at_review)} at the review threshold - "
            f"<{link(url, 'attention')}|open the list>.")
    lines = ["Good morning. From your caseload:"]
    for title, group, with_day in (("Follow-ups due today", view.due_today, False),
                                   ("Overdue follow-ups", view.overdue, True),
                                   ("Crossed the chronic rule since your last digest",
                                    view.newly_chronic, False),
                                   ("At the review threshold", view.at_review, False)):
        if group:
            lines.append(f"*{title}* ({len(group)}): {_names(group, with_day)}")
    return say.Reply("\n".join(lines))


def _digest_for(views: StaffViews, staff_id: str, role: str, mode: SlackMode
                ) -> Optional[Tuple[say.Reply, set]]:
    """(message, chronic client ids to remember), or None when there is nothing to report."""
    today, now = clinic_today(), clinic_now()
    if role == "therapist":
        since = views.last_digest_chronic(staff_id)
        view = views.therapist(staff_id, today, now, CHANNEL, since_ids=since)
        if view is None or view.empty:
            return None
        return therapist_digest(view, mode), {c.client_id for c in view.chronic}
    if role == "supervisor":
        supervision = views.supervisor(staff_id, today, now, CHANNEL)
        if supervision is None or supervision.empty:
            return None
        reply = (say.needs_attention(supervision) if mode.health_information
                 else say.supervisor_counts(supervision, mode.widget_url, False))
        return say.Reply("Good morning. " + reply.text), set()
    return None  # the front desk asks for its views when it needs them


async def _send(token: str, api_url: Optional[str], slack_user: str, reply: say.Reply) -> None:
    client = make_client(token, api_url)
    opened = await client.conversations_open(users=slack_user)
    await client.chat_postMessage(channel=opened["channel"]["id"], **reply.as_slack())


def run_digest(token: str, api_url: Optional[str] = None, dry_run: bool = False,
               database_url: Optional[str] = None, mode: Optional[SlackMode] = None,
               show: Callable[[str], None] = print) -> DigestRun:
    views = StaffViews(database_url)
    mode = mode or slack_mode()
    today = clinic_today()
    run = DigestRun()
    for staff_id, name, role, slack_user in views.linked_staff():
        if views.digest_sent(staff_id, today):
            run.already.append(staff_id)
            continue
        digest = _digest_for(views, staff_id, role, mode)
        if digest is None:
            run.nothing.append(staff_id)
            continue
        reply, chronic = digest
        if dry_run:
            show(f"--- to {name} ({staff_id}) ---\n{reply.text}")
            run.sent.append(staff_id)
            continue
        if not views.claim_digest(staff_id, today, chronic):
            run.already.append(staff_id)
            continue
        try:
            asyncio.run(_send(token, api_url, slack_user, reply))
        except Exception as exc:  # the type only: the message may hold client data
            views.release_digest(staff_id, today)
            show(f"Not sent to {staff_id}: {type(exc).__name__}")
            run.failed.append(staff_id)
            continue
        run.sent.append(staff_id)
    return run
