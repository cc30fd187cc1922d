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
from typing import Any, Dict, List, Optional, Sequence, Tuple

from reconnect.guidance.dates import past_date, to_number, without_ruled_out
from reconnect.guidance.typos import mend_typos

_DID_NOT_WORK = re.compile(
    r"\b(did ?n[o']?t work|didnt work|not work(ing|ed)|no change|no luck|still (no[- ]?show|"
    r"missing|not coming|absent)|hasn'?t (come|shown|been)|no improvement|failed|nothing "
    r"changed|made no difference|no[- ]?showed again|still nothing|worse|a bust|bust|flop(ped)?"
    r"|no good|didn'?t help|did not help|useless|went nowhere|fell through|fizzled)\b", re.I)
_PARTLY = re.compile(r"\b(partly|partially|partial|sort of|kind of|kinda|sorta|half|halfway|so-so|so so"
                     r"|\d+ (of|out of) \d+|one of (two|three)|some of|mostly|somewhat|a bit|mixed|came once|"
                     r"once or twice|some improvement|better but|hit and miss|on and off)\b",
                     re.I)
# Idioms for a plan that worked: "did the trick", "paid off", "did its job".
_WORKED_IDIOMS = (r"(?:did|done|does) the trick|paid off|made (?:a|all the) (?:big |real )?difference"
                  r"|(?:did|done|does) (?:its|the) job")
_WORKED = re.compile(r"\b(worked|wrkd|workd|wrked|works|(did|does) work|helped|helps|came back|come back|back on track|"
                     r"attend(ed|ing) (again|every|all)|kept (it|every|all|the)|"
                     r"showed up|shown up|success|great|much better|improved"
                     rf"|{_WORKED_IDIOMS})\b", re.I)

# Contact channels as stored: a voicemail is a phone call whose outcome is a message left.
ATTEMPT_CHANNELS = ("phone", "sms", "email", "letter")
ATTEMPT_OUTCOMES = ("reached", "no_answer", "left_message", "sent")

_CHANNELS = (
    ("letter", re.compile(r"\b(letter|posted|by post|card in the mail)\b", re.I)),
    ("email", re.compile(r"\b(e-?mail(ed|s|ing)?|inbox)\b", re.I)),
    ("sms", re.compile(r"\b(text(ed|s|ing)?|sms|txt(d|'d|ed)?|messaged|msg'?d|whatsapp(ed)?)\b",
                       re.I)),
    ("phone", re.compile(r"\b(call(ed|s|ing)?|phon(e|ed|ing)|rang|ring(ing)?|rung|voice ?mail|vm|lvm|dialled"
                         r"|dialed|picked up|pick up|(her|his|their) (cell|mobile|number))\b", re.I)),
)
_REACHED = re.compile(r"\b(reached (her|him|them)|(she|he|they) (said|says|told me|explained)|spoke|spoken|talked|got (hold of|through)"
                      r"|got (her|him|them) on the (phone|line)"
                      r"|answered|picked up|replied|wrote back|texted back|called back|rang back"
                      # "kat texted me back sat": her reply to a contact, which reached her
                      r"|(texted|called|rang|emailed|e-mailed|wrote|messaged|got) (me|us) back"
                      # "oh wait she did text back", "he has called back"
                      r"|(did|has|have) (text|write|call|ring|e-?mail|phone|get|got|gotten) back"
                      r"|(did|has|have) (reply|replied|respond|responded|answer|answered|pick up|picked up)"
                      # "he's already written back", "she's texted back"
                      r"|(she|he|they|client|pt)('s| has| have|'ve) (already |just )?(written|texted"
                      r"|called|rung|emailed|e-mailed|replied|responded|gotten back|got back)"
                      r"|responded|caught (her|him|them)|got her|got him|heard back"
                      # how the client is, as only a contact that reached them can tell: "called
                      # him this morning, he's ok, just busy with work"
                      r"|(she|he|they)('s|'re| is| are) (ok|okay|fine|alright|all right|safe"
                      r"|just busy|doing (ok|okay|fine|well|better|alright))"
                      # "reached", typed for the [Reached] button ("reached out" is a contact)
                      r"|^\W*reached(?!\s+out))\b", re.I)
_NO_ANSWER = re.compile(r"\b(no answer|no ans|didn'?t answer|did not answer|hasn'?t answered"
                        r"|no reply|no response|nothing back|nothing yet|not answering|unanswered"
                        r"|ignored|didn'?t pick up|did not pick up|no pick ?up|no call ?back"
                        r"|didn'?t respond|hasn'?t (replied|responded|gotten back)|no luck"
                        r"|went (straight )?to (vm|voice ?mail)|not picking up|bounced"
                        r"|returned to sender|didn'?t reply|did not reply|no joy|rang out"
                        r"|(haven'?t|have not|hasn'?t|not) heard (anything|a thing|back)"
                        r"|(nobody|no one|no-one) (was )?(answer(ed|ing)|pick(ed|ing) up|replied|got back)"
                        r"|heard nothing|no word|(couldn'?t|could not|can'?t|didn'?t) leave"
                        r"|(no|full) (vm|voice ?mail|mailbox)"
                        r"|nothing (back )?from (either|both|her|him|them|each)"
                        r"|neither (one )?(answered|replied|responded|picked up))\b"
                        r"|[,-]\s*nothing\s*(?:$|[.!,;])", re.I)
_LEFT_MESSAGE = re.compile(r"\b((left|did leave) ((?!no\b)\w+ ){0,3}?(a )?(vms?|voice ?mails?"
                           r"|messages?|msgs?)|lvm|left word|(vm|voice ?mail|message|msg) left)\b",
                           re.I)

# Something the therapist did: the past tense of a contact, or a reply from the client.
_DONE = re.compile(
    r"\b(called|rang|phoned|dialled|dialed|texted|txt'?d|txted|messaged|msg'?d|emailed"
    r"|e-mailed|mailed|posted|wrote|sent|left|tried|reached|spoke|talked|got (hold|through)"
    r"|got (her|him|them) on the (phone|line)"
    r"|caught|lvm|heard back|called back|rang back|picked up|answered|replied|responded"
    r"|wrote back|texted back|went to (vm|voice ?mail)|dropped|shot|pinged|(vm|voice ?mail|msg"
    r"|message|text|e-?mail|letter|sms) (left|sent))\b", re.I)
# ... unless the words around it make it a question, a negation or someone else's call.
_ASKED = re.compile(r"\b(have|has|had|did|do)\s+(i|we|you)\s+(ever\s+|already\s+|even\s+)?"
                    r"(call|text|email|e-mail|mail|send|sent|leave|left|tr(y|ied)|reach|spoke"
                    r"|called|texted|emailed|reached|written|phone)", re.I)
_NOT_DONE = re.compile(r"\b(haven'?t|have not|hasn'?t|didn'?t|did not|never|not yet|yet to)"
                       r"\s+(yet\s+|even\s+|actually\s+)?(call|called|text|texted|email|emailed"
                       r"|tried|reached|sent|left|written|phoned|rung)\b", re.I)
_SOMEONE_ELSE = re.compile(
    r"\b(her|his|their|the client'?s|a|my|the|[a-z]+'s)\s+(sister|brother|mother|mom|mum|father|dad"
    r"|partner|husband|wife|boyfriend|girlfriend|son|daughter|friend|aunt|uncle|relative"
    r"|family|cousin|grand(mother|ma|father|pa)|roommate|flatmate|neighbou?r|boss|gp|doctor"
    r"|case ?manager|social worker|pharmacist|teacher|carer|caregiver|care co-?ordinator"
    r"|co-?ordinator|key ?worker|cpn|nurse|probation officer|crisis team|on-?call team"
    r"|mental health team|case ?worker|counsell?or)\b"
    # a colleague: "called my supervisor", "spoke to supervisor this am"
    r"|\b(?:(?:my|our|the|her|his|their)\s+)?(?:clinical\s+)?(?:supervisor|colleague|manager"
    r"|psychiatrist|prescriber|clinical lead|team lead)\b"
    r"|(?:\bwith\s+|\bto\s+|\bmy\s+|\bw/\s*|\bw\s+)sup\b"  # "talked it through w/ sup"
    # a clinician by title: "spoke with Dr Ellis, her safety plan is current"
    r"|\b(?:dr|doc|prof)\.?\s+[a-z][a-z'-]+"
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


# Words of a plan working or not, as a therapist tells an outcome with other news ("rosa's
# plan wrkd", "telehealth didn't work for her at all", "mixed, partly worked").
_WORKING = re.compile(r"\b(?:w(?:o)?rk(?:s|e?d|ing)?|work(?:ed)? out|help(?:s|ed)?|fail(?:ed)?"
                      r"|flop(?:ped)?|bust|fell through|fizzled|went nowhere|partly|partially"
                      rf"|mixed|no change|no difference|{_WORKED_IDIOMS}|partial)\b", re.I)
_PLAN_WORD = re.compile(r"\b(?:plan|idea|approach|strategy)s?\b", re.I)
_ASKING = re.compile(r"\?\s*$|^\W*(?:did|has|have|is|does)\b", re.I)
# A new plan stated ("plan: ... if that fails, ..."), not how the last one went.
_NEW_PLAN = re.compile(r"^\W*(?:(?:the|our|new|revised)\s+)?plan\s*(?:is\b|[:\-–—]"
                       # "plan for ben osei: ...", not "the plan for dana whitfield didn't work"
                       r"|for\s+[^\W\d_][\w'.-]*(?:\s+[^\W\d_][\w'.-]*)?\s*(?:is\b|[:\-–—]))",
                       re.I)


def may_tell_outcome(text: str) -> bool:
    """Whether the words could tell how a plan went at all (before any record is read)."""
    return bool(not _ASKING.search(text or "") and not _NEW_PLAN.match(text or "")
                and _WORKING.search(text or "") and outcome_of(text or ""))


def told_outcome(text: str, plan_words: Sequence[str] = ()) -> Optional[str]:
    """The outcome of a plan told along with other words (a name, a contact), or None: only
    when the words speak of the plan itself ("the plan", "that idea", or a word of its step,
    "telehealth" for "Offer telehealth") working or not; never a question about it, and
    never "no luck" of a call alone."""
    text = text or ""
    if not may_tell_outcome(text):
        return None
    # a word of the step by its first four letters: "calling her worked" for "Call her"
    words = {w.lower()[:4] for w in plan_words if len(w) >= 4 and w.lower() not in _COMMON_WORDS}
    said = {w.lower()[:4] for w in re.findall(r"[a-z]+", text, re.I) if len(w) >= 4}
    if not _PLAN_WORD.search(text) and not words & said and not _ONLY_OF_A_PLAN.search(text):
        return None
    return outcome_of(text)


# Words of a plan's step too common to say that the plan is meant ("Call her" is meant by
# "the call worked", not by "her").
_COMMON_WORDS = {"with", "from", "that", "this", "them", "their", "your", "about", "will",
                 "then", "when", "what", "have", "make", "more", "each", "week", "next"}
# How a plan went that no contact can be: a call is not "partly" anything ("... so partly").
_ONLY_OF_A_PLAN = re.compile(r"\b(?:partly|partially)\b", re.I)


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
    """What a message says of contact attempts: one attempt (and any further ones told each
    with its own channel: "called her tues, no pickup, then emailed fri"), several without
    days (a count), or none at all."""

    attempt: Optional[Attempt] = None
    count: bool = False
    more: Tuple[Attempt, ...] = ()


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
    ("phone", re.compile(r"\b(called|rang|phoned|dialled|dialed|tried (calling|ringing|phoning"
                         r"|(her|his|their) (cell|mobile|phone|number))|left (her |him |them )?(a )?"
                         r"(vm|voice ?mail|message|msg)|lvm)\b", re.I)),
    ("sms", re.compile(r"\b(texted|txt'?d|txted|messaged|msg'?d|tried texting|(sent|dropped|shot) (her |him "
                       r"|them )?an? (text|txt|sms|message))\b", re.I)),
    ("email", re.compile(r"\b(emailed|e-mailed|tried e-?mailing|(sent|dropped|shot) (her |him |them )?an? "
                         r"(e-?mail|line))\b", re.I)),
    ("letter", re.compile(r"\b(mailed|posted|sent (her |him |them )?a letter)\b", re.I)),
)


def _channels_done(text: str) -> set:
    """The channels of the contacts the message says were made ("called and emailed")."""
    return {name for name, pattern in _DONE_BY_CHANNEL if pattern.search(text)}


# The client getting in touch of their own accord ("she emailed me last night"): contact, but
# no attempt of the therapist's; a reply to one ("she texted back") is how that one went.
_CLIENT_GOT_IN_TOUCH = re.compile(
    r"\b(?!(?:i|we|and|then|so)\b)([a-z]+)\s+(\w+\s+)?(emailed|e-mailed|texted|called|rang"
    r"|phoned|messaged|wrote(\s+to)?|left)\s+(me|us|the office|the clinic|reception)\b"
    r"(?!\s+back)", re.I)


# A contact named as the thing it sent, not reported: "from the options I emailed", "the
# letter we sent in january", "what I texted her".
_CONTACT_REFERRED_TO = re.compile(
    r"\b(?:the|those|these|that|what|whatever)\s+(?:[a-z-]+\s+){0,3}?(?:i|we)\s+"
    r"(?:(?:already|just|had)\s+)?(?:emailed|e-mailed|sent|texted|mailed|posted|wrote|left)\b",
    re.IGNORECASE)


def _done_by_the_therapist(text: str) -> bool:
    text = _CONTACT_REFERRED_TO.sub(" ", _CLIENT_GOT_IN_TOUCH.sub(" ", text))
    if not _DONE.search(text) or _ASKED.search(text) or _NOT_DONE.search(text):
        return False
    someone = _SOMEONE_ELSE.search(text)
    if someone is None:
        return True
    done = _DONE.search(text)
    if done and done.end() <= someone.start() and not re.fullmatch(
            r"\s*(?:(?:it|this|that|things|everything)\s+(?:through|over)\s+)?"
            r"(?:(?:to|with|w/?|back)\s*)?(?:(?:a|an|the|my|our)\s+)?",
            text[done.end():someone.start()], re.I):
        # The therapist's own contact comes first ("called her thurs, she answered ... gave
        # her stuff to her sister"); "called her sister", "spoke to my supervisor" do not.
        return True
    # "her sister rang; I called her back and we spoke" still reports the therapist's call.
    after = text[someone.end():]
    return bool(re.search(r"\b(i|we)\s+(then\s+|also\s+)?(called|rang|texted|emailed|spoke"
                          r"|reached|left|sent|tried|phoned)\b", after, re.I))


# Where one contact ends and the next begins: a new sentence, "then", "so I texted", "and
# emailed", ", left a vm" (a verb of contact after a comma).
_CONTACT_VERB = (r"(?:i\s+)?(?:also\s+|then\s+)?(?:called|rang|phoned|texted|emailed|e-mailed"
                 r"|mailed|sent|dropped|messaged|shot|tried)\b")
# A day a contact was made on, as typed: a weekday's first letters, "yesterday", "3/12".
_DAY_SAID = (r"(?:mon|tue|wed|thu|fri|sat|sun|yesterday|yday|today|this\s+morning|last\s+night"
             r"|\d)")
_NEXT_CONTACT = re.compile(
    r"[.;!]+\s+|\s*,?\s*\b(?:and\s+)?then\s+|,\s*so\s+(?=i\b)"
    r"|\s*,?\s+and\s+(?=again\b)|,\s*(?=again\b)"
    rf"|\s+and\s+(?={_CONTACT_VERB})|,\s*(?={_CONTACT_VERB})"
    # "..., left her a vm wed": a message left on a day of its own is another contact
    r"|(?:,\s*|\s+and\s+)(?=(?:i\s+)?(?:also\s+|then\s+)?left\s+(?:her|him|them|a|an|another)\b[^,.;]*?"
    rf"\b{_DAY_SAID})",
    re.I)


def _contact_clauses(text: str, today: date) -> List[str]:
    """The message cut where a new contact begins; words that only say how one went ("no
    answer", "rang out") stay with the contact before them. A contact by the same channel
    is a new one only when it has a day of its own or is made "again"."""
    clauses: List[str] = []
    parts = re.split(f"({_NEXT_CONTACT.pattern})", text, flags=_NEXT_CONTACT.flags)
    # each piece with the words that cut it from the one before: a sentence's end is kept
    # ("rang him fri, he picked up. ... on the 2nd"), for what follows it is other news
    for piece, joined in zip(parts[::2], ["", *parts[1::2]], strict=True):
        piece = (piece or "").strip(" ,")
        if not piece:
            continue
        done = _channels_done(piece)
        # "called the crisis team, then called her": a contact with the client after one
        # with someone else is the client's own, whatever the channel
        after_someone_else = (bool(clauses) and bool(done)
                              and bool(_SOMEONE_ELSE.search(clauses[-1]))
                              and not _done_by_the_therapist(clauses[-1])
                              and _done_by_the_therapist(piece))
        starts = bool(_SOMEONE_ELSE.match(piece)) or _again_dated(piece, today) or after_someone_else or bool(done) and (
            not clauses or not done <= _channels_done(clauses[-1]) | {_channel(clauses[-1])}
            or past_date(piece, today).day is not None or bool(_AGAIN.search(piece)))
        if re.match(r"(?:i\s+)?(?:also\s+|then\s+)?left\b", piece, re.I):
            # "..., left a vm" is how the call went; "..., left her a vm wed" another contact
            starts = past_date(piece, today).day is not None
        if clauses and not starts:
            clauses[-1] += (". " if re.search(r"[.!?]", joined or "") else ", ") + piece
        else:
            clauses.append(piece)
    return clauses


# The client's reply to a contact, and what follows it: "... and he texted back yesterday".
_REPLY = re.compile(r"\b(?:she|he|they|the\s+client|client|pt)\s+(?:\w+\s+)?(?:(?:texted|emailed"
                    r"|called|rang|wrote|messaged|got)\s+back|replied|responded|answered)\b.*$",
                    re.IGNORECASE | re.DOTALL)


# Where the words about the contact end and other news begins: a new sentence, a reason
# ("since she no-showed wed"), the plan and its review ("going forward ...", "f/u 3/30").
_CONTACT_TOLD_UNTIL = re.compile(
    r"[.!?]+(?:\s|$)|[,;]\s*(?=going\s+forward|from\s+now\s+on|so\s+going)"
    r"|\b(?:since|because|bc|as|after)\s+(?:she|he|they|the\s+client|pt)\b"
    r"|\b(?:f/u|follow(?:ing)?[\s-]*up|check\s+back|going\s+forward|from\s+now\s+on)\b",
    re.IGNORECASE)


def _day_of_the_attempt(clause: str, today: date, after_another: bool = False):
    """The day the contact was made, not the day the client replied to it ("texted him
    saturday and he texted back yesterday": Saturday); the reply's day only when the contact
    has none of its own and is the first ("texted her, she replied yesterday": by then). A day
    said after the contact's own words is another matter's ("left her a vm this morning since
    she no-showed wed", "... f/u 3/30"), unless the contact has none."""
    told = _CONTACT_TOLD_UNTIL.search(clause)
    if told and told.start() > 0:
        own = _day_of_the_attempt(clause[:told.start()], today, after_another)
        if own.day is not None or own.vague:
            return own
    sent = _REPLY.sub("", clause)
    when = past_date(sent, today)
    if when.day is None and not when.vague and sent != clause and not after_another:
        return past_date(clause, today)
    return when


def _each_attempt(clauses: List[str], today: date) -> Optional[List[Attempt]]:
    """Every contact the clauses report, each complete; None when any is unclear (then they
    are asked for one at a time). A contact with no day of its own took place the day of the
    one before it ("rang him, no answer, so I sent a text": both today)."""
    attempts: List[Attempt] = []
    told: List[str] = []  # the clause of each attempt
    for clause in clauses:
        again = bool(attempts) and _again_dated(clause, today)
        if not again and not _done_by_the_therapist(clause):
            continue  # "her mum rang after": not the therapist's contact
        if len(_channels_done(clause)) > 1:
            return None
        # "texted her 3/9 and again on the 12th": the same channel again, on its own day.
        channel = _channel(clause) or (attempts[-1].channel if again else None)
        when = _day_of_the_attempt(clause, today, bool(attempts))
        if when.vague or channel is None:
            return None
        on = when.day or (attempts[-1].on if attempts else None)
        result = _result(clause, channel)
        if again and attempts[-1].outcome == "left_message" and (
                result is None or result == "no_answer" and _channel(clause) is None):
            # "left a vm wed and another fri", "lvm 3/11 and again fri, nothing back":
            # another voicemail, however it went after
            result = "left_message"
        attempts.append(Attempt(on, channel, result))
        told.append(clause)
        if _FOR_EACH.search(clause):
            # "called tues and again thurs, no answer both times. mailed a letter": how each
            # contact so far went
            attempts = [replace(a, outcome=a.outcome if a.outcome == "left_message"
                                else _result(clause, a.channel) or a.outcome)
                        for a in attempts]
    if any(a.on is None for a in attempts):
        # The first said no day: today, unless a later one names a day (then it is unclear).
        if any(past_date(c, today).day for c in clauses):
            return None
        attempts = [replace(a, on=today) for a in attempts]
    if attempts and _FROM_THE_CLIENT.search(clauses[-1]) and _NO_ANSWER.search(clauses[-1]):
        # "by text tues and email thurs, nothing from her": no reply to any of them, where
        # nothing else was said of how one went
        attempts = [replace(a, outcome="no_answer") if a.outcome == "sent" and not (
            _LEFT_MESSAGE.search(c) or _REACHED.search(c)) else a
            for a, c in zip(attempts, told, strict=True)]
    return attempts if all(a.complete for a in attempts) else None


_AGAIN = re.compile(r"\b(again|another|a second)\b", re.I)
_FROM_THE_CLIENT = re.compile(r"\bfrom\s+(?:her|him|them|the\s+client|either|both)\b", re.I)
# "no answer to either", "no reply to both", "neither answered": how every contact went.
_FOR_EACH = re.compile(r"\b(?:to|for|on|from)\s+(?:either|both|each|any|all)(?:\s+of\s+them)?\b"
                       r"|\bneither\b|\b(?:both|either|each|every|all)\s+times?\b"
                       r"|\b(?:any|all|none|each)\s+of\s+them\b|\ball\s+(?:two|three|four)\b",
                       re.I)


def _again_dated(clause: str, today: date) -> bool:
    """A clause that is a repeat of the contact before it, on a day of its own ("again on the
    12th", "again yesterday, left a vm")."""
    return bool(_AGAIN_FIRST.match(clause)) and past_date(clause, today).day is not None


# "again fri", "tried again sat", "I tried her again on the 12th": the contact before, repeated.
_AGAIN_FIRST = re.compile(r"\s*(?:(?:i\s+)?(?:tried|called|rang|phoned|rung|texted|emailed"
                          r"|messaged)\s+(?:(?:her|him|them)\s+)?)?again\b", re.I)


# Taking back what was saved: "undo the text one", "actually scratch that, the letter...".
_TAKE_BACK = re.compile(r"^\W*(?:(?:actually|oops|no+|sorry|wait|ugh|hm+|ah|oh|ok(?:ay)?)[\s,.!]+)*(?:please\s+|pls\s+)?"
                        r"(?:undo|scratch|take\s+(?:that|it|this|the\s+\w+(?:\s+one)?)\s+(?:back|out)"
                        r"|delete|remove|withdraw|reverse|revert|cancel\s+the\s+(?:last|saved))\b",
                        re.I)


# What may follow the words of taking back when they are the whole message: "scratch that",
# "undo the last one", "take it back", "delete my last entry".
_ONLY_WHAT = re.compile(r"(?:\s+(?:that|it|this|the\s+last(?:\s+(?:one|entry|thing))?"
                        r"|my\s+last(?:\s+\w+)?))?\s*(?:back)?\s*(?:$|[,.;!-])", re.I)


def takes_back(text: str, whole: bool = False) -> bool:
    """Does the message ask to take back something saved ("undo the text one")? With `whole`,
    only when that is all it says ("scratch the last one"), as a message the language model was
    unsure of must be before it is taken as an undo."""
    m = _TAKE_BACK.match(text or "")
    if m is None:
        return False
    return not whole or bool(_ONLY_WHAT.match(text[m.end():]))


# Two days told for one contact verb ("called him tue and thu"): a contact on each day.
_A_DAY = (r"(?:(?:mon|tue|tues|wed|weds|thu|thur|thurs|fri|sat|sun)(?:day|sday|nesday|rsday"
          r"|urday)?|yesterday|yest|\d{1,2}/\d{1,2}|the\s+\d{1,2}(?:st|nd|rd|th)"
          r"|this\s+(?:morning|afternoon|am|pm)|today|last\s+night)")
_TWO_DAYS = re.compile(
    rf"(?P<first>(?:\b(?:called|rang|phoned|texted|txted|emailed|e-mailed|messaged|tried"
    rf"|left)(?:\s+(?!{_A_DAY}\b)[a-z']+){{0,3}}?|\bagain)\s+(?:on\s+)?{_A_DAY})"
    rf"(?:\s*,\s*(?:and\s+)?|\s+(?:and|&|\+)\s+)(?:another\s+(?:one\s+)?)?"
    rf"(?:on\s+)?(?=(?:{_A_DAY})\b)", re.I)


def _each_day_its_own(text: str) -> str:
    """"called him tue and thu" as "called him tue and again thu", "called him wed, fri and
    this morning" and "left a vm wed and another fri" likewise: the same channel again, on a
    day of its own."""
    while True:
        told = _TWO_DAYS.sub(lambda m: f"{m['first']} and again ", text, count=1)
        if told == text:
            return text
        text = told


# The verb each channel is reported with, for days told after a count ("thurs and sat").
_CHANNEL_VERB = {"phone": "called", "sms": "texted", "email": "emailed", "letter": "posted"}


def read_days_after_count(text: str, today: date, counted: str) -> AttemptReading:
    """The days told in answer to "tell me each one, with its day", after a count of
    attempts by one channel ("hasn't picked up my last 2 calls" then "thurs and sat, no answer
    both times"): the count's channel on each day said. Nothing when the words name another
    channel, a contact of their own, or no day."""
    mended = mend_typos(text or "")
    if (counted not in _CHANNEL_VERB or _channel(mended) or _DONE.search(mended)
            or past_date(mended, today).day is None or _ASKING.search(mended)):
        return AttemptReading()
    return read_attempt(f"{_CHANNEL_VERB[counted]} {mended}", today)


_COUNTED_NOUN = {"call": "phone", "vm": "phone", "voicemail": "phone", "voice mail": "phone",
                 "text": "sms", "email": "email", "e-mail": "email", "letter": "letter"}


def counted_channel(text: str) -> Optional[str]:
    """The one channel of a count of attempts ("my last 2 calls", "2 vms"), or None."""
    mended = mend_typos(text or "")
    count = _COUNT.search(mended)
    if not count:
        return None
    found = {name for name, pattern in _CHANNELS if pattern.search(mended)}
    noun = (count.group(4) or "").lower().rstrip("s")
    if not found and noun in _COUNTED_NOUN:
        found = {_COUNTED_NOUN[noun]}
    return found.pop() if len(found) == 1 else None


# Counts said as how many times; other count words are numbers (dates.to_number).
_TIMES = {"twice": 2, "thrice": 3}


def _counted_with_days(text: str, today: date) -> Optional[AttemptReading]:
    """A count told with as many days ("left him 2 voicemails, thurs and sat. no call back",
    "called her twice, tue and thu"): one attempt on each day, by the count's one channel and
    with how they went; None when the days do not match the count one for one."""
    count = _COUNT.search(text)
    channel = counted_channel(text)
    if (count is None or channel is None or "?" in text or _ASKED.search(text)
            or _NOT_DONE.search(text)):
        return None
    word = (count.group(1) or count.group(2) or "").lower()
    number = _TIMES.get(word) or to_number(word)
    days = []
    for said in re.finditer(_A_DAY, text, re.I):
        when = past_date(f"on {said.group(0)}", today).day   # "wed" alone is a day here
        if when is not None and when not in days:
            days.append(when)
    if number is None or number < 2 or len(days) != number:
        return None
    outcome = _result(text, channel)
    attempts = [Attempt(on, channel, outcome) for on in sorted(days)]
    return AttemptReading(attempts[0], more=tuple(attempts[1:]))


# A voicemail told in shorthand, with no verb: "vm mon, vm wed", "vm'd her fri", "called tue,
# vm". Not a voicemail box, one said not to have been left, or one with its verb already.
_BARE_VM = re.compile(r"\b(?:l?vm|voice ?mail)(?:'?d|ed)?\b(?!\s*(?:box|full|left|'?s\b|was|is))",
                      re.I)
_VM_SAID_WITH = re.compile(r"\b(?:left|leave|leaving|a|an|another|no|full|to|the|her|his|their"
                           r"|my|of|\d+|two|three|2nd|second|any)\W*$", re.I)


# A contact named by its noun, with no verb: "txt to kat morales 3/12", "email to him fri".
_A_DAY_NEXT = rf"(?=\s*(?:on\s+)?{_DAY_SAID})"
_NOT_YET_SENT = r"(?!\s+(?:follow|come|be\s+sent|send|go\s+out))"  # "text to follow"
_SENT_TO = ((re.compile(rf"(?:^|(?<=[.;,]\s))\s*(?:a\s+)?(?:txt|text|sms)\s+to\b{_NOT_YET_SENT}",
                        re.I), "texted"),
            (re.compile(rf"(?:^|(?<=[.;,]\s))\s*(?:an\s+)?e-?mail\s+to\b{_NOT_YET_SENT}", re.I),
             "emailed"),
            # "..., txt sat no reply", "email fri", "maya patel - txt 3/11", "by text tues and
            # email thurs": the noun and its day, a contact made
            (re.compile(rf"(?:^|(?<=[.;,:-]\s)|(?<=\band\s))\s*(?:by\s+)?(?:a\s+)?(?:txt|text|sms)\b"
                        rf"{_A_DAY_NEXT}", re.I), "texted"),
            (re.compile(rf"(?:^|(?<=[.;,:-]\s)|(?<=\band\s))\s*(?:by\s+)?(?:an\s+)?e-?mail\b"
                        rf"{_A_DAY_NEXT}", re.I), "emailed"),
            (re.compile(rf"(?<=\band\s)\s*(?:by\s+)?(?:a\s+)?(?:call|phone)\b{_A_DAY_NEXT}", re.I),
             "called"),
            # "letter to julia santos went out fri": the letter, posted
            (re.compile(r"(?:^|(?<=[.;,:-]\s))\s*(?:the\s+|a\s+)?letter\s+to\b(?=[^.;]*\b(?:went\s+out"
                        r"|was\s+(?:sent|posted|mailed)|got\s+(?:sent|posted))\b)", re.I), "posted a letter to"))


def _contacts_without_verb(text: str) -> str:
    """Each contact said without a verb, with one: a text or e-mail named by its noun ("txt
    to kat" as "texted kat"), a voicemail as the message left ("vm mon" as "left a vm mon");
    the rest as typed."""
    def left(match: re.Match) -> str:
        before = text[:match.start()]
        if _VM_SAID_WITH.search(before):
            return match.group()
        # a second voicemail ("vm mon, vm wed") is another contact, on a day of its own
        return "again left a vm" if _BARE_VM.search(before) else "left a vm"
    for pattern, verb in _SENT_TO:
        text = pattern.sub(verb, text)
    return _BARE_VM.sub(left, text)


# A contact still to come: "called, no answer, text to follow", "letter to go out fri".
_TO_FOLLOW = re.compile(r"\b(?:a\s+|an\s+)?(?:txt|text|sms|e-?mail|letter)\s+to\s+(?:follow|come"
                        r"|go\s+out)\b", re.I)


# Note-style shorthand for how a contact went: "LM" (left a message), "NA" (no answer; only
# in capitals, "na" being other words), "nada"; and " / " between contacts ("called thurs NA /
# txt fri no reply").
_NOTE_SHORTHAND = ((re.compile(r"\blm'?d\b|\blm\b", re.I), "vm"),
                   (re.compile(r"(?-i:\bNA\b)|\bnada\b"), "no answer"),
                   (re.compile(r"\s+/\s+"), "; "))


def _note_shorthand(text: str) -> str:
    for pattern, said in _NOTE_SHORTHAND:
        text = pattern.sub(said, text)
    return text


# A question about what was done, never a report of it: "what's been tried?", "has anyone
# tried reaching her already?", "jordan lee - what's been tried so far?".
_ASKS_WHAT_WAS_DONE = re.compile(
    r"^\W*(?:[^\W\d_]+(?:\s+[^\W\d_]+)?\s*[-:,]\s*)?(?:what|what'?s|whats|has|have|had|did|who"
    r"|who'?s|anyone|anybody|any|is|was|were|how|when)\b[^.!?]*\?", re.IGNORECASE)


def read_attempt(text: str, today: date) -> AttemptReading:
    """The contact attempt a message reports, if it reports one."""
    if takes_back(text):  # "undo the text one, it went to her old number": no new attempt
        return AttemptReading()
    text = _note_shorthand(_TO_FOLLOW.sub(" ", text or ""))  # "text to follow": not sent yet
    text = _each_day_its_own(_CLIENT_GOT_IN_TOUCH.sub(" ", _contacts_without_verb(mend_typos(text))))
    if _COUNT.search(text):
        return _counted_with_days(text, today) or AttemptReading(count=True)
    if _ASKED.search(text) or _NOT_DONE.search(text) or _ASKS_WHAT_WAS_DONE.match(text):
        return AttemptReading()
    clauses = _contact_clauses(text, today)
    reporting = [c for i, c in enumerate(clauses) if _done_by_the_therapist(c)
                 or i > 0 and _again_dated(c, today)]
    if not reporting and not _done_by_the_therapist(text):
        return AttemptReading()
    if len(reporting) > 1 and len(_channels_done(text)) > 0:
        attempts = _each_attempt(clauses, today)
        if not attempts:  # "called 3/12 and emailed": one at a time
            return AttemptReading(count=True)
        return AttemptReading(attempts[0], more=tuple(attempts[1:]))
    if len(reporting) == 1:
        text = reporting[0]  # the therapist's contact, not the relative's call around it
    done = _channels_done(text)
    if len(done) > 1:  # "called and emailed yesterday": one at a time
        return AttemptReading(count=True)
    # the channel of the contact made ("called her thurs ... said the reminder texts r helping")
    channel = next(iter(done)) if done else _channel(text)
    when = _day_of_the_attempt(text, today)
    day = when.day if when.day or when.vague else today
    return AttemptReading(Attempt(day, channel, _result(text, channel), when.vague))


# A correction that says a call was a voicemail ("it was a vm"): a message left.
_WAS_A_VM = re.compile(r"\b(?:was|were)\s+(?:an?\s+)?(?:vm|voice ?mail)s?\b(?!\s+(?:box|full))",
                       re.I)


def amend_attempt(attempt: Attempt, text: str, today: date,
                  outcome: Optional[str] = None) -> Tuple[Attempt, bool]:
    """Apply the parts a correction names (day, channel, how it went); (attempt, changed)."""
    kept = without_ruled_out(mend_typos(text or ""))
    # a contact named only to say when ("same day as the email"): no change of channel
    kept = re.sub(r"\b(?:(?:the\s+)?same\s+(?:day|time)\s+as|like|along\s+with|right\s+after"
                  r"|just\s+after|after|before)\s+(?:the|my|her|his|their)\s+[\w-]+", " ", kept,
                  flags=re.IGNORECASE)
    changes: Dict[str, Any] = {}
    when = past_date(kept, today)
    if when.day is not None:
        changes["on"] = when.day
    channel = _channel(kept)
    if channel is not None:
        changes["channel"] = channel
    # How it went, only when the correction says so ("she picked up"), not by default.
    result = outcome if outcome in ATTEMPT_OUTCOMES else _result(kept, None)
    if result is None and _WAS_A_VM.search(kept):
        result = "left_message"  # "the friday call was a vm": a message was left
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


# "and the sat one too", "the saturday text as well": another contact, named by its day.
_WEEKDAY_WORD = re.compile(r"\b(mon|tue|tues|wed|weds|thu|thur|thurs|fri|sat|sun)(?:day|sday"
                           r"|nesday|rsday|urday)?\b", re.I)
_SEGMENT = re.compile(r"[,.;!]+|\band\b|\bthen\b|\bplus\b", re.I)


def _day_named(words: str, today: date) -> Optional[date]:
    """The day words name, "sat" alone included ("the sat one")."""
    named = past_date(words, today).day
    if named is None:
        weekday = _WEEKDAY_WORD.search(words)
        if weekday:
            named = past_date(f"on {weekday.group(0)}", today).day
    return named


def attempt_referred_to(words: str, earlier: Sequence[str], today: date,
                        exclude: Sequence[Tuple[Optional[date], Optional[str]]] = ()
                        ) -> Optional[Attempt]:
    """The contact "the sat one" means, from the therapist's earlier messages (latest first):
    the one part of one message that names that day (and channel, if said), as it was told
    there; what it does not say stays None (asked for, never assumed). None when the words
    name no day or channel, or nothing earlier fits, or more than one thing does."""
    day, channel = _day_named(words, today), _channel(words)
    if day is None and channel is None:
        return None
    for message in earlier:
        found = set()
        for segment in _SEGMENT.split(mend_typos(message or "")):
            seg_day, seg_channel = _day_named(segment, today), _channel(segment)
            if (day is not None and seg_day != day) or (channel and seg_channel != channel):
                continue
            if (seg_day or day, seg_channel or channel) in exclude:
                continue
            if seg_channel is None:
                continue  # no contact told in it ("the sat one" itself)
            on, how = seg_day or day, seg_channel or channel
            found.add(Attempt(on, how, _result(segment, how)))
        if len(found) == 1:
            return found.pop()
        if found:
            return None  # more than one fits: asked which, never guessed
    return None
