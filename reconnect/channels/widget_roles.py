"""What the signed-in widget answers itself, before a message reaches the dialogue.

- An item a link from Slack opens (`#open=<item>`, reconnect.channels.open_items), for the
  role of whoever signed in: a therapist's follow-ups go to the dialogue as its own
  `/ask_followups`; their clients needing attention (over the chronic rule, at the review
  threshold) are answered here from the database. An item of another role gets what this
  role can do.
- The front desk and supervisors have no walkthrough in the dialogue model: every message of
  theirs gets their role view, as in Slack with health information (reconnect.channels.
  slack_roles: the front desk never sees a risk level, a barrier, a plan's content or a fee;
  a supervisor only their supervisees' clients), audited with the channel `widget`.

Slack's mrkdwn is rendered plainly; choices become the widget's buttons.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Tuple

from reconnect.channels import slack_replies as say
from reconnect.channels.open_items import ITEMS, requested
from reconnect.channels.slack_roles import front_desk_reply, supervisor_reply
from reconnect.records.queries import ClientRecords
from reconnect.records.read_backs import FrontDeskReadBacks
from reconnect.records.staff_views import ClientLine, StaffViews, TherapistView
from reconnect.settings import clinic_now, clinic_today

CHANNEL = "widget"
FOLLOW_UPS = "/ask_followups"           # the dialogue's own intent: no retraining needed
BOLD = re.compile(r"\*([^*\n]+)\*")
# Each role's items, as the words the role's view answers.
FRONT_DESK_ITEMS = {"missed-today": "missed today", "follow-ups-today": "follow-ups today",
                    "follow-ups": "follow-ups today", "rates": "no-show rates"}
SUPERVISOR_ITEMS = {"supervision": "needs attention", "attention": "needs attention"}
CANNOT = "I can't show you that here."


@dataclass(frozen=True)
class Routed:
    """Either the answer (a widget message) or the text the dialogue gets instead."""

    reply: Optional[Dict[str, Any]] = None
    text: Optional[str] = None


def plain(reply: say.Reply) -> Dict[str, Any]:
    """A Slack reply as a widget message: no mrkdwn, buttons as the widget's."""
    message: Dict[str, Any] = {"text": BOLD.sub(r"\1", reply.text)}
    if reply.buttons:
        message["buttons"] = [{"title": title, "payload": value}
                              for title, value in reply.buttons]
    return message


def attention(view: TherapistView) -> say.Reply:
    """A therapist's own clients over the chronic rule and at the review threshold."""
    def block(title: str, lines: Tuple[ClientLine, ...]) -> List[str]:
        return [f"{title} ({len(lines)}):"] + (
            [f"- {c.client_name}" + (f": {c.run} consecutive no-shows now" if c.run else "")
             for c in lines] or ["- none"])

    text = "\n".join(block("Over the chronic rule", view.chronic)
                     + block("At the review threshold", view.at_review)
                     + ["Name a client to see the record and plan the next step."])
    names: Dict[str, str] = {}
    for c in view.chronic + view.at_review:
        names.setdefault(c.client_id, c.client_name)
    return say.Reply(text, [(name, f"pull up {name}") for name in list(names.values())[:20]])


class WidgetRoles:
    """The widget's own answers, for one database URL (None: the configured DATABASE_URL)."""

    def __init__(self, database_url: Optional[str] = None) -> None:
        self.views = StaffViews(database_url)
        self.records = ClientRecords(database_url)
        # A front desk's outreach attempt waiting for its yes, by staff id (slack_roles), in
        # the database: the yes counts whichever process it reaches.
        self.pending = FrontDeskReadBacks(database_url)

    def role_of(self, staff_id: str) -> Optional[str]:
        staff = self.records.staff(staff_id)
        return staff.role if staff else None

    def route(self, staff_id: str, text: str) -> Routed:
        """Answer here, or say what the dialogue gets (raises when the records are down)."""
        item = requested(text)
        role = self.role_of(staff_id)
        if role == "front_desk":
            if item is not None and item not in FRONT_DESK_ITEMS:
                return Routed(plain(say.front_desk_menu(say.unknown_for_role(role))))
            asked = FRONT_DESK_ITEMS[item] if item else text
            return Routed(plain(front_desk_reply(self, staff_id, asked, CHANNEL)))
        if role == "supervisor":
            if item is not None and item not in SUPERVISOR_ITEMS:
                return Routed(plain(say.supervisor_menu(say.unknown_for_role(role))))
            asked = SUPERVISOR_ITEMS[item] if item else text
            return Routed(plain(supervisor_reply(self, staff_id, asked, CHANNEL)))
        # A therapist, or no one known (the dialogue refuses an unknown staff id, audited).
        if item is None:
            return Routed(text=text)
        if item in ("follow-ups", "follow-ups-today"):
            return Routed(text=FOLLOW_UPS)
        if item == "attention":
            view = self.views.therapist(staff_id, clinic_today(), clinic_now(), CHANNEL)
            return Routed(plain(attention(view)) if view else {"text": CANNOT})
        return Routed({"text": say.unknown_for_role("therapist")})


def shown_as(text: str) -> Optional[str]:
    """What the widget showed for a request it sent for an item (for the history)."""
    if text == FOLLOW_UPS:
        return ITEMS["follow-ups"]
    item = requested(text)
    return ITEMS[item] if item else None
