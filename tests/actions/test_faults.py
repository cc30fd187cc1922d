"""Every action that touches the database answers a stopped, missing or outdated database
with the same one clear reply, says nothing half-done before it, raises nothing, and logs no
client data."""
from __future__ import annotations

import asyncio
import inspect
import logging
import socket

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.base import RecordsAction
from actions.confirm import ActionSavePending
from actions.pending import PendingWrite, plan_data
from reconnect.guidance.plan_parser import parse_plan
from reconnect.records import db
from reconnect.records.queries import ClientRecords
from tests.action_classes import concrete_actions
from tests.conftest import TEST_TODAY

RECORDS_ACTIONS = [cls for cls in concrete_actions() if issubclass(cls, RecordsAction)]


def test_every_action_that_reads_the_record_stands_on_the_records_base():
    names = {cls.__name__ for cls in RECORDS_ACTIONS}
    assert {"ActionSummarizeAttendance", "ActionUnsure", "ActionListFollowUps",
            "ActionSavePending", "ActionRecordOutreach", "ActionDraftClosingLetter",
            "ActionUndo", "ActionSafetyInHand", "ActionAnswerFact"} <= names
    # The others never reach the records.
    for cls in concrete_actions():
        if cls not in RECORDS_ACTIONS:
            source = inspect.getsource(inspect.getmodule(cls))
            body = inspect.getsource(cls)
            assert "self.records" not in body and "ClientRecords(" not in body, cls.__name__
            assert source  # the module is readable


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(params=["postgresql stopped", "sqlite missing", "sqlite behind"])
def broken_url(request, tmp_path):
    if request.param == "postgresql stopped":
        url = (f"postgresql://reconnect@127.0.0.1:{_free_port()}/reconnect"
               "?connect_timeout=3")
    elif request.param == "sqlite missing":
        url = f"sqlite:///{tmp_path / 'nowhere' / 'clinic.db'}"
    else:
        url = f"sqlite:///{tmp_path / 'old.db'}"
        db.upgrade(url, "0001")
    yield url
    db.dispose_engines()


def _tracker() -> Tracker:
    pending = PendingWrite("plan", "C002", "Maya Patel",
                           plan_data(parse_plan("I'll call her Friday", TEST_TODAY))).to_json()
    return Tracker(
        sender_id="t",
        slots={"client_id": "C002", "client_name": "Maya Patel", "pending_write": pending,
               "plan_text": "I'll call her Friday", "plan_follow_up": None},
        latest_message={"text": "pull up Maya Patel, she didn't answer my call",
                        "intent": {"name": "x"}, "metadata": {"staff_id": "T01"},
                        "entities": [{"entity": "PERSON", "value": "Maya Patel"},
                                     {"entity": "channel", "value": "sms"},
                                     {"entity": "outcome", "value": "worked"}]},
        events=[], paused=False, followup_action=None, active_loop={},
        latest_action_name="action_listen")


@pytest.mark.parametrize("action_class", RECORDS_ACTIONS, ids=lambda c: c.__name__)
def test_a_database_fault_gets_one_clear_reply(action_class, broken_url, caplog):
    action = action_class(ClientRecords(broken_url))
    dispatcher = CollectingDispatcher()
    with caplog.at_level(logging.DEBUG):
        events = asyncio.run(action.run(dispatcher, _tracker(), {}))
    said = [m.get("response") or m.get("text") for m in dispatcher.messages]
    assert said[0] == "utter_records_unavailable"
    if action_class is ActionSavePending:
        # A yes while the records are down: not saved, and said so; the write stays waiting
        # for a yes once they are back.
        assert said[1:] == ["Nothing was saved for Maya Patel. What you told me is kept: say "
                            "yes again in a minute and I'll save it."]
        assert not any(e.get("name") == "pending_write" for e in events)
    else:
        assert said == ["utter_records_unavailable"]
    assert isinstance(events, list)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "reconnect db upgrade" in logged or "cannot be reached" in logged
    for private in ("Maya", "Patel", "didn't answer", "C002", "SELECT"):
        assert private not in logged
