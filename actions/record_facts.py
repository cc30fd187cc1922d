"""Direct questions answered from the record in one line, and a disputed fact shown (never
argued, never changed from a chat)."""
from __future__ import annotations

import re
from typing import Text

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.base import ClientAction, Context, Events
from actions.pending import PendingWrite, amend_pending, propose_attempt
from reconnect.guidance.facts import disputed


class ActionAnswerFact(ClientAction):
    """"When's her next appointment?", "can I charge him the no-show fee?": one line."""

    safety_before = False  # facts from the record are never held back

    reads_reports = False  # reads them itself

    def name(self) -> Text:
        return "action_answer_fact"

    def step(self, ctx: Context, tracker: Tracker, dispatcher: CollectingDispatcher) -> Events:
        question = tracker.latest_message.get("text") or ""
        reported = propose_attempt(ctx.client.id, ctx.client.display_name, question, ctx.today,
                                   PendingWrite.from_json(tracker.get_slot("pending_write")),
                                   dispatcher, ctx.client)
        if reported:  # "emailed her wed" is a report, whatever it was read as
            return reported
        answer = ctx.answers(question)
        if answer is None:
            dispatcher.utter_message(response="utter_which_fact",
                                     client=ctx.client.display_name)
        else:
            dispatcher.utter_message(text=answer)
        return []


class ActionShowEntries(ClientAction):
    """"That's wrong, she came last week": the entries the fact rests on, and who corrects."""

    safety_before = False

    def name(self) -> Text:
        return "action_show_entries"

    def step(self, ctx: Context, tracker: Tracker, dispatcher: CollectingDispatcher) -> Events:
        text = tracker.latest_message.get("text") or ""
        pending = PendingWrite.from_json(tracker.get_slot("pending_write"))
        if (pending is not None and pending.client_id == ctx.client.id
                and not ATTENDED.search(text)
                and amend_pending(pending, text, ctx.today, self.records)):
            # "no that's wrong, the call is friday" just after a read-back: a change to what
            # was read back, not a dispute of the clinic's record.
            return pending.offer(dispatcher)
        if not DISPUTES.search(text):
            # "how many no shows in a row is he at? and is there an emergency contact": asked,
            # not disputed; each question answered from the record.
            answers = ctx.answers(text)
            if answers:
                dispatcher.utter_message(text=answers)
                return []
        dispatcher.utter_message(text=disputed(text, ctx.client, ctx.record.appointments,
                                               ctx.today))
        return []


# A dispute of attendance, which is the clinic's record and never a change to a read-back.
ATTENDED = re.compile(r"\b(?:came|did come|was there|showed up|attended|wasn'?t a no|not a no"
                      r"|never missed|turned up|no[- ]?show)\b", re.IGNORECASE)
# Words that dispute the record rather than ask it.
DISPUTES = re.compile(r"\b(?:wrong|incorrect|not right|not true|mistake|error|came|did come"
                      r"|was there|showed up|attended|wasn'?t a no|not a no|never missed)\b",
                      re.IGNORECASE)
