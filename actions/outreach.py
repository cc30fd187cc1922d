"""Open, non-judgmental inquiry: coaching the opening, drafting outreach, recording attempts."""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.context import Context, with_client
from actions.guidance.drafts import Refusal, consented_channels, draft_outreach
from actions.guidance.history import CHANNEL_NAMES, CHANNELS
from actions.guidance.opening import opening_coaching
from actions.guidance.outcomes import outreach_of
from actions.records.queries import ClientRecords
from actions.safety_gate import safety_first

ATTEMPT_NAMES = {"sms": "text", "email": "e-mail", "voicemail": "voicemail", "letter": "letter",
                 "phone": "phone call"}
OUTREACH_OUTCOMES = {"reached": "reached", "no_answer": "no answer",
                     "left_message": "message left", "sent": "sent"}


class ActionCoachOpening(Action):
    def __init__(self, records: Optional[ClientRecords] = None):
        self.records = records or ClientRecords()

    def name(self) -> Text:
        return "action_coach_opening"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        def step(ctx: Context):
            held = safety_first(ctx, tracker, dispatcher)
            if held is not None:
                return held
            dispatcher.utter_message(text=opening_coaching(ctx.client, ctx.summary,
                                                           ctx.record.appointments))
            return [SlotSet("next_step", "opening")]

        return await with_client(self.records, tracker, dispatcher, step)


def _channel_buttons(channels: List[str]) -> List[Dict[str, str]]:
    return [{"title": CHANNEL_NAMES[c].capitalize(),
             "payload": f'/request_draft{{"channel": "{c}"}}'} for c in channels]


class ActionDraftOutreach(Action):
    """A draft for a channel the client consented to, marked for the clinician's review."""

    def __init__(self, records: Optional[ClientRecords] = None):
        self.records = records or ClientRecords()

    def name(self) -> Text:
        return "action_draft_outreach"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        channel = next(tracker.get_latest_entity_values("channel"), None)
        if channel not in CHANNELS:
            channel = None  # unknown or forged: ask which, from the consented ones

        def step(ctx: Context):
            held = safety_first(ctx, tracker, dispatcher)
            if held is not None:
                return held
            allowed = consented_channels(ctx.client)
            if channel is None:
                dispatcher.utter_message(
                    text=f"Which kind of draft for {ctx.client.display_name}? These are the "
                         "channels on file that the client consented to:",
                    buttons=_channel_buttons(allowed))
                return []
            draft = draft_outreach(channel, ctx.client, ctx.staff.name, ctx.summary,
                                   ctx.config.name, ctx.record.appointments)
            if isinstance(draft, Refusal):
                dispatcher.utter_message(text=draft.reason,
                                         buttons=_channel_buttons(allowed))
                return []
            dispatcher.utter_message(text=draft.render())
            return [SlotSet("next_step", "draft")]

        return await with_client(self.records, tracker, dispatcher, step)


class ActionRecordOutreach(Action):
    """An outreach attempt the therapist made: channel and result go in the record."""

    def __init__(self, records: Optional[ClientRecords] = None):
        self.records = records or ClientRecords()

    def name(self) -> Text:
        return "action_record_outreach"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        channel, outcome = outreach_of(tracker.latest_message.get("text") or "")
        named = next(tracker.get_latest_entity_values("channel"), None)
        channel = (named if named in ATTEMPT_NAMES else None) or channel or "phone"

        def step(ctx: Context):
            self.records.record_outreach(ctx.staff.id, ctx.client.id, channel, outcome,
                                         ctx.today, ctx.channel)
            attempts = len(ctx.record.outreach) + 1
            dispatcher.utter_message(
                text=f"Recorded for {ctx.client.display_name}: {ATTEMPT_NAMES[channel]}"
                     f", {OUTREACH_OUTCOMES[outcome]} ({attempts} attempt"
                     f"{'s' if attempts != 1 else ''} on record).")
            return safety_first(ctx, tracker, dispatcher) or []

        return await with_client(self.records, tracker, dispatcher, step)
