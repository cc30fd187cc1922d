"""Conversation that holds up: start over, stop, and back to where we were after a question."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, AllSlotsReset, SlotSet
from rasa_sdk.executor import CollectingDispatcher

# What the therapist can do next, by the last walkthrough step taken (slot `next_step`).
NEXT_STEP_HINTS = {
    "summary": "ask how to open the conversation, ask for an outreach draft, or tell me "
               "what you know of the barriers",
    "safety": "tell me when you have safety in hand, and we'll go on",
    "opening": "ask for a draft (text, e-mail, voicemail, letter), or tell me the barriers",
    "draft": "tell me the barriers you know, or what you agreed",
    "barriers": "ask what to offer, or tell me what you agreed",
    "options": "tell me what you agreed, in your own words, and I'll record it",
    "plan": "say yes to save the plan, or no to leave it",
    "review": "ask for the closing letter, or tell me what you decided",
}


class ActionStartOver(Action):
    def name(self) -> Text:
        return "action_start_over"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
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
                SlotSet("plan_follow_up", None), SlotSet("pending_plan", None),
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
            hint = NEXT_STEP_HINTS.get(step, NEXT_STEP_HINTS["summary"])
            dispatcher.utter_message(text=f"Back to {client}: {hint}.")
        return []
