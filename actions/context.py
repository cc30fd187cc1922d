"""What every walkthrough step needs: who is asking, which client, and what the record says.

`with_client` loads it in a worker thread (database work stays off the event loop) and turns
the usual problems into the right answer: unknown staff, no client in the conversation yet,
a client outside the caseload, a database that is not ready.
"""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import date
from typing import Any, Callable, Dict, List, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.access import acting_staff_id, channel_of
from actions.guidance.attendance import AttendanceSummary, summarize
from actions.guidance.history import OutreachRecord, PlanRecord
from actions.records.db import DatabaseNotReady
from actions.records.queries import ClientRecord, ClientRecords, StaffView
from actions.settings import ClinicConfig, clinic_config, clinic_now

logger = logging.getLogger(__name__)


@dataclass
class Context:
    staff: StaffView
    record: ClientRecord
    summary: AttendanceSummary
    config: ClinicConfig
    today: date
    channel: Optional[str]

    @property
    def client(self):
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


@dataclass
class Refusal:
    response: str


def load_staff(records: ClientRecords, staff_id: Optional[str], channel: Optional[str]):
    """The acting therapist, or the Refusal to answer with (and an audit entry)."""
    staff = records.staff(staff_id)
    if staff is None:
        records.record_denied(staff_id, "unknown staff id", channel)
        return Refusal("utter_unknown_staff")
    if staff.role != "therapist":
        records.record_denied(staff.id, f"role {staff.role} asked for a client record", channel)
        return Refusal("utter_records_for_therapists_only")
    return staff


def load_context(records: ClientRecords, tracker: Tracker, client_id: Optional[str] = None):
    """The Context of the client in discussion, or the Refusal to answer with."""
    staff = load_staff(records, acting_staff_id(tracker), channel_of(tracker))
    if isinstance(staff, Refusal):
        return staff
    client_id = client_id or tracker.get_slot("client_id")
    if not client_id:
        return Refusal("utter_which_client_first")
    record = records.client_record(staff.id, client_id, channel_of(tracker))
    if record is None:
        return Refusal("utter_no_such_client_id")
    config = clinic_config()
    now = clinic_now()
    summary = summarize(record.appointments, now, config.chronic,
                        window_days=config.summary_window_days)
    return Context(staff, record, summary, config, now.date(), channel_of(tracker))


async def in_thread(function: Callable, *args, **kwargs):
    return await asyncio.to_thread(function, *args, **kwargs)


async def with_client(records: ClientRecords, tracker: Tracker,
                      dispatcher: CollectingDispatcher,
                      step: Callable[[Context], List[Dict[Text, Any]]],
                      ) -> List[Dict[Text, Any]]:
    """Run `step(context)` in a worker thread, or answer the reason it cannot run."""
    def work():
        context = load_context(records, tracker)
        if isinstance(context, Refusal):
            return context
        return step(context)

    try:
        result = await in_thread(work)
    except DatabaseNotReady as exc:
        logger.error("%s", exc)
        dispatcher.utter_message(response="utter_records_unavailable")
        return []
    if isinstance(result, Refusal):
        dispatcher.utter_message(response=result.response)
        return []
    return result
