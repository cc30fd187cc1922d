"""The action server answers only requests carrying the shared secret, listens on loopback
unless told otherwise, refuses to start without a secret, and never sends a request back."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from reconnect.action_server import TokenError, _arguments, build_app, server_token
from reconnect.records.queries import ClientRecords
from tests.clinic_fixture import load_small_clinic

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "s3cret-" + "x" * 30
CALL = {"next_action": "action_summarize_attendance", "version": "3.6.21",
        "tracker": {"sender_id": "t", "slots": {}, "events": [],
                    "latest_message": {"text": "pull up Dana Whitfield",
                                       "metadata": {"staff_id": "T01"},
                                       "intent": {"name": "ask_attendance"},
                                       "entities": [{"entity": "PERSON",
                                                     "value": "Dana Whitfield"}]}},
        "domain": {}}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def action_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("action_server")
    url = f"sqlite:///{folder / 'clinic.db'}"
    from reconnect.records import db
    db.upgrade(url)
    load_small_clinic(folder, url)
    port = _free_port()
    env = dict(os.environ, DATABASE_URL=url, ACTION_SERVER_TOKEN=TOKEN,
               RECONNECT_TODAY="2026-03-16", RECONNECT_TIMEZONE="America/New_York",
               SQLALCHEMY_SILENCE_UBER_WARNING="1")
    env.pop("ACTION_HOST", None)
    log = folder / "actions.log"
    server = subprocess.Popen([sys.executable, "-m", "reconnect.action_server",
                               "--port", str(port)], cwd=ROOT, env=env,
                              stdout=log.open("w"), stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if requests.get(f"{base}/health", timeout=1).ok:
                    break
            except requests.RequestException:
                pass
            assert server.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.5)
        yield base, log, url
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.parametrize("params, headers", [
    ({}, {}), ({"token": "wrong"}, {}), ({"token": TOKEN[:-1]}, {}),
    ({"token": TOKEN + "x"}, {}), ({}, {"Authorization": "Bearer wrong"}),
    ({}, {"Authorization": TOKEN}), ({"tok": TOKEN}, {})])
def test_a_request_without_the_secret_gets_401_and_reaches_no_action(action_server, params,
                                                                      headers):
    base, log, url = action_server
    audited = len(ClientRecords(url).audit_events())
    reply = requests.post(f"{base}/webhook", json=CALL, params=params, headers=headers,
                          timeout=30)
    assert reply.status_code == 401
    assert reply.json() == {"error": "unauthorized"}
    assert requests.get(f"{base}/actions", params=params, headers=headers,
                        timeout=30).status_code == 401
    assert len(ClientRecords(url).audit_events()) == audited  # no action ran


def test_the_secret_opens_it(action_server):
    base, _, url = action_server
    audited = len(ClientRecords(url).audit_events())
    for params, headers in (({"token": TOKEN}, {}), ({}, {"Authorization": f"Bearer {TOKEN}"})):
        reply = requests.post(f"{base}/webhook", json=CALL, params=params, headers=headers,
                              timeout=60)
        assert reply.status_code == 200
        assert "Dana Whitfield" in reply.text
    assert len(ClientRecords(url).audit_events()) > audited
    assert requests.get(f"{base}/health", timeout=30).json() == {"status": "ok"}


def test_a_failed_request_is_not_sent_back(action_server):
    base, log, _ = action_server
    broken = dict(CALL, tracker="Dana Whitfield said something")
    reply = requests.post(f"{base}/webhook", json=broken, params={"token": TOKEN}, timeout=30)
    assert reply.status_code >= 400
    assert "Dana" not in reply.text
    assert "request_body" not in reply.text
    assert TOKEN not in log.read_text()  # no access log with the query string


def test_it_listens_on_loopback_unless_told(monkeypatch):
    monkeypatch.delenv("ACTION_HOST", raising=False)
    assert _arguments([]).host == "127.0.0.1"
    assert _arguments([]).actions == "actions"
    assert _arguments(["--host", "0.0.0.0"]).host == "0.0.0.0"
    monkeypatch.setenv("ACTION_HOST", "10.0.0.5")
    assert _arguments([]).host == "10.0.0.5"


def test_it_refuses_to_start_without_a_secret(monkeypatch):
    for value in (None, "", "short"):
        environ = {} if value is None else {"ACTION_SERVER_TOKEN": value}
        with pytest.raises(TokenError, match="ACTION_SERVER_TOKEN"):
            server_token(environ)
    with pytest.raises(TokenError):
        build_app("short")
    env = {k: v for k, v in os.environ.items() if k != "ACTION_SERVER_TOKEN"}
    result = subprocess.run([sys.executable, "-m", "reconnect.action_server", "--port", "1"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "ACTION_SERVER_TOKEN must be set" in result.stderr


def test_the_rasa_server_sends_the_secret(monkeypatch, tmp_path):
    from rasa.utils.endpoints import read_endpoint_config
    monkeypatch.setenv("ACTION_ENDPOINT_URL", "http://127.0.0.1:5055/webhook")
    monkeypatch.setenv("ACTION_SERVER_TOKEN", TOKEN)
    monkeypatch.setenv("TRACKER_DIALECT", "sqlite")
    monkeypatch.setenv("TRACKER_DB", str(tmp_path / "conversations.db"))
    endpoint = read_endpoint_config(str(ROOT / "endpoints.yml"), "action_endpoint")
    assert endpoint is not None
    assert endpoint.combine_parameters() == {"token": TOKEN}  # as a query parameter
