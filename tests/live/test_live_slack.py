"""Slack against the running servers: signed Events API payloads and block_actions clicks
posted to the real Rasa server's Slack webhook, the real walkthrough answering a therapist in
a direct message through a fake Slack Web API (health-information mode), and the refusals."""
from __future__ import annotations

import json
import time
import uuid
from urllib.parse import urlencode

import pytest
import requests

from reconnect.channels import slack_replies
from reconnect.channels.slack import signature

pytestmark = pytest.mark.live

RIVERA, CHEN, STRANGER = "U0T01RIVER", "U0F01CHENJ", "U0NOBODY"


def _post(live_bot, live_slack, body: bytes, content_type: str, secret: str = ""):
    stamp = str(int(time.time()))
    return requests.post(f"{live_bot.url}/webhooks/slack/webhook", data=body, timeout=60,
                         headers={"Content-Type": content_type,
                                  "X-Slack-Request-Timestamp": stamp,
                                  "X-Slack-Signature": signature(
                                      secret or live_slack.signing_secret, stamp, body)})


def _dm(live_bot, live_slack, user: str, text: str, secret: str = ""):
    body = json.dumps({"type": "event_callback", "event_id": f"Ev{uuid.uuid4().hex[:12]}",
                       "event": {"type": "message", "channel_type": "im", "user": user,
                                 "channel": f"D{user}", "text": text,
                                 "ts": f"{time.time():.6f}"}}).encode()
    return _post(live_bot, live_slack, body, "application/json", secret)


def _click(live_bot, live_slack, user: str, value: str):
    payload = {"type": "block_actions", "trigger_id": uuid.uuid4().hex, "user": {"id": user},
               "channel": {"id": f"D{user}"},
               "actions": [{"type": "button", "value": value, "action_id": "choice_0"}]}
    return _post(live_bot, live_slack, urlencode({"payload": json.dumps(payload)}).encode(),
                 "application/x-www-form-urlencoded")


def _settled(live_slack, channel: str, timeout: float = 60.0) -> list:
    """The posts to a channel once the assistant has stopped answering."""
    deadline, last, count = time.monotonic() + timeout, time.monotonic(), 0
    while time.monotonic() < deadline:
        posts = live_slack.posts(channel)
        if len(posts) != count:
            count, last = len(posts), time.monotonic()
        elif count and time.monotonic() - last > 2.0:
            return posts
        time.sleep(0.1)
    raise AssertionError(f"no settled answer in {channel}: {live_slack.posts(channel)}")


def test_a_therapist_gets_the_walkthrough_in_a_direct_message(live_bot, live_slack):
    live_slack.clear()
    assert _dm(live_bot, live_slack, RIVERA, "pull up Dana Whitfield").status_code == 200
    posts = _settled(live_slack, f"D{RIVERA}")
    text = "\n".join(p["text"] for p in posts)
    assert "Dana Whitfield" in text and "no-show" in text
    assert all(p["channel"] == f"D{RIVERA}" for p in live_slack.posts())
    # "called her yesterday" asks how the call went, with Block Kit buttons; a click on one
    # is the typed choice, and the attempt is read back for the therapist's yes.
    live_slack.clear()
    _dm(live_bot, live_slack, RIVERA, "I called her yesterday")
    posts = _settled(live_slack, f"D{RIVERA}")
    buttons = {e["text"]["text"]: e["value"] for p in posts for b in p.get("blocks", [])
               if b["type"] == "actions" for e in b["elements"] if e["type"] == "button"}
    assert "No answer" in buttons, posts
    live_slack.clear()
    assert _click(live_bot, live_slack, RIVERA, buttons["No answer"]).status_code == 200
    text = "\n".join(p["text"] for p in _settled(live_slack, f"D{RIVERA}"))
    assert "Record for Dana Whitfield: phone call on" in text and "no answer" in text
    # The conversation is the therapist's own, derived on the server.
    assert live_bot.conversation("slack", "T01") == "T01:slack"


def test_unsigned_and_unlinked_get_nothing_from_the_real_server(live_bot, live_slack):
    live_slack.clear()
    assert _dm(live_bot, live_slack, RIVERA, "pull up Dana Whitfield",
               secret="wrong").status_code == 401
    assert _dm(live_bot, live_slack, STRANGER, "pull up Dana Whitfield").status_code == 200
    posts = _settled(live_slack, f"D{STRANGER}")
    assert [p["text"] for p in posts] == [slack_replies.NOT_LINKED]
    assert live_slack.posts(f"D{RIVERA}") == []


def test_the_front_desk_gets_the_schedule_view_not_the_walkthrough(live_bot, live_slack):
    live_slack.clear()
    _click(live_bot, live_slack, CHEN, "missed today")
    posts = _settled(live_slack, f"D{CHEN}")
    assert len(posts) == 1 and "*Missed today*" in posts[0]["text"]
    for detail in ("risk", "$", "Medicaid", "self-pay"):
        assert detail not in posts[0]["text"]
    rasa_log = live_bot.logs["rasa"].read_text()
    assert "slack channel ON; health information ALLOWED" in rasa_log
    assert "Dana Whitfield" not in rasa_log
