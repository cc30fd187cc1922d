"""What waits for the therapist's yes before it is written: a contact attempt, a plan's
outcome, a plan. Shared by the steps that propose a write and the one that saves it.

Every write is read back first ("Record for Dana Whitfield: phone call on Tue 10 Mar 2026,
no answer. Save it?") with [Yes] [Change] [Cancel]; nothing is saved until the therapist says
yes, any part can be changed in their own words, and "undo" takes back the last saved entry.
The pending write lives in the conversation (slot `pending_write`), never in the record.
"""
from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from typing import Any, Dict, List, Optional, Sequence, Tuple

from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from reconnect.guidance.dates import WEEKDAYS, past_date
from reconnect.guidance.outcomes import (
    Attempt,
    amend_attempt,
    counted_channel,
    outcome_of,
    outreach_of,
    read_attempt,
    read_days_after_count,
    told_outcome,
)
from reconnect.guidance.plan_parser import (
    ParsedPlan,
    ParsedStep,
    amend_plan,
    client_as_subject,
    describe_plan,
)
from reconnect.guidance.wording import day, plural

AWAITING = "write_confirmation"
CONFIRM_BUTTONS = [{"title": "Yes", "payload": "/affirm"},
                   {"title": "Change", "payload": "/correct_record"},
                   {"title": "Cancel", "payload": "/deny"}]
CHANNEL_WORDS = {"phone": "phone call", "sms": "text", "email": "e-mail", "letter": "letter"}
RESULT_WORDS = {"reached": "reached", "no_answer": "no answer", "left_message": "message left",
                "sent": "sent"}
PLAN_RESULTS = {"worked": "it worked", "partly": "it partly worked",
                "did_not_work": "it did not work"}
ASK_RESULT = [{"title": "Reached", "payload": '/correct_record{"outcome": "reached"}'},
              {"title": "No answer", "payload": '/correct_record{"outcome": "no_answer"}'},
              {"title": "Left a message", "payload": '/correct_record{"outcome": "left_message"}'},
              {"title": "Cancel", "payload": "/deny"}]
ASK_CHANNEL = [{"title": "Call", "payload": '/correct_record{"channel": "phone"}'},
               {"title": "Text", "payload": '/correct_record{"channel": "sms"}'},
               {"title": "E-mail", "payload": '/correct_record{"channel": "email"}'},
               {"title": "Letter", "payload": '/correct_record{"channel": "letter"}'},
               {"title": "Cancel", "payload": "/deny"}]


# A message that corrects what was read back rather than reporting something new.
CORRECTION_CUE = re.compile(r"^\s*(no|nope|nah|actually|wait|sorry|oops|correction|not|make"
                            r"|change|it was|that was|i meant|should be)\b", re.I)


# Words of assent said before a yes: "perfect, yes", "ok great yes".
_BEFORE_YES = (r"(?:(?:ok(?:ay)?|perfect|great|good|grand|lovely|brilliant|cool|fine|sure|right"
               r"|thanks|thank you|ta|looks good|that'?s right|correct)[\s,.!-]+){0,2}")
_YES = (r"(?:yes|yep|yeah|yup|save it|save that|confirm(?:ed)?"
        # "can we just save the plan first", "pls save it now"
        r"|(?:(?:can|could)\s+(?:we|you)\s+)?(?:just\s+|please\s+|pls\s+)?save\s+(?:it|that|this"
        r"|the\s+(?:plan|entry|call|text|e-?mail|contact|outcome))(?:\s+(?:first|now|please|pls))*"
        r"(?=\W*$|\W+(?:and|then|now|also)\b))")

# A yes to what was read back that adds one more thing: "yes. and the sat one too".
YES_AND = re.compile(rf"^\W*{_BEFORE_YES}{_YES}\W*"
                     r"(?:and|also|plus|&|\+)\s+(?:also\s+)?(?P<rest>\S.*)$", re.I | re.S)

# A yes before the rest of the message ("yes. now kat morales - how does she do on video?",
# "yes. and safety is fine"); "yes she called back" is a report, not a yes.
YES_FIRST = re.compile(rf"^\W*{_BEFORE_YES}{_YES}\b(?!\s+(?:she|he|they|i|we)\b)", re.I)


def addition_of(text: str) -> Optional[str]:
    """What a yes adds ("the sat one too"), or None when the message is no such yes."""
    match = YES_AND.match(text or "")
    return match["rest"].strip() if match else None


def _iso(value: Optional[date]) -> Optional[str]:
    return value.isoformat() if value else None


def _day(value: Optional[str]) -> Optional[date]:
    return date.fromisoformat(value) if value else None


def step_dicts(plan: ParsedPlan) -> List[Dict[str, Any]]:
    """The plan's steps as stored (in the pending write and in the database)."""
    return [{"text": s.text, "owner": s.owner, "kind": s.kind, "channel": s.channel,
             "due": _iso(s.due)} for s in plan.steps]


def plan_data(plan: ParsedPlan) -> Dict[str, Any]:
    return {"steps": step_dicts(plan), "follow_up_on": _iso(plan.follow_up_on),
            "owner": plan.owner}


def plan_of(data: Dict[str, Any]) -> ParsedPlan:
    steps = tuple(ParsedStep(s["text"], s["owner"], s["kind"], s.get("channel"),
                             _day(s.get("due"))) for s in data["steps"])
    return ParsedPlan(steps, _day(data.get("follow_up_on")), data["owner"])


def attempt_data(attempt: Attempt) -> Dict[str, Any]:
    return {"on": _iso(attempt.on), "channel": attempt.channel, "outcome": attempt.outcome,
            "vague_day": attempt.vague_day}


def attempt_of(data: Dict[str, Any]) -> Attempt:
    return Attempt(_day(data.get("on")), data.get("channel"), data.get("outcome"),
                   bool(data.get("vague_day")))


def attempts_data(attempts: List[Attempt]) -> Dict[str, Any]:
    """One or more attempts told in one message, as the pending write holds them."""
    data = attempt_data(attempts[0])
    if len(attempts) > 1:
        data["more"] = [attempt_data(a) for a in attempts[1:]]
    return data


def attempts_of(data: Dict[str, Any]) -> List[Attempt]:
    return [attempt_of(data)] + [attempt_of(more) for more in data.get("more") or []]


def amend_attempts(data: Dict[str, Any], text: str, today: date,
                   outcome: Optional[str] = None, channel: Optional[str] = None
                   ) -> Tuple[Dict[str, Any], bool]:
    """Apply a correction to the attempt(s) waiting for a yes. With several, the one whose
    channel the correction names is changed ("the email was thursday"), else the last."""
    attempts = attempts_of(data)
    which = len(attempts) - 1
    if len(attempts) > 1:
        named = channel or outreach_of(text)[0]
        matching = [i for i, a in enumerate(attempts) if a.channel == named]
        ordinal = _ORDINAL.search(text or "")
        by_day = _BY_DAY.search(text or "") or _BY_DATE.search(text or "")
        if by_day and by_day.groupdict().get("when"):
            # "the 3/12 one was an email not a txt": the attempt of that date
            dated = past_date(f"on the {by_day['when']}", today).day
            on_day = [i for i, a in enumerate(attempts) if dated and a.on == dated]
        else:
            on_day = ([i for i, a in enumerate(attempts)
                       if a.on and a.on.weekday() == WEEKDAYS[by_day["wd"].lower()]]
                      if by_day else [])
        if ordinal and ORDINALS[ordinal["n"].lower()] < len(attempts):
            # "the second one was friday", "the first call was monday": that one.
            which = ORDINALS[ordinal["n"].lower()]
            text = text[:ordinal.start()] + "that" + text[ordinal.end():]  # "2nd" is no date
            if len(matching) == 1 and matching[0] == which:
                channel = None
        elif len(on_day) == 1:
            # "the wednesday one was an email not a text": the attempt of that day, whose
            # channel (or result) changes; the day names it and stays.
            which = on_day[0]
            assert by_day is not None
            text = text[:by_day.start()] + "that" + text[by_day.end():]
            said = _NAMED_CHANNEL.search(text)
            channel = channel or (outreach_of(said["what"])[0] if said else None)
        elif len(matching) == 1:
            which, channel = matching[0], None  # the channel names the attempt, not a change
    attempt = attempts[which]
    if channel in CHANNEL_WORDS:
        attempt = replace(attempt, channel=channel)
    amended, changed = amend_attempt(attempt, text, today, outcome)
    attempts[which] = amended
    return attempts_data(attempts), changed or amended != attempts_of(data)[which]


# Which of several attempts read back together a correction means: "the second one".
ORDINALS = {"first": 0, "1st": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2}
_ORDINAL = re.compile(r"\bthe\s+(?P<n>first|1st|second|2nd|third|3rd)\b", re.I)
# ... or its day: "the wednesday one", "the fri call".
_BY_DAY = re.compile(r"\b(?:the|that)\s+(?P<wd>" + "|".join(sorted(WEEKDAYS, key=len,
                                                                   reverse=True))
                     + r")(?:'?s)?\s+(?:one|call|text|txt|email|e-mail|vm|voicemail|message"
                       r"|attempt)\b", re.I)
# The channel it was, said first ("was an email not a text"): the one after "not" is the old.
_BY_DATE = re.compile(r"\b(?:the|that)\s+(?P<when>\d{1,2}/\d{1,2}|\d{1,2}(?:st|nd|rd|th))"
                      r"(?:'?s)?\s+(?:one|call|text|txt|email|e-mail|vm|voicemail|message"
                      r"|attempt)\b", re.I)
_NAMED_CHANNEL = re.compile(r"\b(?:was|is|were)\s+(?:an?\s+)?(?P<what>[a-z-]+)", re.I)


@dataclass
class PendingWrite:
    """One write waiting for the therapist's yes."""

    kind: str                 # "outreach" | "plan_outcome" | "plan"
    client_id: str
    client_name: str
    data: Dict[str, Any] = field(default_factory=dict)
    # A second write told in the same message ("called her thurs and she picked up, so the
    # plan worked"): read back for its own yes once this one is saved ({kind, data}).
    then: Optional[Dict[str, Any]] = None

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: Optional[str]) -> Optional["PendingWrite"]:
        if not text:
            return None
        try:
            raw = json.loads(text)
            then = raw.get("then")
            return cls(raw["kind"], raw["client_id"], raw["client_name"], raw.get("data") or {},
                       then if isinstance(then, dict) else None)
        except (ValueError, KeyError, TypeError):
            return None  # a slot from an older version: nothing is pending

    def followed_by(self, other: Optional["PendingWrite"]) -> "PendingWrite":
        """This write, with `other` (of the same client) to read back after its yes."""
        if other is not None and other.client_id == self.client_id:
            self.then = {"kind": other.kind, "data": other.data}
        return self

    def next_write(self) -> Optional["PendingWrite"]:
        """The write told with this one, to read back once this one is saved."""
        if not self.then:
            return None
        return PendingWrite(self.then["kind"], self.client_id, self.client_name,
                            self.then.get("data") or {})

    def events(self) -> List[Dict[str, Any]]:
        return [SlotSet("pending_write", self.to_json()), SlotSet("awaiting", AWAITING)]

    def offer(self, dispatcher: Any) -> List[Dict[str, Any]]:
        """Read the write back for the therapist's yes; the events that keep it waiting."""
        reply, buttons = self.read_back()
        dispatcher.utter_message(text=reply, buttons=buttons)
        return self.events()

    def read_back(self) -> Tuple[str, List[Dict[str, str]]]:
        """The text and buttons that ask for the therapist's yes (or for what is missing),
        and what comes after it, when a second write was told with it."""
        reply, buttons = self._read_back()
        if self.data.get("replaces_label"):
            reply = (f"That changes what was just saved ({self.data['replaces_label']}); on your "
                     f"yes the corrected entry replaces it, and the audit trail keeps both.\n"
                     + reply)
        after = self.next_write()
        if after is not None:
            reply += f"\n{after.coming()}"
        return reply, buttons

    def coming(self) -> str:
        """The line that says this write comes next, for its own yes."""
        if self.kind == "plan_outcome":
            made = _day(self.data.get("created_on")) or date.today()
            what = (f"the outcome of the plan of {day(made)} "
                    f"({PLAN_RESULTS[self.data['outcome']]})")
        elif self.kind == "outreach":
            what = "the contact you told me of"
        else:
            what = "the plan"
        return f"After that I'll read back {what}, for its own yes."

    def _read_back(self) -> Tuple[str, List[Dict[str, str]]]:
        if self.kind == "outreach" and self.data.get("more"):
            lines = "\n".join(f"{n}. {attempt_words(a)}"
                              for n, a in enumerate(attempts_of(self.data), start=1))
            return (f"Record for {self.client_name}:\n{lines}\nSave all "
                    f"{len(attempts_of(self.data))}?", CONFIRM_BUTTONS)
        if self.kind == "outreach":
            return _attempt_read_back(attempt_of(self.data), self.client_name)
        if self.kind == "plan_outcome":
            result = PLAN_RESULTS[self.data["outcome"]]
            return (f"Record for {self.client_name}: the plan of "
                    f"{day(_day(self.data['created_on']) or date.today())} - {result}. "
                    "Save it?", CONFIRM_BUTTONS)
        consent = consent_note(self.client_name, plan_of(self.data).steps,
                               self.data.get("no_consent") or [])
        return (f"Here's the plan for {self.client_name} as I understood it:\n"
                f"{describe_plan(plan_of(self.data))}\nSave it?"
                + (f"\n{consent}" if consent else ""), CONFIRM_BUTTONS)

    @property
    def complete(self) -> bool:
        return self.kind != "outreach" or all(a.complete for a in attempts_of(self.data))


# What each contact channel of a step needs on file before the clinic uses it.
_CONSENT_FOR = {"phone": ("phone_consent", "calls"), "voicemail": ("phone_consent", "calls"),
                "sms": ("sms_consent", "texts"), "email": ("email_consent", "e-mails")}


def with_consents(pending: PendingWrite, client: Any) -> PendingWrite:
    """The plan waiting, with the channels the client has no consent on file for, so that
    every read-back of it (changed or not) warns of a step that would use one."""
    pending.data["no_consent"] = sorted(
        channel for channel, (flag, _) in _CONSENT_FOR.items() if not getattr(client, flag, True))
    return pending


def consent_note(client_name: str, steps: Sequence[Any], no_consent: Sequence[str]
                 ) -> Optional[str]:
    """A line saying which steps contact the client by a channel with no consent on file
    ("Kat Morales has no consent on file for calls (step 2)"); None when all have it."""
    lacking: Dict[str, List[int]] = {}
    for number, step in enumerate(steps, 1):
        need = _CONSENT_FOR.get(step.channel or "")
        if need and step.owner != "client" and step.channel in no_consent:
            lacking.setdefault(need[1], []).append(number)
    if not lacking:
        return None
    said = "; ".join(f"{what} (step{'s' if len(n) > 1 else ''} {', '.join(map(str, n))})"
                     for what, n in lacking.items())
    return (f"Check before saving: {client_name} has no consent on file for {said}. "
            "Change the step, or check consent with the client first.")


def attempt_words(attempt: Attempt) -> str:
    """"phone call on Tue 10 Mar 2026, no answer" (a complete attempt)."""
    assert attempt.on is not None
    return (f"{CHANNEL_WORDS[attempt.channel or '']} on {day(attempt.on)}, "
            f"{RESULT_WORDS[attempt.outcome or '']}")


def _attempt_read_back(attempt: Attempt, client: str) -> Tuple[str, List[Dict[str, str]]]:
    what = CHANNEL_WORDS.get(attempt.channel or "", "contact attempt")
    if attempt.channel is None:
        return (f"Was the contact with {client} a call, a text, an e-mail or a letter?",
                ASK_CHANNEL)
    if attempt.on is None:
        return (f"Which day was the {what} to {client}? (e.g. \"yesterday\", \"Tuesday\", "
                "\"3/12\")", [CONFIRM_BUTTONS[2]])
    if attempt.outcome is None:
        return (f"How did the {what} to {client} on {day(attempt.on)} go?", ASK_RESULT)
    return f"Record for {client}: {attempt_words(attempt)}. Save it?", CONFIRM_BUTTONS


@dataclass
class LastWrite:
    """The entry saved last in this conversation, for "undo"."""

    kind: str
    entry_id: int
    client_id: str
    client_name: str
    label: str
    more_ids: List[int] = field(default_factory=list)  # saved with it, in one yes
    # Per entry (entry_id, then more_ids): its channel and its words, so that "undo the
    # text one" can take back one of several attempts saved together.
    channels: List[str] = field(default_factory=list)
    labels: List[str] = field(default_factory=list)
    # Already taken back by an undo: a second undo says so, rather than that nothing was
    # saved in this conversation.
    undone: bool = False
    # The contact as saved (a pending write's data), so that a correction right after the
    # yes ("actually she picked up, fix that") can change it, read back first.
    data: Dict[str, Any] = field(default_factory=dict)

    def only(self, channel: Optional[str]) -> Tuple[Optional["LastWrite"], Optional["LastWrite"]]:
        """(the entries of `channel`, the rest) when several attempts were saved together and
        some of them, not all, are of that channel; (None, None) otherwise."""
        ids = [self.entry_id, *self.more_ids]
        if not channel or len(ids) < 2 or len(self.channels) != len(ids):
            return None, None
        picked = [i for i, c in enumerate(self.channels) if c == channel]
        if not picked or len(picked) == len(ids):
            return None, None
        rest = [i for i in range(len(ids)) if i not in picked]
        return self._part(picked), self._part(rest)

    def _part(self, indexes: List[int]) -> "LastWrite":
        ids = [self.entry_id, *self.more_ids]
        labels = [self.labels[i] for i in indexes]
        return LastWrite(self.kind, ids[indexes[0]], self.client_id, self.client_name,
                         " and ".join(labels), [ids[i] for i in indexes[1:]],
                         [self.channels[i] for i in indexes], labels)

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: Optional[str]) -> Optional["LastWrite"]:
        if not text:
            return None
        try:
            return cls(**json.loads(text))
        except (ValueError, TypeError):
            return None


CONSENT_FLAGS = {"sms": ("sms_consent", "text messages"), "email": ("email_consent", "e-mail"),
                 "phone": ("phone_consent", "phone calls")}


def counted_before(events: Sequence[Dict[str, Any]], latest: str) -> Optional[str]:
    """The channel of a count of attempts ("my last 2 calls") told in the therapist's message
    just before this one, which was answered with "tell me each one, with its day"."""
    said = [e.get("text") or "" for e in events or [] if e.get("event") == "user"]
    if said and said[-1] == latest:
        said = said[:-1]
    return counted_channel(said[-1]) if said else None


def propose_attempt(client_id: str, client_name: str, text: str, today: date,
                    pending: Optional["PendingWrite"], dispatcher: CollectingDispatcher,
                    client: Any = None, then: Optional["PendingWrite"] = None,
                    counted: Optional[str] = None) -> Optional[List[Dict[str, Any]]]:
    """Read back the contact attempt a message reports, or change the one waiting for a yes;
    None when the message reports none (and is no change to one). A count of attempts with
    no days gets "one at a time" and writes nothing. `then`: a second write told in the same
    message (a plan's outcome), read back for its own yes after this one is saved.
    `counted`: the channel of a count told just before, whose days this message may give
    ("thurs and sat, no answer both times")."""
    if pending is not None and addition_of(text):
        # "yes. and the sat one too": the yes saves what was read back; the addition is
        # read back after it.
        return [FollowupAction("action_save_pending")]
    reading = read_attempt(text, today)
    if pending is None and counted and reading.attempt is None and not reading.count:
        reading = read_days_after_count(text, today, counted)
    if (pending and pending.kind == "outreach" and pending.client_id == client_id
            and (reading.attempt is None or CORRECTION_CUE.match(text)
                 or _answers_what_is_missing(pending, reading.attempt, text, today))):
        # "no, it was wednesday": a change to the attempt waiting for a yes.
        data, changed = amend_attempts(pending.data, text, today)
        if not changed:
            # "reached obviously" of a call already read back as reached: read back again.
            return pending.offer(dispatcher) if reading.attempt is not None else None
        pending.data = data
        return pending.offer(dispatcher)
    if reading.count:
        dispatcher.utter_message(response="utter_attempts_one_at_a_time", client=client_name)
        return []
    if reading.attempt is None:
        return None
    if pending is not None:
        # say what it was: a contact, a plan or how a plan went, and whose
        what = {"outreach": "contact attempt", "plan": "plan",
                "plan_outcome": "plan outcome"}.get(pending.kind, "entry")
        if pending.client_id != client_id:
            what += f" for {pending.client_name}"
        dispatcher.utter_message(response="utter_earlier_not_saved", what=what)
    proposed = PendingWrite("outreach", client_id, client_name,
                            attempts_data([reading.attempt, *reading.more])).followed_by(then)
    reply, buttons = proposed.read_back()
    flag = CONSENT_FLAGS.get(reading.attempt.channel or "")
    if client is not None and flag and not getattr(client, flag[0], True):
        # What happened is recorded as it happened; the missing consent is said, not hidden.
        reply += (f"\nNote: no consent to {flag[1]} is on file for {client_name}; check the "
                  "consent form before contacting them this way again.")
    dispatcher.utter_message(text=reply, buttons=buttons)
    return proposed.events()


def _answers_what_is_missing(pending: PendingWrite, told: Attempt, text: str,
                             today: date) -> bool:
    """"reached", typed in answer to "how did the call go?": about the write waiting (the
    answer to what it lacks), not a new contact (one with a channel or a day of its own would
    be)."""
    if pending.data.get("more") or re.search(r"\bagain\b", text, re.I):
        return False  # "called her again": another call
    waiting = attempts_of(pending.data)[-1]
    no_day_said = past_date(text, today).day is None
    return (told.channel in (None, waiting.channel)
            and (no_day_said or told.on in (None, waiting.on)))


def attempt_write(client_id: str, client_name: str, text: str,
                  today: date) -> Optional[PendingWrite]:
    """The contact attempt(s) a message reports along with a plan's outcome, as a write to
    read back after it; None when it reports none (or only a count)."""
    reading = read_attempt(text, today)
    if reading.attempt is None or reading.count:
        return None
    return PendingWrite("outreach", client_id, client_name,
                        attempts_data([reading.attempt, *reading.more]))


def outcome_write(client_id: str, client_name: str, plans: Sequence[Any], today: date,
                  text: str, outcome: Optional[str] = None) -> Optional[PendingWrite]:
    """The outcome of the earlier open plan told in the message (or `outcome`), as a write to
    read back; None when the words tell none or no plan older than today is open (a plan
    agreed today has no outcome yet)."""
    earlier = [p for p in plans if p.status == "open" and p.created_on < today]
    if not earlier:
        return None
    plan = earlier[-1]
    words = [w for step in plan.steps for w in re.findall(r"[a-z]+", str(
        step.get("text", "") if isinstance(step, dict) else step), re.I)]
    outcome = outcome or told_outcome(text, words)
    if outcome not in PLAN_RESULTS:
        return None
    return PendingWrite("plan_outcome", client_id, client_name,
                        {"outcome": outcome, "plan_id": plan.id,
                         "created_on": plan.created_on.isoformat()})


def outcome_then_attempt(client_id: str, client_name: str, plans: Sequence[Any], today: date,
                         text: str) -> Optional[PendingWrite]:
    """How the last plan went, told in the message, as a write to read back, with the contact
    told beside it to come after it for its own yes ("fatima haddad - the plan worked, I
    called her yesterday"); None when the words tell no outcome."""
    outcome = outcome_write(client_id, client_name, plans, today, text)
    if outcome is not None:
        outcome.followed_by(attempt_write(client_id, client_name, text, today))
    return outcome


def cleared() -> List[Dict[str, Any]]:
    """Nothing pending any more."""
    return [SlotSet("pending_write", None), SlotSet("awaiting", None)]


def discarded(pending: PendingWrite, dispatcher: Any) -> List[Dict[str, Any]]:
    """The therapist dropped the write waiting: say so; nothing is saved."""
    if pending.kind == "plan":
        dispatcher.utter_message(response="utter_plan_discarded")
    else:
        dispatcher.utter_message(response="utter_write_discarded", client=pending.client_name)
    return cleared()


def amend_pending(pending: PendingWrite, text: str, today: date, records: Any,
                  outcome: Optional[str] = None, channel: Optional[str] = None) -> bool:
    """Apply a change in the therapist's words to the write waiting for a yes; whether the
    words changed anything. `records` gives the clinic's staff names (`staff_names`)."""
    if pending.kind == "outreach":
        replacing = {k: v for k, v in pending.data.items() if k in ("replaces", "replaces_label")}
        pending.data, changed = amend_attempts(
            pending.data, text if not text.startswith("/") else "", today, outcome, channel)
        pending.data.update(replacing)  # a correction of a saved contact stays one
        return changed
    if pending.kind == "plan_outcome":
        outcome = outcome or outcome_of(text)
        changed = outcome is not None and outcome != pending.data["outcome"]
        if changed:
            pending.data["outcome"] = outcome
        return changed
    text = client_as_subject(text, [pending.client_name, *pending.client_name.split()[:1]])
    plan, changed = amend_plan(plan_of(pending.data), text, today,
                               front_desk_names=records.staff_names("front_desk"),
                               supervisor_names=records.staff_names("supervisor"))
    no_consent = pending.data.get("no_consent")
    pending.data = plan_data(plan)
    if no_consent is not None:  # the client's consents stay with the plan as it changes
        pending.data["no_consent"] = no_consent
    return changed


# Words that correct what was said: "actually", "fix that", "that's wrong", "my bad".
_CORRECTS = re.compile(r"\b(?:fix|wrong|correct(?:ion)?|my\s+bad|i\s+meant|actually)\b",
                       re.IGNORECASE)


# Another contact told, not the saved one corrected: "actually I also texted her sat".
_ANOTHER_CONTACT = re.compile(r"\b(?:also|again|another|too|as\s+well|and\s+then|as\s+well\s+as)\b",
                              re.IGNORECASE)


def saved_contact_corrected(last_write: Optional[str], client_id: str, client_name: str,
                            text: str, today: date, records: Any,
                            outcome: Optional[str] = None, channel: Optional[str] = None
                            ) -> Optional[PendingWrite]:
    """The one contact saved last in this conversation ("actually sorry the fri one he picked
    up, fix that pls"), changed as the words say, as a write that replaces it on yes (the
    saved one is taken back, kept in the audit trail); None when the words correct nothing
    of it."""
    last = LastWrite.from_json(last_write)
    if (last is None or last.undone or last.kind != "outreach" or last.more_ids or not last.data
            or last.client_id != client_id or _ANOTHER_CONTACT.search(text)
            or not (CORRECTION_CUE.match(text) or _CORRECTS.search(text))):
        return None
    saved = {k: v for k, v in last.data.items() if k not in ("replaces", "replaces_label")}
    trial = PendingWrite("outreach", client_id, client_name, dict(saved))
    if not amend_pending(trial, text, today, records, outcome, channel):
        return None
    if (trial.data.get("on") != saved.get("on")
            and trial.data.get("channel") != saved.get("channel")):
        return None  # another day and another channel: another contact, not this one changed
    trial.data["replaces"] = last.entry_id
    trial.data["replaces_label"] = last.label
    return trial


def save_write(records: Any, pending: PendingWrite, staff_id: str, today: date,
               channel: Optional[str],
               barriers: Sequence[str] = ()) -> Optional[LastWrite]:
    """Write what the therapist said yes to; the entry saved, for "undo" (None when there was
    nothing to write it to: no open plan for an outcome, no such client)."""
    client = pending.client_id
    replaces = pending.data.get("replaces")
    if pending.kind == "outreach" and isinstance(replaces, int):
        # a correction of the contact saved just before (saved_contact_corrected): that
        # entry is taken back, kept in the audit trail as a correction, and this one saved
        records.take_back(staff_id, client, "outreach", replaces, channel)
    more: List[int] = []
    channels: List[str] = []
    labels: List[str] = []
    if pending.kind == "outreach":
        entries = []
        for attempt in attempts_of(pending.data):
            assert attempt.on and attempt.channel and attempt.outcome
            entries.append(records.record_outreach(staff_id, client, attempt.channel,
                                                   attempt.outcome, attempt.on, channel))
        entry, more = entries[0], [e for e in entries[1:] if e is not None]
        saved = [a for a, e in zip(attempts_of(pending.data), entries, strict=True)
                 if e is not None]
        channels = [a.channel or "" for a in saved]
        labels = [attempt_words(a) for a in saved]
        label = " and ".join(labels)
    elif pending.kind == "plan_outcome":
        closed = records.record_plan_outcome(staff_id, client, pending.data["outcome"], today,
                                             channel)
        entry = closed.id if closed else None
        label = f"the outcome of the plan of {day(closed.created_on)}" if closed else ""
    else:
        agreed = plan_of(pending.data)
        entry = records.save_plan(staff_id, client, step_dicts(agreed), agreed.owner,
                                  agreed.follow_up_on, list(barriers), today, channel)
        label = f"the plan of {day(today)}"
    if entry is None:
        return None
    return LastWrite(pending.kind, entry, client, pending.client_name, label, more, channels,
                     labels, data=dict(pending.data) if pending.kind == "outreach" else {})


def say_saved(pending: PendingWrite, saved: LastWrite, dispatcher: Any) -> None:
    """What was saved, and how to take it back."""
    if pending.kind == "plan_outcome":
        dispatcher.utter_message(response=f"utter_outcome_recorded_{pending.data['outcome']}",
                                 plan_day=day(date.fromisoformat(pending.data["created_on"])),
                                 client=pending.client_name)
    elif pending.kind == "plan":
        plan = plan_of(pending.data)
        follow = (f" I'll list it on {day(plan.follow_up_on)} when you ask what "
                  "follow-ups are due." if plan.follow_up_on else "")
        dispatcher.utter_message(
            text=f"Saved: the plan for {pending.client_name} is in the record "
                 f"({plural(len(plan.steps), 'step')}).{follow}")
    else:
        dispatcher.utter_message(text=f"Saved for {pending.client_name}: {saved.label}.")
    dispatcher.utter_message(response="utter_undo_hint")


def save_on_leading_yes(records: Any, pending: PendingWrite, text: str, staff_id: str,
                        today: date, channel: Optional[str], barriers: Sequence[str],
                        dispatcher: Any) -> Optional[LastWrite]:
    """A yes before the rest of the message ("yes. does she owe anything?", "yes. now kat
    morales - ..."): the write read back, complete, is saved and said so; None when the
    message opens with no yes, the write still lacks a part, or nothing could be saved."""
    if not YES_FIRST.match(text) or not pending.complete:
        return None
    saved = save_write(records, pending, staff_id, today, channel, barriers)
    if saved is not None:
        say_saved(pending, saved, dispatcher)
    return saved
