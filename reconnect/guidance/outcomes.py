"""Read how an earlier plan went, or a contact attempt the therapist made, from their words.

Only what was said: a contact attempt is read from a report of one already made ("called her
yesterday, no answer"), never from a plan ("I'll call her Thursday"), a request ("draft a
text"), a question ("have I called her?"), someone else's call ("her sister rang"), or a
count ("she hasn't answered my last 3 calls"), which names no day for any of them. What the
words leave out (the day, how it went) stays unknown for the therapist to give, never a
default.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Dict, Optional, Tuple

from reconnect.guidance.dates import past_date

_DID_NOT_WORK = re.compile(
    r"\b(did ?n[o']?t work|didnt work|not work(ing|ed)|no change|no luck|still (no[- ]?show|"
    r"missing|not coming|absent)|hasn'?t (come|shown|been)|no improvement|failed|nothing "
    r"changed|made no difference|no[- ]?showed again|still nothing|worse|a bust|bust|flop(ped)?"
    r"|no good|didn'?t help|did not help|useless|went nowhere|fell through|fizzled)\b", re.I)
_PARTLY = re.compile(r"\b(partly|partially|sort of|kind of|kinda|sorta|half|halfway|so-so|so so"
                     r"|\d+ (of|out of) \d+|one of (two|three)|some of|mostly|somewhat|a bit|mixed|came once|"
                     r"once or twice|some improvement|better but|hit and miss|on and off)\b",
                     re.I)
_WORKED = re.compile(r"\b(worked|works|helped|helps|came back|come back|back on track|"
                     r"attend(ed|ing) (again|every|all)|kept (it|every|all|the)|"
                     r"showed up|shown up|success|great|much better|improved)\b", re.I)

# Contact channels as stored: a voicemail is a phone call whose outcome is a message left.
ATTEMPT_CHANNELS = ("phone", "sms", "email", "letter")
ATTEMPT_OUTCOMES = ("reached", "no_answer", "left_message", "sent")

_CHANNELS = (
    ("letter", re.compile(r"\b(letter|posted|by post|card in the mail)\b", re.I)),
    ("email", re.compile(r"\b(e-?mail(ed|s|ing)?|inbox)\b", re.I)),
    ("sms", re.compile(r"\b(text(ed|s|ing)?|sms|txt(d|'d|ed)?|messaged|msg'?d|whatsapp(ed)?)\b",
                       re.I)),
    ("phone", re.compile(r"\b(call(ed|s|ing)?|phon(e|ed|ing)|rang|ring(ing)?|rung|voice ?mail|vm|lvm|dialled"
                         r"|dialed|picked up|pick up)\b", re.I)),
)
_REACHED = re.compile(r"\b(reached (her|him|them)|(she|he|they) (said|says|told me|explained)|spoke|spoken|talked|got (hold of|through)"
                      r"|answered|picked up|replied|wrote back|texted back|called back|rang back"
                      r"|responded|caught (her|him|them)|got her|got him|heard back)\b", re.I)
_NO_ANSWER = re.compile(r"\b(no answer|didn'?t answer|did not answer|hasn'?t answered"
                        r"|no reply|no response|nothing back|nothing yet|not answering|unanswered"
                        r"|ignored|didn'?t pick up|did not pick up|no pick ?up|no call ?back"
                        r"|didn'?t respond|hasn'?t (replied|responded|gotten back)|no luck"
                        r"|went (straight )?to (vm|voice ?mail)|not picking up|bounced"
                        r"|returned to sender|didn'?t reply|did not reply|no joy)\b"
                        r"|[,-]\s*nothing\s*(?:$|[.!,;])", re.I)
_LEFT_MESSAGE = re.compile(r"\b(left (her |him |them )?(a )?(vm|voice ?mail|message|msg)|lvm"
                           r"|left word)\b", re.I)

# Something the therapist did: the past tense of a contact, or a reply from the client.
_DONE = re.compile(
    r"\b(called|rang|phoned|dialled|dialed|texted|txt'?d|txted|messaged|msg'?d|emailed"
    r"|e-mailed|mailed|posted|wrote|sent|left|tried|reached|spoke|talked|got (hold|through)"
    r"|caught|lvm|heard back|called back|rang back|picked up|answered|replied|responded"
    r"|wrote back|texted back|went to (vm|voice ?mail))\b", re.I)
# ... unless the words around it make it a question, a negation or someone else's call.
_ASKED = re.compile(r"\b(have|has|had|did|do)\s+(i|we|you)\s+(ever\s+|already\s+|even\s+)?"
                    r"(call|text|email|e-mail|mail|send|sent|leave|left|tr(y|ied)|reach|spoke"
                    r"|called|texted|emailed|reached|written|phone)", re.I)
_NOT_DONE = re.compile(r"\b(haven'?t|have not|hasn'?t|didn'?t|did not|never|not yet|yet to)"
                       r"\s+(yet\s+|even\s+|actually\s+)?(call|called|text|texted|email|emailed"
                       r"|tried|reached|sent|left|written|phoned|rung)\b", re.I)
_SOMEONE_ELSE = re.compile(
    r"\b(her|his|their|the client'?s|a|my)\s+(sister|brother|mother|mom|mum|father|dad"
    r"|partner|husband|wife|boyfriend|girlfriend|son|daughter|friend|aunt|uncle|relative"
    r"|family|cousin|grand(mother|ma|father|pa)|roommate|flatmate|neighbou?r|boss|gp|doctor"
    r"|case ?manager|social worker|pharmacist|teacher|carer|caregiver)\b"
    r"|\b(front desk|reception|jamie|the office|police|er|hospital)\s+(called|rang|texted"
    r"|emailed|sent|left)\b", re.I)
_CLIENT_REPLIED = re.compile(r"\b(she|he|they|client|pt)\s+(called|rang|texted|emailed|wrote"
                             r"|replied|responded|answered|picked up|got back)\b", re.I)
# "3 calls", "tried her three times": several attempts and no day for any of them.
_COUNT = re.compile(r"\b(twice|thrice|several times|a few times|multiple times|again and again)\b"
                    r"|\b(\d+|two|three|four|five|six|several|multiple|a few|a couple( of)?"
                    r"|many|numerous|a bunch of|all my|all of my)\s+(calls|texts|e-?mails"
                    r"|messages|voice ?mails|vms|letters|times|attempts|tries)\b", re.I)


def outcome_of(text: str) -> Optional[str]:
    """'worked', 'partly', 'did_not_work', or None when the words do not say."""
    if _PARTLY.search(text):
        return "partly"
    if _DID_NOT_WORK.search(text):
        return "did_not_work"
    if _WORKED.search(text):
        return "worked"
    return None


@dataclass(frozen=True)
class Attempt:
    """A contact attempt as the therapist reported it; None where the words did not say."""

    on: Optional[date]
    channel: Optional[str]       # one of ATTEMPT_CHANNELS
    outcome: Optional[str]       # one of ATTEMPT_OUTCOMES
    vague_day: bool = False      # a day was mentioned too vaguely to record ("last week")

    @property
    def complete(self) -> bool:
        return None not in (self.on, self.channel, self.outcome)


@dataclass(frozen=True)
class AttemptReading:
    """What a message says of contact attempts: one attempt, several without days (a
    count), or none at all."""

    attempt: Optional[Attempt] = None
    count: bool = False


def _channel(text: str) -> Optional[str]:
    return next((name for name, pattern in _CHANNELS if pattern.search(text)), None)


def _result(text: str, channel: Optional[str]) -> Optional[str]:
    if _LEFT_MESSAGE.search(text):
        return "left_message"
    no_answer = _NO_ANSWER.search(text)
    reached = _REACHED.search(text)
    if no_answer and (not reached or no_answer.start() <= reached.start() < no_answer.end()):
        return "no_answer"
    if reached or _CLIENT_REPLIED.search(text):
        return "reached"
    if channel in ("sms", "email", "letter"):
        return "sent"
    return None  # a call with no word on how it went: ask, never assume


_DONE_BY_CHANNEL = (
    ("phone", re.compile(r"\b(called|rang|phoned|dialled|dialed|left (her |him |them )?(a )?"
                         r"(vm|voice ?mail|message|msg)|lvm)\b", re.I)),
    ("sms", re.compile(r"\b(texted|txt'?d|txted|messaged|msg'?d)\b", re.I)),
    ("email", re.compile(r"\b(emailed|e-mailed)\b", re.I)),
    ("letter", re.compile(r"\b(mailed|posted|sent (her |him |them )?a letter)\b", re.I)),
)


def _channels_done(text: str) -> set:
    """The channels of the contacts the message says were made ("called and emailed")."""
    return {name for name, pattern in _DONE_BY_CHANNEL if pattern.search(text)}


def _done_by_the_therapist(text: str) -> bool:
    if not _DONE.search(text) or _ASKED.search(text) or _NOT_DONE.search(text):
        return False
    someone = _SOMEONE_ELSE.search(text)
    if someone is None:
        return True
    # "her sister rang; I called her back and we spoke" still reports the therapist's call.
    after = text[someone.end():]
    return bool(re.search(r"\b(i|we)\s+(then\s+|also\s+)?(called|rang|texted|emailed|spoke"
                          r"|reached|left|sent|tried|phoned)\b", after, re.I))


def read_attempt(text: str, today: date) -> AttemptReading:
    """The contact attempt a message reports, if it reports one."""
    text = text or ""
    if _COUNT.search(text):
        return AttemptReading(count=True)
    if not _done_by_the_therapist(text):
        return AttemptReading()
    if len(_channels_done(text)) > 1:  # "called 3/12 and emailed yesterday": one at a time
        return AttemptReading(count=True)
    channel = _channel(text)
    when = past_date(text, today)
    day = when.day if when.day or when.vague else today
    return AttemptReading(Attempt(day, channel, _result(text, channel), when.vague))


def _without_negated(text: str) -> str:
    """Drop what a correction rules out: "wednesday not thursday" -> "wednesday"."""
    return re.sub(r"\b(?:not|isn'?t|wasn'?t|rather than|instead of)\s+(?:a\s+|an\s+|the\s+|on\s+)?"
                  r"[\w/'-]+", " ", text, flags=re.I)


def amend_attempt(attempt: Attempt, text: str, today: date,
                  outcome: Optional[str] = None) -> Tuple[Attempt, bool]:
    """Apply the parts a correction names (day, channel, how it went); (attempt, changed)."""
    kept = _without_negated(text or "")
    changes: Dict[str, Any] = {}
    when = past_date(kept, today)
    if when.day is not None:
        changes["on"] = when.day
    channel = _channel(kept)
    if channel is not None:
        changes["channel"] = channel
    # How it went, only when the correction says so ("she picked up"), not by default.
    result = outcome if outcome in ATTEMPT_OUTCOMES else _result(kept, None)
    if result is not None:
        changes["outcome"] = result
    amended = replace(attempt, **changes)
    if amended.channel != "phone" and amended.outcome == "left_message":
        amended = replace(amended, outcome="sent")
    if amended.channel == "phone" and amended.outcome == "sent":
        amended = replace(amended, outcome=None)
    if "on" in changes:
        amended = replace(amended, vague_day=False)
    return amended, amended != attempt


def outreach_of(text: str, today: Optional[date] = None) -> Tuple[Optional[str], Optional[str]]:
    """(channel, outcome) of a reported contact attempt; None where the words do not say."""
    channel = _channel(text)
    return channel, _result(text, channel)
