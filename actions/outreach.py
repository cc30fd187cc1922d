"""Open, non-judgmental inquiry: coaching the opening, drafting outreach, recording attempts."""
from __future__ import annotations

import re
from typing import Dict, List, Text

from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import (
    ClientAction,
    Context,
    Events,
    plan_stated,
    record_answer,
    safety_first,
    said_unavailable,
)
from actions.pending import (
    PendingWrite,
    counted_before,
    outcome_write,
    propose_attempt,
    saved_contact_corrected,
)
from reconnect.guidance.drafts import Refusal, consented_channels, draft_outreach
from reconnect.guidance.history import CHANNEL_NAMES, CHANNELS
from reconnect.guidance.opening import opening_coaching
from reconnect.guidance.options import without_unavailable
from reconnect.guidance.outcomes import read_attempt, takes_back
from reconnect.guidance.plan_parser import told_before_the_plan
from reconnect.guidance.safety import raises_concern


class ActionCoachOpening(ClientAction):
    asked = "how to raise the missed sessions with {client}"

    def name(self) -> Text:
        return "action_coach_opening"

    def step(self, ctx: Context, tracker: Tracker, dispatcher: CollectingDispatcher) -> Events:
        dispatcher.utter_message(text=opening_coaching(ctx.client, ctx.summary,
                                                       ctx.record.appointments))
        return [SlotSet("next_step", "opening")]


def _channel_buttons(channels: List[str]) -> List[Dict[str, str]]:
    return [{"title": CHANNEL_NAMES[c].capitalize(),
             "payload": f'/request_draft{{"channel": "{c}"}}'} for c in channels]


# A draft asked for in so many words: "draft a text", "can you write the email", "wording for".
_ASKS_FOR_WORDING = re.compile(r"\b(?:draft|write|compose|template|wording|word|script|help|can\s+you"
                               r"|could\s+you|pls|please|give\s+me|need\s+an?|what\s+(?:do|should)"
                               r"|how\s+(?:do|should))\b|\?", re.IGNORECASE)


class ActionDraftOutreach(ClientAction):
    """A draft for a channel the client consented to, marked for the clinician's review."""

    asked = "a message to {client}"

    def name(self) -> Text:
        return "action_draft_outreach"

    def step(self, ctx: Context, tracker: Tracker, dispatcher: CollectingDispatcher) -> Events:
        text = tracker.latest_message.get("text") or ""
        if not _ASKS_FOR_WORDING.search(text) and not tracker.get_slot("pending_write"):
            # "I'll text him tomorrow offering tuesday evenings, follow up in a week": a plan
            # with the contact in it, read back as one; no draft was asked for
            stated = plan_stated(self.records, ctx, text)
            if stated is not None:
                return stated.offer(dispatcher)
        channel = next(tracker.get_latest_entity_values("channel"), None)
        allowed = consented_channels(ctx.client)
        if channel not in CHANNELS:  # none, unknown or forged: ask which, of the consented
            dispatcher.utter_message(
                text=f"Which kind of draft for {ctx.client.display_name}? These are the "
                     "channels on file that the client consented to:",
                buttons=_channel_buttons(allowed))
            return []
        draft = draft_outreach(channel, ctx.client, ctx.staff.name,
                               without_unavailable(ctx.summary, said_unavailable(tracker)),
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

    reads_reports = False  # reads them itself

    def name(self) -> Text:
        return "action_record_outreach"

    def step(self, ctx: Context, tracker: Tracker, dispatcher: CollectingDispatcher) -> Events:
        text = tracker.latest_message.get("text") or ""
        pending = PendingWrite.from_json(tracker.get_slot("pending_write"))
        if pending is None and tracker.get_slot("last_write") and takes_back(text):
            # "undo the text one, it went to her old number": an undo, never a new attempt.
            return [FollowupAction("action_undo")]
        corrected = None if pending is not None else saved_contact_corrected(
            tracker.get_slot("last_write"), ctx.client.id, ctx.client.display_name, text,
            ctx.today, self.records)
        if corrected is not None:  # "actually the fri one he picked up, fix that pls"
            return corrected.offer(dispatcher)
        if pending is None and raises_concern(text):
            # "called her this morning, no answer; her mum says she can't go on": the safety
            # steps first, and the call read back after them.
            return [FollowupAction("action_safety_steps")]
        # "called her thurs and she picked up, so the plan worked": the outcome comes next.
        outcome = outcome_write(ctx.client.id, ctx.client.display_name, ctx.record.plans,
                                ctx.today, text)
        # "called him this morning and got him ... going forward FD texts him the day before":
        # the plan told after the contact is read back after it.
        before = told_before_the_plan(text) if outcome is None and pending is None else ""
        plan = plan_stated(self.records, ctx, text[len(before):]) if before else None
        if (pending is None and outcome is None
                and read_attempt(text, ctx.today).attempt is None):
            # "she books as she goes and twice now it nearly lapsed. from now on ...": a plan
            # with a count in its context is a plan, not contacts to tell one at a time
            stated = plan or plan_stated(self.records, ctx, text)
            if stated is not None:
                return stated.offer(dispatcher) + (
                    safety_first(ctx, tracker, dispatcher, self.records) or [])
        events = propose_attempt(ctx.client.id, ctx.client.display_name, text, ctx.today,
                                 pending, dispatcher, ctx.client, then=outcome or plan,
                                 counted=counted_before(tracker.events, text))
        if events is None and outcome is not None and pending is None:
            # "fatima haddad update: the call worked": how the plan went, and no new contact.
            events = outcome.offer(dispatcher)
        if events is None and pending is None:
            # "maya chen: FD sends her text reminders, I call her thurs. f/u 3/31": a plan,
            # read back as one, never taken for contacts.
            stated = plan_stated(self.records, ctx, text)
            if stated is not None:
                events = stated.offer(dispatcher)
        answer = record_answer(ctx, text) if events is None else None
        if answer:  # "what outreach is on record for her?": answered, nothing recorded
            dispatcher.utter_message(text=answer)
            return []
        if events is None:
            dispatcher.utter_message(response="utter_no_attempt_heard",
                                     client=ctx.client.display_name)
            return []
        return events + (safety_first(ctx, tracker, dispatcher, self.records) or [])
