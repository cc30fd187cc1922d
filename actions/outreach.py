"""Open, non-judgmental inquiry: coaching the opening, drafting outreach, recording attempts."""
from __future__ import annotations

from typing import Dict, List, Text

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import ClientAction, Context, Events, safety_first
from reconnect.guidance.drafts import Refusal, consented_channels, draft_outreach
from reconnect.guidance.history import CHANNEL_NAMES, CHANNELS
from reconnect.guidance.opening import opening_coaching
from reconnect.guidance.outcomes import outreach_of
from reconnect.guidance.wording import plural

ATTEMPT_NAMES = {"sms": "text", "email": "e-mail", "voicemail": "voicemail", "letter": "letter",
                 "phone": "phone call"}
OUTREACH_OUTCOMES = {"reached": "reached", "no_answer": "no answer",
                     "left_message": "message left", "sent": "sent"}


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
    """An outreach attempt the therapist made: channel and result go in the record."""

    safety_before = False  # record what was done first; then the safety steps, if open

    def name(self) -> Text:
        return "action_record_outreach"

    def step(self, ctx: Context, tracker: Tracker, dispatcher: CollectingDispatcher) -> Events:
        channel, outcome = outreach_of(tracker.latest_message.get("text") or "")
        named = next(tracker.get_latest_entity_values("channel"), None)
        channel = (named if named in ATTEMPT_NAMES else None) or channel or "phone"
        self.records.record_outreach(ctx.staff.id, ctx.client.id, channel, outcome,
                                     ctx.today, ctx.channel)
        attempts = len(ctx.record.outreach) + 1
        dispatcher.utter_message(
            text=f"Recorded for {ctx.client.display_name}: {ATTEMPT_NAMES[channel]}"
                 f", {OUTREACH_OUTCOMES[outcome]} ({plural(attempts, 'attempt')} on record).")
        return safety_first(ctx, tracker, dispatcher) or []
