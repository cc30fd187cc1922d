"""What every action that reads the record shares: the records, who is asking, which client,
the safety gate, and the one reply when the records cannot be reached.

An action that touches the database subclasses one of three bases and writes only its step:

- `RecordsAction`: the step does its own lookups (`work`), e.g. finding the client named;
- `StaffAction`: the step needs the acting staff member (`staff_step`);
- `ClientAction`: the step needs the client in discussion (`step`), with the safety gate
  before it (advising steps) or after it (steps that record what already happened).

The step runs in a worker thread, so that database work never stalls other conversations.
Whatever goes wrong with the database, the therapist gets `utter_records_unavailable` and
nothing half-said before it; no action raises.
"""
from __future__ import annotations

import asyncio
import logging
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import date
from typing import Any, Dict, List, Optional, Text, Union

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.access import acting_staff_id, channel_of
from reconnect.guidance.attendance import AttendanceSummary, summarize
from reconnect.guidance.history import OutreachRecord, PlanRecord
from reconnect.guidance.safety import mentions_risk, needs_safety_first, safety_steps
from reconnect.records.db import RecordsUnavailable
from reconnect.records.queries import ClientRecord, ClientRecords, ClientView, StaffView
from reconnect.settings import ClinicConfig, ClinicConfigError, clinic_config, clinic_now

logger = logging.getLogger(__name__)

Events = List[Dict[Text, Any]]

# How the last plan went: offered after the summary and when an outcome is reported without one.
OUTCOME_BUTTONS = [
    {"title": "It worked", "payload": '/report_plan_outcome{"outcome": "worked"}'},
    {"title": "Partly", "payload": '/report_plan_outcome{"outcome": "partly"}'},
    {"title": "It did not work", "payload": '/report_plan_outcome{"outcome": "did_not_work"}'},
]


@dataclass
class Context:
    """The client in discussion as one step sees it."""

    staff: StaffView
    record: ClientRecord
    summary: AttendanceSummary
    config: ClinicConfig
    today: date
    channel: Optional[str]

    @property
    def client(self) -> ClientView:
        return self.record.client

    @property
    def plans(self) -> List[PlanRecord]:
        return plan_records(self.record)

    @property
    def outreach(self) -> List[OutreachRecord]:
        return outreach_records(self.record)


def plan_records(record: ClientRecord) -> List[PlanRecord]:
    """The record's plans as the guidance layer takes them."""
    return [PlanRecord(p.created_on, p.steps, p.owner, p.follow_up_on, p.status, p.outcome,
                       p.barriers) for p in record.plans]


def outreach_records(record: ClientRecord) -> List[OutreachRecord]:
    return [OutreachRecord(o.on, o.channel, o.outcome) for o in record.outreach]


def summary_of(record: ClientRecord, config: ClinicConfig) -> AttendanceSummary:
    return summarize(record.appointments, clinic_now(), config.chronic,
                     window_days=config.summary_window_days)


@dataclass
class Refusal:
    """Why a step cannot run: the domain response to give instead."""

    response: str


def load_staff(records: ClientRecords, staff_id: Optional[str],
               channel: Optional[str]) -> Union[StaffView, Refusal]:
    """The acting therapist, or the Refusal to answer with (and an audit entry)."""
    staff = records.staff(staff_id)
    if staff is None:
        records.record_denied(staff_id, "unknown staff id", channel)
        return Refusal("utter_unknown_staff")
    if staff.role != "therapist":
        records.record_denied(staff.id, f"role {staff.role} asked for a client record", channel)
        return Refusal("utter_records_for_therapists_only")
    return staff


def load_context(records: ClientRecords, tracker: Tracker,
                 client_id: Optional[str] = None) -> Union[Context, Refusal]:
    """The Context of the client in discussion, or the Refusal to answer with."""
    channel = channel_of(tracker)
    staff = load_staff(records, acting_staff_id(tracker), channel)
    if isinstance(staff, Refusal):
        return staff
    client_id = client_id or tracker.get_slot("client_id")
    if not client_id:
        return Refusal("utter_which_client_first")
    record = records.client_record(staff.id, client_id, channel)
    if record is None:
        return Refusal("utter_no_such_client_id")
    config = clinic_config()
    return Context(staff, record, summary_of(record, config), config, clinic_now().date(),
                   channel)


def safety_first(ctx: Context, tracker: Tracker,
                 dispatcher: CollectingDispatcher) -> Optional[Events]:
    """None when the step may go on; otherwise give the safety steps and return the events.

    Safety opens when the record calls for it (client lookup), when the therapist reports a
    concern, and whenever the therapist's words speak of risk, whatever the intent classifier
    made of them: "no car, and she said she wants to die" is read as a barrier, but the words
    decide.
    """
    text = tracker.latest_message.get("text") or ""
    if not tracker.get_slot("safety_pending") and not mentions_risk(text):
        return None
    reasons = needs_safety_first(ctx.client, ctx.summary, text) or [
        "you raised a safety concern"]
    dispatcher.utter_message(response="utter_safety_before_the_rest",
                             client=ctx.client.display_name)
    dispatcher.utter_message(text=safety_steps(ctx.client, ctx.summary, reasons,
                                               ctx.config.contacts))
    return [SlotSet("safety_pending", True), SlotSet("next_step", "safety")]


class RecordsAction(Action, ABC):
    """An action that reads or writes the clinic's records.

    `records` is injectable for tests; by default the database of DATABASE_URL.
    """

    def __init__(self, records: Optional[ClientRecords] = None):
        self.records = records or ClientRecords()

    @abstractmethod
    def name(self) -> Text:
        ...

    def always(self, tracker: Tracker) -> Events:
        """Events returned on every path that does not run the step to its end: a refusal,
        a database fault, the safety gate. Override to clear what must not linger."""
        return []

    @abstractmethod
    def work(self, tracker: Tracker, dispatcher: CollectingDispatcher) -> Events:
        """The step, run in a worker thread; may raise RecordsUnavailable."""

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> Events:
        said = len(dispatcher.messages)
        try:
            return await asyncio.to_thread(self.work, tracker, dispatcher)
        except RecordsUnavailable as exc:
            # Its message names the fault and the fix, never SQL or client data.
            logger.error("%s: %s", self.name(), exc)
            fault = "utter_records_unavailable"
        except ClinicConfigError as exc:
            logger.error("%s: %s", self.name(), exc)  # the file and the setting, no client data
            fault = "utter_clinic_settings_unavailable"
        del dispatcher.messages[said:]  # nothing half-said before the fault
        dispatcher.utter_message(response=fault)
        return self.always(tracker)


class StaffAction(RecordsAction, ABC):
    """A step for the acting therapist, with no client in particular."""

    def work(self, tracker: Tracker, dispatcher: CollectingDispatcher) -> Events:
        staff = load_staff(self.records, acting_staff_id(tracker), channel_of(tracker))
        if isinstance(staff, Refusal):
            dispatcher.utter_message(response=staff.response)
            return self.always(tracker)
        return self.staff_step(staff, tracker, dispatcher)

    @abstractmethod
    def staff_step(self, staff: StaffView, tracker: Tracker,
                   dispatcher: CollectingDispatcher) -> Events:
        ...


class ClientAction(RecordsAction, ABC):
    """A walkthrough step about the client in discussion.

    `safety_before` (the default) holds steps that advise (opening, drafts, barriers,
    options, plans, review) while safety is open. Steps that record what already happened (an
    outreach attempt, a plan's outcome) turn it off and call `safety_first` once the record is
    written, so that nothing the therapist said is lost to the safety steps.
    """

    safety_before = True

    def work(self, tracker: Tracker, dispatcher: CollectingDispatcher) -> Events:
        context = load_context(self.records, tracker)
        if isinstance(context, Refusal):
            dispatcher.utter_message(response=context.response)
            return self.always(tracker)
        if self.safety_before:
            held = safety_first(context, tracker, dispatcher)
            if held is not None:
                return self.always(tracker) + held
        return self.step(context, tracker, dispatcher)

    @abstractmethod
    def step(self, ctx: Context, tracker: Tracker, dispatcher: CollectingDispatcher) -> Events:
        ...
