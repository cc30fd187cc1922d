"""Read a therapist's plan, typed in plain words, into steps with owners, kinds and dates.

    "let's offer biweekly telehealth on Thursdays and I'll call her Friday"
    -> 1. Offer fortnightly telehealth on Thursdays   (both, modality)
       2. Call her                                     (therapist, outreach by phone, Fri 20 Mar)

Pure and stdlib only: no Rasa, no database, no clock (every date is relative to `today`).
The reading is deliberately simple and predictable: a few word lists and regular expressions,
so a therapist can see and correct what was understood (describe_plan) before it is saved.

Choices worth knowing:

* "biweekly" is read as "fortnightly" (every two weeks). It can also mean "twice a week", but
  in session planning it almost always means every other week; the confirmation text shows
  "fortnightly", so a therapist who meant twice a week sees it and can correct it.
* Step owners: "I'll" -> therapist; "front desk"/"reception"/a front-desk name given in
  `front_desk_names` ("Jamie will ...") -> front_desk; "she'll"/"he'll"/"they'll"/"client will",
  or a clause whose subject is she/he/they ("she picks the time") -> client;
  "we'll"/"let's"/"we agreed to" -> both. A clause with no cue takes the owner of the clause
  before it in the same sentence ("front desk will text him, and then call if no reply"),
  otherwise the therapist, who is the one writing the plan.
* Plan owner: "both" when any step is shared or both the therapist and the front desk have
  steps; "front_desk" when only the front desk does; otherwise "therapist". Client steps do
  not make anyone an owner.
* A recurring day ("on Thursdays", "every Friday") and a possessive day ("Friday's session")
  describe the plan, not when to act, so they are not due dates.
* A clause that is only a review ("review in two weeks", "f/u in 2 wks", "check back on
  4/10") or only a date ("next Friday.") sets the follow-up date and is not a step. When
  several are given, the last one wins (later words usually correct earlier ones). With no
  explicit review, the follow-up is a dated review step's day ("supervisor reviews in 2 weeks"),
  else none: no date is made up.
* A step's due date is the date in its clause, cut out of its text ("Call her"). A clause with
  several dates keeps them in its text and is due on the first.
* Kind, first match wins: reminder; outreach when the step starts with a contact verb (call,
  text, email, leave a voicemail...); referral; fees; outreach for "send ..."; modality;
  frequency; schedule; any other mention of a channel; else "other". `channel` is set for
  outreach and reminder steps: the channel named first ("call her, leave a voicemail" -> phone).

Date rules: see reconnect.guidance.dates.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from typing import (
    Any,
    Callable,
    Dict,
    Iterable,
    List,
    NamedTuple,
    Optional,
    Pattern,
    Sequence,
    Tuple,
    Union,
)

from reconnect.guidance.dates import (
    DATE_PREPOSITIONS,
    NUM,
    UNIT,
    WEEKDAYS,
    Mention,
    alternation,
    find_dates,
    follow_up_date,
    normalize_quotes,
    shift,
    to_number,
    without_ruled_out,
)
from reconnect.guidance.history import CHANNELS
from reconnect.guidance.names import without_accents
from reconnect.guidance.typos import PLAN_WORDS, mend_typos
from reconnect.guidance.wording import day

OWNERS = ("therapist", "front_desk", "client", "supervisor", "both")
KINDS = ("schedule", "frequency", "modality", "outreach", "fees", "referral", "reminder", "other")
# Outreach channels: the consented channels of history.CHANNELS, plus a phone call.
STEP_CHANNELS = ("phone",) + CHANNELS


@dataclass(frozen=True)
class ParsedStep:
    text: str                   # short clean phrase: "Offer fortnightly telehealth on Thursdays"
    owner: str                  # "therapist" | "front_desk" | "client" | "both"
    kind: str                   # one of KINDS
    channel: Optional[str]      # for outreach and reminders: one of STEP_CHANNELS, else None
    due: Optional[date]         # a date mentioned for this step, resolved


@dataclass(frozen=True)
class ParsedPlan:
    steps: Tuple[ParsedStep, ...]
    follow_up_on: Optional[date]  # the review date said, else None
    owner: str                    # "therapist" | "front_desk" | "both"
    no_follow_up: bool = False    # the therapist said there is no review date (yet)


# ---------------------------------------------------------------------------------------------
# Plans
# ---------------------------------------------------------------------------------------------

def _times_a(m: re.Match) -> str:
    count = int(m.group(1))
    unit = "week" if m.group(2).startswith("w") else "month"
    times = {1: "once", 2: "twice"}.get(count, f"{count} times")
    return f"{times} a {unit}"


# Shorthand therapists type, expanded before anything else reads the text.
_Replacement = Union[str, Callable[[re.Match], str]]
_SHORTHAND_WORDS: List[Tuple[str, _Replacement]] = [
    (r"\bf/u\b|\bfollow-up\b|\bfollowup\b", "follow up"),
    # who does a step, as typed in a hurry: "FD texts her", "fron desk", "sup reviews"
    (r"\bf\.?d\b|\bfr(?:o|on|nt|ont)?\s*d(?:e|s)?s?k\b|\bfrontdesk\b", "front desk"),
    (r"\bsup(?:e|v|vr|ervsr)?\b(?!\s*\?)", "supervisor"),
    (r"\brecep\b", "reception"),
    (r"\bofer(s?)\b", r"offer\1"), (r"\btxts\b", "texts"), (r"\btxt(?:d|'d|ed)\b", "texted"),
    (r"\bbi-?weekly\b|\bq\s?2\s?w(?:ee)?k?s?\b", "fortnightly"),  # see module docstring
    (r"\bq\s?w(?:ee)?k?\b", "weekly"),
    (r"\b(\d+)\s*x\s*(?:/|per|an?|each)?\s*(weeks?|wks?|months?|mos?|mths?)\b", _times_a),
    (r"\bwks\b|\bweks\b", "weeks"), (r"\bwk\b|\bwek\b", "week"),
    # "Ill run it by my supervisor", "im gonna call": the apostrophe left out.
    (r"(?:(?<=^)|(?<=[.,;:!?-]\s)|(?<=\band\s)|(?<=\bthen\s))ill(?=\s+[a-z]+)", "i'll"),
    (r"(?:(?<=^)|(?<=[.,;:!?-]\s)|(?<=\band\s)|(?<=\bthen\s))im(?=\s+(?:gonna|going)\b)", "i'm"),
    (r"\bmths\b|\bmos\b", "months"), (r"\bmth\b", "month"),
    (r"\bappts\b", "appointments"), (r"\bappt\b", "appointment"),
    (r"\btx\b", "treatment"),
    (r"\bth\b", "telehealth"),
    (r"\bvm\b", "voicemail"),
    (r"\btxt\b", "text"),
    (r"\bmsgs?\b", "message"),
    (r"\bpt\b", "client"),
    (r"\bgrp\b", "group"),
    (r"\bref\b", "refer"),
    (r"\bpa?y?mt\b", "payment"),
    (r"\bresched\b", "reschedule"), (r"\bsched\b", "schedule"),
    (r"\btmrw\b|\btmr\b|\btmw\b", "tomorrow"),
    (r"\bb/c\b", "because"),
    (r"\bw/o\b", "without"), (r"\bw/\s*", "with "),
    (r"\be-mail", "email"),
    (r"\s&\s", " and "),
]
_SHORTHAND = [(re.compile(p, re.IGNORECASE), r) for p, r in _SHORTHAND_WORDS]


def _expand_shorthand(text: str) -> str:
    text = mend_typos(normalize_quotes(text), PLAN_WORDS, most=1)
    for pattern, replacement in _SHORTHAND:
        text = pattern.sub(replacement, text)
    return text


# Sentence ends, but not after the usual abbreviations ("Dr. Rivera").
_SENTENCE_END = re.compile(
    r"(?<=[.!?])(?<!\bdr\.)(?<!\bmr\.)(?<!\bmrs\.)(?<!\bms\.)(?<!\bmx\.)(?<!\bst\.)"
    r"(?<!\bvs\.)(?<!\be\.g\.)(?<!\bi\.e\.)\s+|\s*;\s*", re.IGNORECASE)
_LIST_MARKER = re.compile(r"^\s*(?:[-*•]+|\d{1,2}[.)])\s+")


def _sentences(text: str) -> List[str]:
    out: List[str] = []
    for line in re.split(r"[\r\n]+", text):
        line = _LIST_MARKER.sub("", line)
        out.extend(part.strip() for part in _SENTENCE_END.split(line) if part.strip())
    return out


# The start of a clause with its own subject: a new owner takes over from here.
_OWNER_CUE = (r"(?:i'll|i\s+will|i'm\s+going\s+to|i'm\s+gonna|i\s+can|i\s+need\s+to|i\s+should"
              r"|she'll|he'll|they'll|she\s+will|he\s+will|they\s+will|we'll|we\s+will"
              r"|let'?s|let\s+us|(?:the\s+)?front\s+desk|(?:the\s+)?reception(?:ist)?"
              r"|the\s+client\s+(?=[a-z]+s\b)"
              r"|(?:the\s+|my\s+)?supervisor|(?:the\s+)?client\s+(?:will|to|can)|me\s+to{names}"
              r"|(?:she|he|they)\s+(?!(?:was|is|has|says|said)\b)(?=[a-z]+s\b)"
              r"|(?:she|he|they)(?:'s|'re|\s+is|\s+are)\s+(?:gonna|going\s+to|(?=[a-z]+ing\b))"
              r"|we\s+(?!(?:were|are|had|have|did|was|need|think|guess|agreed|decided)\b)(?=[a-z]+\b)"
              r"|(?:the\s+)?(?:office|admin)\s+(?=[a-z]+s\b)"
              r"|i\s+(?=(?:then\s+)?(?:call|phone|ring|text|email|mail|send|write|leave|message"
              r"|contact|reach|offer|check|follow|see|review|try|book|meet|update|hold|keep|refer"
              r"|connect|run|talk|consult|ask|look|drop|go|sit|do|fill|draft|print|share|give"
              r"|waive|set|arrange|help|find|get|make|put|start|stop|pause|explore|raise|move|switch"
              r"|shift|change|rebook|reschedule|schedule|bump|chase|discuss|confirm|add|invite"
              r"|revisit|work)\b)"
              r"|shared\s*[:\-–—])")
_REVIEW_START = (r"(?:follow\s+up|review|re-?assess|re-?evaluate|revisit|check\s+back"
                 r"|check\s+in|touch\s+base|reconvene|regroup|circle\s+back|see\s+how)")
_ACTION_VERBS = (r"(?:call|phone|ring|text|email|mail|send|write|leave|message|contact|reach"
                 r"|talk|run|look|go|meet|see|consult|connect|visit|fill|complete|bring"
                 r"|offer|move|switch|change|shift|reduce|cut|drop|increase|try|refer|book"
                 r"|schedule|reschedule|set|add|waive|remind|give|ask|discuss|explore|keep"
                 r"|hold|start|stop|pause|resume|continue|confirm|update|arrange|provide"
                 r"|share|put|have|get|make|consider|also|plus)")
# A comma before one of these clause starts does not split ("if no answer, leave a voicemail").
_SUBORDINATE = re.compile(r"^(?:if|when|whenever|unless|once|after|before|until|till|otherwise"
                          r"|or|to|because|since|as|in\s+case)\b", re.IGNORECASE)


def _names_alternation(names: Tuple[str, ...]) -> str:
    words = set()
    for name in names:
        name = " ".join(name.split())
        if name:
            words.update({name, name.split()[0]})
    return alternation(words) if words else ""


# Who someone is to the client, said between steps: "sister is his support", "mum's her carer".
_WHO_IS = r"(?:(?:her|his|their|the)\s+)?[a-z]+(?:\s+is|'s)\s+(?:his|her|their)\s+[a-z]+\s*(?:$|[,.;])"


@lru_cache(maxsize=32)
def _clause_splitter(names: Tuple[str, ...]) -> Pattern[str]:
    alt = _names_alternation(names)
    cue = _OWNER_CUE.format(names=rf"|(?:{alt})(?:'ll|\s+will|\s+to|\s+can)" if alt else "")
    return re.compile(
        r"(?P<hard>\s*,?\s+and\s+then\s+|\s*,\s*then\s+|\s*,\s+(?:and|but|plus)\s+"
        # "her daughter can't drive her in anymore, so we're switching her to video"
        r"|\s*,\s+so\s+(?=(?:we|i|she|he|they|front\s+desk)\b))"
        # "FD books him every other thursday + I email him the dates", "... / sup signs off"
        rf"|(?P<joined>\s+(?:and|then|\+|&|/)\s+(?=(?:{cue}|{_REVIEW_START})\b))"
        rf"|(?P<comma>\s*(?:,|\s[-–—/+]\s)\s*(?=(?:{cue}|{_REVIEW_START}|{_ACTION_VERBS})\b"
        rf"|{_WHO_IS}))",
        re.IGNORECASE)


_LONE_SUBJECT = re.compile(r"^\s*(?:[^:]*:\s*)?(?:(?:ok(?:ay)?|so|and|then)\s+)*(?:she|he|they"
                           r"|(?:the\s+)?client|(?:my\s+|the\s+)?supervisor"
                           r"|i|me)\s*$", re.IGNORECASE)
_AND_VERB = re.compile(rf"\s+and\s+(?={_ACTION_VERBS}\b)", re.IGNORECASE)


def _clauses(sentence: str, names: Tuple[str, ...], today: date) -> List[str]:
    """Split a sentence where a new action starts; see _clause_splitter for where."""
    out, start = [], 0
    for m in _clause_splitter(names).finditer(sentence):
        left = sentence[start:m.start()].strip()
        words = len(left.split())
        if not words:
            continue
        # A comma split needs a real clause on its left, not "call, text" or "if no answer".
        if m.lastgroup == "comma" and (words < 2 or _SUBORDINATE.match(left)):
            continue
        # "she and i find a time together" is one shared step, not "She" and the rest.
        if _LONE_SUBJECT.match(sentence[start:m.start()]):
            continue
        out.append(left)
        start = m.end()
    out.append(sentence[start:].strip())
    return [part for clause in out if clause and not _ONLY_A_HEADING.match(clause)
            for part in _split_dated(clause, today)]


# A clause that only announces the plan ("agreed plan —", "new plan:", "ok so"): no step.
_ONLY_A_HEADING = re.compile(r"^\W*(?:(?:ok(?:ay)?|so|fine|right)[\s,]+)*(?:(?:the|new|our|agreed"
                             r"|revised|updated)\s+)?(?:plan|agreed|so|ok(?:ay)?)(?:\s+is)?\W*$",
                             re.IGNORECASE)


def _split_dated(clause: str, today: date) -> List[str]:
    """"call her today and text her tomorrow" is two steps: a plain "and" before a verb splits
    only when each side has a date of its own ("call and text her Friday" stays one step)."""
    for m in _AND_VERB.finditer(clause):
        left, right = clause[:m.start()], clause[m.end():]
        if find_dates(left, today) and find_dates(right, today):
            return [left.strip()] + _split_dated(right, today)
    return [clause]


@lru_cache(maxsize=32)
def _owner_prefix(names: Tuple[str, ...]) -> Pattern[str]:
    """Leading filler and subject words; the named group says whose clause it is."""
    alt = _names_alternation(names)
    front_desk_subject = (r"(?:the\s+)?(?:front\s+desk|reception(?:ist)?|admin(?:\s+team)?|office"
                          r"(?:\s+staff)?")
    front_desk_subject += rf"{'|' + alt if alt else ''})"
    # (never "can't", "won't": "she can't do mondays" is what she faces, not her step)
    modal = (r"(?:(?:'ll|\s+will|\s+to|\s+can|\s+should|\s+is\s+going\s+to|\s+are\s+going\s+to"
             r"|'s\s+going\s+to|'re\s+going\s+to)(?!['’]t\b))")
    return re.compile(
        r"^(?:"
        r"(?P<filler>(?:ok(?:ay)?|so|and|then|also|plus|but|next|first(?:ly)?|finally|actually"
        r"|fine|alright|all\s+right|right|great|cool|good|sounds\s+good|yeah|yep|yes|sure|um"
        r"|hmm|well|anyway|basically|i\s+suppose"
        r"|instead|or\s+rather"
        r"|after\s+that|please|pls|maybe|perhaps|i\s+think|i\s+guess"
        r"|(?:the\s+)?plan\s+is(?:\s+to)?"
        r"|(?:the\s+)?next\s+step\s+is(?:\s+to)?|step\s+\d+\s*:?|to\s*do\s*:)(?!')\b"
        r"|(?:(?:the|new|our|agreed|revised)\s+)?(?:plan|agreed?|we\s+agreed|so)\s*[:\-–—](?=\s)"
        # "plan for kat:", "plan for luis herrera -": the heading names the client
        r"|(?:(?:the|new|our|agreed|revised)\s+)?plan\s+for\s+[a-z][\w'.-]*(?:\s+[a-z][\w'.-]*)?"
        r"\s*[:\-–—](?=\s))"
        rf"|(?P<front_desk>{front_desk_subject}(?:{modal}\b|\s*:|\s+(?=[a-z]+s\b)))"
        rf"|(?P<supervisor>(?:the\s+|my\s+)?(?:supervisor|clinical\s+lead)"
        rf"(?:{modal}\b|\s*:|\s+(?=[a-z]+s\b)|\s+(?=review\b)))"
        rf"|(?P<client>(?:she|he|they|(?:the\s+)?client)(?:{modal}|'s\s+gonna|\s+is\s+gonna"
        r"|'re\s+gonna)\b|(?:she|he|they)(?:'s|'re|\s+is|\s+are)\s+(?=[a-z]+ing\b))"
        r"|(?P<both>shared\s*[:\-–—]+(?:\s*we(?:\s+both)?\b)?|we\s+both\b"
        r"|(?:(?:she|he|they|the\s+client|(?:my\s+|the\s+)?supervisor)\s+and\s+(?:i|me)"
        r"|(?:i|me)\s+and\s+(?:she|he|they|him|her|them|the\s+client|(?:my\s+|the\s+)?"
        r"supervisor))(?:'ll|\s+will|\s+can|\s+should)?(?=\s)"
        r"|(?:we\s+(?:agreed|decided)(?:\s+(?:to|that))?|agreed(?:\s+to)?|let'?s"
        r"|let\s+us|we'll|we\s+will|we're\s+going\s+to|we\s+are\s+going\s+to|we\s+can"
        # "we're switching her to video", "we are moving him to thursdays"
        r"|we're\s+(?=[a-z]+ing\b)|we\s+are\s+(?=[a-z]+ing\b)"
        r"|we\s+should|we\s+need\s+to|we'd|we)(?!')\b)"
        r"|(?P<therapist>(?:i'll|i\s+will|i'm\s+going\s+to|i\s+am\s+going\s+to|i'm\s+gonna"
        r"|i\s+can|i\s+should|i\s+need\s+to|i\s+want\s+to|i'd\s+like\s+to|i\s+plan\s+to|i'd"
        r"|me\s+to)\b(?!['’]t\b)|me\s*:|i\s+(?!(?:was|am|think|guess|feel|hope|mean|know|suppose|wonder"
        r"|had|have|did|don'?t|didn'?t|agreed|said|told)\b)(?=(?:then\s+)?[a-z]+\b))"
        r")[\s,:]*",
        re.IGNORECASE)


# A clause whose subject is the client, with no modal to strip ("she picks the time").
_CLIENT_SUBJECT = re.compile(r"^(?:she|he|they|(?:the\s+)?client)\s+(?!(?:will|can|to)\b)[a-z]",
                             re.IGNORECASE)


@lru_cache(maxsize=32)
def _front_desk_anywhere(names: Tuple[str, ...]) -> Pattern[str]:
    alt = _names_alternation(names)
    named = rf"|\b(?:ask|have|get)\s+(?:{alt})\b" if alt else ""
    return re.compile(rf"\b(?:front\s+desk|reception(?:ist)?|admin\s+team|office\s+staff)\b"
                      rf"{named}", re.IGNORECASE)


def _take_owner(text: str, names: Tuple[str, ...]) -> Tuple[Optional[str], str]:
    """The clause's owner if it says so, and the clause without its filler and subject."""
    owner = None
    prefix = _owner_prefix(names)
    while True:
        m = prefix.match(text)
        if not m or not m.group(0).strip():
            break
        if owner is not None and m.lastgroup == "both" and m.group(0).lower().startswith("let"):
            break  # "she'll let us know": hers, not "let's"
        if m.lastgroup != "filler":
            owner = m.lastgroup
        text = text[m.end():]
    if _CLIENT_SUBJECT.match(text):
        owner = "client"
    elif owner is None and _front_desk_anywhere(names).search(text):
        owner = "front_desk"
    return owner, text


_TIME_OF_DAY = re.compile(r"^\s+(morning|afternoon|evening|night)\b", re.IGNORECASE)


def _without_date(text: str, mention: Mention) -> Tuple[str, str]:
    """`text` without the mention (and the "on"/"by" before it), as shown and as classified.

    The time of day stays in the shown text ("Call her in the morning") but not in the one the
    kind is read from, where "morning" would make any step look like a scheduling change.
    """
    start, end = mention.start, mention.end
    before = re.search(rf"\b(?:{'|'.join(DATE_PREPOSITIONS)})\s+$", text[:start], re.IGNORECASE)
    if before:
        start = before.start()
    kept = ""
    if text[mention.start:mention.end].lower() == "tonight":
        kept = "tonight"
    else:
        time_of_day = _TIME_OF_DAY.match(text[end:])
        if time_of_day:
            word = time_of_day.group(1).lower()
            kept = "at night" if word == "night" else f"in the {word}"
            end += time_of_day.end()
    return f"{text[:start]} {kept} {text[end:]}", f"{text[:start]} {text[end:]}"


def _tidy(text: str) -> str:
    text = " ".join(text.split())
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    text = re.sub(r"([,;:])(?:\s*[,;:])+", r"\1", text)
    text = text.strip(" ,;:-–—.")
    # A hedge at the end is no part of the step ("f/u 4/2 I guess", "call her fri probably").
    text = _TRAILING_HEDGE.sub("", text)
    # A clause cut before its date can end on a dangling joining word ("call her and").
    return re.sub(r"(?:\s+(?:and|then|or|but))+$", "", text, flags=re.IGNORECASE).strip(" ,")


_TRAILING_HEDGE = re.compile(r"[\s,]+(?:i\s+guess|i\s+think|i\s+suppose|i\s+reckon|probably"
                             r"|maybe|perhaps|i\s+hope)\W*$", re.IGNORECASE)


# Review words, and the words that may go with them while the clause stays only a review
# ("review the plan in two weeks", "see how it goes"). Anything else ("follow up with her")
# makes the clause a step of its own.
_REVIEW = re.compile(rf"^(?:(?:the|a|next)\s+)?{_REVIEW_START}\b", re.IGNORECASE)
_REVIEW_WORDS = {
    "it", "this", "that", "the", "plan", "progress", "things", "how", "goes", "go", "going",
    "is", "are", "again", "back", "in", "on", "at", "by", "together", "then", "date", "session",
    "appointment", "meeting", "a", "and", "everything", "up", "all", "of", "to", "see", "we",
    "she", "he", "they", "does", "do", "did", "with", "us", "attendance",
}
_BARE_DURATION = re.compile(rf"^\s*(?P<n>{NUM})\s+(?P<unit>{UNIT})\b", re.IGNORECASE)

# Kinds, in priority order; the first that matches wins. A step led by an outreach verb ("text
# him the new times", "email her the sliding scale form") is outreach whatever it is about,
# except reminders ("text reminders the day before"); "send" is too general to decide alone
# ("send a referral", "send an invoice"), so it only counts after the subject-matter kinds.
_LEADING_OUTREACH = re.compile(
    r"^(?:call|phone|ring|text|sms|email|mail|write|message|contact|reach\s+out"
    r"|try\s+(?:calling|texting|emailing)|leave\s+(?:(?:her|him|them)\s+)?(?:a\s+)?"
    r"(?:voicemail|message|note)|check\s+in\s+with|follow\s+up\s+with|get\s+in\s+touch"
    r"|touch\s+base\s+with|drop\s+(?:her|him|them)\s+a\s+(?:line|note|text))\b", re.IGNORECASE)
_KIND_RULES = [
    ("reminder", r"\bremind\w*|\bconfirmations?\b|^confirm\b|\b(?:day|night|morning)\s+before\b"
                 r"|\bcalendar\s+invites?\b|\balarms?\b"),
    ("outreach", _LEADING_OUTREACH.pattern),
    ("referral", r"\brefer(?:s|red|ring|ral|rals)?\b|\bpsychiatr|\bcase\s+manage|\bwait\s*list"
                 r"|\btransfer\b|\bsupport\s+group\b|\bIOP\b|\bintensive\s+outpatient\b"
                 r"|\bconnect\s+(?:her|him|them)\s+(?:with|to)\b"),
    ("fees", r"\$\s?\d|\bfees?\b|\bsliding\s+scale\b|\bpayments?\b|\bpay\b|\bbalance\b"
             r"|\bco-?pays?\b|\binsurance\b|\bwaive\w*|\bdiscount\w*|\binvoice\w*"
             r"|\bbill(?:s|ing|ed)?\b|\bcharg(?:e|es|ed|ing)\b|\bcosts?\b|\bprice\b"),
    ("outreach", r"^send\b"),
    ("modality", r"\btele-?health\b|\bvideo\b|\bvirtual\w*|\bonline\b|\bzoom\b|\bin[- ]person\b"
                 r"|\bphone\s+(?:sessions?|appointments?|therapy)\b|\bhome\s+visits?\b"
                 r"|\bremote\w*|\bhybrid\b|\bwalk[- ]and[- ]talk\b"),
    ("frequency", r"\bweekly\b|\bfortnightly\b|\bmonthly\b|\bbi-?monthly\b|\bsemi-?monthly\b"
                  r"|\bevery\s+(?:other|second|\d|two|three|four)\s+weeks?\b"
                  r"|\b(?:once|twice|\d+\s+times|three\s+times)\s+(?:a|per|each)\s+(?:week|month)\b"
                  r"|\bfrequency\b|\b(?:less|more)\s+(?:often|frequent\w*)|\bstep\s+down\b"
                  r"|\b(?:space|spread)\s+(?:them\s+|sessions\s+)?out\b|\bcut\s+back\b"),
    ("schedule", r"\b(?:re)?schedul\w*|\btimes?\b|\bslots?\b|\bmornings?\b|\bafternoons?\b"
                 r"|\bevenings?\b|\bearlier\b|\blater\b|\bweekends?\b|\bbook\w*|\bcalendar\b"
                 r"|\bhours?\b|\blunch\w*|\bappointments?\b"
                 r"|\b(?:mon|tues|wednes|thurs|fri|satur|sun)days\b"),
    ("outreach", r"\bcall\w*|\bphone\b|\btext\w*|\bsms\b|\bemail\w*|\bletters?\b|\bvoicemail\b"
                 r"|\bmessage\b|\breach\s+out\b|\bcontact\b|\bmail\b|\boutreach\b"),
]
_KIND_PATTERNS = [(kind, re.compile(pattern, re.IGNORECASE)) for kind, pattern in _KIND_RULES]
_CHANNEL_PATTERNS = [(channel, re.compile(p, re.IGNORECASE)) for channel, p in [
    ("phone", r"\b(?:call|calls|calling|called|phone|ring)\b"),
    ("sms", r"\b(?:text|texts|texting|texted|sms)\b"),
    ("email", r"\bemail(?:s|ed|ing)?\b"),
    ("letter", r"\b(?:letters?|postcard|card|mail(?:ed)?)\b"),  # \b: "email" is not "mail"
    ("voicemail", r"\bvoice\s*mails?\b|\bleave\s+(?:(?:her|him|them)\s+)?(?:a\s+)?message\b"),
]]


def _kind(text: str) -> str:
    return next((kind for kind, pattern in _KIND_PATTERNS if pattern.search(text)), "other")


def _channel(text: str) -> Optional[str]:
    """The channel mentioned first ("call her and leave a voicemail" is a call)."""
    hits = [(m.start(), channel) for channel, pattern in _CHANNEL_PATTERNS
            for m in [pattern.search(text)] if m]
    return min(hits)[1] if hits else None


class _Clause(NamedTuple):
    step: Optional[ParsedStep]
    follow_up: Optional[date]


# A weekday that is part of a slot offered or moved to ("offer her thurs 10am by video",
# "move her to tuesday evenings") is what the step says, not when it is due.
# A slot changed from one weekday to another: "thursday afternoons instead of tuesdays".
_INSTEAD_OF_A_DAY = re.compile(r"\b(?:instead\s+of|rather\s+than)\s+(?:on\s+)?(?:the\s+)?"
                               r"(?:mon|tue|wed|thu|fri|sat|sun)", re.IGNORECASE)
_SLOT_STEP = re.compile(r"^\s*(?:(?:she|he|they|(?:the\s+)?client)\s+)?(?:(?:let'?s|we'?ll|i'?ll|we\s+will|i\s+will|to)\s+)?(?:offer|move"
                        r"|switch|book|rebook|schedule|reschedule|change|shift|try|keep|put|give"
                        r"|hold|tries|tried|pick|choose|chooses|chose|decide|come|attend)(?:s|es|ed)?\b",
                        re.IGNORECASE)
# Days offered as a choice ("he picks between wed 9:30 or thurs 4", "mon or tues evening"):
# options, not when the step is due.
_CHOICE_BEFORE = re.compile(r"\b(?:between|either|or)\s+$", re.IGNORECASE)
_CHOICE_AFTER = re.compile(r"^\s*(?:(?:at\s+)?[\d:.]+\s*(?:am|pm)?\s*)?(?:or|/)\s+\w",
                           re.IGNORECASE)
_SLOT_AFTER = re.compile(r"^\s*(?:at\s+)?(?:\d{1,2}(?::\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)"
                         r"|\d{1,2}:\d{2}|at\s+\d{1,2}\b|noon|midday"
                         r"|(?:mornings|afternoons|evenings|nights|lunchtimes|lunch\s+slots)\b"
                         r"|(?:morning|afternoon|evening|lunchtime)s?\s+(?:slot|session"
                         r"|appointment)s?)",
                         re.IGNORECASE)
# A weekday that names a standing slot whatever the verb: "her tuesday morning sessions", "the
# 5:30 tuesday slot", "his thursday 3pm", "the thursday night group", "the 6pm slot on weds".
_SLOT_NOUN_AFTER = re.compile(r"^\s*(?:(?:morning|afternoon|evening|night|lunchtime)\s+)?(?:\d{1,2}"
                              r"(?::\d{2})?\s*(?:am|pm)?\s+)?(?:(?:video|telehealth|online|zoom|phone"
                              r"|in[\s-]person|virtual|remote)\s+)?(?:slots?|sessions?|appointments?|appts?"
                              r"|groups?|class(?:es)?|visits?|times?)\b", re.IGNORECASE)
_BARE_WEEKDAY = re.compile(r"^(?:mon|tue|tues|wed|weds|thu|thur|thurs|fri|sat|sun)(?:[a-z]*day)?s?$",
                           re.IGNORECASE)
_SLOT_BEFORE = re.compile(r"(?:\b(?:the|his|their|my|our|usual|regular|standing|from)(?:\s+[\d:apm.]+)?"
                          r"|(?<!next\s)\b(?:slot|session|appointment|appt|group|class)(?:s|es)?"
                          r"\s+on)\s+$",
                          re.IGNORECASE)


# "she calls the front desk if thurs doesn't work": the day is a condition, not when.
_CONDITION_BEFORE = re.compile(r"\b(?:if|unless|in\s+case)\s+(?:the\s+|her\s+|his\s+|their\s+)?$",
                               re.IGNORECASE)


def _read_clause(clause: str, today: date, names: Tuple[str, ...],
                 inherited: Optional[str]) -> _Clause:
    slot_step = bool(_SLOT_STEP.search(_take_owner(_tidy(clause), names)[1]))
    mentions = [m for m in find_dates(clause, today)
                if not _CONDITION_BEFORE.search(clause[:m.start])
                and not ((_SLOT_AFTER.match(clause[m.end:])
                          or re.match(r"\s+\d{1,2}(?=\s|$|[,.;])", clause[m.end:]))
                        and (slot_step
                             or re.search(r"(?:mornings|afternoons|evenings|nights|lunchtimes)",
                                          clause[m.end:m.end + 12], re.IGNORECASE)))
                and not (_BARE_WEEKDAY.match(clause[m.start:m.end])
                         and (_SLOT_NOUN_AFTER.match(clause[m.end:])
                              or _SLOT_BEFORE.search(clause[:m.start])
                              or _CHOICE_BEFORE.search(clause[:m.start])
                              or _CHOICE_AFTER.match(clause[m.end:])))]
    if mentions and slot_step and _INSTEAD_OF_A_DAY.search(clause):
        # "she will come on thursday afternoon instead of tuesday": the slot changes; no due
        mentions = [m for m in mentions if not _BARE_WEEKDAY.match(clause[m.start:m.end])]
    due = mentions[0].day if mentions else None
    # One date is the step's due date and leaves the text; with several ("book her for 3/23
    # and 3/30") the text keeps them all, since cutting one out would garble it.
    shown = bare = clause
    if len(mentions) == 1:
        shown, bare = _without_date(clause, mentions[0])
    owner, text = _take_owner(_tidy(shown), names)
    text = _tidy(text)
    bare = _tidy(_take_owner(_tidy(bare), names)[1])

    if not text:  # only a date ("next Friday."): taken as when to review
        return _Clause(None, due)
    review = _REVIEW.match(text)
    if review:
        rest = text[review.end():]
        if due is None:  # "f/u 2 wks": a bare duration is a date right after a review word
            duration = _BARE_DURATION.match(rest)
            if duration:
                due = shift(today, to_number(duration["n"].lower()), duration["unit"].lower())
                rest = rest[duration.end():]
        if due is not None and all(word in _REVIEW_WORDS
                                   for word in re.findall(r"[a-z']+", rest.lower())):
            if owner is None or owner == "therapist":
                return _Clause(None, due)
            # "supervisor review in 3 weeks": the supervisor's dated step, and the follow-up
            return _Clause(ParsedStep(text=text[0].upper() + text[1:], owner=owner,
                                      kind=_kind(bare), channel=None, due=due), due)

    kind = _kind(bare)
    channel = _channel(bare) if kind in ("outreach", "reminder") else None
    step = ParsedStep(text=text[0].upper() + text[1:], owner=owner or inherited or "therapist",
                      kind=kind, channel=channel, due=due)
    return _Clause(step, None)


def _plan_owner(steps: Iterable[ParsedStep]) -> str:
    owners = {step.owner for step in steps}
    if "both" in owners or {"therapist", "front_desk"} <= owners:
        return "both"
    return "front_desk" if "front_desk" in owners else "therapist"


def _aliases(name: str) -> List[str]:
    """How staff are named in a plan: "Dr. Morgan Ellis", "Morgan Ellis", "Morgan", "Dr.
    Ellis", "Ellis"."""
    words = [w for w in name.replace(".", " ").split() if w]
    if words and words[0].lower() in ("dr", "mr", "mrs", "ms", "mx"):
        title, words = words[0], words[1:]
    else:
        title = ""
    if not words:
        return []
    out = {" ".join(words), words[0], words[-1]}
    if title:
        out |= {f"{title} {words[-1]}", f"{title}. {words[-1]}", f"{title} {' '.join(words)}",
                f"{title}. {' '.join(words)}"}
    return sorted(out, key=len, reverse=True)


def _supervisor_as_subject(text: str, names: Iterable[str]) -> str:
    """"Dr. Ellis reviews next week" -> "supervisor reviews next week": a supervisor named as
    the subject of a clause owns it; named elsewhere ("run it by Dr. Ellis") the name stays."""
    aliases = [a for name in names for a in _aliases(name)]
    if not aliases:
        return text
    alt = "|".join(re.escape(a) for a in sorted(set(aliases), key=len, reverse=True))
    return re.sub(rf"(^|[,;:]\s*|\band\s+|\bthen\s+)(?:{alt})(?=\s+(?:will\b|'ll\b|can\b"
                  rf"|[a-z]+s\b))", r"\1supervisor", text, flags=re.IGNORECASE)


def parse_plan(text: str, today: date, *, front_desk_names: Iterable[str] = (),
               supervisor_names: Iterable[str] = ()) -> ParsedPlan:
    """Read a plan typed in plain words into steps, owners, due dates and a follow-up date.

    `front_desk_names` are the clinic's front-desk staff ("Jamie Chen"); a clause led by one
    of them, full or first name ("Jamie will text him"), belongs to the front desk. Names are
    not built in, so a client who shares a front-desk name is never mistaken for staff unless
    the caller says so.
    """
    names = tuple(sorted(front_desk_names))
    text = _FIRST_HEADING.sub("", text or "", count=1)
    heading = _LATER_HEADING.search(text or "")
    if heading:  # "so mondays are the prob, work. plan: ...": the plan is what follows
        text = text[heading.end():]
    text = _without_reasons(text)
    declined = NO_FOLLOW_UP.search(text or "")
    text = NO_FOLLOW_UP.sub(" ", text or "")
    text = _supervisor_as_subject(text, supervisor_names)
    steps: List[ParsedStep] = []
    follow_up: Optional[date] = None
    for sentence in _sentences(_expand_shorthand(text or "")):
        previous_owner: Optional[str] = None  # a clause with no subject continues the last one
        for clause in _clauses(sentence, names, today):
            step, review_on = _read_clause(clause, today, names, previous_owner)
            if review_on is not None:
                follow_up = review_on  # the last one wins
            if step is not None:
                steps.append(step)
                previous_owner = step.owner
    if declined:
        return ParsedPlan(tuple(steps), None, _plan_owner(steps), no_follow_up=True)
    steps = [step for step in steps if not _NOT_A_STEP.search(step.text)]
    if follow_up is None:
        # A dated step that is a review ("supervisor reviews in 2 weeks", "I follow up with
        # her monday") sets the follow-up; otherwise none is made up from the steps' days.
        follow_up = next((step.due for step in reversed(steps)
                          if step.due and _FOLLOW_UP_WORDS.search(step.text)), None)
    return ParsedPlan(steps=tuple(steps), follow_up_on=follow_up, owner=_plan_owner(steps))


# Why the plan is what it is, said with it: no step of it. "because the 11am clashes with
# pickup, we'll offer her 1pm" (the reason before), "she comes thursdays instead, because her
# new job has shifts on tuesdays" (after), "... for two months, as the weekly cost is hard".
_REASONS = (
    re.compile(r"(?:^|(?<=[.;:!?]\s)|(?<=[-–—]\s))\s*(?:because|bc|b/c|since|cos|cause)\b[^,.;]*,\s*"
               r"(?=(?:so\s+)?(?:we|i|i'll|we'll|she|he|they|front\s+desk|fd|the\s+front\s+desk)\b)",
               re.IGNORECASE),
    re.compile(r",\s+(?:because|bc|b/c|since|as|cos)\s+(?:the|her|his|their|she|he|they|of|it)\b[^.;,]*",
               re.IGNORECASE),
    # "NAME and I have agreed that he will ...", "following our talk, we agreed that she ..."
    re.compile(r"(?:^|(?<=[.;:!?]\s))\s*(?:following\s+[^,.;]{3,60},\s*)?(?:[^\W\d_]+(?:\s+[^\W\d_]+)?"
               r"\s+and\s+i|we)\s+(?:have\s+|'ve\s+)?agreed\s+(?:that\s+)?(?=(?:she|he|they|i|we)\b)",
               re.IGNORECASE),
)


def _without_reasons(text: str) -> str:
    for pattern in _REASONS:
        text = pattern.sub("", text or "")
    return text


# A heading that opens the message: "ok here's the plan -", "leila karimi plan:", "plan for ben
# osei:", "plan we agreed today:", "new plan for noah -". Up to three words before "plan" (a
# client's name) and a name after "for": announcing the plan, not a step of it.
_FIRST_HEADING = re.compile(
    r"^\W*(?:(?:ok(?:ay)?|so|right|fine|alright|well|i\s+guess|i\s+think|um+|hmm+|no|nope)[\s,.-]+)*(?:"
    # "no - save a plan: I call her wed ...", "please record this plan:"
    r"(?:(?:please\s+|pls\s+)?(?:save|record|log|note)\s+(?:a|the|this|my|her|his|their)\s+plan"
    r"(?:\s+for\s+[^\W\d_][\w'.-]*(?:\s+[^\W\d_][\w'.-]*)?)?\s*[:\-–—,]+)"
    r"|(?:the\s+)?plan\s+for\s+[^\W\d_][\w'.-]*(?:\s+[^\W\d_][\w'.-]*)?\s+is(?:\s+(?:to|that))?\s+"
    r"|"
    r"here'?s\s+(?:the|my|our)\s+plan(?:\s+for\s+[^\W\d_][\w'.-]*(?:\s+[^\W\d_][\w'.-]*)?)?"
    r"\s*(?:[:\-–—,.]+|\s(?=(?:i|we|she|he|they|front|the)\b))"
    r"|(?:[^\W\d_][\w'.-]*\s+){0,3}?plan(?:\s+for\s+[^\W\d_][\w'.-]*(?:\s+[^\W\d_][\w'.-]*)?)?"
    r"(?:\s+agreed)?(?:\s+(?:we|i)\s+(?:agreed|made|set(?:\s+up)?)(?:\s+(?:on\s+)?(?:today|just\s+now|together"
    r"|with\s+(?:her|him|them)))?)?(?:\s*,\s*(?:ok(?:ay)?\s+)?so)?(?:\s*[:\-–—>]+|[ \t]*\n)"
    # "fine, let's do this:", "here's what we agreed -"
    r"|let'?s\s+do\s+this\s*[:\-–—,.]+|(?:here'?s\s+)?what\s+we\s+(?:agreed|decided|said)"
    r"(?:\s+on)?\s*[:\-–—]+)\s*", re.IGNORECASE)


def reads_as_plan(text: str, today: date) -> bool:
    """Do the words lay out a plan, however else they read? Steps for more than one person
    ("she picks a new day by wed; we go over her goals together; front desk rebooks her"); or
    steps with a review date ("I offer him a sliding scale. f/u 4/8"), for the front desk or
    the supervisor ("front desk sends appt reminders by text"), or under the client's name as
    a heading ("maya patel: I call her wed to rebook"). Never a question, nor an intention
    said in passing ("I'll call her tomorrow")."""
    if "?" in (text or ""):  # a question, however it goes on
        return False
    if len({step.owner for step in parse_plan(text, today).steps}) >= 2:
        return True
    body = _NAME_HEADING.sub("", text, count=1)
    plan = parse_plan(body, today)
    if not plan.steps or lone_intention(body, plan) or _TELLS_WHAT_HAPPENED.search(body):
        return False
    return (plan.follow_up_on is not None
            or any(step.owner in ("front_desk", "supervisor") for step in plan.steps)
            or body != text and any(_STEP_VERB.match(step.text) for step in plan.steps))


# A step that says what to do ("Call her to rebook"), not what is ("The bus doesn't run").
_STEP_VERB = re.compile(rf"^{_ACTION_VERBS}\b", re.IGNORECASE)


# Words that tell what happened rather than what is planned ("front desk said she called").
_TELLS_WHAT_HAPPENED = re.compile(r"\b(?:said|says|told|called|texted|emailed|rang|asked|mentioned"
                                  r"|spoke|talked|was|were|did|had|left|tried|missed|came)\b",
                                  re.IGNORECASE)
# A client's name (one to three words) as a heading: "maya patel: ...", "luis herrera - ...".
_NAME_HEADING = re.compile(r"^\W*[^\W\d_][\w'.-]*(?:\s+[^\W\d_][\w'.-]*){0,2}\s*(?::|\s[-–—])\s+")


def opens_with_a_plan(text: str) -> bool:
    """Does the message open by announcing a plan ("plan for ben osei: ...", "ok here's the
    plan - ...", "leila karimi plan: ...")?"""
    return bool(_FIRST_HEADING.match(text or ""))


# A plan heading after other words ("... work. plan: front desk moves her ..."): what comes
# before it is talk about the plan, not a step of it.
_LATER_HEADING = re.compile(
    r"(?<=[.!?;])\s+(?:(?:the|our|new|agreed|revised)\s+)?plan"
    r"(?:\s+for\s+[a-z][\w'.-]*(?:\s+[a-z][\w'.-]*)?)?\s*[:\-–—]\s+"
    # what was agreed, after the context it was agreed in: "... first miss in ages. so going
    # forward: ...", "... lapsed. from now on she books ...", "the deal is he pays ...", "what
    # we landed on: ...", "we agreed the following: ...", "here is what I would like recorded."
    r"|(?:(?<=[.!?;:])\s+|^\W*|(?<=\w),?\s+(?:and\s+)?so,?\s+|\s+[-–—]\s+)(?:(?:so|ok(?:ay)?|and)[\s,]+)?"
    r"(?:going\s+forward|moving\s+forward|from\s+now\s+on|from\s+here\s+on)"
    r"(?:\s+for\s+[a-z][\w'.-]*(?:\s+[a-z][\w'.-]*)?)?\s*[:,\-–—]?\s+(?=\w)"
    r"|(?:(?<=[.!?;:])\s+|^\W*|\s+[-–—]\s+)(?:(?:so|ok(?:ay)?)[\s,]+)?(?:the\s+)?deal"
    r"(?:\s+with\s+[a-z][\w'.-]*(?:\s+[a-z][\w'.-]*)?)?\s*(?:is(?:\s+that)?\s*[:,]?|[:\-–—])\s+"
    r"|(?:(?<=[.!?;:])\s+|^\W*|\s+[-–—]\s+)(?:(?:so|ok(?:ay)?)[\s,]+)?what\s+we\s+(?:landed\s+on"
    r"|agreed(?:\s+on)?|decided(?:\s+on)?|settled\s+on|came\s+up\s+with)(?:\s+is)?\s*[:\-–—,]\s*"
    r"|\bwe\s+(?:have\s+)?agreed\s+(?:on\s+)?the\s+following\s*[:\-–—.]\s*"
    r"|\bhere\s+is\s+what\s+i\s+would\s+like\s+(?:recorded|to\s+record)\s*[.:\-–—]\s*",
    re.IGNORECASE)


# A wish to make a plan, with no step in it yet: "want to set up a plan", "let's agree next
# steps with him", "new plan for her".
_ASKS_FOR_A_PLAN = re.compile(
    r"^\W*(?:(?:ok(?:ay)?|so|right|um+|hi|hey|now)[\s,.!-]+)*"
    r"(?:(?:i|we)\s+(?:want|need|would\s+like|'?d\s+like)\s+to\s+|(?:i|we)\s+need\s+|let'?s\s+"
    r"|let\s+me\s+|can\s+(?:we|you|i)\s+(?:help\s+me\s+)?|time\s+to\s+|help\s+me\s+|need\s+to\s+"
    r"|want\s+to\s+|(?:i'?m|we'?re)\s+(?:going|gonna)\s+(?:to\s+)?)?"
    r"(?:set\s+up|make|agree(?:\s+on)?|put(?:\s+together)?|draw\s+up|do|write\s+up|start|record|give\s+you"
    r"|set|work\s+out|plan)?\s*(?:a|the|her|his|their|our|a\s+new|new)?\s*(?:plan|next\s+steps)"
    r"(?:\s+(?:for|with)\s+(?:her|him|them|this\s+one|[^\W\d_]+(?:\s+[^\W\d_]+)?))?"
    r"(?:\s+(?:now|please|pls|together|(?:that\s+)?we\s+(?:made|agreed)))*\W*$", re.IGNORECASE)


def asks_to_make_a_plan(text: str) -> bool:
    """Is the message only a wish to make a plan, with no step in it yet?"""
    text = text or ""
    # after a name said first: "zoe papadopoulos - want to set up a plan"
    named = re.sub(r"^\W*[^\W\d_]+(?:\s+[^\W\d_]+)?\s*[:\-–—,]\s*", "", text)
    return bool(_ASKS_FOR_A_PLAN.match(text) or _ASKS_FOR_A_PLAN.match(named))


def told_before_the_plan(text: str) -> str:
    """The words before a plan's heading later in the message ("the telehealth plan didn't
    work, she no-showed the 5th. new plan: ..."); empty when the plan has no such heading."""
    heading = _LATER_HEADING.search(text or "")
    return text[:heading.start()] if heading else ""


# The answer to "when should we review?" that gives none: "no date yet", "not yet", "tbd".
NO_DATE_ANSWER = re.compile(r"^\W*(?:no(?:ne)?|nope|not\s+yet|no\s+date|skip(?:\s+it)?|leave\s+it"
                            r"(?:\s+open)?|later|tbd|don'?t\s+know|no\s+follow[\s-]*up)"
                            r"(?:\s+(?:yet|for\s+now|needed|thanks))?\W*$",
                            re.IGNORECASE)


# "no review date for now", "no follow-up yet", "skip the follow up": no date, on purpose.
NO_FOLLOW_UP = re.compile(
    r"[.,;]?\s*\b(?:no|without(?:\s+a)?|skip(?:\s+the)?|don'?t\s+need(?:\s+a)?"
    r"|(?:i'?m\s+|we'?re\s+)?not\s+(?:setting|going\s+to\s+set|putting|booking)(?:\s+(?:a|any))?)"
    r"\s+(?:review"
    r"|follow[\s-]*up|check[\s-]*(?:back|in)|f/u)(?:\s+date)?(?:\s+(?:yet|for\s+now|needed|set"
    r"|right\s+now))?\b|\b(?:review|follow[\s-]*up)(?:\s+date)?\s+(?:tbd|tba|later)\b",
    re.IGNORECASE)


# ---------------------------------------------------------------------------------------------
# Confirmation text
# ---------------------------------------------------------------------------------------------

# Who, as the therapist reading the confirmation sees it.
OWNER_LABELS = {"therapist": "you", "front_desk": "front desk", "client": "client",
                "supervisor": "supervisor", "both": "shared"}


def describe_plan(plan: ParsedPlan) -> str:
    """Numbered steps with who and when, then the follow-up date, for the therapist to confirm.

        1. Offer fortnightly telehealth on Thursdays (shared)
        2. Call her (you, Fri 20 Mar 2026)
        Follow-up: Fri 20 Mar 2026
    """
    lines = []
    for number, step in enumerate(plan.steps, start=1):
        when = f", {day(step.due)}" if step.due else ""
        lines.append(f"{number}. {step.text} ({OWNER_LABELS.get(step.owner, step.owner)}{when})")
    if not lines:
        lines.append("No steps given.")
    follow_up = day(plan.follow_up_on) if plan.follow_up_on else "no date given"
    lines.append(f"Follow-up: {follow_up}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Corrections to a plan read back and not yet saved
# ---------------------------------------------------------------------------------------------

_FOLLOW_UP_WORDS = re.compile(r"\b(?:follow(?:s|ing)?\s*-?\s*up|f/u|review(?:s|ed|ing)?"
                              r"|checks?\s+back|checks?\s+in|reassess\w*|revisit\w*)\b",
                              re.IGNORECASE)
_MAKE_IT = re.compile(rf"^\s*(?:(?:no|actually|wait|sorry|oops|hm+|oh|ok(?:ay)?|make\s+that)[,.!]?\s*)*"
                      rf"(?:make\s+it|change\s+it\s+to"
                      rf"|(?:in|after)\s+)?\s*(?P<n>{NUM})\s+(?P<unit>{UNIT})\b", re.IGNORECASE)
_OWNER_WORDS = [
    ("both", re.compile(r"\b(?:shared|together|joint(?:ly)?|both\s+of\s+us|we\s+both"
                        r"|we\s+do\s+(?:it|that|this))\b", re.I)),
    ("front_desk", re.compile(r"\b(?:front\s+desk|reception(?:ist)?|admin|the\s+office)\b", re.I)),
    ("supervisor", re.compile(r"\b(?:supervisor|clinical\s+lead)\b", re.I)),
    ("client", re.compile(r"\b(?:she|he|they|(?:the\s+)?client)\s+(?:does|will|can|should)\b",
                          re.I)),
    ("therapist", re.compile(r"\b(?:i\s+(?:do|will)|i'?ll|me|mine|myself)\b", re.I)),
]
# "drop the letter", "remove step 2", "get rid of the reminders", "drop the supervisor", "no
# reminders": a step dropped. A plain "no" drops only what it stands before alone ("no
# reminders needed"); "no the reminders are by email" changes the step, it does not drop it.
_DROP_STEP = re.compile(r"\b(?:(?:drop|remove|delete|scrap|scratch|strike|nix|skip|forget|ditch|lose|bin|take\s+out"
                        r"|get\s+rid\s+of|cut)\s+(?:the\s+|my\s+)?|no\s+(?:more\s+)?(?=[\w-]+\s*"
                        r"(?:$|[.,!;]|needed|necessary|please|pls|at\s+all|for\s+now|then)))"
                        r"(?:step\s+(?P<n>\d)|(?P<ord>first|second|third|fourth|last)\s+(?:step"
                        r"|one)|(?!review|follow|check)(?P<what>[a-z][\w-]{2,}))\b", re.I)
_ORDINALS = {"first": 0, "second": 1, "third": 2, "fourth": 3, "last": -1}
# "the first step", "the last one", "the second one's wrong": which step a change is about.
_ORDINAL_STEP = re.compile(r"\b(first|second|third|fourth|last)\s+(?:step|one)\b", re.I)
_STEP_WORDS = re.compile(r"\b(call|phone|text|email|e-mail|letter|remind\w*|reminders?|offer"
                         r"|review|refer\w*|invoice|waive|schedule|book|move|send|check)\b",
                         re.IGNORECASE)


def _step_meant(plan: ParsedPlan, text: str, guess: bool = True) -> Optional[int]:
    """Which step a correction is about: the one it numbers ("step 3"), the one sharing its
    verb ("my call"), the one sharing most of its words ("the texting"), else (when `guess`)
    the only dated one, else the only one."""
    numbered = re.search(r"\b(?:step|#|no\.?)\s*(\d)\b", text, re.IGNORECASE)
    if numbered and 1 <= int(numbered.group(1)) <= len(plan.steps):
        return int(numbered.group(1)) - 1
    ordinal = _ORDINAL_STEP.search(text)
    if ordinal and plan.steps:
        index = _ORDINALS[ordinal.group(1).lower()]
        if -len(plan.steps) <= index < len(plan.steps):
            return index % len(plan.steps)
    words = {w.lower() for w in _STEP_WORDS.findall(text)}
    for i, step in enumerate(plan.steps):
        if words & {w.lower() for w in _STEP_WORDS.findall(step.text)}:
            return i
    stems = _stems(text)
    shared = [len(stems & _stems(step.text)) for step in plan.steps]
    if shared and max(shared) > 0 and shared.count(max(shared)) == 1:
        return shared.index(max(shared))
    if not guess:
        return None
    dated = [i for i, step in enumerate(plan.steps) if step.due]
    if len(dated) == 1:
        return dated[0]
    return 0 if len(plan.steps) == 1 else None


_NOT_CONTENT = frozenset("""
the a an and or but not me my her his their them him she he they you your we our it that this
does do did will make makes made should is are was be step one front desk reception admin
supervisor client instead actually no yes ok so then also just only with for to of in on at by
""".split())


def _stems(text: str) -> set:
    """The 4-letter stems of a text's content words ("texting" and "texts" share "text")."""
    return {w[:4] for w in re.findall(r"[a-z]+", text.lower())
            if len(w) >= 3 and w not in _NOT_CONTENT}


# Two changes in one message: "make my call tuesday, and review in 3 weeks".
_CHANGE_APART = re.compile(r"\s*(?:,\s*and\s+(?:also\s+)?|;\s*|\.\s+(?:and\s+|also\s+)?"
                           r"|\s+and\s+also\s+|,\s+)", re.IGNORECASE)
# A step said anew: "change step 3 to: front desk texts the night before", "step 2 should be
# ...", "make the second one: ...".
_REWRITE_STEP = re.compile(
    r"^\W*(?:(?:no|actually|wait|sorry|ok(?:ay)?|and|also)[\s,]+)*(?:change|make|replace|set|fix)?\s*"
    r"(?:step\s+(?P<n>\d)|(?:the\s+)?(?P<ord>first|second|third|fourth|last)\s+(?:step|one))"
    r"\s*(?:(?:to\s+be|to|should\s+(?:just\s+)?(?:be|say|read)|=|with"
    # "fix step 1, it should just say: ..."
    r"|,?\s*it\s+should\s+(?:just\s+|only\s+)?(?:be|say|read))\s*[:\-–—]?|[:\-–—])\s*(?P<new>\S.*)$",
    re.IGNORECASE | re.DOTALL)


def _each_change(plan: ParsedPlan, said: str, today: date,
                 names: Dict[str, Any]) -> Optional[Tuple[ParsedPlan, bool]]:
    """"make my call tuesday not wed, and review in 3 weeks": each change in turn, when the
    message holds several and each changes something; None otherwise."""
    pieces = [p for p in _CHANGE_APART.split(said) if p and p.strip()]
    if len(pieces) < 2:
        return None
    each = plan
    for piece in pieces:
        each, changed = amend_plan(each, piece, today, **names)
        if not changed:
            return None
    return each, each != plan


def _step_rewritten(plan: ParsedPlan, said: str, today: date, *,
                    front_desk_names: Iterable[str] = (),
                    supervisor_names: Iterable[str] = ()) -> Optional[Tuple[ParsedPlan, bool]]:
    """The plan with one step said anew, in full; None when the words do not say one so."""
    m = _REWRITE_STEP.match(said)
    if m is None or not plan.steps:
        return None
    index = int(m["n"]) - 1 if m["n"] else _ORDINALS[m["ord"].lower()]
    if not -len(plan.steps) <= index < len(plan.steps):
        return None
    new_words = m["new"].strip()
    if re.match(r"^(?:mine|me|front\s+desk'?s?|the\s+supervisor'?s?|shared|hers|his|theirs"
                r"|the\s+client'?s?)\W*$|^(?:in|after)\s+\d|^(?:mon|tue|wed|thu|fri|sat|sun)",
                new_words, re.IGNORECASE):
        return None  # an owner or a day, which the other changes handle
    told = parse_plan(new_words, today, front_desk_names=front_desk_names,
                      supervisor_names=supervisor_names)
    if len(told.steps) != 1:
        return None
    step = told.steps[0]
    old = plan.steps[index]
    owner, _ = _take_owner(_tidy(_supervisor_as_subject(new_words, supervisor_names)),
                           tuple(sorted(front_desk_names)))
    if owner is None:
        step = replace(step, owner=old.owner)
    steps = list(plan.steps)
    steps[index] = step
    return _amended(plan, steps, plan.follow_up_on)


def amend_plan(plan: ParsedPlan, text: str, today: date, *, front_desk_names: Iterable[str] = (),
               supervisor_names: Iterable[str] = ()) -> Tuple[ParsedPlan, bool]:
    """Apply a correction in the therapist's words to a plan not yet saved: the follow-up
    ("make it 1 week", "review friday instead"), a step's day ("make my call wednesday not
    thursday"), a step's owner ("front desk does the reminders, not me"), or dropping a step.
    Returns (plan, changed); an unchanged plan means the words named no change."""
    said = _expand_shorthand(text or "")
    names = {"front_desk_names": tuple(front_desk_names),
             "supervisor_names": tuple(supervisor_names)}
    whole = _step_rewritten(plan, said, today, **names) or _each_change(plan, said, today, names)
    if whole is not None:
        return whole
    kept = without_ruled_out(said)
    steps = list(plan.steps)
    follow_up = plan.follow_up_on
    dropped_or_added = _drop_or_add(plan, said, today, front_desk_names, supervisor_names)
    if dropped_or_added is not None:
        return dropped_or_added
    swapped = _channel_swapped(plan, said)
    if swapped is not None:
        return _amended(plan, swapped, follow_up)
    replaced = _words_replaced(plan, said)
    if replaced is not None:
        return _amended(plan, replaced, follow_up)
    duration = _MAKE_IT.match(kept) or (_FOLLOW_UP_WORDS.search(kept) and _SPAN.search(kept))
    dates = find_dates(kept, today)
    placed = None if dates else _later_by_place(plan, kept, today)
    if placed is not None:
        return placed
    # the follow-up: said with a review word, or a date alone when none is set yet ("4/6")
    if duration or dates and (_FOLLOW_UP_WORDS.search(kept)
                              or plan.follow_up_on is None and _only_a_date(said)):
        follow_up = (shift(today, to_number(duration["n"].lower()), duration["unit"].lower())
                     if duration else dates[0].day)
        # The review step the follow-up was taken from moves with it ("supervisor reviews in
        # 2 weeks", then "make it 1 week"): the plan never says two review days.
        steps = [replace(s, due=follow_up) if s.due and s.due == plan.follow_up_on
                 and _FOLLOW_UP_WORDS.search(s.text) else s for s in steps]
    elif dates and not _OWNER_SWAP.search(said):
        meant = _step_for_a_day(plan, said, kept, today)
        if meant is not None:
            steps[meant] = ParsedStep(steps[meant].text, steps[meant].owner, steps[meant].kind,
                                      steps[meant].channel, dates[0].day)
    else:
        steps = _reowned(plan, said, kept, front_desk_names, supervisor_names)
    if follow_up is plan.follow_up_on and any(step.due for step in steps) and not (
            duration or _FOLLOW_UP_WORDS.search(kept)):
        # The follow-up followed the latest due date; it still does.
        latest = max((s.due for s in plan.steps if s.due), default=None)
        if latest == plan.follow_up_on:
            follow_up = max(s.due for s in steps if s.due)
    if NO_FOLLOW_UP.search(said):
        follow_up = None
    return _amended(plan, steps, follow_up)


# Words of a step said anew: "actually make it thursday evenings not tuesday mornings",
# "every other week instead of weekly".
_REPLACED_WORDS = re.compile(
    r"^\W*(?:(?:oh|ok(?:ay)?|actually|wait|sorry|no|nope|nah|hmm|so)[\s,.!-]+)*"
    r"(?:(?:make|change|switch|move)\s+(?:it|that|this|him|her|them)\s+(?:to\s+)?"
    r"|(?:it'?s|should\s+be)\s+"
    # "step 1 should say wed 10am, not tues"
    r"|(?:step\s+\d|the\s+(?:first|second|third|fourth|last)\s+(?:step|one))\s+should\s+(?:say|be|read)\s+)?"
    r"(?P<new>[\w:' -]{3,40}?)[\s,]+(?:not|instead\s+of|rather\s+than)\s+(?P<old>[\w:' -]{4,40}?)\W*$",
    re.IGNORECASE)
# What a ruled-out part names when it is an owner or a day's position, never a step's words.
_NOT_STEP_WORDS = re.compile(r"^(?:(?:the\s+)?(?:me|i|myself|front\s+desk|reception|supervisor"
                             r"|sup|client|her|him|them|us|you|next|this|last|that|it)"
                             r"|(?:this|next|last)\s+\w+)$", re.IGNORECASE)


def _words_replaced(plan: ParsedPlan, said: str) -> Optional[List[ParsedStep]]:
    """The steps with the words a change rules out replaced by the words it gives, when they
    stand in exactly one step ("make it thursday evenings not tuesday mornings" on "Move him
    to tuesday mornings"); None otherwise."""
    m = _REPLACED_WORDS.match(said)
    if m is None or _NOT_STEP_WORDS.match(m["old"].strip()):
        return None
    old, new = m["old"].strip(), m["new"].strip()
    at = [i for i, step in enumerate(plan.steps)
          if re.search(rf"\b{re.escape(old)}\b", step.text, re.IGNORECASE)]
    if len(at) != 1 or _NOT_STEP_WORDS.match(new):
        return None
    if re.search(r"\b(?:step|should|say)\b", new, re.IGNORECASE):
        return None
    steps = list(plan.steps)
    step = steps[at[0]]
    after = re.search(rf"\b{re.escape(old)}\b(?P<next>\s+\S+)?", step.text, re.IGNORECASE)
    if after and after["next"] and new.lower().endswith(after["next"].strip().lower()):
        # "wed 10am, not tues" in "Move him to tues 10am telehealth": the time is there once
        new = new[: -len(after["next"].strip())].strip()
    text = re.sub(rf"\b{re.escape(old)}\b", new, step.text, count=1, flags=re.IGNORECASE)
    steps[at[0]] = replace(step, text=text[:1].upper() + text[1:])
    return steps


def follow_up_said(text: str, today: date) -> Optional[date]:
    """The follow-up a correction gives ("f/u the 30th", "review in 2 wks", "4/6"), if it
    gives one."""
    said = _expand_shorthand(text or "")
    kept = without_ruled_out(said)
    if not (_FOLLOW_UP_WORDS.search(kept) or _only_a_date(said)):
        return None
    duration = _MAKE_IT.match(kept) or _SPAN.search(kept)
    if duration:
        return shift(today, to_number(duration["n"].lower()), duration["unit"].lower())
    dates = find_dates(kept, today)
    return dates[0].day if dates else None


def _reowned(plan: ParsedPlan, said: str, kept: str, front_desk_names: Iterable[str],
             supervisor_names: Iterable[str]) -> List[ParsedStep]:
    """The steps with the one the words name given to the owner they name ("front desk does
    the reminders, not me", "no, supervisor not me"); as they were when either is missing."""
    steps = list(plan.steps)
    staff = [("front_desk", a) for n in front_desk_names for a in _aliases(n)] + [
        ("supervisor", a) for n in supervisor_names for a in _aliases(n)]
    owner = next((o for o, alias in staff
                  if re.search(rf"\b{re.escape(alias)}\b", kept, re.IGNORECASE)), None)
    owner = owner or next((o for o, pattern in _OWNER_WORDS if pattern.search(kept)), None)
    meant = _step_meant(plan, kept, guess=False)
    if meant is None:  # "no, supervisor not me": the one step of the owner ruled out
        meant = _step_of_owner_ruled_out(steps, said)
    if meant is None:
        meant = _step_meant(plan, kept)
    if owner and meant is not None:
        step = steps[meant]
        steps[meant] = ParsedStep(step.text, owner, step.kind, step.channel, step.due)
    return steps


# An owner ruled out: "not me", "rather than front desk", "instead of the client".
_OWNER_RULED_OUT = re.compile(r"\b(?:not|rather\s+than|instead\s+of)\s+(?:the\s+)?(?P<who>me|i|myself"
                              r"|front\s+desk|reception|supervisor|client|her|him|them)\b",
                              re.IGNORECASE)
_RULED_OUT_OWNER = {"me": "therapist", "i": "therapist", "myself": "therapist",
                    "reception": "front_desk", "supervisor": "supervisor", "client": "client",
                    "her": "client", "him": "client", "them": "client"}


def _step_of_owner_ruled_out(steps: Sequence[ParsedStep], said: str) -> Optional[int]:
    """The step meant by the owner a change rules out ("no, supervisor not me"), when that
    owner has exactly one step; None otherwise."""
    ruled = _OWNER_RULED_OUT.search(said)
    if ruled is None:
        return None
    who = re.sub(r"\s+", " ", ruled["who"].lower())
    owner = "front_desk" if who == "front desk" else _RULED_OUT_OWNER.get(who)
    theirs = [i for i, step in enumerate(steps) if step.owner == owner]
    return theirs[0] if len(theirs) == 1 else None


_WEEKDAY_WORD = re.compile(rf"\b(?:{alternation(WEEKDAYS)})s?\b", re.IGNORECASE)
# What a change of day rules out: "this friday not next", "wednesday, not thursday".
_RULED_OUT = re.compile(r"\b(?:not|rather\s+than|instead\s+of)\s+(?:on\s+|the\s+)?"
                        r"(?P<what>(?:next|this|last)(?:\s+\w+)?|[\w/]+)", re.IGNORECASE)


def _ruled_out_day(said: str, today: date) -> Optional[date]:
    """The day a change of day rules out ("this friday not next": next Friday), if it says one."""
    m = _RULED_OUT.search(said)
    if m is None:
        return None
    what = m["what"]
    if what.lower() in ("next", "this"):
        weekday = _WEEKDAY_WORD.search(said)
        if weekday is None:
            return None
        what = f"{what} {weekday.group(0)}"
    found = find_dates(what, today)
    return found[0].day if found else None


def _step_for_a_day(plan: ParsedPlan, said: str, kept: str, today: date) -> Optional[int]:
    """Which step a change of day is about: the one due on the day it rules out, else the one
    its words name (a weekday shared with a recurring slot, "fridays at 4", names none)."""
    ruled_out = _ruled_out_day(said, today)
    dated = [i for i, step in enumerate(plan.steps) if ruled_out and step.due == ruled_out]
    if len(dated) == 1:
        return dated[0]
    return _step_meant(plan, _WEEKDAY_WORD.sub(" ", kept))


_MAKE_IT_LATER = re.compile(rf"\b(?:make\s+it|change\s+it\s+to|should\s+be(?:\s+in)?)\s+"
                            rf"(?P<n>{NUM})\s+(?P<unit>{UNIT})\b", re.IGNORECASE)
# A step's channel changed: "actually I text her instead of calling", "the call should be a
# text", "make the call an email", "the reminders are by email".
_CHANNEL_VERB = r"(?:call|phone|ring|text|sms|e-?mail)"
_CHANNEL_SWAP = re.compile(
    rf"\b(?P<new>{_CHANNEL_VERB})\w*\b.*?\b(?:instead\s+of|rather\s+than|not)\s+(?:a\s+|an\s+|the\s+)?"
    rf"(?P<old>{_CHANNEL_VERB})\w*"
    rf"|\b(?:the\s+|my\s+)?(?P<old2>{_CHANNEL_VERB})\w*\s+(?:should\s+be|is|becomes|->)\s+(?:an?\s+)?"
    rf"(?P<new2>{_CHANNEL_VERB})\b"
    rf"|\bmake\s+(?:the|my)\s+(?P<old3>{_CHANNEL_VERB})\w*\s+(?:an?\s+)(?P<new3>{_CHANNEL_VERB})\b"
    rf"|\b(?P<what>[a-z]{{4,}})\s+(?:are|is|should\s+be|go)\s+(?:by|via|over)\s+(?P<new4>{_CHANNEL_VERB})\b",
    re.IGNORECASE)
_CHANNEL_STEMS = {"call", "phon", "ring", "text", "txt", "sms", "emai", "e-ma", "mail", "by",
                  "her", "him", "them", "the", "not"}
_VERB_CHANNEL = {"call": "phone", "phon": "phone", "ring": "phone", "text": "sms", "sms": "sms",
                 "emai": "email", "e-ma": "email"}
_CHANNEL_WORD = {"phone": "call", "sms": "text", "email": "email"}


def _later_by_place(plan: ParsedPlan, said: str, today: date
                    ) -> Optional[Tuple[ParsedPlan, bool]]:
    """"the last one is wrong, make it 4 weeks", "step 2 should be in 10 days": the day of
    the step named by its place, and the follow-up with it when that step set it."""
    later = _MAKE_IT_LATER.search(said)
    if not later or not (re.search(r"\b(?:step|#)\s*\d\b", said, re.I)
                         or _ORDINAL_STEP.search(said)):
        return None
    meant = _step_meant(plan, said)
    if meant is None:
        return None
    steps = list(plan.steps)
    due = shift(today, to_number(later["n"].lower()), later["unit"].lower())
    follow_up = due if steps[meant].due and steps[meant].due == plan.follow_up_on else (
        plan.follow_up_on)
    steps[meant] = replace(steps[meant], due=due)
    return _amended(plan, steps, follow_up)


def _channel_of_word(word: str) -> str:
    return _VERB_CHANNEL[word.lower()[:4] if word.lower()[:3] != "sms" else "sms"]


def _step_channel(step: ParsedStep) -> Optional[str]:
    """The channel of the first contact verb in a step's words ("Texts her reminders": sms)."""
    verb = re.search(rf"\b{_CHANNEL_VERB}", step.text, re.I)
    return _channel_of_word(verb.group(0)) if verb else None


def _channel_swapped(plan: ParsedPlan, said: str) -> Optional[List[ParsedStep]]:
    """The steps with one step's channel changed as said, or None when the words change no
    channel. The step is the one using the old channel, or the one the words name."""
    m = _CHANNEL_SWAP.search(said)
    if m is None:
        return None
    new = _channel_of_word(m["new"] or m["new2"] or m["new3"] or m["new4"])
    old_word = m["old"] or m["old2"] or m["old3"]
    if old_word is not None:
        old = _channel_of_word(old_word)
        if old == new:
            return None
        candidates = [i for i, step in enumerate(plan.steps) if _step_channel(step) == old]
    else:
        candidates = [i for i, step in enumerate(plan.steps)
                      if m["what"][:4].lower() in step.text.lower()]
    if len(candidates) > 1:
        # "she confirms by email not txt": of the steps by text, the one the words name
        said_stems = _stems(said)
        candidates = [i for i in candidates
                      if (_stems(plan.steps[i].text) & said_stems) - _CHANNEL_STEMS]
    if len(candidates) != 1:
        return None
    steps = list(plan.steps)
    step = steps[candidates[0]]
    verb = re.search(rf"\b{_CHANNEL_VERB}(?P<s>s|es)?\b", step.text, re.I)
    if verb is None:
        return None
    word = _CHANNEL_WORD[new] + ("s" if verb["s"] else "")
    if verb.group(0)[0].isupper():
        word = word.capitalize()
    text = step.text[:verb.start()] + word + step.text[verb.end():]
    if text == step.text:
        return None
    steps[candidates[0]] = replace(step, text=text, channel=new if step.channel else step.channel)
    return steps


def _drop_or_add(plan: ParsedPlan, said: str, today: date, front_desk_names: Iterable[str],
                 supervisor_names: Iterable[str]) -> Optional[Tuple[ParsedPlan, bool]]:
    """A step dropped ("drop the letter", "remove step 2") or added ("also front desk sends
    her a reminder"); None when the words do neither."""
    steps = list(plan.steps)
    drop = _DROP_STEP.search(said)
    if drop and steps:
        dropped = (int(drop["n"]) - 1 if drop["n"] else _ORDINALS[drop["ord"].lower()]
                   if drop["ord"] else _step_named(steps, drop["what"]))
        if dropped is not None and -len(steps) <= dropped < len(steps):
            del steps[dropped]
            return _amended(plan, steps, plan.follow_up_on)
    told = _added_words(said)
    # "she'll email front desk if the video doesn't work": a step of its own, said with
    # whoever does it, that no step of the plan already is
    alone = told is None and _SUBJECT_FIRST.match(said) and not _OWNER_CHANGE.search(said)
    if told is None and not alone:
        return None
    more = parse_plan(told if told is not None else said, today, front_desk_names=front_desk_names,
                      supervisor_names=supervisor_names)
    if not more.steps or alone and (
            len(more.steps) != 1 or any(_same_step(more.steps[0], s) for s in steps)):
        return None
    follow_up = (more.follow_up_on if more.follow_up_on and _FOLLOW_UP_WORDS.search(said)
                 else plan.follow_up_on)
    return _amended(plan, steps + list(more.steps), follow_up)


# Words that give a step another owner rather than say a new one: "front desk does the
# reminders", "I'll do the rebooking call myself, not front desk", "the supervisor takes it".
_OWNER_CHANGE = re.compile(r"\b(?:do(?:es)?|doing|handles?|takes?|owns?|is\s+on|'s\s+on|instead"
                           r"|not\s+(?:me|i|front|the|reception|supervisor|her|him|them|us|you))\b",
                           re.IGNORECASE)


def _same_step(new: ParsedStep, old: ParsedStep) -> bool:
    """Is a step said again the same step (same owner, same first word), a change of it?"""
    first = [re.findall(r"[a-z]+", s.text.lower())[:1] for s in (new, old)]
    return new.owner == old.owner and bool(first[0]) and first[0][0][:4] == (first[1] or [""])[0][:4]


# A step added with "too" at its end, led by whoever does it: "he should fill in the intake
# forms too", "front desk texts her as well".
_ADDED_AT_END = re.compile(r"[\s,]+(?:too|as\s+well)\W*$", re.IGNORECASE)
_SUBJECT_FIRST = re.compile(r"^\W*(?:(?:oh|ok(?:ay)?|and)[\s,]+)*(?:(?:she|he|they|i|we)(?:'ll)?"
                            r"|the\s+client|front\s+desk|reception|(?:the\s+|my\s+)?supervisor)"
                            r"\s+[a-z']+", re.IGNORECASE)


def _amended(plan: ParsedPlan, steps: List[ParsedStep], follow_up: Optional[date]
             ) -> Tuple[ParsedPlan, bool]:
    amended = ParsedPlan(tuple(steps), follow_up, _plan_owner(steps))
    return amended, amended != plan


def _step_named(steps: Sequence[ParsedStep], word: str) -> Optional[int]:
    """The one step a word names ("drop the letter", "drop the supervisor"), or None."""
    owner = {"supervisor": "supervisor", "reception": "front_desk", "desk": "front_desk",
             "front": "front_desk", "client": "client"}.get(word.lower())
    if owner is not None:
        owned = [i for i, step in enumerate(steps) if step.owner == owner]
        if len(owned) == 1:
            return owned[0]
    stem = word.lower()[:4]
    named = [i for i, step in enumerate(steps)
             if any(w.lower().startswith(stem) for w in re.findall(r"[\w'-]+", step.text))]
    return named[0] if len(named) == 1 else None


# "also front desk sends her a reminder", "plus I'll email her", "add: she books online".
_ADD_STEP = re.compile(r"^\s*(?:(?:oh|ok(?:ay)?|um|wait|yeah|sorry|and)[\s,.!-]+)*"
                       # "ok back to the plan - add a step for me: call her thursday"
                       r"(?:back\s+to\s+the\s+plan\s*[-:,.–—]*\s*)?(?:\+|(?:also|plus)"
                       r"(?:[\s,]+add(?:\s+(?:a\s+)?step)?\s*:?)?"
                       r"|add\s+(?:a\s+|another\s+|one\s+more\s+)?step\s+for(?=\s+me\b)"
                       r"|add(?:\s+(?:a\s+)?step)?\s*:?"
                       r"|one\s+more(?:\s+step)?\s*:?"
                       # "you missed the sup step - sup reviews it in 2 wks", "you left out: ..."
                       r"|(?:you\s+)?(?:missed|forgot|left\s+out|dropped)\s+(?:(?:the|a|one)\s+)?(?:[\w/-]+\s+)?"
                       r"(?:step|bit|part|one)\s*(?:[:\-–—,]|\s+(?=(?:she|he|they|i|we|front\s+desk"
                       r"|reception|the\s+client|supervisor)\b))"
                       r"|(?:you\s+)?(?:missed|forgot|left\s+out)(?:\s+(?:one|something))?\s*[:\-–—]"
                       # "and he confirms by email": a step with its own owner, joined on
                       r"|and(?=\s+(?:(?:she|he|they)(?!\s+(?:said|says|told|was|is|has|had|hates|likes|loves"
                       r"|prefers|wants|feels|thinks|doesn'?t|can'?t|isn'?t|wasn'?t|seemed|seems"
                       r"|felt|hated|liked)\b)|i'll|i(?!\s+(?:think|guess|mean|suppose|feel|hope|said|told"
                       r"|was|am|have|had|did|don'?t|didn'?t|know)\b)|we|front\s+desk|reception"
                       r"|the\s+client|(?:(?:the|my)\s+)?supervisor)\s+[a-z']+))[\s,:-]+",
                       re.IGNORECASE)


def lone_intention(text: str, plan: ParsedPlan) -> bool:
    """"I'll call her tomorrow": the therapist's own contact, said in passing, not a plan
    agreed with or for the client. It is not put in the record as a plan unless they say so
    ("plan: ...", a review date, another owner, "we ...")."""
    return (len(plan.steps) == 1 and plan.steps[0].owner == "therapist"
            and plan.steps[0].kind not in _ARRANGEMENT_KINDS
            and bool(_INTENTION.match(text or "")) and not _PLAN_CUE.search(text or ""))


# A change to the therapy itself ("I'll move her to fortnightly sessions", "I'll refer him to
# the IOP", "I'll waive the fee") is a plan however it is said, not a contact in passing.
_ARRANGEMENT_KINDS = ("frequency", "modality", "schedule", "fees", "referral")


_INTENTION = re.compile(r"^\W*(?:(?:ok(?:ay)?|so|fine|right|then)[\s,]+)*(?:i'?ll|i\s+will"
                        r"|i'?m\s+(?:going\s+to|gonna)|i\s+am\s+going\s+to|gonna|going\s+to"
                        r"|i\s+(?:might|may|should|could)|will)\b", re.IGNORECASE)
_PLAN_CUE = re.compile(r"\b(?:plan|agreed?|we|we'?ll|let'?s|review|follow[\s-]*up|check[\s-]*back"
                       r"|going\s+forward|from\s+now\s+on)\b", re.IGNORECASE)


# Clauses that tell, rather than plan: something that already happened ("talked to her"), how
# the client feels or what they say ("she hates video"), an aside ("... lol"). No step.
_NOT_A_STEP = re.compile(
    r"^(?:(?:she|he|they|the client|client|pt)\s+(?:hates|likes|loves|prefers|wants|feels|thinks"
    r"|says|said|told|doesn'?t|can'?t|cant|isn'?t|wasn'?t|was|is|has been|had|struggles"
    r"|hated|liked|felt|seemed|seems|forgets|forgot"
    # "she keeps forgetting" tells; "he keeps the fri 8am slot" is a step
    r"|keeps(?!\s+(?:the|his|her|their|same|this|that|a)\b)|kept|missed|misses|started|lost"
    r"|moved|works|worked|lives|dreads|avoids|hasn'?t|won'?t|wont|couldn'?t|didn'?t|dont"
    r"|asked|requested|mentioned"
    r"|has(?!\s+to\b)|needs(?!\s+to\b))\b"
    # "drop the supervisor one, we don't need it": why, not a step
    r"|^(?:(?:we|i)\s+)?(?:don'?t|do\s+not|won'?t|no\s+longer)\s+need\b"
    # how things have been: "she's missed 3 of every 4", "he'd lost track", "her daughter
    # can't drive her in", "the intake still hasn't happened", "the late cancel was about ..."
    r"|^(?:she|he|they)(?:'s|'d|'ve)\s+(?:missed|said|been|had|lost|got|gotten|told|started"
    r"|stopped|forgotten|struggled|mentioned|always|never|not)\b"
    r"|^(?:her|his|their)\s+(?:\w+\s+){1,2}?(?:can'?t|cannot|won'?t|doesn'?t|isn'?t|wasn'?t"
    r"|hasn'?t|didn'?t|is|was|has|had|got|started|changed|works|moved)\b(?!\s+(?:to|going)\b)"
    r"|^the\s+(?:[\w-]+\s+){1,3}?(?:still\s+)?(?:was|were|hasn'?t|haven'?t|isn'?t|wasn'?t"
    r"|weren'?t|didn'?t|doesn'?t|aren'?t|won'?t|don'?t|can'?t|never|kept|keeps|clash(?:es|ed)?|is\s+(?:the|a|really|just|out"
    r"|too)|are\s+(?:the|out|too))\b"
    # the barrier named: "the commute's the problem", "transport is the issue"
    r"|.*\b(?:is|'s|are|was|were)\s+(?:the|a|her|his|their|our)\s+(?:\w+\s+)?(?:problem|prob"
    r"|issue|barrier|reason|hurdle|obstacle|sticking\s+point)s?\b"
    r"|(?:talked|spoke|said|told|met|saw|had|was|were|did|called|texted|emailed|left|tried)\b"
    r"(?!.*\b(?:tomorrow|tmrw|next|monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    r"|again|by)\b))"
    r"|\b(?:lol|haha|lmao)\b"
    rf"|^{_WHO_IS}"
    # what the front desk or the supervisor already did: "front desk moved her to tuesday"
    r"|^(?:the\s+)?(?:front\s+desk|reception(?:ist)?|(?:my\s+)?supervisor)\s+(?:already\s+)?"
    r"(?:[a-z]+ed|said|sent|told|was|were|had|made|put|gave|took|got|did|spoke|met|saw|left"
    r"|rang)\b"
    # what the therapist can't do is no step: "I can't do fridays"
    r"|^(?:can'?t|cannot|won'?t|couldn'?t)\b",
    re.IGNORECASE)


def client_as_subject(text: str, names: Iterable[str]) -> str:
    """The client named as a clause's subject becomes "the client", so that "kat texts me if
    she can't come" and "plan: mateo alvarez books online" are the client's steps: names are
    not built in (see parse_plan). The client's name alone before the plan ("aisha rahman. ok
    so the plan is ...") is no step and is left out. A surname is never taken for the verb
    ("ellen brooks plan: ..." is a heading, not "ellen" who "brooks")."""
    wholes = {" ".join(n.lower().split()) for n in names if n and n.strip()}
    wholes |= {without_accents(n) for n in wholes}  # "chloe dubois" for Chloé Dubois
    parts = {w for n in wholes for w in re.findall(r"[^\W\d_][^\W\d_'-]{2,}", n)}
    options = sorted(wholes | parts, key=len, reverse=True)
    if not options:
        return text
    alternation = "|".join(re.escape(o) for o in options)
    # "ok so for sofia rossi - ...", "plan caleb whitaker\n1. ...", "for kat morales: ..."
    text = re.sub(rf"^\W*(?:(?:ok(?:ay)?|so|right|and|alright)[\s,]+)*(?:(?:new\s+)?plan\s+)?"
                  rf"(?:(?:for\s+)?(?:[^\W\d_]\.?\s+)?(?:{alternation})(?:\s+(?:{alternation}))*"
                  rf"(?:\s+plan)?(?:\s*[.:,;!>–—-]+\s+|\s*\n\s*)"
                  # "for sam greene the intake still hasn't happened": "for" and the name
                  rf"|for\s+(?:{alternation})(?:\s+(?:{alternation}))*\s+)(?=\S)", "",
                  text, count=1, flags=re.IGNORECASE)
    not_a_verb = "|".join(re.escape(p) for p in sorted(parts, key=len, reverse=True))
    return re.sub(rf"(?:(?<=^)|(?<=[,.;:!?-]\s)|(?<=\band\s)|(?<=\bthen\s))(?:{alternation})"
                  rf"(?='ll\b|\s+(?!(?:{not_a_verb})\b)(?:will|can|should|to|[a-z]+s)\b)",
                  "the client", text, flags=re.IGNORECASE)


def adds_steps(text: str) -> bool:
    """Does the message add to a plan already read back ("also front desk sends...", "sup
    reviews in 3 weeks too")?"""
    return _added_words(_expand_shorthand(text or "")) is not None


def _added_words(said: str) -> Optional[str]:
    """The words of the steps a message adds to a plan read back: after "also", "+" or "and
    he ...", or before a closing "too" when whoever does it leads ("he should fill in the
    forms too"); None when it adds none so."""
    added = _ADD_STEP.match(said)
    if added:
        return said[added.end():]
    too = _ADDED_AT_END.search(said)
    if too and _SUBJECT_FIRST.match(said):
        return said[:too.start()]
    return None


_SPAN = re.compile(rf"\b(?P<n>{NUM})\s+(?P<unit>{UNIT})\b", re.IGNORECASE)


# Where a plan message may be cut to leave out what is no step: a sentence, a clause.
_CLAUSE_END = re.compile(r"(?<=[.;!?])\s+|,\s+|\s+-\s+|\n+")


def without_risk(text: str, raises: Callable[[str], bool]) -> str:
    """The plan's words without the sentences and clauses that raise a risk concern ("I call
    her thursday, her sister says she's been talking about ending it"): those go to the
    safety step, never into a step of the record. `raises` is the safety module's test."""
    if not raises(text):
        return text
    kept: List[str] = []
    start = 0
    for cut in [*_CLAUSE_END.finditer(text), None]:
        end = cut.start() if cut else len(text)
        piece = text[start:end]
        if piece.strip() and not raises(piece):
            kept.append(piece.strip(" ,;-"))
        if cut:
            start = cut.end()
    return ", ".join(p for p in kept if p)


# A message that changes a plan read back, in words the intent classifier may take for
# something else ("drop the reminders, he hates them" is no barrier; "make the goals step
# shared" no lookup).
_EDITS_PLAN = re.compile(
    r"^\W*(?:(?:oh|ok(?:ay)?|so|and|also|actually|wait|sorry|no|hmm|right)[\s,.!-]+)*"
    r"(?:drop|remove|delete|scrap|scratch|strike|nix|skip|ditch|bin|take\s+out|get\s+rid\s+of|cut"
    r"|make\s+(?:the|that|step|it|my|her|his)|change\s+(?:the|that|step|it|my)"
    r"|move\s+(?:the|that|step|my)|swap|step\s+\d|the\s+(?:first|second|third|fourth|last)"
    r"\s+(?:step|one))\b"
    # the follow-up said alone: "review in 3 weeks", "f/u 4/6", "check back in 2 wks"
    rf"|^\W*(?:(?:oh|ok(?:ay)?|so|and|also|actually|wait|sorry|no|hmm|right|please|pls)[\s,.!-]+)*"
    # "please set the follow-up for April 7"
    rf"(?:(?:set|make|put|change|move)\s+the\s+(?=follow|f/u|review))?"
    rf"(?:(?:let'?s\s+)?(?:review|follow\s*-?\s*up|f/u|check\s+back|reassess|revisit)(?:\s+(?:it|that"
    rf"|the\s+plan))?\s+(?:(?:in|on|by|after|for|to|as)\s+)?(?:the\s+)?\S+(?:\s+(?:{UNIT}|\d{{1,2}}(?:st|nd|rd|th)?))?"
    rf"\s*(?:pls|please|thanks)?\W*$)",
    re.IGNORECASE)


def edits_plan(text: str) -> bool:
    """Does the message change a plan read back ("drop the reminders", "make the goals step
    shared", "step 2 is mine"), or give its follow-up alone ("3 wks", "4/6")? Whether it
    changes anything is amend_plan's to say."""
    return (bool(_EDITS_PLAN.match(text or "")) or _only_a_date(text or "")
            or bool(_OWNER_SWAP.search(_expand_shorthand(text or ""))))


# A step given to someone else in so many words: "no, supervisor not me", "front desk, not me".
_OWNER_SWAP = re.compile(
    r"(?:^|[,;:-]\s*)\W*(?:(?:oh|ok(?:ay)?|actually|wait|sorry|no|nope|nah|hmm)[\s,.!-]+)*"
    # "nah make that the front desk, not me", "give it to the supervisor, not me"
    r"(?:(?:make|give)\s+(?:that|it|this)(?:\s+to)?\s+|change\s+(?:that|it|this)\s+to\s+)?(?:the\s+)?"
    r"(?:front\s+desk|reception|supervisor|me|myself|i\s+do|(?:the\s+)?client|she\s+does"
    r"|he\s+does|they\s+do|both\s+of\s+us|we\s+both)"
    # "supervisor does the thurs call, not me"
    r"(?:\s+(?:does|do|takes|handles|will\s+do|'ll\s+do)\s+(?:it|that|the\s+[^,.;]{1,40}?))?"
    r"[\s,.-]*(?:not|rather\s+than|instead\s+of)\s+(?:the\s+)?(?:me|i|front\s+desk|reception"
    r"|supervisor|client|her|him|them|us)\W*$", re.IGNORECASE)


def _only_a_date(text: str) -> bool:
    """Is the message a date or a span of time and nothing else ("3 wks", "4/6", "in 10
    days pls")?"""
    # "let's say 4/8", "how about the 30th": a date, offered
    words = re.sub(r"^\W*(?:let'?s\s+say|say|how\s+about|maybe|make\s+it|um+|ok(?:ay)?)[\s,]+", "",
                   _expand_shorthand(text).strip(" .!,"), flags=re.IGNORECASE)
    return (len(words.split()) <= 4 and not re.search(r"\b(?:called|texted|emailed|rang|left"
                                                      r"|tried|no|not|yes)\b", words, re.I)
            and follow_up_date(words, date.today()) is not None)
