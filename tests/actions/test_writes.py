"""What Reconnect writes is what the clinician said: the rows each step writes, and does not
write, against a real test database (SQLite and PostgreSQL)."""
from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from actions.barriers import ActionRecordBarriers
from actions.base import RecordsAction
from actions.client_lookup import ActionOutOfScope, ActionUnsure
from actions.confirm import (
    ActionCorrectPending,
    ActionDiscardPending,
    ActionSavePending,
    ActionUndo,
)
from actions.conversation import ActionStartOver, ActionStop
from actions.outreach import ActionCoachOpening, ActionDraftOutreach, ActionRecordOutreach
from actions.plan import ActionListFollowUps, ActionProposePlan, ActionRecordPlanOutcome
from actions.record_facts import ActionAnswerFact, ActionShowEntries
from actions.review import ActionDraftClosingLetter
from actions.risk import ActionSafetyInHand, ActionSafetySteps
from reconnect.records.db import session_scope
from reconnect.records.models import AuditEvent, OutreachAttempt, Plan, SafetyConcern
from reconnect.records.queries import ClientRecords
from tests.actions.test_walkthrough import run, texts, tracker
from tests.clinic_fixture import load_small_clinic


@pytest.fixture
def records(db_url, tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url)
    load_small_clinic(tmp_path, db_url)
    return ClientRecords(db_url)


def rows(db_url, model):
    with session_scope(db_url) as session:
        return session.execute(select(model).order_by(model.id)).scalars().all()


def slot(events, name):
    return next((e["value"] for e in events if e.get("name") == name), None)


class Conversation:
    """Slots carried from turn to turn, as the Rasa server would."""

    def __init__(self, records, **slots):
        self.records = records
        self.slots = {"client_id": "C002", "client_name": "Maya Patel", **slots}
        self.said = []

    def turn(self, action_class, text, **extra):
        """say(), with the reply kept in the conversation, as the Rasa server keeps it."""
        reply, events = self.say(action_class, text, **extra)
        self.said.append({"event": "bot", "text": reply})
        return reply, events

    def say(self, action_class, text, **extra):
        action = (action_class(self.records) if issubclass(action_class, RecordsAction)
                  else action_class())
        t = tracker(text, **{**self.slots, **extra})
        self.said.append({"event": "user", "text": text})
        t.events = list(self.said)   # the therapist's messages so far, this one last
        messages, events = run(action, t)
        for event in events:
            if event.get("event") == "slot":
                self.slots[event["name"]] = event["value"]
        return texts(messages), events


@pytest.mark.parametrize("text", [
    "make my call wednesday not thursday", "now the email pls", "I'll try again wed",
    "have I called her this month?"])
def test_what_is_not_a_report_writes_nothing_and_proposes_nothing(records, db_url, text):
    reply, events = Conversation(records).say(ActionRecordOutreach, text)
    assert "haven't recorded anything" in reply or reply.startswith("utter_no_attempt_heard")
    assert slot(events, "pending_write") is None
    assert rows(db_url, OutreachAttempt) == []


def test_a_plan_taken_for_a_report_is_read_back_as_a_plan_never_as_contacts(records, db_url):
    talk = Conversation(records)
    reply, events = talk.say(ActionRecordOutreach, "maya patel: FD sends her text reminders, "
                             "I call her thurs. f/u 3/30")
    assert "1. Sends her text reminders (front desk)" in reply
    assert "2. Call her (you, Thu 19 Mar 2026)" in reply and "Save it?" in reply
    assert json.loads(slot(events, "pending_write"))["kind"] == "plan"
    assert rows(db_url, OutreachAttempt) == [] and rows(db_url, Plan) == []
    talk.say(ActionSavePending, "yes")
    assert rows(db_url, OutreachAttempt) == [] and len(rows(db_url, Plan)) == 1


def test_a_count_asks_for_each_attempt_and_writes_nothing(records, db_url):
    reply, events = Conversation(records).say(ActionRecordOutreach,
                                              "she hasn't responded to 3 calls")
    assert "utter_attempts_one_at_a_time" in reply
    assert rows(db_url, OutreachAttempt) == []


def test_an_attempt_is_read_back_corrected_saved_and_undone(records, db_url):
    talk = Conversation(records)
    reply, _ = talk.say(ActionRecordOutreach, "called her tuesday, no answer")
    assert "Record for Maya Patel: phone call on Tue 10 Mar 2026, no answer. Save it?" in reply
    assert rows(db_url, OutreachAttempt) == []                      # nothing until yes
    reply, _ = talk.say(ActionCorrectPending, "no, it was wednesday")
    assert "phone call on Wed 11 Mar 2026, no answer. Save it?" in reply
    reply, _ = talk.say(ActionCorrectPending, "and it was an email")
    assert "e-mail on Wed 11 Mar 2026, no answer" in reply
    reply, _ = talk.say(ActionSavePending, "yes")
    assert "Saved for Maya Patel: e-mail on Wed 11 Mar 2026, no answer." in reply
    [attempt] = rows(db_url, OutreachAttempt)
    assert (attempt.client_id, attempt.on, attempt.channel, attempt.outcome) == (
        "C002", date(2026, 3, 11), "email", "no_answer")
    assert talk.slots["pending_write"] is None
    reply, _ = talk.say(ActionUndo, "undo")
    assert "utter_undone" in reply
    [attempt] = rows(db_url, OutreachAttempt)
    assert attempt.withdrawn_at is not None                          # kept, marked
    assert records.client_record("T01", "C002").outreach == []       # and never read again
    audit = [e.detail for e in rows(db_url, AuditEvent) if e.action == "entry_corrected"]
    assert audit == [f"outreach {attempt.id} taken back"]
    reply, _ = talk.say(ActionUndo, "undo")
    assert "has already been taken back" in reply and "utter_nothing_to_undo" not in reply


def test_how_a_call_went_is_asked_never_assumed(records, db_url):
    talk = Conversation(records)
    reply, events = talk.say(ActionRecordOutreach, "called her yesterday")
    assert "How did the phone call to Maya Patel on Sun 15 Mar 2026 go?" in reply
    reply, _ = talk.say(ActionSavePending, "yes")                    # not yet: still asks
    assert "How did the phone call" in reply and rows(db_url, OutreachAttempt) == []
    reply, _ = talk.say(ActionCorrectPending, "/correct_record",
                        entities=[{"entity": "outcome", "value": "reached"}])
    assert "phone call on Sun 15 Mar 2026, reached. Save it?" in reply
    talk.say(ActionSavePending, "yes")
    [attempt] = rows(db_url, OutreachAttempt)
    assert (attempt.on, attempt.outcome) == (date(2026, 3, 15), "reached")


def test_a_cancelled_write_leaves_no_row_and_keeps_the_client(records, db_url):
    talk = Conversation(records)
    talk.say(ActionRecordOutreach, "texted her this morning")
    reply, events = talk.say(ActionDiscardPending, "no, don't save that")
    assert "utter_write_discarded" in reply
    assert rows(db_url, OutreachAttempt) == []
    assert talk.slots["client_id"] == "C002" and talk.slots["pending_write"] is None


def test_a_plan_waits_for_yes_and_a_correction_applies_to_it(records, db_url):
    talk = Conversation(records)
    reply, _ = talk.say(ActionProposePlan, "", plan_text="front desk sends reminders, I call "
                        "her thursday, supervisor reviews in 2 weeks")
    assert "1. Sends reminders (front desk)" in reply
    assert "2. Call her (you, Thu 19 Mar 2026)" in reply
    assert "3. Reviews (supervisor, Mon 30 Mar 2026)" in reply
    reply, _ = talk.say(ActionCorrectPending, "make my call wednesday not thursday")
    assert "2. Call her (you, Wed 18 Mar 2026)" in reply
    assert rows(db_url, Plan) == []
    talk.say(ActionSavePending, "yes")
    [plan] = rows(db_url, Plan)
    steps = json.loads(plan.steps)
    assert [(s["owner"], s["due"]) for s in steps] == [
        ("front_desk", None), ("therapist", "2026-03-18"), ("supervisor", "2026-03-30")]
    assert plan.follow_up_on == date(2026, 3, 30)
    assert rows(db_url, OutreachAttempt) == []      # a plan that mentions a call is no call


def test_a_plan_outcome_waits_for_yes(records, db_url):
    records.save_plan("T01", "C002", [{"text": "Call her"}], "therapist", date(2026, 3, 12),
                      [], date(2026, 3, 2))
    talk = Conversation(records)
    reply, _ = talk.say(ActionRecordPlanOutcome, "it partly worked")
    assert "it partly worked. Save it?" in reply
    assert rows(db_url, Plan)[0].status.value == "open"
    talk.say(ActionSavePending, "yes")
    assert (rows(db_url, Plan)[0].status.value, rows(db_url, Plan)[0].outcome.value) == (
        "closed", "partly")
    talk.say(ActionUndo, "undo")
    assert (rows(db_url, Plan)[0].status.value, rows(db_url, Plan)[0].outcome) == ("open", None)


def test_a_plan_agreed_today_has_no_outcome_yet(records, db_url):
    today = date(2026, 3, 16)
    records.save_plan("T01", "C002", [{"text": "Text her"}], "therapist", date(2026, 3, 30),
                      [], today)
    reply, events = Conversation(records).say(ActionRecordPlanOutcome, "it worked")
    assert "agreed today" in reply and "Mon 30 Mar 2026" in reply
    assert slot(events, "pending_write") is None
    # With an older plan still open, the outcome is that plan's, and today's stays open.
    records.save_plan("T01", "C002", [{"text": "Call her"}], "therapist", date(2026, 3, 12),
                      [], date(2026, 3, 2))
    talk = Conversation(records)
    talk.say(ActionRecordPlanOutcome, "it worked")
    talk.say(ActionSavePending, "yes")
    assert {(p.created_on, p.status.value) for p in rows(db_url, Plan)} == {
        (today, "open"), (date(2026, 3, 2), "closed")}


def test_the_client_named_is_the_one_acted_on(records, db_url):
    talk = Conversation(records, client_id="C001", client_name="Dana Whitfield")
    reply, events = talk.say(ActionRecordOutreach, "actually maya patel first - she texted back",
                             entities=[{"entity": "PERSON", "value": "maya patel"}])
    assert "utter_switched_client" in reply
    assert "Record for Maya Patel: text on Mon 16 Mar 2026, reached" in reply
    assert talk.slots["client_id"] == "C002"
    talk.say(ActionSavePending, "yes")
    [attempt] = rows(db_url, OutreachAttempt)
    assert attempt.client_id == "C002"


def test_a_name_that_fits_no_client_gets_no_other_client(records, db_url):
    talk = Conversation(records)
    reply, events = talk.say(ActionDraftClosingLetter, "closing letter for jamal carter")
    assert reply == "utter_no_such_client"
    assert talk.slots["client_id"] == "C002"
    # Another therapist's client is no client of this caseload either.
    reply, _ = talk.say(ActionDraftOutreach, "draft a text for noah kim",
                        entities=[{"entity": "PERSON", "value": "noah kim"}])
    assert reply == "utter_no_such_client"


def test_risk_is_recorded_and_holds_back_the_ending_until_safety_is_in_hand(records, db_url):
    talk = Conversation(records)
    talk.say(ActionProposePlan, "", plan_text="I call her thursday")
    pending = talk.slots["pending_write"]
    reply, events = talk.say(ActionSafetySteps, "her sister called, she's been talking about "
                             "ending it")
    assert "reported by a relative" in reply
    [concern] = rows(db_url, SafetyConcern)
    assert (concern.client_id, concern.reported_by, concern.in_hand_at) == (
        "C002", "relative", None)
    assert rows(db_url, OutreachAttempt) == []          # the sister's call is no attempt
    assert talk.slots["pending_write"] == pending       # the plan survives the safety steps
    # A new conversation knows nothing of it, but the record does.
    reply, _ = Conversation(records).say(ActionDraftClosingLetter, "draft the closing letter")
    assert reply.startswith("Safety first for Maya Patel") and "DRAFT" not in reply
    reply, _ = talk.say(ActionSafetyInHand, "ok safety plan in place, she's with her sister")
    assert "utter_back_to_waiting_write" in reply and "1. Call her" in reply
    assert rows(db_url, SafetyConcern)[0].in_hand_at is not None
    talk.say(ActionSavePending, "yes")
    assert len(rows(db_url, Plan)) == 1


def test_a_negative_screen_is_acknowledged_and_notes_no_concern(records, db_url):
    talk = Conversation(records)
    reply, _ = talk.say(ActionSafetySteps, "she was never suicidal, that was years ago")
    assert reply == "utter_negative_screen"
    assert rows(db_url, SafetyConcern) == []            # the therapist raised no concern
    assert talk.slots.get("safety_pending") is None      # and the gate is not forced
    # Doubt after the denial is a concern the therapist raised.
    talk.say(ActionSafetySteps, "she denies SI but I'm not sure")
    assert len(rows(db_url, SafetyConcern)) == 1


def test_the_right_letter(records, db_url):
    # Dana stopped coming (a run of no-shows): the letter for a client who stopped coming.
    reply, events = Conversation(records, client_id="C001").say(
        ActionDraftClosingLetter, "draft the closing letter")
    assert "I haven't been able to reach you" in reply and "close your file" in reply
    # Asked not to say the file will be closed: rewritten without it, and it stays so.
    reply, events = Conversation(records, client_id="C001").say(
        ActionDraftClosingLetter, "redo it but don't say we'll close the file")
    assert "close your file" not in reply and "haven't been able to reach you" in reply
    assert slot(events, "letter_omit") == ["closing"]
    # Ended as agreed: a completion letter, no word of closing for non-attendance.
    reply, _ = Conversation(records, client_id="C002").say(
        ActionDraftClosingLetter, "closing letter please, she met her goals and we agreed to end")
    assert "As we agreed, our sessions have now come to an end" in reply
    assert "haven't been able to reach you" not in reply and "close your file" not in reply


@pytest.mark.parametrize("question, answer", [
    ("when's her next appt", "Dana Whitfield's next appointment: Mon 23 Mar 2026 09:00, "
                             "in person."),
    ("how much does she owe", "Dana Whitfield owes $275.00 in fees on record"),
    ("who's her insurance", "Dana Whitfield's payer: self-pay."),
    ("do we have an emergency contact for her", "Dana Whitfield: an emergency contact is on "
                                                "file."),
    ("can I text her?", "Consent on file for Dana Whitfield: text messages: yes."),
])
def test_direct_questions_are_answered_from_the_record(records, question, answer):
    reply, _ = Conversation(records, client_id="C001").say(ActionAnswerFact, question)
    assert answer in reply


def test_two_questions_in_one_message_get_an_answer_each(records):
    reply, _ = Conversation(records, client_id="C001").say(
        ActionAnswerFact, "when's her next appt and does she owe anything?")
    lines = reply.splitlines()
    assert lines[0] == "Dana Whitfield's next appointment: Mon 23 Mar 2026 09:00, in person."
    assert lines[1].startswith("Dana Whitfield owes $275.00 in fees on record")
    reply, _ = Conversation(records, client_id="C001").say(
        ActionAnswerFact, "how much does she owe us now, and whos paying")
    assert reply.splitlines()[-1] == "Dana Whitfield's payer: self-pay."
    # One question that names two things is still one answer.
    reply, _ = Conversation(records, client_id="C001").say(
        ActionAnswerFact, "is she consented for telehealth and email?")
    assert reply.startswith("Consent on file for Dana Whitfield") and "owes" not in reply


def test_how_a_client_does_by_modality_comes_from_the_record(records):
    from collections import Counter

    reply, _ = Conversation(records, client_id="C001").say(
        ActionAnswerFact, "how does she do on video vs in person")
    outcomes = Counter(a.status for a in records.client_record("T01", "C001").appointments
                       if a.modality == "in_person")
    missed = outcomes["no_show"] + outcomes["late_cancel"]
    assert f"in person: kept {outcomes['attended']}, missed {missed}" in reply
    assert "telehealth: not tried" in reply and "next appointment" not in reply


def test_what_is_owed_is_shown_session_by_session_from_the_record(records):
    import re
    from decimal import Decimal

    reply, _ = Conversation(records, client_id="C001").say(
        ActionAnswerFact, "why does she owe so much, she's self pay")
    lines = re.findall(r"charged \$([\d,.]+), paid \$([\d,.]+)", reply)
    assert lines and reply.startswith("Dana Whitfield owes $275.00")
    owed = sum(Decimal(c.replace(",", "")) - Decimal(p.replace(",", "")) for c, p in lines)
    assert owed == Decimal("275.00")
    reply, _ = Conversation(records, client_id="C001").say(
        ActionAnswerFact, "is she consented for telehealth tho?")
    assert reply.startswith("Consent on file for Dana Whitfield")
    assert "consent to telehealth is not recorded here" in reply


def test_the_no_show_fee_question_follows_the_payer(records):
    reply, _ = Conversation(records, client_id="C003").say(ActionAnswerFact,
                                                          "can I charge her the no-show fee?")
    assert "No: Maya Chen is a Medicaid client" in reply and "42 CFR 447.15" in reply
    reply, _ = Conversation(records, client_id="C001").say(ActionAnswerFact,
                                                          "can I charge her the no-show fee?")
    assert "self-pay" in reply and "$75.00" in reply


def test_a_disputed_fact_is_shown_never_changed(records, db_url):
    reply, _ = Conversation(records, client_id="C001").say(
        ActionShowEntries, "that's wrong, she came on the 9th")
    assert "Mon 9 Mar 2026 09:00: no-show" in reply
    assert "front desk" in reply and "never change appointment records" in reply
    assert records.client_record("T01", "C001").appointments[7].status == "no_show"


def test_a_name_from_another_caseload_is_not_traded_for_a_first_name(records, db_url):
    # T02 has Dana Ortiz; "dana whitfield" is T01's. T02's lookup and reports stay clear of
    # Dana Ortiz, and write nothing.
    talk = Conversation(records, client_id=None, client_name=None)
    reply, _ = talk.say(ActionRecordOutreach, "record a call for dana whitfield, spoke to her "
                        "yesterday", staff_id="T02",
                        entities=[{"entity": "PERSON", "value": "dana whitfield"}])
    assert reply == "utter_no_such_client"
    reply, _ = Conversation(records, client_id="C001").say(
        ActionRecordOutreach, "I called lucia this morning btw, no answer")
    assert reply == "utter_no_such_client"
    assert rows(db_url, OutreachAttempt) == []


def test_a_report_read_as_something_else_is_still_read_back(records, db_url):
    reply, events = Conversation(records).say(ActionCorrectPending,
                                              "I called her tuesday, she didn't pick up")
    assert "phone call on Tue 10 Mar 2026, no answer. Save it?" in reply
    reply, _ = Conversation(records).say(ActionAnswerFact, "emailed her wed")
    assert "e-mail on Wed 11 Mar 2026, sent. Save it?" in reply
    assert rows(db_url, OutreachAttempt) == []


def test_a_day_said_in_reply_to_the_read_back_moves_the_report(records, db_url):
    talk = Conversation(records)
    reply, _ = talk.say(ActionRecordOutreach, "called her, no answer")
    assert "phone call on Mon 16 Mar 2026, no answer. Save it?" in reply   # today, in words
    # A bare day the model reads as off-topic is still the day the report lacked.
    reply, _ = talk.say(ActionOutOfScope, "saturday")
    assert "phone call on Sat 14 Mar 2026, no answer. Save it?" in reply
    assert rows(db_url, OutreachAttempt) == []
    talk.say(ActionSavePending, "yes")
    [attempt] = rows(db_url, OutreachAttempt)
    assert attempt.on == date(2026, 3, 14)
    # With nothing to change, off-topic stays off-topic and the write keeps waiting.
    talk.say(ActionRecordOutreach, "emailed her yesterday, no reply")
    reply, _ = talk.say(ActionOutOfScope, "what's the weather like")
    assert "utter_out_of_scope" in reply and talk.slots["pending_write"]
    assert len(rows(db_url, OutreachAttempt)) == 1


def test_a_correction_naming_another_client_moves_the_write(records, db_url):
    talk = Conversation(records)
    talk.say(ActionRecordOutreach, "left a vm yesterday")
    reply, _ = talk.say(ActionCorrectPending, "sorry, that was maya chen not maya patel",
                        entities=[{"entity": "PERSON", "value": "maya chen"}])
    assert "Record for Maya Chen: phone call on Sun 15 Mar 2026, message left" in reply
    talk.say(ActionSavePending, "yes")
    [attempt] = rows(db_url, OutreachAttempt)
    assert attempt.client_id == "C003"


def test_the_full_safety_steps_once_then_a_short_reply(records):
    shown = "Safety first for Maya Patel, before anything administrative.\n- Why: ..."
    history = [{"event": "slot", "name": "safety_pending", "value": False},
               {"event": "bot", "text": shown}]
    t = tracker("should I close her file?", safety_pending=True)
    t.events = history
    messages, _ = run(ActionDraftClosingLetter(records), t)
    # One line that says what was asked and how to go on.
    assert [m["text"] for m in messages] == [
        "Before we look at closing Maya Patel's file: safety first, and the rest waits until you "
        "tell me you have it in hand; ask \"what should I do?\" to see the safety steps again."]
    # Marked in hand since: shown again in full the next time.
    t.events = history + [{"event": "slot", "name": "safety_pending", "value": False}]
    messages, _ = run(ActionDraftClosingLetter(records), t)
    assert "Safety first for Maya Patel, before anything administrative." in texts(messages)
    # New words of risk bring the full steps again.
    t = tracker("she said she wants to die", safety_pending=True)
    t.events = history
    messages, _ = run(ActionCoachOpening(records), t)
    assert "Safety first for Maya Patel, before anything administrative." in texts(messages)


def test_two_attempts_in_one_message_are_read_back_saved_and_undone_together(records, db_url):
    talk = Conversation(records)
    reply, _ = talk.say(ActionRecordOutreach, "called her tues, no pickup. then emailed fri, "
                                              "nothing back")
    assert ("1. phone call on Tue 10 Mar 2026, no answer\n"
            "2. e-mail on Fri 13 Mar 2026, no answer\nSave all 2?") in reply
    assert rows(db_url, OutreachAttempt) == []
    talk.say(ActionCorrectPending, "no, the email was thursday")   # the e-mail, named
    talk.say(ActionSavePending, "yes")
    assert [(a.on, a.channel) for a in rows(db_url, OutreachAttempt)] == [
        (date(2026, 3, 10), "phone"), (date(2026, 3, 12), "email")]
    talk.say(ActionUndo, "undo")
    assert all(a.withdrawn_at is not None for a in rows(db_url, OutreachAttempt))


def test_a_call_told_with_a_risk_is_read_back_after_the_safety_steps(records, db_url):
    talk = Conversation(records)
    reply, _ = talk.say(ActionSafetySteps, "called her this morning, no answer. her mum rang "
                                           "after, says she's been talking about ending it")
    assert reply.index("Safety first") < reply.index("phone call on Mon 16 Mar 2026, no answer")
    assert len(rows(db_url, SafetyConcern)) == 1
    assert rows(db_url, OutreachAttempt) == []          # waits for the yes, like any write
    talk.say(ActionSavePending, "yes")
    assert [(a.channel, a.outcome) for a in rows(db_url, OutreachAttempt)] == [
        ("phone", "no_answer")]


def test_a_change_the_model_was_unsure_of_still_reaches_the_plan(records, db_url):
    talk = Conversation(records)
    talk.say(ActionProposePlan, "", plan_text="front desk calls her tomorrow, I send her a "
                                              "letter friday, review in 2 weeks")
    reply, _ = talk.say(ActionUnsure, "drop the letter, just the call")
    assert "1. Calls her (front desk" in reply and "letter" not in reply.lower()
    talk.say(ActionSavePending, "yes")
    [plan] = rows(db_url, Plan)
    assert [s["owner"] for s in json.loads(plan.steps)] == ["front_desk"]
    # A plan stated in a way the model was unsure of is read back, not lost.
    reply, events = Conversation(records).say(ActionUnsure, "plan is I call her thursday, no "
                                                            "review date for now")
    assert "Here's the plan for Maya Patel" in reply and "no date given" in reply


def test_an_intention_said_in_passing_is_no_plan(records, db_url):
    reply, events = Conversation(records).say(
        ActionProposePlan, "", plan_text="I'll call her tomorrow, prob around noon")
    assert "utter_intention_not_a_plan" in reply
    assert slot(events, "pending_write") is None
    # Said as a plan, it is one.
    reply, _ = Conversation(records).say(ActionProposePlan, "",
                                         plan_text="plan: I call her tomorrow, review friday")
    assert "Here's the plan for Maya Patel" in reply


def test_a_full_name_that_fits_no_client_writes_nothing_for_the_one_in_discussion(records,
                                                                                  db_url):
    for action in (ActionUnsure, ActionRecordOutreach):
        reply, events = Conversation(records).say(
            action, "now dana ortiz - called her fri, no answer",
            entities=[{"entity": "PERSON", "value": "dana ortiz"}])
        assert reply == "utter_no_such_client"
        assert slot(events, "pending_write") is None
    assert rows(db_url, OutreachAttempt) == []


def test_a_first_name_tagged_alone_before_another_surname_writes_nothing(records, db_url):
    # spaCy tags "Dana" only; the surname typed after it is none of my Danas'.
    for action in (ActionUnsure, ActionRecordOutreach):
        reply, events = Conversation(records).say(
            action, "now Dana Ortiz - called her fri, no answer",
            entities=[{"entity": "PERSON", "value": "Dana"}])
        assert reply == "utter_no_such_client"
        assert slot(events, "pending_write") is None
    assert rows(db_url, OutreachAttempt) == []


def test_a_fresh_miss_with_no_plan_at_work_is_news_from_the_record(records, db_url):
    from actions.base import summary_of
    from reconnect.settings import clinic_config

    record = records.client_record("T01", "C002")
    summary = summary_of(record, clinic_config())
    reply, events = Conversation(records).say(ActionRecordPlanOutcome,
                                              "ugh she no-showed AGAIN this morning")
    assert f"As recorded: {summary.current_run} consecutive no-show" in reply
    assert "Next:" in reply and "no open plan" not in reply.lower()
    assert slot(events, "pending_write") is None           # nothing to save from news
    assert rows(db_url, Plan) == [] and rows(db_url, OutreachAttempt) == []


def test_an_undo_the_model_was_unsure_of_still_undoes(records, db_url):
    talk = Conversation(records)
    talk.say(ActionRecordOutreach, "texted her friday, no reply")
    talk.say(ActionSavePending, "yes")
    _, events = talk.say(ActionUnsure, "scratch the last one")
    assert [e["name"] for e in events if e.get("event") == "followup"] == ["action_undo"]
    # With a write waiting, the same words are a change to it, never an undo.
    talk.say(ActionProposePlan, "", plan_text="I call her friday and send her a letter monday")
    _, events = talk.say(ActionUnsure, "remove the letter step")
    assert not any(e.get("event") == "followup" for e in events)


def test_undo_the_text_one_takes_back_only_the_text(records, db_url):
    talk = Conversation(records)
    talk.say(ActionRecordOutreach, "left her a vm wed, then texted her sun, no answer")
    talk.say(ActionSavePending, "yes")
    assert len(rows(db_url, OutreachAttempt)) == 2
    # Read as a report, the words are an undo, never a new attempt.
    _, events = talk.say(ActionRecordOutreach, "undo the text one, it went to her old number")
    assert [e["name"] for e in events if e.get("event") == "followup"] == ["action_undo"]
    assert slot(events, "pending_write") is None
    reply, events = talk.say(ActionUndo, "undo the text one, it went to her old number")
    left = [a for a in rows(db_url, OutreachAttempt) if a.withdrawn_at is None]
    assert [(a.channel, a.outcome) for a in left] == [("phone", "left_message")]
    # The call is still the last thing saved: a plain undo takes it back next.
    talk.say(ActionUndo, "undo")
    assert all(a.withdrawn_at is not None for a in rows(db_url, OutreachAttempt))


def test_a_yes_with_safety_in_hand_saves_the_write_waiting(records, db_url):
    talk = Conversation(records)
    talk.say(ActionRecordOutreach, "left her a vm wed")
    reply, events = talk.say(ActionSafetyInHand,
                             "yes. and i already said safety is fine for her this morning")
    assert [e["name"] for e in events if e.get("event") == "followup"] == [
        "action_save_pending"]
    # "this morning" changed nothing: the write waiting is saved as read back.
    assert not any(e.get("name") == "pending_write" for e in events)


def test_a_no_that_says_what_to_change_corrects_rather_than_cancels(records, db_url):
    records.save_plan("T01", "C002", [{"text": "Call her"}], "therapist", date(2026, 3, 12),
                      [], date(2026, 3, 2))
    talk = Conversation(records)
    reply, _ = talk.say(ActionRecordPlanOutcome, "the plan worked")
    assert "it worked. Save it?" in reply
    reply, _ = talk.say(ActionDiscardPending, "hmm no, only partly")
    assert "it partly worked. Save it?" in reply
    talk.say(ActionSavePending, "yes")
    assert rows(db_url, Plan)[0].outcome.value == "partly"
    # An attempt: "no - it was wednesday" moves the day; a plain no still saves nothing.
    talk.say(ActionRecordOutreach, "called her yesterday, no answer")
    reply, _ = talk.say(ActionDiscardPending, "no - it was wednesday")
    assert "phone call on Wed 11 Mar 2026, no answer" in reply
    reply, _ = talk.say(ActionDiscardPending, "no")
    assert "utter_write_discarded" in reply
    assert rows(db_url, OutreachAttempt) == []


def test_risk_in_a_message_the_model_was_unsure_of_still_comes_first(records, db_url):
    _, events = Conversation(records).say(
        ActionUnsure, "telehealth partly worked but she feels like a burden on everyone lately")
    assert [e.get("name") for e in events if e.get("event") == "followup"] == ["action_safety_steps"]
    assert rows(db_url, Plan) == [] and rows(db_url, OutreachAttempt) == []


@pytest.mark.parametrize("text", ["hmm cancel that, i need to check my call log first",
                                  "nah scrap it, need to run it by him first"])
def test_a_cancel_the_model_was_unsure_of_still_cancels(records, db_url, text):
    talk = Conversation(records)
    talk.say(ActionRecordOutreach, "texted her this morning")
    reply, _ = talk.say(ActionUnsure, text)
    assert "utter_write_discarded" in reply
    assert talk.slots["pending_write"] is None and talk.slots["client_id"] == "C002"
    talk.say(ActionSavePending, "yes")
    assert rows(db_url, OutreachAttempt) == []


def test_a_cancel_read_as_a_name_still_cancels(records, db_url):
    from actions.client_lookup import ActionSummarizeAttendance

    talk = Conversation(records)
    talk.say(ActionRecordOutreach, "texted her this morning")
    reply, _ = talk.say(ActionSummarizeAttendance, "nah scrap it, need to run it by him first")
    assert "utter_write_discarded" in reply and "no client" not in reply.lower()
    assert talk.slots["pending_write"] is None


def _told(text_events, latest, entities=(), **slots):
    """A tracker whose conversation holds `text_events`: ("user", text) or ("client", id)."""
    from rasa_sdk import Tracker

    events = [{"event": "user", "text": value} if kind == "user"
              else {"event": "slot", "name": "client_id", "value": value}
              for kind, value in text_events]
    events.append({"event": "user", "text": latest})
    return Tracker(sender_id="t", slots={"client_id": "C001", **slots},
                   latest_message={"text": latest, "intent": {"name": "x"},
                                   "entities": list(entities), "metadata": {"staff_id": "T01"}},
                   events=events, paused=False, followup_action=None, active_loop={},
                   latest_action_name="action_listen")


def test_options_and_drafts_leave_out_a_day_the_therapist_said_no_longer_fits(records):
    from actions.barriers import ActionSuggestOptions
    from tests.actions.test_walkthrough import channel

    before = texts(run(ActionSuggestOptions(records), _told(
        [("user", "pull up dana whitfield"), ("client", "C001")], "options?",
        barriers=["scheduling"]))[0])
    assert "Thursdays 17:00 (kept 2 times)" in before

    said = [("user", "pull up dana whitfield"), ("client", "C001"),
            ("user", "thursdays don't work for her anymore, new job")]
    after = texts(run(ActionSuggestOptions(records), _told(said, "options?",
                                                           barriers=["scheduling"]))[0])
    assert "Thursdays 17:00" not in after
    assert "Left out of the slots above, as you said they no longer fit: Thursdays." in after
    draft = texts(run(ActionDraftOutreach(records),
                      _told(said, "draft a text", entities=[channel("sms")]))[0])
    assert "DRAFT for clinician review" in draft and "Thursday" not in draft
    earlier = texts(run(ActionDraftOutreach(records), _told(
        [("user", "pull up dana whitfield"), ("client", "C001")], "draft a text",
        entities=[channel("sms")]))[0])
    assert "Thursdays at 5pm" in earlier

    # Said about another client earlier in the conversation: not carried over.
    other = [("user", "pull up maya patel"), ("client", "C002"),
             ("user", "thursdays don't work for her"), ("user", "pull up dana whitfield"),
             ("client", "C001")]
    again = texts(run(ActionSuggestOptions(records), _told(other, "options?",
                                                           barriers=["scheduling"]))[0])
    assert "Thursdays 17:00 (kept 2 times)" in again and "Left out" not in again


def test_a_second_undo_says_what_can_be_undone_and_keeps_older_entries(records, db_url):
    talk = Conversation(records)
    reply, _ = talk.say(ActionUndo, "undo")
    assert "utter_nothing_to_undo" in reply                 # nothing saved yet: said so
    talk.say(ActionRecordOutreach, "texted her friday, no reply")
    talk.say(ActionSavePending, "yes")
    talk.say(ActionRecordOutreach, "called her yesterday, no answer")
    talk.say(ActionSavePending, "yes")
    reply, _ = talk.say(ActionUndo, "undo")
    assert "utter_undone" in reply
    reply, _ = talk.say(ActionUndo, "undo")
    assert "utter_nothing_to_undo" not in reply             # the text was saved here too
    assert ("Only the last entry saved in this conversation can be undone here, and it "
            "(phone call on Sun 15 Mar 2026, no answer for Maya Patel) has already been "
            "taken back.") in reply
    assert "ask your practice manager to correct it" in reply
    text, call = rows(db_url, OutreachAttempt)
    assert (text.channel, text.withdrawn_at) == ("sms", None)   # the older entry stays
    assert call.withdrawn_at is not None
    audit = [e.detail for e in rows(db_url, AuditEvent) if e.action == "entry_corrected"]
    assert audit == [f"outreach {call.id} taken back"]         # taken back once only


@pytest.mark.parametrize("action, text, by", [
    (ActionRecordBarriers, "no car, and she told me she wants to die", "therapist"),
    (ActionRecordOutreach, "called her this morning, she picked up, said she wants to die",
     "therapist"),
    (ActionProposePlan, "", "therapist"),
])
def test_words_of_risk_inside_another_step_note_a_concern_once(records, db_url, action, text,
                                                                by):
    talk = Conversation(records)
    extra = {}
    if action is ActionProposePlan:
        text = "I call her thursday, her sister says she's been talking about ending it"
        extra, by = {"plan_text": text}, "relative"
    reply, events = talk.say(action, text, **extra)
    if action is ActionRecordOutreach:
        # a contact told with risk: the safety step's first, which reads the contact back
        assert events[-1]["name"] == "action_safety_steps" and reply == ""
        reply, events = talk.say(ActionSafetySteps, text)
    assert "Safety first for Maya Patel" in reply and "utter_concern_noted" in reply
    [concern] = rows(db_url, SafetyConcern)
    assert (concern.client_id, concern.reported_by, concern.raised_on, concern.in_hand_at) == (
        "C002", by, date(2026, 3, 16), None)
    assert json.loads(talk.slots["last_write"])["kind"] == "concern"   # "undo" takes it back
    # The safety step on the same words notes nothing more.
    reply, _ = talk.say(ActionSafetySteps, text)
    assert "utter_concern_noted" not in reply
    assert len(rows(db_url, SafetyConcern)) == 1
    waiting = talk.slots.get("pending_write")
    reply, _ = talk.say(ActionUndo, "undo")
    if waiting:
        # A write was read back with the concern: the first undo drops that, unsaved, and
        # says the concern is still in the record until a second undo.
        assert "Still in the record: a safety concern" in reply
        assert rows(db_url, SafetyConcern)[0].withdrawn_at is None
        talk.say(ActionUndo, "undo")
    assert rows(db_url, SafetyConcern)[0].withdrawn_at is not None


def test_the_models_reading_alone_notes_no_concern(records, db_url):
    from tests.actions.test_walkthrough import run, tracker

    t = tracker("no bus fare lately and she says nothing matters anymore",
                intent="inform_barrier")
    t.latest_message["intent_ranking"] = [{"name": "inform_barrier", "confidence": 0.6},
                                          {"name": "report_risk_concern", "confidence": 0.4}]
    messages, events = run(ActionRecordBarriers(records), t)
    assert messages[0]["text"].startswith("Safety first for Maya Patel")  # the steps, shown
    assert rows(db_url, SafetyConcern) == []                            # but nothing noted
    assert slot(events, "last_write") is None


def test_a_surname_alone_from_another_caseload_gets_no_other_clients_facts(records, db_url):
    from actions.client_lookup import ActionSummarizeAttendance
    from tests.actions.test_walkthrough import run, tracker

    # Ortiz is T02's client (Dana Ortiz); T01 is discussing Dana Whitfield.
    for action, text in [(ActionAnswerFact, "does ortiz owe anything"),
                         (ActionAnswerFact, "does Ortiz's insurance cover telehealth?"),
                         (ActionSummarizeAttendance, "how's ortiz doing")]:
        messages, events = run(action(records), tracker(text, client_id="C001"))
        assert [m.get("response") for m in messages] == ["utter_no_such_client"], text
        assert messages[0]["name"].lower() == "ortiz"
        assert "Whitfield" not in texts(messages) and "$" not in texts(messages)
        assert slot(events, "client_id") in (None, "C001")
    # The caseload's own surname is no stranger; ordinary words and staff names are no one.
    reply, _ = Conversation(records, client_id="C001").say(ActionAnswerFact,
                                                          "does whitfield owe anything")
    assert reply.startswith("Dana Whitfield owes $275.00")
    reply, _ = Conversation(records, client_id="C001").say(ActionAnswerFact,
                                                          "how much does she owe, honestly")
    assert reply.startswith("Dana Whitfield owes $275.00")
    # Chen is a surname of the clinic (Maya Chen, T01's) but also Jamie Chen's at the front
    # desk: for T02 it names no client.
    reply, _ = Conversation(records, client_id="C005", client_name="Dana Ortiz").say(
        ActionAnswerFact, "how much does she owe? chen at the front desk asked", staff_id="T02")
    assert reply.startswith("Dana Ortiz owes")


def test_a_yes_that_adds_an_attempt_told_earlier_saves_and_reads_the_addition_back(records,
                                                                                  db_url):
    talk = Conversation(records)
    reply, _ = talk.say(ActionRecordOutreach, "called her tues, no answer, then emailed thurs, "
                                              "and the sat text too")
    assert "Save all 2?" in reply
    # Read as unsure (as the language model reads it): a yes, then the addition.
    _, events = talk.say(ActionUnsure, "yes. and the sat one too")
    assert [e["name"] for e in events if e.get("event") == "followup"] == ["action_save_pending"]
    assert slot(events, "pending_write") is None            # the waiting write is not changed
    reply, _ = talk.say(ActionSavePending, "yes. and the sat one too")
    assert "Saved for Maya Patel: phone call on Tue 10 Mar 2026, no answer and e-mail on " \
           "Thu 12 Mar 2026, sent." in reply
    assert "Record for Maya Patel: text on Sat 14 Mar 2026, sent. Save it?" in reply
    assert len(rows(db_url, OutreachAttempt)) == 2          # the addition waits for its yes
    talk.say(ActionSavePending, "yes")
    assert [(a.on, a.channel) for a in rows(db_url, OutreachAttempt)] == [
        (date(2026, 3, 10), "phone"), (date(2026, 3, 12), "email"), (date(2026, 3, 14), "sms")]


def test_an_addition_that_cannot_be_told_gets_a_question_and_writes_nothing(records, db_url):
    talk = Conversation(records)
    talk.say(ActionRecordOutreach, "called her tues, no answer")
    _, events = talk.say(ActionCorrectPending, "yes, and the sat one too")
    assert [e["name"] for e in events if e.get("event") == "followup"] == ["action_save_pending"]
    reply, events = talk.say(ActionSavePending, "yes, and the sat one too")
    assert "Saved for Maya Patel: phone call on Tue 10 Mar 2026, no answer." in reply
    assert "I couldn't tell which other contact with Maya Patel you mean" in reply
    assert slot(events, "pending_write") is None
    assert [(a.on, a.channel) for a in rows(db_url, OutreachAttempt)] == [
        (date(2026, 3, 10), "phone")]                       # nothing invented
    # Told in full with the yes, the addition is read back for its own yes.
    talk.say(ActionRecordOutreach, "emailed her thurs")
    reply, _ = talk.say(ActionSavePending, "yep and I also texted her sat, no reply")
    assert "Record for Maya Patel: text on Sat 14 Mar 2026, no answer. Save it?" in reply
    assert len(rows(db_url, OutreachAttempt)) == 2


def test_a_question_is_not_read_as_safety_in_hand(records, db_url):
    talk = Conversation(records)
    talk.say(ActionSafetySteps, "her sister called, she's been talking about ending it")
    [concern] = rows(db_url, SafetyConcern)
    # "and her risk level?" asks; it tells nothing: nothing is marked, the record answers.
    reply, events = talk.say(ActionSafetyInHand, "and her risk level?")
    client = records.client_record("T01", "C002").client
    assert reply.startswith(f"Maya Patel's risk level on record: {client.risk_level}")
    assert rows(db_url, SafetyConcern)[0].in_hand_at is None and events == []
    # Told in so many words, with questions: marked, and the questions answered from the record.
    reply, events = talk.say(ActionSafetyInHand,
                             "safety's fine now. whens her next appt and does she owe anything?")
    assert rows(db_url, SafetyConcern)[0].in_hand_at is not None
    assert "utter_safety_noted" in reply and "Maya Patel owes" in reply
    assert slot(events, "safety_pending") is False
    assert concern.id == rows(db_url, SafetyConcern)[0].id


def test_a_barrier_told_with_the_request_for_options_counts(records):
    from actions.barriers import ActionSuggestOptions

    reply, events = Conversation(records, client_id="C001", client_name="Dana Whitfield").say(
        ActionSuggestOptions, "mornings are out, new shift pattern. options?")
    assert reply.startswith("Noted for Dana Whitfield: work shifts or school.")
    assert "Options for Dana Whitfield" in reply and "Which" not in reply
    assert slot(events, "barriers") == ["work_shifts"]
    assert "Left out of the slots above, as you said they no longer fit: mornings." in reply


def _open_plan(records, text="Offer telehealth"):
    records.save_plan("T01", "C002", [{"text": text}], "therapist", date(2026, 3, 9),
                      [], date(2026, 2, 23))


def test_a_plan_outcome_told_with_the_name_is_read_back_after_the_summary(records, db_url):
    from actions.client_lookup import ActionSummarizeAttendance
    _open_plan(records)
    talk = Conversation(records, client_id=None, client_name=None)
    reply, events = talk.say(ActionSummarizeAttendance, "maya patel - the plan worked",
                             entities=[{"entity": "PERSON", "value": "maya patel"}])
    assert "Record for Maya Patel: the plan of Mon 23 Feb 2026 - it worked. Save it?" in reply
    assert "How did the last plan go?" not in reply
    talk.say(ActionDiscardPending, "hmm no, only partly")
    talk.say(ActionSavePending, "yes")
    [plan] = rows(db_url, Plan)
    assert (plan.status.value, plan.outcome.value) == ("closed", "partly")


@pytest.mark.parametrize("text, outcome", [
    ("maya patel, telehealth didn't work for her at all", "did_not_work"),
    ("maya patel's plan wrkd, she came thurs", "worked"),
    ("maya patel - that plan to call her did not work tbh", "did_not_work"),
])
def test_a_plan_outcome_the_model_was_unsure_of_is_read_back(records, db_url, text, outcome):
    _open_plan(records)
    talk = Conversation(records, client_id=None, client_name=None)
    reply, _ = talk.say(ActionUnsure, text)
    assert "Record for Maya Patel: the plan of Mon 23 Feb 2026" in reply
    assert talk.slots["client_id"] == "C002"
    talk.say(ActionSavePending, "yes")
    assert rows(db_url, Plan)[0].outcome.value == outcome
    assert rows(db_url, OutreachAttempt) == []


def test_a_chatty_outcome_for_the_client_in_discussion_is_read_back(records, db_url):
    _open_plan(records)
    talk = Conversation(records)
    reply, _ = talk.say(ActionUnsure, "Good news on Maya actually, the telehealth idea worked "
                                      "out really well, she seems much more settled")
    assert "the plan of Mon 23 Feb 2026 - it worked. Save it?" in reply


def test_a_call_and_an_outcome_in_one_message_are_each_read_back_for_a_yes(records, db_url):
    _open_plan(records)
    talk = Conversation(records)
    reply, _ = talk.say(ActionRecordOutreach,
                        "called her thurs and she picked up, so the plan worked")
    assert "phone call on Thu 12 Mar 2026, reached. Save it?" in reply
    assert "After that I'll read back the outcome of the plan of Mon 23 Feb 2026" in reply
    reply, events = talk.say(ActionSavePending, "yes")
    assert any(e.get("event") == "followup" and e["name"] == "action_listen" for e in events)
    assert "Record for Maya Patel: the plan of Mon 23 Feb 2026 - it worked. Save it?" in reply
    assert len(rows(db_url, OutreachAttempt)) == 1 and rows(db_url, Plan)[0].status.value == "open"
    talk.say(ActionSavePending, "yes")
    assert rows(db_url, Plan)[0].outcome.value == "worked"
    assert talk.slots["pending_write"] is None


def test_an_outcome_and_a_text_in_one_message_are_each_read_back_for_a_yes(records, db_url):
    _open_plan(records)
    talk = Conversation(records)
    reply, _ = talk.say(ActionRecordPlanOutcome, "txted her sat, she replied, telehealth is "
                                                 "working well, so mark the plan as worked")
    assert "the plan of Mon 23 Feb 2026 - it worked. Save it?" in reply
    reply, _ = talk.say(ActionSavePending, "yes")
    assert "Record for Maya Patel: text on Sat 14 Mar 2026, reached. Save it?" in reply
    talk.say(ActionSavePending, "yes")
    [attempt] = rows(db_url, OutreachAttempt)
    assert (attempt.on, attempt.channel, attempt.outcome) == (date(2026, 3, 14), "sms",
                                                              "reached")
    assert rows(db_url, Plan)[0].outcome.value == "worked"


def test_no_luck_on_a_call_is_no_plan_outcome(records, db_url):
    _open_plan(records)
    reply, events = Conversation(records).say(ActionRecordOutreach, "called her sat, no luck")
    assert "After that" not in reply


def test_a_count_asked_is_answered_not_disputed(records):
    from actions.record_facts import ActionShowEntries
    from reconnect.guidance.attendance import current_run

    reply, _ = Conversation(records, client_id="C001", client_name="Dana Whitfield").say(
        ActionShowEntries, "how many no shows in a row is she at? and is there an emergency "
                           "contact")
    run = current_run([a for a in records.client_record("T01", "C001").appointments
                       if a.status != "scheduled"])
    assert reply.startswith(f"Dana Whitfield: {run} no-shows in a row")
    assert "Dana Whitfield: an emergency contact is on file." in reply
    assert "never change appointment records" not in reply
    # Disputed, the entries are shown as before.
    reply, _ = Conversation(records, client_id="C001").say(
        ActionShowEntries, "that's wrong, she came on the 9th")
    assert "never change appointment records" in reply


def test_a_plan_that_names_its_client_first_is_read_back_for_that_client(records, db_url):
    talk = Conversation(records, client_id=None, client_name=None)
    # The model unsure of it, no client in discussion yet: the plan names its client.
    reply, _ = talk.say(ActionUnsure, "plan for maya patel: I email her the late-cancel policy, "
                                      "she replies with times that work")
    assert "Here's the plan for Maya Patel" in reply
    assert "1. Email her the late-cancel policy (you)" in reply
    assert "2. She replies with times that work (client)" in reply
    assert "plan for" not in reply.split("understood it:")[1]
    assert rows(db_url, Plan) == []
    talk.say(ActionSavePending, "yes")
    [plan] = rows(db_url, Plan)
    assert plan.client_id == "C002"


def test_undo_while_a_write_is_read_back_drops_it_and_keeps_what_was_saved(records, db_url):
    talk = Conversation(records)
    talk.say(ActionRecordOutreach, "called her tuesday, no answer")
    talk.say(ActionSavePending, "yes")
    talk.say(ActionRecordOutreach, "emailed her yesterday, no reply")
    reply, _ = talk.say(ActionUndo, "scratch that")
    assert "utter_write_discarded" in reply and "utter_undone" not in reply
    [saved] = rows(db_url, OutreachAttempt)
    assert saved.on == date(2026, 3, 10) and saved.withdrawn_at is None   # untouched
    assert talk.slots["pending_write"] is None
    reply, _ = talk.say(ActionUndo, "undo")          # now the saved one
    assert "utter_undone" in reply
    assert rows(db_url, OutreachAttempt)[0].withdrawn_at is not None


def test_a_change_read_as_a_dispute_still_changes_what_was_read_back(records, db_url):
    talk = Conversation(records)
    talk.say(ActionProposePlan, "", plan_text="I call her thursday, front desk texts reminders")
    reply, _ = talk.say(ActionShowEntries, "no that's wrong, the call is friday")
    assert "1. Call her (you, Fri 20 Mar 2026)" in reply and "scheduling system" not in reply
    # Attendance disputed with a plan waiting is still the record's, shown and never changed.
    reply, _ = talk.say(ActionShowEntries, "that's wrong, she came on the 9th")
    assert "Fri 20 Mar 2026" not in reply
    assert json.loads(talk.slots["pending_write"])["data"]["steps"][0]["due"] == "2026-03-20"
    assert rows(db_url, Plan) == []


def test_a_contact_told_with_the_name_is_read_back_after_the_summary(records, db_url):
    from actions.client_lookup import ActionSummarizeAttendance
    talk = Conversation(records, client_id=None, client_name=None)
    reply, _ = talk.say(ActionSummarizeAttendance, "cald maya patel yestrday no answr")
    assert "Maya Patel: attendance from the clinic record" in reply
    assert "Record for Maya Patel: phone call on Sun 15 Mar 2026, no answer. Save it?" in reply
    assert rows(db_url, OutreachAttempt) == []                      # nothing until yes
    talk.say(ActionSavePending, "yes")
    [attempt] = rows(db_url, OutreachAttempt)
    assert (attempt.client_id, attempt.on, attempt.channel, attempt.outcome) == (
        "C002", date(2026, 3, 15), "phone", "no_answer")


def test_a_name_alone_reads_no_contact_from_what_the_record_says_back(records, db_url):
    """The summary's own lines ("Tried before: ... Call her") are no report of the
    therapist's."""
    from actions.client_lookup import ActionSummarizeAttendance
    records.save_plan("T01", "C002", [{"text": "Call her"}], "therapist", date(2026, 3, 12),
                      [], date(2026, 3, 3))
    talk = Conversation(records, client_id=None, client_name=None)
    reply, events = talk.say(ActionSummarizeAttendance, "maya patel")
    assert "How did the last plan go?" in reply and "Record for" not in reply
    assert slot(events, "pending_write") is None
    assert rows(db_url, OutreachAttempt) == []


def test_a_contact_the_model_was_unsure_of_names_its_client(records, db_url):
    talk = Conversation(records, client_id=None, client_name=None)
    reply, _ = talk.say(ActionUnsure, "called maya patel sat, she picked up")
    assert "Record for Maya Patel: phone call on Sat 14 Mar 2026, reached. Save it?" in reply
    assert talk.slots["client_id"] == "C002"
    talk.say(ActionSavePending, "yes")
    [attempt] = rows(db_url, OutreachAttempt)
    assert (attempt.client_id, attempt.on, attempt.outcome) == ("C002", date(2026, 3, 14),
                                                                "reached")


def test_the_days_told_after_a_count_are_read_back_with_the_count_s_channel(records, db_url):
    talk = Conversation(records, client_id=None, client_name=None)
    reply, _ = talk.say(ActionUnsure, "maya patel hasn't picked up my last 2 calls")
    assert "utter_attempts_one_at_a_time" in reply and "utter_ask_rephrase" not in reply
    assert rows(db_url, OutreachAttempt) == []
    reply, _ = talk.say(ActionCorrectPending, "thurs and sat, no answer both times")
    assert ("1. phone call on Thu 12 Mar 2026, no answer\n"
            "2. phone call on Sat 14 Mar 2026, no answer") in reply
    assert rows(db_url, OutreachAttempt) == []
    talk.say(ActionSavePending, "yes")
    assert [(a.on, a.channel, a.outcome) for a in rows(db_url, OutreachAttempt)] == [
        (date(2026, 3, 12), "phone", "no_answer"), (date(2026, 3, 14), "phone", "no_answer")]


def test_days_alone_with_no_count_before_them_write_nothing(records, db_url):
    talk = Conversation(records)
    reply, events = talk.say(ActionCorrectPending, "thurs and sat, no answer both times")
    assert slot(events, "pending_write") is None
    talk.say(ActionSavePending, "yes")
    assert rows(db_url, OutreachAttempt) == []


def test_the_second_of_two_calls_is_corrected_by_its_place(records, db_url):
    talk = Conversation(records)
    talk.say(ActionRecordOutreach, "called her tue and thu, no answer both times")
    reply, _ = talk.say(ActionCorrectPending, "the second one was friday")
    assert ("1. phone call on Tue 10 Mar 2026, no answer\n"
            "2. phone call on Fri 13 Mar 2026, no answer") in reply
    reply, _ = talk.say(ActionCorrectPending, "the first one was wednesday")
    assert "1. phone call on Wed 11 Mar 2026, no answer" in reply
    talk.say(ActionSavePending, "yes")
    assert [a.on for a in rows(db_url, OutreachAttempt)] == [date(2026, 3, 11),
                                                              date(2026, 3, 13)]


def test_the_plan_s_own_step_named_working_is_its_outcome_and_no_contact(records, db_url):
    records.save_plan("T01", "C002", [{"text": "Call her"}], "therapist", date(2026, 3, 12),
                      [], date(2026, 3, 3))
    talk = Conversation(records)
    reply, _ = talk.say(ActionRecordOutreach, "update: the call worked, she rebooked for the 27th")
    assert "Record for Maya Patel: the plan of Tue 3 Mar 2026 - it worked. Save it?" in reply
    talk.say(ActionSavePending, "yes")
    assert rows(db_url, Plan)[0].outcome.value == "worked"
    assert rows(db_url, OutreachAttempt) == []


def test_how_the_plan_went_read_as_a_correction_is_still_its_outcome(records, db_url):
    records.save_plan("T01", "C002", [{"text": "Call her"}], "therapist", date(2026, 3, 12),
                      [], date(2026, 3, 3))
    talk = Conversation(records)
    reply, _ = talk.say(ActionCorrectPending, "right, that didn't work, she never called back")
    assert "the plan of Tue 3 Mar 2026 - it did not work. Save it?" in reply
    talk.say(ActionSavePending, "yes")
    assert rows(db_url, Plan)[0].outcome.value == "did_not_work"
    assert rows(db_url, OutreachAttempt) == []


def test_a_call_then_so_partly_is_the_call_and_then_the_plan_s_outcome(records, db_url):
    _open_plan(records)
    talk = Conversation(records)
    reply, _ = talk.say(ActionRecordOutreach, "rang her fri and got her; she's coming back but "
                                              "only every other week, so partly")
    assert "phone call on Fri 13 Mar 2026, reached. Save it?" in reply
    assert "(it partly worked)" in reply
    talk.say(ActionSavePending, "yes")
    talk.say(ActionSavePending, "yes")
    [attempt] = rows(db_url, OutreachAttempt)
    assert (attempt.on, attempt.outcome) == (date(2026, 3, 13), "reached")
    assert rows(db_url, Plan)[0].outcome.value == "partly"


def test_a_yes_after_words_of_assent_saves_and_reads_back_what_it_adds(records, db_url):
    talk = Conversation(records)
    talk.say(ActionProposePlan, "", plan_text="I call her thursday, front desk texts reminders")
    reply, events = talk.say(ActionSavePending,
                             "perfect, yes and I also left her a voicemail this morning")
    assert "Saved: the plan for Maya Patel is in the record (2 steps)." in reply
    assert "phone call on Mon 16 Mar 2026, message left. Save it?" in reply
    assert len(rows(db_url, Plan)) == 1 and rows(db_url, OutreachAttempt) == []
    talk.say(ActionSavePending, "yes")
    [attempt] = rows(db_url, OutreachAttempt)
    assert (attempt.on, attempt.outcome) == (date(2026, 3, 16), "left_message")


def test_a_yes_then_another_client_saves_the_write_for_the_first(records, db_url):
    from actions.client_lookup import ActionSummarizeAttendance
    talk = Conversation(records)
    talk.say(ActionRecordOutreach, "emailed her friday, no reply")
    reply, _ = talk.say(ActionSummarizeAttendance,
                        "yes. now sam greene - how does he do on video vs in person?")
    assert "Saved for Maya Patel: e-mail on Fri 13 Mar 2026, no answer." in reply
    [attempt] = rows(db_url, OutreachAttempt)
    assert (attempt.client_id, attempt.on, attempt.channel) == ("C002", date(2026, 3, 13),
                                                                "email")
    assert talk.slots["client_id"] == "C006" and talk.slots["pending_write"] is None
    assert json.loads(talk.slots["last_write"])["client_id"] == "C002"   # undo takes it back


def test_another_client_without_a_yes_says_the_write_was_not_saved(records, db_url):
    from actions.client_lookup import ActionSummarizeAttendance
    talk = Conversation(records)
    talk.say(ActionRecordOutreach, "emailed her friday, no reply")
    reply, _ = talk.say(ActionSummarizeAttendance, "pull up sam greene")
    assert "Not saved: the entry read back for Maya Patel." in reply
    assert rows(db_url, OutreachAttempt) == []


def test_a_contact_told_with_safety_in_hand_keeps_the_plan_waiting(records, db_url):
    talk = Conversation(records)
    talk.say(ActionProposePlan, "", plan_text="I call her thursday, front desk texts reminders")
    reply, _ = talk.say(ActionSafetyInHand, "rang her this morning and got her, she's safe, "
                                            "it's in hand")
    assert "phone call on Mon 16 Mar 2026, reached. Save it?" in reply
    assert "After that I'll read back the plan, for its own yes." in reply
    reply, _ = talk.say(ActionSavePending, "yes")
    assert "Here's the plan for Maya Patel" in reply and "1. Call her (you, Thu 19 Mar" in reply
    talk.say(ActionSavePending, "yes")
    assert len(rows(db_url, OutreachAttempt)) == 1 and len(rows(db_url, Plan)) == 1


@pytest.mark.parametrize("action", [ActionCorrectPending, ActionProposePlan,
                                    ActionRecordBarriers])
def test_words_of_risk_while_a_plan_waits_go_to_the_safety_step_not_into_the_plan(
        records, db_url, action):
    talk = Conversation(records)
    talk.say(ActionProposePlan, "", plan_text="I call her thursday, front desk texts reminders")
    waiting = talk.slots["pending_write"]
    said = ("also, thinking about it, last session she mentioned she's been saving up her "
            "pills. bit worried tbh")
    reply, events = talk.say(action, said, plan_text=said)
    assert ([e["name"] for e in events if e.get("event") == "followup"] == [
        "action_safety_steps"] or "Safety first for Maya Patel" in reply)
    assert talk.slots["pending_write"] == waiting and "pills" not in reply
    assert rows(db_url, Plan) == []


def test_a_plan_read_back_is_changed_by_a_review_a_drop_an_owner_or_a_step_joined_on(
        records, db_url):
    talk = Conversation(records)
    talk.say(ActionProposePlan, "", plan_text="we both try video sessions on fridays")
    reply, _ = talk.say(ActionProposePlan, "", plan_text="review in 3 wks")
    assert "1. Try video sessions on fridays (shared)" in reply
    assert "Follow-up: Mon 6 Apr 2026" in reply
    reply, _ = talk.say(ActionProposePlan, "", plan_text="and she confirms by email")
    assert "2. She confirms by email (client)" in reply
    # Read as a barrier, or the model unsure: still a change to the plan waiting.
    reply, _ = talk.say(ActionRecordBarriers, "drop the email one, she hates email")
    assert "She confirms" not in reply and "1. Try video sessions on fridays" in reply
    reply, _ = talk.say(ActionUnsure, "make the video step mine")
    assert "1. Try video sessions on fridays (you)" in reply
    talk.say(ActionSavePending, "yes")
    [plan] = rows(db_url, Plan)
    assert [(s["text"], s["owner"]) for s in json.loads(plan.steps)] == [
        ("Try video sessions on fridays", "therapist")]
    assert plan.follow_up_on == date(2026, 4, 6)


def test_the_day_or_the_place_of_an_attempt_names_the_one_a_correction_changes(records, db_url):
    talk = Conversation(records)
    talk.say(ActionRecordOutreach, "texted her wednesday, no reply, called her friday no answer")
    reply, _ = talk.say(ActionCorrectPending, "wait the wednesday one was an email not a text")
    assert ("1. e-mail on Wed 11 Mar 2026, no answer\n"
            "2. phone call on Fri 13 Mar 2026, no answer") in reply
    reply, _ = talk.say(ActionCorrectPending, "the friday call was a vm")
    assert "2. phone call on Fri 13 Mar 2026, message left" in reply
    reply, _ = talk.say(ActionCorrectPending, "no the 2nd was thursday not friday")
    assert "2. phone call on Thu 12 Mar 2026, message left" in reply and "Mar 2 " not in reply


def test_risk_told_with_a_client_s_name_and_no_client_in_discussion_acts_on_that_client(
        records, db_url):
    talk = Conversation(records, client_id=None, client_name=None)
    reply, _ = talk.say(ActionSafetySteps, "called maya patel this morning, no answer; her mum "
                                           "says she can't go on")
    assert "Safety first for Maya Patel" in reply
    assert "phone call on Mon 16 Mar 2026, no answer" in reply
    [concern] = rows(db_url, SafetyConcern)
    assert (concern.client_id, concern.reported_by) == ("C002", "relative")


def test_a_review_said_after_a_plan_read_back_is_its_follow_up_not_a_new_plan(records, db_url):
    import asyncio

    from rasa_sdk.executor import CollectingDispatcher

    from actions.plan import ValidatePlanForm
    from tests.actions.test_walkthrough import tracker
    talk = Conversation(records)
    talk.say(ActionProposePlan, "", plan_text="we both try video sessions on fridays")
    slots = asyncio.run(ValidatePlanForm().validate_plan_text(
        "review in 3 wks", CollectingDispatcher(),
        tracker("review in 3 wks", pending_write=talk.slots["pending_write"]), {}))
    assert slots == {"plan_text": "review in 3 wks", "plan_follow_up": "2026-04-06"}
    reply, _ = talk.say(ActionProposePlan, "", plan_text="review in 3 wks")
    assert "1. Try video sessions on fridays (shared)\nFollow-up: Mon 6 Apr 2026" in reply


def test_an_answer_typed_for_a_button_completes_the_write_waiting(records, db_url):
    from actions.client_lookup import ActionUnsure
    talk = Conversation(records)
    reply, _ = talk.say(ActionRecordOutreach, "rang her yesterday")
    assert "How did the phone call to Maya Patel on Sun 15 Mar 2026 go?" in reply
    reply, _ = talk.say(ActionRecordOutreach, "reached")
    assert "phone call on Sun 15 Mar 2026, reached. Save it?" in reply
    assert "utter_earlier_not_saved" not in reply
    reply, events = talk.say(ActionUnsure, "reached obviously")
    assert "utter_no_such_client" not in reply and "obviously" not in reply
    talk.say(ActionSavePending, "yes")
    [attempt] = rows(db_url, OutreachAttempt)
    assert (attempt.on, attempt.outcome) == (date(2026, 3, 15), "reached")


def test_a_channel_typed_for_the_channel_question_is_kept_with_the_result(records, db_url):
    talk = Conversation(records)
    reply, _ = talk.say(ActionRecordOutreach, "we reached her this morning")
    assert "a call, a text, an e-mail or a letter?" in reply
    reply, _ = talk.say(ActionRecordOutreach, "call")
    assert "phone call on Mon 16 Mar 2026, reached. Save it?" in reply
    reply, _ = talk.say(ActionRecordOutreach, "called her again this afternoon, no answer")
    assert "utter_earlier_not_saved" in reply                  # another call, said so


def test_a_question_about_earlier_plans_read_as_a_plan_is_answered_not_read_back(records,
                                                                              db_url):
    records.save_plan("T01", "C002", [{"text": "Offer fortnightly video"}], "therapist",
                      date(2026, 3, 20), [], date(2026, 3, 2))
    talk = Conversation(records)
    said = "ok and the fortnightly plan from before, is that still there?"
    reply, events = talk.say(ActionProposePlan, said, plan_text=said)
    assert "Tried with Maya Patel:" in reply and "Offer fortnightly video" in reply
    assert "Here's the plan" not in reply and slot(events, "pending_write") is None
    assert len(rows(db_url, Plan)) == 1


def test_a_plan_with_no_step_is_never_read_back(records, db_url):
    talk = Conversation(records)
    said = "texted her sat and she replied, in person fridays suits her fine so the plan worked"
    reply, events = talk.say(ActionProposePlan, said, plan_text=said)
    assert "No steps given" not in reply and "Here's the plan" not in reply
    assert "utter_plan_not_understood" in reply      # no open plan: no outcome to record
    records.save_plan("T01", "C002", [{"text": "Offer Fridays in person"}], "therapist",
                      date(2026, 3, 20), [], date(2026, 3, 2))
    reply, events = Conversation(records).say(ActionProposePlan, said, plan_text=said)
    # how the open plan went, read back first; the text after it, for its own yes
    assert "it worked. Save it?" in reply and "Here's the plan" not in reply
    assert "After that I'll read back" in reply


def test_the_concern_noted_today_spoken_of_again_is_no_new_concern(records, db_url):
    talk = Conversation(records)
    talk.say(ActionSafetySteps, "her sister rang, says she's been talking about ending it")
    assert len(rows(db_url, SafetyConcern)) == 1
    reply, _ = talk.say(ActionSafetySteps,
                        "hmm she had a safety concern today though, should i still send it?")
    assert "utter_concern_noted" not in reply
    assert len(rows(db_url, SafetyConcern)) == 1
    talk.say(ActionSafetySteps, "and she told me herself she wants to die")   # new words: noted
    assert len(rows(db_url, SafetyConcern)) == 2


def test_attendance_disputed_with_the_name_shows_the_entries_not_the_summary(records, db_url):
    from actions.client_lookup import ActionSummarizeAttendance
    said = ("dana whitfield says she came last monday, record says no show?? she def came "
            "last week")
    talk = Conversation(records, client_id=None, client_name=None)
    reply, events = talk.say(ActionSummarizeAttendance, said)
    assert [e["name"] for e in events if e.get("event") == "followup"] == [
        "action_show_entries"]
    reply, _ = talk.say(ActionShowEntries, said)
    assert "Mon 9 Mar 2026" in reply and "no-show" in reply
    assert "never change appointment records" in reply
    assert talk.slots["client_id"] == "C001"


def test_a_yes_before_a_question_saves_first_then_answers(records, db_url):
    talk = Conversation(records)
    talk.say(ActionRecordOutreach, "emailed her friday, no reply")
    reply, _ = talk.say(ActionAnswerFact, "yes. does she still owe us money and who's paying")
    assert reply.startswith("Saved for Maya Patel: e-mail on Fri 13 Mar 2026, no answer.")
    assert "payer" in reply
    [attempt] = rows(db_url, OutreachAttempt)
    assert attempt.on == date(2026, 3, 13) and talk.slots["pending_write"] is None
    # A question is never a yes: nothing waits, nothing more is saved.
    talk.say(ActionRecordOutreach, "called her yesterday, no answer")
    talk.say(ActionAnswerFact, "did you save those?")
    assert len(rows(db_url, OutreachAttempt)) == 1


def test_a_follow_up_step_waits_for_the_next_message():
    from actions.confirm import ActionCorrectPending as Step
    from tests.actions.test_walkthrough import tracker as make
    t = make("reached")
    t.events = [{"event": "user", "text": "reached"},
                {"event": "action", "name": "action_unsure"},
                {"event": "followup", "name": "action_correct_pending"}]
    assert Step(None)._followed_up(t)
    t.events = t.events[:2]
    assert not Step(None)._followed_up(t)


def test_a_count_told_with_risk_is_asked_for_once(records, db_url):
    reply, _ = Conversation(records).say(
        ActionSafetySteps, "she hasn't picked up my last 2 calls and her mum says she can't go on")
    assert reply.count("utter_attempts_one_at_a_time") == 1
    assert rows(db_url, OutreachAttempt) == []


def test_a_follow_up_said_alone_changes_the_plan_read_back_however_it_was_read(records,
                                                                               db_url):
    talk = Conversation(records)
    reply, _ = talk.say(ActionProposePlan, "", plan_text="offer her the thurs 4:30 slot; FD "
                        "txts her a reminder the night before")
    assert "Follow-up: no date given" in reply and "(front desk)" in reply
    # "3 wks" read as a yes: the follow-up, read back again, nothing saved
    reply, events = talk.say(ActionSavePending, "3 wks")
    assert "Follow-up: Mon 6 Apr 2026" in reply
    assert {"event": "followup", "name": "action_listen"} in [
        {k: e.get(k) for k in ("event", "name")} for e in events]
    assert rows(db_url, Plan) == []
    # "review in 2 weeks" read as a question about follow-ups due: the plan's follow-up
    reply, _ = talk.say(ActionListFollowUps, "review in 2 weeks")
    assert "Follow-up: Mon 30 Mar 2026" in reply
    assert rows(db_url, Plan) == []
    talk.say(ActionSavePending, "yes")
    [plan] = rows(db_url, Plan)
    assert plan.follow_up_on == date(2026, 3, 30)


def test_a_call_told_with_a_negative_screen_is_read_back(records, db_url):
    talk = Conversation(records)
    reply, _ = talk.say(ActionSafetySteps, "called her yesterday, she picked up. stressed "
                        "about money but denies SI, no safety concerns")
    assert "utter_negative_screen" in reply
    assert "phone call on Sun 15 Mar 2026, reached" in reply
    assert rows(db_url, SafetyConcern) == []
    talk.say(ActionSavePending, "yes")
    [attempt] = rows(db_url, OutreachAttempt)
    assert (attempt.on, attempt.channel, attempt.outcome) == (
        date(2026, 3, 15), "phone", "reached")


def test_risk_told_with_a_name_that_fits_no_client_still_brings_the_safety_steps(records,
                                                                               db_url):
    reply, events = Conversation(records).say(
        ActionSafetySteps, "his brother just rang - leo fischer gave away his dog this week",
        entities=[{"entity": "PERSON", "value": "leo fischer"}])
    assert reply.startswith("utter_safety_steps_general")
    assert "utter_no_such_client" in reply
    assert rows(db_url, SafetyConcern) == []          # no client's record is touched
    assert slot(events, "next_step") == "safety"
    # the failed name search is audited once, without the name
    searches = [a for a in rows(db_url, AuditEvent) if a.action == "name_not_found"]
    assert len(searches) == 1 and "fischer" not in (searches[0].detail or "").lower()


def test_a_plan_step_by_a_channel_with_no_consent_on_file_is_flagged_before_saving(records,
                                                                                  db_url):
    from reconnect.records.models import Client
    with session_scope(db_url) as session:
        session.get(Client, "C002").phone_consent = False
    reply, _ = Conversation(records).say(
        ActionProposePlan, "", plan_text="I call her thursday, front desk texts her a "
        "reminder, she emails me if she can't come")
    assert ("Check before saving: Maya Patel has no consent on file for calls (step 1)"
            in reply)
    assert "texts" not in reply.split("Check before saving")[1]   # consent given for texts
    assert rows(db_url, Plan) == []


def test_a_step_added_by_a_channel_with_no_consent_is_flagged_in_the_new_read_back(records,
                                                                                   db_url):
    from reconnect.records.models import Client
    with session_scope(db_url) as session:
        session.get(Client, "C002").email_consent = False
    talk = Conversation(records)
    reply, _ = talk.say(ActionProposePlan, "", plan_text="front desk texts her a reminder, "
                                                         "I call her thursday")
    assert "Check before saving" not in reply
    reply, _ = talk.say(ActionCorrectPending, "add a step: I'll email her the slot options by wed")
    assert "3. Email her the slot options (you, Wed 18 Mar 2026)" in reply
    assert "no consent on file for e-mails (step 3)" in reply


@pytest.mark.parametrize("text", ["can we just save the plan first", "pls save it now"])
def test_asking_to_save_what_was_read_back_saves_it(records, db_url, text):
    talk = Conversation(records)
    talk.say(ActionProposePlan, "", plan_text="I call her thursday, review in 2 weeks")
    reply, _ = talk.say(ActionAnswerFact, text)
    assert "Saved" in reply
    assert "utter_which_fact" not in reply      # nothing more was asked, so nothing more said
    [plan] = rows(db_url, Plan)
    assert plan.follow_up_on == date(2026, 3, 30)


def test_the_full_name_typed_decides_which_client_a_report_is_for(records, db_url):
    talk = Conversation(records, client_id=None, client_name=None)
    reply, events = talk.say(ActionRecordOutreach, "called maya patel this morning, no answer. "
                             "her mum messaged me after, maya's away",
                             entities=[{"entity": "PERSON", "value": "maya"}])
    assert "Which one do you mean" not in reply
    assert "Record for Maya Patel: phone call on Mon 16 Mar 2026, no answer" in reply


def test_a_plan_for_several_people_the_model_was_unsure_of_is_read_back_as_a_plan(records,
                                                                                db_url):
    talk = Conversation(records, client_id=None, client_name=None)
    reply, _ = talk.say(ActionUnsure, "maya patel: she picks a new day by wed (from the options "
                        "I emailed); we go over her goals together once she's back; front desk "
                        "rebooks her", entities=[{"entity": "PERSON", "value": "maya patel"}])
    assert "Here's the plan for Maya Patel" in reply
    assert "(client, Wed 18 Mar 2026)" in reply and "(shared)" in reply
    assert "(front desk)" in reply
    talk.say(ActionSavePending, "yes")
    assert len(rows(db_url, Plan)) == 1
    assert rows(db_url, OutreachAttempt) == []     # "the options I emailed" is no report


def test_a_yes_that_changes_the_plan_reads_it_back_again_and_saves_nothing(records, db_url):
    talk = Conversation(records)
    reply, _ = talk.say(ActionProposePlan, "", plan_text="I guess we try weekly 30 min video "
                        "sessions")
    assert "1. Try weekly 30 min video sessions (shared)" in reply
    reply, events = talk.say(ActionSavePending, "yeah 4/3. oh and FD emails him the new slots")
    assert "2. Emails him the new slots (front desk)" in reply
    assert "Follow-up: Fri 3 Apr 2026" in reply and "Save it?" in reply
    assert rows(db_url, Plan) == [] and slot(events, "pending_write")
    talk.say(ActionSavePending, "yes")
    [plan] = rows(db_url, Plan)
    assert [s["owner"] for s in json.loads(plan.steps)] == ["both", "front_desk"]
    assert plan.follow_up_on == date(2026, 4, 3)


def test_what_was_told_before_a_choice_of_clients_is_for_the_one_chosen(records, db_url):
    from actions.client_lookup import ActionSummarizeAttendance
    told = "called maya yesterday, no answer"
    messages, _ = run(ActionSummarizeAttendance(records), tracker(told, client_id=None))
    asked = texts(messages)
    assert "Which one do you mean?" in asked
    assert rows(db_url, OutreachAttempt) == []
    t = tracker('/ask_attendance{"client_id": "C003"}', client_id=None,
                entities=[{"entity": "client_id", "value": "C003"}])
    t.events = [{"event": "user", "text": told}, {"event": "bot", "text": asked},
                {"event": "user", "text": t.latest_message["text"]}]
    messages, events = run(ActionSummarizeAttendance(records), t)
    reply = texts(messages)
    assert "Record for Maya Chen: phone call on Sun 15 Mar 2026, no answer. Save it?" in reply
    waiting = [e["value"] for e in events if e.get("name") == "pending_write"][-1]
    assert json.loads(waiting)["client_id"] == "C003"
    # a choice made with nothing told before it is only the summary
    t.events = [{"event": "user", "text": "maya"}, {"event": "bot", "text": asked},
                {"event": "user", "text": t.latest_message["text"]}]
    messages, events = run(ActionSummarizeAttendance(records), t)
    assert "Save it?" not in texts(messages)
    assert not [e["value"] for e in events if e.get("name") == "pending_write"][-1]
    assert rows(db_url, OutreachAttempt) == []


def test_risk_told_with_how_the_last_plan_went_reads_the_outcome_back_after_the_steps(
        records, db_url):
    records.save_plan("T01", "C002", [{"text": "Offer telehealth"}], "therapist",
                      date(2026, 3, 9), [], date(2026, 2, 23))
    talk = Conversation(records)
    reply, _ = talk.say(ActionSafetySteps, "the telehealth plan didn't work, and at her last "
                        "session she said she feels like giving up on everything")
    assert reply.index("Safety first") < reply.index("it did not work. Save it?")
    assert rows(db_url, Plan)[0].status.value == "open"
    talk.say(ActionSavePending, "yes")
    assert rows(db_url, Plan)[0].outcome.value == "did_not_work"
    assert len(rows(db_url, SafetyConcern)) == 1


def test_a_yes_after_the_safety_steps_is_no_yes_to_the_plan_read_back_before_them(
        records, db_url):
    talk = Conversation(records)
    reply, _ = talk.say(ActionProposePlan, "", plan_text="offer tuesdays 5pm by video, front "
                        "desk emails him the link. f/u 3/30")
    talk.said.append({"event": "bot", "text": reply})
    reply, _ = talk.say(ActionSafetySteps, "hold on, last session he mentioned not wanting to "
                        "wake up some mornings")
    talk.said.append({"event": "bot", "text": reply})
    assert talk.slots["safety_pending"] and talk.slots["pending_write"]
    reply, _ = talk.say(ActionSavePending, "Yes")
    assert "utter_waits_for_safety" in reply and rows(db_url, Plan) == []
    reply, _ = talk.say(ActionSafetyInHand, "ok safety is in hand, talked it through w/ sup")
    talk.said.append({"event": "bot", "text": reply})
    assert "Save it?" in reply and rows(db_url, OutreachAttempt) == []
    talk.say(ActionSavePending, "Yes")
    assert len(rows(db_url, Plan)) == 1


def test_news_with_a_negative_screen_and_no_client_in_discussion_is_read_back(records, db_url):
    records.save_plan("T01", "C006", [{"text": "Call him"}], "therapist", date(2026, 3, 13),
                      [], date(2026, 3, 3))
    talk = Conversation(records, client_id=None, client_name=None)
    reply, _ = talk.say(ActionSafetyInHand, "sam greene - the plan worked, he made his friday "
                        "session. no safety concerns")
    assert "utter_negative_screen" in reply and "it worked. Save it?" in reply
    talk.said.append({"event": "bot", "text": reply})
    talk.say(ActionSavePending, "yes")
    assert [p.outcome.value for p in rows(db_url, Plan)] == ["worked"]
    assert rows(db_url, SafetyConcern) == []


def test_a_contact_read_back_before_the_safety_steps_waits_for_a_yes_to_itself(records,
                                                                                db_url):
    talk = Conversation(records)
    reply, _ = talk.turn(ActionRecordOutreach, "called her yesterday, no answer")
    reply, _ = talk.turn(ActionSafetySteps, "her mum says she can't go on")
    assert talk.slots["safety_pending"]
    # a yes to the safety steps is no yes to the call read back before them
    reply, _ = talk.turn(ActionSavePending, "yes")
    assert "utter_waits_for_safety" in reply and rows(db_url, OutreachAttempt) == []
    # asked for in so many words, the call is read back again, and the yes to that saves it
    reply, _ = talk.turn(ActionUnsure, "ok. pls log my call though")
    assert "phone call on Sun 15 Mar 2026, no answer. Save it?" in reply
    talk.say(ActionSavePending, "yes")
    assert [(str(a.channel), str(a.outcome)) for a in rows(db_url, OutreachAttempt)] == [
        ("phone", "no_answer")]


def test_a_contact_told_with_risk_gets_the_safety_steps_first_then_its_read_back(
        records, db_url):
    text = "called her this morning, no answer; her mum says she can't go on"
    reply, events = Conversation(records).say(ActionRecordOutreach, text)
    assert events[-1]["name"] == "action_safety_steps"
    assert "Save it?" not in reply and slot(events, "pending_write") is None
    reply, _ = Conversation(records).say(ActionSafetySteps, text)
    assert reply.index("Safety first") < reply.index("phone call on Mon 16 Mar 2026, no answer")
    assert rows(db_url, OutreachAttempt) == []


def test_a_yes_to_what_should_change_saves_nothing_and_reads_the_write_back(records, db_url):
    talk = Conversation(records)
    reply, _ = talk.turn(ActionRecordOutreach, "txted her 3/12 and called fri, no answer to either")
    reply, _ = talk.say(ActionCorrectPending, "/correct_record")
    assert reply == "utter_what_to_change_outreach"
    # as the Rasa server keeps it: the response's text
    talk.said.append({"event": "bot", "text": "What should change: the day (\"it was "
                      "Wednesday\"), the channel (\"it was an e-mail\") or how it went?"})
    reply, _ = talk.turn(ActionSavePending, "yes")
    assert reply.startswith("Nothing saved yet. Record for Maya Patel:") and "Save all 2?" in reply
    assert rows(db_url, OutreachAttempt) == []
    reply, _ = talk.turn(ActionCorrectPending, "the call was sat actually")
    assert "phone call on Sat 14 Mar 2026" in reply
    talk.say(ActionSavePending, "yes")
    assert sorted(str(a.on) for a in rows(db_url, OutreachAttempt)) == [
        "2026-03-12", "2026-03-14"]


def test_a_question_for_the_record_is_answered_however_the_model_read_it(records, db_url):
    records.save_plan("T01", "C002", [{"text": "Offer telehealth"}], "therapist",
                      date(2026, 3, 9), [], date(2026, 2, 23))
    reply, events = Conversation(records).say(ActionRecordBarriers, "what have i tried with her")
    assert reply.startswith("Tried with Maya Patel:") and "Offer telehealth" in reply
    assert slot(events, "barriers") is None
    reply, _ = Conversation(records).say(ActionRecordOutreach, "what outreach is on record for "
                                         "her?")
    assert reply.startswith("Tried with Maya Patel:")
    reply, events = Conversation(records, client_id=None, client_name=None).say(
        ActionUnsure, "how does sam greene do on video vs in person")
    assert "Sam Greene" in reply and "in person" in reply and "rephrase" not in reply
    assert slot(events, "client_id") == "C006"
    # a barrier told is still a barrier
    _, events = Conversation(records).say(ActionRecordBarriers, "no car, the bus takes 90 min")
    assert slot(events, "barriers") == ["transport"]
    assert rows(db_url, OutreachAttempt) == []


@pytest.mark.parametrize("action", [ActionCorrectPending, ActionDiscardPending])
def test_no_date_yet_to_a_plan_without_one_reads_it_back_for_its_yes(records, db_url, action):
    talk = Conversation(records)
    reply, _ = talk.turn(ActionProposePlan, "", plan_text="I email him the late-cancel policy, "
                        "he replies with times that work")
    reply, _ = talk.turn(action, "no date yet")
    assert "Here's the plan for Maya Patel" in reply and "Save it?" in reply
    talk.say(ActionSavePending, "Yes")
    [plan] = rows(db_url, Plan)
    assert plan.follow_up_on is None and len(json.loads(plan.steps)) == 2


def test_several_contacts_in_hurried_words_and_a_correction_by_date(records, db_url):
    talk = Conversation(records)
    reply, _ = talk.say(ActionRecordOutreach, "called her tues no answer, lvm thurs, txt sat "
                        "no reply")
    assert "1. phone call on Tue 10 Mar 2026, no answer" in reply
    assert "2. phone call on Thu 12 Mar 2026, message left" in reply
    assert "3. text on Sat 14 Mar 2026, no answer" in reply
    reply, _ = talk.say(ActionCorrectPending, "the 3/12 one was an email not a call")
    assert "2. e-mail on Thu 12 Mar 2026" in reply and "1. phone call on Tue 10 Mar" in reply
    assert rows(db_url, OutreachAttempt) == []


@pytest.mark.parametrize("action_class", [ActionStop, ActionStartOver])
def test_a_step_dropped_in_words_read_as_stop_or_start_over_changes_the_plan(
        records, db_url, action_class):
    talk = Conversation(records)
    talk.say(ActionProposePlan, "", plan_text="FD texts reminders; I call her wed; she picks a "
                                              "day by fri. f/u 4/3")
    _, events = talk.say(action_class, "drop the last one")
    assert [(e["event"], e.get("name")) for e in events] == [
        ("followup", "action_correct_pending")]
    reply, _ = talk.say(ActionCorrectPending, "drop the last one")
    assert "1. Texts reminders (front desk)\n2. Call her (you, Wed 18 Mar 2026)\n" in reply
    assert "3." not in reply and rows(db_url, Plan) == []


def test_how_the_last_plan_went_told_before_a_new_plan_is_read_back_first(records, db_url):
    records.save_plan("T01", "C002", [{"text": "Offer telehealth"}], "therapist",
                      date(2026, 3, 9), [], date(2026, 3, 2))
    talk = Conversation(records)
    reply, _ = talk.turn(ActionProposePlan, "", plan_text=(
        "the telehealth plan didn't work, she no-showed the 5th. new plan: FD texts her the "
        "link the morning of each session; I call her thurs. f/u april 2"))
    assert "it did not work. Save it?" in reply and "Texts her the link" not in reply
    reply, _ = talk.turn(ActionSavePending, "yes")
    assert "1. Texts her the link the morning of each session (front desk)" in reply
    talk.say(ActionSavePending, "yes")
    plans = sorted(rows(db_url, Plan), key=lambda p: p.id)
    assert [p.outcome and p.outcome.value for p in plans] == ["did_not_work", None]
    assert plans[1].follow_up_on == date(2026, 4, 2)


def test_a_contact_told_before_going_forward_is_read_back_then_the_plan(records, db_url):
    talk = Conversation(records)
    reply, _ = talk.turn(ActionProposePlan, "", plan_text=(
        "I left her a voicemail this morning since she no-showed wed. so going forward: front "
        "desk texts her a reminder the day before each session. follow up in 3 weeks"))
    assert "Record for Maya Patel: phone call on Mon 16 Mar 2026, message left. Save it?" in reply
    reply, _ = talk.turn(ActionSavePending, "yes")
    assert "1. Texts her a reminder the day before each session (front desk)" in reply
    talk.say(ActionSavePending, "yes")
    assert [(a.on, str(a.outcome)) for a in rows(db_url, OutreachAttempt)] == [
        (date(2026, 3, 16), "left_message")]
    assert [p.follow_up_on for p in rows(db_url, Plan)] == [date(2026, 4, 6)]


def test_a_report_with_a_plan_after_it_reads_both_back_in_turn(records, db_url):
    talk = Conversation(records)
    reply, _ = talk.turn(ActionRecordOutreach, (
        "called her this morning and actually got her!! going forward FD texts her the day "
        "before each session, and she puts her dates in her phone calendar. f/u 3/30"))
    assert "phone call on Mon 16 Mar 2026, reached. Save it?" in reply
    reply, _ = talk.turn(ActionSavePending, "yes")
    assert "Follow-up: Mon 30 Mar 2026" in reply
    talk.say(ActionSavePending, "yes")
    assert len(rows(db_url, OutreachAttempt)) == 1 and len(rows(db_url, Plan)) == 1


def test_a_plan_with_a_count_in_its_context_is_read_back_as_a_plan(records, db_url):
    reply, _ = Conversation(records).say(ActionRecordOutreach, (
        "she books as she goes and twice now it nearly lapsed. from now on she books the next "
        "one before she leaves each session, and FD emails her the confirmation"))
    assert "1. She books the next one before she leaves each session (client)" in reply
    assert "one at a time" not in reply and rows(db_url, OutreachAttempt) == []


def test_how_the_plan_went_told_as_a_plan_is_an_outcome_never_a_new_plan(records, db_url):
    records.save_plan("T01", "C002", [{"text": "Offer telehealth"}], "therapist",
                      date(2026, 3, 9), [], date(2026, 3, 2))
    talk = Conversation(records)
    reply, _ = talk.turn(ActionProposePlan, "", plan_text=(
        "the telehealth plan worked, she was on video thursday. I also texted her sat to confirm "
        "her next one and she replied with a thumbs up"))
    assert "it worked. Save it?" in reply and "Here's the plan" not in reply
    reply, _ = talk.turn(ActionSavePending, "yes")
    assert "text on Sat 14 Mar 2026, reached. Save it?" in reply
    talk.say(ActionSavePending, "yes")
    assert [p.outcome.value for p in rows(db_url, Plan)] == ["worked"]
    assert [str(a.outcome) for a in rows(db_url, OutreachAttempt)] == ["reached"]


def test_undo_that_names_a_call_never_takes_back_a_safety_concern(records, db_url):
    talk = Conversation(records)
    reply, _ = talk.turn(ActionRecordOutreach, "left her a vm fri")
    talk.say(ActionSavePending, "yes")
    talk.say(ActionSafetySteps, "her mum rang, says she's been giving her things away")
    assert len(rows(db_url, SafetyConcern)) == 1
    reply, _ = talk.say(ActionUndo, "undo the friday message-left call, that one's wrong")
    assert "Nothing taken back" in reply and "not a phone call" in reply
    assert [c.withdrawn_at for c in rows(db_url, SafetyConcern)] == [None]
    assert [a.withdrawn_at for a in rows(db_url, OutreachAttempt)] == [None]


def test_a_contact_corrected_right_after_its_yes_replaces_it_on_the_next_yes(records, db_url):
    talk = Conversation(records)
    reply, _ = talk.turn(ActionRecordOutreach, "left her a vm fri")
    reply, _ = talk.turn(ActionSavePending, "yes")
    reply, _ = talk.turn(ActionCorrectPending, "actually sorry the fri one she picked up, fix that")
    assert "That changes what was just saved" in reply
    assert "phone call on Fri 13 Mar 2026, reached. Save it?" in reply
    assert [a.withdrawn_at for a in rows(db_url, OutreachAttempt)] == [None]  # not yet
    talk.say(ActionSavePending, "yes")
    current = [(a.on, a.outcome) for a in rows(db_url, OutreachAttempt) if a.withdrawn_at is None]
    assert current == [(date(2026, 3, 13), "reached")]
    assert len(rows(db_url, OutreachAttempt)) == 2  # the first is kept, taken back


def test_a_write_dropped_for_a_new_report_is_named_as_what_it_was():
    from rasa_sdk.executor import CollectingDispatcher

    from actions.pending import PendingWrite, plan_data, propose_attempt
    from reconnect.guidance.plan_parser import parse_plan
    plan = PendingWrite("plan", "C003", "Maya Chen",
                        plan_data(parse_plan("I call her thurs", date(2026, 3, 16))))
    dispatcher = CollectingDispatcher()
    propose_attempt("C002", "Maya Patel", "texted her thurs, no reply", date(2026, 3, 16),
                    plan, dispatcher)
    [dropped] = [m for m in dispatcher.messages if m.get("response") == "utter_earlier_not_saved"]
    assert dropped["what"] == "plan for Maya Chen"


@pytest.mark.parametrize("text", ["actually I also texted her sat, no reply",
                                  "actually emailed her thurs, no reply"])
def test_another_contact_told_after_a_yes_never_replaces_the_saved_one(records, db_url, text):
    talk = Conversation(records)
    reply, _ = talk.turn(ActionRecordOutreach, "left her a vm fri")
    reply, _ = talk.turn(ActionSavePending, "yes")
    reply, _ = talk.turn(ActionRecordOutreach, text)
    assert "That changes what was just saved" not in reply and "Save it?" in reply
    talk.say(ActionSavePending, "yes")
    assert [a.withdrawn_at for a in rows(db_url, OutreachAttempt)] == [None, None]
