"""The walkthrough actions against a real (test) database: consent, plans, privacy, safety."""
from __future__ import annotations

import asyncio
from datetime import date

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions.barriers import ActionRecordBarriers, ActionSuggestOptions
from actions.confirm import ActionSavePending
from actions.knowledge import ActionClinicPolicy
from actions.outreach import ActionCoachOpening, ActionDraftOutreach, ActionRecordOutreach
from actions.plan import (
    ActionListFollowUps,
    ActionProposePlan,
    ActionRecordPlanOutcome,
    ValidatePlanForm,
)
from actions.review import ActionDraftClosingLetter, ActionReviewFit
from actions.risk import ActionSafetyInHand, ActionSafetySteps
from reconnect.records.db import session_scope
from reconnect.records.models import AuditEvent, OutreachAttempt, Plan
from reconnect.records.queries import ClientRecords
from tests.clinic_fixture import load_small_clinic


@pytest.fixture
def records(db_url, tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url)
    load_small_clinic(tmp_path, db_url)
    return ClientRecords(db_url)


def tracker(text="", client_id="C002", staff_id="T01", entities=(), intent="x", **slots):
    slots.setdefault("client_id", client_id)
    return Tracker(sender_id="t", slots=slots,
                   latest_message={"text": text, "intent": {"name": intent},
                                   "entities": list(entities),
                                   "metadata": {"staff_id": staff_id} if staff_id else {}},
                   events=[], paused=False, followup_action=None, active_loop={},
                   latest_action_name="action_listen")


def run(action, t):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, t, {}))
    return dispatcher.messages, events


def texts(messages):
    return "\n".join(m.get("text") or m.get("response") or "" for m in messages)


def channel(value):
    return {"entity": "channel", "value": value}


def test_a_text_draft_only_with_sms_consent(records, db_url):
    with session_scope(db_url) as session:
        from reconnect.records.models import Client
        session.get(Client, "C002").sms_consent = False
    messages, _ = run(ActionDraftOutreach(records), tracker("draft a text", entities=[channel("sms")]))
    reply = texts(messages)
    assert "DRAFT for clinician review" not in reply
    assert "text" in reply.lower()
    payloads = {b["payload"] for b in messages[0]["buttons"]}
    assert '/request_draft{"channel": "sms"}' not in payloads
    assert '/request_draft{"channel": "email"}' in payloads
    # With consent the same request gives a draft, marked for review, with names filled in.
    messages, _ = run(ActionDraftOutreach(records),
                      tracker("draft an email", entities=[channel("email")]))
    draft = texts(messages)
    assert draft.startswith("DRAFT for clinician review - not sent.")
    assert "Maya" in draft and "Dr. Alex Rivera" in draft


def test_no_channel_asks_which_of_the_consented_ones(records):
    messages, _ = run(ActionDraftOutreach(records), tracker("draft something for her"))
    titles = [b["title"] for b in messages[0]["buttons"]]
    assert titles == ["Text message", "E-mail", "Voicemail script", "Letter"]


def test_a_forged_channel_is_not_trusted(records):
    messages, _ = run(ActionDraftOutreach(records),
                      tracker("/request_draft", entities=[channel("fax")]))
    assert "Which kind of draft" in texts(messages)


def test_safety_first_then_the_rest(records):
    # Dana: low risk on record, last kept session 32 days ago.
    messages, events = run(ActionSafetySteps(records),
                           tracker("she talked about hopelessness", client_id="C001"))
    assert "Safety first for Dana Whitfield" in texts(messages)
    assert SlotSet("safety_pending", True) in events
    blocked, _ = run(ActionCoachOpening(records), tracker("how do I raise it", client_id="C001",
                                                          safety_pending=True))
    # The full steps once, opening with "Safety first", never the short line before them.
    assert blocked[0]["text"].startswith("Safety first for Dana Whitfield, before anything "
                                         "administrative.")
    assert texts(blocked).count("Safety first") == 1
    # Shown once in this conversation: after that, the short reply alone.
    shown = tracker("how do I raise it", client_id="C001", safety_pending=True)
    shown.events = [{"event": "bot", "text": blocked[0]["text"]}]
    again, _ = run(ActionCoachOpening(records), shown)
    assert len(again) == 1 and again[0]["text"].startswith(
        "Before we look at how to raise the missed sessions with Dana Whitfield: safety first,")
    _, events = run(ActionSafetyInHand(), tracker("in hand", client_id="C001",
                                                  client_name="Dana Whitfield"))
    assert SlotSet("safety_pending", False) in events
    opened, _ = run(ActionCoachOpening(records), tracker("how do I raise it", client_id="C001"))
    assert "Safety first" not in texts(opened)
    assert "Dana" in texts(opened)


def test_words_of_risk_bring_the_safety_steps_whatever_the_intent(records, db_url):
    # Maya Patel: no safety pending. Risk in the words of a barrier stops the barrier step.
    messages, events = run(ActionRecordBarriers(records),
                           tracker("no car, and she told me she wants to die", intent="inform_barrier"))
    assert messages[0]["text"].startswith("Safety first for Maya Patel, before anything")
    assert "wanting to die" in texts(messages) and texts(messages).count("Safety first") == 1
    assert SlotSet("safety_pending", True) in events
    assert all(e.get("name") != "barriers" for e in events)
    # An outreach attempt told with words of risk: the safety steps come first, and the
    # attempt is read back after them, so nothing is lost; it waits for the therapist's yes
    # like any other write.
    said = tracker("called her, she said she feels hopeless", intent="report_outreach")
    messages, events = run(ActionRecordOutreach(records), said)
    assert messages == [] and events[-1]["name"] == "action_safety_steps"
    messages, events = run(ActionSafetySteps(records), said)
    reply = texts(messages)
    assert (reply.index("Safety first for Maya Patel")
            < reply.index("Record for Maya Patel: phone call on Mon 16 Mar 2026, reached"))
    assert "hopelessness" in reply
    assert SlotSet("safety_pending", True) in events
    assert any(e.get("name") == "pending_write" and e.get("value") for e in events)
    with session_scope(db_url) as session:
        assert session.execute(select(OutreachAttempt)).scalars().all() == []
    # Words without risk leave the step alone.
    messages, events = run(ActionRecordBarriers(records),
                           tracker("no car, the bus takes 90 minutes", intent="inform_barrier"))
    assert "Safety first" not in texts(messages)
    assert SlotSet("barriers", ["transport"]) in events


def test_barriers_from_words_then_options_from_the_record(records):
    messages, events = run(ActionRecordBarriers(records),
                           tracker("he says he can't afford weekly sessions", client_id="C001"))
    assert SlotSet("barriers", ["financial"]) in events
    reply = texts(messages)
    # Dana is self-pay and owes $275 (tests/clinic_fixture.py).
    assert "$275.00" in reply
    assert "self-pay" in reply.lower()
    messages, _ = run(ActionSuggestOptions(records), tracker("options?", client_id="C001"))
    assert messages[0]["buttons"]  # no barrier known yet: pick from buttons


def test_medicaid_client_options_say_no_missed_session_fee(records):
    messages, _ = run(ActionRecordBarriers(records),
                      tracker("money is tight", client_id="C003",
                              entities=[{"entity": "barrier", "value": "financial"}]))
    assert "42 CFR 447.15" in texts(messages)


def test_plan_form_validates_and_the_plan_is_saved_with_an_audit_entry(records, db_url):
    validator = ValidatePlanForm()
    dispatcher = CollectingDispatcher()
    slots = asyncio.run(validator.validate_plan_text(
        "let's offer biweekly telehealth on Thursdays and I'll call her Friday", dispatcher,
        tracker(), {}))
    assert slots["plan_follow_up"] == "none"   # dated steps, no review said: none made up
    slots = asyncio.run(validator.validate_plan_text(
        "let's offer telehealth, review in 2 weeks", dispatcher, tracker(), {}))
    assert slots["plan_follow_up"] == "2026-03-30"
    assert validator.validate_plan_follow_up("no date yet", dispatcher, tracker(), {}) == {
        "plan_follow_up": "none"}
    assert asyncio.run(validator.validate_plan_text("hmm", dispatcher, tracker(), {})) == {
        "plan_text": None}
    assert validator.validate_plan_follow_up("whenever", dispatcher, tracker(), {}) == {
        "plan_follow_up": None}
    assert validator.validate_plan_follow_up("next Friday", dispatcher, tracker(), {}) == {
        "plan_follow_up": "2026-03-27"}
    assert validator.validate_plan_follow_up("3/1/2026", dispatcher, tracker(), {}) == {
        "plan_follow_up": None}  # in the past

    messages, events = run(ActionProposePlan(records), tracker(
        plan_text="let's offer biweekly telehealth on Thursdays and I'll call her Friday",
        plan_follow_up="2026-03-20"))
    assert "Save it?" in texts(messages)
    assert "Follow-up: Fri 20 Mar 2026" in texts(messages)
    pending = next(e["value"] for e in events if e["name"] == "pending_write")
    with session_scope(db_url) as session:
        assert session.execute(select(Plan)).scalars().all() == []  # nothing saved yet

    messages, _ = run(ActionSavePending(records), tracker(pending_write=pending,
                                                          barriers=["work_shifts"]))
    assert "Saved" in texts(messages)
    with session_scope(db_url) as session:
        [plan] = session.execute(select(Plan)).scalars().all()
        assert (plan.client_id, plan.staff_id, plan.follow_up_on, plan.barriers) == (
            "C002", "T01", date(2026, 3, 20), "work_shifts")
        assert session.execute(select(AuditEvent).where(
            AuditEvent.action == "plan_saved", AuditEvent.client_id == "C002")).first()


def test_follow_ups_due_are_the_therapists_own(records):
    records.save_plan("T01", "C002", [{"text": "Call her"}], "therapist", date(2026, 3, 18),
                      [], date(2026, 3, 16))
    records.save_plan("T02", "C004", [{"text": "Call him"}], "therapist", date(2026, 3, 17),
                      [], date(2026, 3, 16))
    messages, _ = run(ActionListFollowUps(records), tracker())
    reply = texts(messages)
    assert "Maya Patel: Wed 18 Mar 2026 (Call her)" in reply
    assert "Noah" not in reply
    messages, _ = run(ActionListFollowUps(records), tracker(staff_id="T02"))
    assert "Noah Kim" in texts(messages) and "Maya" not in texts(messages)


def test_plan_outcome_and_outreach_are_recorded_on_yes(records, db_url):
    records.save_plan("T01", "C002", [{"text": "Call her"}], "therapist", date(2026, 3, 18),
                      [], date(2026, 3, 2))
    messages, events = run(ActionRecordPlanOutcome(records),
                           tracker("didn't work, still no-showing"))
    assert "the plan of Mon 2 Mar 2026 - it did not work. Save it?" in texts(messages)
    pending = next(e["value"] for e in events if e["name"] == "pending_write")
    messages, _ = run(ActionSavePending(records), tracker("yes", pending_write=pending))
    assert messages[0]["response"] == "utter_outcome_recorded_did_not_work"
    assert (messages[0]["plan_day"], messages[0]["client"]) == ("Mon 2 Mar 2026", "Maya Patel")

    messages, events = run(ActionRecordOutreach(records),
                           tracker("I called her yesterday, no answer"))
    assert "phone call on Sun 15 Mar 2026, no answer. Save it?" in texts(messages)
    pending = next(e["value"] for e in events if e["name"] == "pending_write")
    messages, _ = run(ActionSavePending(records), tracker("yes", pending_write=pending))
    assert "Saved for Maya Patel: phone call on Sun 15 Mar 2026, no answer." in texts(messages)
    with session_scope(db_url) as session:
        [plan] = session.execute(select(Plan)).scalars().all()
        assert (plan.status.value, plan.outcome.value) == ("closed", "did_not_work")
        [attempt] = session.execute(select(OutreachAttempt)).scalars().all()
        assert (attempt.on, attempt.channel, attempt.outcome) == (
            date(2026, 3, 15), "phone", "no_answer")

def test_review_and_closing_letter(records):
    messages, _ = run(ActionReviewFit(records), tracker("can I close the file", client_id="C001"))
    reply = texts(messages)
    assert "APA" in reply and "10.10" in reply
    messages, _ = run(ActionDraftClosingLetter(records), tracker("closing letter",
                                                                 client_id="C001"))
    letter = texts(messages)
    assert letter.startswith("DRAFT for clinician review")
    assert "988" in letter
    assert sum(1 for r in ("County Community Mental Health Center",
                           "Riverside Group Therapy Program", "Family Services Counseling",
                           "Open Path Collective") if r in letter) >= 3


@pytest.mark.parametrize("action, text", [
    (ActionDraftOutreach, "draft a text"), (ActionCoachOpening, "how do I open"),
    (ActionRecordBarriers, "money"), (ActionSuggestOptions, "options"),
    (ActionReviewFit, "close the file"), (ActionDraftClosingLetter, "closing letter"),
    (ActionRecordOutreach, "called him, no answer"), (ActionRecordPlanOutcome, "it worked"),
])
def test_another_therapists_client_stays_hidden_throughout(records, db_url, action, text):
    # C004 (Noah Kim) is T02's: a conversation slot pointing at him gets T01 nothing.
    messages, events = run(action(records), tracker(text, client_id="C004"))
    assert messages[0]["response"] == "utter_no_such_client_id"
    assert "Noah" not in texts(messages)
    with session_scope(db_url) as session:
        assert session.execute(select(OutreachAttempt)).first() is None
        rows = session.execute(select(AuditEvent).where(
            AuditEvent.client_id == "C004")).scalars().all()
        # The refused attempt is what the trail must hold: a refusal, never an access.
        assert [(r.staff_id, r.action) for r in rows] == [("T01", "record_denied")]


def test_without_a_staff_id_nothing_is_shown(records):
    messages, _ = run(ActionDraftOutreach(records), tracker("draft", staff_id=None))
    assert messages[0]["response"] == "utter_unknown_staff"


def test_no_client_in_the_conversation_yet(records):
    messages, _ = run(ActionCoachOpening(records), tracker("how do I open", client_id=None))
    assert messages[0]["response"] == "utter_which_client_first"


def test_clinic_policy_comes_from_the_clinic_file(tmp_path, monkeypatch):
    config = tmp_path / "clinic.yml"
    config.write_text("name: Test Clinic\nphone: 555-0100\ncrisis_line: Line 1\n"
                      "emergency_number: '112'\nchronic_pattern:\n  consecutive_no_shows: 4\n"
                      "missed_session_fee: 60\n")
    monkeypatch.setenv("RECONNECT_CLINIC_CONFIG", str(config))
    messages, _ = run(ActionClinicPolicy(), tracker())
    reply = texts(messages)
    assert "Test Clinic" in reply and "4 consecutive no-shows" in reply and "$60.00" in reply
    assert "Line 1" in reply and "112" in reply and "555-0100" in reply


def test_a_clinic_file_without_its_numbers_is_refused_clearly(tmp_path, monkeypatch):
    from reconnect.settings import ClinicConfigError, clinic_config

    config = tmp_path / "clinic.yml"
    config.write_text("name: Test Clinic\nphone: 555-0100\n")
    monkeypatch.setenv("RECONNECT_CLINIC_CONFIG", str(config))
    with pytest.raises(ClinicConfigError, match="set crisis_line, emergency_number"):
        clinic_config()
    monkeypatch.setenv("RECONNECT_CLINIC_CONFIG", str(tmp_path / "missing.yml"))
    with pytest.raises(ClinicConfigError, match="not found"):
        clinic_config()


def test_what_puts_safety_first_comes_from_the_clinic_file(tmp_path, monkeypatch):
    from reconnect.settings import ClinicConfigError, clinic_config

    base = "name: Test Clinic\nphone: 555-0100\ncrisis_line: Line 1\nemergency_number: '112'\n"
    config = tmp_path / "clinic.yml"
    monkeypatch.setenv("RECONNECT_CLINIC_CONFIG", str(config))
    config.write_text(base)
    assert (clinic_config().safety.levels, clinic_config().safety.absence_days) == (
        ("elevated", "high"), 21)
    config.write_text(base + "safety_first:\n  risk_levels: [low, elevated, high]\n"
                             "  absence_days: 14\n")
    assert (clinic_config().safety.levels, clinic_config().safety.absence_days) == (
        ("low", "elevated", "high"), 14)
    assert clinic_config().safety.model_threshold == 0.1
    config.write_text(base + "safety_first:\n  model_threshold: 0.35\n")
    assert clinic_config().safety.model_threshold == 0.35
    config.write_text(base + "safety_first:\n  model_threshold: 1.5\n")
    with pytest.raises(ClinicConfigError, match="model_threshold"):
        clinic_config()
    config.write_text(base + "safety_first:\n  risk_levels: [severe]\n")
    with pytest.raises(ClinicConfigError, match="safety_first"):
        clinic_config()
    config.write_text(base + "closing_notice_days: 21\nfollow_up_horizon_days: 90\n")
    assert (clinic_config().closing_notice_days, clinic_config().follow_up_horizon_days) == (
        21, 90)
    config.write_text(base + "closing_notice_days: -3\n")
    with pytest.raises(ClinicConfigError, match="closing_notice_days"):
        clinic_config()


def test_safety_said_in_hand_is_not_asked_again_the_same_day(records):
    from actions.client_lookup import ActionSummarizeAttendance

    person = [{"entity": "PERSON", "value": "Dana Whitfield"}]
    first, events = run(ActionSummarizeAttendance(records),
                        tracker("pull up dana whitfield", client_id=None, entities=person))
    assert "Safety first for Dana Whitfield, before anything administrative" in texts(first)
    run(ActionSafetyInHand(records), tracker("safety's in hand", client_id="C001",
                                             client_name="Dana Whitfield"))
    again, events = run(ActionSummarizeAttendance(records),
                        tracker("pull up dana whitfield", client_id=None, entities=person))
    assert "you said safety was in hand earlier today" in texts(again)
    assert "before anything administrative" not in texts(again)
    assert SlotSet("safety_pending", True) not in events
    # New words of risk bring the steps whatever was said before.
    risk, _ = run(ActionSummarizeAttendance(records),
                  tracker("pull up dana whitfield, she sounds hopeless", client_id=None,
                          entities=person))
    assert "before anything administrative" in texts(risk)


def test_a_message_the_model_reads_as_a_safety_worry_brings_safety_first(records):
    # No word of risk in it, but the language model gives it 0.3 of a risk concern: the
    # safety steps come before the barrier; at 0.05 the barrier is recorded as usual.
    text = "no bus fare lately and she says nothing matters anymore"

    def worried(risk):
        t = tracker(text, intent="inform_barrier")
        t.latest_message["intent_ranking"] = [
            {"name": "inform_barrier", "confidence": 1 - risk},
            {"name": "report_risk_concern", "confidence": risk}]
        return t

    messages, events = run(ActionRecordBarriers(records), worried(0.3))
    assert messages[0]["text"].startswith("Safety first for Maya Patel, before anything")
    assert "may be about the client's safety" in texts(messages)
    assert SlotSet("safety_pending", True) in events
    messages, events = run(ActionRecordBarriers(records), worried(0.05))
    assert "Safety first" not in texts(messages)
    assert SlotSet("safety_pending", True) not in events
