"""Outreach drafts, the closing letter and the ending review: consent respected, minimum
necessary, record specifics present, marked for clinician review."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Optional

import pytest

from reconnect.guidance.attendance import Rule, summarize
from reconnect.guidance.contacts import ClinicContacts
from reconnect.guidance.drafts import (
    REVIEW_HEADER,
    SMS_LIMIT,
    Draft,
    Refusal,
    clock,
    closing_letter,
    consented_channels,
    draft_outreach,
    ending_review,
)
from reconnect.guidance.history import OutreachRecord, PlanRecord
from tests.guidance.plain import NOW, TODAY, Appt

CONTACTS = ClinicContacts("Reconnect demo clinic", "(555) 010-1000",
                          "988 Suicide & Crisis Lifeline (call or text 988)", "911")
THERAPIST = "Dr. Alex Rivera"
REFERRALS = [
    {"name": "County Community Mental Health Center", "phone": "(555) 010-2000",
     "note": "sliding-scale outpatient therapy"},
    {"name": "Riverside Group Program", "phone": "(555) 010-3100", "note": "evening groups"},
    {"name": "Family Services Counseling", "phone": "(555) 010-4200", "note": "Medicaid"},
]
# Words that carry health, risk, money or blame: never in an outreach draft.
NOT_IN_OUTREACH = ("therapy", "diagnos", "depress", "anxiety", "risk", "suicid", "crisis",
                   "fee", "$", "owe", "balance", "missed", "no-show", "no show", "attend")


@dataclass(frozen=True)
class Client:
    first_name: str = "Katherine"
    last_name: str = "Morales"
    preferred_name: Optional[str] = "Kat"
    status: str = "active"
    payer: str = "commercial"
    risk_level: str = "none"
    last_risk_review: Optional[date] = date(2025, 12, 16)
    sms_consent: bool = True
    email_consent: bool = True
    phone_consent: bool = True
    emergency_contact_on_file: bool = True

    @property
    def display_name(self) -> str:
        return f"{self.preferred_name or self.first_name} {self.last_name}"


def at(weeks: int, weekday: int, hour: int, minute: int = 0) -> datetime:
    monday = datetime.combine(TODAY - timedelta(days=TODAY.weekday()), datetime.min.time())
    return monday - timedelta(weeks=weeks) + timedelta(days=weekday, hours=hour, minutes=minute)


def history(telehealth_mondays: bool = True):
    """Thursdays 17:00 kept 23 times, Tuesdays 14:30 kept 4 times, Mondays 09:00 mostly missed
    (by telehealth unless told otherwise)."""
    appts = [Appt(at(w, 3, 17), "attended") for w in range(1, 24)]
    appts += [Appt(at(w, 1, 14, 30), "attended") for w in range(26, 30)]
    modality = "telehealth" if telehealth_mondays else "in_person"
    appts += [Appt(at(w, 0, 9), "attended" if w > 18 else "no_show", modality)
              for w in range(1, 26)]
    return appts


@pytest.fixture
def summary():
    return summarize(history(), NOW, Rule())


def test_consented_channels_follow_the_consents_and_a_letter_is_always_possible():
    assert consented_channels(Client()) == ["sms", "email", "voicemail", "letter"]
    assert consented_channels(Client(sms_consent=False)) == ["email", "voicemail", "letter"]
    assert consented_channels(Client(sms_consent=False, email_consent=False,
                                     phone_consent=False)) == ["letter"]


@pytest.mark.parametrize("channel, flag", [("sms", "sms_consent"), ("email", "email_consent"),
                                           ("voicemail", "phone_consent")])
def test_no_consent_no_draft_and_what_to_use_instead(summary, channel, flag):
    client = Client(**{flag: False})
    result = draft_outreach(channel, client, THERAPIST, summary, CONTACTS)
    assert isinstance(result, Refusal)
    assert "has not consented" in result.reason and "Kat" in result.reason
    for other in consented_channels(client):
        assert {"sms": "text message", "email": "e-mail", "voicemail": "voicemail script",
                "letter": "letter"}[other] in result.reason
    assert "address on file" in result.reason


@pytest.mark.parametrize("channel", ["sms", "email", "voicemail", "letter"])
def test_every_draft_is_marked_warm_specific_and_minimum_necessary(summary, channel):
    draft = draft_outreach(channel, Client(), THERAPIST, summary, CONTACTS, history())
    assert isinstance(draft, Draft) and draft.channel == channel
    assert draft.text.splitlines()[0] == REVIEW_HEADER
    message = draft.message
    # The preferred name, never the legal first name; the therapist's name.
    assert "Kat" in message and "Katherine" not in message and "Morales" not in message
    assert THERAPIST in message
    # Times the client has actually kept; not the Monday slot where misses cluster.
    assert "Thursdays at 5pm" in message and "Tuesdays at 2:30pm" in message
    assert "Monday" not in message
    # Telehealth is where this client misses (7 kept, 18 missed): offer phone, not video.
    assert "phone" in message and "video" not in message
    # Invites a reply and makes cancelling easy.
    assert re.search(r"\b(reply|call)\b", message, re.I)
    assert "cancel" in message
    for word in NOT_IN_OUTREACH:
        assert word not in message.lower(), (channel, word)


def test_sms_and_voicemail_avoid_even_the_word_session(summary):
    for channel in ("sms", "voicemail"):
        message = draft_outreach(channel, Client(), THERAPIST, summary, CONTACTS).message.lower()
        assert "session" not in message and "counsel" not in message


def test_sms_is_short_even_with_long_names(summary):
    draft = draft_outreach("sms", Client(), THERAPIST, summary, CONTACTS)
    assert len(draft.message) <= SMS_LIMIT
    long = draft_outreach("sms", Client(preferred_name="Maximiliana-Josephine"),
                          "Dr. Bartholomew Featherstonehaugh-Wellington", summary,
                          replace(CONTACTS, name="The Northern Valley Community Wellbeing and "
                                  "Family Services Centre of Greater Riverside County"))
    assert len(long.message) <= SMS_LIMIT
    assert "Thursdays at 5pm" in long.message


def test_email_has_a_subject_voicemail_is_a_script_letter_has_placeholders(summary):
    email = draft_outreach("email", Client(), THERAPIST, summary, CONTACTS)
    subject = email.message.splitlines()[0]
    assert subject.startswith("Subject: ")
    for word in NOT_IN_OUTREACH:
        assert word not in subject.lower()
    voicemail = draft_outreach("voicemail", Client(), THERAPIST, summary, CONTACTS)
    assert voicemail.message.startswith("Voicemail script:")
    assert any("someone else answers" in n for n in voicemail.notes)
    letter = draft_outreach("letter", Client(), THERAPIST, summary, CONTACTS)
    assert "[Date]" in letter.message and CONTACTS.name in letter.message
    assert "Dear Kat," in letter.message and "With warm regards," in letter.message
    assert any("address on file" in n for n in letter.notes)


def test_video_is_offered_when_misses_do_not_cluster_there():
    appts = history(telehealth_mondays=False)
    s = summarize(appts, NOW, Rule())
    draft = draft_outreach("email", Client(), THERAPIST, s, CONTACTS, appts)
    assert "video or phone" in draft.message
    assert any("telehealth consent" in n for n in draft.notes)
    # Without the appointments, the summary alone decides.
    assert "video or phone" in draft_outreach("email", Client(), THERAPIST, s, CONTACTS).message


def test_no_kept_slot_asks_the_client_to_choose():
    s = summarize([Appt(at(1, 0, 9), "no_show")], NOW, Rule())
    draft = draft_outreach("sms", Client(), THERAPIST, s, CONTACTS)
    assert "What day and time would suit you" in draft.message


def test_the_render_keeps_notes_apart_from_the_message(summary):
    draft = draft_outreach("sms", Client(), THERAPIST, summary, CONTACTS)
    rendered = draft.render()
    assert rendered.startswith(draft.text)
    assert "Before sending (not part of the message):" in rendered
    assert "Before sending" not in draft.message


@pytest.mark.parametrize("hhmm, expected", [("17:00", "5pm"), ("09:30", "9:30am"),
                                            ("12:00", "12pm"), ("00:15", "12:15am")])
def test_clock(hhmm, expected):
    assert clock(hhmm) == expected


OUTREACH = [OutreachRecord(date(2026, 1, 20), "sms", "reached"),      # before the last visit
            OutreachRecord(date(2026, 2, 3), "sms", "sent"),
            OutreachRecord(date(2026, 2, 10), "phone", "no_answer"),
            OutreachRecord(date(2026, 3, 2), "letter", "sent")]


def test_closing_letter_carries_dates_reason_offer_referrals_and_crisis_lines():
    draft = closing_letter(Client(), THERAPIST, CONTACTS, date(2025, 3, 18), date(2026, 1, 27),
                           OUTREACH, REFERRALS, TODAY)
    text = draft.text
    assert text.splitlines()[0] == REVIEW_HEADER
    assert "Dear Kat," in text
    assert "We first met on Tue 18 Mar 2025" in text
    assert "your last appointment was on Tue 27 Jan 2026" in text
    assert ("by text on Tue 3 Feb 2026, by phone on Tue 10 Feb 2026 and by letter on "
            "Mon 2 Mar 2026") in text
    assert "20 Jan" not in text                   # before the last visit: not "since then"
    assert "I will close your file on [Mon 30 Mar 2026 - confirm date]" in text
    assert "If you'd like to continue" in text
    for referral in REFERRALS:
        assert referral["name"] in text and referral["phone"] in text
    assert "call or text 988" in text and "911" in text
    assert THERAPIST in text and CONTACTS.name in text
    for word in ("therapy", "diagnos", "risk", "fee", "$", "no-show"):
        assert word not in text.split("these services may help:")[0].lower(), word
    assert any("Confirm the closing date" in n for n in draft.notes)


def test_closing_letter_needs_three_referrals():
    with pytest.raises(ValueError, match="at least 3 referrals"):
        closing_letter(Client(), THERAPIST, CONTACTS, None, None, [], REFERRALS[:2], TODAY)


def test_closing_letter_accepts_referral_objects_and_a_configured_crisis_line():
    @dataclass(frozen=True)
    class Referral:
        name: str
        phone: str
        note: str = ""

    refs = [Referral(r["name"], r["phone"], r["note"]) for r in REFERRALS]
    # Another country's numbers, exactly as configured, and no others added.
    uk = ClinicContacts("Riverside Clinic", "020 7946 0000", "Samaritans (call 116 123)", "999")
    draft = closing_letter(Client(), THERAPIST, uk, None, None, [], refs, TODAY)
    assert "help is there at any time: Samaritans (call 116 123)." in draft.text
    assert "In an emergency, call 999" in draft.text
    assert "988" not in draft.text and "911" not in draft.text
    assert "020 7946 0000" in draft.text and "[clinic phone number]" not in draft.text
    assert "Riverside Group Program, (555) 010-3100 (evening groups)" in draft.text
    # Missing facts become placeholders and notes, never invented.
    assert "[date of first appointment]" in draft.text
    assert "[how and on which dates]" in draft.text
    assert any("No outreach is on record" in n for n in draft.notes)


def test_closing_letter_flags_an_attempt_that_reached_the_client():
    reached = OUTREACH + [OutreachRecord(date(2026, 3, 5), "phone", "reached")]
    draft = closing_letter(Client(), THERAPIST, CONTACTS, date(2025, 3, 18), date(2026, 1, 27),
                           reached, REFERRALS, TODAY)
    assert any("reached the client on Thu 5 Mar 2026" in n for n in draft.notes)
    # The letter itself never says the client could not be reached, or did not answer.
    assert "haven't been able to reach you" not in draft.text
    assert "haven't heard back" not in draft.text and "tried to get in touch" not in draft.text
    assert "I'm writing to follow up on our conversation on Thu 5 Mar 2026." in draft.text


def test_ending_review_puts_risk_first_clarifies_status_and_cites_the_codes():
    appts = [Appt(at(7, 1, 16), "attended")] + [Appt(at(w, 1, 16), "no_show")
                                                for w in range(1, 7)]
    s = summarize(appts, NOW, Rule())
    plans = [PlanRecord(date(2026, 2, 3), ("offer telehealth on Tuesdays",), "therapist",
                        date(2026, 2, 17), "open", None, ("scheduling",))]
    client = Client(risk_level="elevated", last_risk_review=date(2025, 11, 16))
    text = ending_review(client, s, plans, OUTREACH, ["6 consecutive no-shows"])
    assert "Decision support" in text
    assert "Why now: 6 consecutive no-shows." in text
    assert "6 no-shows in a row" in text
    assert "offer telehealth on Tuesdays" in text and "Tue 3 Feb 2026" in text
    assert "phone Tue 10 Feb 2026 (no answer)" in text
    assert text.index("Risk first:") < text.index("The question:")
    assert "Risk level on record is elevated, last reviewed Sun 16 Nov 2025" in text
    assert "Ask me for the safety steps" in text
    assert "may reasonably believe it continues" in text and "document" in text
    assert "is therapy currently suitable, or would another intervention fit better?" in text
    for option in ("Pause with an open door", "Referral to another service or level of care",
                   "planned ending with a closing letter"):
        assert option in text
    assert "APA Ethics Code 10.10" in text
    assert "NASW Code of Ethics 1.17" in text and "imminent danger" in text
    assert "ACA Code of Ethics 2014 A.12" in text
    assert "'draft the closing letter'" in text


def test_ending_review_without_a_risk_flag_still_asks_to_consider_risk():
    s = summarize([Appt(at(5, 1, 16), "attended")] + [Appt(at(w, 1, 16), "no_show")
                                                       for w in range(1, 4)], NOW, Rule())
    text = ending_review(Client(risk_level="none"), s, [], [], [])
    assert "No risk flag on record; still consider risk" in text
    assert "Ask me for the safety steps" not in text
    assert "no plans or outreach on record" in text


@pytest.mark.parametrize("channel", ["sms", "email", "letter"])
def test_no_phone_sessions_offered_to_a_client_who_did_not_consent_to_phone(summary, channel):
    from dataclasses import replace

    draft = draft_outreach(channel, replace(Client(), phone_consent=False), THERAPIST, summary,
                           CONTACTS, history())
    assert isinstance(draft, Draft)
    assert "by phone" not in draft.message and "meet by" not in draft.message


@pytest.mark.parametrize("said", [
    "spoke to him by phone yesterday, he just doesn't want to continue, closing letter pls",
    "he decided to end, we agreed it on the phone",
    "wrong letter - I DID reach him",
])
def test_a_client_who_chose_to_end_and_said_so_gets_the_completion_letter(said):
    from types import SimpleNamespace

    from reconnect.guidance.drafts import letter_kind
    client = SimpleNamespace(status="active")
    summary = SimpleNamespace(current_run=3)   # missed sessions on record all the same
    assert letter_kind(client, summary, said) == "completion"
