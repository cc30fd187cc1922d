"""Who is asking: the acting staff member of a conversation.

For now the staff id comes from the message metadata (`{"staff_id": "..."}`) that the clinic
portal or Slack bridge sends; a later step adds verified login. Without a known id, no client
data is shown.
"""
from __future__ import annotations

from typing import Optional

from rasa_sdk import Tracker


def acting_staff_id(tracker: Tracker) -> Optional[str]:
    metadata = tracker.latest_message.get("metadata") or {}
    staff_id = metadata.get("staff_id")
    if not staff_id:
        session_metadata = tracker.get_slot("session_started_metadata") or {}
        staff_id = session_metadata.get("staff_id")
    return str(staff_id) if staff_id else None


def channel_of(tracker: Tracker) -> Optional[str]:
    return tracker.get_latest_input_channel()
