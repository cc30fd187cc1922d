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
import re
from abc import ABC, abstractmethod
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Dict, List, Optional, Sequence, Text, Tuple, Union

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.access import acting_staff_id, channel_of
from actions.pending import (
    YES_FIRST,
    LastWrite,
    PendingWrite,
    addition_of,
    amend_pending,
    plan_data,
    propose_attempt,
    save_on_leading_yes,
    with_consents,
)
from reconnect.guidance.attendance import AttendanceSummary, summarize
from reconnect.guidance.facts import answer_fact
from reconnect.guidance.history import OutreachRecord, PlanRecord
from reconnect.guidance.names import (
    addressed_name,
    as_typed,
    contacted_name,
    full_name_decides,
    match_clients,
    name_of_span,
    name_words,
    names_in_text,
    names_words,
    unknown_surname,
    unmatched_full_name,
)
from reconnect.guidance.options import Unavailable, unavailable_times
from reconnect.guidance.plan_parser import (
    NO_DATE_ANSWER,
    adds_steps,
    client_as_subject,
    edits_plan,
    follow_up_said,
    opens_with_a_plan,
    parse_plan,
    reads_as_plan,
)
from reconnect.guidance.safety import (
    REPORTERS,
    concern_reasons,
    forces_safety_gate,
    needs_safety_first,
    raises_concern,
    reported_by,
    risk_mentions,
    safety_steps,
    speaks_of_risk,
)
from reconnect.guidance.wording import day
from reconnect.records.db import RecordsUnavailable
from reconnect.records.queries import (
    ClientRecord,
    ClientRecords,
    ClientView,
    ConcernView,
    StaffView,
    audit_origin,
)
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
    # The message named another client than the one in discussion: the step acts on the
    # named one, and these events make it the client in discussion.
    switched_from: Optional[str] = None

    @property
    def client(self) -> ClientView:
        return self.record.client

    @property
    def plans(self) -> List[PlanRecord]:
        return plan_records(self.record)

    def answers(self, text: str) -> Optional[str]:
        """The record's answer to each question the message asks, a line each (None: it
        asks none of those `answer_fact` knows)."""
        return answer_fact(text, self.client, self.summary, self.plans, self.outreach,
                           self.config.missed_session_fee, appointments=self.record.appointments)

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
    name: str = ""  # the name that fits no client, when the reply says it


def load_staff(records: ClientRecords, staff_id: Optional[str], channel: Optional[str],
               asked_for: Optional[str] = None) -> Union[StaffView, Refusal]:
    """The acting therapist, or the Refusal to answer with (and an audit entry that names the
    client asked for, `asked_for`, when the request named one by id: a button, a slot)."""
    staff = records.staff(staff_id)
    if staff is None:
        records.record_denied(staff_id, "unknown staff id", channel, client_id=asked_for)
        return Refusal("utter_unknown_staff")
    if staff.role != "therapist":
        records.record_denied(staff.id, f"role {staff.role} asked for a client record", channel,
                              client_id=asked_for)
        return Refusal("utter_records_for_therapists_only")
    return staff


def asked_for_id(tracker: Tracker, client_id: Optional[str] = None) -> Optional[str]:
    """The client a request asks about by id: the one given, a button's, or the one in
    discussion (for the audit trail of a refusal)."""
    return client_id or first_entity(tracker, "client_id") or tracker.get_slot("client_id")


def asker_refusal(records: ClientRecords, tracker: Tracker,
                  client_id: Optional[str]) -> Optional[Refusal]:
    """None when the acting staff member is the therapist of `client_id` (the client a reply
    from conversation state would name); otherwise the Refusal to answer with, audited.

    A conversation's state (the client in discussion, a write waiting, safety open) is only
    ever read back to that client's own therapist, whoever opened the conversation.
    """
    channel = channel_of(tracker)
    staff = load_staff(records, acting_staff_id(tracker), channel, client_id)
    if isinstance(staff, Refusal):
        return staff
    if not client_id or not records.is_own_client(staff.id, client_id, channel):
        return Refusal("utter_no_such_client_id")
    return None


@dataclass
class Choice:
    """The message names a client ambiguously: ask which, with a button each."""

    text: str
    buttons: List[Dict[str, str]]


def entity_values(tracker: Tracker, entity: str) -> List[str]:
    """The values of one entity in the latest message, in order. A person's name is cut to
    the name ("rang - kwame", spaCy's span across a verb, is "kwame"); a span with no name
    left in it is dropped."""
    values = [e["value"] for e in tracker.latest_message.get("entities", [])
              if e.get("entity") == entity and e.get("value")]
    if entity == "PERSON":
        values = [name for name in map(name_of_span, values) if name]
    return values


def first_entity(tracker: Tracker, entity: str) -> Optional[str]:
    return next(iter(entity_values(tracker, entity)), None)


def choice_button(client: ClientView) -> Dict[str, str]:
    status = "" if client.status == "active" else f" ({client.status})"
    return {"title": client.display_name + status,
            "payload": f'/ask_attendance{{"client_id": "{client.id}"}}'}


def named_client(records: ClientRecords, staff: StaffView, tracker: Tracker
                 ) -> Union[None, str, Refusal, Choice]:
    """The client a message names, when it names one: their id; None when it names none.

    A name spaCy found, or a full name (or an exact first name) among the words typed, is
    matched in this therapist's caseload only. A name in the place of a client's ("a letter
    for Jamal Carter") that matches nobody gets "no client called ...", never another client;
    any other unmatched name (a relative, a colleague) is left alone.
    """
    text = tracker.latest_message.get("text") or ""
    persons = entity_values(tracker, "PERSON")
    addressed = addressed_name(text)
    caseload = None

    def load() -> List[ClientView]:
        nonlocal caseload
        if caseload is None:
            caseload = records.caseload(staff.id, channel_of(tracker))
        return caseload

    matches = next((m for m in (match_clients(n, load()) for n in persons) if m), [])
    if not matches and (persons or addressed or _could_name(text)):
        # A full name typed, or an exact first name; but when spaCy found a name that fits
        # nobody ("dana whitfield" in another caseload), never a first name alone: that
        # would be another Dana.
        least = 1.0 + 1e-9 if persons or (addressed and len(addressed.split()) == 2) else 1.0
        matches = [m for m in names_in_text(text, load()) if m.score >= least]
    if not matches:
        # A first and last name spaCy found that fits nobody ("now dana whitfield - called
        # her fri" in a caseload with no such client): said so, and nothing is written for
        # the client in discussion instead.
        full = next((p for p in persons if len(name_words(p)) >= 2), None)
        if full:
            return _not_found(records, staff, tracker, Refusal("utter_no_such_client", full))
        # A name in a client's place that fits nobody: said so, never another client. Without
        # spaCy's word that it is a name, only a first-and-last name counts ("for housing"
        # is no client).
        confirmed = addressed and any(addressed in p.lower() or p.lower() in addressed
                                      for p in persons)
        if addressed and (confirmed or len(addressed.split()) == 2):
            return _not_found(records, staff, tracker, Refusal("utter_no_such_client"))
        unknown = _stranger(records, text, load())
        return _not_found(records, staff, tracker, unknown) if unknown else None
    matches = full_name_decides(matches, text, load())
    if all(m.score <= 1.0 for m in matches):
        # Only a first name fits, and a surname none of them has follows it ("now Dana
        # Ortiz - called her fri" with spaCy tagging "Dana" alone): another person.
        stranger = unmatched_full_name(text, load())
        if stranger:
            return _not_found(records, staff, tracker,
                              Refusal("utter_no_such_client", as_typed(stranger, text)))
    current = tracker.get_slot("client_id")
    if len(matches) > 1:
        if any(m.client_id == current for m in matches):
            return current
        by_id = {c.id: c for c in load()}
        records.record_listed(staff.id, "clients_offered", [m.client_id for m in matches],
                              channel_of(tracker))
        return Choice(f"{len(matches)} clients in your caseload match that name. Which one "
                      "do you mean?", [choice_button(by_id[m.client_id]) for m in matches])
    return matches[0].client_id


def _stranger(records: ClientRecords, text: str,
              caseload: Sequence[ClientView]) -> Optional[Refusal]:
    """Someone named who is no client here, in words no name match caught: "called lucia"
    (whoever Lucia is), or "does ortiz owe anything" (a surname of the clinic none of this
    caseload has). None when the words name nobody."""
    if contacted_name(text):
        return Refusal("utter_no_such_client")
    surname = other_surname(records, text, caseload)
    return Refusal("utter_no_such_client", as_typed(surname, text)) if surname else None


def other_surname(records: ClientRecords, text: str,
                  caseload: Sequence[ClientView]) -> Optional[str]:
    """A surname alone, of a client of the clinic none of this caseload has ("ortiz"), or None.
    The clinic's surnames decide what is a surname, so no ordinary word is taken for one."""
    if not _could_name(text):
        return None
    staff = [m.name for m in records.staff_members()]
    return unknown_surname(text, caseload, records.client_surnames(), staff)


def _not_found(records: ClientRecords, staff: StaffView, tracker: Tracker,
               refusal: Refusal) -> Refusal:
    """A name that fits no client of this caseload: the refusal, audited as a failed name
    search (the name typed is not stored)."""
    records.record_name_not_found(staff.id, channel_of(tracker))
    return refusal


def _could_name(text: str) -> bool:
    """Whether any word could be a client's first name at all (saves a caseload query)."""
    return any(len(w) > 1 for w in names_words(text))


def load_context(records: ClientRecords, tracker: Tracker, client_id: Optional[str] = None,
                 follow_names: bool = True) -> Union[Context, Refusal, Choice]:
    """The Context of the client the message is about, or the Refusal to answer with.

    With `follow_names`, a message that names a client acts on that client (and says so).
    """
    channel = channel_of(tracker)
    staff = load_staff(records, acting_staff_id(tracker), channel,
                       asked_for_id(tracker, client_id))
    if isinstance(staff, Refusal):
        return staff
    current = tracker.get_slot("client_id")
    switched_from = None
    if client_id is None and follow_names:
        named = named_client(records, staff, tracker)
        if isinstance(named, (Refusal, Choice)):
            return named
        if named and named != current:
            client_id, switched_from = named, current or ""
    client_id = client_id or current
    if not client_id:
        return Refusal("utter_which_client_first")
    record = records.client_record(staff.id, client_id, channel)
    if record is None:
        return Refusal("utter_no_such_client_id")
    config = clinic_config()
    return Context(staff, record, summary_of(record, config), config, clinic_now().date(),
                   channel, switched_from)


def settle_waiting(records: ClientRecords, tracker: Tracker, dispatcher: CollectingDispatcher,
                   client_id: str, staff_id: str, today: date, channel: Optional[str]) -> Events:
    """Leaving for another client (`client_id`): a write read back for the one left is never
    dropped unsaid. A yes before the rest ("yes. now kat morales - how does she do on video?")
    saves it first; without one it is not saved, and the therapist is told so."""
    pending = PendingWrite.from_json(tracker.get_slot("pending_write"))
    if pending is None or pending.client_id == client_id:
        return []
    saved = save_on_leading_yes(records, pending, tracker.latest_message.get("text") or "",
                                staff_id, today, channel, tracker.get_slot("barriers") or [],
                                dispatcher)
    if saved is not None:
        return [SlotSet("last_write", saved.to_json())]
    what = "plan" if pending.kind == "plan" else "entry"
    dispatcher.utter_message(
        text=f"Not saved: the {what} read back for {pending.client_name}. Tell me it again if "
             "it should go in the record.")
    return []


def plan_changed(records: ClientRecords, tracker: Tracker, today: date,
                 dispatcher: CollectingDispatcher,
                 client_id: Optional[str] = None) -> Optional[Events]:
    """A plan waiting for its yes (of `client_id`, when given), changed by the message ("also
    she sets a reminder", "make the goals step shared") and read back again; None when no plan
    waits or the words change nothing. Words of risk never change it."""
    text = tracker.latest_message.get("text") or ""
    pending = PendingWrite.from_json(tracker.get_slot("pending_write"))
    if (pending is None or pending.kind != "plan"
            or (client_id is not None and pending.client_id != client_id)
            or not plan_amended(pending, text, today, records)):
        return None
    return pending.offer(dispatcher)


def last_exchange(tracker: Tracker) -> Tuple[Optional[str], List[str]]:
    """The therapist's message before the latest one (None when there is none), and what the
    assistant said after it: its last turn."""
    said: List[str] = []
    users = 0
    for event in reversed(tracker.events or []):
        kind = event.get("event")
        if kind == "user":
            users += 1
            if users == 2:
                return event.get("text") or "", said
        elif kind == "bot" and users == 1:
            said.append(event.get("text") or "")
    return None, said


# A message that asks: "what have I tried with him", "how does she do on video vs in person".
_ASKS = re.compile(r"^\W*(?:(?:and|so|but|btw|ok|quick\s+q\w*)[\s,:]+)*(?:what|what'?s|whats|when"
                   r"|when'?s|whens|how|how'?s|hows|does|do|did|is|isn'?t|has|have|can|could|may"
                   r"|who|which|any)\b", re.IGNORECASE)


def record_answer(ctx: Context, text: str) -> Optional[str]:
    """The record's answer to a message that asks about it ("what have I tried with him"),
    however the model read it; None when the message asks nothing the record answers."""
    return ctx.answers(text) if asks(text) else None


def asks(text: str) -> bool:
    """Does the message ask something (a question mark, or a question word first)?"""
    # "kat morales missed fri again. how does she do on video vs in person": any sentence
    return "?" in (text or "") or any(_ASKS.match(part)
                                      for part in re.split(r"[.!;]\s+", text or ""))


def client_names(ctx: Context) -> List[str]:
    """The names the client may be called by in a message: full, first, preferred."""
    client = ctx.client
    return [n for n in (client.display_name, client.first_name,
                        getattr(client, "preferred_name", None)) if n]


# A message that states a plan outright: "plan is ...", "the plan: ...", "we agreed ...".
PLAN_STATED = re.compile(r"^\W*(?:(?:ok(?:ay)?|so|fine|right)[\s,]+)*(?:(?:the|our|new|agreed"
                         r"|revised)\s+)?plan\s*(?:is\b|[:\-–—])|^\W*(?:we\s+)?agreed\b",
                         re.IGNORECASE)


def plan_stated(records: ClientRecords, ctx: Context, text: str) -> Optional[PendingWrite]:
    """A plan laid out in words read as something else ("maya chen: FD sends her text
    reminders, I call her thurs. f/u 3/31", "plan is front desk sets up reminders..."), as a
    write to read back; None when the words lay out none."""
    as_subject = client_as_subject(text, client_names(ctx))
    if not (PLAN_STATED.match(text) or opens_with_a_plan(text)
            or reads_as_plan(text, ctx.today) or reads_as_plan(as_subject, ctx.today)):
        return None
    plan = parse_plan(as_subject, ctx.today,
                      front_desk_names=records.staff_names("front_desk"),
                      supervisor_names=records.staff_names("supervisor"))
    if not plan.steps:
        return None
    return with_consents(PendingWrite("plan", ctx.client.id, ctx.client.display_name,
                                      plan_data(plan)), ctx.client)


def yes_with_changes(records: ClientRecords, tracker: Tracker, today: date,
                     dispatcher: CollectingDispatcher) -> Optional[Events]:
    """"yeah 4/3. oh and FD emails him the new slots": a yes that comes with changes to the
    plan read back for this client is no yes to it as it was; the plan, changed, is read back
    again for a yes to what will be saved. None: no such yes."""
    said = tracker.latest_message.get("text") or ""
    pending = PendingWrite.from_json(tracker.get_slot("pending_write"))
    if (pending is None or pending.kind != "plan" or not YES_FIRST.match(said)
            or pending.client_id != tracker.get_slot("client_id")):
        return None
    rest = after_the_yes(said)
    if not rest or not plan_amended(pending, rest, today, records):
        return None
    return pending.offer(dispatcher)


def risk_heard(ctx: Context, tracker: Tracker, text: str) -> bool:
    """Do the words bring the safety steps first (speaks_of_risk)? Words of risk always do;
    the model's reading alone does not when the message is a step added to, or a change of,
    the plan read back ("and he sends FD his new insurance card by fri")."""
    if not speaks_of_risk(text, tracker.latest_message, ctx.config.safety.model_threshold):
        return False
    if raises_concern(text):
        return True
    pending = PendingWrite.from_json(tracker.get_slot("pending_write"))
    return not (pending is not None and pending.kind == "plan"
                and (adds_steps(text) or edits_plan(text)))


def follow_up_as_it_is(pending: PendingWrite, text: str, today: date) -> Optional[date]:
    """The follow-up a message gives for the plan read back, when the plan has that one
    already ("f/u the 30th" of a plan followed up on the 30th); None otherwise."""
    follow_up = follow_up_said(text, today) if pending.kind == "plan" else None
    same = follow_up is not None and follow_up.isoformat() == pending.data.get("follow_up_on")
    return follow_up if same else None


def plan_amended(pending: PendingWrite, text: str, today: date, records: ClientRecords) -> bool:
    """Apply the changes a message makes to the plan read back, sentence by sentence when
    each one changes it ("4/3. oh and FD emails him the new slots": the follow-up, then a
    step); whether it changed. Words of risk never change it."""
    if raises_concern(text):
        return False
    if NO_DATE_ANSWER.match(text) and not pending.data.get("follow_up_on"):
        # "no date yet" to a plan read back with none: as it is, read back for its yes
        return True
    if adds_steps(text) or edits_plan(text):
        if amend_pending(pending, text, today, records):
            return True
        # "f/u 4/3" when the follow-up is 4/3 already: read back again as it is
        return follow_up_as_it_is(pending, text, today) is not None
    parts = [p for p in re.split(r"(?<=[.;!])\s+", text.strip()) if p.strip(" .;!")]
    if len(parts) < 2 or not all(adds_steps(p) or edits_plan(p) for p in parts):
        return False
    trial = PendingWrite.from_json(pending.to_json())
    assert trial is not None
    if not all([amend_pending(trial, part, today, records) for part in parts]):
        return False
    pending.data = trial.data
    return True


def after_the_yes(text: str) -> str:
    """What a message says after its leading yes ("yes. does she owe anything?"), without
    words that only lead on ("and", "then", "first"); empty when it says nothing more."""
    rest = YES_FIRST.sub("", text or "", count=1)
    return re.sub(r"^[\W\s]*(?:(?:and|then|now|first|thanks|thx|please|pls|ok)\b[\W\s]*)*", "",
                  rest, flags=re.I).strip()


def switch_events(ctx: Context) -> Events:
    """The named client becomes the client in discussion; nothing of the last one's carries
    over (an unsaved write for them is dropped)."""
    return [SlotSet("client_id", ctx.client.id), SlotSet("client_name", ctx.client.display_name),
            SlotSet("barriers", None), SlotSet("pending_write", None), SlotSet("awaiting", None),
            SlotSet("safety_pending", False), SlotSet("next_step", "summary")]


def safety_reasons(ctx: Context, text: str) -> List[str]:
    """Why safety comes first now: the record, open concerns raised, the words just said."""
    return (needs_safety_first(ctx.client, ctx.summary, text, ctx.config.safety)
            + concern_reasons(ctx.record.concerns, ctx.today))


def note_concern(records: ClientRecords, ctx: Context, text: str) -> Tuple[Context, Events]:
    """The words raise a concern about the client: the record notes that one was raised (when,
    reported by whom; never the words), once a day a source, and "undo" can take it back.

    (the context with the concern in its record, the events); no events when the words raise
    none (a negative screen; the model's reading alone) or one was already noted today.
    """
    if not raises_concern(text):
        return ctx, []
    by = reported_by(text)
    if any(c.raised_on == ctx.today and c.reported_by == by for c in ctx.record.concerns):
        return ctx, []  # "she's still not answering" adds nothing new
    if (any(c.raised_on == ctx.today for c in ctx.record.concerns)
            and set(risk_mentions(text)) <= {"safety concerns"}):
        # "she had a safety concern today though, should i still send it?": the concern
        # already noted today, spoken of, is no new one.
        return ctx, []
    concern = records.raise_concern(ctx.staff.id, ctx.client.id, by, ctx.today, ctx.channel)
    if concern is None:
        return ctx, []
    label = f"a safety concern raised {day(ctx.today)}, reported {REPORTERS[by]}"
    noted = LastWrite("concern", concern, ctx.client.id, ctx.client.display_name, label)
    ctx = replace(ctx, record=replace(ctx.record, concerns=[
        *ctx.record.concerns, ConcernView(concern, ctx.today, by)]))
    return ctx, [SlotSet("last_write", noted.to_json())]


def safety_first(ctx: Context, tracker: Tracker, dispatcher: CollectingDispatcher,
                 records: ClientRecords, ending: bool = False, asked: str = ""
                 ) -> Optional[Events]:
    """None when the step may go on; otherwise give the safety steps and return the events.

    Safety opens when the record calls for it (client lookup), when the therapist reports a
    concern, and whenever the therapist's words speak of risk, whatever the intent classifier
    made of them: "no car, and she said she wants to die" is read as a barrier, but the words
    decide. Steps towards an ending (`ending`: the review, the closing letter) also wait while
    a concern raised about the client is open in the record, whatever this conversation knows.

    Words that raise a concern are noted in the record as the safety step notes them
    (`note_concern`); the model's reading alone brings the steps but notes nothing.
    """
    text = tracker.latest_message.get("text") or ""
    pending = (bool(needs_safety_first(ctx.client, ctx.summary, rule=ctx.config.safety))
               if ctx.switched_from is not None
               else bool(tracker.get_slot("safety_pending")))
    said = risk_heard(ctx, tracker, text)
    if not pending and not said and not (ending and ctx.record.concerns):
        return None
    noted: Events = []
    if said:
        ctx, noted = note_concern(records, ctx, text)
    reasons = safety_reasons(ctx, text)
    if said and not forces_safety_gate(text):
        reasons.append("what you said may be about the client's safety")
    reasons = reasons or ["you asked about safety"]
    if said or not steps_shown(tracker, ctx.client.display_name):
        # The full steps once (they end with "tell me when you have safety in hand"); after
        # that, while safety stays open, only the short reply, unless new words of risk
        # bring the steps again.
        dispatcher.utter_message(text=safety_steps(ctx.client, ctx.summary, reasons,
                                                   ctx.config.contacts))
    elif asked:
        # What was asked, acknowledged in one line: "Before we look at closing Jamal
        # Carter's file: safety first."
        dispatcher.utter_message(
            text=f"Before we look at {asked.format(client=ctx.client.display_name)}: safety "
                 "first, and the rest waits until you tell me you have it in hand; ask \"what "
                 "should I do?\" to see the safety steps again.")
    else:
        dispatcher.utter_message(response="utter_safety_before_the_rest",
                                 client=ctx.client.display_name)
    if noted:
        dispatcher.utter_message(response="utter_concern_noted", client=ctx.client.display_name)
    waiting = PendingWrite.from_json(tracker.get_slot("pending_write"))
    if (not said and waiting is not None and waiting.client_id == ctx.client.id
            and _RECORD_ASKED.search(text)):
        # "ok. pls log my call though": the write waiting, read back again for its own yes
        reply, buttons = waiting.read_back()
        dispatcher.utter_message(text=reply, buttons=buttons)
    return noted + [SlotSet("safety_pending", True), SlotSet("next_step", "safety")]


# Saving asked for in so many words, while safety waits: "pls log my call though".
_RECORD_ASKED = re.compile(r"\b(?:log|save|record|note)\b", re.IGNORECASE)


def steps_shown(tracker: Tracker, client_name: str) -> bool:
    """Whether this conversation showed the full safety steps for the client since safety was
    last marked in hand."""
    opening = f"Safety first for {client_name}, before anything administrative."
    for event in reversed(tracker.events or []):
        if event.get("event") == "bot" and (event.get("text") or "").startswith(opening):
            return True
        if (event.get("event") == "slot" and event.get("name") == "safety_pending"
                and event.get("value") is False):
            return False
    return False


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

    def on_fault(self, tracker: Tracker, dispatcher: CollectingDispatcher) -> Events:
        """The reply and events when the records cannot be reached; by default the one
        clear reply and `always`."""
        dispatcher.utter_message(response="utter_records_unavailable")
        return self.always(tracker)

    @abstractmethod
    def work(self, tracker: Tracker, dispatcher: CollectingDispatcher) -> Events:
        """The step, run in a worker thread; may raise RecordsUnavailable."""

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> Events:
        # Every audit row of this step names the channel and the conversation it came in.
        with audit_origin(channel_of(tracker), tracker.sender_id):
            events = await self._run(dispatcher, tracker)
        if self._followed_up(tracker) and not any(e.get("event") == "followup"
                                                  for e in events):
            # Run because another step handed the message on ("reached", unsure, handed to
            # the correction): no rule predicts what comes after it, and a guess below the
            # core fallback threshold would revert the turn, and with it what this step did.
            # The message is answered: wait for the next one.
            events = [*events, FollowupAction("action_listen")]
        return events

    def _followed_up(self, tracker: Tracker) -> bool:
        """Was this step run as the follow-up another step named, for this message?"""
        for event in reversed(tracker.events or []):
            if event.get("event") == "user":
                return False
            if event.get("event") == "followup" and event.get("name") == self.name():
                return True
        return False

    async def _run(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> Events:
        said = len(dispatcher.messages)
        try:
            return await asyncio.to_thread(self.work, tracker, dispatcher)
        except RecordsUnavailable as exc:
            # Its message names the fault and the fix, never SQL or client data.
            logger.error("%s: %s", self.name(), exc)
            del dispatcher.messages[said:]  # nothing half-said before the fault
            return self.on_fault(tracker, dispatcher)
        except ClinicConfigError as exc:
            logger.error("%s: %s", self.name(), exc)  # the file and the setting, no client data
        del dispatcher.messages[said:]
        dispatcher.utter_message(response="utter_clinic_settings_unavailable")
        return self.always(tracker)


class StaffAction(RecordsAction, ABC):
    """A step for the acting therapist, with no client in particular."""

    def work(self, tracker: Tracker, dispatcher: CollectingDispatcher) -> Events:
        staff = load_staff(self.records, acting_staff_id(tracker), channel_of(tracker),
                           first_entity(tracker, "client_id"))
        if isinstance(staff, Refusal):
            dispatcher.utter_message(response=staff.response)
            return self.always(tracker)
        # "review in 3 weeks" while a plan waits for its yes changes that plan, however the
        # words were read (a follow-up list, a knowledge question)
        changed = plan_changed(self.records, tracker, clinic_now().date(), dispatcher)
        if changed is not None:
            return self.always(tracker) + changed + [FollowupAction("action_listen")]
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
    # What the step is about, for the short reply while safety waits ("closing {client}'s
    # file"); empty: the general one.
    asked = ""
    ending = False          # a step towards ending therapy: waits for open safety concerns
    follow_names = True     # a client named in the message is the one the step acts on
    # A contact attempt reported on the way ("called her, she said her shifts changed") is
    # read back after the step, whatever the message was read as: nothing said is lost.
    reads_reports = True
    # Words of risk in the message go to the safety step instead (the steps that change a
    # write waiting for a yes, which would otherwise take them in as its words).
    risk_words_first = False
    # A yes before the rest of the message saves the write read back first ("yes. and is
    # she consented for text?"); off for the steps that answer the write themselves.
    saves_a_leading_yes = True

    def client_for(self, tracker: Tracker) -> Optional[str]:
        """The client this step is about when it is fixed (not the one named)."""
        return None

    def work(self, tracker: Tracker, dispatcher: CollectingDispatcher) -> Events:
        return self.work_with(load_context(self.records, tracker, self.client_for(tracker),
                                           self.follow_names), tracker, dispatcher)

    def work_with(self, context: Union[Context, Refusal, Choice], tracker: Tracker,
                  dispatcher: CollectingDispatcher) -> Events:
        """The step for the context loaded (or the question or refusal in its place)."""
        if isinstance(context, Choice):
            dispatcher.utter_message(text=context.text, buttons=context.buttons)
            return self.always(tracker)
        if isinstance(context, Refusal):
            said = tracker.latest_message.get("text") or ""
            name = context.name or addressed_name(said) or contacted_name(said) or ""
            dispatcher.utter_message(response=context.response, name=name)
            return self.always(tracker)
        events: Events = []
        if context.switched_from is not None:
            events = settle_waiting(self.records, tracker, dispatcher, context.client.id,
                                    context.staff.id, context.today, context.channel)
            if context.switched_from:  # from another client, not from none
                dispatcher.utter_message(response="utter_switched_client",
                                         client=context.client.display_name)
            events += switch_events(context)
        said = tracker.latest_message.get("text") or ""
        if self.risk_words_first and tracker.get_slot("pending_write") and raises_concern(said):
            # "also, she's been saving up her pills": words of risk said while a write waits
            # are the safety step's, never a change to the write (which waits, unchanged).
            return events + self.always(tracker) + [FollowupAction("action_safety_steps")]
        if self.safety_before:
            held = safety_first(context, tracker, dispatcher, self.records,
                                ending=self.ending, asked=self.asked)
            if held is not None:
                return events + self.always(tracker) + held + self._reported(context, tracker,
                                                                             dispatcher)
        if context.switched_from is None and self.saves_a_leading_yes:
            changed = yes_with_changes(self.records, tracker, context.today, dispatcher)
            if changed is not None:
                return events + self.always(tracker) + changed
            saved = self._yes_first(context, tracker, dispatcher)
            events += saved
            if saved and not after_the_yes(said):
                return events + self.always(tracker)  # "can we just save the plan first"
        added = self._added_to_plan(context, tracker, dispatcher)
        if added is not None:
            return events + self.always(tracker) + added
        events = events + self.step(context, tracker, dispatcher)
        return events + self._reported(context, tracker, dispatcher, events)

    def _yes_first(self, ctx: Context, tracker: Tracker,
                   dispatcher: CollectingDispatcher) -> Events:
        """"yes. does she still owe us money?": the yes saves what was read back, then the
        rest of the message is answered (as the step this message was read as)."""
        pending = PendingWrite.from_json(tracker.get_slot("pending_write"))
        text = tracker.latest_message.get("text") or ""
        if (pending is None or pending.client_id != ctx.client.id
                or pending.next_write() is not None
                or addition_of(text)):  # "yes, and I texted her sat": the save step's
            return []
        saved = save_on_leading_yes(self.records, pending, text, ctx.staff.id, ctx.today,
                                    ctx.channel, tracker.get_slot("barriers") or [], dispatcher)
        if saved is None:
            return []
        return [SlotSet("pending_write", None), SlotSet("awaiting", None),
                SlotSet("last_write", saved.to_json())]

    def _added_to_plan(self, ctx: Context, tracker: Tracker,
                       dispatcher: CollectingDispatcher) -> Optional[Events]:
        """"also she sets a reminder on her phone" while a plan for this client waits for its
        yes: a step added to that plan, read back again, whatever else the words sound like
        (a barrier, a reminder question). None: no plan waiting, or no step added."""
        return plan_changed(self.records, tracker, ctx.today, dispatcher, ctx.client.id)

    def _reported(self, ctx: Context, tracker: Tracker, dispatcher: CollectingDispatcher,
                  events: Sequence[Dict[Text, Any]] = ()) -> Events:
        waiting = tracker.get_slot("pending_write") or any(
            e.get("name") == "pending_write" and e.get("value") for e in events)
        if not self.reads_reports or waiting:
            return []
        return propose_attempt(ctx.client.id, ctx.client.display_name,
                               tracker.latest_message.get("text") or "", ctx.today, None,
                               dispatcher, ctx.client) or []

    @abstractmethod
    def step(self, ctx: Context, tracker: Tracker, dispatcher: CollectingDispatcher) -> Events:
        ...


def said_unavailable(tracker: Tracker) -> List[Unavailable]:
    """Days and times the therapist said no longer fit the client in discussion ("tuesdays
    don't work"), from their messages since that client was taken up in this conversation
    (the message that named the client included)."""
    texts: List[str] = []
    last_user, client = "", None
    for event in tracker.events or []:
        if event.get("event") == "user":
            last_user = event.get("text") or ""
            texts.append(last_user)
        elif (event.get("event") == "slot" and event.get("name") == "client_id"
              and event.get("value") != client):
            client, texts = event.get("value"), [last_user]
    latest = tracker.latest_message.get("text") or ""
    if latest and (not texts or texts[-1] != latest):
        texts.append(latest)
    return unavailable_times(texts)
