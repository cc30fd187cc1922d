"""One-line answers to direct questions about the client's record, and the entries a disputed
fact rests on. Facts only, each from the record; the clinic's fee rules as the brief states
them; never a guess.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import List, Optional, Sequence

from reconnect.guidance.attendance import (
    MISSED,
    MODALITY_NAMES,
    AttendanceSummary,
)
from reconnect.guidance.client import AppointmentLike, ClientLike
from reconnect.guidance.dates import past_date
from reconnect.guidance.evidence import MEDICAID_NO_FEE
from reconnect.guidance.history import OutreachRecord, PlanRecord
from reconnect.guidance.options import modality_record, tried_before
from reconnect.guidance.summary_text import PAYER_NAMES
from reconnect.guidance.wording import day, moment, money, plural

STATUS_WORDS = {"attended": "attended", "no_show": "no-show", "late_cancel": "late cancellation",
                "cancelled": "cancelled with notice", "scheduled": "booked, no outcome recorded"}

# What a question asks about, first match wins (the fee question names a no-show, so it
# comes before the appointment questions).
_TOPICS = [
    # "why does she owe 60 if she never missed?": the balance and what it is made of.
    ("balance", re.compile(r"\b(owe|owes|owing|owed|balance|outstanding|arrears|behind on"
                           r"|paid up|unpaid)\b", re.I)),
    # "is she consented for telehealth?": consent, whatever else the question names.
    ("consent", re.compile(r"\bconsent\w*\b", re.I)),
    ("fee", re.compile(r"\b(charge|bill|fee|invoice)\w*\b", re.I)),
    ("tried", re.compile(r"\b(tried|done so far|have we done|what did we agree|agreed last"
                         r"|last plan|outreach (so far|history)|attempts?|plan from before"
                         r"|(earlier|previous|old|other|open) plans?|still (there|open|on file"
                         r"|on record|running)|what (?:outreach|contact)|(?:outreach|contacts?"
                         r"|calls) (?:is |are )?on (?:the )?(?:record|file))\b", re.I)),
    # "how many no shows in a row is he at?": the current run, from the record.
    ("run", re.compile(r"\bin a row\b|\bcurrent run\b|\bconsecutive\b|\bhow many (?:no[- ]?shows?"
                       r"|missed|misses|dnas?)\b", re.I)),
    # "and his risk level?": the record's flag and its last review, never a judgement.
    ("risk", re.compile(r"\brisk\s+(?:level|rating|status|flag)\b|\bwhat(?:'?s| is) (?:his|her|their)"
                        r" risk\b|\blast risk (?:review|assessment)\b", re.I)),
    ("emergency", re.compile(r"\b(emergency contact|next of kin|ec on file)\b", re.I)),
    ("consent", re.compile(r"\b(consent\w*|ok to|okay to|allowed to|can i|may i|can we)\b.*\b("
                           r"text|sms|email|e-mail|call|phone|voicemail|vm|message)\w*\b"
                           r"|\b(text|email|call|phone)\w*\b.*\bconsent", re.I)),
    # "how does she do on video vs in person?": kept sessions by modality, not the next one.
    ("by_modality", re.compile(r"\b(vs\.?|versus|compared?|better|worse|how (?:does|do|is|'?s)"
                               r" \w+ (?:do|doing|go|going))\b.*\b(video|in[- ]person|telehealth"
                               r"|phone|virtual|online|office|zoom)\b", re.I)),
    ("payer", re.compile(r"\b(insurance|insurer|payer|medicaid|medicare|self[- ]?pay|plan covers"
                         r"|coverage|covered|commercial|who'?s paying|who is paying|who pays"
                         r"|who'?s covering|who covers|who'?s billed|who do we bill)\b", re.I)),
    ("next", re.compile(r"\b(next|upcoming|booked|scheduled|in person|telehealth|video|modality"
                        r"|when is|when's|whens)\b", re.I)),
]
_CHANNEL_CONSENT = [("text messages", "sms_consent", re.compile(r"\b(text|sms|message)", re.I)),
                    ("e-mail", "email_consent", re.compile(r"\be-?mail", re.I)),
                    ("phone calls and voicemail", "phone_consent",
                     re.compile(r"\b(call|phone|voicemail|vm)", re.I))]


def topic_of(question: str) -> Optional[str]:
    return next((name for name, pattern in _TOPICS if pattern.search(question or "")), None)


# Where one question ends and the next begins: "when's her next appt and does she owe anything?"
_CLAUSES = re.compile(r"\?|;|,|\b(?:and also|also|and|plus|oh and)\b", re.I)


def questions_in(message: str) -> List[tuple]:
    """(topic, words) of each question a message asks, in order: one for a single question
    (its topic read from the whole message, as `topic_of`), one per clause when its clauses
    ask about different things."""
    clauses = [c.strip() for c in _CLAUSES.split(message or "") if c and c.strip()]
    asked: List[tuple] = []
    for clause in clauses:
        topic = topic_of(clause)
        if topic and topic not in [t for t, _ in asked]:
            asked.append((topic, clause))
    if len(asked) < 2:
        whole = topic_of(message)
        return [(whole, message)] if whole else []
    return asked


def _consent(client: ClientLike, question: str) -> str:
    asked = [(name, flag) for name, flag, pattern in _CHANNEL_CONSENT if pattern.search(question)]
    asked = asked or [(name, flag) for name, flag, _ in _CHANNEL_CONSENT]
    parts = [f"{name}: {'yes' if getattr(client, flag) else 'no'}" for name, flag in asked]
    other = ("\nThe record holds consent to be contacted by channel only; consent to telehealth "
             "is not recorded here: check the signed consent form."
             if re.search(r"\b(telehealth|video|zoom|virtual|online|teletherapy)\b", question,
                          re.I) else "")
    return (f"Consent on file for {client.display_name}: " + "; ".join(parts)
            + ". A letter by post is always possible." + other)


def fee_answer(client: ClientLike, fee: Decimal) -> str:
    """Whether a missed-session fee may be charged to this client, by payer (domain brief)."""
    name = client.display_name
    if client.payer == "medicaid":
        return (f"No: {name} is a Medicaid client, and Medicaid clients may not be charged for a "
                f"missed session ({MEDICAID_NO_FEE}).")
    if client.payer == "medicare":
        return (f"{name} is a Medicare client: the clinic's {money(fee)} fee only if the same "
                "policy applies to every patient, and it is never billed to Medicare.")
    if client.payer == "commercial":
        return (f"{name} has commercial insurance: it depends on the plan's contract; a missed "
                f"session is never billed to insurance. The clinic's fee is {money(fee)}.")
    return (f"{name} is self-pay: the clinic's {money(fee)} fee applies as set out in the "
            "missed-session policy the client signed.")


def answer_fact(question: str, client: ClientLike, summary: AttendanceSummary,
                plans: Sequence[PlanRecord], outreach: Sequence[OutreachRecord],
                fee: Decimal, emergency_contact_on_file: Optional[bool] = None,
                appointments: Optional[Sequence[AppointmentLike]] = None) -> Optional[str]:
    """A one-line answer from the record to each question the message asks (several asked
    together get one line each), or None when it asks none of these."""
    answers = [_answer(topic, words, client, summary, plans, outreach, fee, appointments)
               for topic, words in questions_in(question)]
    return "\n".join(answers) if answers else None


def _answer(topic: str, question: str, client: ClientLike, summary: AttendanceSummary,
            plans: Sequence[PlanRecord], outreach: Sequence[OutreachRecord], fee: Decimal,
            appointments: Optional[Sequence[AppointmentLike]]) -> str:
    name = client.display_name
    if topic == "fee":
        return fee_answer(client, fee)
    if topic == "tried":
        lines = tried_before(plans, outreach, (), summary.today, summary.last_attended)
        return (f"Tried with {name}:\n" + "\n".join(lines) if lines
                else f"Nothing is on record as tried with {name} yet: no plans or outreach.")
    if topic == "balance":
        owed = [f"{moment(a.start)} ({STATUS_WORDS.get(a.status, a.status)}): charged "
                f"{money(Decimal(a.fee_charged))}, paid {money(Decimal(a.fee_paid or 0))}"
                for a in appointments or ()
                if a.fee_charged is not None and Decimal(a.fee_charged) > Decimal(a.fee_paid or 0)]
        return (f"{name} owes {money(summary.amount_owed)} in fees on record"
                + (":\n" + "\n".join(f"- {line}" for line in owed) if owed else ".")
                + ("\nThe front desk or billing can explain or correct a charge." if owed else ""))
    if topic == "run":
        last = summary.last_attended
        return (f"{name}: {plural(summary.current_run, 'no-show')} in a row"
                + (f" since the last attended session ({day(last.date())})" if last else "")
                + f"; over the last {summary.window_days} days {summary.window.no_show} "
                  f"no-shows, {summary.window.late_cancel} late cancellations and "
                  f"{summary.window.attended} attended.")
    if topic == "risk":
        level = getattr(client, "risk_level", None) or "none"
        reviewed = getattr(client, "last_risk_review", None)
        return (f"{name}'s risk level on record: {level}; "
                + (f"last reviewed {day(reviewed)}." if reviewed else "no risk review on record.")
                + " That is the record's flag, not a risk assessment.")
    if topic == "emergency":
        return (f"{name}: an emergency contact is on file." if client.emergency_contact_on_file
                else f"{name}: no emergency contact is on file.")
    if topic == "consent":
        return _consent(client, question)
    if topic == "payer":
        return f"{name}'s payer: {PAYER_NAMES.get(client.payer, client.payer)}."
    if topic == "by_modality":
        return (f"{name} by modality, all sessions on record (missed: no-shows and late "
                f"cancellations): {modality_record(appointments or ())}.")
    return _next_answer(name, question, summary, appointments)


# "when's her next appt after today", "the one after this week": later than that day.
_AFTER_TODAY = re.compile(r"\bafter\s+(?:today|this\s+one|this\s+morning|tonight)\b", re.I)


def _next_answer(name: str, question: str, summary: AttendanceSummary,
                 appointments: Optional[Sequence[AppointmentLike]]) -> str:
    start, modality = summary.next_booked, summary.next_booked_modality
    if start is not None and start.date() == summary.today and _AFTER_TODAY.search(question):
        later = sorted((a for a in appointments or () if a.status == "scheduled"
                        and a.start.date() > summary.today), key=lambda a: a.start)
        start, modality = ((later[0].start, getattr(later[0], "modality", None)) if later
                           else (None, None))
    if start is None:
        return f"{name} has nothing booked" + (" after today." if summary.next_booked else ".")
    shown = MODALITY_NAMES.get(modality or "", modality)
    return f"{name}'s next appointment: {moment(start)}, {shown}."


@dataclass(frozen=True)
class Entry:
    start_text: str
    status: str


def entries_for(question: str, appointments: Sequence[AppointmentLike], today: date,
                limit: int = 5) -> List[str]:
    """The appointment entries a disputed fact rests on: the day named, else the last few
    sessions that were due, newest first."""
    past = [a for a in appointments if a.start.date() <= today]
    named = past_date(question, today).day
    chosen = [a for a in past if named and a.start.date() == named]
    if not chosen:
        due = [a for a in past if a.status in (*MISSED, "attended", "cancelled")]
        chosen = due[-limit:]
    return [f"{moment(a.start)}: {STATUS_WORDS.get(a.status, a.status)}"
            for a in sorted(chosen, key=lambda a: a.start, reverse=True)]


def disputed(question: str, client: ClientLike, appointments: Sequence[AppointmentLike],
             today: date) -> str:
    """What the record says, the entries shown, and who can correct them."""
    lines = entries_for(question, appointments, today)
    if not lines:
        shown = f"The record holds no sessions for {client.display_name} up to {day(today)}."
    else:
        shown = (f"What the clinic record says for {client.display_name}:\n- "
                 + "\n- ".join(lines))
    return (shown + "\nAppointment outcomes come from the clinic's scheduling system, where the "
            "front desk records them. If one is wrong, ask the front desk or your practice "
            "manager to correct it there; I never change appointment records from a chat. "
            "Once corrected, ask me again and I'll read the new record.")
