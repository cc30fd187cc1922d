"""Agree a plan, record it, follow it up: the plan form, confirmation, saving, outcomes."""
from __future__ import annotations

import asyncio
from datetime import date, timedelta
from typing import Any, Dict, List, Optional, Sequence, Text, Tuple

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import (
    OUTCOME_BUTTONS,
    ClientAction,
    Context,
    Events,
    StaffAction,
    client_names,
    safety_first,
)
from actions.pending import PLAN_RESULTS as OUTCOMES
from actions.pending import (
    PendingWrite,
    amend_pending,
    attempt_write,
    outcome_then_attempt,
    outcome_write,
    plan_data,
    with_consents,
)
from reconnect.guidance.dates import follow_up_date
from reconnect.guidance.facts import topic_of
from reconnect.guidance.news import miss_news, tells_a_miss
from reconnect.guidance.outcomes import outcome_of
from reconnect.guidance.plan_parser import (
    NO_DATE_ANSWER,
    NO_FOLLOW_UP,
    ParsedPlan,
    adds_steps,
    asks_to_make_a_plan,
    client_as_subject,
    edits_plan,
    lone_intention,
    parse_plan,
    told_before_the_plan,
    without_risk,
)
from reconnect.guidance.safety import raises_concern
from reconnect.guidance.wording import day
from reconnect.records.db import RecordsUnavailable
from reconnect.records.queries import ClientRecords, StaffView
from reconnect.settings import clinic_config, clinic_today


def _plan_from_slots(text: str, follow_up: Optional[str], today: date,
                     front_desk_names: Sequence[str] = (),
                     supervisor_names: Sequence[str] = ()) -> ParsedPlan:
    plan = parse_plan(text, today, front_desk_names=front_desk_names,
                      supervisor_names=supervisor_names)
    if follow_up == NONE_SAID:
        plan = ParsedPlan(plan.steps, None, plan.owner, no_follow_up=True)
    elif follow_up:
        plan = ParsedPlan(plan.steps, date.fromisoformat(follow_up), plan.owner)
    return plan


# The follow-up slot's value when the therapist said there is no review date (yet).
NONE_SAID = "none"


def _staff_names() -> Tuple[List[str], List[str]]:
    """Front-desk and supervisor names for reading a plan; none when the records are down
    (the plan is read again, with them, before it is read back)."""
    try:
        records = ClientRecords()
        return records.staff_names("front_desk"), records.staff_names("supervisor")
    except RecordsUnavailable:
        return [], []


class ValidatePlanForm(FormValidationAction):
    """Collect the plan in the therapist's words and a follow-up date; check both."""

    def name(self) -> Text:
        return "validate_plan_form"

    async def required_slots(self, domain_slots: List[Text], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> List[Text]:
        # Without a client the form ends at once and action_propose_plan says why. With
        # safety open the plan is still taken down (it is often the safety plan itself);
        # the safety steps come with its read-back.
        if not tracker.get_slot("client_id"):
            return []
        said = tracker.get_slot("plan_text") or tracker.latest_message.get("text") or ""
        if lone_intention(said, parse_plan(said, clinic_today())):
            return []  # no follow-up asked for what is no plan; action_propose_plan says so
        return domain_slots

    async def validate_plan_text(self, value: Any, dispatcher: CollectingDispatcher,
                                 tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        front_desk, supervisors = await asyncio.to_thread(_staff_names)
        plan = parse_plan(str(value or ""), clinic_today(), front_desk_names=front_desk,
                          supervisor_names=supervisors)
        if "?" in str(value or "") and topic_of(str(value or "")):
            # "the fortnightly plan from before, is that still there?": a question, answered
            # from the record by action_propose_plan; no follow-up is asked for it.
            return {"plan_text": value, "plan_follow_up": NONE_SAID}
        pending = PendingWrite.from_json(tracker.get_slot("pending_write"))
        if (pending is not None and pending.kind == "plan" and not plan.steps
                and plan.follow_up_on):
            # "review in 3 wks" said of the plan read back: its follow-up.
            return {"plan_text": value, "plan_follow_up": plan.follow_up_on.isoformat()}
        if asks_to_make_a_plan(str(value or "")) and (pending is None or pending.kind != "plan"):
            # "want to set up a plan": no step yet, so the form asks what was agreed
            return {"plan_text": None}
        slots: Dict[Text, Any] = {"plan_text": value}
        if pending is not None and pending.kind == "plan" and (
                adds_steps(str(value or "")) or edits_plan(str(value or ""))):
            # "also front desk sends her a reminder": added to the plan waiting for a yes,
            # whose follow-up stands.
            slots["plan_follow_up"] = pending.data.get("follow_up_on") or NONE_SAID
            return slots
        if not any(step.kind != "other" or len(step.text.split()) >= 3 for step in plan.steps):
            # Nothing that reads as a step ("hmm", "ok"): ask again rather than save noise.
            dispatcher.utter_message(response="utter_plan_not_understood")
            return {"plan_text": None}
        if plan.follow_up_on and not tracker.get_slot("plan_follow_up"):
            slots["plan_follow_up"] = plan.follow_up_on.isoformat()
        elif plan.no_follow_up or any(step.due for step in plan.steps):
            # "no review date for now", or dated steps and no review said: none is asked
            # for or made up (the read-back says so, and one can be added before saving).
            slots["plan_follow_up"] = NONE_SAID
        return slots

    def validate_plan_follow_up(self, value: Any, dispatcher: CollectingDispatcher,
                                tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        today = clinic_today()
        if NO_DATE_ANSWER.match(str(value or "")) or NO_FOLLOW_UP.search(str(value or "")):
            return {"plan_follow_up": NONE_SAID}
        when = follow_up_date(str(value or ""), today)
        if when is None:
            dispatcher.utter_message(response="utter_follow_up_not_understood")
            return {"plan_follow_up": None}
        horizon = clinic_config().follow_up_horizon_days
        if when < today or when > today + timedelta(days=horizon):
            dispatcher.utter_message(response="utter_follow_up_out_of_range", days=horizon)
            return {"plan_follow_up": None}
        return {"plan_follow_up": when.isoformat()}


class ActionProposePlan(ClientAction):
    """Say back what was understood and ask before saving anything."""

    safety_before = False  # what the therapist agreed is taken down; safety steps follow it
    risk_words_first = True

    def name(self) -> Text:
        return "action_propose_plan"

    def always(self, tracker: Tracker) -> Events:
        # The form's slots are spent on every path; a write already waiting stays waiting.
        return [SlotSet("plan_text", None), SlotSet("plan_follow_up", None)]

    def step(self, ctx: Context, tracker: Tracker, dispatcher: CollectingDispatcher) -> Events:
        text = tracker.get_slot("plan_text")
        if not text:
            dispatcher.utter_message(response="utter_plan_not_understood")
            return self.always(tracker)
        if asks_to_make_a_plan(text) and not tracker.get_slot("pending_write"):
            # "zoe papadopoulos - want to set up a plan": the client named, and no step yet;
            # the plan form asks what was agreed
            return self.always(tracker) + [FollowupAction("plan_form")]
        answers = ctx.answers(text) if "?" in text else None
        if answers:
            # A question about the record, not a plan: answered, and nothing read back.
            dispatcher.utter_message(text=answers)
            return self.always(tracker)
        if lone_intention(text, parse_plan(text, ctx.today)):
            # Said in passing: nothing is put in the record as a plan from it.
            dispatcher.utter_message(response="utter_intention_not_a_plan",
                                     client=ctx.client.display_name)
            return self.always(tracker)
        text = without_risk(text, raises_concern)
        if not text:  # words of risk alone: the safety step's, and no plan
            return self.always(tracker) + [FollowupAction("action_safety_steps")]
        text = client_as_subject(text, client_names(ctx))
        waiting = PendingWrite.from_json(tracker.get_slot("pending_write"))
        if (waiting is not None and waiting.kind == "plan" and waiting.client_id == ctx.client.id
                and (adds_steps(text) or edits_plan(text)
                     or not parse_plan(text, ctx.today).steps)
                and amend_pending(waiting, text, ctx.today, self.records)):
            # "also he books online", "drop the reminders", "review in 3 wks": the plan read
            # back, changed.
            pending = waiting
        else:
            before = told_before_the_plan(text)
            told = (outcome_then_attempt(ctx.client.id, ctx.client.display_name,
                                         ctx.record.plans, ctx.today, text)
                    if not before else None)
            if told is not None:
                # "the telehealth plan worked, she was on video thursday. I also texted her
                # sat ...": how the open plan went (and the contact told), never a new plan
                return (self.always(tracker) + told.offer(dispatcher)
                        + (safety_first(ctx, tracker, dispatcher, self.records) or []))
            plan = _plan_from_slots(text, tracker.get_slot("plan_follow_up"), ctx.today,
                                    self.records.staff_names("front_desk"),
                                    self.records.staff_names("supervisor"))
            if not plan.steps:
                # "texted her sat and she replied ... so the plan worked": no step in it, so no
                # plan; how the last plan went, when it says so, or a request for the steps.
                if outcome_of(text) and any(p.status == "open" for p in ctx.record.plans):
                    return self.always(tracker) + [
                        FollowupAction("action_record_plan_outcome")]
                dispatcher.utter_message(response="utter_plan_not_understood")
                return self.always(tracker)
            pending = PendingWrite("plan", ctx.client.id, ctx.client.display_name,
                                   plan_data(plan))
            first = before and (
                outcome_write(ctx.client.id, ctx.client.display_name, ctx.record.plans,
                              ctx.today, before)
                or attempt_write(ctx.client.id, ctx.client.display_name, before, ctx.today))
            if first:
                # "the telehealth plan didn't work ... new plan: ...", "I left her a vm this
                # morning ... so going forward: ...": how the last plan went, or the contact
                # made, first, for its own yes; the new plan is read back after it.
                return (self.always(tracker)
                        + first.followed_by(with_consents(pending, ctx.client)).offer(dispatcher)
                        + (safety_first(ctx, tracker, dispatcher, self.records) or []))
        return (self.always(tracker) + with_consents(pending, ctx.client).offer(dispatcher)
                + (safety_first(ctx, tracker, dispatcher, self.records) or []))


def _outcome_from(tracker: Tracker) -> Optional[str]:
    for entity in tracker.latest_message.get("entities", []):
        if entity.get("entity") == "outcome" and entity.get("value") in OUTCOMES:
            return entity["value"]
    return outcome_of(tracker.latest_message.get("text") or "")


class ActionRecordPlanOutcome(ClientAction):
    """How the last plan went: read back, and the plan closed with it on the therapist's yes."""

    safety_before = False  # take down what happened first; then the safety steps, if open
    risk_words_first = True

    def name(self) -> Text:
        return "action_record_plan_outcome"

    def step(self, ctx: Context, tracker: Tracker, dispatcher: CollectingDispatcher) -> Events:
        open_plans = [p for p in ctx.record.plans if p.status == "open"]
        said = tracker.latest_message.get("text") or ""
        if tells_a_miss(said) and not any(p.created_on < ctx.today for p in open_plans):
            # "ugh she no-showed AGAIN": news from the record and the next step, no outcome
            # asked for when no plan has had time to work.
            dispatcher.utter_message(text=miss_news(
                ctx.client.display_name, ctx.summary, ctx.record.appointments, ctx.today,
                ctx.config.review, ctx.config.chronic))
            return safety_first(ctx, tracker, dispatcher, self.records) or []
        if not open_plans:
            dispatcher.utter_message(response="utter_no_open_plan",
                                     client=ctx.client.display_name)
            return []
        outcome = _outcome_from(tracker)
        if outcome is None:
            dispatcher.utter_message(
                text=f"How did the last plan for {ctx.client.display_name} go?",
                buttons=OUTCOME_BUTTONS)
            return []
        # A plan agreed today has no outcome yet: the one before it, if open, is meant.
        pending = outcome_write(ctx.client.id, ctx.client.display_name, open_plans, ctx.today,
                                said, outcome)
        if pending is None:
            follow_up = open_plans[-1].follow_up_on
            dispatcher.utter_message(
                text=f"The plan for {ctx.client.display_name} was agreed today, so nothing is "
                     "recorded as its outcome yet"
                     + (f"; its follow-up is {day(follow_up)}." if follow_up else ".")
                     + " If something happened since, tell me what: a call, a text, a session.")
            return []
        # "txted her sat, she replied ... mark the plan as worked": the text comes next.
        pending.followed_by(attempt_write(ctx.client.id, ctx.client.display_name, said,
                                          ctx.today))
        return pending.offer(dispatcher) + (safety_first(ctx, tracker, dispatcher,
                                                         self.records) or [])


class ActionListFollowUps(StaffAction):
    """The acting therapist's own follow-ups due within the week (and overdue ones)."""

    def name(self) -> Text:
        return "action_list_follow_ups"

    def staff_step(self, staff: StaffView, tracker: Tracker,
                   dispatcher: CollectingDispatcher) -> Events:
        today = clinic_today()
        due = self.records.due_follow_ups(staff.id, today + timedelta(days=7),
                                          tracker.get_latest_input_channel())
        if not due:
            dispatcher.utter_message(response="utter_no_follow_ups_due")
            return []
        lines = []
        for item in due:
            d = item.follow_up_on
            label = f"overdue since {day(d)}" if d < today else "today" if d == today else day(d)
            lines.append(f"- {item.client_name}: {label} ({'; '.join(item.steps)})")
        dispatcher.utter_message(
            text=f"Your follow-ups due by {day(today + timedelta(days=7))} (the next 7 days) "
                 "and any overdue:\n" + "\n".join(lines)
                 + "\nName a client to see the record and record how it went.")
        return []
