"""Sign-in: the tokens a clinic portal issues, verified (reconnect.channels.sign_in), and the
widget and REST channels over real HTTP and socket.io with a stand-in for the assistant: no
conversation without a valid token, the staff id from the token only, the conversation id
derived on the server, earlier messages for their owner only, idle sessions ended, the demo
sign-in only in demo mode."""
from __future__ import annotations

import hashlib
import hmac
import json
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional

import jwt
import pytest
import requests
import socketio
import yaml
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from reconnect.channels import rest, sign_in
from reconnect.channels.sign_in import SettingsError, SignInError, settings_from, verify
from reconnect.channels.widget import WidgetInput, history_of
from tests.live.servers import conversation_id as live_conversation_id

ROOT = Path(__file__).resolve().parents[2]
SECRET = "s" * 40
DEMO_SECRET = "d" * 40


def token(staff_id: Any = "T01", key: Any = SECRET, algorithm: str = "HS256",
          lifetime: float = 600, **claims: Any) -> str:
    now = int(time.time())
    body: Dict[str, Any] = {"sub": staff_id, "iat": now, "exp": now + lifetime}
    body.update(claims)
    return jwt.encode({k: v for k, v in body.items() if v is not None}, key,
                      algorithm=algorithm)


def _hmac_signed(claims: Dict[str, Any], key: bytes) -> str:
    """A token signed with HS256 by hand (PyJWT itself refuses a PEM key as a secret)."""
    def part(data: Dict[str, Any]) -> bytes:
        return jwt.utils.base64url_encode(json.dumps(data).encode())
    signing = part({"alg": "HS256", "typ": "JWT"}) + b"." + part(claims)
    signature = hmac.new(key, signing, hashlib.sha256).digest()
    return (signing + b"." + jwt.utils.base64url_encode(signature)).decode()


@pytest.fixture(scope="module")
def rsa_keys(tmp_path_factory):
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    path = tmp_path_factory.mktemp("keys") / "portal.pub"
    path.write_text(public_pem)
    return private, public_pem, path


# --- tokens ----------------------------------------------------------------------------------

def test_a_valid_token_signs_its_staff_member_in():
    identity = verify(token("T01"), settings_from({"jwt_secret": SECRET}, {}))
    assert identity.staff_id == "T01" and identity.expires_at > time.time()


@pytest.mark.parametrize("bad, reason", [
    (None, "no sign-in token"),
    ("", "no sign-in token"),
    ("not a token", "could not be verified"),
    (token(lifetime=-120), "expired"),
    (token(key="another secret of at least thirty-two chars"), "could not be verified"),
    (token() [:-4] + "AAAA", "could not be verified"),                   # tampered signature
    (token(exp=None), "could not be verified"),                          # no expiry
    (token(staff_id=None), "could not be verified"),                     # no staff id
    (token(staff_id="T01:other"), "could not be verified"),              # not a staff id
    (token(staff_id=7), "could not be verified"),
    (jwt.encode({"sub": "T01", "exp": int(time.time()) + 600}, None, algorithm="none"),
     "could not be verified"),                                           # unsigned
])
def test_a_bad_token_signs_nobody_in(bad, reason):
    with pytest.raises(SignInError, match=reason):
        verify(bad, settings_from({"jwt_secret": SECRET}, {}))


def test_a_tampered_payload_is_refused():
    header, payload, signature = token("T01").split(".")
    forged = jwt.utils.base64url_encode(json.dumps(
        {"sub": "T02", "exp": int(time.time()) + 600}).encode()).decode()
    with pytest.raises(SignInError):
        verify(f"{header}.{forged}.{signature}", settings_from({"jwt_secret": SECRET}, {}))


def test_issuer_and_audience_are_checked_when_configured():
    settings = settings_from({"jwt_secret": SECRET, "jwt_issuer": "https://portal.example",
                              "jwt_audience": "reconnect"}, {})
    good = token(iss="https://portal.example", aud="reconnect")
    assert verify(good, settings).staff_id == "T01"
    for bad in (token(aud="reconnect"), token(iss="https://portal.example"),
                token(iss="https://evil.example", aud="reconnect"),
                token(iss="https://portal.example", aud="another-app")):
        with pytest.raises(SignInError):
            verify(bad, settings)


def test_rs256_with_the_portals_public_key_only(rsa_keys):
    private, public_pem, path = rsa_keys
    for configured in (public_pem, str(path)):
        settings = settings_from({"jwt_public_key": configured}, {})
        assert settings.algorithm == "RS256" and not settings.demo
        assert verify(token("T03", key=private, algorithm="RS256"), settings).staff_id == "T03"
        # The public key used as an HMAC secret (algorithm confusion) signs nobody in.
        with pytest.raises(SignInError):
            verify(_hmac_signed({"sub": "T03", "exp": int(time.time()) + 600},
                                public_pem.encode()), settings)
        with pytest.raises(SignInError):
            verify(token("T03", key=SECRET), settings)


def test_settings_that_cannot_work_stop_the_server_with_their_name(rsa_keys):
    with pytest.raises(SettingsError, match="not both"):
        settings_from({"jwt_secret": SECRET, "jwt_public_key": rsa_keys[1]}, {})
    with pytest.raises(SettingsError, match="at least 32"):
        settings_from({"jwt_secret": "short"}, {})
    with pytest.raises(SettingsError, match="PEM"):
        settings_from({"jwt_public_key": "/nowhere/portal.pub"}, {})
    with pytest.raises(SettingsError, match="RECONNECT_IDLE_MINUTES"):
        settings_from({"idle_minutes": "soon"}, {})
    with pytest.raises(SettingsError, match="RECONNECT_IDLE_MINUTES"):
        settings_from({}, {"RECONNECT_IDLE_MINUTES": "0"})


def test_settings_come_from_credentials_else_the_environment():
    # credentials.yml substitutes unset settings as empty strings: the environment decides.
    settings = settings_from({"jwt_secret": "", "idle_minutes": ""},
                             {"RECONNECT_JWT_SECRET": SECRET, "RECONNECT_IDLE_MINUTES": "5"})
    assert settings.algorithm == "HS256" and settings.key == SECRET
    assert settings.idle_minutes == 5 and not settings.demo
    assert "verified tokens only" in settings.mode_line
    assert settings_from({}, {}).idle_minutes == 15


def test_demo_mode_signs_its_own_short_lived_tokens_only_in_demo_mode():
    demo = settings_from({}, {"RECONNECT_DEMO_SECRET": DEMO_SECRET})
    assert demo.demo and "DEMO MODE" in demo.mode_line
    issued = sign_in.demo_token(demo, "T02")
    identity = verify(issued, demo)
    assert identity.staff_id == "T02" and identity.expires_at - time.time() <= 30 * 60 + 1
    # A token signed with the demo key signs nobody in once a real secret is configured.
    real = settings_from({"jwt_secret": SECRET}, {"RECONNECT_DEMO_SECRET": DEMO_SECRET})
    with pytest.raises(SignInError):
        verify(issued, real)
    with pytest.raises(SettingsError):
        sign_in.demo_token(real, "T02")
    # Without RECONNECT_DEMO_SECRET, one random key per process.
    assert settings_from({}, {}).key == settings_from({}, {}).key != DEMO_SECRET


def test_both_channels_are_configured_from_the_same_settings():
    credentials = yaml.safe_load((ROOT / "credentials.yml").read_text())
    widget = credentials["reconnect.channels.widget.WidgetInput"]
    rest_settings = credentials["reconnect.channels.rest.ClinicRestInput"]
    assert widget["jwt_secret"] == rest_settings["jwt_secret"] == "${RECONNECT_JWT_SECRET}"
    assert widget["jwt_public_key"] == "${RECONNECT_JWT_PUBLIC_KEY}"
    assert "socketio" not in credentials  # Rasa's own socket.io channel passes no identity
    assert WidgetInput.name() == "widget"
    # The live tests' copy of the conversation id agrees with the channel's.
    assert live_conversation_id("T01", "me") == rest.conversation_id("T01", "me")


def test_the_history_shows_a_buttons_title_not_its_payload():
    from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered

    events = [UserUttered("pull up maya"), ActionExecuted("action_x"),
              BotUttered("Which Maya?", {"buttons": [
                  {"title": "Maya Chen", "payload": "/choose{\"c\": 1}"}]}),
              UserUttered("/choose{\"c\": 1}"),
              BotUttered(None, {"custom": {"type": "attendance_timeline"}})]
    assert history_of(events) == [
        {"from": "user", "text": "pull up maya"},
        {"from": "bot", "text": "Which Maya?",
         "buttons": [{"title": "Maya Chen", "payload": "/choose{\"c\": 1}"}]},
        {"from": "user", "text": "Maya Chen"},
        {"from": "bot", "custom": {"type": "attendance_timeline"}}]


def test_the_page_offers_the_demo_sign_in_only_in_demo_mode():
    demo = WidgetInput(settings_from({}, {"RECONNECT_DEMO_SECRET": DEMO_SECRET}), max_chars=100)
    real = WidgetInput(settings_from({"jwt_secret": SECRET}, {}), max_chars=100)
    assert "Demo sign-in" in demo.page_html() and "demo/token" in demo.page_html()
    assert "Demo sign-in" not in real.page_html() and "demo" not in real.page_html()
    assert 'src="widget.js"' in real.page_html()


# --- the channels over HTTP and socket.io ------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def _server(tmp_path: Path, credentials: Dict[str, Any],
            settings: Optional[Dict[str, str]] = None) -> Iterator[str]:
    port = _free_port()
    log = tmp_path / f"server-{port}.log"
    env = {"RECONNECT_DEMO_SECRET": DEMO_SECRET, "PATH": "/usr/bin:/bin", **(settings or {})}
    server = subprocess.Popen(
        [sys.executable, "-m", "tests.channels.widget_server", str(port),
         json.dumps(credentials)], cwd=ROOT, env=env, stdout=log.open("w"),
        stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(f"{url}/webhooks/widget/health", timeout=1).ok:
                    break
            except requests.RequestException:
                pass
            assert server.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.3)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=3)
        except subprocess.TimeoutExpired:  # Sanic waits for open long-polls otherwise
            server.kill()
            server.wait()
    assert "Traceback" not in log.read_text(), log.read_text()


@pytest.fixture(scope="module")
def signed(tmp_path_factory):
    with _server(tmp_path_factory.mktemp("signed"),
                 {"jwt_secret": SECRET, "idle_minutes": "0.05"}) as url:
        yield url


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    with _server(tmp_path_factory.mktemp("demo"), {}) as url:
        yield url


class Browser:
    """A socket.io client as the widget uses the channel, recording what it is sent."""

    def __init__(self, url: str):
        self.url = url
        self.client = socketio.Client(reconnection=False)
        self.events: List[tuple] = []
        self.got = threading.Event()
        for name in ("signed_in", "history", "bot_uttered", "signed_out", "bot_typing",
                     "connect_error"):
            self.client.on(name, self._recorder(name))

    def _recorder(self, name: str):
        def record(data=None):
            self.events.append((name, data))
            self.got.set()
        return record

    def connect(self, auth: Any, wait: bool = True) -> None:
        self.client.connect(self.url, auth=auth, transports=["polling"],
                            socketio_path="socket.io", wait=wait, wait_timeout=10)

    def wait_for(self, name: str, count: int = 1, timeout: float = 15) -> List[Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [data for kind, data in self.events if kind == name]
            if len(found) >= count:
                return found
            self.got.wait(0.2)
            self.got.clear()
        raise AssertionError(f"no {name} in {self.events}")

    def signed_in(self, auth: Any) -> "Browser":
        self.connect(auth)
        self.client.emit("session_request", {"session_id": "T01:widget"})
        self.wait_for("history")
        return self

    def say(self, message: str, **extra: Any) -> Dict[str, Any]:
        before = len(self.wait_for("bot_uttered", 0))
        self.client.emit("user_uttered", dict(extra, message=message))
        reply = self.wait_for("bot_uttered", before + 1)[before]
        return json.loads(reply["text"])

    def close(self) -> None:
        if self.client.connected:
            self.client.disconnect()


@pytest.fixture
def browsers():
    opened: List[Browser] = []

    def open_(url: str) -> Browser:
        opened.append(Browser(url))
        return opened[-1]
    yield open_
    for browser in opened:
        browser.close()


@pytest.mark.parametrize("auth", [None, {}, {"token": ""}, {"token": "forged"},
                                  {"token": token(lifetime=-120)},
                                  {"token": token(key="x" * 40)},
                                  {"token": token(key=DEMO_SECRET, iss="reconnect-demo")}])
def test_no_conversation_without_a_valid_token(signed, browsers, auth):
    browser = browsers(signed)
    browser.connect(auth, wait=False)
    refused = browser.wait_for("connect_error")[0]
    assert "sign in" in refused["message"].lower()  # what the widget shows
    # The refusal reaches the client a moment before its socket state says so.
    deadline = time.monotonic() + 20  # generous: a loaded machine is slow to close it
    while browser.client.connected and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not browser.client.connected
    assert [kind for kind, _ in browser.events] == ["connect_error"]


def test_the_staff_id_and_conversation_come_from_the_token_only(signed, browsers):
    browser = browsers(signed).signed_in({"token": token("T02")})
    signed_in = browser.wait_for("signed_in")[0]
    assert signed_in["staff_id"] == "T02" and signed_in["idle_minutes"] == 0.05
    seen = browser.say("pull up Dana Whitfield", session_id="T01:widget",
                       metadata={"staff_id": "T01", "other": "x"})
    assert seen["metadata"] == {"staff_id": "T02"}
    assert seen["conversation"] == "T02:widget" and seen["channel"] == "widget"


def test_after_a_reload_the_conversation_comes_back_to_its_owner_only(signed, browsers):
    first = browsers(signed).signed_in({"token": token("T03")})
    first.say("pull up Maya")
    first.close()
    again = browsers(signed).signed_in({"token": token("T03")})
    history = again.wait_for("history")[0]["messages"]
    assert history[0] == {"from": "user", "text": "pull up Maya"}
    assert history[1]["from"] == "bot" and history[1]["buttons"][0]["title"] == "Maya Chen"
    # Another staff member, asking for T03's conversation by name, gets their own.
    other = browsers(signed)
    other.connect({"token": token("S01")})
    other.client.emit("session_request", {"session_id": "T03:widget"})
    assert other.wait_for("history")[0]["messages"] == []
    assert other.say("hello", session_id="T03:widget")["conversation"] == "S01:widget"


def test_an_idle_session_is_ended_and_told_why(signed, browsers):
    browser = browsers(signed).signed_in({"token": token("T01")})
    time.sleep(3.5)  # idle_minutes 0.05 is 3 seconds
    browser.client.emit("user_uttered", {"message": "pull up Dana Whitfield"})
    ended = browser.wait_for("signed_out")[0]
    assert "without activity" in ended["reason"]
    assert not browser.wait_for("bot_uttered", 0)


def test_a_blank_or_overlong_message_is_answered_without_the_assistant(signed, browsers):
    browser = browsers(signed).signed_in({"token": token("T01")})
    browser.client.emit("user_uttered", {"message": "   "})
    assert browser.wait_for("bot_uttered")[0]["text"].startswith("I didn't get a message")
    browser.client.emit("user_uttered", {"message": "x" * 5000})
    assert "too long" in browser.wait_for("bot_uttered", 2)[1]["text"]


def test_rest_requires_the_bearer_token_when_a_secret_is_set(signed):
    url = f"{signed}/webhooks/rest/webhook"
    body = {"sender": "me", "message": "hello", "metadata": {"staff_id": "T01"}}
    for headers in ({}, {"Authorization": "Bearer forged"},
                    {"Authorization": f"Bearer {token(lifetime=-120)}"},
                    {"Authorization": f"Basic {token()}"}):
        refused = requests.post(url, json=body, headers=headers, timeout=10)
        assert refused.status_code == 401 and "sign in" in refused.json()["error"].lower()
    reply = requests.post(url, json=body, timeout=10,
                          headers={"Authorization": f"Bearer {token('T02')}"})
    seen = json.loads(reply.json()[0]["text"])
    assert seen["metadata"]["staff_id"] == "T02" and seen["conversation"] == "T02:me"
    # A staff id the metadata could not even hold is ignored, not refused: the token decides.
    reply = requests.post(url, timeout=10, headers={"Authorization": f"Bearer {token('T02')}"},
                          json=dict(body, metadata={"staff_id": "not a staff id!"}))
    assert json.loads(reply.json()[0]["text"])["conversation"] == "T02:me"


def test_there_is_no_demo_sign_in_when_a_secret_is_set(signed):
    for method, path in (("get", "demo/staff"), ("post", "demo/sign-in"),
                         ("get", "demo/token"), ("post", "demo/sign-out")):
        assert getattr(requests, method)(f"{signed}/webhooks/widget/{path}",
                                         timeout=10).status_code == 404
    page = requests.get(f"{signed}/webhooks/widget/", timeout=10)
    assert page.ok and "Demo sign-in" not in page.text
    assert "default-src 'self'" in page.headers["Content-Security-Policy"]
    assert requests.get(f"{signed}/webhooks/widget/health", timeout=10).json()["demo"] is False


def test_demo_mode_trusts_rest_metadata_and_signs_widget_tokens_itself(demo, browsers):
    seen = requests.post(f"{demo}/webhooks/rest/webhook", timeout=10, json={
        "sender": "me", "message": "hi", "metadata": {"staff_id": "T01"}}).json()
    assert json.loads(seen[0]["text"])["conversation"] == "T01:me"
    assert requests.get(f"{demo}/webhooks/widget/demo/token", timeout=10).status_code == 401
    page = requests.get(f"{demo}/webhooks/widget/", timeout=10)
    assert "Demo sign-in" in page.text
    # The widget still needs a token in demo mode: one signed with the demo key.
    browser = browsers(demo)
    browser.connect({"token": token("T01")}, wait=False)
    assert "sign in" in browser.wait_for("connect_error")[0]["message"]
    demo_token = token("T01", key=DEMO_SECRET, iss="reconnect-demo")
    browser = browsers(demo).signed_in({"token": demo_token})
    assert browser.say("hi")["metadata"] == {"staff_id": "T01"}


def test_the_widget_script_carries_socket_io_and_is_served_locally(demo):
    script = requests.get(f"{demo}/webhooks/widget/widget.js", timeout=10)
    assert script.ok and script.headers["content-type"].startswith("text/javascript")
    assert "ReconnectWidget" in script.text and "engine.io" in script.text.lower()
    for asset in ("widget.css", "page.css", "demo.js"):
        assert requests.get(f"{demo}/webhooks/widget/{asset}", timeout=10).ok
    lock = json.loads((ROOT / "reconnect/channels/web/package-lock.json").read_text())
    client = lock["packages"]["node_modules/socket.io-client"]
    assert client["version"].startswith("4.8.") and client["integrity"].startswith("sha512-")
