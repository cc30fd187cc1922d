"""The audit trail answers "who tried what": refusals name what was asked for, listings the
clients shown, and every row the channel and conversation it came from."""
from __future__ import annotations

import asyncio
from datetime import date

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.client_lookup import ActionSummarizeAttendance
from reconnect.records.queries import REFUSALS, ClientRecords, audit_origin
from tests.clinic_fixture import load_small_clinic


@pytest.fixture
def records(db_url, tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url)
    load_small_clinic(tmp_path, db_url)
    return ClientRecords(db_url)


def ask(records, text, names=(), client_id=None, sender="conv-7f3a", channel="rest",
        staff_id="T01"):
    entities = [{"entity": "PERSON", "value": n} for n in names]
    if client_id:
        entities.append({"entity": "client_id", "value": client_id})
    tracker = Tracker(
        sender_id=sender, slots={},
        latest_message={"text": text, "intent": {"name": "ask_attendance", "confidence": 1.0},
                        "entities": entities, "metadata": {"staff_id": staff_id}},
        events=[{"event": "user", "input_channel": channel}], paused=False,
        followup_action=None, active_loop={}, latest_action_name="action_listen")
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionSummarizeAttendance(records).run(dispatcher, tracker, {}))
    return dispatcher.messages


def rows(records):
    return [(e.action, e.staff_id, e.client_id) for e in records.audit_events()]


def test_every_row_carries_the_channel_and_the_conversation(records):
    ask(records, "pull up Dana Whitfield", ["Dana Whitfield"])
    ask(records, "pull up Noah Kim", ["Noah Kim"])
    ask(records, "", client_id="C004")

    events = records.audit_events()
    assert events and all((e.channel, e.conversation_id) == ("rest", "conv-7f3a")
                          for e in events)


def test_a_refusal_by_id_records_the_id_asked_for(records):
    messages = ask(records, "", client_id="C004")  # T02's client, by a forged button

    assert messages[0]["response"] == "utter_no_such_client_id"
    assert ("record_denied", "T01", "C004") in rows(records)
    assert all(action in REFUSALS for action, _, client in rows(records) if client == "C004")


@pytest.mark.parametrize("staff_id, reason", [
    ("F01", "role front_desk asked for a client record"),   # the front desk, by a button
    ("T99", "unknown staff id"),                             # no such staff member
])
def test_a_refused_staff_member_s_request_records_the_client_asked_for(records, staff_id,
                                                                      reason):
    messages = ask(records, "", client_id="C001", staff_id=staff_id)

    assert messages[0]["response"] in ("utter_records_for_therapists_only",
                                       "utter_unknown_staff")
    [refused] = [e for e in records.audit_events() if e.action == "access_refused"]
    assert (refused.staff_id, refused.client_id, refused.detail) == (
        staff_id, "C001", reason)
    # Refused before any read: nothing about the client was shown or recorded as shown.
    assert [e.action for e in records.audit_events()] == ["access_refused"]


@pytest.mark.parametrize("text, names", [
    ("pull up Noah Kim", ["Noah Kim"]),        # another therapist's client
    ("pull up Zed Quill", ["Zed Quill"]),      # nobody's
    ("pull up Dana Ortiz", ["Dana"]),          # a namesake of mine with another surname
])
def test_a_name_search_that_found_nobody_is_recorded_without_the_name(records, text, names):
    ask(records, text, names)

    [failed] = [e for e in records.audit_events() if e.action == "name_not_found"]
    assert failed.staff_id == "T01" and failed.client_id is None
    assert failed.action in REFUSALS
    for word in text.split()[2:]:
        assert word.lower() not in (failed.detail or "").lower()


def test_clients_offered_as_buttons_are_recorded_each(records):
    messages = ask(records, "pull up maya")  # Maya Patel and Maya Chen: which one?

    assert [b["title"] for b in messages[0]["buttons"]] == ["Maya Chen", "Maya Patel"]
    offered = {client for action, _, client in rows(records) if action == "clients_offered"}
    assert offered == {"C002", "C003"}
    # The namesakes offered after "no client called Dana Ortiz" too.
    ask(records, "pull up Dana Ortiz", ["Dana"])
    assert ("clients_offered", "T01", "C001") in rows(records)


def test_the_follow_ups_list_records_each_client_it_showed(records):
    today = date(2026, 3, 16)
    for client_id in ("C001", "C002"):
        records.save_plan("T01", client_id, [{"text": "I call her"}],
                          "therapist", today, [], today)
    with audit_origin("widget", "conv-9"):
        due = records.due_follow_ups("T01", today)

    assert {d.client_id for d in due} == {"C001", "C002"}
    listed = [e for e in records.audit_events() if e.action == "follow_ups_listed"]
    assert {e.client_id for e in listed} == {"C001", "C002"}
    assert {(e.channel, e.conversation_id) for e in listed} == {("widget", "conv-9")}
    # An empty list is recorded once, with no client.
    records.due_follow_ups("T02", today)
    assert [e.client_id for e in records.audit_events("T02")
            if e.action == "follow_ups_listed"] == [None]


@pytest.mark.parametrize("odd", ["x" * 129, "conv 1", "conv\x00", "c'; DROP TABLE x"])
def test_a_conversation_id_that_is_no_id_is_said_not_stored(records, odd):
    ask(records, "pull up Dana Whitfield", ["Dana Whitfield"], sender=odd)

    events = records.audit_events()
    assert events and all(e.conversation_id is None for e in events)
    assert all(f"conversation id of {len(odd)} characters is not an id" in (e.detail or "")
               for e in events)
