"""Reading a therapist's plain-words plan into steps, owners and dates."""
from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest

from reconnect.guidance import plan_parser
from reconnect.guidance.history import PlanRecord
from reconnect.guidance.plan_parser import (
    KINDS,
    OWNERS,
    STEP_CHANNELS,
    ParsedPlan,
    ParsedStep,
    amend_plan,
    client_as_subject,
    describe_plan,
    parse_plan,
)
from reconnect.guidance.wording import day

TODAY = date(2026, 3, 16)  # a Monday
FRI = date(2026, 3, 20)
NEXT_FRI = date(2026, 3, 27)
TELEHEALTH_AND_CALL = "let's offer biweekly telehealth on Thursdays and I'll call her Friday"


def d(month: int, day: int, year: int = 2026) -> date:
    return date(year, month, day)


# --- parse_plan: the phrasings therapists use ------------------------------------------------

def test_telehealth_and_a_call():
    plan = parse_plan(TELEHEALTH_AND_CALL, TODAY)
    assert plan.steps == (
        # "biweekly" is read as fortnightly; "on Thursdays" is recurring, so not a due date.
        ParsedStep("Offer fortnightly telehealth on Thursdays", "both", "modality", None, None),
        ParsedStep("Call her", "therapist", "outreach", "phone", FRI),
    )
    assert plan.follow_up_on is None     # no review said: none is made up from the call's day
    assert plan.owner == "both"


def test_fortnightly_evenings_front_desk_texts_review_in_two_weeks():
    plan = parse_plan("move him to fortnightly evening sessions, front desk will text him the new "
                      "times tomorrow, review in two weeks", TODAY)
    assert plan.steps == (
        ParsedStep("Move him to fortnightly evening sessions", "therapist", "frequency", None,
                   None),
        ParsedStep("Text him the new times", "front_desk", "outreach", "sms", d(3, 17)),
    )
    assert plan.follow_up_on == d(3, 30)
    assert plan.owner == "both"


def test_sliding_scale_and_a_letter():
    plan = parse_plan("sliding scale to $40 and a payment plan for the balance; I'll send a "
                      "letter next week", TODAY)
    assert plan.steps == (
        ParsedStep("Sliding scale to $40 and a payment plan for the balance", "therapist", "fees",
                   None, None),
        ParsedStep("Send a letter", "therapist", "outreach", "letter", d(3, 23)),
    )
    assert plan.follow_up_on is None
    assert plan.owner == "therapist"


def test_client_picks_time_text_reminders_shorthand_follow_up():
    plan = parse_plan("we agreed she picks the time; reminders by text the day before; "
                      "f/u in 2 wks", TODAY)
    assert plan.steps == (
        ParsedStep("She picks the time", "client", "schedule", None, None),
        ParsedStep("Reminders by text the day before", "therapist", "reminder", "sms", None),
    )
    assert plan.follow_up_on == d(3, 30)
    assert plan.owner == "therapist"    # client steps make no one an owner


def test_referral_and_check_back():
    plan = parse_plan("refer to the DBT group and check back on 4/10", TODAY)
    assert plan.steps == (
        ParsedStep("Refer to the DBT group", "therapist", "referral", None, None),)
    assert plan.follow_up_on == d(4, 10)


# --- parse_plan: edge cases ------------------------------------------------------------------

@pytest.mark.parametrize("text", ["", "   ", "\n\n", None])
def test_empty_text(text):
    assert parse_plan(text, TODAY) == ParsedPlan(steps=(), follow_up_on=None, owner="therapist")


def test_no_date_anywhere():
    plan = parse_plan("offer in-person sessions at a later time", TODAY)
    assert [(s.kind, s.due) for s in plan.steps] == [("modality", None)]
    assert plan.follow_up_on is None


@pytest.mark.parametrize("text, expected", [
    ("next Friday", NEXT_FRI),
    ("4/10.", d(4, 10)),
    ("in two weeks", d(3, 30)),
])
def test_date_only_text_is_the_follow_up(text, expected):
    plan = parse_plan(text, TODAY)
    assert plan.steps == () and plan.follow_up_on == expected


@pytest.mark.parametrize("text, expected", [
    ("follow up on the 27th", NEXT_FRI),
    ("check back next Friday", NEXT_FRI),
    ("f/u in 2 wks", d(3, 30)),
    ("f/u 3 wks", d(4, 6)),                    # bare duration right after a review word
    ("I'll review the plan in a month", d(4, 16)),
    ("see how it goes in two weeks", d(3, 30)),
    ("Follow-up: 3/27", NEXT_FRI),
])
def test_review_phrases_set_follow_up_and_are_not_steps(text, expected):
    plan = parse_plan(text, TODAY)
    assert plan.steps == ()
    assert plan.follow_up_on == expected


def test_follow_up_with_someone_is_outreach_not_a_review():
    plan = parse_plan("follow up with her next week", TODAY)
    assert plan.steps == (
        ParsedStep("Follow up with her", "therapist", "outreach", None, d(3, 23)),)
    assert plan.follow_up_on == d(3, 23)


def test_explicit_review_wins_over_later_due_dates_and_the_last_review_wins():
    plan = parse_plan("call her on 4/20. Review next week. Actually, review in two weeks.", TODAY)
    assert plan.steps[0].due == d(4, 20)
    assert plan.follow_up_on == d(3, 30)


def test_shorthand_is_expanded():
    plan = parse_plan("offer TH 2x/month; tx q2w after that; pt to confirm appt by txt", TODAY)
    assert [s.text for s in plan.steps] == [
        "Offer telehealth twice a month", "Treatment fortnightly after that",
        "Confirm appointment by text"]
    assert [s.kind for s in plan.steps] == ["modality", "frequency", "reminder"]
    assert plan.steps[2].owner == "client"


@pytest.mark.parametrize("text, owner", [
    ("I'll call her", "therapist"),
    ("I will call her", "therapist"),
    ("me to call her", "therapist"),
    ("call her", "therapist"),                     # the therapist is the one writing
    ("front desk will call her", "front_desk"),
    ("the front desk to call her", "front_desk"),
    ("reception will call her", "front_desk"),
    ("have the front desk call her", "front_desk"),
    ("she'll call the office", "client"),
    ("he will book online", "client"),
    ("they'll pick a slot", "client"),
    ("client will book online", "client"),
    ("she picks the time", "client"),
    ("we'll try video", "both"),
    ("let's try video", "both"),
    ("we agreed to try video", "both"),
    ("ok so let's try video", "both"),
    ("plan is to try video", "therapist"),
])
def test_step_owner(text, owner):
    (step,) = parse_plan(text, TODAY).steps
    assert step.owner == owner


def test_leading_filler_and_subject_are_stripped():
    texts = [s.text for s in parse_plan(
        "ok so I'll call her. We agreed to try video. Plan is to waive the fee. "
        "The front desk will text him.", TODAY).steps]
    assert texts == ["Call her", "Try video", "Waive the fee", "Text him"]


def test_front_desk_names_are_given_not_built_in():
    text = "Jamie will call her tomorrow morning and I'll email the sliding scale form"
    plan = parse_plan(text, TODAY, front_desk_names=["Jamie Chen"])
    assert plan.steps == (
        ParsedStep("Call her in the morning", "front_desk", "outreach", "phone", d(3, 17)),
        ParsedStep("Email the sliding scale form", "therapist", "outreach", "email", None),
    )
    assert plan.owner == "both"
    # Without the clinic's names, "Jamie" could be anyone (a client called Jamie, say).
    assert parse_plan(text, TODAY).steps[0].owner == "therapist"
    assert parse_plan("ask Jamie to resend the times", TODAY,
                      front_desk_names=["Jamie Chen"]).steps[0].owner == "front_desk"


def test_clause_without_subject_continues_the_previous_owner_in_the_sentence():
    plan = parse_plan("front desk will text him tomorrow, and then call if no reply. "
                      "Send a letter next week.", TODAY)
    assert [(s.text, s.owner, s.channel) for s in plan.steps] == [
        ("Text him", "front_desk", "sms"),
        ("Call if no reply", "front_desk", "phone"),
        ("Send a letter", "therapist", "letter"),
    ]
    assert plan.owner == "both"


def test_front_desk_only_plan():
    plan = parse_plan("front desk will call her Friday", TODAY)
    assert plan.owner == "front_desk"


@pytest.mark.parametrize("text, kind, channel", [
    ("call her Thursday", "outreach", "phone"),
    ("text him the new times", "outreach", "sms"),
    ("email her the sliding scale form", "outreach", "email"),
    ("send a letter", "outreach", "letter"),
    ("leave a voicemail", "outreach", "voicemail"),
    ("call her and leave a voicemail if no answer", "outreach", "phone"),
    ("reminders by text the day before", "reminder", "sms"),
    ("send a referral to the eating disorder program", "referral", None),
    ("waive the late-cancel fee", "fees", None),
    ("switch to phone sessions", "modality", None),
    ("move to once a month", "frequency", None),
    ("find her a morning slot", "schedule", None),
    ("ask about her week", "other", None),
])
def test_kind_and_channel(text, kind, channel):
    (step,) = parse_plan(text, TODAY).steps
    assert (step.kind, step.channel) == (kind, channel)
    assert step.kind in KINDS and (step.channel is None or step.channel in STEP_CHANNELS)


def test_recurring_and_possessive_days_are_not_due_dates():
    plan = parse_plan("switch to sessions every other Friday; remind her about Friday's session",
                      TODAY)
    assert [s.due for s in plan.steps] == [None, None]
    assert plan.follow_up_on is None


def test_two_dated_actions_joined_by_and_are_two_steps():
    plan = parse_plan("Call her today and text her tomorrow", TODAY)
    assert [(s.text, s.channel, s.due) for s in plan.steps] == [
        ("Call her", "phone", TODAY), ("Text her", "sms", d(3, 17))]


def test_several_dates_in_one_step_stay_in_its_text():
    plan = parse_plan("book her for 3/23 and 3/30, review on 4/6", TODAY)
    assert plan.steps == (ParsedStep("Book her for 3/23 and 3/30", "therapist", "schedule", None,
                                     d(3, 23)),)
    assert plan.follow_up_on == d(4, 6)


def test_conditional_comma_does_not_split():
    plan = parse_plan("If she doesn't answer, leave a voicemail", TODAY)
    assert [s.text for s in plan.steps] == ["If she doesn't answer, leave a voicemail"]


def test_list_lines_and_abbreviations():
    plan = parse_plan("1. call her fri\n2) front desk to send reminder texts\n"
                      "- ask Dr. Rivera about a group referral\n3. f/u 3 wks", TODAY)
    assert [(s.text, s.owner) for s in plan.steps] == [
        ("Call her", "therapist"), ("Send reminder texts", "front_desk"),
        ("Ask Dr. Rivera about a group referral", "therapist")]
    assert plan.follow_up_on == d(4, 6)


def test_time_of_day_stays_in_the_text_but_not_in_the_kind():
    plan = parse_plan("client to confirm by email tonight", TODAY)
    assert plan.steps == (ParsedStep("Confirm by email tonight", "client", "reminder", "email",
                                     TODAY),)


def test_a_word_that_looks_like_a_weekday_is_not_one():
    plan = parse_plan("she sat in the car and the sun was out, offer telehealth", TODAY)
    assert all(s.due is None for s in plan.steps)


def test_values_are_from_the_documented_sets():
    plan = parse_plan("let's offer video; front desk to text her Friday; she'll book online; "
                      "refer to IOP", TODAY)
    assert {s.owner for s in plan.steps} <= set(OWNERS)
    assert plan.owner in ("therapist", "front_desk", "both")


def test_parsed_plan_fits_a_plan_record():
    plan = parse_plan(TELEHEALTH_AND_CALL, TODAY)
    record = PlanRecord(created_on=TODAY, steps=tuple(s.text for s in plan.steps),
                        owner=plan.owner, follow_up_on=plan.follow_up_on, status="open")
    assert record.follow_up_on is None and record.owner == "both"
    reviewed = parse_plan(TELEHEALTH_AND_CALL + ", review in 2 weeks", TODAY)
    assert reviewed.follow_up_on == d(3, 30)


# --- describe_plan ---------------------------------------------------------------------------

def test_describe_plan():
    plan = parse_plan("move him to fortnightly evening sessions, front desk will text him the new "
                      "times tomorrow, review in two weeks", TODAY)
    assert describe_plan(plan) == (
        "1. Move him to fortnightly evening sessions (you)\n"
        "2. Text him the new times (front desk, Tue 17 Mar 2026)\n"
        "Follow-up: Mon 30 Mar 2026")


def test_describe_plan_shared_and_client_steps():
    plan = parse_plan("let's offer video. she'll book online", TODAY)
    assert describe_plan(plan) == ("1. Offer video (shared)\n2. Book online (client)\n"
                                   "Follow-up: no date given")


def test_describe_empty_plan():
    assert describe_plan(parse_plan("", TODAY)) == "No steps given.\nFollow-up: no date given"
    assert describe_plan(parse_plan("next Friday", TODAY)) == (
        "No steps given.\nFollow-up: Fri 27 Mar 2026")


def test_day_matches_the_strftime_form():
    for when in (FRI, date(2026, 1, 5), date(2027, 12, 31)):
        assert day(when) == f"{when:%a} {when.day} {when:%b %Y}"


def test_module_is_pure():
    tree = ast.parse(Path(plan_parser.__file__).read_text())
    imported = {alias.name.split(".")[0] for node in ast.walk(tree)
                if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and node.module}
    assert imported <= {"__future__", "calendar", "re", "dataclasses", "datetime", "functools",
                        "typing", "reconnect"}


@pytest.mark.parametrize("text", [
    "plan is front desk sets up text reminders and I email her new times tmrw. no review date for now",
    "we try telehealth every other monday. no follow up date yet",
])
def test_no_review_date_said_is_none_on_purpose(text):
    plan = parse_plan(text, TODAY)
    assert plan.follow_up_on is None and plan.no_follow_up
    assert not any("review" in s.text.lower() or "follow" in s.text.lower() for s in plan.steps)


def test_a_heading_is_no_step_and_wed_after_a_verb_is_a_day():
    plan = parse_plan("agreed plan — supervisor reviews the case fri, front desk moves him to "
                      "tuesday evenings. follow up in 2 weeks", TODAY)
    assert [(s.owner, s.due) for s in plan.steps] == [("supervisor", FRI), ("front_desk", None)]
    plan = parse_plan("we meet wed to go over her goals. I'll call her wed", TODAY)
    assert [s.due for s in plan.steps] == [d(3, 18), d(3, 18)]


def test_amendments_in_the_therapists_words():
    plan = parse_plan("plan: front desk calls him tomorrow, I send him a letter friday, review "
                      "in 2 weeks", TODAY)
    dropped, changed = amend_plan(plan, "drop the letter, just the call", TODAY)
    assert changed and [s.owner for s in dropped.steps] == ["front_desk"]
    assert dropped.follow_up_on == d(3, 30)
    shorter, _ = amend_plan(plan, "make the review 1 week", TODAY)
    assert shorter.follow_up_on == d(3, 23) and shorter.steps == plan.steps
    added, _ = amend_plan(plan, "also front desk sends her a reminder text the day before", TODAY)
    assert [s.owner for s in added.steps] == ["front_desk", "therapist", "front_desk"]
    assert "reminder" in added.steps[-1].text and added.follow_up_on == d(3, 30)
    none, _ = amend_plan(plan, "no follow up date for now", TODAY)
    assert none.follow_up_on is None
    # A word no step has drops nothing.
    assert amend_plan(plan, "drop the voicemail", TODAY) == (plan, False)


def test_what_is_told_rather_than_planned_is_no_step():
    plan = parse_plan("talked to her fri. she hates video, roommates listen in. plan: i see her "
                      "in person fridays 12, Ill run it by my supervisor thurs", TODAY)
    assert [s.owner for s in plan.steps] == ["therapist", "therapist"]
    assert "supervisor" in plan.steps[1].text.lower() and plan.steps[1].due == d(3, 19)
    aside = parse_plan("wed/mon are exactly the dialysis days lol. anyway we agreed: move her "
                       "to thurs 2pm, front desk rebooks her", TODAY)
    assert len(aside.steps) == 2 and aside.steps[1].owner == "front_desk"
    assert not any("dialysis" in s.text.lower() for s in aside.steps)


def test_the_client_named_as_subject_owns_the_step_and_steps_are_named_by_number():
    from reconnect.guidance.plan_parser import client_as_subject

    text = client_as_subject("front desk sets up sms reminders, kat texts me if she can't "
                             "come, supervisor reviews it thurs", ["Katherine", "Kat"])
    plan = parse_plan(text, TODAY)
    assert [s.owner for s in plan.steps] == ["front_desk", "client", "supervisor"]
    assert client_as_subject("I call kat tomorrow", ["Kat"]) == "I call kat tomorrow"
    moved, _ = amend_plan(plan, "the client does the texting, not me", TODAY)
    assert [s.owner for s in moved.steps] == ["front_desk", "client", "supervisor"]
    moved, _ = amend_plan(plan, "front desk does step 3", TODAY)
    assert [s.owner for s in moved.steps] == ["front_desk", "client", "front_desk"]


@pytest.mark.parametrize("text, steps, no_date", [
    # A heading that names the client is no step; "she ..." is the client's.
    ("Plan for kat: she comes in person only, fridays at noon, front desk switches her video "
     "bookings to in person",
     [("She comes in person only, fridays at noon", "client", None),
      ("Switches her video bookings to in person", "front_desk", None)], False),
    # A standing slot with its modality keeps its weekday; "not setting a review date" is no step.
    ("she keeps her tuesday 11am video slot, i text her a reminder monday mornings. not setting "
     "a review date for now",
     [("She keeps her tuesday 11am video slot", "client", None),
      ("Text her a reminder monday mornings", "therapist", None)], True),
    ("front desk sends her reminders for her tuesday video sessions",
     [("Sends her reminders for her tuesday video sessions", "front_desk", None)], False),
    # "he and i", "she and i": one shared step, not a lone "He".
    ("he and i look at a sliding scale together",
     [("Look at a sliding scale together", "both", None)], False),
    ("me and her will find a new in person time",
     [("Find a new in person time", "both", None)], False),
])
def test_headings_standing_slots_and_shared_subjects(text, steps, no_date):
    plan = parse_plan(text, date(2026, 3, 16))
    assert [(s.text, s.owner, s.due) for s in plan.steps] == steps
    assert plan.no_follow_up is no_date


def test_a_step_added_after_a_filler_is_still_added():
    plan = parse_plan("plan: i call him thursday to rebook", TODAY)
    for said in ("oh and add front desk sending him reminders", "ok, also front desk texts him"):
        assert plan_parser.adds_steps(said), said
        amended, changed = plan_parser.amend_plan(plan, said, TODAY)
        assert changed and amended.steps[-1].owner == "front_desk", said
    assert not plan_parser.adds_steps("oh and she said the bus is late")


def test_a_shared_subject_after_a_heading_is_one_step():
    plan = parse_plan("plan: he and i look at a sliding scale together, front desk puts the "
                      "late cancel fees on hold", TODAY)
    assert [(s.text, s.owner) for s in plan.steps] == [
        ("Look at a sliding scale together", "both"),
        ("Puts the late cancel fees on hold", "front_desk")]


@pytest.mark.parametrize("text, steps", [
    # A day in a condition is no due date.
    ("i text her tues, she calls the front desk if thurs doesnt work",
     [("Text her", "therapist", date(2026, 3, 17)),
      ("She calls the front desk if thurs doesnt work", "client", None)]),
    # "moves her to thurs 5pm": the slot, in the third person too.
    ("front desk moves her to thurs 5pm weekly", [("Moves her to thurs 5pm weekly", "front_desk",
                                                   None)]),
    # What comes before a later "plan:" is talk about it, not a step.
    ("so mondays are the prob, work. plan: i email her tmrw to confirm",
     [("Email her to confirm", "therapist", date(2026, 3, 17))]),
])
def test_conditions_third_person_slots_and_a_later_heading(text, steps):
    assert [(s.text, s.owner, s.due) for s in parse_plan(text, TODAY).steps] == steps


def test_also_add_is_an_addition_not_a_step_called_add():
    plan = parse_plan("front desk sends reminders, i call him wed", TODAY)
    amended, changed = plan_parser.amend_plan(plan, "also add: i email him a check-in today", TODAY)
    assert changed and amended.steps[-1].text == "Email him a check-in"


@pytest.mark.parametrize("said", ["make it 1 week", "supervisor reviews in 1 wk, not 2",
                                  "make the supervisor review mon 23rd not the 30th"])
def test_the_review_step_moves_with_the_follow_up(said):
    plan = parse_plan("front desk sends reminders, i call him wed, supervisor reviews in 2 wks",
                      TODAY)
    amended, changed = plan_parser.amend_plan(plan, said, TODAY)
    assert changed and amended.follow_up_on == date(2026, 3, 23)
    assert [s.due for s in amended.steps] == [None, date(2026, 3, 18), date(2026, 3, 23)]


@pytest.mark.parametrize("text, names, steps", [
    # A heading that opens the message is no step, whatever names the plan.
    ("ok here's the plan - move him to thurs 10am by video, front desk texts him reminders",
     ["Noah Kim", "Noah"], [("therapist", None, "thurs 10am by video"),
                            ("front_desk", None, "reminders")]),
    ("leila karimi plan: supervisor reviews her case in 1 week, I email her the options tomorrow",
     ["Leila Karimi", "Leila"], [("supervisor", date(2026, 3, 23), "reviews"),
                                 ("therapist", date(2026, 3, 17), "email")]),
    ("plan we agreed today: he'll send me his shift schedule by wednesday",
     ["Omar Haddad", "Omar"], [("client", date(2026, 3, 18), "shift schedule")]),
    # A surname is not the verb: "ellen brooks plan:" is a heading, "I call her" is mine.
    ("ellen brooks plan: I call her thursday, front desk emails her the schedule",
     ["Ellen Brooks", "Ellen"], [("therapist", date(2026, 3, 19), "call"),
                                 ("front_desk", None, "schedule")]),
    # The client's name alone before the plan is no step.
    ("aisha rahman. ok so the plan is I call her tomorrow, front desk rings her the day before",
     ["Aisha Rahman", "Aisha"], [("therapist", date(2026, 3, 17), "call"),
                                 ("front_desk", None, "rings")]),
    # The full name as the subject: the client's step.
    ("plan: mateo alvarez books his sessions himself through the portal",
     ["Mateo Alvarez", "Mateo"], [("client", None, "portal")]),
    # "wed" after a contact verb and a name is a day, not "wed" to anyone.
    ("plan: I email caleb whitaker wed about phone sessions, he confirms by fri",
     ["Caleb Whitaker", "Caleb"], [("therapist", date(2026, 3, 18), "phone sessions"),
                                   ("client", date(2026, 3, 20), "confirms")]),
    # A day and a time the client tries is a slot, not when the step is due.
    ("plan for grace nakamura: I email her the link, she tries thurs 2:30 by video",
     ["Grace Nakamura", "Grace"], [("therapist", None, "link"),
                                   ("client", None, "thurs 2:30 by video")]),
])
def test_a_plan_as_said_whatever_heads_it(text, names, steps):
    from reconnect.guidance.plan_parser import client_as_subject
    plan = parse_plan(client_as_subject(text, names), TODAY)
    assert [(s.owner, s.due) for s in plan.steps] == [(o, d) for o, d, _ in steps]
    for step, (_, _, words) in zip(plan.steps, steps, strict=True):
        assert words.lower() in step.text.lower()
    assert not any(w in step.text.lower() for step in plan.steps for w in ("plan", "here's"))


_FOUR_STEPS = ("I call her thursday, front desk texts her reminders, she books the 5pm slot "
               "online, supervisor reviews in 2 weeks")


@pytest.mark.parametrize("said, expected", [
    # A channel changed, never a step lost: "no the reminders are by email" used to drop them.
    ("no the reminders are by email", ["Call her", "Emails her reminders", "She books", "Reviews"]),
    ("actually I text her instead of calling", ["Text her", "Texts her", "She books", "Reviews"]),
    ("the call should be an email", ["Email her", "Texts her", "She books", "Reviews"]),
    ("make the call a text", ["Text her", "Texts her", "She books", "Reviews"]),
    # Dropped by what it is, whose it is, or where it stands.
    ("get rid of the reminders", ["Call her", "She books", "Reviews"]),
    ("no reminders needed", ["Call her", "She books", "Reviews"]),
    ("drop the supervisor", ["Call her", "Texts her", "She books"]),
    ("drop the last step", ["Call her", "Texts her", "She books"]),
])
def test_a_correction_changes_the_step_it_means(said, expected):
    plan, changed = amend_plan(parse_plan(_FOUR_STEPS, TODAY), said, TODAY)
    assert changed
    assert len(plan.steps) == len(expected), [s.text for s in plan.steps]
    for step, start in zip(plan.steps, expected, strict=True):
        assert step.text.startswith(start), (step.text, start)


def test_a_step_named_by_its_place_gets_the_day_or_owner_said():
    plan = parse_plan(_FOUR_STEPS, TODAY)
    first, _ = amend_plan(plan, "first step should be tomorrow", TODAY)
    assert [s.due for s in first.steps] == [d(3, 17), None, None, d(3, 30)]
    last, _ = amend_plan(plan, "the last one is wrong, make it 4 weeks", TODAY)
    assert last.steps[-1].due == d(4, 13) and last.follow_up_on == d(4, 13)
    mine, _ = amend_plan(plan, "step 3 is mine", TODAY)
    assert [s.owner for s in mine.steps] == ["therapist", "front_desk", "therapist", "supervisor"]
    same, changed = amend_plan(plan, "no, the second one is the front desk", TODAY)
    assert not changed and same == plan


def test_a_step_said_anew_replaces_that_step_and_keeps_its_owner_unless_told():
    plan = plan_parser.parse_plan("I call her wednesday, front desk texts her a reminder the "
                                  "morning of each session, review in 2 weeks", TODAY)
    amended, changed = plan_parser.amend_plan(
        plan, "change step 2 to: front desk sends the sms reminder the night before", TODAY)
    assert changed and amended.steps[1].text == "Sends the sms reminder the night before"
    assert amended.steps[1].owner == "front_desk" and amended.steps[0] == plan.steps[0]
    amended, _ = plan_parser.amend_plan(plan, "step 2 should be texts her the night before",
                                        TODAY)
    assert (amended.steps[1].text, amended.steps[1].owner) == ("Texts her the night before",
                                                               "front_desk")
    amended, _ = plan_parser.amend_plan(plan, "step 2 is mine", TODAY)   # an owner, not words
    assert amended.steps[1].owner == "therapist" and amended.steps[1].text == plan.steps[1].text


def test_two_changes_in_one_message_are_both_made():
    plan = plan_parser.parse_plan("I call her wednesday, front desk texts her reminders, review "
                                  "in 2 weeks", TODAY)
    amended, changed = plan_parser.amend_plan(
        plan, "actually make my call tuesday not wed, and review in 3 weeks", TODAY)
    assert changed and amended.steps[0].due == date(2026, 3, 17)
    assert amended.follow_up_on == date(2026, 4, 6)


def test_a_change_of_day_moves_the_step_due_on_the_day_ruled_out_never_a_slot():
    today = date(2026, 3, 16)
    plan = parse_plan("plan: offer him fridays at 4 by video, I call him next friday to "
                      "confirm, review in 2 weeks", today)
    assert [s.due for s in plan.steps] == [None, date(2026, 3, 27)]
    changed, did = amend_plan(plan, "and its this friday not next", today)
    assert did
    assert [s.due for s in changed.steps] == [None, date(2026, 3, 20)]
    assert "fridays at 4" in changed.steps[0].text


@pytest.mark.parametrize("text, owners", [
    ("FD calls her tmrw to offer the 1pm by phone, sup reviews in 3 wks",
     ["front_desk", "supervisor"]),
    ("ofer him eve slots on weds by video, fron desk txts him remindrs, reveiw in 3 wks",
     ["therapist", "front_desk"]),
    ("call him friday to check in about his shifts, sup reviews his case in 2 weeks",
     ["therapist", "supervisor"]),
])
def test_who_does_a_step_as_typed_in_a_hurry(text, owners):
    plan = parse_plan(text, date(2026, 3, 16))
    assert [s.owner for s in plan.steps] == owners
    assert all(s.due is None or s.due > date(2026, 3, 16) for s in plan.steps)


def test_a_slot_on_a_weekday_and_a_day_with_its_date():
    plan = parse_plan("offer him eve slots on weds by video; I call her after her session fri "
                      "27th", date(2026, 3, 16))
    assert plan.steps[0].due is None and "weds" in plan.steps[0].text
    assert plan.steps[1].due == date(2026, 3, 27)
    # "a friday" is any Friday, not the next one
    plan = parse_plan("she'll email me if a friday doesn't work", date(2026, 3, 16))
    assert plan.steps[0].due is None and "a friday" in plan.steps[0].text


@pytest.mark.parametrize("text", [
    "ok so for sofia rossi - the commute's the problem. I'll switch her friday 10am sessions "
    "to video, and she's going to test the video link by thursday, she forgets",
    "sofia rossi - she cant do thursdays anymore bc of new job. I'll switch her friday 10am "
    "sessions to video, and she's going to test the video link by thursday",
])
def test_what_the_client_faces_is_no_step(text):
    from reconnect.guidance.plan_parser import client_as_subject
    plan = parse_plan(client_as_subject(text, ["Sofia Rossi", "Sofia"]), date(2026, 3, 16))
    assert [s.owner for s in plan.steps] == ["therapist", "client"]
    assert "video" in plan.steps[0].text and "link" in plan.steps[1].text


def test_steps_added_changed_and_reviewed_over_several_messages():
    today = date(2026, 3, 16)
    plan = parse_plan("I move him to thursdays at 4, front desk texts him a reminder", today)
    for said in ("he should fill in the intake forms too", "+ he confirms by text the day before",
                 "she'll let us know by wednesday which one she prefers",
                 "oh and sup review in 3 wks", "no sorry 2 weeks"):
        plan, changed = amend_plan(plan, said, today)
        assert changed, said
    assert [s.owner for s in plan.steps] == [
        "therapist", "front_desk", "client", "client", "client", "supervisor"]
    assert plan.steps[4].due == date(2026, 3, 18)
    assert plan.follow_up_on == date(2026, 3, 30)
    plan, _ = amend_plan(plan, "actualy I'll do the reminder myself, not front desk", today)
    assert plan.steps[1].owner == "therapist"


def test_a_review_said_with_a_slip_or_a_hedge_is_the_follow_up_not_a_step():
    plan = parse_plan("I offer him sliding scale, FD sets up a payment plan. folow up 4/8", TODAY)
    assert [s.owner for s in plan.steps] == ["therapist", "front_desk"]
    assert plan.follow_up_on == d(4, 8)
    plan = parse_plan("FD finds her a thurs slot after 5, she confirms w/ FD by wed. f/u 4/2 I "
                      "guess", TODAY)
    assert [s.owner for s in plan.steps] == ["front_desk", "client"]
    assert plan.follow_up_on == d(4, 2) and plan.steps[1].due == d(3, 18)
    # a fellow clinician is no slip of "follow"
    assert "fellow" in parse_plan("I ask a fellow therapist to cover", TODAY).steps[0].text


def test_days_offered_as_a_choice_are_options_and_the_next_appointment_a_day():
    plan = parse_plan("he picks between wed 9:30 or thurs 4 by video, FD rebooks him once he "
                      "picks", TODAY)
    assert plan.steps[0].due is None
    assert "wed 9:30 or thurs 4" in plan.steps[0].text
    assert parse_plan("I call her mon or tues", TODAY).steps[0].due is None
    plan = parse_plan("I check in at her next appt on thurs", TODAY)
    assert plan.steps[0].due == d(3, 19)
    # a standing slot stays a slot
    assert parse_plan("move her to the session on thurs", TODAY).steps[0].due is None


@pytest.mark.parametrize("text, plan", [
    ("chloe dubois: front desk sends appt reminders by text", True),
    ("maya patel: I call her wed to rebook", True),
    ("tom becker - I offer him a sliding scale. f/u 4/8", True),
    ("luis herrera - I'll text him tomorrow offering tuesday evenings, follow up in a week", True),
    ("maya patel: called her wed, no answer", False),
    ("maya patel: I'll call her tomorrow", False),
    ("front desk said she called", False),
    ("maya patel: should I call her wed?", False),
    ("she can't do mondays, front desk moved her to tuesday", False),   # what happened
    ("transport - the bus doesn't run early, she'd need later slots", False),  # a barrier
    ("what are my options? she hates video, front desk says evenings are full", False),
    ("I can't do fridays, FD rebooks her", True),
])
def test_a_plan_with_one_owner_is_read_as_one_when_it_says_so(text, plan):
    from reconnect.guidance.plan_parser import reads_as_plan
    assert reads_as_plan(text, TODAY) is plan


def test_a_change_to_the_therapy_is_a_plan_a_contact_in_passing_is_not():
    from reconnect.guidance.plan_parser import lone_intention
    for text, lone in (("i'll move olivia to fortnightly sessions", False),
                       ("I'll offer her telehealth", False),
                       ("I'll call her tomorrow", True),
                       ("I'll text her the video link tomorrow", True)):
        assert lone_intention(text, parse_plan(text, TODAY)) is lone, text


def test_a_step_given_to_someone_else_by_ruling_out_its_owner():
    from reconnect.guidance.plan_parser import edits_plan
    plan = parse_plan("I look at waiving his late cancel fees, FD sets up the payment plan", TODAY)
    for said, owners in (("no, supervisor not me", ["supervisor", "front_desk"]),
                         ("sup does the fees step, not me", ["supervisor", "front_desk"]),
                         ("no, sup not me", ["supervisor", "front_desk"]),
                         ("me not front desk", ["therapist", "therapist"])):
        assert edits_plan(said), said
        changed, _ = amend_plan(plan, said, TODAY)
        assert [s.owner for s in changed.steps] == owners, said
    # with two steps of the owner ruled out, which one is not guessed
    two = parse_plan("I call her thurs, I text her fri", TODAY)
    assert amend_plan(two, "no, supervisor not me", TODAY) == (two, False)


def test_a_step_named_by_its_day_given_to_someone_else_keeps_its_day():
    plan = parse_plan("FD texts her a reminder the day before, I call her thurs", TODAY)
    for said in ("sup does the thurs call, not me", "the thurs call - no, sup not me"):
        changed, _ = amend_plan(plan, said, TODAY)
        assert [(s.owner, s.due) for s in changed.steps] == [
            ("front_desk", None), ("supervisor", d(3, 19))], said


def test_a_plan_typed_with_a_shared_review_and_who_supports_the_client():
    plan = parse_plan("sup and I do a risk review w him thurs, FD books him weekly tues 4pm in "
                      "person, sister is his support. f/u in 1 wk", TODAY)
    assert [(s.owner, s.due) for s in plan.steps] == [("both", d(3, 19)), ("front_desk", None)]
    assert plan.steps[1].text == "Books him weekly tues 4pm in person"
    assert plan.follow_up_on == d(3, 23)


def test_two_changes_apart_by_a_comma_and_a_channel_named_by_its_step():
    plan = parse_plan("I text her the new slots, she confirms by text, FD rebooks her. f/u 2 wks",
                      TODAY)
    changed, ok = amend_plan(plan, "make it review in 3 wks, she confirms by email not txt", TODAY)
    assert ok and changed.follow_up_on == d(4, 6)
    assert [s.text for s in changed.steps] == [
        "Text her the new slots", "She confirms by email", "Rebooks her"]


@pytest.mark.parametrize("text, steps", [
    # steps apart by " / " and " + ", each with its own owner
    ("I'll talk sliding scale with him at his next session / FD sets up a payment plan for the "
     "balance / sup signs off on waiving the late cancel fees. f/u 4/8",
     [("therapist", "Talk sliding scale with him at his next session"),
      ("front_desk", "Sets up a payment plan for the balance"),
      ("supervisor", "Signs off on waiving the late cancel fees")]),
    ("FD books him every other thursday at 1 instead of weekly + I email him the dates",
     [("front_desk", "Books him every other thursday at 1 instead of weekly"),
      ("therapist", "Email him the dates")]),
    # a heading said without a colon, and a filler that announces the steps
    ("maya patel plan\n1) FD moves her to every other tuesday at 4\n2) I send her the zoom link",
     [("front_desk", "Moves her to every other tuesday at 4"),
      ("therapist", "Send her the zoom link")]),
    ("fine, let's do this: FD emails him the cancellation policy; he books 2 sessions ahead",
     [("front_desk", "Emails him the cancellation policy"),
      ("client", "He books 2 sessions ahead")]),
    # the slot the client keeps is a step; that she keeps missing is not
    ("FD sets up sms reminders; he keeps the fri 8am slot",
     [("front_desk", "Sets up sms reminders"), ("client", "He keeps the fri 8am slot")]),
    ("she keeps missing mondays; I call her wed", [("therapist", "Call her")]),
])
def test_steps_apart_by_slashes_and_pluses_under_a_heading(text, steps):
    names = ["Maya Patel", "Maya"]
    plan = parse_plan(client_as_subject(text, names), TODAY)
    assert [(s.owner, s.text) for s in plan.steps] == steps


def test_a_client_named_without_the_accents_of_the_record():
    said = client_as_subject("chloe dubois: um so we try shorter sessions on video; FD sets up "
                             "a payment plan", ["Chloé Dubois", "Chloé"])
    plan = parse_plan(said, TODAY)
    assert [(s.owner, s.text) for s in plan.steps] == [
        ("both", "Try shorter sessions on video"), ("front_desk", "Sets up a payment plan")]


def test_words_of_a_step_said_anew_replace_the_words_ruled_out():
    plan = parse_plan("we move him to tuesday mornings; FD rebooks him; f/u 3/31", TODAY)
    changed, ok = amend_plan(plan, "actually make it thursday evenings not tuesday mornings",
                             TODAY)
    assert ok and [(s.text, s.due) for s in changed.steps] == [
        ("Move him to thursday evenings", None), ("Rebooks him", None)]
    # a day ruled out that is no words of a step is still a change of its day
    call = parse_plan("I call her thursday; FD texts reminders", TODAY)
    changed, ok = amend_plan(call, "make my call wednesday not thursday", TODAY)
    assert ok and changed.steps[0].due == d(3, 18) and changed.steps[0].text == "Call her"


def test_a_step_dropped_or_given_away_in_everyday_words():
    from reconnect.guidance.plan_parser import edits_plan
    plan = parse_plan("1. FD texts reminders\n2. I call him wed\n3. he picks a day by fri", TODAY)
    assert edits_plan("scratch step 2")
    changed, ok = amend_plan(plan, "scratch step 2", TODAY)
    assert ok and [s.owner for s in changed.steps] == ["front_desk", "client"]
    changed, ok = amend_plan(plan, "drop the last one", TODAY)
    assert ok and [s.owner for s in changed.steps] == ["front_desk", "therapist"]
    # "not me" names the step given away, not the only dated one
    mine = parse_plan("I send him text reminders before each session; he confirms by thurs",
                      TODAY)
    said = "nah make that the front desk, not me"
    assert edits_plan(said)
    changed, ok = amend_plan(mine, said, TODAY)
    assert ok and [(s.owner, s.due) for s in changed.steps] == [
        ("front_desk", None), ("client", d(3, 19))]


def test_the_follow_up_a_correction_gives():
    from reconnect.guidance.plan_parser import edits_plan, follow_up_said
    assert edits_plan("f/u the 30th")
    assert follow_up_said("f/u the 30th", TODAY) == d(3, 30)
    assert follow_up_said("review in 2 wks", TODAY) == d(3, 30)
    assert follow_up_said("make my call wednesday", TODAY) is None


@pytest.mark.parametrize("text, asks", [
    ("want to set up a plan", True),
    ("zoe papadopoulos - want to set up a plan", True),
    ("time to put a plan together", True),
    ("let me give you the plan we agreed", True),
    ("plan: I call her wed", False),
    ("the plan is fortnightly sessions", False),
    ("maya patel: FD texts her reminders", False),
])
def test_a_wish_to_make_a_plan_with_no_step_yet(text, asks):
    from reconnect.guidance.plan_parser import asks_to_make_a_plan
    assert asks_to_make_a_plan(text) is asks


def test_a_step_the_read_back_missed_is_added_not_given_to_another_owner():
    from reconnect.guidance.plan_parser import adds_steps
    plan = parse_plan("I call her wed; FD books her fortnightly", TODAY)
    said = "you missed the sup step - sup reviews it in 2 wks"
    assert adds_steps(said)
    changed, ok = amend_plan(plan, said, TODAY)
    assert ok and [(s.owner, s.due) for s in changed.steps] == [
        ("therapist", d(3, 18)), ("front_desk", None), ("supervisor", d(3, 30))]


NAMES = ["Maya Patel", "Maya Chen", "Kat Morales", "Sam Greene", "Dana Ortiz", "Ravi Sharma", "Sofia Rossi",
         "Maya", "Kat", "Sam", "Dana", "Ravi", "Sofia"]


@pytest.mark.parametrize("text, steps", [
    # what was agreed follows the context it was agreed in
    ("ok so maya patel. I left her a voicemail this morning since she no-showed wed. so going "
     "forward: front desk texts her a reminder the day before each session",
     [("front_desk", "Texts her a reminder the day before each session")]),
    ("the deal is he puts $40 toward the balance at every session. FD sets up the payment plan",
     [("client", "He puts $40 toward the balance at every session"),
      ("front_desk", "Sets up the payment plan")]),
    ("leila karimi - what we landed on: we keep her video slot as it is, FD phones her two days "
     "ahead to confirm. the late cancel was really about her work rota coming out late.",
     [("both", "Keep her video slot as it is"), ("front_desk", "Phones her two days ahead to confirm")]),
    ("Here is what I would like recorded. The front desk will hold his Tuesday 4pm slot for now.",
     [("front_desk", "Hold his Tuesday 4pm slot for now")]),
    # reasons and how things have been are no steps
    ("maya chen: because the tuesday 11am video clashes with pickup some weeks, we'll offer her "
     "the tuesday 1pm instead, and FD texts her the options",
     [("both", "Offer her the tuesday 1pm instead"), ("front_desk", "Texts her the options")]),
    ("her daughter can't drive her in on thursdays anymore, so we're switching her to video",
     [("both", "Switching her to video")]),
    ("for sam greene the intake still hasn't happened, he can't get time off in the daytime. "
     "FD emails him two evening intake options",
     [("front_desk", "Emails him two evening intake options")]),
    ("going forward for kat morales we drop the video weeks. she's missed 3 of every 4 "
     "telehealth sessions. she comes in person every friday at 12",
     [("both", "Drop the video weeks"), ("client", "She comes in person every friday at 12")]),
    ("Following our discussion at his last session, Ravi Sharma and I have agreed that he will "
     "move to fortnightly sessions for two months, as the weekly cost has become difficult for "
     "him. The front desk will adjust his bookings accordingly.",
     [("client", "Move to fortnightly sessions for two months"),
      ("front_desk", "Adjust his bookings accordingly")]),
    # a slot moved from one weekday to another has no due day
    ("For Dana Ortiz we agreed the following: she will come on Thursday afternoon instead of "
     "Tuesday, because her new job has shifts on Tuesdays.",
     [("client", "Come on Thursday afternoon instead of Tuesday")]),
    ("S. Rossi - plan agreed: pt to move from fri 10:00 to wed 16:00 (childcare). FD to rebook",
     [("client", "Move from fri 10:00 to wed 16:00 (childcare)"), ("front_desk", "Rebook")]),
])
def test_a_plan_told_with_its_context_and_reasons(text, steps):
    plan = parse_plan(client_as_subject(text, NAMES), TODAY)
    assert [(s.owner, s.text) for s in plan.steps] == steps
    assert all(s.due is None for s in plan.steps)


@pytest.mark.parametrize("said, follow_up", [
    ("let's say 4/8", d(4, 8)), ("Please set the follow-up for April 7.", d(4, 7))])
def test_a_follow_up_offered_in_passing_words(said, follow_up):
    from reconnect.guidance.plan_parser import edits_plan
    plan = parse_plan("FD sets up the payment plan and I email him the form by fri", TODAY)
    assert edits_plan(said)
    changed, ok = amend_plan(plan, said, TODAY)
    assert ok and changed.follow_up_on == follow_up
    assert [s.due for s in changed.steps] == [None, d(3, 20)]  # the step keeps its own day


def test_edits_in_the_words_of_a_busy_therapist():
    plan = parse_plan("FD texts her reminders; I call her wed; sup reviews in 2 wks", TODAY)
    changed, ok = amend_plan(plan, "ok back to the plan - add a step for me: call her thursday",
                             TODAY)
    assert ok and [(s.owner, s.text, s.due) for s in changed.steps][-1] == (
        "therapist", "Call her", d(3, 19))
    changed, ok = amend_plan(plan, "drop the supervisor one, we don't need it", TODAY)
    assert ok and [s.owner for s in changed.steps] == ["front_desk", "therapist"]
    changed, ok = amend_plan(plan, "also fix step 1, it should just say: FD texts reminders",
                             TODAY)
    assert ok and changed.steps[0].text == "Texts reminders" and len(changed.steps) == 3
    said = parse_plan("no - save a plan: I call her Wed to offer an afternoon slot; FD books it",
                      TODAY)
    assert [s.text for s in said.steps] == ["Call her to offer an afternoon slot", "Books it"]


def test_a_step_said_anew_by_its_number_and_slots_said_with_an_hour():
    plan = parse_plan("we move him to tues 10am telehealth fortnightly; FD books it", TODAY)
    changed, ok = amend_plan(plan, "step 1 should say wed 10am, not tues", TODAY)
    assert ok and changed.steps[0].text == "Move him to wed 10am telehealth fortnightly"
    slot = parse_plan("switch her to phone sessions thurs 10; FD rebooks her", TODAY)
    assert [(s.text, s.due) for s in slot.steps][0] == ("Switch her to phone sessions thurs 10",
                                                       None)
    told = parse_plan("The Tuesday 2pms aren't going to work for her, so we move her to "
                      "thursdays at 3", TODAY)
    assert [s.text for s in told.steps] == ["Move her to thursdays at 3"]


def test_a_weekday_said_with_its_date_is_that_date():
    from reconnect.guidance.dates import find_dates
    assert [m.day for m in find_dates("f/u thu 2 apr instead", TODAY)] == [d(4, 2)]
    assert [m.day for m in find_dates("call her thurs, review 4/2", TODAY)] == [
        d(3, 19), d(4, 2)]
