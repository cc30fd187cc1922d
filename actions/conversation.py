"""Conversation that holds up: start over, stop, and back to where we were after a question."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, AllSlotsReset, SlotSet
from rasa_sdk.executor import CollectingDispatcher

# Where the walkthrough can stand (slot `next_step`); each has a response utter_back_to_<step>.
WALKTHROUGH_STEPS = ("summary", "safety", "opening", "draft", "barriers", "options", "plan",
                     "review")


class ActionStartOver(Action):
    def name(self) -> Text:
        return "action_start_over"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        if tracker.get_slot("pending_write") and tracker.get_slot("client_name"):
            # "No, start again" at a read-back: that write again, not the whole conversation.
            dispatcher.utter_message(response="utter_write_started_over",
                                     client=tracker.get_slot("client_name"))
            return [ActiveLoop(None), SlotSet("pending_write", None), SlotSet("awaiting", None),
                    SlotSet("plan_text", None), SlotSet("plan_follow_up", None)]
        dispatcher.utter_message(response="utter_started_over")
        return [ActiveLoop(None), AllSlotsReset()]


class ActionStop(Action):
    """Leave the current step: nothing pending is saved."""

    def name(self) -> Text:
        return "action_stop"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(response="utter_stopped")
        return [ActiveLoop(None), SlotSet("requested_slot", None), SlotSet("plan_text", None),
                SlotSet("plan_follow_up", None), SlotSet("pending_write", None),
                SlotSet("awaiting", None)]


class ActionResumeWalkthrough(Action):
    """After a question on the side, say where the walkthrough stands."""

    def name(self) -> Text:
        return "action_resume_walkthrough"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        client = tracker.get_slot("client_name")
        if client:
            step = "safety" if tracker.get_slot("safety_pending") else (
                tracker.get_slot("next_step") or "summary")
            if step not in WALKTHROUGH_STEPS:
                step = "summary"
            dispatcher.utter_message(response=f"utter_back_to_{step}", client=client)
        return []
