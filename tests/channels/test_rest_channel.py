"""The REST channel alone, over real HTTP, with a stand-in for the assistant: who a
conversation belongs to, bad requests, empty and over-long messages, the body cap, and a fuzz
test of random bodies, metadata and texts."""
from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reconnect.channels.rest import ClinicRestInput, conversation_id, parse_request
from reconnect.settings import SettingError, max_message_chars
from tests.channels.echo_server import FAIL

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Channel:
    def __init__(self, url: str, log: Path):
        self.url, self.log = url, log

    def post(self, body, **kwargs) -> requests.Response:
        if not isinstance(body, (bytes, str)):
            body = json.dumps(body)
        return requests.post(self.url, data=body, timeout=30,
                             headers={"Content-Type": "application/json"}, **kwargs)

    def seen(self, sender="me", message="hello", staff_id="T01") -> dict:
        """What the assistant was given for a message (the stand-in says it back)."""
        body = {"sender": sender, "message": message}
        if staff_id is not None:
            body["metadata"] = {"staff_id": staff_id}
        reply = self.post(body)
        assert reply.status_code == 200, reply.text
        return json.loads(reply.json()[0]["text"])


@pytest.fixture(scope="module")
def channel(tmp_path_factory):
    port = _free_port()
    log = tmp_path_factory.mktemp("channel") / "server.log"
    server = subprocess.Popen([sys.executable, "-m", "tests.channels.echo_server", str(port)],
                              cwd=ROOT, stdout=log.open("w"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/webhooks/rest/webhook"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(url.rsplit("/", 1)[0] + "/", timeout=1).ok:
                    break
            except requests.RequestException:
                pass
            assert server.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.3)
        yield Channel(url, log)
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_rasa_is_configured_with_this_channel_at_the_same_url():
    credentials = yaml.safe_load((ROOT / "credentials.yml").read_text())
    assert "rest" not in credentials  # Rasa's own REST channel files senderless requests
    assert "reconnect.channels.rest.ClinicRestInput" in credentials
    assert ClinicRestInput.name() == "rest" and ClinicRestInput().url_prefix() == "rest"


def test_a_message_is_answered_in_the_staff_members_own_conversation(channel):
    seen = channel.seen("me", "pull up Dana Whitfield", "T01")
    assert seen == {"conversation": "T01:me", "channel": "rest",
                    "metadata": {"staff_id": "T01"}, "chars": 22}
    reply = channel.post({"sender": "me", "message": "hi", "metadata": {"staff_id": "T01"}})
    assert reply.json()[0]["recipient_id"] == "me"  # addressed as the caller named it


def test_another_staff_member_on_the_same_sender_gets_another_conversation(channel):
    assert channel.seen("me", staff_id="T01")["conversation"] == "T01:me"
    assert channel.seen("me", staff_id="T02")["conversation"] == "T02:me"
    # Without a staff id: a conversation no staff member's is.
    assert channel.seen("me", staff_id=None)["conversation"] == ":me"
    assert len({conversation_id(s, "me") for s in ("T01", "T02", None, "")}) == 3
    # A staff id can never forge another's conversation through the separator.
    assert conversation_id("T0", "1:me") != conversation_id("T01", "me")
    with pytest.raises(ValueError):
        parse_request(b'{"sender": "me", "message": "hi", "metadata": {"staff_id": "T0:1"}}')


@pytest.mark.parametrize("body", [
    {"message": "pull up Dana Whitfield", "metadata": {"staff_id": "T01"}},
    {"sender": None, "message": "hi"}, {"sender": "", "message": "hi"},
    {"sender": "   ", "message": "hi"}, {}, {"metadata": {"staff_id": "T01"}}])
def test_a_request_without_a_sender_is_refused(channel, body):
    reply = channel.post(body)
    assert reply.status_code == 400
    assert "sender" in reply.json()["error"]


@pytest.mark.parametrize("body, reason", [
    (b"", "empty"), (b"   ", "empty"), (b"not json at all", "not valid JSON"),
    (b"\xff\xfe{}", "not valid JSON"), (b'{"sender": "me", "message": "hi"',
                                        "not valid JSON"),
    ([{"sender": "me", "message": "hi"}], "JSON object"), (b"\"a string\"", "JSON object"),
    (42, "JSON object"), (None, "JSON object"),
    ({"sender": 7, "message": "hi"}, "sender must be a string"),
    ({"sender": "x" * 129, "message": "hi"}, "sender is longer"),
    ({"sender": "me\n", "message": "hi"}, "control characters"),
    ({"sender": "me"}, "message is required"),
    ({"sender": "me", "message": ["hi"]}, "message must be a string"),
    ({"sender": "me", "message": {"text": "hi"}}, "message must be a string"),
    ({"sender": "me", "message": "hi", "metadata": ["T01"]}, "metadata must be"),
    ({"sender": "me", "message": "hi", "metadata": {"staff_id": 1}}, "staff_id"),
    ({"sender": "me", "message": "hi", "metadata": {"staff_id": "T" * 65}}, "staff_id"),
    ({"sender": "me", "message": "hi\x00there"}, "NUL"),
    (b'{"sender": "me", "message": "\\ud800"}', "not valid text"),
    (b'{"sender": "me", "message": "hi", "metadata": ' + b"[" * 50 + b"]" * 50 + b"}",
     "nested too deeply"),
    (b"[" * 100000 + b"]" * 100000, "not valid JSON"),
])
def test_a_malformed_body_gets_400_with_a_short_reason(channel, body, reason):
    reply = channel.post(body)
    if isinstance(body, bytes) and len(body) > 40000:
        assert reply.status_code == 413  # over the cap before it is even parsed
        return
    assert reply.status_code == 400, reply.text
    error = reply.json()["error"]
    assert reason in error and len(error) < 120
    assert "Traceback" not in reply.text


@pytest.mark.parametrize("text", ["", "   ", "\n\t ", None])
def test_an_empty_message_gets_a_prompt(channel, text):
    reply = channel.post({"sender": "me", "message": text, "metadata": {"staff_id": "T01"}})
    assert reply.status_code == 200
    assert reply.json() == [{"recipient_id": "me", "text": (
        "I didn't get a message there. Name a client you'd like to look at, or ask what I "
        "can do.")}]


def test_an_over_long_message_is_refused_before_the_assistant_reads_it(channel):
    assert channel.seen(message="a" * 2000)["chars"] == 2000
    reply = channel.post({"sender": "me", "message": "a" * 2001,
                          "metadata": {"staff_id": "T01"}})
    assert reply.status_code == 200
    assert reply.json() == [{"recipient_id": "me", "text": (
        "That message is too long for me to read (2,001 characters; the limit is 2,000). "
        "Please send the question on its own, in fewer words.")}]
    # Emoji, escaped by the sender's JSON library, still get the reply, not a 413.
    emoji = json.dumps({"sender": "me", "message": "\U0001F600" * 2500})
    assert "too long" in channel.post(emoji).json()[0]["text"]


def test_the_request_body_is_capped(channel):
    huge = json.dumps({"sender": "me", "message": "a" * 1_000_000})
    reply = channel.post(huge)
    assert reply.status_code == 413
    assert "larger than" in reply.json()["error"]

    def chunks():  # no Content-Length: the cap holds while reading
        yield b'{"sender": "me", "message": "'
        for _ in range(100):
            yield b"a" * 10_000
        yield b'"}'
    reply = requests.post(channel.url, data=chunks(), timeout=30)
    assert reply.status_code == 413
    assert channel.seen()["chars"] == 5  # and the channel still answers


def test_a_failure_behind_the_channel_is_a_short_500_without_the_text(channel):
    reply = channel.post({"sender": "me", "message": FAIL, "metadata": {"staff_id": "T01"}})
    assert reply.status_code == 500
    assert reply.json() == {"error": "the assistant failed on this message; try again"}
    time.sleep(0.5)
    log = channel.log.read_text()
    assert "RuntimeError" in log and FAIL not in log


def test_the_limit_is_set_in_clinic_yml_or_the_environment(tmp_path, monkeypatch):
    monkeypatch.delenv("RECONNECT_MAX_MESSAGE_CHARS", raising=False)
    assert max_message_chars() == 2000  # the project's clinic.yml
    policy = tmp_path / "clinic.yml"
    policy.write_text("name: x\nmax_message_chars: 500\n")
    monkeypatch.setenv("RECONNECT_CLINIC_CONFIG", str(policy))
    assert max_message_chars() == 500
    assert ClinicRestInput().max_chars == 500
    monkeypatch.setenv("RECONNECT_MAX_MESSAGE_CHARS", "300")
    assert ClinicRestInput().max_chars == 300
    for wrong in ("lots", "0", "-5"):
        monkeypatch.setenv("RECONNECT_MAX_MESSAGE_CHARS", wrong)
        with pytest.raises(SettingError, match="RECONNECT_MAX_MESSAGE_CHARS"):
            max_message_chars()


# Random bodies: bytes, any JSON, and requests shaped like real ones with random parts.
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                 max_size=4),
    max_leaves=12)
SHAPED = st.fixed_dictionaries(
    {"sender": st.one_of(st.text(max_size=140), JSON)},
    optional={"message": st.one_of(st.text(max_size=2100), JSON),
              "metadata": st.one_of(
                  st.fixed_dictionaries({}, optional={"staff_id": st.one_of(
                      st.sampled_from(["T01", "T02", "F01", "", "nobody"]),
                      st.text(max_size=70), JSON)}), JSON),
              "input_channel": JSON})
BODIES = st.one_of(st.binary(max_size=300), JSON.map(json.dumps), SHAPED.map(json.dumps),
                   SHAPED.map(lambda b: json.dumps(b, ensure_ascii=False)))


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(body=BODIES)
def test_fuzz_no_500_no_traceback(channel, body):
    reply = channel.post(body)
    assert reply.status_code in (200, 400, 413), (reply.status_code, reply.text[:300])
    assert "Traceback" not in reply.text
    answer = reply.json()
    if reply.status_code == 200:
        assert isinstance(answer, list) and answer
    else:
        assert set(answer) == {"error"} and len(answer["error"]) < 120


def test_after_the_fuzz_a_normal_message_is_answered(channel):
    assert channel.seen("me", "pull up Dana Whitfield", "T01")["conversation"] == "T01:me"
