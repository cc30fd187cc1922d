"""Typing slips in the words a record is read from: "txted her wednsday no repsonse".

Only the words that decide what is written (the days of the week, how a contact was made and
how it went) are mended, and only a slip one edit away (a letter missing, extra, wrong, or two
letters swapped), or two away in a long word. Real words stay as typed, whatever they are
near: "mailed" is not "emailed", "letters" is not "letter". A few shorthands that are no
slip of the keys ("cald", "answr") are listed as they are.
"""
from __future__ import annotations

import re
from typing import Dict, Iterator, Optional

# The words a slip is mended to.
KEY_WORDS = (
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "yesterday", "tomorrow", "morning", "afternoon", "evening", "tonight",
    "called", "phoned", "texted", "emailed", "voicemail", "message", "letter",
    "answer", "answered", "response", "responded", "reply", "replied", "nothing",
    "picked", "reached", "spoke", "anything", "heard", "ringing",
)
# Shorthands and slips further than the rule reaches, as therapists type them.
SHORTHANDS: Dict[str, str] = {
    "cald": "called", "calld": "called", "answr": "answer", "ansr": "answer",
    "txtd": "texted", "emaild": "emailed", "emald": "emailed", "msgd": "messaged",
    "wensday": "wednesday", "wendsday": "wednesday", "thrusday": "thursday",
    "tmrw": "tomorrow", "tmr": "tomorrow", "2moro": "tomorrow", "yday": "yesterday",
    "nothin": "nothing", "remindrs": "reminders", "remindr": "reminder", "lft": "left", "respnse": "response", "answerd": "answered",
}
# Real words one edit from a key word (two for long ones; checked against an English word
# list): never "mended".
REAL_WORDS = frozenset("""
mailed caller callers calls calling phones phoner texter texts texting emails emailing letters
lettered better setter answers answering responses respond responds replies replying replay
monday mondays tuesdays wednesdays thursdays fridays saturdays sundays mornings evenings even
evenly opening openings message messages messaged massage nothing nothings noting notion picked packed picket
pickled kicked ticked licked reached preached breached roached spoke spike spoken smoke stoke
sporke heard hears hear heart hoard herd beard board reply really rely ready ripply heady
heated headed rated dated tanned phased chased hated anything everything something plaything
evening eventing ringing singing bringing wringing winging ranging tonight tonights toning
breathed calmed clinging clothing detached detailed drenched drinking grinding grinning latter
lester litter moaning mounting mourning noticing panicked preacher printing reacher reaches reacted
realised realized recalled reigning relied remained repaired repay replaced reprised repulsed
responsive searched soothing stinging swinging tested tingling walled wicked wrenched sundae
fellow fallow hollow
""".split())

_WORD = re.compile(r"[A-Za-z]+")


def _edits(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (swaps count once), or limit + 1 when beyond it."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: Optional[list] = None
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if (previous2 is not None and i > 1 and j > 1 and a[i - 1] == b[j - 2]
                    and a[i - 2] == b[j - 1]):
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


# The words a plan is read from, beside the key words: what is offered, who reviews, when.
PLAN_WORDS = KEY_WORDS + (
    "offer", "offers", "review", "reviews", "remind", "reminds", "reminder", "reminders",
    "session", "sessions", "supervisor", "reception", "telehealth", "video", "confirm",
    "confirms", "schedule", "reschedule", "mornings", "afternoons", "evenings", "follow",
)


def _mended(word: str, key_words: tuple = KEY_WORDS, most: int = 2) -> Optional[str]:
    low = word.lower()
    if low in SHORTHANDS:
        return SHORTHANDS[low]
    if len(low) < 5 or low in REAL_WORDS or low in key_words:
        return None
    limit = min(most, 2 if len(low) >= 8 else 1)
    distances = {k: _edits(low, k, limit) for k in key_words}
    best = min(distances.values())
    # The one key word nearest ("responce" is one slip from "response", two from "responded").
    close = [k for k, d in distances.items() if d == best]
    if best > limit or len(close) != 1:
        return None
    key = close[0]
    # A longer or shorter form of a key word ("letters", "called's") is a form, not a slip.
    if low.startswith(key) or key.startswith(low):
        return None
    return key


def mend_typos(text: str, key_words: tuple = KEY_WORDS, most: int = 2) -> str:
    """The text with slips in its key words mended; everything else exactly as typed. `most`:
    the most edits a slip may be from its word (2 only in long words)."""
    return _WORD.sub(lambda m: _mended(m.group(), key_words, most) or m.group(), text or "")


def mended_words(text: str) -> Iterator[str]:
    """The slips mend_typos would mend (for tests and review)."""
    for m in _WORD.finditer(text or ""):
        fixed = _mended(m.group())
        if fixed:
            yield f"{m.group()}->{fixed}"
