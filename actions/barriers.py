"""Barrier exploration and the options that fit this client."""
from __future__ import annotations

from typing import Dict, List, Text

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import ClientAction, Context, Events, record_answer, said_unavailable
from reconnect.guidance.history import BARRIER_NAMES, BARRIERS
from reconnect.guidance.options import detect_barriers, render_options, without_unavailable


def barrier_buttons() -> List[Dict[str, str]]:
    return [{"title": BARRIER_NAMES[b].capitalize(),
             "payload": f'/inform_barrier{{"barrier": "{b}"}}'} for b in BARRIERS]


def _options(ctx: Context, barriers: List[str], tracker: Tracker) -> str:
    """The options, never offering a day or time the therapist said no longer fits."""
    unavailable = said_unavailable(tracker)
    text = render_options(barriers, ctx.client, without_unavailable(ctx.summary, unavailable),
                          ctx.record.appointments, ctx.plans, ctx.outreach)
    if unavailable:
        text += ("\nLeft out of the slots above, as you said they no longer fit: "
                 + ", ".join(u.describe() for u in unavailable) + ".")
    return text


class ActionRecordBarriers(ClientAction):
    """Barriers from the therapist's words (or a button), then the options for them."""

    asked = "what gets in the way for {client}"

    def name(self) -> Text:
        return "action_record_barriers"

    def step(self, ctx: Context, tracker: Tracker, dispatcher: CollectingDispatcher) -> Events:
        chosen = [b for b in tracker.get_latest_entity_values("barrier") if b in BARRIERS]
        found = chosen or detect_barriers(tracker.latest_message.get("text") or "")
        answer = None if found else record_answer(ctx, tracker.latest_message.get("text") or "")
        if answer:  # "what have I tried with him": a question for the record, answered
            dispatcher.utter_message(text=answer)
            return []
        if not found:
            dispatcher.utter_message(
                text=f"What gets in the way for {ctx.client.display_name}? Tell me in "
                     "your own words, or pick one or more:", buttons=barrier_buttons())
            return []
        barriers = list(dict.fromkeys((tracker.get_slot("barriers") or []) + found))
        names = ", ".join(BARRIER_NAMES[b] for b in found)
        dispatcher.utter_message(text=f"Noted for {ctx.client.display_name}: {names}.")
        dispatcher.utter_message(text=_options(ctx, barriers, tracker))
        return [SlotSet("barriers", barriers), SlotSet("next_step", "options")]


class ActionSuggestOptions(ClientAction):
    asked = "options for {client}"

    def name(self) -> Text:
        return "action_suggest_options"

    def step(self, ctx: Context, tracker: Tracker, dispatcher: CollectingDispatcher) -> Events:
        said = detect_barriers(tracker.latest_message.get("text") or "")
        # "mornings are out, new shift pattern. options?": the barrier told with the request
        # counts, added to those already noted.
        barriers = list(dict.fromkeys((tracker.get_slot("barriers") or []) + said))
        if said:
            names = ", ".join(BARRIER_NAMES[b] for b in said)
            dispatcher.utter_message(text=f"Noted for {ctx.client.display_name}: {names}.")
        if not barriers:
            dispatcher.utter_message(
                text=f"Options depend on what gets in the way for "
                     f"{ctx.client.display_name}. What do you know so far? Tell me, or "
                     "pick one or more:", buttons=barrier_buttons())
            return [SlotSet("next_step", "barriers")]
        dispatcher.utter_message(text=_options(ctx, barriers, tracker))
        return ([SlotSet("barriers", barriers)] if said else []) + [SlotSet("next_step",
                                                                            "options")]
