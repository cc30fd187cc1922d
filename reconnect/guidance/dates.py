"""Dates as therapists type them, resolved against the clinic's `today`.

Pure and stdlib only: no clock (every date is relative to `today`).

Date rules (parse_date, and dates inside a plan; all relative to `today`):

* "today", "tonight" -> today; "tomorrow"/"tmrw" -> today + 1; "day after tomorrow" -> + 2.
* "Friday", "on fri", "this Friday", "coming Friday" -> the next Friday strictly after today
  (today itself is excluded: on a Friday, "Friday" means a week later).
* "next Friday" -> the Friday of next week, weeks running Monday to Sunday. On Monday 16 Mar
  2026 that is Fri 27 Mar (while "Friday" is Fri 20 Mar). On a weekend "next Friday" and
  "Friday" are the same day. "Friday next week"/"next week Friday" mean the same.
* "next week" -> Monday of next week; "next month" -> the 1st of next month;
  "end of the week" -> Friday of this week (of next week on Saturday/Sunday);
  "end of next week" -> Friday of next week; "end of the month"/"month end" -> last day of
  this month; "end of next month" -> last day of next month; "the weekend" -> Saturday of
  this week (today on a Sunday); "next weekend" -> Saturday of next week.
* "in 10 days", "in 2 weeks", "in two weeks' time", "two weeks from now", "in a fortnight",
  "within a week" -> today plus that many days/weeks. "in a month"/"in 2 months" -> the same
  day of the month that many months on, clamped to the month's last day (31 Jan -> 28 Feb).
  A bare "2 weeks" is not a date ("for 2 weeks" is a duration), except straight after a review
  word ("f/u 2 wks").
* "3/20", "3/20/2026", "3/20/26" are month/day (US order); "2026-03-20" is ISO.
  "March 20", "Mar 20th", "20 March", "the 20th of March", optionally with a year.
  A month/day with no year that is already past rolls to next year (today is not past);
  with a year it is kept as written, past or not.
* "on the 27th" / "by the 27th" / "the 27th" -> the next 27th on or after today.
* Weekday abbreviations: mon, tue(s), wed(s), thu(r)(s), fri, sat, sun. "sat", "sun" and "wed"
  are English words too, so in running text they count only after on/by/this/next/etc.
* Anything else -> None. parse_date wants the whole phrase to be a date: a leading
  "on"/"by"/"before"/"until" is fine, other words are not ("call her friday" -> None).
"""
from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from typing import Callable, Iterable, List, NamedTuple, Optional, Pattern, Tuple

_WEEKDAYS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tues": 1, "tue": 1, "wednesday": 2, "weds": 2,
    "wed": 2, "thursday": 3, "thurs": 3, "thur": 3, "thu": 3, "friday": 4, "fri": 4,
    "saturday": 5, "sat": 5, "sunday": 6, "sun": 6,
}
# The weekday each word names (Monday 0), for other modules.
WEEKDAYS = _WEEKDAYS
# Abbreviations that are also ordinary words ("she sat in", "the sun", "newly wed").
_AMBIGUOUS_WEEKDAYS = {"sat", "sun", "wed"}
_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}
_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "couple": 2, "a couple": 2, "couple of": 2, "a couple of": 2,
}
# Words that may stand before a date without changing it ("on Friday", "by the 27th").
DATE_PREPOSITIONS = ("on", "by", "before", "until", "till", "for", "from", "at", "due")
# Words before a weekday that make it recurring ("every Friday"), so not a due date.
_RECURRING = ("every", "each", "other", "alternate", "alternating")
# ... or any one of them ("if a friday doesn't work", "any monday"): no day in particular.
_ANY_ONE = ("a", "any", "some")


def alternation(words: Iterable[str]) -> str:
    # Longest first, so "thurs" wins over "thu" and "march" over "mar".
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


_WD = alternation(_WEEKDAYS)
_MON = alternation(_MONTHS)
NUM = (r"(?:\d{1,3}|a\s+couple(?:\s+of)?|couple(?:\s+of)?|an?|one|two|three|four|five|six"
        r"|seven|eight|nine|ten|eleven|twelve)")
UNIT = r"(?:days?|weeks?|wks?|months?|mos|mths?|fortnights?)"
_ORDINAL = r"(?:st|nd|rd|th)"


class Mention(NamedTuple):
    start: int
    end: int
    day: date


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _add_months(day: date, months: int) -> date:
    year, month0 = divmod(day.month - 1 + months, 12)
    year += day.year
    last = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(day.day, last))


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def to_number(word: str) -> Optional[int]:
    word = " ".join(word.split())
    return int(word) if word.isdigit() else _NUMBERS.get(word)


def shift(today: date, count: Optional[int], unit: str) -> Optional[date]:
    if count is None:
        return None
    if unit.startswith("d"):
        return today + timedelta(days=count)
    if unit.startswith("f"):
        return today + timedelta(days=14 * count)
    if unit.startswith("w"):
        return today + timedelta(weeks=count)
    return _add_months(today, count)


def _safe_date(year: int, month: int, day: int) -> Optional[date]:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month_day(today: date, month: int, day: int, year: Optional[int]) -> Optional[date]:
    """A month/day; with no year, the next one on or after today (so past dates roll over)."""
    if year is not None:
        return _safe_date(year, month, day)
    for candidate_year in range(today.year, today.year + 9):  # 9 years reaches any 29 Feb
        candidate = _safe_date(candidate_year, month, day)
        if candidate is not None and candidate >= today:
            return candidate
    return None


def _day_of_month(today: date, day: int) -> Optional[date]:
    """The next `day`-th on or after today, skipping months too short for it."""
    first = today.replace(day=1)
    for ahead in range(13):
        month = _add_months(first, ahead)
        candidate = _safe_date(month.year, month.month, day)
        if candidate is not None and candidate >= today:
            return candidate
    return None


def _year(text: Optional[str]) -> Optional[int]:
    if not text:
        return None
    return int(text) + (2000 if len(text) == 2 else 0)


def _preceded_by(text: str, start: int, words: Iterable[str]) -> bool:
    match = re.search(r"(\w+)\W*$", text[:start])
    return match is not None and match.group(1) in words


def _weekday(m: re.Match, today: date, text: str) -> Optional[date]:
    word, modifier = m["wd"], " ".join((m["mod"] or "").split())
    if _preceded_by(text, m.start(), _RECURRING + _ANY_ONE):
        return None
    whole = m.start() == 0 and m.end() == len(text.rstrip(" .,!?"))
    at_clause_end = bool(re.match(r"\s*(?:$|[,.;!?]|and\b|but\b|then\b)", text[m.end():]))
    if (word in _AMBIGUOUS_WEEKDAYS and not modifier and not whole
            and not _preceded_by(text, m.start(), DATE_PREPOSITIONS + _BEFORE_A_DAY)
            and not _ACT_ON_SOMEONE.search(text[:m.start()])
            and not (at_clause_end and not _preceded_by(
                text, m.start(), ("i", "she", "he", "they", "we", "you", "it", "who")))):
        return None  # "she sat in the car", "newly wed"; but "check in by text wed" is a day
    target = _WEEKDAYS[word]
    if modifier == "next" or m["nextweek"]:
        return _monday(today) + timedelta(days=7 + target)
    return today + timedelta(days=(target - today.weekday()) % 7 or 7)


def _weekend(today: date, next_week: bool) -> date:
    if next_week:
        return _monday(today) + timedelta(days=12)
    # Saturday of this week; on a Sunday the weekend is today.
    return today if today.weekday() == 6 else _monday(today) + timedelta(days=5)


def _fixed(phrase: str, today: date) -> Optional[date]:
    phrase = " ".join(phrase.split()).replace("the ", "")
    if phrase in ("today", "tonight"):
        return today
    if phrase in ("tomorrow", "tmrw", "tmr"):
        return today + timedelta(days=1)
    if phrase == "day after tomorrow":
        return today + timedelta(days=2)
    if phrase in ("next week", "beginning of next week", "start of next week"):
        return _monday(today) + timedelta(days=7)
    if phrase in ("next month", "beginning of next month", "start of next month"):
        return _add_months(today.replace(day=1), 1)
    if phrase in ("end of week", "end of this week", "eow"):
        friday = _monday(today) + timedelta(days=4)
        return friday if today <= friday else friday + timedelta(days=7)
    if phrase == "end of next week":
        return _monday(today) + timedelta(days=11)
    if phrase in ("end of month", "end of this month", "month end", "eom"):
        return _month_end(today)
    if phrase == "end of next month":
        return _month_end(_add_months(today.replace(day=1), 1))
    if phrase in ("weekend", "this weekend"):
        return _weekend(today, next_week=False)
    if phrase == "next weekend":
        return _weekend(today, next_week=True)
    return None


def _weekday_of_month(today: date, weekday: str, number: int) -> Optional[date]:
    """The next `number`th of a month that falls on `weekday` ("thursday 10th"), or None when
    none does within a year."""
    day = _day_of_month(today, number)
    while day is not None and day.weekday() != _WEEKDAYS[weekday.lower()]:
        day = _day_of_month(day + timedelta(days=1), number)
        if day is not None and day > today + timedelta(days=366):
            return None
    return day


_DateResolver = Callable[[re.Match, date, str], Optional[date]]
_DATE_PATTERNS: List[Tuple[Pattern[str], _DateResolver]] = [
    (re.compile(r"\b(?:(?:the\s+)?day\s+after\s+tomorrow|today|tonight|tomorrow|tmrw|tmr"
                r"|(?:beginning|start)\s+of\s+next\s+(?:week|month)|next\s+(?:week|month)"
                r"|(?:the\s+)?end\s+of\s+(?:the\s+|this\s+|next\s+)?(?:week|month)"
                r"|month\s+end|eom|eow|(?:this\s+|next\s+|the\s+)?weekend)\b(?!')"),
     lambda m, today, text: _fixed(m.group(0), today)),
    (re.compile(rf"\b(?:in|within)\s+(?P<n>{NUM})\s+(?P<unit>{UNIT})\b"
                r"(?:'?s?'?\s+time\b|\s+from\s+(?:now|today)\b)?"),
     lambda m, today, text: shift(today, to_number(m["n"]), m["unit"])),
    (re.compile(rf"\b(?P<n>{NUM})\s+(?P<unit>{UNIT})\s+from\s+(?:now|today)\b"),
     lambda m, today, text: shift(today, to_number(m["n"]), m["unit"])),
    # "fri 27th", "thursday the 19th": the day of the month that falls on that weekday
    (re.compile(rf"\b(?P<wd>{_WD})\s+(?:the\s+)?(?P<n>\d{{1,2}}){_ORDINAL}\b"),
     lambda m, today, text: _weekday_of_month(today, m["wd"], int(m["n"]))),
    (re.compile(rf"\b(?:(?P<mod>this\s+coming|this|next|coming)\s+)?(?P<wd>{_WD})\b(?!')"
                rf"(?P<nextweek>\s+(?:of\s+)?next\s+week\b)?"),
     _weekday),
    (re.compile(rf"\bnext\s+week\s+(?:on\s+)?(?P<wd>{_WD})\b(?!')"),
     lambda m, today, text: _monday(today) + timedelta(days=7 + _WEEKDAYS[m["wd"]])),
    (re.compile(r"(?<![\d/-])(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?![\d/-])"),
     lambda m, today, text: _safe_date(int(m["y"]), int(m["m"]), int(m["d"]))),
    # Month/day in US order. A first number above 12 is not read as day/month: "24/7" is not
    # a date, and guessing the order would be worse than asking.
    (re.compile(r"(?<![\d/$.])(?P<m>\d{1,2})/(?P<d>\d{1,2})(?:/(?P<y>\d{4}|\d{2}))?(?![\d/])"),
     lambda m, today, text: _month_day(today, int(m["m"]), int(m["d"]), _year(m["y"]))),
    (re.compile(rf"\b(?P<mon>{_MON})\b\.?\s+(?P<d>\d{{1,2}}){_ORDINAL}?\b"
                r"(?:,?\s+(?P<y>\d{4})\b)?"),
     lambda m, today, text: _month_day(today, _MONTHS[m["mon"]], int(m["d"]), _year(m["y"]))),
    (re.compile(rf"\b(?:the\s+)?(?P<d>\d{{1,2}}){_ORDINAL}?\s+(?:of\s+)?(?P<mon>{_MON})\b\.?"
                r"(?:,?\s+(?P<y>\d{4})\b)?"),
     lambda m, today, text: _month_day(today, _MONTHS[m["mon"]], int(m["d"]), _year(m["y"]))),
    # A day of the month alone needs "on/by/... the" or an ordinal at the end of the clause,
    # so "after the 3rd session" is not read as a date.
    (re.compile(rf"\b(?:on|by|before|until|till|for)\s+the\s+(?P<d>\d{{1,2}}){_ORDINAL}?\b"
                rf"(?!\s+(?:of\s+)?(?:{_MON})\b)"
                rf"|\bthe\s+(?P<d2>\d{{1,2}}){_ORDINAL}\b(?=\s*(?:$|[,.;!?)]|and\b|then\b))"),
     lambda m, today, text: _day_of_month(today, int(m["d"] or m["d2"]))),
]


def normalize_quotes(text: str) -> str:
    return text.replace("’", "'").replace("‘", "'")


def without_ruled_out(text: str) -> str:
    """Drop what a correction rules out, so only what it puts in place is read:
    "wednesday not thursday" -> "wednesday", "an email, not a text" -> "an email"."""
    return re.sub(r"\b(?:not|isn'?t|wasn'?t|rather\s+than|instead\s+of)\s+"
                  r"(?:on\s+|the\s+|an?\s+|me\b)?[\w/'-]*", " ", text, flags=re.IGNORECASE)


def find_dates(text: str, today: date) -> List[Mention]:
    """Every date mentioned in `text`, in order, as non-overlapping spans of `text`."""
    low = normalize_quotes(text).lower()
    found: List[Mention] = []
    for pattern, resolve in _DATE_PATTERNS:
        for m in pattern.finditer(low):
            day = resolve(m, today, low)
            if day is not None:
                found.append(Mention(m.start(), m.end(), day))
    # Where spans overlap, the earliest wins and then the longest ("two weeks from today"
    # rather than "today").
    found.sort(key=lambda mention: (mention.start, mention.start - mention.end))
    chosen: List[Mention] = []
    for mention in found:
        if not chosen or mention.start >= chosen[-1].end:
            chosen.append(mention)
    # A weekday said with the date it falls on ("thu 2 apr", "fri 3 april"): one date, the
    # one the day and month give.
    joined: List[Mention] = []
    for mention in chosen:
        if (joined and _WEEKDAY_ONLY.fullmatch(low[joined[-1].start:joined[-1].end])
                and re.fullmatch(r"\s{1,2}", low[joined[-1].end:mention.start])):
            joined[-1] = Mention(joined[-1].start, mention.end, mention.day)
        else:
            joined.append(mention)
    return joined


_WEEKDAY_ONLY = re.compile(rf"(?:on\s+)?(?:{_WD})")


_BARE_DAY_OF_MONTH = re.compile(rf"(?:the\s+)?(\d{{1,2}}){_ORDINAL}")
_DATE_FILLER = set(DATE_PREPOSITIONS) | {"the", "of", "around", "about", "approx"}


def parse_date(phrase: str, today: date) -> Optional[date]:
    """The date `phrase` names, relative to `today`, or None if it is not (only) a date.

    See the module docstring for the rules; in short: weekdays mean the next one after today,
    "next <weekday>" the one in next week (Mon-Sun), month/day forms roll past dates to next
    year, and anything that is not a date gives None.
    """
    text = " ".join(normalize_quotes(phrase or "").lower().split()).strip(" .,!?")
    if not text:
        return None
    mentions = find_dates(text, today)
    if len(mentions) != 1:
        bare = _BARE_DAY_OF_MONTH.fullmatch(text)
        return _day_of_month(today, int(bare.group(1))) if bare and not mentions else None
    mention = mentions[0]
    leftover = re.findall(r"[a-z0-9']+", text[:mention.start] + " " + text[mention.end:])
    return mention.day if all(word in _DATE_FILLER for word in leftover) else None


# --- dates of what already happened -----------------------------------------------------------

class PastDate(NamedTuple):
    """The day a report names, looking back from today.

    `day` is None when the words name no day (then the report is about today) or when they
    name one too vaguely to record ("last week", "the other day"): `vague` says which.
    """

    day: Optional[date]
    vague: bool = False


_PAST_TODAY = re.compile(r"\b(?:today|this\s+(?:morning|afternoon|evening)|earlier\s+today"
                         r"|tonight|just\s+now|an?\s+hour\s+ago|this\s+am|this\s+pm)\b")
_PAST_YESTERDAY = re.compile(r"\b(?:yesterday|yday|yest|last\s+night)\b")
_PAST_TWO_DAYS = re.compile(r"\b(?:the\s+)?day\s+before\s+yesterday\b")
_PAST_DAYS_AGO = re.compile(rf"\b(?P<n>{NUM})\s+(?P<unit>days?|weeks?|wks?)\s+ago\b")
_PAST_WEEKDAY = re.compile(rf"\b(?:(?P<mod>last|on|this\s+past|past)\s+)?(?P<wd>{_WD})\b(?!')")
_PAST_VAGUE = re.compile(r"\b(?:last\s+week|a\s+few\s+days\s+ago|the\s+other\s+day|recently"
                         r"|a\s+while\s+(?:ago|back)|over\s+the\s+weekend|at\s+the\s+weekend"
                         r"|earlier\s+this\s+week|last\s+month|some\s+time\s+ago)\b")
_PAST_MONTH_DAY = re.compile(r"(?<![\d/$.])(?P<m>\d{1,2})/(?P<d>\d{1,2})(?:/(?P<y>\d{4}|\d{2}))?"
                             r"(?![\d/])")
_PAST_NAMED_MONTH = re.compile(rf"\b(?P<mon>{_MON})\b\.?\s+(?P<d>\d{{1,2}}){_ORDINAL}?\b"
                               rf"|\b(?P<d2>\d{{1,2}}){_ORDINAL}?\s+(?:of\s+)?(?P<mon2>{_MON})\b")
# "the 12th", "on the 3rd"; not "the 2nd one" or "the 2nd call" (which of several).
_WHICH_ONE = r"(?!\s+(?:one|call|text|e-?mail|attempt|message|letter|vm|voicemail|step)s?\b)"
_PAST_ORDINAL = re.compile(rf"\b(?:on\s+)?the\s+(?P<d>\d{{1,2}}){_ORDINAL}\b{_WHICH_ONE}|\bon\s+the\s+"
                           rf"(?P<d2>\d{{1,2}})\b")


# Words after which "sat", "sun" or "wed" in a plan is a day: "call her wed", "we meet wed".
_BEFORE_A_DAY = ("her", "him", "them", "meet", "call", "text", "email", "see", "ring", "again")
# A contact verb and whom it is for, just before "sat", "sun" or "wed": "email caleb whitaker
# wed", "called her mum sat". Someone is contacted on that day; nobody is "wed" to anyone.
_ACT_ON_SOMEONE = re.compile(r"\b(?:call|phone|ring|text|e-?mail|message|see|meet|called|phoned"
                             r"|rang|texted|e-?mailed|messaged|saw|met)\s+(?:[^\W\d_][\w'.-]*"
                             r"\s+){1,2}$", re.IGNORECASE)
# Words after which "sat", "sun" or "wed" in a report is a day: "called her wed", "texted sat".
_AFTER_AN_ACT = ("her", "him", "them", "it", "again", "back", "called", "texted", "emailed",
                 "rang", "phoned", "mailed", "sent", "vm", "voicemail", "lvm", "msg")


_CLAUSE_END = re.compile(r"\s*(?:$|[,.;!?]|and\b|but\b|too\b|as\s+well\b)")
# A day said in a correction: "the call was sat actually", "it was wed not thurs"; never "she
# was sat in the car".
_CORRECTED_DAY_END = re.compile(r"\s*(?:$|[,.;!?]|actually\b|instead\b|not\b|i\s+think\b"
                                r"|sorry\b)")
# How a contact went, right after the day: "called maya singh sat no answer".
_HOW_IT_WENT = re.compile(r"\s+(?:no\s+(?:answer|ans|reply|response|pick\s*up)|lvm\b"
                          r"|left\s+(?:a\s+)?(?:vm|voice\s*mail|message|msg)\b)")
# A weekday that is what the contact was about, not its day: "to check in about wednesday".
_ABOUT = ("about", "regarding", "re")
_SUBJECTS = ("i", "she", "he", "they", "we", "you", "it", "who")


def _on_or_before(today: date, month: int, day: int, year: Optional[int]) -> Optional[date]:
    """A month/day already past (or today): this year's, else last year's."""
    if year is not None:
        return _safe_date(year, month, day)
    this_year = _safe_date(today.year, month, day)
    if this_year is not None and this_year <= today:
        return this_year
    return _safe_date(today.year - 1, month, day)


def _ordinal_before(today: date, day: int) -> Optional[date]:
    """"the 12th": this month's when it is not past today, else last month's."""
    this_month = _safe_date(today.year, today.month, day)
    if this_month is not None and this_month <= today:
        return this_month
    last = _add_months(today.replace(day=1), -1)
    return _safe_date(last.year, last.month, day)


def past_date(text: str, today: date) -> PastDate:
    """The day a report of something done names: "called her tuesday" is the last Tuesday
    before today, "yesterday" is yesterday, "3/12" and "the 12th" the last such day on or
    before today. With no day named, PastDate(None); with one too vague, vague=True."""
    low = normalize_quotes(text).lower()
    if _PAST_TWO_DAYS.search(low):
        return PastDate(today - timedelta(days=2))
    if _PAST_YESTERDAY.search(low):
        return PastDate(today - timedelta(days=1))
    m = _PAST_DAYS_AGO.search(low)
    if m and to_number(m["n"]) is not None:
        count = to_number(m["n"]) or 0
        return PastDate(today - timedelta(days=count * (1 if m["unit"].startswith("d") else 7)))
    m = _PAST_MONTH_DAY.search(low)
    if m and int(m["m"]) <= 12:
        return PastDate(_on_or_before(today, int(m["m"]), int(m["d"]), _year(m["y"])))
    m = _PAST_NAMED_MONTH.search(low)
    if m:
        month = _MONTHS[m["mon"] or m["mon2"]]
        return PastDate(_on_or_before(today, month, int(m["d"] or m["d2"]), None))
    m = _PAST_ORDINAL.search(low)
    if m:
        return PastDate(_ordinal_before(today, int(m["d"] or m["d2"])))
    for m in _PAST_WEEKDAY.finditer(low):
        word = m["wd"]
        if _preceded_by(low, m.start(), _ABOUT):
            continue  # "emailed her this morning to check in about wednesday": the topic
        if (word in _AMBIGUOUS_WEEKDAYS and not m["mod"]
                and not _preceded_by(low, m.start(), DATE_PREPOSITIONS + _AFTER_AN_ACT)
                # "texted maya chen sat about rescheduling": the day of a contact with someone
                and not _ACT_ON_SOMEONE.search(low[:m.start()])
                and not ((_CLAUSE_END.match(low[m.end():]) or _HOW_IT_WENT.match(low[m.end():]))
                         and not _preceded_by(low, m.start(), _SUBJECTS))
                and not (_preceded_by(low, m.start(), ("was", "were"))
                         and _CORRECTED_DAY_END.match(low[m.end():]))):
            continue  # "she sat in the car" is no Saturday; "called her sat" is
        back = (today.weekday() - _WEEKDAYS[word]) % 7 or 7
        return PastDate(today - timedelta(days=back))
    if _PAST_TODAY.search(low):
        return PastDate(today)
    if _PAST_VAGUE.search(low):
        return PastDate(None, vague=True)
    return PastDate(None)


_AFTER = re.compile(rf"^\s*(?:(?:no|ok|okay|actually|so)[,\s]+)*(?:make\s+it|let'?s\s+say|say"
                    rf"|in|after|within)?\s*(?P<n>{NUM})\s+(?P<unit>{UNIT})"
                    r"(?:\s+(?:from\s+(?:now|today)|time|then|later))?\s*[.!]?$", re.IGNORECASE)


# Words after a date that do not change it: "in 10 days like i said", "2 wks pls".
_AFTERWORDS = re.compile(r"[\s,.!-]+(?:like|as)\s+i\s+(?:said|say)(?:\s+before)?[\s.!]*$"
                         r"|[\s,.!-]+(?:pls|please|thanks|thx|ta|then)[\s.!]*$", re.IGNORECASE)
# A weekday with its day of the month: "thursday 10th", "thu the 10th".
_WEEKDAY_AND_DAY = re.compile(rf"^\s*(?:on\s+)?(?P<wd>{_WD})\s+(?:the\s+)?(?P<n>\d{{1,2}})"
                              r"(?:st|nd|rd|th)?\s*$", re.IGNORECASE)


def follow_up_date(phrase: str, today: date) -> Optional[date]:
    """A follow-up date as therapists give one: any date parse_date reads, or a bare span of
    time from today ("1 week", "make it 2 weeks", "in 10 days"), with words after it that do
    not change it ("like i said"), or a weekday with its day of the month ("thursday 10th":
    the next 10th that is a Thursday, or None when none is within a year)."""
    phrase = _AFTERWORDS.sub("", normalize_quotes(phrase or ""))
    when = parse_date(phrase, today)
    if when is not None:
        return when
    both = _WEEKDAY_AND_DAY.match(phrase)
    if both:
        return _weekday_of_month(today, both["wd"], int(both["n"]))
    m = _AFTER.match(phrase.lower())
    return shift(today, to_number(m["n"]), m["unit"]) if m else None
