"""Every write, confirmed and correctable: save on yes, drop on no, change in the therapist's
own words before saving, and undo the last entry saved in this conversation."""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import (
    ClientAction,
    Context,
    Events,
    RecordsAction,
    StaffAction,
    asker_refusal,
    first_entity,
    follow_up_as_it_is,
    last_exchange,
    plan_amended,
    plan_changed,
    yes_with_changes,
)
from actions.pending import (
    YES_FIRST,
    LastWrite,
    PendingWrite,
    addition_of,
    amend_pending,
    attempts_data,
    attempts_of,
    cleared,
    counted_before,
    discarded,
    outcome_write,
    propose_attempt,
    save_write,
    saved_contact_corrected,
    say_saved,
)
from reconnect.guidance.history import CHANNEL_NAMES
from reconnect.guidance.outcomes import (
    attempt_referred_to,
    may_tell_outcome,
    outcome_of,
    outreach_of,
)
from reconnect.guidance.plan_parser import NO_DATE_ANSWER
from reconnect.guidance.wording import day
from reconnect.records.queries import StaffView
from reconnect.settings import clinic_now

# How far back "the sat one" is looked for: the therapist's last few messages.
MESSAGES_LOOKED_BACK = 6


def _pending(tracker: Tracker) -> Optional[PendingWrite]:
    return PendingWrite.from_json(tracker.get_slot("pending_write"))



class ActionSavePending(ClientAction):
    """The therapist said yes: write what was read back, and say how to undo it."""

    safety_before = False  # they confirmed what they told; it is kept whatever else is open
    saves_a_leading_yes = False
    follow_names = False
    reads_reports = False

    def name(self) -> Text:
        return "action_save_pending"

    def always(self, tracker: Tracker) -> Events:
        return cleared()

    def on_fault(self, tracker: Tracker, dispatcher: CollectingDispatcher) -> Events:
        """The records are down: nothing was saved, and the write stays waiting, so that a
        yes once they are back saves it (a transaction that failed wrote nothing)."""
        dispatcher.utter_message(response="utter_records_unavailable")
        pending = _pending(tracker)
        if pending is not None:
            dispatcher.utter_message(text=f"Nothing was saved for {pending.client_name}. What "
                                          "you told me is kept: say yes again in a minute and "
                                          "I'll save it.")
        return []

    def client_for(self, tracker: Tracker) -> Optional[str]:
        pending = _pending(tracker)
        return pending.client_id if pending else None

    def work(self, tracker: Tracker, dispatcher: CollectingDispatcher) -> Events:
        pending = _pending(tracker)
        if pending is None:
            dispatcher.utter_message(response="utter_nothing_to_save")
            return cleared()
        if not pending.complete:
            refusal = asker_refusal(self.records, tracker, pending.client_id)
            if refusal is not None:  # read back to the client's own therapist only
                dispatcher.utter_message(response=refusal.response)
                return []
            text, buttons = pending.read_back()  # what is still missing, asked again
            dispatcher.utter_message(text=text, buttons=buttons)
            return []
        if _asked_what_to_change(tracker):
            # "yes" to "What should change?" answers nothing: the write is read back again,
            # unchanged, for a yes to it or a change.
            text, buttons = pending.read_back()
            dispatcher.utter_message(text=f"Nothing saved yet. {text}", buttons=buttons)
            return []
        if (tracker.get_slot("safety_pending") and not _read_back_last(tracker)
                and not _SAVE_ASKED.search(tracker.latest_message.get("text") or "")):
            # A yes after the safety steps is no yes to a write read back before them (it may
            # only take the steps in): the write waits, unsaved, and is read back once safety
            # is in hand. A write read back after the steps is saved on the yes that follows.
            dispatcher.utter_message(response="utter_waits_for_safety",
                                     client=pending.client_name)
            return []
        said = tracker.latest_message.get("text") or ""
        changed = yes_with_changes(self.records, tracker, clinic_now().date(), dispatcher)
        if changed is not None:  # the plan read back again, with the changes the yes came with
            return changed + [FollowupAction("action_listen")]
        if pending.kind == "plan" and not YES_FIRST.match(said):
            # "3 wks" read as a yes: the follow-up of the plan read back, which is read back
            # again for its own yes; never saved without it
            changed = plan_changed(self.records, tracker, clinic_now().date(), dispatcher)
            if changed is not None:
                # answered: no rule follows a yes that was none, so wait for the next message
                return changed + [FollowupAction("action_listen")]
        return super().work(tracker, dispatcher)

    def step(self, ctx: Context, tracker: Tracker, dispatcher: CollectingDispatcher) -> Events:
        pending = _pending(tracker)
        assert pending is not None  # checked in work()
        saved = save_write(self.records, pending, ctx.staff.id, ctx.today, ctx.channel,
                           tracker.get_slot("barriers") or [])
        if saved is None:
            dispatcher.utter_message(response="utter_nothing_saved_no_open_plan"
                                     if pending.kind == "plan_outcome"
                                     else "utter_no_such_client_id", client=pending.client_name)
            return cleared()
        say_saved(pending, saved, dispatcher)
        events = cleared() + [SlotSet("last_write", saved.to_json())]
        after = pending.next_write()
        addition = addition_of(tracker.latest_message.get("text") or "")
        if after is not None:  # the second write told in the same message
            events += after.offer(dispatcher)
        elif addition:  # "yes. and the sat one too"
            events += self._added(addition, pending, ctx, tracker, dispatcher)
        if any(e.get("event") == "slot" and e.get("name") == "pending_write" and e.get("value")
               for e in events):
            # Another write read back for its own yes: the next message is waited for (this
            # yes is spent), so that it is not taken again for the write just saved.
            events.append(FollowupAction("action_listen"))
        return events

    def _added(self, words: str, saved: PendingWrite, ctx: Context, tracker: Tracker,
               dispatcher: CollectingDispatcher) -> Events:
        """What a yes added, read back for its own yes: told in full ("yes, and I texted her
        sat"), or one contact of the therapist's earlier messages ("and the sat one too").
        When it cannot be told which, the therapist is asked; nothing is saved from it."""
        name = ctx.client.display_name
        told = propose_attempt(ctx.client.id, name, words, ctx.today, None, dispatcher,
                               ctx.client)
        if told is not None:
            return told
        earlier = [e.get("text") or "" for e in reversed(tracker.events or [])
                   if e.get("event") == "user" and not addition_of(e.get("text") or "")]
        done = ([(a.on, a.channel) for a in attempts_of(saved.data)]
                if saved.kind == "outreach" else [])
        meant = attempt_referred_to(words, earlier[:MESSAGES_LOOKED_BACK], ctx.today, done)
        if meant is not None:
            return PendingWrite("outreach", ctx.client.id, name,
                                attempts_data([meant])).offer(dispatcher)
        dispatcher.utter_message(
            text=f"I couldn't tell which other contact with {name} you mean, so nothing more "
                 "is saved. Tell me it in full (for example \"texted her Saturday, no reply\") "
                 "and I'll read it back before saving.")
        return []


def _read_back_last(tracker: Tracker) -> bool:
    """Did the assistant's last turn read a write back for a yes, or say nothing to go by?"""
    said = last_exchange(tracker)[1]
    return not said or any("Save it?" in text or "Save all" in text for text in said)


def _asked_what_to_change(tracker: Tracker) -> bool:
    """Was the assistant's last turn the question of what to change (its [Change] button)?"""
    said = last_exchange(tracker)[1]
    return not _read_back_last(tracker) and any(
        "What should change" in text or "How did the plan go" in text for text in said)


# Saving asked for in so many words ("ok yes, save the plan"): no bare yes.
_SAVE_ASKED = re.compile(r"\bsave\b", re.IGNORECASE)


class ActionDiscardPending(RecordsAction):
    """The therapist said no: nothing is saved, and the client stays in discussion."""

    def name(self) -> Text:
        return "action_discard_pending"

    def work(self, tracker: Tracker, dispatcher: CollectingDispatcher) -> Events:
        pending = _pending(tracker)
        refusal = pending and asker_refusal(self.records, tracker, pending.client_id)
        if refusal:  # someone else's write: neither named nor dropped
            dispatcher.utter_message(response=refusal.response)
            return []
        if pending is not None and pending.kind in ("outreach", "plan_outcome") and amend_pending(
                pending, tracker.latest_message.get("text") or "", clinic_now().date(),
                self.records):
            # "hmm no, only partly", "no - it was wednesday": a no that says what to change is
            # a correction, read back again; a plain no saves nothing.
            return pending.offer(dispatcher)
        if pending is not None and pending.kind == "plan" and plan_amended(
                pending, tracker.latest_message.get("text") or "", clinic_now().date(),
                self.records):
            # "no, supervisor not me", "no, drop the text reminder": the plan, changed
            return pending.offer(dispatcher)
        if pending is None:
            dispatcher.utter_message(response="utter_nothing_to_save")
            return cleared()
        return discarded(pending, dispatcher)


class ActionCorrectPending(ClientAction):
    """A change to what was read back, in the therapist's words; read back again."""

    safety_before = False
    saves_a_leading_yes = False
    risk_words_first = True
    follow_names = False
    reads_reports = False  # reads them itself

    def name(self) -> Text:
        return "action_correct_pending"

    follow_names = True  # "sorry, that was maya chen not maya patel": the write moves

    def step(self, ctx: Context, tracker: Tracker, dispatcher: CollectingDispatcher) -> Events:
        pending = _pending(tracker)
        text = tracker.latest_message.get("text") or ""
        if pending is not None and addition_of(text):
            # "yes, and the saturday text too": the yes saves; the addition is read back.
            return [FollowupAction("action_save_pending")]
        if pending is None or ctx.switched_from is not None and pending.client_id == (
                ctx.switched_from or None):
            if pending is not None:  # the same write, for the client now named
                pending.client_id, pending.client_name = ctx.client.id, ctx.client.display_name
                return pending.offer(dispatcher)
            corrected = saved_contact_corrected(
                tracker.get_slot("last_write"), ctx.client.id, ctx.client.display_name, text,
                ctx.today, self.records, first_entity(tracker, "outcome"),
                first_entity(tracker, "channel"))
            if corrected is not None:
                # "actually sorry the fri one he picked up, fix that pls": the contact just
                # saved, changed, read back; on yes it replaces the saved one (audited)
                return corrected.offer(dispatcher)
            # Nothing waiting: a report read as a correction is still a report ("thurs and
            # sat, no answer both times" after a count), and so is how the last plan went
            # ("right, that didn't work").
            events = propose_attempt(ctx.client.id, ctx.client.display_name, text, ctx.today,
                                     None, dispatcher, ctx.client,
                                     counted=counted_before(tracker.events, text))
            if events is None and may_tell_outcome(text):
                outcome = outcome_write(ctx.client.id, ctx.client.display_name,
                                        ctx.record.plans, ctx.today, text, outcome_of(text))
                events = outcome.offer(dispatcher) if outcome is not None else None
            if events is None:
                dispatcher.utter_message(response="utter_nothing_to_change")
                return []
            return events
        changed = (plan_amended(pending, text, ctx.today, self.records)
                   if pending.kind == "plan" and NO_DATE_ANSWER.match(text)
                   else amend_pending(pending, text, ctx.today, self.records,
                                      first_entity(tracker, "outcome"),
                                      first_entity(tracker, "channel")))
        if not changed:
            follow_up = follow_up_as_it_is(pending, text, ctx.today)
            if follow_up is not None:
                # "f/u the 30th" when the follow-up is the 30th already: so it stays
                dispatcher.utter_message(text=f"The follow-up is {day(follow_up)} already.")
                return pending.offer(dispatcher)
            dispatcher.utter_message(response=f"utter_what_to_change_{pending.kind}")
            return []
        return pending.offer(dispatcher)


class ActionUndo(StaffAction):
    """Take back the last entry saved in this conversation (audited as a correction)."""

    def name(self) -> Text:
        return "action_undo"

    def staff_step(self, staff: StaffView, tracker: Tracker,
                   dispatcher: CollectingDispatcher) -> Events:
        waiting = _pending(tracker)
        last = LastWrite.from_json(tracker.get_slot("last_write"))
        if waiting is not None:
            # "scratch that" while a write is read back: the last thing is the read-back, so
            # it is dropped and nothing saved; an entry saved before it stays as it is, and
            # the reply says how to take that back too.
            events = discarded(waiting, dispatcher)
            if last is not None and not last.undone:
                dispatcher.utter_message(
                    text=f"Still in the record: {last.label} for {last.client_name}. Say "
                         "\"undo\" again to take that back too.")
            return events
        if last is None:
            dispatcher.utter_message(response="utter_nothing_to_undo")
            return []
        if last.undone:
            dispatcher.utter_message(text=already_undone(last))
            return []
        said = tracker.latest_message.get("text") or ""
        meant = outreach_of(said)[0]
        if meant is not None and (last.kind != "outreach"
                                  or last.channels and meant not in last.channels):
            # "undo the friday call" when the last entry is a safety concern (or a text): not
            # the entry meant, so nothing is taken back
            dispatcher.utter_message(
                text=f"Nothing taken back: the last entry saved in this conversation is "
                     f"{last.label} for {last.client_name}, not a {CHANNEL_NAMES[meant]}. Only "
                     "the last entry can be undone here; if an earlier one is wrong, ask your "
                     "practice manager to correct it (the audit trail keeps every correction).")
            return []
        # "undo the text one": of several attempts saved together, only the one named.
        named, rest = last.only(meant)
        keep: Optional[LastWrite] = None
        if named is not None:
            last, keep = named, rest
        done = all([self.records.take_back(staff.id, last.client_id, last.kind, entry,
                                           tracker.get_latest_input_channel())
                    for entry in (last.entry_id, *last.more_ids)])
        if not done:
            dispatcher.utter_message(response="utter_nothing_to_undo")
            return [SlotSet("last_write", None)]
        dispatcher.utter_message(response="utter_undone", what=last.label,
                                 client=last.client_name)
        if keep is None:
            keep = replace(last, undone=True)
        return [SlotSet("last_write", keep.to_json())]


def already_undone(last: LastWrite) -> str:
    """A second undo: only the last entry saved in this conversation can be taken back here,
    and it was; what was saved before it stays, and who corrects it."""
    return (f"Only the last entry saved in this conversation can be undone here, and it "
            f"({last.label} for {last.client_name}) has already been taken back. Anything "
            "saved before it stays in the record: if one of those entries is wrong, ask your "
            "practice manager to correct it; the audit trail keeps every correction.")
