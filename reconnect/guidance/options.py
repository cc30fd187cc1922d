"""From the barriers a therapist names to options, ranked and made specific from the record.

The domain brief (steps 4 and 5): explore the barriers, then match each to options using the
client's own record: the slots the client has kept, how each modality went, the payer's rule
on missed-session fees and the balance owed, the consents on file, and what was tried before.

`detect_barriers` maps the therapist's own words to barrier keys (history.BARRIERS).
`options_for` gives the options per barrier, in a suggested order (the brief ranks none); `render_options` writes them with
the plans and outreach tried before. Decision support: the choice is the clinician's, made
with the client.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Tuple

from reconnect.guidance.attendance import (
    MODALITY_NAMES,
    AppointmentLike,
    AttendanceSummary,
    by_modality,
    time_of_day,
)
from reconnect.guidance.client import ClientLike
from reconnect.guidance.evidence import (
    LEAD_TIME_DAYS,
    LEAD_TIME_ODDS,
    LEE,
    MEDICAID_NO_FEE,
    NASW_ENDING,
    OLDHAM,
    PHONE_FINDING,
    REMINDER_STUDIES,
    SWIFT,
    TELEHEALTH_FINDING,
    TELEHEALTH_STUDY,
)
from reconnect.guidance.history import BARRIER_NAMES, BARRIERS, OutreachRecord, PlanRecord
from reconnect.guidance.opening import addressed_as, open_questions
from reconnect.guidance.safety import contact_channels, has_risk_history
from reconnect.guidance.summary_text import PAYER_NAMES
from reconnect.guidance.wording import day, moment, money, plural

# --- barriers from the therapist's words ---------------------------------------------------

_AFFORD = r"(?:can'?t|cannot|can not|could ?n'?t|unable to|struggl\w+ to) afford"
_KEYWORDS: Dict[str, Tuple[str, ...]] = {
    "financial": (
        _AFFORD, r"afford\w*", r"no money", r"money", r"co-?pays?", r"deductibles?",
        r"(?:lost|losing|lose|loses) (?:his |her |their |my |the )?job", r"unemployed",
        r"out of work", r"laid off", r"financ\w*", r"expensive", r"costs?", r"bills",
        r"(?:pay|paying) for (?:it|the sessions|sessions|therapy)", r"insurance (?:ran out|lapsed"
        r"|changed|ended|dropped)", r"broke",
    ),
    "work_shifts": (
        r"(?:night |day |double |late |early )?shifts?", r"work(?:s|ing)? doubles",
        r"work(?:ing)? (?:schedule|hours|rota"
        r"|roster)", r"overtime", r"new job", r"(?:time|get) off work", r"at work", r"boss",
        r"(?<!off )(?<!from )(?<!kids' )(?<!kids )school(?! run| pick| drop| holiday)",
        r"class(?:es)?", r"exams?", r"semester", r"college", r"university",
        r"coursework",
    ),
    "scheduling": (
        r"(?<!work )(?<!working )(?<!school )schedul\w*",
        r"(?:time|times|slot|day) (?:doesn'?t|does not|don'?t|do not|no longer) work",
        r"busy", r"too early", r"too late", r"(?:scheduling )?conflicts?", r"clash\w*",
        r"timing", r"double[- ]booked",
    ),
    "transport": (
        r"no car", r"(?:doesn'?t|does not|don'?t) (?:have a car|drive)", r"without a car",
        r"car (?:broke|died|is in the shop|was repossessed)", r"bus(?:es)?", r"rides?",
        r"transport\w*", r"train", r"parking", r"commute", r"too far",
        r"lost (?:his|her|their) (?:driver'?s )?licen[cs]e",
        r"(?:hard|difficult) to get (?:here|in|to (?:the )?(?:clinic|office))",
    ),
    "caregiving": (
        r"kids?", r"child(?:ren)?", r"child ?care", r"baby ?sit\w*", r"daycare", r"nanny",
        r"newborn", r"baby", r"caregiv\w*", r"carer", r"respite",
        r"school (?:run|pick-?ups?|drop-?offs?|holidays?)", r"(?:off|from) school",
        r"(?:caring|cares|care|looking|looks|look) (?:for|after) (?:his|her|their|my|an?)? ?"
        r"(?:\w+ )?(?:mother|father|mom|mum|dad|parents?|wife|husband|partner|son|daughter"
        r"|grandmother|grandfather|grandma|grandpa|grandkids|grandchildren|sister|brother"
        r"|relative|family)",
    ),
    "physical_health": (
        r"sick", r"ill", r"illness\w*", r"pain", r"chronic (?:illness|pain|condition)",
        r"surgery", r"hospital\w*", r"flu", r"covid", r"migraines?", r"injur(?:y|ed|ies)",
        r"chemo\w*", r"cancer", r"mobility", r"wheelchair", r"pregnan\w*", r"medical",
        r"doctor'?s? appointments?", r"fatigue",
    ),
    "forgetting": (
        r"forg[eo]t\w*", r"slip(?:ped|s)? (?:his |her |their |my )?mind",
        r"(?:doesn'?t|didn'?t|does not|did not) remember", r"mixed up the (?:date|time|day)s?",
        r"wrong (?:day|time|date)", r"reminders?",
    ),
    "discomfort": (
        r"(?:doesn'?t|does not|didn'?t|don'?t) (?:like|want|enjoy) (?:therapy|coming|the sessions"
        r"|sessions|talking|it here|me)", r"(?:hates?|dislikes?) (?:therapy|coming|the sessions"
        r"|sessions|me)", r"uncomfortable", r"discomfort", r"not helping",
        r"(?:isn'?t|is not|wasn'?t|aren'?t|are not) help(?:ing|ful)",
        r"(?:don'?t|doesn'?t|didn'?t|do not|does not) click", r"(?:too )?(?:hard|difficult"
        r"|painful) to talk about", r"awkward", r"embarrass\w*", r"ashamed", r"shame",
        r"pointless", r"(?:doesn'?t|does not) see the point", r"no point",
        r"not (?:a )?(?:good )?(?:fit|match)", r"(?:angry|upset|annoyed) (?:at|with) me",
        r"rupture", r"(?:therapy|it|sessions) (?:isn'?t|is not|aren'?t|are not) working",
        r"not getting (?:anything|much) out of",
    ),
    "personal": (
        r"going through a lot", r"a lot going on", r"a lot on (?:his|her|their|my) plate",
        r"divorc\w*", r"separat(?:ion|ed|ing)", r"break-?up", r"broke up",
        r"family (?:stuff|issues|problems|things|matters|situation|emergency|crisis)",
        r"grie(?:f|ving|ves)", r"bereave\w*", r"died", r"passed away", r"funeral",
        r"stress(?:ed|ful)? at home", r"home life", r"housing", r"evict\w*", r"homeless\w*",
        r"mov(?:ed|ing) (?:house|out|home)", r"relationship (?:problems|issues|trouble)",
        r"legal (?:problems|issues|trouble)", r"court", r"personal (?:stuff|issues|reasons"
        r"|problems|matters)", r"domestic (?:violence|abuse)",
    ),
    "not_known": (
        r"(?:don'?t|do not|doesn'?t|does not) know", r"no idea", r"not sure why", r"unsure",
        r"not known", r"unknown", r"no clue", r"unclear", r"no (?:reason|explanation)",
        r"(?:hasn'?t|didn'?t|won'?t|wouldn'?t) (?:say|said|tell|told|explain\w*)(?: me)? why",
    ),
}
_BARRIER_PATTERNS = {key: re.compile(r"\b(?:" + "|".join(words) + r")\b", re.IGNORECASE)
                     for key, words in _KEYWORDS.items()}
# A keyword in a negated clause ("it's not the money", "money isn't the issue") does not count.
# "No" is not among them: "no car", "no babysitter" state the barrier.
_NEGATION_BEFORE = re.compile(r"\b(?:not|never|isn'?t|wasn'?t|aren'?t|nothing to do with)\b",
                              re.IGNORECASE)
_NEGATION_AFTER = re.compile(r"^\s*(?:(?:'s|’s|is|was|are|were)\s+)?(?:not|never|no longer"
                             r"|fine|ok|okay)\b|^\s*(?:isn'?t|wasn'?t|aren'?t|weren'?t)\b",
                             re.IGNORECASE)
_CLAUSE_END = re.compile(r"[.,;:!?()\n]|\b(?:but|and|so|because)\b", re.IGNORECASE)


def _negated(text: str, start: int, end: int) -> bool:
    before = text[max(0, start - 40):start]
    clause = _CLAUSE_END.split(before)[-1]
    words = clause.split()[-4:]
    if _NEGATION_BEFORE.search(" ".join(words)):
        return True
    return bool(_NEGATION_AFTER.match(text[end:end + 30]))


def detect_barriers(text: str) -> List[str]:
    """The barriers (history.BARRIERS keys) the therapist's words speak of, in BARRIERS order.

    "Not known" counts only when no other barrier is found: "I don't know how to raise it,
    he's lost his job" names a financial barrier, not an unknown one.
    """
    text = text or ""
    found: List[str] = []
    for key in BARRIERS:
        pattern = _BARRIER_PATTERNS[key]
        if any(not _negated(text, m.start(), m.end()) for m in pattern.finditer(text)):
            found.append(key)
    if len(found) > 1 and "not_known" in found:
        found.remove("not_known")
    return found


# --- options --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Option:
    text: str
    source: Optional[str] = None

    def render(self) -> str:
        return f"{self.text} ({self.source})" if self.source else self.text


@dataclass(frozen=True)
class BarrierOptions:
    barrier: str
    options: Tuple[Option, ...]     # suggested order; a group given above is named, not repeated

    @property
    def name(self) -> str:
        return BARRIER_NAMES.get(self.barrier, self.barrier)


# Ranked option groups per barrier (the brief's step 5); the first fits the barrier best.
GROUPS: Dict[str, Tuple[str, ...]] = {
    "scheduling": ("timing", "modality", "frequency"),
    "work_shifts": ("timing", "frequency", "modality"),
    "transport": ("modality", "support", "timing"),
    "caregiving": ("modality", "timing", "support"),
    "physical_health": ("modality", "frequency"),
    "financial": ("money",),
    "discomfort": ("discomfort",),
    "forgetting": ("reminders",),
    "personal": ("risk", "support", "frequency"),
    "not_known": ("questions",),
}
GROUP_NAMES = {"timing": "timing", "modality": "telehealth or phone",
               "frequency": "frequency", "money": "money", "discomfort": "the therapy itself",
               "reminders": "reminders", "support": "additional support", "risk": "risk",
               "questions": "open questions"}

# Missed-session fees by payer (domain brief, "Rules that bind the advice").
PAYER_FEE_RULES: Dict[str, Option] = {
    "medicaid": Option("Medicaid: a missed-session fee may not be charged to the client",
                       MEDICAID_NO_FEE),
    "medicare": Option("Medicare: a missed-session fee only if the same policy applies to "
                       "every patient, and it is never billed to Medicare"),
    "commercial": Option("Commercial insurance: a missed-session fee depends on the plan's "
                         "contract; a missed session is never billed to insurance"),
    "self_pay": Option("Self-pay: missed-session fees follow the policy the client signed"),
}


def slot_phrase(weekday: str, hhmm: str, kept: Optional[int] = None) -> str:
    """("Thursday", "17:00", 23) -> "Thursdays 17:00 (kept 23 times)"."""
    text = f"{weekday}s {hhmm}"
    if kept is not None:
        text += f" (kept {plural(kept, 'time')})"
    return text


def modality_record(appointments: Sequence[AppointmentLike]) -> str:
    """"in person: kept 25, missed 0; telehealth: kept 7, missed 18; phone: not tried"."""
    stats = by_modality(appointments)
    parts = []
    for key, name in MODALITY_NAMES.items():
        if key in stats:
            kept, missed = stats[key]
            parts.append(f"{name}: kept {kept}, missed {missed}")
        else:
            parts.append(f"{name}: not tried")
    parts += [f"{m}: kept {k}, missed {n}" for m, (k, n) in stats.items()
              if m not in MODALITY_NAMES]
    return "; ".join(parts)


def in_miss_cluster(summary: AttendanceSummary, weekday: str, hhmm: str) -> bool:
    """Does a slot fall on the weekday or time of day where the client's misses cluster, or
    is it the slot of the current run of no-shows?"""
    if (weekday, hhmm) in summary.run_slots:  # the current run of misses is in it
        return True
    hour, minute = (int(x) for x in hhmm.split(":"))
    part = time_of_day(datetime(2000, 1, 1, hour, minute))
    return any((p.dimension == "weekday" and p.group == weekday)
               or (p.dimension == "time of day" and p.group == part)
               for p in summary.patterns)


_DAY_WORDS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_PART_WORDS = "morning|afternoon|evening"
_WHEN = rf"(?:(?P<{{0}}d>{_DAY_WORDS})s?\s+)?(?P<{{0}}p>{_PART_WORDS}|{_DAY_WORDS})s?"
# "tuesdays don't work", "mornings are out", "she can't do thursday evenings", "no more
# mondays", "she works fridays now": days and times the therapist says no longer fit.
_UNAVAILABLE = re.compile(
    r"\b(?:" + _WHEN.format("a") + r"(?:\s+(?:for\s+(?:her|him|them)\s+)?(?:are|is)\s+(?:(?:now|still|just)\s+)?(?:out|bad"
    r"|impossible|no\s+good|a\s+no|off|(?:a|an)\s+(?:problem|prob|issue|struggle|nightmare)"
    r"|(?:a\s+)?problem|tricky|hard|difficult|tough|not\s+(?:possible|an\s+option|ok|okay)"
    r"|no\s+longer\s+(?:possible|an\s+option|ok|okay))\b|\s+(?:(?:for\s+(?:her|him|them)\s+)?(?:don'?t|doesn'?t"
    r"|do\s+not|does\s+not|won'?t|wont|never)\s+work))"
    r"|(?:can'?t|cant|cannot|can\s+not|couldn'?t|unable\s+to)\s+(?:do|make|come|manage|attend)"
    r"(?:\s+(?:it|on|in\s+the))*\s+" + _WHEN.format("b")
    + r"|\bno\s+(?:more\s+)?" + _WHEN.format("c") + r"\b"
    r"|\b(?:works|working|work\s+shifts?)\s+(?:on\s+)?" + _WHEN.format("e") + r"\b)",
    re.IGNORECASE)


@dataclass(frozen=True)
class Unavailable:
    """A day, a time of day, or both, that the therapist said no longer fits."""

    weekday: Optional[str] = None      # "Tuesday"
    part: Optional[str] = None         # "morning"

    def covers(self, weekday: str, hhmm: str) -> bool:
        hour, minute = (int(x) for x in hhmm.split(":"))
        return ((self.weekday is None or self.weekday == weekday)
                and (self.part is None or self.part == time_of_day(datetime(2000, 1, 1, hour,
                                                                             minute))))

    def describe(self) -> str:
        if self.weekday and self.part:
            return f"{self.weekday} {self.part}s"
        return f"{self.weekday or self.part}s"


def unavailable_times(texts: Iterable[str]) -> List[Unavailable]:
    """What the therapist said no longer fits the client, from their messages, in order."""
    found: List[Unavailable] = []
    for text in texts:
        for m in _UNAVAILABLE.finditer(text or ""):
            key = next(k for k in "abce" if m.group(f"{k}p"))
            day_word, word = m.group(f"{key}d"), m.group(f"{key}p").lower()
            weekday = (day_word or (word if word not in _PART_WORDS.split("|") else "")) or None
            part = word if word in _PART_WORDS.split("|") else None
            item = Unavailable(weekday.capitalize() if weekday else None, part)
            if item not in found:
                found.append(item)
    return found


def without_unavailable(summary: AttendanceSummary, unavailable: Sequence[Unavailable]
                        ) -> AttendanceSummary:
    """The summary with the kept slots the therapist ruled out left out, so that options and
    drafts never offer them (the record itself is unchanged)."""
    if not unavailable:
        return summary
    return replace(summary, attended_slots=tuple(
        s for s in summary.attended_slots if not any(u.covers(s[0], s[1]) for u in unavailable)))


def split_slots(summary: AttendanceSummary) -> Tuple[list, list]:
    """The kept slots outside the miss clusters, and those inside them, most kept first."""
    good = [s for s in summary.attended_slots if not in_miss_cluster(summary, s[0], s[1])]
    clustered = [s for s in summary.attended_slots if in_miss_cluster(summary, s[0], s[1])]
    return good, clustered


def _timing(client, summary: AttendanceSummary) -> List[Option]:
    name = addressed_as(client)
    options: List[Option] = []
    good, clustered = split_slots(summary)
    if summary.attended_slots:
        kept = ", ".join(slot_phrase(d, t, n) for d, t, n in good)
        if clustered:
            also = ", ".join(slot_phrase(d, t, n) for d, t, n in clustered)
            kept = (f"{kept}; also {also}, though misses cluster there" if kept
                    else f"{also}, though misses cluster there")
        options.append(Option(f"Let {name} choose the time, starting from the slots kept "
                              f"before: {kept}. Letting the client choose the time is among "
                              "the best-supported steps", OLDHAM))
    else:
        options.append(Option(f"Let {name} choose the time (no slot has been kept yet, so ask "
                              "which day and time fit). Letting the client choose the time is "
                              "among the best-supported steps", OLDHAM))
    timing_patterns = [p for p in summary.patterns if p.dimension in ("weekday", "time of day")]
    if timing_patterns:
        text = "Move away from where misses cluster: " + "; ".join(
            p.describe() for p in timing_patterns)
        nb = summary.next_booked
        if nb is not None and any(
                (p.dimension == "weekday" and nb.strftime("%A") == p.group)
                for p in timing_patterns):
            text += f". The next booking ({moment(nb)}) falls on that day"
        options.append(Option(text))
    if summary.next_booked is None:
        options.append(Option(f"Nothing is booked: book the next session within "
                              f"{LEAD_TIME_DAYS} days; a lead time over {LEAD_TIME_DAYS} days "
                              f"predicts no-shows ({LEAD_TIME_ODDS})", LEE))
    else:
        lead = (summary.next_booked.date() - summary.today).days
        if lead > LEAD_TIME_DAYS:
            options.append(Option(f"Book sooner: the next booking ({moment(summary.next_booked)})"
                                  f" is {lead} days away; a lead time over {LEAD_TIME_DAYS} days "
                                  f"predicts no-shows ({LEAD_TIME_ODDS})", LEE))
    return options


def _frequency(client, summary: AttendanceSummary) -> List[Option]:
    return [Option("For a time: fortnightly instead of weekly, or shorter sessions; agree a date "
                   "to review it together")]


def _modality(client, summary: AttendanceSummary,
              appointments: Sequence[AppointmentLike]) -> List[Option]:
    name = addressed_as(client)
    stats = by_modality(appointments)
    usual = max(stats, key=lambda m: sum(stats[m])) if stats else "in_person"
    offer = {"telehealth": "phone, or in person,", "phone": "video (telehealth), or in person,"
             }.get(usual, "video (telehealth) or phone")
    text = f"Offer {offer} for a time"
    if usual in ("telehealth", "phone"):
        text += f" ({name} mostly meets by {MODALITY_NAMES[usual]})"
    if stats:
        text += f". How {name} attended so far: {modality_record(appointments)}"
    else:
        text += ". No sessions on record yet to compare modalities"
    tried = {m: km for m, km in stats.items() if sum(km)}
    if len(tried) > 1:
        best = max(tried, key=lambda m: tried[m][0] / sum(tried[m]))
        kept, missed = tried[best]
        text += (f". Best record so far: {MODALITY_NAMES.get(best, best)} ({kept} kept of "
                 f"{kept + missed})")
    coverage = ("" if client.payer == "self_pay" else
                f", and {PAYER_NAMES.get(client.payer, client.payer)} coverage for video and "
                "phone sessions")
    return [
        Option(text),
        Option(f"Ask which the client prefers: {TELEHEALTH_FINDING}", TELEHEALTH_STUDY),
        Option(f"Also, {PHONE_FINDING}: phone may suit a client video does not"),
        Option(f"Before offering it, check: the client's consent to telehealth, a private place "
               f"at home, your licensure where the client will be{coverage}"),
    ]


def _money(client, summary: AttendanceSummary) -> List[Option]:
    options = [PAYER_FEE_RULES.get(client.payer, Option(
        f"Payer ({client.payer}): check the contract; a missed session is never billed to "
        "insurance"))]
    owed = summary.amount_owed
    if owed > 0:
        text = f"Balance owed on record: {money(owed)}"
        if client.payer == "medicaid":
            text += ("; check that none of it is a missed-session fee, which a Medicaid client "
                     "may not be charged")
        options.append(Option(text))
    else:
        options.append(Option("No balance owed on record"))
    options += [
        Option("A sliding scale or a payment plan, as your clinic's policy allows"),
        Option("Review the missed-session fees on the account: waive or reduce them where your "
               "policy allows" if client.payer != "medicaid"
               else "Raise money after you know what's going on, never first"),
        Option("Fortnightly sessions for a time, to lower the cost"),
        Option("A referral to a lower-cost community service if cost still stands in the way"),
        Option("Ending for non-payment only if the arrangement was clear, the client is not an "
               "imminent danger, and consequences were discussed", NASW_ENDING),
    ]
    return options


def _discomfort(client, summary: AttendanceSummary) -> List[Option]:
    return [
        Option("Talk openly about the alliance, goals, pace and fit: what has helped, what "
               "hasn't, what the client would change"),
        Option("A brief feedback tool at each session, so the client can say what isn't working"),
        Option("A change of approach, or of therapist with a warm handover"),
        Option("Dropping out is common: premature termination averages 19.7%, and younger "
               "clients drop out more", SWIFT),
    ]


def _reminders(client, summary: AttendanceSummary) -> List[Option]:
    name = addressed_as(client)
    channels = contact_channels(client)
    if channels:
        first = Option(f"Reminders only through the channels {name} consented to: "
                       + ", ".join(channels))
    else:
        first = Option(f"No text, phone or e-mail consent is on file for {name}: ask which "
                       "reminder the client would accept and record the consent first")
    options = [
        first,
        Option("Make cancelling easy, the main value of reminders: SMS cut missed appointments "
               "from 36% to 26-27% in London clinics but made no difference in a psychology "
               "clinic trial", REMINDER_STUDIES),
    ]
    standing = "A standing slot (same day and time), booked together before the client leaves"
    good, clustered = split_slots(summary)
    if good or clustered:
        d, t, n = (good or clustered)[0]
        standing += f", e.g. {slot_phrase(d, t, n)}"
    options.append(Option(standing))
    return options


def _risk(client, summary: AttendanceSummary) -> List[Option]:
    if has_risk_history(client):
        review = (f"last reviewed {day(client.last_risk_review)}"
                  if client.last_risk_review else "no risk review on record")
        return [Option(f"Check risk first: risk level on record is {client.risk_level}, "
                       f"{review}")]
    return [Option("Check risk first: no risk flag on record, but ask how the client is coping "
                   "and whether they feel safe")]


def _support(client, summary: AttendanceSummary, barrier: str) -> List[Option]:
    if barrier == "transport":
        text = "Case management or community resources for transport"
        if client.payer == "medicaid":
            text += "; check whether the client's Medicaid plan covers rides to appointments"
        return [Option(text)]
    if barrier == "caregiving":
        return [Option("Community resources for childcare or respite care; case management "
                       "where needs are wider")]
    return [Option("Additional support: case management, groups, community resources")]


def _questions(client, summary: AttendanceSummary) -> List[Option]:
    return [Option(f'Ask: "{q}"') for q in open_questions()]


# Each option group's options: (client, summary, appointments, barrier) -> options.
_GROUP_OPTIONS: Dict[str, Callable[..., List[Option]]] = {
    "timing": lambda client, summary, appointments, barrier: _timing(client, summary),
    "frequency": lambda client, summary, appointments, barrier: _frequency(client, summary),
    "modality": lambda client, summary, appointments, barrier: _modality(client, summary,
                                                                         appointments),
    "money": lambda client, summary, appointments, barrier: _money(client, summary),
    "discomfort": lambda client, summary, appointments, barrier: _discomfort(client, summary),
    "reminders": lambda client, summary, appointments, barrier: _reminders(client, summary),
    "risk": lambda client, summary, appointments, barrier: _risk(client, summary),
    "support": lambda client, summary, appointments, barrier: _support(client, summary,
                                                                       barrier),
    "questions": lambda client, summary, appointments, barrier: _questions(client, summary),
}


def options_for(barriers: Iterable[str], client: ClientLike, summary: AttendanceSummary,
                appointments: Sequence[AppointmentLike], plans: Sequence[PlanRecord] = (),
                outreach: Sequence[OutreachRecord] = ()) -> List[BarrierOptions]:
    """The options for each barrier, in a suggested order, specific to this client's record.

    An option group given under an earlier barrier is named ("Timing: see ... above") in its
    place instead of being repeated. `plans` and `outreach` are accepted for a uniform call;
    `render_options` shows them.
    """
    wanted = [b for b in dict.fromkeys(barriers) if b in GROUPS] or ["not_known"]
    shown: Dict[str, str] = {}      # option group -> the barrier it was given under
    result: List[BarrierOptions] = []
    for barrier in wanted:
        options: List[Option] = []
        for group in GROUPS[barrier]:
            key = f"support:{barrier}" if group == "support" else group
            if key in shown:
                title = GROUP_NAMES[group]
                options.append(Option(f"{title[0].upper()}{title[1:]}: see "
                                      f"{BARRIER_NAMES[shown[key]]} above"))
                continue
            shown[key] = barrier
            options += _GROUP_OPTIONS[group](client, summary, appointments, barrier)
        result.append(BarrierOptions(barrier, tuple(options)))
    return result


# --- what was tried before --------------------------------------------------------------------

OUTCOME_NAMES = {"worked": "worked", "partly": "partly worked", "did_not_work": "did not work"}
OUTREACH_OUTCOMES = {"sent": "sent", "no_answer": "no answer", "left_message": "message left",
                     "reached": "reached"}
OUTREACH_CHANNELS = {"sms": "text", "email": "e-mail", "voicemail": "phone", "phone": "phone",
                     "letter": "letter"}
# A plan is "both" when a step is shared or steps fall to more than one person: "shared", since
# the other party may be the client, not the front desk.
OWNER_NAMES = {"therapist": "you", "front_desk": "front desk", "both": "shared"}


def _plan_line(plan: PlanRecord, today) -> str:
    text = f"- {day(plan.created_on)}: " + "; ".join(plan.steps)
    extra = ["shared" if plan.owner == "both" else f"by {OWNER_NAMES.get(plan.owner, plan.owner)}"]
    if plan.barriers:
        extra.append("for " + ", ".join(BARRIER_NAMES.get(b, b) for b in plan.barriers))
    text += f" ({', '.join(extra)})"
    if plan.outcome:
        text += f": {OUTCOME_NAMES.get(plan.outcome, plan.outcome)}"
    elif plan.status == "open":
        due = plan.follow_up_on
        if due is None:
            text += ": open, follow-up not set"
        elif today is None or due >= today:
            text += f": open, follow-up due {day(due)}"
        else:
            text += f": open, follow-up was due {day(due)}"
    else:
        text += ": closed, outcome not recorded"
    return text + "."


def tried_before(plans: Sequence[PlanRecord], outreach: Sequence[OutreachRecord],
                 barriers: Iterable[str] = (), today=None, last_attended=None) -> List[str]:
    """Earlier plans with dates and outcomes, and outreach attempts, as bullet lines."""
    lines: List[str] = []
    current = set(barriers)
    for plan in sorted(plans, key=lambda p: p.created_on):
        line = _plan_line(plan, today)
        if plan.outcome == "did_not_work" and (
                not current or not plan.barriers or current & set(plan.barriers)):
            line += " Try something different, or ask what got in the way."
        lines.append(line)
    if outreach:
        ordered = sorted(outreach, key=lambda o: o.on)
        attempts = ", ".join(f"{OUTREACH_CHANNELS.get(o.channel, o.channel)} {day(o.on)} "
                             f"({OUTREACH_OUTCOMES.get(o.outcome, o.outcome)})" for o in ordered)
        lines.append(f"- Outreach, {plural(len(ordered), 'attempt')}: "
                     f"{attempts}.")
        last_day = last_attended.date() if hasattr(last_attended, "date") else last_attended
        since = [o for o in ordered if last_day is None or o.on >= last_day]
        if since and not any(o.outcome == "reached" for o in since):
            lines.append("- No attempt has reached the client"
                         + (f" since the last attended session ({day(last_day)})."
                            if last_day else "."))
    return lines


def render_options(barriers: Iterable[str], client: ClientLike, summary: AttendanceSummary,
                   appointments: Sequence[AppointmentLike], plans: Sequence[PlanRecord] = (),
                   outreach: Sequence[OutreachRecord] = ()) -> str:
    """The options per barrier, what was tried before, and the invitation to agree a plan."""
    barriers = list(barriers)
    name = addressed_as(client)
    lines = [f"Options for {client.display_name}, in a suggested order, from the record. Decision "
             "support: the choice is yours, made with the client."]
    for group in options_for(barriers, client, summary, appointments, plans, outreach):
        lines.append(f"{group.name[0].upper()}{group.name[1:]}:")
        lines += [f"- {o.render()}." for o in group.options]
    history = tried_before(plans, outreach, barriers, summary.today,
                           summary.last_attended)
    if history:
        lines.append("Tried before:")
        lines += history
    else:
        lines.append("Tried before: no earlier plans or outreach on record.")
    lines.append(f"When you've agreed something with {name}, tell me in your own words (e.g. "
                 "'let's offer fortnightly telehealth on Thursdays and I'll call on Friday') and "
                 "I'll record it.")
    return "\n".join(lines)
