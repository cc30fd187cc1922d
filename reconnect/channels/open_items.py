"""What a link from Slack opens in the signed-in widget: `<widget url>#open=<item>`.

A fixed vocabulary of item names, the same in widget.js: never a client's id, name or a date,
so a link in Slack identifies no one. The fragment is not sent to any server; the widget
reads it after sign-in, asks for the item as if the member of staff had, and clears it. The
channel then answers the item for the role of whoever signed in, within what that role may
see (reconnect.channels.widget_roles).
"""
from __future__ import annotations

import re
from typing import Dict, Optional

# item -> what the widget shows as the staff member's request
ITEMS: Dict[str, str] = {
    "follow-ups": "Follow-ups due",                      # therapist: due today and overdue
    "attention": "Clients needing attention",            # therapist: chronic rule, review
    "missed-today": "Missed today",                      # front desk
    "follow-ups-today": "Follow-ups due today",          # front desk
    "rates": "No-show rates",                            # front desk
    "supervision": "Supervisees' clients needing attention",   # supervisor
}
# What the widget sends for an item (and what the channel recognises).
REQUEST = re.compile(r"^\s*#open=([a-z-]{1,40})\s*$")


def link(widget_url: str, item: str) -> str:
    """The widget's URL that opens `item` (one of ITEMS) after sign-in."""
    if item not in ITEMS:
        raise ValueError(f"not an item the widget opens: {item}")
    return f"{widget_url.split('#', 1)[0]}#open={item}"


def requested(text: str) -> Optional[str]:
    """The item a widget message asks for (None: an ordinary message)."""
    found = REQUEST.match(text or "")
    return found.group(1) if found and found.group(1) in ITEMS else None
