"""Risk comes first: the safety steps, made concrete from the record, before anything else."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import ClientAction, Context, Events
from reconnect.guidance.safety import needs_safety_first, safety_steps
from reconnect.settings import clinic_config


class ActionSafetySteps(ClientAction):
    """The therapist's words speak of risk: safety steps for the client in discussion."""

    safety_before = False  # this is the safety step

    def name(self) -> Text:
        return "action_safety_steps"

    def work(self, tracker: Tracker, dispatcher: CollectingDispatcher) -> Events:
        if not tracker.get_slot("client_id"):
            # No client yet: the general steps still come first, then the record.
            contacts = clinic_config().contacts
            dispatcher.utter_message(response="utter_safety_steps_general",
                                     crisis_line=contacts.crisis_line,
                                     emergency_number=contacts.emergency_number)
            return [SlotSet("next_step", "safety")]
        return super().work(tracker, dispatcher)

    def step(self, ctx: Context, tracker: Tracker, dispatcher: CollectingDispatcher) -> Events:
        text = tracker.latest_message.get("text") or ""
        reasons = needs_safety_first(ctx.client, ctx.summary, text) or [
            "you raised a safety concern"]
        dispatcher.utter_message(text=safety_steps(ctx.client, ctx.summary, reasons,
                                                   ctx.config.contacts))
        return [SlotSet("safety_pending", True), SlotSet("next_step", "safety")]


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
