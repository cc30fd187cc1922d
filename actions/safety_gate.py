"""Risk comes first: while safety is open for the client in discussion, other steps wait.

Safety opens when the record calls for it (client lookup), when the therapist reports a
concern, and whenever the therapist's words speak of risk, whatever the intent classifier made
of them: "no car, and she said she wants to die" is read as a barrier, but the words decide.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.context import Context
from actions.guidance.safety import mentions_risk, needs_safety_first, safety_steps


def safety_first(ctx: Context, tracker: Tracker,
                 dispatcher: CollectingDispatcher) -> Optional[List[Dict[str, Any]]]:
    """None when the step may go on; otherwise give the safety steps and return the events.

    Steps that advise (opening, drafts, options, plans, review) call this first and stop when
    it returns events. Steps that record what already happened (an outreach attempt, a plan's
    outcome) record it first, so nothing the therapist said is lost, then call this.
    """
    text = tracker.latest_message.get("text") or ""
    if not tracker.get_slot("safety_pending") and not mentions_risk(text):
        return None
    reasons = needs_safety_first(ctx.client, ctx.summary, text) or [
        "you raised a safety concern"]
    dispatcher.utter_message(response="utter_safety_before_the_rest",
                             client=ctx.client.display_name)
    dispatcher.utter_message(text=safety_steps(ctx.client, ctx.summary, reasons,
                                               ctx.config.crisis_line))
    return [SlotSet("safety_pending", True), SlotSet("next_step", "safety")]
