"""Open, non-judgmental inquiry: coaching the opening, drafting outreach, recording attempts."""
from __future__ import annotations

from typing import Dict, List, Text

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import ClientAction, Context, Events, safety_first
from actions.pending import CORRECTION_CUE, PendingWrite, attempt_data, attempt_of
from reconnect.guidance.drafts import Refusal, consented_channels, draft_outreach
from reconnect.guidance.history import CHANNEL_NAMES, CHANNELS
from reconnect.guidance.opening import opening_coaching
from reconnect.guidance.outcomes import amend_attempt, read_attempt


class ActionCoachOpening(ClientAction):
    def name(self) -> Text:
        return "action_coach_opening"

    def step(self, ctx: Context, tracker: Tracker, dispatcher: CollectingDispatcher) -> Events:
        dispatcher.utter_message(text=opening_coaching(ctx.client, ctx.summary,
                                                       ctx.record.appointments))
        return [SlotSet("next_step", "opening")]


def _channel_buttons(channels: List[str]) -> List[Dict[str, str]]:
    return [{"title": CHANNEL_NAMES[c].capitalize(),
             "payload": f'/request_draft{{"channel": "{c}"}}'} for c in channels]


class ActionDraftOutreach(ClientAction):
    """A draft for a channel the client consented to, marked for the clinician's review."""

    def name(self) -> Text:
        return "action_draft_outreach"

    def step(self, ctx: Context, tracker: Tracker, dispatcher: CollectingDispatcher) -> Events:
        channel = next(tracker.get_latest_entity_values("channel"), None)
        allowed = consented_channels(ctx.client)
        if channel not in CHANNELS:  # none, unknown or forged: ask which, of the consented
            dispatcher.utter_message(
                text=f"Which kind of draft for {ctx.client.display_name}? These are the "
                     "channels on file that the client consented to:",
                buttons=_channel_buttons(allowed))
            return []
        draft = draft_outreach(channel, ctx.client, ctx.staff.name, ctx.summary,
                               ctx.config.contacts, ctx.record.appointments)
        if isinstance(draft, Refusal):
            dispatcher.utter_message(text=draft.reason, buttons=_channel_buttons(allowed))
            return []
        dispatcher.utter_message(text=draft.render())
        return [SlotSet("next_step", "draft")]


class ActionRecordOutreach(ClientAction):
    """A contact attempt the therapist reports: read back, saved only on their yes.

    Only a report of an attempt already made is read as one; the day is the day said ("called
    her tuesday" is last Tuesday), and what was not said (how a call went) is asked for.
    """

    safety_before = False  # take down what was done first; then the safety steps, if open

    def name(self) -> Text:
        return "action_record_outreach"

    def step(self, ctx: Context, tracker: Tracker, dispatcher: CollectingDispatcher) -> Events:
        text = tracker.latest_message.get("text") or ""
        pending = PendingWrite.from_json(tracker.get_slot("pending_write"))
        reading = read_attempt(text, ctx.today)
        if (pending and pending.kind == "outreach" and pending.client_id == ctx.client.id
                and (reading.attempt is None or CORRECTION_CUE.match(text))):
            # "no, it was wednesday": a change to the attempt waiting for a yes.
            attempt, _ = amend_attempt(attempt_of(pending.data), text, ctx.today)
            pending.data = attempt_data(attempt)
            return self._read_back(pending, ctx, tracker, dispatcher)
        if reading.count:
            dispatcher.utter_message(response="utter_attempts_one_at_a_time",
                                     client=ctx.client.display_name)
            return []
        if reading.attempt is None:
            dispatcher.utter_message(response="utter_no_attempt_heard",
                                     client=ctx.client.display_name)
            return []
        if pending is not None:
            dispatcher.utter_message(response="utter_earlier_not_saved")
        proposed = PendingWrite("outreach", ctx.client.id, ctx.client.display_name,
                                attempt_data(reading.attempt))
        return self._read_back(proposed, ctx, tracker, dispatcher)

    @staticmethod
    def _read_back(pending: PendingWrite, ctx: Context, tracker: Tracker,
                   dispatcher: CollectingDispatcher) -> Events:
        text, buttons = pending.read_back()
        dispatcher.utter_message(text=text, buttons=buttons)
        return pending.events() + (safety_first(ctx, tracker, dispatcher) or [])
