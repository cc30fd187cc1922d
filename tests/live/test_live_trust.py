"""Trust, against the running servers: a conversation belongs to one staff member, the action
server answers only the Rasa server, and bad input gets a short answer, never a crash."""
from __future__ import annotations

import json
import sqlite3
import uuid

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.live


def _sender() -> str:
    return f"live-trust-{uuid.uuid4().hex[:8]}"


def _post(live_bot, body) -> requests.Response:
    data = body if isinstance(body, (bytes, str)) else json.dumps(body)
    return requests.post(f"{live_bot.url}/webhooks/rest/webhook", data=data, timeout=60,
                         headers={"Content-Type": "application/json"})


def _events(live_bot, conversation: str) -> int:
    with sqlite3.connect(live_bot.tracker_db) as db:
        return db.execute("SELECT count(*) FROM events WHERE sender_id = ?",
                          (conversation,)).fetchone()[0]


def test_a_request_without_a_sender_is_refused_not_filed_under_default(live_bot):
    for body in ({"message": "pull up Dana Whitfield", "metadata": {"staff_id": "T01"}},
                 {"sender": "", "message": "hello", "metadata": {"staff_id": "T01"}}):
        reply = _post(live_bot, body)
        assert reply.status_code == 400
        assert "sender" in reply.json()["error"]
    assert _events(live_bot, "default") == 0


def test_another_staff_member_on_the_same_sender_never_sees_or_changes_the_conversation(
        live_bot):
    me = _sender()
    # Amara Nwosu (T03, high risk): no other live test takes her safety steps, so safety is
    # still open for her whatever ran before (it is not asked again the day it is in hand).
    assert "Safety first for Amara Nwosu" in live_bot.text("pull up Amara Nwosu", staff_id="T03",
                                                          sender=me)
    owner = live_bot.conversation(me, "T03")
    before = _events(live_bot, owner)
    # Another therapist, then someone with no staff id at all, on T01's sender id.
    for staff in ("T02", None):
        for message in ("hi", "what should I do?", "how do I raise it?",
                        "ok, safety's in hand", "yes", "undo"):
            reply = live_bot.text(message, staff_id=staff, sender=me)
            assert "Amara" not in reply and "Safety first" not in reply, (staff, message)
    assert _events(live_bot, owner) == before  # nothing added to T03's conversation
    assert _events(live_bot, live_bot.conversation(me, "T02")) > 0
    # T03's conversation is where it was: safety still open for Amara.
    assert "the rest waits until you tell me you have it in hand" in live_bot.text(
        "how do I raise it without sounding punitive?", staff_id="T03", sender=me)


def test_a_message_without_a_staff_id_is_nobodys(live_bot):
    me = _sender()
    live_bot.text("pull up Dana Whitfield", sender=me)
    reply = live_bot.text("pull up Dana Whitfield", staff_id=None, sender=me)
    assert "can't tell who is asking" in reply and "Dana" not in reply


def _listening_addresses(port: int):
    """The local addresses a TCP port listens on (from /proc/net/tcp and tcp6)."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = open(table).read().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            address, port_hex = local.split(":")
            if state == "0A" and int(port_hex, 16) == port:
                found.append(address)
    return found


def test_the_action_server_answers_only_the_rasa_server(live_bot):
    call = {"next_action": "action_summarize_attendance", "version": "3.6.21",
            "tracker": {"sender_id": "forged", "slots": {}, "events": [],
                        "latest_message": {"text": "pull up Dana Whitfield",
                                           "metadata": {"staff_id": "T01"},
                                           "intent": {"name": "ask_attendance"},
                                           "entities": [{"entity": "PERSON",
                                                         "value": "Dana Whitfield"}]}},
            "domain": {}}
    webhook = f"{live_bot.action_url}/webhook"
    for params, headers in (({}, {}), ({"token": "wrong" * 8}, {}),
                            ({}, {"Authorization": "Bearer " + "wrong" * 8})):
        forged = requests.post(webhook, json=call, params=params, headers=headers, timeout=30)
        assert forged.status_code == 401
        assert "Dana" not in forged.text and "Whitfield" not in forged.text
    assert requests.get(f"{live_bot.action_url}/actions", timeout=30).status_code == 401
    # With the secret the Rasa server holds, the same call is answered.
    real = requests.post(webhook, json=call, params={"token": live_bot.action_token},
                         timeout=60)
    assert real.status_code == 200 and "Dana Whitfield" in real.text
    assert requests.get(f"{live_bot.action_url}/health", timeout=30).ok
    # It listens on loopback only (started without --host or ACTION_HOST).
    port = int(live_bot.action_url.rsplit(":", 1)[1])
    assert _listening_addresses(port) == ["0100007F"]


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_an_empty_message_gets_a_prompt(live_bot, text):
    reply = live_bot.text(text)
    assert reply.startswith("I didn't get a message there.")


@pytest.mark.parametrize("body", [b"", b"[1, 2]", b'"pull up Dana Whitfield"', b"not json",
                                  b'{"sender": "me", "message": 5}', b"null"])
def test_a_malformed_body_gets_400_and_a_short_reason(live_bot, body):
    reply = _post(live_bot, body)
    assert reply.status_code == 400
    assert "Traceback" not in reply.text and len(reply.json()["error"]) < 120


def test_a_long_message_is_refused_with_a_reply_and_a_huge_body_capped(live_bot):
    me = _sender()
    long = "Dana Whitfield keeps missing sessions. " * 60
    reply = live_bot.text(long, sender=me)
    assert "too long for me to read" in reply
    assert _events(live_bot, live_bot.conversation(me)) == 0  # the assistant never read it
    huge = _post(live_bot, {"sender": me, "message": "a" * 990_000,
                            "metadata": {"staff_id": "T01"}})
    assert huge.status_code == 413
    assert "Current run" in live_bot.text("pull up Dana Whitfield", sender=me)


TEXTS = st.one_of(st.text(max_size=60), st.text(alphabet=st.characters(
    codec="utf-8", exclude_categories=["Cs"]), max_size=300),
    st.sampled_from(["/", "/{", "/ask_attendance{", '/ask_attendance{"client_id": 5}',
                     "/nonsense_intent", "/request_draft{\"channel\": [1]}", "{}", "@@@",
                     "\u202e\u200b", "🙂" * 40]))
METADATA = st.one_of(st.none(), st.dictionaries(st.text(max_size=10), st.text(max_size=10),
                                                max_size=3),
                     st.fixed_dictionaries({"staff_id": st.sampled_from(
                         ["T01", "T02", "F01", "S01", "nobody", ""])}))


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(text=TEXTS, metadata=METADATA, sender=st.text(min_size=1, max_size=20))
def test_fuzz_the_real_servers(live_bot, text, metadata, sender):
    reply = _post(live_bot, {"sender": sender, "message": text, "metadata": metadata})
    assert reply.status_code in (200, 400), (reply.status_code, reply.text[:300])
    assert "Traceback" not in reply.text
    reply.json()


def test_after_the_fuzz_a_normal_message_is_answered(live_bot):
    assert "Current run" in live_bot.text("pull up Dana Whitfield")
