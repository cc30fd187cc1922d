"""Who is asking: the acting staff member of a conversation.

The staff id comes from the metadata of the current message (`{"staff_id": "..."}`), which the
channel sets: the web widget (and the REST channel when a sign-in secret or key is configured)
from the verified sign-in token only, replacing anything the browser sent; the REST channel in
demo mode from what the caller says (reconnect/channels/). Only the current
message counts: a message without a staff id is nobody's, whoever opened the conversation.
Without a known id, no client data is shown.
"""
from __future__ import annotations

from typing import Optional

from rasa_sdk import Tracker


def acting_staff_id(tracker: Tracker) -> Optional[str]:
    metadata = tracker.latest_message.get("metadata") or {}
    staff_id = metadata.get("staff_id") if isinstance(metadata, dict) else None
    return str(staff_id) if staff_id else None


def channel_of(tracker: Tracker) -> Optional[str]:
    return tracker.get_latest_input_channel()
