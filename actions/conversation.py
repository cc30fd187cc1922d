"""Conversation that holds up: start over, stop, and back to where we were after a question.

A reply that names the client in discussion is given only to that client's own therapist
(`asker_refusal`): the conversation's state is never read back to anyone else.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, AllSlotsReset, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import Events, RecordsAction, asker_refusal
from actions.pending import PendingWrite
from reconnect.guidance.plan_parser import edits_plan

# Where the walkthrough can stand (slot `next_step`); each has a response utter_back_to_<step>.
WALKTHROUGH_STEPS = ("summary", "safety", "opening", "draft", "barriers", "options", "plan",
                     "review")


def plan_edited(tracker: Tracker) -> bool:
    """Does the message change the plan read back ("drop the last one", "scratch step 2"),
    whatever else the model took it for?"""
    pending = PendingWrite.from_json(tracker.get_slot("pending_write"))
    return (pending is not None and pending.kind == "plan"
            and edits_plan(tracker.latest_message.get("text") or ""))


class ActionStartOver(RecordsAction):
    def name(self) -> Text:
        return "action_start_over"

    def work(self, tracker: Tracker, dispatcher: CollectingDispatcher) -> Events:
        if plan_edited(tracker):
            # "scratch step 2" at a plan read back: that step goes, not the whole plan
            return [FollowupAction("action_correct_pending")]
        if (tracker.get_slot("pending_write") and tracker.get_slot("client_name")
                and asker_refusal(self.records, tracker, tracker.get_slot("client_id")) is None):
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
        if plan_edited(tracker):
            # "drop the last one" at a plan read back: that step goes, not the whole plan
            return [FollowupAction("action_correct_pending")]
        dispatcher.utter_message(response="utter_stopped")
        return [ActiveLoop(None), SlotSet("requested_slot", None), SlotSet("plan_text", None),
                SlotSet("plan_follow_up", None), SlotSet("pending_write", None),
                SlotSet("awaiting", None)]


class ActionResumeWalkthrough(RecordsAction):
    """After a question on the side, say where the walkthrough stands (to the client's own
    therapist only; anyone else hears nothing of it)."""

    def name(self) -> Text:
        return "action_resume_walkthrough"

    def work(self, tracker: Tracker, dispatcher: CollectingDispatcher) -> Events:
        client = tracker.get_slot("client_name")
        if client and asker_refusal(self.records, tracker, tracker.get_slot("client_id")) is None:
            step = "safety" if tracker.get_slot("safety_pending") else (
                tracker.get_slot("next_step") or "summary")
            if step not in WALKTHROUGH_STEPS:
                step = "summary"
            dispatcher.utter_message(response=f"utter_back_to_{step}", client=client)
        return []
