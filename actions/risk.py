"""Risk comes first: the safety steps, made concrete from the record, before anything else."""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.context import Context, with_client
from actions.guidance.safety import needs_safety_first, safety_steps
from actions.records.queries import ClientRecords


class ActionSafetySteps(Action):
    """The therapist's words speak of risk: safety steps for the client in discussion."""

    def __init__(self, records: Optional[ClientRecords] = None):
        self.records = records or ClientRecords()

    def name(self) -> Text:
        return "action_safety_steps"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        text = tracker.latest_message.get("text") or ""
        if not tracker.get_slot("client_id"):
            # No client yet: the general steps still come first, then the record.
            dispatcher.utter_message(response="utter_safety_steps_general")
            return [SlotSet("next_step", "safety")]

        def step(ctx: Context):
            reasons = needs_safety_first(ctx.client, ctx.summary, text) or [
                "you raised a safety concern"]
            dispatcher.utter_message(text=safety_steps(ctx.client, ctx.summary, reasons,
                                                       ctx.config.crisis_line))
            return [SlotSet("safety_pending", True), SlotSet("next_step", "safety")]

        return await with_client(self.records, tracker, dispatcher, step)


class ActionSafetyInHand(Action):
    def name(self) -> Text:
        return "action_safety_in_hand"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        client = tracker.get_slot("client_name")
        if client:
            dispatcher.utter_message(response="utter_safety_noted", client=client)
            dispatcher.utter_message(response="utter_after_safety")
        else:
            dispatcher.utter_message(response="utter_safety_noted_no_client")
        return [SlotSet("safety_pending", False), SlotSet("next_step", "summary")]
