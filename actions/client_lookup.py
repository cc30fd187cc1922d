"""Who is this client, and what does the record say: the attendance summary action."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any, Dict, List, Optional, Text, Tuple

from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.access import acting_staff_id, channel_of
from actions.base import (
    OUTCOME_BUTTONS,
    Context,
    Events,
    RecordsAction,
    Refusal,
    asks,
    choice_button,
    entity_values,
    first_entity,
    last_exchange,
    load_context,
    load_staff,
    other_surname,
    outreach_records,
    plan_changed,
    plan_records,
    plan_stated,
    record_answer,
    risk_heard,
    safety_first,
    settle_waiting,
    summary_of,
    switch_events,
)
from actions.pending import (
    CORRECTION_CUE,
    PendingWrite,
    addition_of,
    amend_pending,
    counted_before,
    discarded,
    outcome_then_attempt,
    outcome_write,
    propose_attempt,
)
from reconnect.guidance.facts import questions_in
from reconnect.guidance.names import (
    addressed_name,
    as_typed,
    full_name_decides,
    match_clients,
    names_in_text,
    namesakes_of,
    only_a_name,
    unmatched_full_name,
)
from reconnect.guidance.options import tried_before
from reconnect.guidance.outcomes import may_tell_outcome, read_attempt, takes_back
from reconnect.guidance.plan_parser import (
    opens_with_a_plan,
    reads_as_plan,
)
from reconnect.guidance.review import review_reasons
from reconnect.guidance.safety import (
    forces_safety_gate,
    needs_safety_first,
    safety_steps,
)
from reconnect.guidance.summary_text import render_summary
from reconnect.guidance.timeline import attendance_timeline
from reconnect.records.queries import ClientRecord, ClientRecords, ClientView, StaffView
from reconnect.settings import ClinicConfig, clinic_config, clinic_now

NAME_ENTITY = "PERSON"
# The channel that shows pictures: the web widget, where every message is signed in.
PICTURE_CHANNELS = {"widget"}


@dataclass
class Lookup:
    """What the lookup found, to be turned into messages and slot events."""

    response: Optional[str] = None          # a domain response to utter
    response_args: Dict[str, Any] = field(default_factory=dict)
    text: Optional[str] = None              # a message carrying record data
    buttons: List[Dict[str, str]] = field(default_factory=list)
    client_id: Optional[str] = None
    client_name: Optional[str] = None
    # After the summary: safety steps, earlier plans (text, buttons), the next step.
    follow_ups: List[Tuple[str, List[Dict[str, str]]]] = field(default_factory=list)
    next_response: Optional[str] = None
    next_args: Dict[str, Any] = field(default_factory=dict)
    safety_pending: bool = False
    # The attendance timeline (a custom payload holding the picture as a data: URI).
    timeline: Optional[Dict[str, str]] = None
    # The clients named as buttons to choose from (audited as shown).
    offered: List[str] = field(default_factory=list)
    # How the last plan went, told with the name ("fatima haddad - the plan worked"): read
    # back for a yes after the summary.
    outcome: Optional[PendingWrite] = None
    # The client summarized and the clinic's today, for a contact told with the name.
    client: Optional[ClientView] = None
    today: Optional[date] = None


def lookup_client(records: ClientRecords, staff_id: Optional[str], text: str,
                  names: List[str], chosen_id: Optional[str], current_id: Optional[str],
                  channel: Optional[str]) -> Lookup:
    """Resolve the client the therapist means, within their own caseload, and summarize.

    What was asked for is audited whatever the answer: a record shown or refused by id (in
    client_record), a name that found nobody (the fact, not the name), the clients offered.
    """
    staff = load_staff(records, staff_id, channel, chosen_id)
    if isinstance(staff, Refusal):
        return Lookup(response=staff.response)
    result = _lookup(records, staff, text, names, chosen_id, current_id, channel)
    if result.response == "utter_no_such_client":
        records.record_name_not_found(staff.id, channel)
    if result.offered:
        records.record_listed(staff.id, "clients_offered", result.offered, channel)
    return result


# "can u pull up noah kim", "look up maya singh please": the name asked for, at the end.
_PULL_UP = re.compile(r"\b(?:pull|look|bring)\s+up\s+[a-z][\w'-]*\s+[a-z][\w'-]*"
                      r"(?:\s+(?:please|pls|plz|thanks|thx))?\W*$", re.IGNORECASE)


def _without_ruled_out_names(text: str, names: List[str]) -> Tuple[str, List[str]]:
    """The text and names without those ruled out ("not sam greene", "not maya patel")."""
    kept = []
    for name in names:
        ruled_out = re.compile(rf"\bnot\s+{re.escape(name)}\b", re.IGNORECASE)
        if ruled_out.search(text):
            text = ruled_out.sub(" ", text)
        else:
            kept.append(name)
    return text, kept


def _unknown_name(records: ClientRecords, text: str, names: List[str],
                  caseload: List[ClientView]) -> Optional[str]:
    """The name of someone who is no client of this caseload, as typed: a name spaCy found,
    a name asked for, or a surname alone of the clinic's that none of the caseload has."""
    surname = other_surname(records, text, caseload)
    if names or addressed_name(text):
        name = names[0] if names else (addressed_name(text) or "")
        if surname and len(surname.split()) > len(name.split()) \
                and surname.split()[-1] == name.lower():
            # "look at noah kim" with only "kim" tagged: the name as asked for, whole
            return as_typed(surname, text)
        return name
    return as_typed(surname, text) if surname else None


def _matches(text: str, names: List[str], caseload: List[ClientView]) -> list:
    """The caseload's clients the message names: spaCy's PERSON spans first; then the words
    typed, since NER misses some names ("is kat morales chronic?") and clips others ("Jordan
    Lee no-showed")."""
    matches = next((m for m in (match_clients(n, caseload) for n in names) if m), [])
    if not matches:
        # The words typed, since NER misses names; but a name spaCy found that fits nobody
        # is not traded for a partial match ("dana whitfield" is not Dana Ortiz).
        matches = [m for m in names_in_text(text, caseload) if not names or m.score > 1.0]
    return full_name_decides(matches, text, caseload)


def _lookup(records: ClientRecords, staff: StaffView, text: str, names: List[str],
            chosen_id: Optional[str], current_id: Optional[str],
            channel: Optional[str]) -> Lookup:

    if chosen_id:
        client_id = chosen_id
    else:
        caseload = records.caseload(staff.id, channel)
        # "no not sam greene. noah kim": a name ruled out is not the one meant.
        text, names = _without_ruled_out_names(text, names)
        pulled = _PULL_UP.search(text)
        asked = pulled and addressed_name(pulled.group(0))
        if asked and len(asked.split()) > 1 and not match_clients(asked, caseload):
            # "sam asked me to cover - can u pull up noah kim": the full name asked for
            # decides, not another name said in passing; it fits nobody here.
            return no_such_client(asked, text, caseload)
        matches = _matches(text, names, caseload)
        if matches and all(m.score <= 1.0 for m in matches):
            # Only a first name fits, whether spaCy tagged it alone ("Dana" of "pull up Dana
            # Ortiz") or the words were read: a surname typed after it that none of them has
            # is another person ("maya singh" is neither of this caseload's Mayas).
            stranger = unmatched_full_name(text, caseload)
            if stranger:
                return no_such_client(stranger, text, caseload)
        if len(matches) > 1:
            by_id = {c.id: c for c in caseload}
            return Lookup(text=f"{len(matches)} clients in your caseload {SEVERAL_MATCH}",
                          buttons=[choice_button(by_id[m.client_id]) for m in matches],
                          offered=[m.client_id for m in matches])
        if matches:
            client_id = matches[0].client_id
        elif unknown := _unknown_name(records, text, names, caseload):
            # The same answer whether or not the name belongs to another therapist's client;
            # never the client in discussion instead ("leo fischer's attendance", "how's
            # ortiz doing" with no Ortiz in this caseload).
            return Lookup(response="utter_no_such_client", response_args={"name": unknown})
        elif current_id:
            client_id = current_id  # "and her attendance?": the client in discussion
        else:
            return Lookup(response="utter_ask_which_client")

    found = records.client_record(staff.id, client_id, channel)
    if found is None:
        # Not in this therapist's caseload (or no such id): say so, reveal nothing more.
        return Lookup(response="utter_no_such_client_id")
    client = found.client
    config = clinic_config()
    summary = summary_of(found, config)
    result = Lookup(text=render_summary(client, summary), client_id=client.id,
                    client_name=client.display_name, client=client, today=summary.today)
    # how the last plan went, told with the name ("fatima haddad - the plan worked"), to read
    # back after the summary, and a contact told with it after that
    result.outcome = outcome_then_attempt(client.id, client.display_name, found.plans,
                                          summary.today, text)
    if channel in PICTURE_CHANNELS:
        result.timeline = attendance_timeline(client.display_name, found.appointments,
                                              summary.today).payload()
    _walkthrough_next(result, found, summary, config, text,
                      _safety_checked(records, staff.id, found, summary, config, text))
    return result


def no_such_client(stranger: str, text: str, caseload: List[ClientView]) -> Lookup:
    """ "I found no client called Dana Ortiz": never a summary of another Dana; the
    therapist's own clients of that first name are offered as buttons."""
    namesakes = namesakes_of(stranger, caseload)
    return Lookup(response="utter_no_such_client",
                  response_args={"name": as_typed(stranger, text)},
                  buttons=[choice_button(c) for c in namesakes],
                  offered=[c.id for c in namesakes])


def _safety_checked(records: ClientRecords, staff_id: str, found: ClientRecord, summary,
                    config: ClinicConfig, text: str) -> Optional[datetime]:
    """When the therapist said safety was in hand for this client in the last working day,
    if the record alone would put safety first now (and the words do not)."""
    if forces_safety_gate(text) or not needs_safety_first(found.client, summary,
                                                          rule=config.safety):
        return None
    since = datetime.now(timezone.utc).replace(tzinfo=None) - timedelta(hours=SAFETY_CHECK_HOURS)
    return records.safety_in_hand_since(staff_id, found.client.id, since)


# A therapist who said safety was in hand for a client is not stopped by the record's own
# reasons again for this long (a working day); new words of risk always bring the steps.
SAFETY_CHECK_HOURS = 12


def _walkthrough_next(result: Lookup, found: ClientRecord, summary,
                      config: ClinicConfig, text: str,
                      safety_checked: Optional[datetime] = None) -> None:
    """What comes after the summary: safety first, then earlier plans, then the next step."""
    client = found.client
    plans, outreach = plan_records(found), outreach_records(found)
    reasons = needs_safety_first(client, summary, text, config.safety)
    if reasons and safety_checked is not None:
        result.follow_ups.append((
            f"Safety first for {client.display_name}: you said safety was in hand earlier "
            "today. If anything has changed, tell me and the safety steps come first.", []))
        reasons = []
    if reasons:
        result.safety_pending = True
        result.follow_ups.append((safety_steps(client, summary, reasons, config.contacts), []))
        return  # the rest waits until the therapist has safety in hand
    if plans or outreach:
        lines = tried_before(plans, outreach, today=summary.today,
                             last_attended=summary.last_attended)
        # Only a plan that has had time to work is asked about (not one agreed today).
        open_plan = (result.outcome is None
                     and any(p.status == "open" and p.created_on < summary.today for p in plans))
        ask = "\nHow did the last plan go?" if open_plan else ""
        result.follow_ups.append(("Tried before:\n" + "\n".join(lines) + ask,
                                  OUTCOME_BUTTONS if open_plan else []))
    review = review_reasons(summary, plans, config.review)
    if review:
        result.next_response = "utter_review_threshold_reached"
        result.next_args = {"reasons": "; ".join(review)}
    elif summary.verdict.chronic:
        result.next_response = "utter_next_after_summary"


# A record of attendance disputed along with the client's name.
DISPUTES_ATTENDANCE = re.compile(
    r"\b(?:record|system|it)\s+says\s+(?:she|he|they|it\s+was)?\s*(?:was\s+)?(?:a\s+)?no[- ]?show"
    r"|\b(?:def(?:initely)?|actually|did|really)\s+(?:came|come|attended|showed)\b"
    r"|\bsays\s+(?:she|he|they)\s+(?:came|attended|was\s+there)\b", re.IGNORECASE)


class ActionSummarizeAttendance(RecordsAction):
    """Pull up a named client's attendance summary from the clinic record."""

    def name(self) -> Text:
        return "action_summarize_attendance"

    def work(self, tracker: Tracker, dispatcher: CollectingDispatcher) -> Events:
        dropped = drop_pending(tracker, dispatcher)
        if dropped is not None:  # "nah scrap it, need to run it by him first": no name in it
            return dropped
        if DISPUTES_ATTENDANCE.search(tracker.latest_message.get("text") or ""):
            # "dana whitfield says she came last monday, record says no show??": the entries
            # the fact rests on, for the client named, not her summary.
            return [FollowupAction("action_show_entries")]
        chosen = first_entity(tracker, "client_id")
        text = tracker.latest_message.get("text") or ""
        told = text  # what the message tells, for the client looked up
        if chosen and text.startswith("/"):
            # A button that chose one of several clients of that name: what the message
            # that named them told ("called maya yesterday, no answer") is for the one chosen.
            text = told = told_before_the_choice(tracker) or text
        elif len(text.split()) <= 4:
            # the choice typed ("Maya Patel"): likewise
            told = told_before_the_choice(tracker) or text
        result = lookup_client(
            self.records, acting_staff_id(tracker), text,
            entity_values(tracker, NAME_ENTITY), chosen, tracker.get_slot("client_id"),
            channel_of(tracker))
        pending = PendingWrite.from_json(tracker.get_slot("pending_write"))
        settled: Events = []
        if result.client_id and pending and pending.client_id != result.client_id:
            if CORRECTION_CUE.match(text):
                return _moved(pending, result, dispatcher)
            settled = settle_waiting(self.records, tracker, dispatcher, result.client_id,
                                     acting_staff_id(tracker) or "",
                                     result.today or clinic_now().date(), channel_of(tracker))
        _say_lookup(result, dispatcher)
        if not result.client_id:
            return []
        events = settled + [SlotSet("client_id", result.client_id),
                            SlotSet("client_name", result.client_name),
                            SlotSet("safety_pending", result.safety_pending),
                            SlotSet("next_step",
                                    "safety" if result.safety_pending else "summary")]
        if result.client_id != tracker.get_slot("client_id"):
            # Another client: nothing of the last one's walkthrough carries over.
            events += [SlotSet("barriers", None), SlotSet("pending_write", None),
                       SlotSet("awaiting", None)]
        if result.outcome is not None:
            events += result.outcome.offer(dispatcher)
        elif result.client is not None:
            # "cald maya patel yestrday no answr": a contact told with the name is read back
            # after the summary, for its own yes; nothing said is lost.
            same = pending if pending and pending.client_id == result.client_id else None
            events += propose_attempt(result.client.id, result.client.display_name, told,
                                      result.today or clinic_now().date(), same, dispatcher,
                                      result.client) or []
        return events


SEVERAL_MATCH = "match that name. Which one do you mean?"


def told_before_the_choice(tracker: Tracker) -> Optional[str]:
    """The therapist's message before the latest, when the reply to it asked which of
    several clients of one name was meant; None otherwise."""
    before, replies = last_exchange(tracker)
    if before is None or before.startswith("/"):
        return None
    return before if any(SEVERAL_MATCH in reply for reply in replies) else None


def _say_lookup(result: Any, dispatcher: CollectingDispatcher) -> None:
    """The lookup's answer: the summary (or why not), its timeline, what comes after it."""
    if result.response:
        dispatcher.utter_message(response=result.response, **result.response_args)
        if result.buttons:  # "Did you mean: [Dana Whitfield]", the asker's own clients
            dispatcher.utter_message(text="Did you mean:", buttons=result.buttons)
    else:
        dispatcher.utter_message(text=result.text, buttons=result.buttons or None)
    if result.timeline:
        # Inside the message, to the signed-in therapist of this client only: no URL.
        dispatcher.utter_message(json_message=result.timeline)
    for line, buttons in result.follow_ups:
        dispatcher.utter_message(text=line, buttons=buttons or None)
    if result.next_response:
        dispatcher.utter_message(response=result.next_response, **result.next_args)


def _moved(pending: PendingWrite, result: Any, dispatcher: CollectingDispatcher) -> Events:
    """"sorry, that was maya chen not maya patel": the write waiting moves to her."""
    pending.client_id, pending.client_name = result.client_id, result.client_name or ""
    dispatcher.utter_message(response="utter_switched_client", client=result.client_name)
    reply, buttons = pending.read_back()
    dispatcher.utter_message(text=reply, buttons=buttons)
    return [SlotSet("client_id", result.client_id), SlotSet("client_name", result.client_name),
            *pending.events()]


def names_only_a_client(records: ClientRecords, staff_id: Optional[str], text: str,
                        channel: Optional[str]) -> bool:
    """Whether the message is just the name of a client in this therapist's own caseload."""
    staff = records.staff(staff_id)
    if staff is None or staff.role != "therapist":
        return False  # the lookup that follows would refuse; a question is the better answer
    return bool(only_a_name(text, records.caseload(staff.id, channel)))


class ActionUnsure(ActionSummarizeAttendance):
    """Low-confidence input: a client's name alone is looked up; anything else gets a question.

    spaCy's small model misses names it has not seen ("Thandiwe", "fatou diop"), and a bare
    unknown word gives the intent classifier nothing to go on. Matching only the therapist's
    own caseload keeps other therapists' clients out of it.
    """

    def name(self) -> Text:
        return "action_unsure"

    def work(self, tracker: Tracker, dispatcher: CollectingDispatcher) -> Events:
        text = tracker.latest_message.get("text") or ""
        if (tracker.get_slot("last_write") and not tracker.get_slot("pending_write")
                and takes_back(text, whole=True)):
            # "scratch the last one", "take that back": the undo the model was unsure of.
            return [FollowupAction("action_undo")]
        if tracker.get_slot("pending_write") and addition_of(text):
            # "yes. and the sat one too": a yes to what was read back, with more to read back.
            return [FollowupAction("action_save_pending")]
        dropped = drop_pending(tracker, dispatcher)
        if dropped is not None:
            return dropped
        changed = plan_changed(self.records, tracker, clinic_now().date(), dispatcher)
        if changed is not None:
            return changed
        waiting = PendingWrite.from_json(tracker.get_slot("pending_write"))
        if waiting is not None and waiting.kind == "outreach" and not waiting.complete:
            # "reached obviously", typed in answer to "how did the call go?"
            return [FollowupAction("action_correct_pending")]
        if names_only_a_client(self.records, acting_staff_id(tracker), text,
                               channel_of(tracker)):
            return super().work(tracker, dispatcher)
        if tracker.get_slot("client_id"):
            context = load_context(self.records, tracker)
            if isinstance(context, Refusal):  # a name that fits no client: never another's
                dispatcher.utter_message(response=context.response, name=context.name)
                return []
            if isinstance(context, Context):
                return self._for_client(context, tracker, text, dispatcher)
        else:
            told = self._about_a_client_named(tracker, text, dispatcher)
            if told is not None:
                return told
        dispatcher.utter_message(response="utter_ask_rephrase")
        return []

    def _about_a_client_named(self, tracker: Tracker, text: str,
                              dispatcher: CollectingDispatcher) -> Optional[Events]:
        """No client in discussion: a client named with how their last plan went, with a
        plan, with a contact (or a count of them), or with a question the record answers
        ("rosa delgado, telehealth didn't work for her at all", "plan for ben osei: ...",
        "called maya patel sat, she picked up", "how does kat morales do on video vs in
        person"); None when the words tell none of these."""
        if (may_tell_outcome(text) or opens_with_a_plan(text) or _tells_contact(text)
                or reads_as_plan(text, clinic_now().date())):
            context = load_context(self.records, tracker)
            if isinstance(context, Context) and (opens_with_a_plan(text)
                                                 or reads_as_plan(text, context.today)
                                                 or self._outcome(context, text) is not None
                                                 or _tells_contact(text, context.today)):
                return self._for_client(context, tracker, text, dispatcher)
        elif asks(text) and questions_in(text):  # a record is opened only to answer
            context = load_context(self.records, tracker)
            if isinstance(context, Context) and record_answer(context, text):
                return self._for_client(context, tracker, text, dispatcher)
        return None

    @staticmethod
    def _outcome(context: Context, text: str) -> Optional[PendingWrite]:
        return outcome_write(context.client.id, context.client.display_name,
                             context.record.plans, context.today, text)

    def _for_client(self, context: Context, tracker: Tracker, text: str,
                    dispatcher: CollectingDispatcher) -> Events:
        """With a client in discussion (or named): a report, a change to the waiting write,
        a plan, or the safety steps the model was unsure of; else a question."""
        switched: Events = []
        if context.switched_from is not None:  # "now tom becker - called him fri"
            if context.switched_from:
                dispatcher.utter_message(response="utter_switched_client",
                                         client=context.client.display_name)
            switched = switch_events(context)
        if risk_heard(context, tracker, text):
            # "partly worked, but she feels like a burden on everyone": risk the model was
            # unsure of still comes first; the safety step notes it and reads back any report.
            return switched + [FollowupAction("action_safety_steps")]
        # A report the model was unsure of is still a report ("lvm for pt thurs"); how the
        # last plan went, told with it, is read back after it.
        outcome = self._outcome(context, text)
        pending = PendingWrite.from_json(tracker.get_slot("pending_write"))
        reported = propose_attempt(
            context.client.id, context.client.display_name, text, context.today,
            pending, dispatcher, context.client, then=outcome,
            counted=counted_before(tracker.events, text))
        if reported is not None:  # a count gets "one at a time", and nothing more
            return switched + reported + (safety_first(context, tracker, dispatcher, self.records) or [])
        changed = self._changed_pending(context, tracker, text, dispatcher)
        if changed is not None:
            return switched + changed
        if outcome is not None and (pending is None or switched):
            # "the telehealth idea worked out really well": read back for a yes.
            return (switched + outcome.offer(dispatcher)
                    + (safety_first(context, tracker, dispatcher, self.records) or []))
        answer = record_answer(context, text)
        if answer:  # "how does she do on video vs in person": the record answers
            dispatcher.utter_message(text=answer)
            return switched
        # "What should I do?" while safety is open: the safety steps, not a question.
        if tracker.get_slot("safety_pending") or switched:
            held = safety_first(context, tracker, dispatcher, self.records)
            if held is not None:
                return switched + held
        dispatcher.utter_message(response="utter_ask_rephrase")
        return switched

    def _changed_pending(self, ctx: Context, tracker: Tracker, text: str,
                         dispatcher: CollectingDispatcher) -> Optional[Events]:
        """A change the model was unsure of ("drop the letter, just the call") to the write
        waiting for a yes, read back again; or a plan stated in a way it was unsure of
        ("plan is front desk sets up reminders..."), read back. None: neither."""
        pending = PendingWrite.from_json(tracker.get_slot("pending_write"))
        if pending is not None and pending.client_id == ctx.client.id:
            if not amend_pending(pending, text, ctx.today, self.records):
                return None
        elif pending is None:
            pending = plan_stated(self.records, ctx, text)
            if pending is None:
                return None
        else:
            return None
        return pending.offer(dispatcher)




def _tells_contact(text: str, today: Optional[date] = None) -> bool:
    """Whether the words report a contact attempt, or count some."""
    reading = read_attempt(text, today or clinic_now().date())
    return reading.attempt is not None or reading.count


class ActionOutOfScope(RecordsAction):
    """Outside what Reconnect does, unless it reports a contact attempt for the client in
    discussion ("lvm for pt thurs"): that is read back, so nothing said is lost."""

    def name(self) -> Text:
        return "action_out_of_scope"

    def work(self, tracker: Tracker, dispatcher: CollectingDispatcher) -> Events:
        text = tracker.latest_message.get("text") or ""
        if tracker.get_slot("client_id"):
            context = load_context(self.records, tracker, follow_names=False)
            pending = PendingWrite.from_json(tracker.get_slot("pending_write"))
            if isinstance(context, Context) and pending is None:
                reported = propose_attempt(context.client.id, context.client.display_name,
                                           text, context.today, None, dispatcher, context.client,
                                           counted=counted_before(tracker.events, text))
                if reported is not None:
                    return reported
            elif (isinstance(context, Context) and pending is not None
                  and pending.client_id == context.client.id
                  and amend_pending(pending, text, context.today, self.records)):
                # "saturday" after "phone call on Mon 16 Mar": the day the read-back lacked.
                return pending.offer(dispatcher)
        dispatcher.utter_message(response="utter_out_of_scope")
        return []


# Dropping the write read back, in words the model may be unsure of: "cancel that", "nah scrap
# it", "forget it, i'll check first", "don't save that".
DROP_PENDING = re.compile(r"^\W*(?:(?:hmm+|nah|no+|nope|ok(?:ay)?|actually|wait|um+|sorry|oh)[\s,.!-]+)*"
                          r"(?:cancel|scrap|forget|ditch|bin|don'?t\s+save|do\s+not\s+save"
                          r"|never\s*mind|leave)\s+(?:it|that|this|them|all\s+of\s+it)\b",
                          re.IGNORECASE)


def drop_pending(tracker: Tracker, dispatcher: CollectingDispatcher) -> Optional[Events]:
    """"hmm cancel that, i need to check my call log first", "nah scrap it": a no the model
    was unsure of (or read as a name) drops the write waiting; nothing is saved, the client
    stays in discussion. None when nothing waits or the words do not drop it."""
    pending = PendingWrite.from_json(tracker.get_slot("pending_write"))
    if pending is None or not DROP_PENDING.match(tracker.latest_message.get("text") or ""):
        return None
    return discarded(pending, dispatcher)
