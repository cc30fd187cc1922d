"""Sign-in against the real servers started with a portal's secret: the REST channel requires
the bearer token and takes the staff id from it, the widget's socket gets the summary and the
timeline for the token's therapist only, no demo sign-in exists, and both servers say at
start-up which mode they are in."""
from __future__ import annotations

import json
import secrets
import threading
import time
import uuid

import jwt
import pytest
import requests
import socketio

from tests.conftest import TEST_TODAY
from tests.live.servers import MODEL, running_servers

pytestmark = pytest.mark.live
SECRET = secrets.token_hex(32)


def token(staff_id: str, lifetime: int = 600, key: str = SECRET) -> str:
    now = int(time.time())
    return jwt.encode({"sub": staff_id, "iat": now, "exp": now + lifetime,
                       "iss": "https://portal.example", "aud": "reconnect"}, key,
                      algorithm="HS256")


@pytest.fixture(scope="module")
def signed_bot(tmp_path_factory):
    if not MODEL.exists():
        pytest.fail(f"{MODEL} is missing: scripts/test.sh trains it before the live tests")
    with running_servers(tmp_path_factory.mktemp("signed"), TEST_TODAY, settings={
            "RECONNECT_JWT_SECRET": SECRET, "RECONNECT_JWT_ISSUER": "https://portal.example",
            "RECONNECT_JWT_AUDIENCE": "reconnect"}) as bot:
        yield bot


def _rest(bot, message: str, bearer: str = "", staff_id: str = "T01"):
    headers = {"Authorization": f"Bearer {bearer}"} if bearer else {}
    return requests.post(f"{bot.url}/webhooks/rest/webhook", headers=headers, timeout=60,
                         json={"sender": f"live-{uuid.uuid4().hex[:8]}", "message": message,
                               "metadata": {"staff_id": staff_id}})


def test_both_servers_say_which_sign_in_mode_they_are_in(signed_bot, live_bot):
    for bot, words in ((signed_bot, "verified tokens only (HS256, issuer"),
                       (live_bot, "DEMO MODE")):
        assert words in bot.logs["rasa"].read_text()
        assert words in bot.logs["actions"].read_text()


def test_rest_needs_the_portals_token_and_takes_the_staff_id_from_it(signed_bot):
    for bearer in ("", "forged", token("T01", lifetime=-300), token("T01", key="k" * 64)):
        refused = _rest(signed_bot, "pull up Dana Whitfield", bearer)
        assert refused.status_code == 401 and "Dana" not in refused.text
    # T02's token, claiming T01 in the metadata, is T02: Dana is not in T02's caseload.
    reply = _rest(signed_bot, "pull up Dana Whitfield", token("T02"), staff_id="T01")
    assert reply.ok and "Current run" not in reply.text and "Whitfield: attendance" not in reply.text
    reply = _rest(signed_bot, "pull up Dana Whitfield", token("T01"), staff_id="T02")
    assert "Dana Whitfield: attendance" in reply.text and "Current run" in reply.text
    assert "attendance_timeline" not in reply.text  # the picture is the widget's


def test_the_widget_socket_gets_the_summary_and_timeline_of_its_own_therapist(signed_bot):
    got, arrived = [], threading.Event()
    client = socketio.Client(reconnection=False)

    @client.on("bot_uttered")
    def bot_uttered(data):
        got.append(data)
        arrived.set()

    client.connect(signed_bot.url, auth={"token": token("T01")}, transports=["polling"],
                   wait_timeout=10)
    try:
        client.emit("session_request", {"session_id": "T02:widget"})
        client.emit("user_uttered", {"message": "pull up Dana Whitfield",
                                     "metadata": {"staff_id": "T02"}})
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not any("custom" in m for m in got):
            arrived.wait(1)
            arrived.clear()
    finally:
        client.disconnect()
    said = json.dumps(got)
    assert "Dana Whitfield: attendance" in said
    timeline = next(m["custom"] for m in got if "custom" in m)
    assert timeline["image"].startswith("data:image/svg+xml;base64,")
    assert timeline["alt"].startswith("Attendance timeline of Dana Whitfield")


def test_no_demo_sign_in_with_a_secret(signed_bot, live_bot):
    assert requests.get(f"{signed_bot.url}/webhooks/widget/demo/staff", timeout=10
                        ).status_code == 404
    assert "Demo sign-in" not in requests.get(f"{signed_bot.url}/webhooks/widget/",
                                              timeout=10).text
    staff = requests.get(f"{live_bot.url}/webhooks/widget/demo/staff", timeout=10).json()
    assert {"id": "T01", "name": "Dr. Alex Rivera", "role": "therapist"} in staff
    refused = requests.post(f"{live_bot.url}/webhooks/widget/demo/sign-in", timeout=10,
                            json={"staff_id": "nobody"})
    assert refused.status_code == 400
