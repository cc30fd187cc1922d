"""Agree a plan, record it, follow it up: the plan form, confirmation, saving, outcomes."""
from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import (
    OUTCOME_BUTTONS,
    ClientAction,
    Context,
    Events,
    StaffAction,
    safety_first,
)
from reconnect.guidance.dates import parse_date
from reconnect.guidance.outcomes import outcome_of
from reconnect.guidance.plan_parser import ParsedPlan, ParsedStep, describe_plan, parse_plan
from reconnect.guidance.wording import day, plural
from reconnect.records.queries import StaffView
from reconnect.settings import clinic_today

# A follow-up further out than this is more likely a misreading than a plan.
MAX_FOLLOW_UP_DAYS = 180
OUTCOMES = {"worked": "it worked", "partly": "it partly worked",
            "did_not_work": "it did not work"}


def _plan_from_slots(text: str, follow_up: Optional[str], today: date) -> ParsedPlan:
    plan = parse_plan(text, today)
    if follow_up:
        plan = ParsedPlan(plan.steps, date.fromisoformat(follow_up), plan.owner)
    return plan


def step_dicts(plan: ParsedPlan) -> List[Dict[str, Any]]:
    """The plan's steps as stored (in the pending slot and in the database)."""
    return [{"text": s.text, "owner": s.owner, "kind": s.kind, "channel": s.channel,
             "due": s.due.isoformat() if s.due else None} for s in plan.steps]


def plan_to_json(plan: ParsedPlan) -> str:
    return json.dumps({
        "steps": step_dicts(plan),
        "follow_up_on": plan.follow_up_on.isoformat() if plan.follow_up_on else None,
        "owner": plan.owner,
    })


def plan_from_json(text: str) -> ParsedPlan:
    raw = json.loads(text)
    steps = tuple(ParsedStep(s["text"], s["owner"], s["kind"], s.get("channel"),
                             date.fromisoformat(s["due"]) if s.get("due") else None)
                  for s in raw["steps"])
    follow_up = date.fromisoformat(raw["follow_up_on"]) if raw.get("follow_up_on") else None
    return ParsedPlan(steps, follow_up, raw["owner"])


class ValidatePlanForm(FormValidationAction):
    """Collect the plan in the therapist's words and a follow-up date; check both."""

    def name(self) -> Text:
        return "validate_plan_form"

    async def required_slots(self, domain_slots: List[Text], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> List[Text]:
        # Without a client, or with safety still open, the form ends at once and
        # action_propose_plan says why.
        if not tracker.get_slot("client_id") or tracker.get_slot("safety_pending"):
            return []
        return domain_slots

    def validate_plan_text(self, value: Any, dispatcher: CollectingDispatcher,
                           tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        plan = parse_plan(str(value or ""), clinic_today())
        if not any(step.kind != "other" or len(step.text.split()) >= 3 for step in plan.steps):
            # Nothing that reads as a step ("hmm", "ok"): ask again rather than save noise.
            dispatcher.utter_message(response="utter_plan_not_understood")
            return {"plan_text": None}
        slots: Dict[Text, Any] = {"plan_text": value}
        if plan.follow_up_on and not tracker.get_slot("plan_follow_up"):
            slots["plan_follow_up"] = plan.follow_up_on.isoformat()
        return slots

    def validate_plan_follow_up(self, value: Any, dispatcher: CollectingDispatcher,
                                tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        today = clinic_today()
        when = parse_date(str(value or ""), today)
        if when is None:
            dispatcher.utter_message(response="utter_follow_up_not_understood")
            return {"plan_follow_up": None}
        if when < today or when > today + timedelta(days=MAX_FOLLOW_UP_DAYS):
            dispatcher.utter_message(response="utter_follow_up_out_of_range",
                                     days=MAX_FOLLOW_UP_DAYS)
            return {"plan_follow_up": None}
        return {"plan_follow_up": when.isoformat()}


class ActionProposePlan(ClientAction):
    """Say back what was understood and ask before saving anything."""

    def name(self) -> Text:
        return "action_propose_plan"

    def always(self, tracker: Tracker) -> Events:
        # `awaiting` is set on every path, so that the dialogue's next step never depends on
        # which path this took; a "yes" with no plan pending gets "nothing to save".
        return [SlotSet("plan_text", None), SlotSet("plan_follow_up", None),
                SlotSet("pending_plan", None), SlotSet("awaiting", "plan_confirmation")]

    def step(self, ctx: Context, tracker: Tracker, dispatcher: CollectingDispatcher) -> Events:
        text = tracker.get_slot("plan_text")
        if not text:
            dispatcher.utter_message(response="utter_plan_not_understood")
            return self.always(tracker)
        plan = _plan_from_slots(text, tracker.get_slot("plan_follow_up"), ctx.today)
        dispatcher.utter_message(
            text=f"Here's the plan for {ctx.client.display_name} as I understood it:\n"
                 f"{describe_plan(plan)}\nShall I save it?",
            buttons=[{"title": "Yes, save it", "payload": "/affirm"},
                     {"title": "No, start again", "payload": "/deny"}])
        return [SlotSet("plan_text", None), SlotSet("plan_follow_up", None),
                SlotSet("pending_plan", plan_to_json(plan)),
                SlotSet("awaiting", "plan_confirmation")]


class ActionSavePlan(ClientAction):
    """Record the confirmed plan, with an audit entry, and say it is saved."""

    safety_before = False  # the therapist confirmed this plan; keep what they agreed

    def name(self) -> Text:
        return "action_save_plan"

    def always(self, tracker: Tracker) -> Events:
        return [SlotSet("pending_plan", None), SlotSet("awaiting", None)]

    def work(self, tracker: Tracker, dispatcher: CollectingDispatcher) -> Events:
        if not tracker.get_slot("pending_plan"):
            dispatcher.utter_message(response="utter_nothing_to_save")
            return self.always(tracker)
        return super().work(tracker, dispatcher)

    def step(self, ctx: Context, tracker: Tracker, dispatcher: CollectingDispatcher) -> Events:
        plan = plan_from_json(tracker.get_slot("pending_plan"))
        saved = self.records.save_plan(ctx.staff.id, ctx.client.id, step_dicts(plan),
                                       plan.owner, plan.follow_up_on,
                                       tracker.get_slot("barriers") or [], ctx.today,
                                       ctx.channel)
        if saved is None:
            dispatcher.utter_message(response="utter_no_such_client_id")
            return self.always(tracker)
        follow = (f" I'll list it on {day(plan.follow_up_on)} when you ask what "
                  "follow-ups are due." if plan.follow_up_on else "")
        dispatcher.utter_message(
            text=f"Saved: the plan for {ctx.client.display_name} is in the record "
                 f"({plural(len(plan.steps), 'step')}).{follow}")
        return self.always(tracker)


class ActionDiscardPlan(Action):
    def name(self) -> Text:
        return "action_discard_plan"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(response="utter_plan_discarded")
        return [SlotSet("pending_plan", None), SlotSet("awaiting", None)]


def _outcome_from(tracker: Tracker) -> Optional[str]:
    for entity in tracker.latest_message.get("entities", []):
        if entity.get("entity") == "outcome" and entity.get("value") in OUTCOMES:
            return entity["value"]
    return outcome_of(tracker.latest_message.get("text") or "")


class ActionRecordPlanOutcome(ClientAction):
    """How the last plan went: closes it with its outcome."""

    safety_before = False  # record what happened first; then the safety steps, if open

    def name(self) -> Text:
        return "action_record_plan_outcome"

    def step(self, ctx: Context, tracker: Tracker, dispatcher: CollectingDispatcher) -> Events:
        outcome = _outcome_from(tracker)
        if outcome is None:
            dispatcher.utter_message(
                text=f"How did the last plan for {ctx.client.display_name} go?",
                buttons=OUTCOME_BUTTONS)
            return []
        plan = self.records.record_plan_outcome(ctx.staff.id, ctx.client.id, outcome,
                                                ctx.today, ctx.channel)
        if plan is None:
            dispatcher.utter_message(response="utter_no_open_plan",
                                     client=ctx.client.display_name)
            return []
        dispatcher.utter_message(response=f"utter_outcome_recorded_{outcome}",
                                 plan_day=day(plan.created_on),
                                 client=ctx.client.display_name)
        return safety_first(ctx, tracker, dispatcher) or []


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
            text="Your follow-ups due this week:\n" + "\n".join(lines)
                 + "\nName a client to see the record and record how it went.")
        return []
