"""Barrier exploration and the options that fit this client."""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.context import Context, with_client
from actions.guidance.history import BARRIER_NAMES, BARRIERS
from actions.guidance.options import detect_barriers, render_options
from actions.records.queries import ClientRecords
from actions.safety_gate import safety_first


def barrier_buttons() -> List[Dict[str, str]]:
    return [{"title": BARRIER_NAMES[b].capitalize(),
             "payload": f'/inform_barrier{{"barrier": "{b}"}}'} for b in BARRIERS]


def _options(ctx: Context, barriers: List[str]) -> str:
    return render_options(barriers, ctx.client, ctx.summary, ctx.record.appointments,
                          ctx.plans, ctx.outreach)


class ActionRecordBarriers(Action):
    """Barriers from the therapist's words (or a button), then the options for them."""

    def __init__(self, records: Optional[ClientRecords] = None):
        self.records = records or ClientRecords()

    def name(self) -> Text:
        return "action_record_barriers"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        chosen = [b for b in tracker.get_latest_entity_values("barrier") if b in BARRIERS]
        found = chosen or detect_barriers(tracker.latest_message.get("text") or "")

        def step(ctx: Context):
            held = safety_first(ctx, tracker, dispatcher)
            if held is not None:
                return held
            if not found:
                dispatcher.utter_message(
                    text=f"What gets in the way for {ctx.client.display_name}? Tell me in "
                         "your own words, or pick one or more:", buttons=barrier_buttons())
                return []
            barriers = list(dict.fromkeys((tracker.get_slot("barriers") or []) + found))
            names = ", ".join(BARRIER_NAMES[b] for b in found)
            dispatcher.utter_message(text=f"Noted for {ctx.client.display_name}: {names}.")
            dispatcher.utter_message(text=_options(ctx, barriers))
            return [SlotSet("barriers", barriers), SlotSet("next_step", "options")]

        return await with_client(self.records, tracker, dispatcher, step)


class ActionSuggestOptions(Action):
    def __init__(self, records: Optional[ClientRecords] = None):
        self.records = records or ClientRecords()

    def name(self) -> Text:
        return "action_suggest_options"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        barriers = tracker.get_slot("barriers") or []

        def step(ctx: Context):
            held = safety_first(ctx, tracker, dispatcher)
            if held is not None:
                return held
            if not barriers:
                dispatcher.utter_message(
                    text=f"Options depend on what gets in the way for "
                         f"{ctx.client.display_name}. What do you know so far? Tell me, or "
                         "pick one or more:", buttons=barrier_buttons())
                return [SlotSet("next_step", "barriers")]
            dispatcher.utter_message(text=_options(ctx, barriers))
            return [SlotSet("next_step", "options")]

        return await with_client(self.records, tracker, dispatcher, step)
