"""A conversation's state is read back only to the client's own therapist.

The acting staff member is the one of the current message, never an earlier one; every reply
built from conversation state (the client in discussion, a write waiting, safety open) checks
that the asker is that client's therapist, and a refusal is audited.
"""
from __future__ import annotations

import json

import pytest
from rasa_sdk import Tracker

from actions.access import acting_staff_id
from actions.client_lookup import ActionSummarizeAttendance, ActionUnsure
from actions.confirm import ActionDiscardPending, ActionSavePending
from actions.conversation import ActionResumeWalkthrough, ActionStartOver
from actions.outreach import ActionCoachOpening, ActionDraftOutreach
from actions.plan import ActionProposePlan
from actions.risk import ActionSafetySteps
from reconnect.records.queries import ClientRecords
from tests.actions.test_walkthrough import run, texts, tracker
from tests.clinic_fixture import load_small_clinic

# Dana Whitfield (C001) is T01's client; T02 is another therapist, F01 the front desk.
DANA = {"client_id": "C001", "client_name": "Dana Whitfield"}
WAITING_CALL = json.dumps({"kind": "outreach", "client_id": "C001",
                           "client_name": "Dana Whitfield",
                           "data": {"on": None, "channel": "phone", "outcome": None}})
OTHERS = ["T02", "F01", None]


@pytest.fixture
def records(db_url, tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url)
    load_small_clinic(tmp_path, db_url)
    return ClientRecords(db_url)


def denials(records):
    return [(e.staff_id, e.action) for e in records.audit_events() if e.action in ("record_denied", "access_refused")]


def test_the_acting_staff_member_is_the_current_messages_only(records):
    earlier = Tracker(sender_id="t", slots={"session_started_metadata": {"staff_id": "T01"}},
                      latest_message={"text": "pull up Dana Whitfield", "metadata": {},
                                      "intent": {"name": "ask_attendance"},
                                      "entities": [{"entity": "PERSON",
                                                    "value": "Dana Whitfield"}]},
                      events=[], paused=False, followup_action=None, active_loop={},
                      latest_action_name="action_listen")
    assert acting_staff_id(earlier) is None
    messages, _ = run(ActionSummarizeAttendance(records), earlier)
    assert [m.get("response") for m in messages] == ["utter_unknown_staff"]
    assert "Dana" not in texts(messages)
    # Odd metadata is nobody's either.
    earlier.latest_message["metadata"] = ["T01"]
    assert acting_staff_id(earlier) is None


def test_where_the_walkthrough_stands_is_told_to_the_clients_therapist(records):
    messages, _ = run(ActionResumeWalkthrough(records),
                      tracker("hi", staff_id="T01", safety_pending=True, **DANA))
    assert messages[0]["response"] == "utter_back_to_safety"
    assert messages[0]["client"] == "Dana Whitfield"


@pytest.mark.parametrize("asker", OTHERS)
def test_where_the_walkthrough_stands_is_told_to_nobody_else(records, asker):
    messages, _ = run(ActionResumeWalkthrough(records),
                      tracker("hi", staff_id=asker, safety_pending=True, **DANA))
    assert "Dana" not in json.dumps(messages)
    assert not any(str(m.get("response", "")).startswith("utter_back_to") for m in messages)
    assert denials(records)  # the attempt is in the audit trail


@pytest.mark.parametrize("asker", OTHERS)
def test_a_waiting_write_is_read_back_to_nobody_else(records, asker):
    state = dict(DANA, pending_write=WAITING_CALL)
    for action in (ActionSavePending, ActionDiscardPending, ActionStartOver):
        messages, events = run(action(records), tracker("yes", staff_id=asker, **state))
        assert "Dana" not in json.dumps(messages), action
    # Neither read back nor dropped by someone else's "no".
    _, events = run(ActionDiscardPending(records), tracker("no", staff_id=asker, **state))
    assert all(e.get("name") != "pending_write" for e in events)


def test_a_waiting_write_is_read_back_to_the_clients_therapist(records):
    state = dict(DANA, pending_write=WAITING_CALL)
    messages, _ = run(ActionSavePending(records), tracker("yes", staff_id="T01", **state))
    assert "Which day was the phone call to Dana Whitfield?" in texts(messages)
    messages, _ = run(ActionDiscardPending(records), tracker("no", staff_id="T01", **state))
    assert messages[0]["response"] == "utter_write_discarded"
    assert messages[0]["client"] == "Dana Whitfield"
    messages, _ = run(ActionStartOver(records), tracker("start again", staff_id="T01", **state))
    assert messages[0]["response"] == "utter_write_started_over"


@pytest.mark.parametrize("action", [ActionSafetySteps, ActionCoachOpening, ActionDraftOutreach,
                                    ActionProposePlan, ActionUnsure])
@pytest.mark.parametrize("asker", OTHERS)
def test_steps_from_the_client_in_discussion_check_the_asker(records, action, asker):
    # Safety open for Dana in this conversation: nobody else hears of it, or of her.
    messages, events = run(action(records), tracker("what should I do?", staff_id=asker,
                                                    safety_pending=True, **DANA))
    assert "Dana" not in json.dumps(messages)
    assert "Safety first" not in texts(messages)
    assert all(e.get("name") not in ("client_id", "client_name") for e in events)
