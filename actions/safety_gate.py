"""Risk comes first: while safety is open for the client in discussion, other steps wait."""
from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.context import Context
from actions.guidance.safety import needs_safety_first, safety_steps


def safety_reminder_if_pending(ctx: Context, tracker: Tracker,
                               dispatcher: CollectingDispatcher) -> bool:
    """Give the safety steps again, and say so, when safety is not yet in hand."""
    if not tracker.get_slot("safety_pending"):
        return False
    reasons = needs_safety_first(ctx.client, ctx.summary,
                                 tracker.latest_message.get("text") or "") or [
        "you raised a safety concern"]
    dispatcher.utter_message(response="utter_safety_before_the_rest",
                             client=ctx.client.display_name)
    dispatcher.utter_message(text=safety_steps(ctx.client, ctx.summary, reasons,
                                               ctx.config.crisis_line))
    return True
