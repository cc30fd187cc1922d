"""Reading what the therapist reports and corrects: only what was said, the day as said."""
from __future__ import annotations

from datetime import date

import pytest

from reconnect.guidance.dates import past_date
from reconnect.guidance.names import addressed_name
from reconnect.guidance.outcomes import Attempt, amend_attempt, read_attempt
from reconnect.guidance.plan_parser import amend_plan, describe_plan, parse_plan

TODAY = date(2026, 3, 16)  # a Monday


@pytest.mark.parametrize("text, expected", [
    ("called her tuesday", date(2026, 3, 10)),       # the last Tuesday, not today
    ("emailed yesterday", date(2026, 3, 15)),
    ("left a vm tues", date(2026, 3, 10)),
    ("texted her last friday", date(2026, 3, 13)),
    ("on 3/12", date(2026, 3, 12)),                  # this year: it is already past
    ("12/20", date(2025, 12, 20)),                   # not yet this year: last year's
    ("on the 12th", date(2026, 3, 12)),
    ("on the 20th", date(2026, 2, 20)),              # not yet this month: last month's
    ("March 12", date(2026, 3, 12)),
    ("2 days ago", date(2026, 3, 14)),
    ("this morning", TODAY),
    ("called her sat", date(2026, 3, 14)),
])
def test_a_past_day_is_the_one_said(text, expected):
    assert past_date(text, TODAY).day == expected


def test_no_day_and_a_vague_day_are_told_apart():
    assert past_date("called her", TODAY) == (None, False)
    assert past_date("sent a letter last week", TODAY) == (None, True)
    assert past_date("she sat in the car", TODAY).day is None


@pytest.mark.parametrize("text", [
    "make my call wednesday not thursday",        # a correction
    "now the email pls",                          # a draft request
    "front desk sends reminders, I call her Thursday",   # a plan
    "I'll try again wed",                         # an intention
    "have I called her this month?",              # a question
    "I haven't called her yet",                   # not done
    "her sister called, says she has been talking about ending it",  # someone else's call
])
def test_nothing_is_read_as_an_attempt_that_was_not_reported(text):
    reading = read_attempt(text, TODAY)
    assert reading.attempt is None and not reading.count


@pytest.mark.parametrize("text", ["hasn't responded to 3 calls", "tried calling twice",
                                  "I've left several voicemails"])
def test_a_count_is_not_several_invented_entries(text):
    assert read_attempt(text, TODAY).count
    assert read_attempt(text, TODAY).attempt is None


@pytest.mark.parametrize("text, expected", [
    ("called her yesterday, no answer", Attempt(date(2026, 3, 15), "phone", "no_answer")),
    ("left her a vm tues", Attempt(date(2026, 3, 10), "phone", "left_message")),
    ("texted her this morning", Attempt(TODAY, "sms", "sent")),
    ("emailed her on the 12th, no reply so far", Attempt(date(2026, 3, 12), "email",
                                                          "no_answer")),
    ("she called back and we talked", Attempt(TODAY, "phone", "reached")),
    # How a call went is asked for, never assumed.
    ("called her tuesday", Attempt(date(2026, 3, 10), "phone", None)),
])
def test_an_attempt_holds_what_was_said_and_nothing_more(text, expected):
    assert read_attempt(text, TODAY).attempt == expected


def test_a_vague_day_is_asked_for_not_taken_as_today():
    attempt = read_attempt("sent a letter last week", TODAY).attempt
    assert attempt is not None and attempt.on is None and attempt.vague_day
    assert not attempt.complete


@pytest.mark.parametrize("correction, expected", [
    ("no, it was wednesday", Attempt(date(2026, 3, 11), "phone", "no_answer")),
    ("it was an email not a call", Attempt(date(2026, 3, 10), "email", "no_answer")),
    ("she picked up actually", Attempt(date(2026, 3, 10), "phone", "reached")),
    ("no I left a voicemail", Attempt(date(2026, 3, 10), "phone", "left_message")),
])
def test_a_correction_changes_only_what_it_names(correction, expected):
    before = Attempt(date(2026, 3, 10), "phone", "no_answer")
    assert amend_attempt(before, correction, TODAY) == (expected, True)


def test_a_plan_is_split_by_who_does_what():
    plan = parse_plan("front desk sends reminders, I call him thursday, supervisor reviews in "
                      "2 weeks", TODAY)
    assert [(s.owner, s.due) for s in plan.steps] == [
        ("front_desk", None), ("therapist", date(2026, 3, 19)),
        ("supervisor", date(2026, 3, 30))]
    assert plan.follow_up_on == date(2026, 3, 30)


def test_a_recurring_slot_stays_in_the_step_and_fillers_go():
    plan = parse_plan("fine, let's move her to tuesday evenings by video and I'll email her "
                      "tomorrow", TODAY)
    assert describe_plan(plan).splitlines()[:2] == [
        "1. Move her to tuesday evenings by video (shared)",
        "2. Email her (you, Tue 17 Mar 2026)"]
    offer = parse_plan("offer her thurs 10am by video", TODAY).steps[0]
    assert (offer.text, offer.due) == ("Offer her thurs 10am by video", None)


@pytest.mark.parametrize("correction, dues, follow_up", [
    ("make my call wednesday not thursday", [None, date(2026, 3, 18)], None),
    ("make it 1 week", [None, date(2026, 3, 19)], date(2026, 3, 23)),
    ("follow up in 10 days instead", [None, date(2026, 3, 19)], date(2026, 3, 26)),
])
def test_corrections_apply_to_the_pending_plan(correction, dues, follow_up):
    plan = parse_plan("front desk sends reminders, I call her Thursday", TODAY)
    amended, changed = amend_plan(plan, correction, TODAY)
    assert changed
    assert [s.due for s in amended.steps] == dues
    assert amended.follow_up_on == follow_up


def test_a_plan_correction_that_names_nothing_changes_nothing():
    plan = parse_plan("I call her Thursday", TODAY)
    assert amend_plan(plan, "hmm", TODAY) == (plan, False)


@pytest.mark.parametrize("text, name", [
    ("closing letter for jamal carter", "jamal carter"),
    ("leo fischer's attendance", "leo fischer"),
    ("draft a text for tomorrow", None),
    ("and her attendance?", None),
    ("she talked about hopelessness", None),
])
def test_words_in_the_place_of_a_name(text, name):
    assert addressed_name(text) == name


def test_staff_named_as_owners():
    plan = parse_plan("plan: I call his emergency contact today, Dr. Ellis reviews next week",
                      TODAY, supervisor_names=["Dr. Morgan Ellis"])
    assert [(s.owner, s.due) for s in plan.steps] == [
        ("therapist", TODAY), ("supervisor", date(2026, 3, 23))]
    # Named elsewhere in a clause, the supervisor is not its owner.
    plan = parse_plan("I'll run it by Dr. Ellis thursday", TODAY,
                      supervisor_names=["Dr. Morgan Ellis"])
    assert [(s.owner, s.text) for s in plan.steps] == [("therapist", "Run it by Dr. Ellis")]
    plan = parse_plan("I send her the form tmrw, review in 2 weeks", TODAY)
    amended, changed = amend_plan(plan, "jamie sends the form, not me", TODAY,
                                  front_desk_names=["Jamie Chen"])
    assert changed and amended.steps[0].owner == "front_desk"


@pytest.mark.parametrize("text, first", [
    ("plan - I call him tmrw, he picks a new slot by friday", "Call him"),
    ("Plan: we try every other monday at 4, she texts me if she can't make it",
     "Try every other monday at 4"),
    ("ok fine plan: I call him friday, he checks with his boss", "Call him"),
])
def test_a_plan_heading_and_fillers_are_not_a_step(text, first):
    plan = parse_plan(text, TODAY)
    assert plan.steps[0].text == first
    assert plan.steps[1].owner == "client"


@pytest.mark.parametrize("text, expected", [
    ("last plan was a bust tbh", "did_not_work"),
    ("the plan kinda worked, she came to 1 of 2", "partly"),
])
def test_how_a_plan_went_in_plain_words(text, expected):
    from reconnect.guidance.outcomes import outcome_of
    assert outcome_of(text) == expected


def test_a_weekday_abbreviation_at_the_end_of_a_report_is_a_day():
    assert past_date("spoke w her on the phone wed, she's fine", TODAY).day == date(2026, 3, 11)
    assert past_date("she sat, and we talked", TODAY).day is None


def test_the_person_contacted_is_named():
    from reconnect.guidance.names import contacted_name
    assert contacted_name("I called lucia this morning btw, no answer") == "lucia"
    assert contacted_name("called her back yesterday") is None
    assert contacted_name("rang reception") is None


def test_the_next_appointment_after_today_skips_todays():
    from datetime import date, datetime
    from types import SimpleNamespace

    from reconnect.guidance.facts import _next_answer

    today = date(2026, 3, 16)
    summary = SimpleNamespace(today=today, next_booked=datetime(2026, 3, 16, 9),
                              next_booked_modality="in_person")
    booked = [SimpleNamespace(start=datetime(2026, 3, 16, 9), status="scheduled",
                              modality="in_person"),
              SimpleNamespace(start=datetime(2026, 3, 19, 17), status="scheduled",
                              modality="telehealth"),
              SimpleNamespace(start=datetime(2026, 3, 18, 9), status="cancelled",
                              modality="in_person")]
    assert "Mon 16 Mar 2026 09:00" in _next_answer("Dana", "when's her next appt", summary,
                                                   booked)
    later = _next_answer("Dana", "and when's her next appt after today", summary, booked)
    assert "Thu 19 Mar 2026 17:00" in later
    assert _next_answer("Dana", "next one after today?", summary, booked[:1]) == (
        "Dana has nothing booked after today.")
