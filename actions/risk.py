"""Risk comes first: the safety steps, made concrete from the record, before anything else."""
from __future__ import annotations

import re
from typing import Text

from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import (
    Choice,
    ClientAction,
    Context,
    Events,
    load_context,
    note_concern,
    safety_reasons,
)
from actions.pending import (
    CORRECTION_CUE,
    YES_FIRST,
    PendingWrite,
    outcome_then_attempt,
    propose_attempt,
)
from reconnect.guidance.safety import mentions_risk, raises_concern, safety_steps
from reconnect.settings import clinic_config


class ActionSafetySteps(ClientAction):
    """The therapist's words speak of risk: safety steps for the client in discussion, and
    the record notes that a concern was raised (when, reported by whom; never the words).

    The note is written at once, not held for a yes: safety must not wait on a button. It is
    shown, and "undo" takes it back like any other entry. A write waiting for the therapist's
    yes stays waiting, and is offered again once safety is in hand.
    """

    safety_before = False  # this is the safety step
    reads_reports = False  # reads them itself, after the steps
    saves_a_leading_yes = False

    def name(self) -> Text:
        return "action_safety_steps"

    def work(self, tracker: Tracker, dispatcher: CollectingDispatcher) -> Events:
        loaded = load_context(self.records, tracker, self.client_for(tracker), self.follow_names)
        if isinstance(loaded, Context) or (
                isinstance(loaded, Choice) and not raises_concern(
                    tracker.latest_message.get("text") or "")):
            return self.work_with(loaded, tracker, dispatcher)
        # No client yet, or none the words name for sure ("called sofia rossi, her mum says
        # she can't go on" names her; "his brother rang - ..." with a name that fits none):
        # the general steps still come first, then what the record lookup said.
        contacts = clinic_config().contacts
        dispatcher.utter_message(response="utter_safety_steps_general",
                                 crisis_line=contacts.crisis_line,
                                 emergency_number=contacts.emergency_number)
        if isinstance(loaded, Choice):
            dispatcher.utter_message(text=loaded.text, buttons=loaded.buttons)
        elif loaded.response not in ("utter_ask_which_client",):
            dispatcher.utter_message(response=loaded.response, name=loaded.name)
        return [SlotSet("next_step", "safety")]

    def step(self, ctx: Context, tracker: Tracker, dispatcher: CollectingDispatcher) -> Events:
        text = tracker.latest_message.get("text") or ""
        if mentions_risk(text) and not raises_concern(text) and not safety_reasons(ctx, text):
            # "Denies SI, no safety concerns": a negative screen, acknowledged; the gate stays
            # open for the walkthrough (the record's own flags would still close it).
            dispatcher.utter_message(response="utter_negative_screen",
                                     client=ctx.client.display_name)
            if PendingWrite.from_json(tracker.get_slot("pending_write")) is not None:
                return []
            # "called him yesterday, he picked up ... denies SI": the call is read back
            return _reports_told(ctx, text, dispatcher)
        # Noted only when the words raise a risk ("her mum is sick" read as a risk report, or
        # "she was never suicidal", still gets the steps, cautiously, but nothing in the
        # record), once a day a source: "she's still not answering" adds nothing new.
        ctx, events = note_concern(self.records, ctx, text)
        told = (tracker.latest_message.get("intent") or {}).get("name") == "report_risk_concern"
        reasons = safety_reasons(ctx, text) or [
            "what you told me may speak of risk" if told else "you asked about safety"]
        dispatcher.utter_message(text=safety_steps(ctx.client, ctx.summary, reasons,
                                                   ctx.config.contacts))
        if events:
            dispatcher.utter_message(response="utter_concern_noted",
                                     client=ctx.client.display_name)
        if PendingWrite.from_json(tracker.get_slot("pending_write")) is None:
            # "Called her this morning, no answer; her mum says she can't go on": the call
            # is a report too, read back after the steps (a write already waiting stays);
            # so is how the last plan went ("the telehealth plan didn't work, and she ...").
            events += _reports_told(ctx, text, dispatcher)
        return events + [SlotSet("safety_pending", True), SlotSet("next_step", "safety")]


def _reports_told(ctx: Context, text: str, dispatcher: CollectingDispatcher) -> Events:
    """How the last plan went and the contacts the words tell, read back for a yes: the
    outcome first, then the contact ("the plan worked, she made her friday session")."""
    outcome = outcome_then_attempt(ctx.client.id, ctx.client.display_name, ctx.record.plans,
                                   ctx.today, text)
    if outcome is not None:
        return outcome.offer(dispatcher)
    return propose_attempt(ctx.client.id, ctx.client.display_name, text, ctx.today, None,
                           dispatcher, ctx.client) or []


# Safety said to be in hand, in so many words (a question may carry it: "safety's fine, so
# what now?").
_TELLS_IN_HAND = re.compile(r"\bin hand\b|\bsafety(?:'?s| is)? (?:fine|ok|okay|sorted|covered|done"
                            r"|handled|in place|good)\b|\b(?:she|he|they)(?:'?s| is| are|'?re) "
                            r"safe\b(?!\s*\?)|\bsafety plan (?:is )?in place\b", re.IGNORECASE)
_QUESTION_START = re.compile(r"^\s*(?:and\s+|so\s+|but\s+)?(?:what|whats|how|is|are|does|did|do"
                             r"|can|could|should|when|who|which|why|any)\b", re.IGNORECASE)


def asks_without_telling(text: str) -> bool:
    """A question that does not say safety is in hand ("and his risk level?", "is she
    safe?"): read as safety in hand, it would put what was not said in the record."""
    if not text or text.startswith("/"):
        return False  # a button
    asks = "?" in text or bool(_QUESTION_START.match(text))
    return asks and not _TELLS_IN_HAND.search(text)


class ActionSafetyInHand(ClientAction):
    """The therapist has safety in hand: open concerns are marked so, and what waited (a
    write read back before the risk came up) is offered again."""

    safety_before = False
    saves_a_leading_yes = False
    follow_names = False

    reads_reports = False  # reads them itself

    def name(self) -> Text:
        return "action_safety_in_hand"

    def work(self, tracker: Tracker, dispatcher: CollectingDispatcher) -> Events:
        if not tracker.get_slot("client_id"):
            # No client in discussion: one the words name is the one meant ("called ben osei
            # wed, spoke to him, no safety concerns, he just forgot").
            text = tracker.latest_message.get("text") or ""
            loaded = load_context(self.records, tracker, None, follow_names=True)
            if isinstance(loaded, Context) and loaded.switched_from is not None:
                if mentions_risk(text) and not raises_concern(text):
                    # a negative screen, told with the news: the safety step's to answer
                    return ActionSafetySteps(self.records).work_with(loaded, tracker, dispatcher)
                return self.work_with(loaded, tracker, dispatcher)
            dispatcher.utter_message(response="utter_safety_noted_no_client")
            return [SlotSet("safety_pending", False), SlotSet("next_step", "summary")]
        return super().work(tracker, dispatcher)

    def step(self, ctx: Context, tracker: Tracker, dispatcher: CollectingDispatcher) -> Events:
        text = tracker.latest_message.get("text") or ""
        answers = ctx.answers(text) if "?" in text else None
        if asks_without_telling(text):
            # "and his risk level?" is a question, not safety in hand: nothing is recorded.
            dispatcher.utter_message(
                text=answers or f"Tell me when you have safety in hand for "
                                f"{ctx.client.display_name} (\"safety's in hand\") and we'll "
                                "go on.")
            return []
        self.records.concerns_in_hand(ctx.staff.id, ctx.client.id, ctx.channel)
        dispatcher.utter_message(response="utter_safety_noted", client=ctx.client.display_name)
        if answers:  # "safety's fine. whens her next appt?": the question is answered too
            dispatcher.utter_message(text=answers)
        pending = PendingWrite.from_json(tracker.get_slot("pending_write"))
        if pending is not None and pending.client_id == ctx.client.id and YES_FIRST.match(text):
            # "yes. and safety is fine": the yes is for the write waiting; it is saved.
            return [SlotSet("safety_pending", False), SlotSet("next_step", "summary"),
                    FollowupAction("action_save_pending")]
        # "I called him, he picked up, he's safe for now": the call is a report too; a write
        # waiting is changed only by words that say they change it ("no, it was wednesday").
        # A plan waiting is read back again after the contact ("we reached dana, she's safe"),
        # never replaced by it.
        correcting = CORRECTION_CUE.match(text) is not None
        reported = propose_attempt(ctx.client.id, ctx.client.display_name, text, ctx.today,
                                   pending if correcting else None, dispatcher, ctx.client,
                                   then=None if correcting else pending)
        if reported:
            return reported + [SlotSet("safety_pending", False), SlotSet("next_step", "summary")]
        if pending is not None and pending.client_id == ctx.client.id:
            dispatcher.utter_message(response="utter_back_to_waiting_write")
            text, buttons = pending.read_back()
            dispatcher.utter_message(text=text, buttons=buttons)
            return [SlotSet("safety_pending", False), SlotSet("next_step", "summary")]
        dispatcher.utter_message(response="utter_after_safety")
        return [SlotSet("safety_pending", False), SlotSet("next_step", "summary")]
