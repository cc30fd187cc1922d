"""Barriers from the therapist's words, and options made specific from the record."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Optional

import pytest

from reconnect.guidance.attendance import Rule, summarize
from reconnect.guidance.history import BARRIERS, OutreachRecord, PlanRecord
from reconnect.guidance.opening import open_questions, opening_coaching
from reconnect.guidance.options import detect_barriers, modality_record, options_for, render_options
from reconnect.guidance.summary_text import render_summary
from tests.guidance.plain import BRIEF_FIGURES, NOW, TODAY, Appt, numbers


@dataclass(frozen=True)
class Client:
    first_name: str = "Katherine"
    last_name: str = "Morales"
    preferred_name: Optional[str] = "Kat"
    payer: str = "self_pay"
    risk_level: str = "none"
    last_risk_review: Optional[date] = date(2025, 12, 16)
    sms_consent: bool = True
    email_consent: bool = True
    phone_consent: bool = False
    emergency_contact_on_file: bool = True
    status: str = "active"

    @property
    def display_name(self) -> str:
        return f"{self.preferred_name or self.first_name} {self.last_name}"


def weeks_ago(weeks: int, weekday: int, hour: int) -> datetime:
    monday = datetime.combine(TODAY - timedelta(days=TODAY.weekday()), datetime.min.time())
    return monday - timedelta(weeks=weeks) + timedelta(days=weekday, hours=hour)


def kat_history(fee: Optional[Decimal] = None):
    """In person on Thursdays at 17:00, always kept; telehealth on Mondays at 09:00, mostly
    missed: 'in person: kept 25, missed 0; telehealth: kept 7, missed 18'."""
    appts = [Appt(weeks_ago(w, 3, 17), "attended") for w in range(1, 24)]
    appts += [Appt(weeks_ago(w, 1, 10), "attended") for w in (26, 27)]
    for w in range(1, 26):
        status = "attended" if w > 18 else ("late_cancel" if w in (5, 9) else "no_show")
        appts.append(Appt(weeks_ago(w, 0, 9), status, "telehealth", fee_charged=(
            fee if status != "attended" else None)))
    return appts


def allowed(client, summary, appointments) -> set:
    record = render_summary(client, summary) + str(summary.attended_slots) + modality_record(
        appointments)
    if summary.next_booked:
        record += f" {(summary.next_booked.date() - summary.today).days}"
    return BRIEF_FIGURES | numbers(record)


@pytest.mark.parametrize("text, expected", [
    ("He says he can't afford weekly sessions", ["financial"]),
    ("she lost her job last month and the copay adds up", ["financial"]),
    ("money's really tight since the divorce", ["personal", "financial"]),
    ("his work schedule changed, he's on night shifts now", ["work_shifts"]),
    ("her mom called, shes working doubles and no childcare", ["work_shifts", "caregiving"]),
    ("she started evening classes at the college", ["work_shifts"]),
    ("the time doesn't work for her anymore, she's really busy", ["scheduling"]),
    ("he has no car and the bus takes over an hour", ["transport"]),
    ("she couldn't get a ride", ["transport"]),
    ("no babysitter on Mondays, the kids are off school", ["caregiving"]),
    ("she's caring for her mother after the stroke", ["caregiving"]),
    ("chronic pain flare, and she had surgery in January", ["physical_health"]),
    ("he forgets, it just slipped his mind", ["forgetting"]),
    ("I think therapy's not helping and she doesn't click with me", ["discomfort"]),
    ("it's too hard to talk about, she said", ["discomfort"]),
    ("she's going through a lot, family stuff and grief", ["personal"]),
    ("I don't know, no idea why she stopped coming", ["not_known"]),
    ("not known yet", ["not_known"]),
])
def test_barriers_from_the_therapists_own_words(text, expected):
    assert sorted(detect_barriers(text)) == sorted(expected)


def test_several_barriers_come_back_in_the_walkthrough_order():
    found = detect_barriers("She works double shifts, has no car, and keeps forgetting")
    assert found == [b for b in BARRIERS if b in ("work_shifts", "transport", "forgetting")]


def test_negated_barriers_do_not_count():
    assert detect_barriers("It's not about money, she's just really busy") == ["scheduling"]
    assert detect_barriers("money isn't the issue, the time doesn't work") == ["scheduling"]


def test_not_known_only_when_nothing_else_is_named():
    assert detect_barriers("I don't know how to raise it, he lost his job") == ["financial"]
    assert detect_barriers("pull up Dana Whitfield") == []


def test_timing_offers_the_slots_kept_against_the_ones_missed():
    appts = kat_history()
    s = summarize(appts, NOW, Rule())
    [timing] = options_for(["scheduling"], Client(), s, appts, [], [])
    texts = [o.render() for o in timing.options]
    first = texts[0]
    assert "Let Kat choose the time" in first
    assert "Thursdays 17:00 (kept 23 times)" in first
    assert "Oldham et al., J Consult Clin Psychol 2012" in first
    assert any("Mondays" in t and "missed 18 of 25" in t for t in texts)
    assert any("fortnightly" in t for t in texts)
    # Nothing booked: book soon, with the lead-time predictor.
    assert any("Nothing is booked" in t and "OR 2.38" in t and "Lee 2005" in t for t in texts)


def test_a_far_booking_is_flagged_with_the_lead_time_predictor():
    appts = kat_history() + [Appt(NOW + timedelta(days=30), "scheduled")]
    s = summarize(appts, NOW, Rule())
    [timing] = options_for(["scheduling"], Client(), s, appts, [], [])
    assert any("30 days away" in o.text and "over 21 days" in o.text
               for o in timing.options)
    near = kat_history() + [Appt(NOW + timedelta(days=6), "scheduled")]
    [timing] = options_for(["scheduling"], Client(), summarize(near, NOW, Rule()), near, [], [])
    assert not any("2.38" in o.text for o in timing.options)


def test_modality_shows_how_the_client_attended_each_way_and_the_checks():
    appts = kat_history()
    s = summarize(appts, NOW, Rule())
    [transport] = options_for(["transport"], Client(payer="commercial"), s, appts, [], [])
    text = "\n".join(o.render() for o in transport.options)
    assert "in person: kept 25, missed 0; telehealth: kept 7, missed 18" in text
    assert "Best record so far: in person (25 kept of 25)" in text
    assert "from 35% to 18%" in text and "Psychiatric Services 2024" in text
    assert "phone sessions beat clinic attendance while video did not" in text
    assert "did not (Psychiatric Services 2024)" not in text  # the phone finding has no source
    for check in ("consent", "private place at home", "licensure", "commercial insurance "
                  "coverage"):
        assert check in text


@pytest.mark.parametrize("payer, rule, source", [
    ("medicaid", "may not be charged", "42 CFR 447.15"),
    ("medicare", "never billed to Medicare", None),
    ("commercial", "contract", None),
    ("self_pay", "policy the client signed", None),
])
def test_money_gives_the_payers_rule_and_the_balance(payer, rule, source):
    appts = kat_history(fee=Decimal("75.00"))
    s = summarize(appts, NOW, Rule())
    [money] = options_for(["financial"], Client(payer=payer), s, appts, [], [])
    text = "\n".join(o.render() for o in money.options)
    assert rule in money.options[0].text
    if source:
        assert money.options[0].source == source
    assert "Balance owed on record: $1,350.00" in text
    for option in ("sliding scale", "payment plan", "Fortnightly", "community service"):
        assert option in text
    if payer == "medicaid":
        assert "none of it is a missed-session fee" in text
    else:
        assert "never billed to insurance" in text or payer in ("medicare", "self_pay")


def test_discomfort_and_personal_and_not_known():
    appts = kat_history()
    s = summarize(appts, NOW, Rule())
    discomfort, personal, unknown = options_for(
        ["discomfort", "personal", "not_known"], Client(risk_level="low"), s, appts)
    d = "\n".join(o.render() for o in discomfort.options)
    assert "alliance, goals, pace and fit" in d and "feedback tool" in d
    assert "change of approach, or of therapist" in d
    assert "19.7%" in d and "Swift & Greenberg" in d
    assert personal.options[0].text.startswith("Check risk first: risk level on record is low")
    assert any("case management, groups, community resources" in o.text
               for o in personal.options)
    assert [o.text for o in unknown.options] == [f'Ask: "{q}"' for q in open_questions()]


def test_reminders_only_through_consented_channels():
    appts = kat_history()
    s = summarize(appts, NOW, Rule())
    [forgetting] = options_for(["forgetting"], Client(), s, appts)
    first = forgetting.options[0].text
    assert "text message" in first and "e-mail" in first and "phone" not in first
    rest = "\n".join(o.render() for o in forgetting.options)
    assert "36% to 26-27%" in rest and "Sims" in rest and "Clough & Casey 2014" in rest
    assert "cancelling easy" in rest
    none = Client(sms_consent=False, email_consent=False, phone_consent=False)
    [forgetting] = options_for(["forgetting"], none, s, appts)
    assert "No text, phone or e-mail consent is on file" in forgetting.options[0].text


def test_shared_options_are_given_once():
    appts = kat_history()
    s = summarize(appts, NOW, Rule())
    scheduling, shifts = options_for(["scheduling", "work_shifts"], Client(), s, appts)
    assert any("choose the time" in o.text for o in scheduling.options)
    assert not any("choose the time" in o.text for o in shifts.options)
    assert any(o.text == "Timing: see scheduling conflicts above" for o in shifts.options)


def test_rendered_options_show_what_was_tried_and_invite_a_plan():
    appts = kat_history()
    s = summarize(appts, NOW, Rule())
    plans = [PlanRecord(date(2026, 1, 12), ("telehealth on Mondays",), "therapist",
                        date(2026, 2, 2), "closed", "did_not_work", ("scheduling",)),
             PlanRecord(date(2026, 2, 9), ("text reminder the day before",), "front_desk",
                        date(2026, 3, 23), "open", None, ("forgetting",))]
    outreach = [OutreachRecord(date(2026, 3, 3), "sms", "sent"),
                OutreachRecord(date(2026, 3, 6), "phone", "no_answer")]
    text = render_options(["scheduling"], Client(), s, appts, plans, outreach)
    assert text.startswith("Options for Kat Morales")
    assert "Decision support" in text and "the choice is yours" in text
    assert "Tried before:" in text
    assert ("Mon 12 Jan 2026: telehealth on Mondays (by you, for scheduling conflicts): did not "
            "work. Try something different") in text
    assert "Mon 9 Feb 2026: text reminder the day before (by front desk" in text
    assert "open, follow-up due Mon 23 Mar 2026" in text
    assert "text Tue 3 Mar 2026 (sent), phone Fri 6 Mar 2026 (no answer)" in text
    assert text.splitlines()[-1].startswith("When you've agreed something with Kat, tell me in "
                                            "your own words")
    assert numbers(text) <= allowed(Client(), s, appts) | numbers(
        "12 Jan 2026 2 Feb 9 Feb 23 Mar 3 Mar 6 Mar"), numbers(text) - allowed(Client(), s, appts)


def test_every_barrier_renders_without_invented_numbers():
    appts = kat_history(fee=Decimal("75.00")) + [Appt(NOW + timedelta(days=30), "scheduled")]
    s = summarize(appts, NOW, Rule())
    for payer in ("self_pay", "commercial", "medicaid", "medicare"):
        client = Client(payer=payer, risk_level="low")
        text = render_options(list(BARRIERS), client, s, appts)
        assert numbers(text) <= allowed(client, s, appts), numbers(text) - allowed(
            client, s, appts)


def test_no_barrier_yet_means_open_questions():
    appts = kat_history()
    s = summarize(appts, NOW, Rule())
    [group] = options_for([], Client(), s, appts)
    assert group.barrier == "not_known"


def test_opening_coaching_names_the_pattern_without_blame():
    appts = kat_history()
    s = summarize(appts, NOW, Rule())
    text = opening_coaching(Client(), s, appts)
    assert "Missed 2 of the last 5 sessions" in text
    assert "missed 18 of 25 sessions on Mondays" in text
    quoted = re.findall(r'"[^"]+"', text.split("A possible opener:")[1].split("Avoid:")[0])
    assert quoted and quoted[0].startswith('"Kat, ') and "Mondays" in quoted[0]
    assert "Katherine" not in text.split("A possible opener:")[1]
    assert "Ultimatums" in text and "Fees or policy first" in text
    for name in ("personal issues", "transport", "forgetting", "not known yet"):
        assert name in text
    assert "31 trials, 4,422 clients, d = 0.38" in text
    assert "letting the client choose the time" in text
    assert numbers(text) <= allowed(Client(), s, appts) | {"5"}


def test_open_questions_are_open():
    questions = open_questions()
    assert 5 <= len(questions) <= 7
    assert "What has made it hard to get to our sessions lately?" in questions
    for q in questions:
        assert q.endswith("?")
        assert not re.match(r"(Do|Did|Are|Is|Have|Why)\b", q), q
        for word in ("fault", "should", "commit", "excuse"):
            assert word not in q.lower()


def test_a_shared_plan_is_not_said_to_be_the_front_desks():
    from datetime import date

    from reconnect.guidance.history import PlanRecord
    from reconnect.guidance.options import tried_before

    # "We agreed she texts me if the bus is late": shared with the client, no front desk in it.
    plan = PlanRecord(date(2026, 3, 2), ("She texts you if the bus is late",), "both",
                      date(2026, 3, 16), "open")
    text = "\n".join(tried_before([plan], [], today=date(2026, 3, 9)))
    assert "(shared)" in text
    assert "front desk" not in text


@pytest.mark.parametrize("text, said", [
    ("tuesdays dont work for her", [("Tuesday", None)]),
    ("mornings are out now, new shift", [(None, "morning")]),
    ("she cant do thursday evenings", [("Thursday", "evening")]),
    ("no more mondays", [("Monday", None)]),
    ("she works fridays now", [("Friday", None)]),
    ("monday mornings don't work", [("Monday", "morning")]),
    ("she can't make it on wednesdays", [("Wednesday", None)]),
    ("mondays are a problem for him now, he started a new job", [("Monday", None)]),
    ("evenings are hard with the kids", [(None, "evening")]),
    ("tuesday is fine", []),
    ("call her wednesday not tuesday", []),        # a correction, not a day ruled out
    ("she's killing it at work", []),
    ("works well on video", []),
])
def test_days_and_times_said_to_no_longer_fit(text, said):
    from reconnect.guidance.options import unavailable_times

    assert [(u.weekday, u.part) for u in unavailable_times([text])] == said


def test_a_slot_ruled_out_is_left_out_of_the_kept_slots_only():
    from dataclasses import replace

    from reconnect.guidance.options import Unavailable, without_unavailable

    summary = replace(summarize(kat_history(), NOW, Rule()),
                      attended_slots=(("Thursday", "17:00", 9), ("Monday", "09:00", 4),
                                      ("Monday", "18:00", 2)))
    left = without_unavailable(summary, [Unavailable("Monday", "morning")])
    assert left.attended_slots == (("Thursday", "17:00", 9), ("Monday", "18:00", 2))
    assert without_unavailable(summary, []) is summary
