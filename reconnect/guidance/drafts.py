"""Drafts for the clinician to review and send: outreach messages, the closing letter, and the
review of whether therapy still fits when engagement does not return.

The domain brief (steps 3 and 7, and its rules): outreach is warm, short, logistics only, holds
the minimum necessary health information, goes only through a channel the client consented
to, and is marked for clinician review. Texts and voicemails avoid even the word "therapy";
no draft mentions a diagnosis, risk, therapy content, fees or the missed sessions themselves.
A closing letter carries the dates, the reason, an offer to resume, at least three referrals
and crisis resources. The bot never sends anything: every draft starts with REVIEW_HEADER.

Telehealth in outreach: a draft offers "video or phone if that's easier" unless the record
shows misses clustering in that modality (then it offers only what has worked). The offer is
logistics, not health information, and the note under the draft asks the clinician to check
telehealth consent and coverage before sending.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, List, Optional, Sequence, Tuple, Union

from reconnect.guidance.attendance import AppointmentLike, AttendanceSummary, by_modality
from reconnect.guidance.client import ClientLike
from reconnect.guidance.contacts import ClinicContacts
from reconnect.guidance.evidence import ACA_ABANDONMENT, APA_ENDING, NASW_ENDING, RESCHEDULED
from reconnect.guidance.history import CHANNELS, OutreachRecord, PlanRecord
from reconnect.guidance.opening import addressed_as
from reconnect.guidance.options import split_slots, tried_before
from reconnect.guidance.safety import (
    DEFAULT_RULE,
    SafetyRule,
    has_risk_history,
    needs_safety_first,
)
from reconnect.guidance.wording import ago, day, moment, plural

REVIEW_HEADER = "DRAFT for clinician review - not sent. Check before sending."
SMS_LIMIT = 320
CLOSING_NOTICE_DAYS = 14
MIN_REFERRALS = 3

CHANNEL_LABELS = {"sms": "text message", "email": "e-mail", "voicemail": "voicemail script",
                  "letter": "letter"}
# How an outreach attempt reads in a letter to the client.
ATTEMPT_PHRASES = {"sms": "by text", "email": "by e-mail", "voicemail": "by phone",
                   "phone": "by phone", "letter": "by letter"}
# The consent each electronic channel needs; a letter by post needs none.
CONSENT_FLAGS = {"sms": "sms_consent", "email": "email_consent", "voicemail": "phone_consent"}
CONSENT_NAMES = {"sms": "text messages", "email": "e-mail", "voicemail": "phone calls"}
# Remote modalities a draft may offer, as the record names them and as the client reads them.
REMOTE_OFFERS = (("telehealth", "video"), ("phone", "phone"))


@dataclass(frozen=True)
class Draft:
    channel: str
    text: str                       # REVIEW_HEADER, then the message as the client would get it
    notes: Tuple[str, ...] = field(default=())  # for the clinician, never part of the message

    @property
    def message(self) -> str:
        """The message without the review header."""
        return self.text.split("\n", 1)[1].lstrip("\n") if "\n" in self.text else ""

    def render(self) -> str:
        """The draft and, below it, the notes for the clinician."""
        if not self.notes:
            return self.text
        return (self.text + "\n\nBefore sending (not part of the message):\n"
                + "\n".join(f"- {n}" for n in self.notes))


@dataclass(frozen=True)
class Refusal:
    channel: str
    reason: str


def consented_channels(client: ClientLike) -> List[str]:
    """Channels a draft may go through: sms, email, voicemail by consent; letter always (by
    post to the address on file, which the clinician checks first)."""
    return [c for c in CHANNELS if c not in CONSENT_FLAGS or getattr(client, CONSENT_FLAGS[c])]


def clock(hhmm: str) -> str:
    """"17:00" -> "5pm", "09:30" -> "9:30am", "12:00" -> "12pm"."""
    hour, minute = (int(x) for x in hhmm.split(":"))
    suffix = "am" if hour < 12 else "pm"
    h12 = hour % 12 or 12
    return f"{h12}{suffix}" if minute == 0 else f"{h12}:{minute:02d}{suffix}"


def kept_times(summary: AttendanceSummary, limit: int = 2) -> List[str]:
    """The slots the client has kept most, as a client reads them ("Thursdays at 5pm"),
    leaving out any on the weekday or time of day where misses cluster."""
    good, _ = split_slots(summary)
    return [f"{weekday}s at {clock(hhmm)}" for weekday, hhmm, _ in good[:limit]]


def remote_offers(summary: AttendanceSummary,
                  appointments: Optional[Sequence[AppointmentLike]] = None) -> List[str]:
    """"video", "phone", or both, leaving out: a modality where misses cluster (a modality
    pattern, or with the appointments, more missed than kept there), and the one the next
    booking already uses (offering it would be no change)."""
    avoid = {p.group for p in summary.patterns if p.dimension == "modality"}
    avoid.add(summary.next_booked_modality or "")
    for modality, (kept, missed) in by_modality(appointments or []).items():
        if missed > kept:
            avoid.add(modality)
    return [word for group, word in REMOTE_OFFERS if group not in avoid]


def _times_question(times: List[str]) -> str:
    if not times:
        return "What day and time would suit you?"
    return f"Would {' or '.join(times)} suit you, or another time that's better for you?"


def _remote_sentence(offers: List[str]) -> str:
    return f"We can also meet by {' or '.join(offers)} if that's easier." if offers else ""


def _notes(channel: str, summary: AttendanceSummary, offers: List[str]) -> List[str]:
    notes = []
    if kept_times(summary):
        notes.append("The times offered are the ones the client has kept most (outside any "
                     "day or time where misses cluster); check they are free in your schedule.")
    else:
        notes.append("No kept slot to offer from the record, so the draft asks the client to "
                     "choose a time.")
    if offers:
        notes.append(f"It offers {' or '.join(offers)}: check the client's telehealth consent, "
                     "privacy at home, your licensure and payer coverage, or delete the line.")
    notes.append("If the clinic's name tells what kind of care it gives, consider signing with "
                 "your name only.")
    if channel == "voicemail":
        notes.append("Check the number is the client's own. Leave only this message; if someone "
                     "else answers, ask for the client and don't say what the call is about.")
    if channel == "letter":
        notes.append("Check the postal address on file; use a plain envelope marked private.")
    if channel == "email":
        notes.append("Send from the clinic's secure e-mail to the address on file.")
    return notes


def draft_outreach(channel: str, client: ClientLike, therapist_name: str,
                   summary: AttendanceSummary, contacts: ClinicContacts,
                   appointments: Optional[Sequence[AppointmentLike]] = None
                   ) -> Union[Draft, Refusal]:
    """A warm, short, logistics-only outreach draft, or a Refusal when consent is missing.

    `appointments` is optional: with it, video or phone is not offered where the client has
    missed more sessions than kept in that modality.
    """
    clinic_name, clinic_phone = contacts.name, contacts.phone
    if channel == "phone":
        channel = "voicemail"
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}; expected one of {', '.join(CHANNELS)}")
    allowed = consented_channels(client)
    if channel not in allowed:
        instead = ", ".join(CHANNEL_LABELS[c] for c in allowed)
        return Refusal(channel, (
            f"No {CHANNEL_LABELS[channel]} draft: {addressed_as(client)} has not consented to "
            f"{CONSENT_NAMES[channel]}. Channels on file: {instead} (a letter goes by post; "
            "check the address on file)."))
    name = addressed_as(client)
    times = kept_times(summary)
    offers = remote_offers(summary, appointments)
    if not getattr(client, "phone_consent", True):
        # No consent to be phoned: sessions by phone are not offered either.
        offers = [o for o in offers if o != "phone"]
    question = _times_question(times)
    remote = _remote_sentence(offers)
    if channel == "sms":
        body = _sms(name, therapist_name, clinic_name, times, offers)
    elif channel == "voicemail":
        body = "\n".join(filter(None, [
            f"Hi, this message is for {name}. It's {therapist_name} from {clinic_name}.",
            "I'm calling to check in and to find a time for your next appointment that works "
            "for you.",
            (f"{' or '.join(times)} could work, or another time if that's better."
             if times else "Let me know what day and time would suit you."),
            remote,
            f"Please call me back at {clinic_phone} whenever suits you. If you'd like to change "
            "or cancel anything, just leave a message at that number.",
            f"Thanks, {name}. Take care.",
        ]))
        body = "Voicemail script:\n" + body
    elif channel == "email":
        body = "\n".join([
            "Subject: Finding a time that works for you",
            "",
            f"Hi {name},",
            "",
            "I hope you're doing OK. I'm getting in touch to find a time for your next "
            "appointment that works for you. " + question + (f" {remote}" if remote else ""),
            "",
            f"You can reply to this e-mail or call {clinic_phone}. If you'd like to change or "
            "cancel, just let me know the same way - that's fine, and the door stays open.",
            "",
            "Warm regards,",
            therapist_name,
            clinic_name,
        ])
    else:  # letter
        body = "\n".join([
            "[Date]",
            "",
            "[Client's name and postal address on file]",
            "",
            f"Dear {name},",
            "",
            "I hope you're doing OK. I'm writing to find a time for your next appointment that "
            "works for you. " + question + (f" {remote}" if remote else ""),
            "",
            f"You can call me at {clinic_phone}. If you'd like to change or cancel, or to take "
            "a break for now, just let me know - that's fine, and the door stays open.",
            "",
            "With warm regards,",
            "",
            therapist_name,
            clinic_name,
            "[Clinic address]",
        ])
    return Draft(channel, f"{REVIEW_HEADER}\n{body}", tuple(_notes(channel, summary, offers)))


def _sms(name: str, therapist: str, clinic: str, times: List[str], offers: List[str]) -> str:
    """The shortest form that fits SMS_LIMIT: drop the second time, then the clinic name."""
    remote = f" We can also meet by {' or '.join(offers)}." if offers else ""
    with_clinic = f"{therapist} from {clinic}"
    for kept, who in ((times, with_clinic), (times[:1], with_clinic), (times[:1], therapist)):
        ask = (f"Would {' or '.join(kept)} work for your next appointment, or another time?"
               if kept else "What day and time would suit you for your next appointment?")
        text = (f"Hi {name}, it's {who}, just checking in. {ask}{remote} Reply to book, change "
                "or cancel - whatever is easiest for you.")
        if len(text) <= SMS_LIMIT:
            return text
    return text


# --- the closing letter ---------------------------------------------------------------------

def _referral_fields(referral: Any) -> Tuple[str, str, str]:
    if isinstance(referral, dict):
        return (str(referral.get("name", "")), str(referral.get("phone", "")),
                str(referral.get("note", "")))
    return (str(getattr(referral, "name", "")), str(getattr(referral, "phone", "")),
            str(getattr(referral, "note", "")))


def _crisis_lines(contacts: ClinicContacts) -> List[str]:
    return [f"If you ever feel in crisis or unsafe, help is there at any time: "
            f"{contacts.crisis_line}.",
            f"In an emergency, call {contacts.emergency_number} or go to the nearest emergency "
            "room."]


def _check_referrals(referrals: Sequence[Any]) -> None:
    if len(referrals) < MIN_REFERRALS:
        raise ValueError(f"a closing letter needs at least {MIN_REFERRALS} referrals; "
                         f"{len(referrals)} configured (clinic.yml, referrals)")


def _letter_head(name: str, today: date) -> List[str]:
    """Every closing letter opens alike: the review mark, the date, the address, the name."""
    return [REVIEW_HEADER, f"[Date: {day(today)} - confirm]", "",
            "[Client's name and postal address on file]", "", f"Dear {name},", ""]


def _letter_ending(referrals: Sequence[Any], contacts: ClinicContacts,
                   therapist_name: str) -> List[str]:
    """Every closing letter ends alike: the referrals, the crisis resources, the signature."""
    lines = []
    for referral in referrals:
        ref_name, phone, note = _referral_fields(referral)
        lines.append(f"- {ref_name}" + (f", {phone}" if phone else "")
                     + (f" ({note})" if note else ""))
    return lines + ["", *_crisis_lines(contacts), "", "I wish you well.", "",
                    "With warm regards,", "", therapist_name, contacts.name, "[Clinic address]"]


def _as_date(value: Union[date, datetime, None]) -> Optional[date]:
    return value.date() if isinstance(value, datetime) else value


def _join(items: List[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


# --- which closing letter -------------------------------------------------------------------

_COMPLETED = re.compile(r"\b(goals?\s+(?:were\s+|are\s+|all\s+)?(?:met|reached|achieved)"
                        r"|complet\w*|finished|graduat\w*|ended\s+well|good\s+ending"
                        r"|planned\s+ending|by\s+agreement|(?:we\s+)?agreed\s+to\s+(?:end|stop"
                        r"|finish|close)|mutual\w*|doing\s+(?:well|great)|discharged\s+well"
                        r"|wrap(?:ped)?\s+up|ready\s+to\s+end"
                        # the client chose to end, and said so to the therapist: no letter may
                        # say they could not be reached
                        r"|(?:she|he|they)\s+(?:has\s+|have\s+)?(?:decided|chose|wants?|wanted)\s+to"
                        r"\s+(?:end|stop|finish)|(?:doesn'?t|does\s+not|don'?t|didn'?t)\s+want\s+to"
                        r"\s+(?:continue|carry\s+on|come\s+back|keep\s+coming)|we\s+agreed"
                        r"|agreed\s+(?:it|on\s+it|together)|(?:did|i)\s+reach\s+(?:him|her|them)"
                        r"|spoke\s+(?:to|with)\s+(?:him|her|them))\b", re.IGNORECASE)
_STOPPED = re.compile(r"\b(can'?t\s+reach|cannot\s+reach|unable\s+to\s+reach|not\s+respond"
                      r"\w*|no\s+response|stopped\s+coming|disappeared|dropped\s+out|ghost\w*"
                      r"|lost\s+(?:contact|touch)|no[- ]?show\w*|not\s+answering)\b",
                      re.IGNORECASE)
# What the therapist asks a letter not to say: part name -> words that name it.
_OMIT = re.compile(r"\b(?:don'?t|do\s+not|dont|without|leave\s+out|take\s+out|remove|drop"
                   r"|no\s+mention\s+of|not\s+(?:say|mention)|shouldn'?t\s+(?:say|mention)"
                   r"|skip)\b(?P<rest>.*)", re.IGNORECASE | re.DOTALL)
OMITTABLE = {
    "closing": re.compile(r"\b(clos\w*|file|deadline|date)\b", re.I),
    "attempts": re.compile(r"\b(tried|attempts?|calls?|reach\w*|contact\w*|messages?)\b", re.I),
}
REQUIRED_PARTS = re.compile(r"\b(referrals?|crisis|lifeline|hotline|helpline|services)\b", re.I)


def letter_kind(client: ClientLike, summary: AttendanceSummary, text: str) -> Optional[str]:
    """"completion" for a client who ended with goals met or by agreement, "unreachable"
    for one who stopped coming; None when neither the words nor the record say which."""
    if _COMPLETED.search(text or ""):
        return "completion"
    if _STOPPED.search(text or ""):
        return "unreachable"
    if client.status == "discharged" and summary.current_run == 0:
        return "completion"
    if summary.current_run > 0:
        return "unreachable"
    return None


def letter_omissions(text: str) -> Tuple[List[str], bool]:
    """The parts the therapist asks the letter not to say, and whether they asked to drop a
    part that must stay (referrals and crisis resources always do)."""
    match = _OMIT.search(text or "")
    if match is None:
        return [], False
    rest = match["rest"]
    parts = [name for name, pattern in OMITTABLE.items() if pattern.search(rest)]
    return parts, bool(REQUIRED_PARTS.search(rest))


def completion_letter(client: ClientLike, therapist_name: str, contacts: ClinicContacts,
                      first_session: Optional[date], last_attended: Optional[date],
                      referrals: Sequence[Any], today: date) -> Draft:
    """The letter at a planned ending: thanks, the dates, the open door, referrals and
    crisis resources; nothing of missed sessions or closing for non-attendance."""
    _check_referrals(referrals)
    first_session, last_attended = _as_date(first_session), _as_date(last_attended)
    name = addressed_as(client)
    first = day(first_session) if first_session else "[date of first appointment]"
    last = day(last_attended) if last_attended else "[date of last appointment]"
    lines = [
        *_letter_head(name, today),
        f"Thank you for the work we did together, from our first meeting on {first} to our "
        f"last session on {last}. As we agreed, our sessions have now come to an end.",
        "",
        f"If you would like to come back, now or later, please call me at {contacts.phone}. "
        "You would be welcome, and we can find a time or a way of meeting that suits you.",
        "",
        "If you would prefer to see someone else in the future, these services may help:",
    ]
    lines += _letter_ending(referrals, contacts, therapist_name)
    notes = ("Confirm the ending was agreed with the client and is documented, and that the "
             "referrals are current and suit the client's payer and needs.",
             "Send it by post to the address on file (plain envelope marked private), keep a "
             "copy in the record.")
    return Draft("letter", "\n".join(lines), notes)


def closing_letter(client: ClientLike, therapist_name: str, contacts: ClinicContacts,
                   first_session: Optional[date], last_attended: Optional[date],
                   outreach: Sequence[OutreachRecord], referrals: Sequence[Any],
                   today: date, omit: Sequence[str] = (),
                   notice_days: int = CLOSING_NOTICE_DAYS) -> Draft:
    """The closing letter: dates, reason, closing date, offer to resume, referrals, crisis lines.

    `referrals` are dicts or objects with name, phone and note; at least three are required.
    """
    _check_referrals(referrals)
    first_session, last_attended = _as_date(first_session), _as_date(last_attended)
    clinic_phone = contacts.phone
    name = addressed_as(client)
    close_on = today + timedelta(days=notice_days)
    attempts = sorted((o for o in outreach if last_attended is None or o.on >= last_attended),
                      key=lambda o: o.on)
    notes: List[str] = [f"Confirm the closing date (the draft says {day(close_on)}, "
                        f"{notice_days} days from today) and the referrals: current, "
                        "and suitable for the client's payer and needs."
                        if "closing" not in omit else
                        "The letter names no closing date, as you asked: say in the record "
                        "what the client was told about their file."]

    first = day(first_session) if first_session else "[date of first appointment]"
    if last_attended:
        history = (f"We first met on {first}, and your last appointment was on "
                   f"{day(last_attended)}.")
        since = f"we haven't met since {day(last_attended)}"
    else:
        history = (f"Your first appointment was booked for {first}, and we haven't yet been "
                   "able to meet.")
        since = "we haven't been able to meet"
    reached = [o for o in attempts if o.outcome == "reached"]
    if reached:
        # A contact reached the client: the letter never says they could not be reached.
        spoke = reached[-1].on
        opening = f"I'm writing to follow up on our conversation on {day(spoke)}."
        reach = ""
        heard = f"we haven't met since {day(last_attended)}" if last_attended else since
        closing_line = (f"As {heard}, I will close your file on [{day(close_on)} - confirm "
                        "date] unless we arrange to meet before then.")
        notes.append(f"The record shows a contact that reached the client on {day(spoke)}: "
                     "check what was agreed then; a closing letter may not be what fits.")
    elif attempts:
        tried = _join([f"{ATTEMPT_PHRASES.get(o.channel, 'by ' + o.channel)} on {day(o.on)}"
                       for o in attempts])
        reach = f"Since then I have tried to get in touch {tried}."
    else:
        reach = "Since then I have tried to get in touch [how and on which dates]."
        notes.append("No outreach is on record since the last attended session: try to reach "
                     "the client, and record it, before sending a closing letter.")
    notes.append("Send it by post to the address on file (plain envelope marked private), keep "
                 "a copy in the record, and document the reasoning.")
    if not reached:
        opening = "I'm writing because I haven't been able to reach you."
        closing_line = (f"As {since} and I haven't heard back from you, I will close your file "
                        f"on [{day(close_on)} - confirm date] unless you get in touch before "
                        "then.")

    lines = [
        *_letter_head(name, today),
        f"{opening} {history}" + ("" if "attempts" in omit or not reach else f" {reach}"),
        "",
        *([] if "closing" in omit else [closing_line, ""]),
        f"If you'd like to continue, now or later, please call me at {clinic_phone}. I would be "
        "glad to hear from you, and we can find a time or a way of meeting that suits you.",
        "",
        "If you would prefer to see someone else, these services may help:",
    ]
    lines += _letter_ending(referrals, contacts, therapist_name)
    return Draft("letter", "\n".join(lines), tuple(notes))


# --- the review when engagement does not return ---------------------------------------------

def ending_review(client: ClientLike, summary: AttendanceSummary, plans: Sequence[PlanRecord],
                  outreach: Sequence[OutreachRecord], threshold_reasons: Sequence[str],
                  safety_rule: SafetyRule = DEFAULT_RULE) -> str:
    """Is therapy currently suitable, or does another intervention fit better? (The source's
    last paragraph; the brief's step 7.) Risk first, status clarified, ethics cited."""
    name = addressed_as(client)
    lines = [f"Reviewing whether therapy still fits for {client.display_name}. Decision support: "
             "the decision is yours, ideally with your supervisor and the client."]
    if threshold_reasons:
        lines.append("- Why now: " + "; ".join(threshold_reasons) + ".")
    last = summary.last_attended
    facts = [f"last attended {day(last.date())} ({ago(last.date(), summary.today)})" if last
             else "no session attended yet",
             f"{plural(summary.current_run, 'no-show')} in a row"]
    facts.append(f"next booked {moment(summary.next_booked)}" if summary.next_booked
                 else "nothing booked")
    lines.append("- Record: " + "; ".join(facts) + ".")
    history = tried_before(plans, outreach, (), summary.today, last)
    if history:
        lines.append("Tried before:")
        lines += [f"  {h}" for h in history]
    else:
        lines.append("- Tried before: no plans or outreach on record. Reach out (I can draft it) "
                     "before deciding on an ending.")

    lines.append("Risk first:")
    if has_risk_history(client):
        review = (f"last reviewed {day(client.last_risk_review)}" if client.last_risk_review
                  else "no risk review on record")
        urgent = (" Ask me for the safety steps."
                  if needs_safety_first(client, summary, rule=safety_rule) else "")
        lines.append(f"- Risk level on record is {client.risk_level}, {review}: review risk "
                     f"before any ending or pause.{urgent}")
    else:
        lines.append("- No risk flag on record; still consider risk before any ending or pause.")

    lines.append("Clarify status:")
    lines.append(f"- While it is unclear whether therapy has ended, {name} may reasonably believe "
                 "it continues: clarify it with the client and document it.")
    if summary.next_booked:
        lines.append(f"- A session is still booked ({moment(summary.next_booked)}): keep or "
                     "cancel it as part of the decision, and tell the client which.")
    lines.append(f"- Most who miss once return ({RESCHEDULED}): follow-up is a clinical "
                 "decision rather than a blanket rule.")

    lines.append("The question: is therapy currently suitable, or would another intervention "
                 "fit better? Options:")
    lines.append("- Pause with an open door: agree how the client can come back, and a date to "
                 "check in.")
    lines.append("- Referral to another service or level of care (case management, a group, a "
                 "community or more intensive service), with a warm handover.")
    lines.append("- A planned ending with a closing letter: the dates, the reason, an offer to "
                 "resume, at least three referrals and crisis resources.")

    lines.append("Ethics:")
    lines.append(f"- {APA_ENDING}: end therapy when the client no longer benefits; "
                 "pre-termination counselling and referrals except where the client's actions "
                 "preclude it.")
    lines.append(f"- {NASW_ENDING}: avoid abandonment; ending for non-payment only if "
                 "the arrangement was clear, the client is not an imminent danger, and "
                 "consequences were discussed.")
    lines.append(f"- {ACA_ABANDONMENT}: abandonment and neglect.")
    lines.append("- Document the outreach, your reasoning, the decision and what the client "
                 "was told.")
    lines.append("Say 'draft the closing letter' for a draft with the dates, referrals and "
                 "crisis resources.")
    return "\n".join(lines)
