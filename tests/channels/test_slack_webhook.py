"""The Slack webhook over real HTTP, as Slack calls it: signed Events API payloads and
form-encoded block_actions clicks, replies captured by a fake Slack Web API on loopback.
Signatures (missing, wrong, stale), retries and replays, DM only, the Slack user mapping,
and the channel being off without its settings."""
from __future__ import annotations

import asyncio
import json
import logging
import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

import pytest
import requests
import yaml

from reconnect.channels import slack_replies
from reconnect.channels.slack import (
    ClinicSlackInput,
    SeenEvents,
    _click,
    refusal,
    signature,
)
from reconnect.records import db
from reconnect.records.queries import ClientRecords
from tests.fake_slack import FakeSlack
from tests.slack_clinic import CLIENT_NAMES, load_slack_clinic

ROOT = Path(__file__).resolve().parents[2]
SECRET = "8f742231b10e8888abcd99yyyzzz85a5"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Slack:
    """Posts to the webhook as Slack does: signed with the app's signing secret."""

    def __init__(self, url: str, fake: FakeSlack, database_url: str):
        self.url, self.fake, self.database_url = url, fake, database_url

    def send(self, body: bytes, content_type: str, secret: str = SECRET,
             timestamp: int = 0, headers: dict = None) -> requests.Response:
        stamp = str(timestamp or int(time.time()))
        all_headers = {"Content-Type": content_type, "X-Slack-Request-Timestamp": stamp,
                       "X-Slack-Signature": signature(secret, stamp, body)}
        all_headers.update(headers or {})
        return requests.post(self.url, data=body, headers=all_headers, timeout=30)

    @staticmethod
    def event(text: str, user: str = "U1", channel_type: str = "im", kind: str = "message",
              event_id: str = "") -> bytes:
        channel = ("D" if channel_type == "im" else "C") + "0" + user
        return json.dumps({
            "type": "event_callback", "event_id": event_id or f"Ev{uuid.uuid4().hex[:10]}",
            "event": {"type": kind, "user": user, "text": text, "channel": channel,
                      "channel_type": channel_type, "ts": f"{time.time():.6f}"}}).encode()

    @staticmethod
    def click(value: str, user: str = "U1", channel: str = "") -> bytes:
        payload = {"type": "block_actions", "trigger_id": uuid.uuid4().hex,
                   "user": {"id": user}, "channel": {"id": channel or f"D0{user}"},
                   "actions": [{"type": "button", "value": value, "action_id": "choice_0",
                                "action_ts": f"{time.time():.6f}"}]}
        return urlencode({"payload": json.dumps(payload)}).encode()


def _start(folder: Path, fake: FakeSlack, phi: bool, url: str = ""):
    """A server (its own process) on a new clinic database, or on `url`'s as it is."""
    if not url:
        url = f"sqlite:///{folder / 'clinic.db'}"
        db.upgrade(url)
        load_slack_clinic(folder / "csv", url)
    port = _free_port()
    log = folder / "server.log"
    args = [sys.executable, "-m", "tests.channels.slack_server", str(port), url, fake.url,
            SECRET] + (["phi"] if phi else [])
    server = subprocess.Popen(args, cwd=ROOT, stdout=log.open("w"), stderr=subprocess.STDOUT,
                              env={**os.environ, "RECONNECT_TODAY": "2026-03-16"})
    base = f"http://127.0.0.1:{port}/webhooks/slack"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if requests.get(base + "/", timeout=2).ok:
                return server, Slack(base + "/webhook", fake, url), log
        except requests.RequestException:
            time.sleep(0.3)
    server.terminate()
    raise RuntimeError(log.read_text()[-3000:])


@pytest.fixture(scope="module")
def fake():
    with FakeSlack() as fake:
        yield fake


@pytest.fixture(scope="module")
def slack(tmp_path_factory, fake):
    """The channel in health-information mode (therapists reach the stand-in dialogue)."""
    server, client, log = _start(tmp_path_factory.mktemp("slack"), fake, phi=True)
    try:
        yield client
    finally:
        server.terminate()
        server.wait(timeout=30)
        text = log.read_text()
        for name in CLIENT_NAMES:
            assert name not in text, f"{name!r} in the server's log"


def test_a_direct_message_reaches_the_dialogue_as_the_linked_staff_member(slack, fake):
    fake.clear()
    reply = slack.send(slack.event("pull up Dana Whitfield"), "application/json")
    assert reply.status_code == 200
    post = fake.wait_for_posts(1)[0]
    said = json.loads(post["text"])
    assert (said["conversation"], said["staff_id"], said["text"]) == (
        "T01:slack", "T01", "pull up Dana Whitfield")
    assert post["channel"] == "D0U1"
    # The dialogue's buttons are Block Kit buttons ...
    buttons = post["blocks"][1]["elements"]
    assert [(b["type"], b["value"]) for b in buttons] == [("button", "/affirm"),
                                                          ("button", "/deny")]
    # ... and a click on one comes back as that choice, typed.
    fake.clear()
    assert slack.send(slack.click("/affirm"), "application/x-www-form-urlencoded"
                      ).status_code == 200
    said = json.loads(fake.wait_for_posts(1)[0]["text"])
    assert (said["text"], said["staff_id"]) == ("/affirm", "T01")


@pytest.mark.parametrize("tamper", ["no signature", "wrong secret", "stale", "future",
                                    "changed body"])
def test_unsigned_wrong_or_stale_requests_get_401_and_reach_nothing(slack, fake, tamper):
    fake.clear()
    body = slack.event("pull up Dana Whitfield")
    stamp = int(time.time())
    headers = {}
    if tamper == "no signature":
        response = requests.post(slack.url, data=body, timeout=30,
                                 headers={"Content-Type": "application/json"})
    elif tamper == "changed body":
        good = signature(SECRET, str(stamp), body)
        response = requests.post(slack.url, data=body.replace(b"Dana", b"Maya"), timeout=30,
                                 headers={"Content-Type": "application/json",
                                          "X-Slack-Request-Timestamp": str(stamp),
                                          "X-Slack-Signature": good})
    else:
        secret = "not-the-secret" if tamper == "wrong secret" else SECRET
        # A minute past the 5-minute window either way, so that a slow machine's second or
        # two between signing and checking cannot bring a "future" stamp back inside it (the
        # exact edge is tested without a clock below).
        when = {"stale": stamp - 360, "future": stamp + 360}.get(tamper, stamp)
        response = slack.send(body, "application/json", secret=secret, timestamp=when,
                              headers=headers)
    assert response.status_code == 401
    time.sleep(0.5)
    assert fake.calls == []


def test_retries_and_replays_are_acknowledged_and_not_handled_twice(slack, fake):
    fake.clear()
    body = slack.event("pull up Dana Whitfield", event_id="EvRETRY1")
    assert slack.send(body, "application/json").status_code == 200
    fake.wait_for_posts(1)
    retry = slack.send(body, "application/json",
                       headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"})
    assert retry.status_code == 200 and retry.headers.get("X-Slack-No-Retry") == "1"
    assert slack.send(body, "application/json").status_code == 200   # a replay, re-signed
    time.sleep(1.0)
    assert len(fake.posts()) == 1


def test_a_retried_record_confirmation_saves_one_attempt(slack, fake):
    # The front desk's "Yes" arrives, then Slack retries it: one attempt in the record.
    # (health-information mode: the front desk's views are handled by the channel itself)
    fake.clear()
    slack.send(slack.event("called Dana Whitfield, left a voicemail", user="U3"),
               "application/json")
    assert "Record: phone call to Dana Whitfield" in fake.wait_for_posts(1)[0]["text"]
    yes = slack.click("yes", user="U3")
    for retry in ("", "1", "2"):
        slack.send(yes, "application/x-www-form-urlencoded",
                   headers={"X-Slack-Retry-Num": retry} if retry else {})
    fake.wait_for_posts(2)
    time.sleep(1.0)
    assert len(fake.posts()) == 2
    record = ClientRecords(slack.database_url).client_record("T01", "C001")
    assert [(o.channel, o.outcome) for o in record.outreach] == [("phone", "left_message")]


def test_a_retry_reaching_another_process_is_not_handled_again(slack, fake, tmp_path):
    # Another ClinicSlackInput on the same database, in its own process: the server after a
    # restart, or a second Rasa server behind the balancer. It has never seen the event.
    fake.clear()
    asked = slack.event("emailed Noah Kim, no reply", user="U3", event_id="EvELSEWHERE1")
    assert slack.send(asked, "application/json").status_code == 200
    assert "Record: e-mail to Noah Kim" in fake.wait_for_posts(1)[0]["text"]
    yes = slack.click("yes", user="U3")
    assert slack.send(yes, "application/x-www-form-urlencoded").status_code == 200
    assert "Recorded for Noah Kim" in fake.wait_for_posts(2)[-1]["text"]
    server, other, log = _start(tmp_path, fake, phi=True, url=slack.database_url)
    retries = []
    try:
        for body, kind in ((asked, "application/json"),
                           (yes, "application/x-www-form-urlencoded")):
            retries.append(other.send(body, kind, headers={
                "X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}))
            time.sleep(1.0)  # time for a second prompt, then a second record, to happen
    finally:
        server.terminate()
        server.wait(timeout=30)
    outreach = ClientRecords(slack.database_url).client_record("T02", "C004").outreach
    assert [(o.channel, o.outcome) for o in outreach] == [("email", "no_answer")]
    assert len(fake.posts()) == 2
    assert [(r.status_code, r.headers.get("X-Slack-No-Retry")) for r in retries] == [
        (200, "1"), (200, "1")]
    text = log.read_text()
    assert "Noah Kim" not in text and "EvELSEWHERE1" not in text


def test_a_mention_in_a_channel_gets_only_ask_me_in_a_direct_message(slack, fake):
    fake.clear()
    slack.send(slack.event("<@UBOT> pull up Dana Whitfield", channel_type="channel",
                           kind="app_mention"), "application/json")
    post = fake.wait_for_posts(1)[0]
    assert (post["channel"], post["text"]) == ("C0U1", slack_replies.ASK_IN_DM)
    # A plain message in a channel (not a mention) gets nothing at all.
    fake.clear()
    slack.send(slack.event("Dana Whitfield", channel_type="channel"), "application/json")
    time.sleep(0.8)
    assert fake.calls == []
    # A click from a channel message gets the same one line.
    slack.send(slack.click("missed today", user="U3", channel="C0CLINIC"),
               "application/x-www-form-urlencoded")
    assert fake.wait_for_posts(1)[0]["text"] == slack_replies.ASK_IN_DM


def test_an_unlinked_slack_user_is_refused_and_audited(slack, fake):
    fake.clear()
    slack.send(slack.event("pull up Dana Whitfield", user="U404"), "application/json")
    post = fake.wait_for_posts(1)[0]
    assert post["text"] == slack_replies.NOT_LINKED and "blocks" not in post
    refused = [e for e in ClientRecords(slack.database_url).audit_events()
               if e.action == "access_refused" and e.channel == "slack"]
    assert refused and refused[-1].staff_id is None


def test_url_verification_answers_the_challenge(slack):
    body = json.dumps({"type": "url_verification", "challenge": "3eZbrw1aBm2rZgRNFdxV"}
                      ).encode()
    assert slack.send(body, "application/json").json() == {"challenge": "3eZbrw1aBm2rZgRNFdxV"}


def test_the_channel_is_off_without_token_or_secret():
    for token, secret in (("", ""), ("xoxb-1", ""), ("", "s")):
        channel = ClinicSlackInput.from_credentials(
            {"slack_token": token, "slack_signing_secret": secret, "slack_api_url": ""})
        assert not channel.enabled and channel.start_line.startswith("OFF")
    on = ClinicSlackInput.from_credentials({"slack_token": "xoxb-1", "slack_signing_secret": "s"})
    assert on.enabled and "NO health information" in on.start_line


def test_refusal_and_seen_events_alone():
    body = b'{"type": "event_callback"}'
    now = 1_700_000_000
    good = signature("s", str(now), body)
    assert refusal("s", str(now), good, body, now) is None
    assert refusal("s", str(now), good, body, now + 300) is None
    assert refusal("s", str(now), good, body, now + 301) == "stale timestamp"
    assert refusal("s", None, good, body, now) == "no signature"
    assert refusal("s", "12a", good, body, now) == "bad timestamp"
    assert refusal("t", str(now), good, body, now) == "wrong signature"
    seen = SeenEvents()
    assert seen.first_time("Ev1", 0) and not seen.first_time("Ev1", 10)
    assert seen.first_time("Ev1", 10 + 2 * 3600)  # forgotten after an hour
    # A click with neither trigger id nor time is known by its body's hash, never its text.
    payload = {"type": "block_actions", "user": {"id": "U3"}, "channel": {"id": "D0U3"},
               "actions": [{"type": "button", "value": "summary C001"}]}
    click = _click(payload, b"the signed body")
    assert click is not None and click.text == "summary C001"
    assert "C001" not in click.key and click.key == _click(payload, b"the signed body").key


def _first_time(channel: ClinicSlackInput, key: str) -> bool:
    return asyncio.run(channel.seen.first_time(key))


def test_a_new_channel_on_the_same_database_refuses_what_another_handled(db_url):
    # Restarted, or a second process: another ClinicSlackInput, the same clinic database.
    before = ClinicSlackInput("xoxb-1", "s", database_url=db_url)
    assert _first_time(before, "EvRESTART1") and not _first_time(before, "EvRESTART1")
    assert _first_time(before, "click:trigger.1")
    after = ClinicSlackInput("xoxb-1", "s", database_url=db_url)
    assert not _first_time(after, "EvRESTART1")
    assert not _first_time(after, "click:trigger.1")
    assert _first_time(after, "EvRESTART2") and not _first_time(before, "EvRESTART2")


def test_with_the_database_unreachable_this_process_still_handles_each_event_once(
        tmp_path, caplog):
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"not a database" * 200)
    channel = ClinicSlackInput("xoxb-1", "s", database_url=f"sqlite:///{broken}")
    with caplog.at_level(logging.INFO, logger="reconnect.channels.slack"):
        assert _first_time(channel, "EvDOWN1")        # handled: staff are still answered
        assert not _first_time(channel, "EvDOWN1")    # ... once, by this process's memory
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and "DatabaseUnreachable" in errors[0].getMessage()
    assert "EvDOWN1" not in caplog.text
    db.dispose_engines()


def test_rasa_is_configured_with_this_channel_from_the_environment():
    credentials = yaml.safe_load((ROOT / "credentials.yml").read_text())
    assert "slack" not in credentials  # Rasa's own: no base URL, no mapping, no modes
    assert credentials["reconnect.channels.slack.ClinicSlackInput"] == {
        "slack_token": "${RECONNECT_SLACK_BOT_TOKEN}",
        "slack_signing_secret": "${RECONNECT_SLACK_SIGNING_SECRET}",
        "slack_api_url": "${RECONNECT_SLACK_API_URL}"}
    common = (ROOT / "scripts" / "common.sh").read_text()
    for setting in ("RECONNECT_SLACK_BOT_TOKEN", "RECONNECT_SLACK_SIGNING_SECRET",
                    "RECONNECT_SLACK_API_URL"):
        assert setting in common  # given an empty default: unset, Rasa would refuse to start
    assert ClinicSlackInput.name() == "slack"
