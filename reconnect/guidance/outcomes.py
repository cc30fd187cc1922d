"""Read how an earlier plan or an outreach attempt went from the therapist's own words."""
from __future__ import annotations

import re
from typing import Optional, Tuple

_DID_NOT_WORK = re.compile(
    r"\b(did ?n[o']?t work|didnt work|not work(ing|ed)|no change|no luck|still (no[- ]?show|"
    r"missing|not coming|absent)|hasn'?t (come|shown|been)|no improvement|failed|nothing "
    r"changed|made no difference|no[- ]?showed again|still nothing|worse)\b", re.I)
_PARTLY = re.compile(r"\b(partly|partially|sort of|kind of|somewhat|a bit|mixed|came once|"
                     r"once or twice|some improvement|better but|hit and miss|on and off)\b",
                     re.I)
_WORKED = re.compile(r"\b(worked|works|helped|helps|came back|come back|back on track|"
                     r"attend(ed|ing) (again|every|all)|kept (it|every|all|the)|"
                     r"showed up|shown up|success|great|much better|improved)\b", re.I)

_CHANNELS = (
    ("voicemail", re.compile(r"\b(voice ?mail|vm|left (a )?message|left msg)\b", re.I)),
    ("sms", re.compile(r"\b(text(ed)?|sms|txt)\b", re.I)),
    ("email", re.compile(r"\b(e-?mail(ed)?)\b", re.I)),
    ("letter", re.compile(r"\b(letter|post(ed)?|mailed)\b", re.I)),
    ("phone", re.compile(r"\b(call(ed)?|phone(d)?|rang|ring)\b", re.I)),
)
_REACHED = re.compile(r"\b(reached|spoke|talked|got (hold of|through)|answered|picked up|"
                      r"replied|wrote back|texted back|called back|responded)\b", re.I)
_NO_ANSWER = re.compile(r"\b(no answer|didn'?t answer|did not answer|no reply|no response|"
                        r"nothing back|not answering|went to voicemail|unanswered|ignored|"
                        r"didn'?t pick up|no call back)\b", re.I)


def outcome_of(text: str) -> Optional[str]:
    """'worked', 'partly', 'did_not_work', or None when the words do not say."""
    if _PARTLY.search(text):
        return "partly"
    if _DID_NOT_WORK.search(text):
        return "did_not_work"
    if _WORKED.search(text):
        return "worked"
    return None


def outreach_of(text: str) -> Tuple[Optional[str], str]:
    """(channel, outcome) of a reported contact attempt.

    The channel is None when the words do not name one. The outcome is 'reached',
    'no_answer', 'left_message' (voicemail) or 'sent' (a text, e-mail or letter).
    """
    channel = next((name for name, pattern in _CHANNELS if pattern.search(text)), None)
    if _NO_ANSWER.search(text) and not _REACHED.search(text.replace("no answer", "")):
        outcome = "left_message" if channel == "voicemail" else "no_answer"
    elif _REACHED.search(text):
        outcome = "reached"
    elif channel == "voicemail":
        outcome = "left_message"
    elif channel in ("sms", "email", "letter"):
        outcome = "sent"
    else:
        outcome = "no_answer"
    return channel, outcome
