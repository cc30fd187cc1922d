"""The front desk's and supervisors' views: in Slack (health-information mode only) and in
the signed-in widget (reconnect.channels.widget_roles, audited as `widget`).

These roles have no walkthrough in the dialogue model, so their few choices are handled
here: a menu (Block Kit in Slack, buttons in the widget), and the same words typed. Anything
else gets what the role can do, never another role's data.
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Any, Optional

from reconnect.channels import slack_replies as say
from reconnect.guidance.attendance import summarize
from reconnect.guidance.outcomes import read_attempt
from reconnect.guidance.summary_text import render_summary
from reconnect.records.read_backs import FrontDeskReadBacks
from reconnect.records.staff_views import StaffViews
from reconnect.settings import clinic_config, clinic_now, clinic_today

CHANNEL = "slack"
YES = re.compile(r"^\s*(yes|y|yep|save( it)?|confirm)\s*[.!]*\s*$", re.I)
CANCEL = re.compile(r"^\s*(cancel|no|stop|don'?t)\b", re.I)
MENU_WORDS = {
    "missed today": "missed", "who missed today": "missed", "no-show rates": "rates",
    "no show rates": "rates", "rates": "rates", "follow-ups today": "follow_ups",
    "follow ups today": "follow_ups", "follow-ups due today": "follow_ups",
    "sessions lost": "lost", "sessions lost this month": "lost",
}
SUMMARY = re.compile(r"^\s*summary\s+(.+?)\s*$", re.I)


def _words(text: str) -> str:
    return " ".join(text.lower().replace("?", " ").split())


def front_desk_reply(channel: Any, staff_id: str, text: str, where: str = CHANNEL
                     ) -> say.Reply:
    views: StaffViews = channel.views
    pending: FrontDeskReadBacks = channel.pending
    today, now = clinic_today(), clinic_now()
    if staff_id in pending:
        answer = _confirm(views, pending, staff_id, text, where)
        if answer is not None:
            return answer
    choice = MENU_WORDS.get(_words(text))
    if choice is not None:
        view = views.front_desk(staff_id, today, now, where)
        if view is None:
            return say.Reply(say.unknown_for_role("front_desk"))
        return {"missed": say.missed_today, "rates": say.no_show_rates,
                "follow_ups": say.follow_ups_today, "lost": say.sessions_lost}[choice](view)
    recorded = _outreach(views, pending, staff_id, text, where)
    if recorded is not None:
        return recorded
    return say.front_desk_menu(say.unknown_for_role("front_desk"))


def _outreach(views: StaffViews, pending: FrontDeskReadBacks, staff_id: str,
              text: str, where: str) -> Optional[say.Reply]:
    """An outreach attempt the front desk reports: read back before anything is saved."""
    clients = views.clients_named(staff_id, text, where) or []
    if not clients:
        return None
    if len(clients) > 1:
        return say.Reply("That names more than one client; record one attempt at a time.")
    client_id, name = clients[0]
    words = re.sub(re.escape(name), "her", text, flags=re.I)
    for part in name.split():
        words = re.sub(rf"\b{re.escape(part)}\b", "", words, flags=re.I)
    reading = read_attempt(words, clinic_today())
    attempt = reading.attempt
    if attempt is None or reading.count:
        return None
    if attempt.outcome is None or attempt.channel is None:
        return say.Reply(f"How did the contact with {name} go, and by what means? Say it in "
                         f"full, e.g. \"called {name}, no answer\".")
    if attempt.on is None:
        attempt = replace(attempt, on=clinic_today())
    pending[staff_id] = (client_id, name, attempt)
    return say.read_back(name, attempt)


def _confirm(views: StaffViews, pending: FrontDeskReadBacks, staff_id: str,
             text: str, where: str) -> Optional[say.Reply]:
    if YES.match(text):
        try:
            waiting = pending.pop(staff_id)
        except KeyError:  # answered already, by a retry or another process
            return None
        saved = views.record_front_desk_outreach(staff_id, waiting.client_id, waiting.channel,
                                                 waiting.outcome, waiting.on, where)
        if saved is None:
            return say.Reply("I could not record that: the client is not on the clinic's list.")
        return say.Reply(f"Recorded for {waiting.client_name}; their therapist sees it with "
                         "the record.",
                         say.FRONT_DESK_MENU)
    if CANCEL.match(text):
        try:
            pending.pop(staff_id)
        except KeyError:
            return None
        return say.Reply("Not recorded.", say.FRONT_DESK_MENU)
    return None


def supervisor_reply(channel: Any, staff_id: str, text: str, where: str = CHANNEL
                     ) -> say.Reply:
    views: StaffViews = channel.views
    today, now = clinic_today(), clinic_now()
    asked = SUMMARY.match(text)
    if asked:
        return _summary(views, staff_id, asked.group(1), today, now, where)
    view = views.supervisor(staff_id, today, now, where)
    if view is None:
        return say.Reply(say.unknown_for_role("supervisor"))
    if _words(text) in ("needs attention", "clients needing attention", "attention"):
        return say.needs_attention(view)
    return say.supervisor_menu(say.unknown_for_role("supervisor"))


def _summary(views: StaffViews, staff_id: str, which: str, today, now, where: str
             ) -> say.Reply:
    view = views.supervisor(staff_id, today, now, where)
    if view is None:
        return say.Reply(say.unknown_for_role("supervisor"))
    lines = view.at_review + view.risk_missed + view.overdue
    wanted = _words(which)
    client_id = next((c.client_id for c in lines
                      if wanted in (c.client_id.lower(), c.client_name.lower())),
                     which.strip())
    record = views.supervisee_summary(staff_id, client_id, today, now, where)
    if record is None:
        return say.Reply("I can open only the summary of a client of your supervisees who "
                         "needs attention now.", say.SUPERVISOR_MENU)
    config = clinic_config()
    summary = summarize(record.appointments, now, config.chronic, config.summary_window_days)
    return say.Reply(render_summary(record.client, summary), say.SUPERVISOR_MENU)
