"""The attendance summary action, against a real (test) database."""
from __future__ import annotations

import asyncio
import re
from decimal import Decimal

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions.client_lookup import ActionSummarizeAttendance, ActionUnsure
from reconnect.records.db import session_scope
from reconnect.records.models import Appointment, AppointmentStatus, AuditEvent, Modality
from reconnect.records.queries import ClientRecords
from tests.clinic_fixture import load_small_clinic


@pytest.fixture
def records(db_url, tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url)
    load_small_clinic(tmp_path, db_url)
    return ClientRecords(db_url)


def tracker(text, staff_id="T01", entities=(), slots=None, intent="ask_attendance"):
    metadata = {"staff_id": staff_id} if staff_id else {}
    return Tracker(
        sender_id="test", slots=slots or {},
        latest_message={"text": text, "intent": {"name": intent, "confidence": 1.0},
                        "entities": list(entities), "metadata": metadata},
        events=[], paused=False, followup_action=None, active_loop={},
        latest_action_name="action_listen")


def person(value):
    return {"entity": "PERSON", "value": value, "extractor": "SpacyEntityExtractor"}


def run(records, t):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionSummarizeAttendance(records).run(dispatcher, t, {}))
    return dispatcher.messages, events


def audit(records):
    return [(e.staff_id, e.client_id, e.action) for e in records.audit_events()]


def test_summary_states_the_facts_of_the_record(records):
    messages, events = run(records, tracker("pull up Dana Whitfield",
                                            entities=[person("Dana Whitfield")]))
    text = messages[0]["text"]
    assert text.startswith("Dana Whitfield: attendance from the clinic record, as of Mon 16 Mar 2026")
    # Last 90 days (17 Dec 2025 - 16 Mar 2026) hold all of Dana's past sessions.
    assert "Last 90 days: 3 attended, 4 no-shows, 1 late cancellation." in text
    assert "In total: 3 attended, 4 no-shows, 1 late cancellation, 0 cancelled with notice." in text
    assert "Current run: 2 consecutive no-shows." in text
    assert "Last attended: Thu 12 Feb 2026 (32 days (4 weeks) ago)." in text
    assert "Next booked: Mon 23 Mar 2026 09:00, in person." in text
    assert "missed 4 of 5 sessions on Mondays, against 1 of 3 on other days" in text
    # 75 + 50 + 75 + 75 unpaid
    assert "Fees owed: $275.00. Payer: self-pay." in text
    assert "Risk level: low, last reviewed Thu 15 Jan 2026" in text
    assert "Verdict: Chronic pattern by the clinic rule" in text
    assert "2 consecutive no-shows and 4 no-shows in the last 90 days" in text
    assert SlotSet("client_id", "C001") in events
    # A risk history (low) and 32 days since the last kept session: safety comes first.
    assert SlotSet("safety_pending", True) in events
    safety = messages[1]["text"]
    assert safety.startswith("Safety first for Dana Whitfield")
    assert "risk last reviewed Thu 15 Jan 2026" in safety
    assert "text message, phone, e-mail" in safety          # her consents, from the record
    assert "Emergency contact: one is on file" in safety
    assert "988" in safety
    assert len(messages) == 2  # nothing administrative until safety is in hand


def test_summary_changes_when_the_record_changes(records, db_url):
    # The facts come from the database at the time of asking, not from anywhere else.
    with session_scope(db_url) as session:
        session.get(Appointment, "A0008").status = AppointmentStatus.attended
        session.get(Appointment, "A0008").fee_paid = Decimal("75.00")
        session.add(Appointment(id="A0100", client_id="C001", therapist_id="T01",
                                start=__import__("datetime").datetime(2026, 3, 17, 12, 30),
                                duration_min=50, modality=Modality.telehealth,
                                status=AppointmentStatus.scheduled))
    text = run(records, tracker("dana", entities=[person("dana")]))[0][0]["text"]
    assert "Current run: 0 consecutive no-shows." in text
    assert "Last attended: Mon 9 Mar 2026 (7 days ago)." in text
    assert "Next booked: Tue 17 Mar 2026 12:30, telehealth." in text
    assert "Fees owed: $200.00." in text


@pytest.mark.parametrize("text, entities", [
    ("how often has whitfield missed", []),                    # no NER hit: free-text fallback
    ("pull up dana whitfeild", [person("dana whitfeild")]),    # misspelt
    ("Dana's record please", [person("Dana")]),
])
def test_names_as_therapists_type_them(records, text, entities):
    messages, events = run(records, tracker(text, entities=entities))
    assert messages[0]["text"].startswith("Dana Whitfield:")


def test_a_shared_first_name_asks_which_with_buttons(records):
    messages, events = run(records, tracker("pull up maya", entities=[person("maya")]))
    assert events == []
    assert "2 clients in your caseload match" in messages[0]["text"]
    buttons = {b["title"]: b["payload"] for b in messages[0]["buttons"]}
    assert buttons == {"Maya Chen": '/ask_attendance{"client_id": "C003"}',
                       "Maya Patel": '/ask_attendance{"client_id": "C002"}'}
    chosen = tracker('/ask_attendance{"client_id": "C003"}', intent="ask_attendance",
                     entities=[{"entity": "client_id", "value": "C003"}])
    messages, events = run(records, chosen)
    assert messages[0]["text"].startswith("Maya Chen:")
    assert SlotSet("client_id", "C003") in events


def test_another_therapists_client_stays_hidden(records):
    # Noah Kim is T02's client: T01 hears the same as for a name nobody has.
    hidden = run(records, tracker("pull up Noah Kim", entities=[person("Noah Kim")]))[0]
    unknown = run(records, tracker("pull up Zed Quill", entities=[person("Zed Quill")]))[0]
    assert hidden[0]["response"] == unknown[0]["response"] == "utter_no_such_client"
    assert hidden[0]["name"] == "Noah Kim"
    # "Dana" means only T01's Dana, never T02's Dana Ortiz.
    text = run(records, tracker("dana", entities=[person("Dana")]))[0][0]["text"]
    assert "Ortiz" not in text and text.startswith("Dana Whitfield:")
    # A forged button payload with another therapist's client id shows nothing either.
    forged = tracker('/ask_attendance{"client_id": "C004"}', intent="ask_attendance",
                     entities=[{"entity": "client_id", "value": "C004"}])
    messages, events = run(records, forged)
    assert messages[0]["response"] == "utter_no_such_client_id" and events == []
    # The refusal records the id asked for (what was tried), and that it was refused.
    assert ("T01", "C004", "record_denied") in audit(records)
    assert not any(a[1] == "C004" and a[2] != "record_denied" for a in audit(records))


def test_without_a_known_staff_id_nothing_is_shown(records):
    for staff in (None, "T99"):
        messages, events = run(records, tracker("pull up Dana Whitfield", staff_id=staff,
                                                entities=[person("Dana Whitfield")]))
        assert messages == [{"response": "utter_unknown_staff", "text": None, "buttons": [],
                             "elements": [], "custom": {}, "template": "utter_unknown_staff",
                             "image": None, "attachment": None}] or \
            messages[0]["response"] == "utter_unknown_staff"
        assert events == []
    actions = audit(records)
    assert (None, None, "access_refused") in actions
    assert ("T99", None, "access_refused") in actions
    assert all(a[2] != "record_viewed" for a in actions)


def test_staff_without_a_caseload_gets_no_client_record(records):
    messages, _ = run(records, tracker("pull up Dana Whitfield", staff_id="F01",
                                       entities=[person("Dana Whitfield")]))
    assert messages[0]["response"] == "utter_records_for_therapists_only"


def test_no_name_asks_which_client_or_uses_the_current_one(records):
    messages, _ = run(records, tracker("pull up attendance"))
    assert messages[0]["response"] == "utter_ask_which_client"
    messages, _ = run(records, tracker("and her attendance?", slots={"client_id": "C002"}))
    assert messages[0]["text"].startswith("Maya Patel:")


def test_a_client_with_no_appointments(records):
    text = run(records, tracker("Sam Greene", entities=[person("Sam Greene")]))[0][0]["text"]
    assert "No sessions recorded yet." in text
    assert "Next booked: nothing booked." in text
    assert "Verdict: Not a chronic pattern" in text


def test_every_record_access_is_audited(records, db_url):
    run(records, tracker("pull up Dana Whitfield", entities=[person("Dana Whitfield")]))
    with session_scope(db_url) as session:
        rows = session.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars().all()
        viewed = [r for r in rows if r.action == "record_viewed"]
        assert [(r.staff_id, r.client_id) for r in viewed] == [("T01", "C001")]
        # The audit trail holds ids and the kind of access, never the message text.
        assert not any(r.detail and re.search("whitfield", r.detail, re.I) for r in rows)


def test_an_unmigrated_database_gets_a_clear_answer_and_no_data(tmp_path):
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    messages, events = run(ClientRecords(url), tracker("pull up Dana Whitfield",
                                                       entities=[person("Dana Whitfield")]))
    assert messages[0]["response"] == "utter_records_unavailable"
    assert events == []


def unsure(records, text, staff_id="T01"):
    dispatcher = CollectingDispatcher()
    t = tracker(text, staff_id=staff_id, intent="nlu_fallback")
    events = asyncio.run(ActionUnsure(records).run(dispatcher, t, {}))
    return dispatcher.messages, events


@pytest.mark.parametrize("text", ["Whitfield", "dana whitfeild", "it's Dana Whitfield"])
def test_when_unsure_a_clients_name_alone_is_looked_up(records, text):
    messages, events = unsure(records, text)
    assert messages[0]["text"].startswith("Dana Whitfield: attendance from the clinic record")
    assert SlotSet("client_id", "C001") in events


@pytest.mark.parametrize("text, staff_id", [
    ("qqq", "T01"),
    ("Noah Kim", "T01"),                          # T02's client: not looked up, not revealed
    ("can dana whitfield come off her meds cold turkey", "T01"),  # mentions, is not a name
    ("Whitfield", None),                          # nobody known is asking
    ("Whitfield", "F01"),                         # front desk: no caseload
])
def test_when_unsure_anything_else_gets_a_question(records, text, staff_id):
    messages, events = unsure(records, text, staff_id)
    assert [m["response"] for m in messages] == ["utter_ask_rephrase"]
    assert events == []
    assert not any(action == "record_viewed" for _, _, action in audit(records))


def test_the_widget_gets_the_attendance_timeline_with_the_summary_rest_does_not(records):
    def on(channel):
        t = tracker("pull up Dana Whitfield", entities=[person("Dana Whitfield")])
        t.events = [{"event": "user", "text": "pull up Dana Whitfield",
                     "input_channel": channel}]
        return run(records, t)[0]

    widget = on("widget")
    assert widget[0]["text"].startswith("Dana Whitfield: attendance")
    timeline = widget[1]["custom"]
    assert timeline["type"] == "attendance_timeline"
    assert timeline["image"].startswith("data:image/svg+xml;base64,")
    assert timeline["alt"].startswith("Attendance timeline of Dana Whitfield")
    assert not any(m.get("custom") for m in on("rest"))
    # Another therapist's widget gets neither the summary nor the picture.
    t = tracker("pull up Dana Whitfield", staff_id="T02", entities=[person("Dana Whitfield")])
    t.events = [{"event": "user", "input_channel": "widget"}]
    assert not any(m.get("custom") for m in run(records, t)[0])


@pytest.mark.parametrize("text, found", [
    ("pull up Maya Singh", ["Maya Singh"]),   # spaCy found the full name
    ("pull up maya singh", []),               # it did not
    ("pull up Dana Ortiz please", ["Dana Ortiz"]),
    ("pull up Dana Ortiz", ["Dana"]),         # spaCy tagged the first name only
    ("pull up dana ortiz please", ["dana"]),
    ("dana ortiz's attendance", ["dana"]),
    ("pull up Dana Ortiz", []),
])
def test_a_first_name_with_another_surname_is_no_client_of_mine(records, text, found):
    """The issue's case: another therapist's full name whose first name one of mine shares
    gets "no client called <full name>", never a summary of my client of that first name."""
    messages, events = run(records, tracker(text, entities=[person(p) for p in found]))
    said = " ".join(m.get("text") or m.get("response") or "" for m in messages)
    assert messages[0].get("response") == "utter_no_such_client", said
    assert not any(e.get("name") == "client_id" and e.get("value") for e in events)
    for mine in ("Patel", "Chen", "Whitfield"):
        assert mine not in said


def test_another_surname_names_the_person_asked_for_and_offers_my_namesakes(records):
    messages, _ = run(records, tracker("pull up Dana Ortiz", entities=[person("Dana")]))
    assert messages[0]["response"] == "utter_no_such_client"
    assert messages[0]["name"] == "Dana Ortiz"
    # The asker's own Dana, as a button to choose: never her summary unasked.
    assert messages[1]["text"] == "Did you mean:"
    assert [b["title"] for b in messages[1]["buttons"]] == ["Dana Whitfield"]
    assert len(messages) == 2


@pytest.mark.parametrize("text, found", [
    ("pull up dana please", ["dana"]),
    ("pull up Dana please", []),
    ("dana whitfield's attendance", ["dana"]),
    ("dana w", []),
    ("dana again", ["dana"]),
    ("dana from tuesday", ["dana"]),
    ("Dana didn't show again", ["Dana"]),
    ("dana wed 25 nov", ["dana"]),
    ("dana seems to be avoiding us", ["Dana"]),
])
def test_a_first_name_without_a_surname_still_finds_my_client(records, text, found):
    messages, events = run(records, tracker(text, entities=[person(p) for p in found]))
    assert messages[0]["text"].startswith("Dana Whitfield: attendance"), messages[0]
    assert SlotSet("client_id", "C001") in events


def test_the_name_asked_for_decides_not_a_name_said_in_passing(records):
    messages, events = run(records, tracker(
        "hi, dana asked me to cover - can u pull up noah kim",
        entities=[person("dana"), person("noah kim")]))
    assert messages[0]["response"] == "utter_no_such_client"
    assert messages[0]["name"] == "noah kim"  # as typed
    assert not any(e.get("name") == "client_id" and e.get("value") for e in events)


def test_a_name_ruled_out_is_not_the_one_meant(records):
    messages, _ = run(records, tracker("no not dana whitfield. maya patel",
                                       entities=[person("dana whitfield"), person("maya patel")]))
    assert messages[0]["text"].startswith("Maya Patel: attendance")


def test_a_surname_tagged_alone_is_quoted_with_the_first_name_typed(records):
    messages, events = run(records, tracker("look at noah kim", entities=[person("kim")]))
    assert messages[0]["response"] == "utter_no_such_client"
    assert messages[0]["name"] == "noah kim"
    assert not any(e.get("name") == "client_id" and e.get("value") for e in events)


def test_the_full_name_typed_decides_between_namesakes(records):
    messages, events = run(records, tracker(
        "called maya patel this morning, no answer. her mum says maya told her she can't go on",
        entities=[person("maya")]))
    assert messages[0]["text"].startswith("Maya Patel: attendance"), messages[0]
    assert SlotSet("client_id", "C002") in events


def test_a_contact_told_before_a_choice_typed_by_name_is_for_the_one_chosen(records):
    asked = "2 clients in your caseload match that name. Which one do you mean?"
    typed = tracker("Maya Patel", intent="ask_attendance", entities=[person("Maya Patel")])
    typed.events = [{"event": "user", "text": "maya missed wed. texted her thurs, no reply"},
                    {"event": "bot", "text": asked},
                    {"event": "user", "text": "Maya Patel"}]
    messages, events = run(records, typed)
    said = "\n".join(m.get("text") or "" for m in messages)
    assert said.startswith("Maya Patel:")
    assert "Record for Maya Patel: text on Thu 12 Mar 2026, no answer. Save it?" in said
