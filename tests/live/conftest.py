"""Start the real action server and Rasa server on loopback, with a demo clinic database.

The servers are started once for the live tests and stopped after them; they use their own
database and conversation store in a temporary folder, never the user's. Their Slack channel
is connected to a fake Slack Web API on loopback, in the health-information mode (so that a
therapist's Slack messages go through the real walkthrough); the default mode never reaches
the dialogue and is tested without the servers (tests/channels/test_slack_roles.py).
"""
from __future__ import annotations

import secrets

import pytest
import yaml

from tests.conftest import ROOT, TEST_TODAY
from tests.fake_slack import FakeSlack
from tests.live.servers import MODEL, running_servers


@pytest.fixture(scope="session")
def live_slack():
    with FakeSlack() as fake:
        fake.signing_secret = secrets.token_hex(16)
        yield fake


@pytest.fixture(scope="session")
def live_bot(tmp_path_factory, live_slack):
    if not MODEL.exists():
        pytest.fail(f"{MODEL} is missing: scripts/test.sh trains it before the live tests")
    folder = tmp_path_factory.mktemp("live")
    policy = yaml.safe_load((ROOT / "clinic.yml").read_text(encoding="utf-8"))
    policy["slack"] = dict(policy.get("slack") or {}, health_information=True)
    clinic = folder / "clinic.yml"
    clinic.write_text(yaml.safe_dump(policy), encoding="utf-8")
    slack = {"RECONNECT_SLACK_BOT_TOKEN": "xoxb-live-test",
             "RECONNECT_SLACK_SIGNING_SECRET": live_slack.signing_secret,
             "RECONNECT_SLACK_API_URL": live_slack.url,
             "RECONNECT_CLINIC_CONFIG": str(clinic)}
    with running_servers(folder, TEST_TODAY, settings=slack) as bot:
        yield bot
