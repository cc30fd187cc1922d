"""`reconnect digest`: once a day per staff member, nothing for staff with nothing to report,
the clinic's mode respected, `--dry-run` sending nothing; against a fake Slack Web API and the
records on SQLite and PostgreSQL."""
from __future__ import annotations

import json
import re

import pytest
import yaml

from reconnect import cli
from reconnect.records.importer import import_clinic
from tests.clinic_fixture import write_csv
from tests.conftest import ROOT
from tests.fake_slack import FakeSlack
from tests.slack_clinic import CLIENT_FACTS, CLIENT_NAMES, load_slack_clinic


@pytest.fixture(scope="module")
def fake_slack():
    with FakeSlack() as fake:
        yield fake


@pytest.fixture
def clinic(use_database, tmp_path, monkeypatch, fake_slack):
    load_slack_clinic(tmp_path / "csv", use_database)
    # A therapist with an empty caseload: nothing to report.
    import_clinic(write_csv(tmp_path / "t03.csv", [dict(
        staff_id="T03", name="Priya Nair", role="therapist", slack_user_id="U6", email="")]),
        url=use_database)
    monkeypatch.setenv("RECONNECT_SLACK_BOT_TOKEN", "xoxb-digest")
    monkeypatch.setenv("RECONNECT_SLACK_API_URL", fake_slack.url)
    fake_slack.clear()
    return use_database


def _health_information(monkeypatch, tmp_path) -> None:
    policy = yaml.safe_load((ROOT / "clinic.yml").read_text())
    policy["slack"] = {"health_information": True}
    path = tmp_path / "clinic.yml"
    path.write_text(yaml.safe_dump(policy))
    monkeypatch.setenv("RECONNECT_CLINIC_CONFIG", str(path))


def _links(text: str) -> list:
    """The fragments of the Slack links in a message (`<url#fragment|label>`)."""
    return ["#" + url.split("#", 1)[1] if "#" in url else ""
            for url in re.findall(r"<([^|>]+)\|", text)]


def _by_channel(fake: FakeSlack) -> dict:
    return {p["channel"]: p["text"] for p in fake.posts()}


def test_default_mode_digest_holds_counts_only_and_is_sent_once_a_day(clinic, fake_slack,
                                                                      capsys):
    assert cli.main(["digest"]) == 0
    sent = _by_channel(fake_slack)
    # T01, T02 and both supervisors; not the front desk, not T03 (nothing to report).
    assert set(sent) == {"DU1", "DU2", "DU4", "DU5"}
    assert "Follow-ups: 1 due today, 1 overdue - " in sent["DU1"]
    assert "1 client(s) crossed the chronic rule" in sent["DU1"]
    # Each count links to its item in the widget; the supervisors' to their list.
    assert _links(sent["DU1"]) == ["#open=follow-ups", "#open=attention"]
    assert _links(sent["DU4"]) == ["#open=supervision"]
    everything = fake_slack.everything_sent()
    for secret in CLIENT_NAMES + CLIENT_FACTS:
        assert secret not in everything
    assert "Sent: 4; nothing to report: 2" in capsys.readouterr().out

    fake_slack.clear()
    assert cli.main(["digest"]) == 0
    assert fake_slack.calls == []
    assert "Sent: 0; nothing to report: 2; already sent today: 4" in capsys.readouterr().out


def test_health_information_digest_names_the_clients_and_only_new_crossings(
        clinic, fake_slack, monkeypatch, tmp_path):
    _health_information(monkeypatch, tmp_path)
    assert cli.main(["digest"]) == 0
    sent = _by_channel(fake_slack)
    assert "*Follow-ups due today* (1): Dana Whitfield" in sent["DU1"]
    assert "*Overdue follow-ups* (1): Maya Patel (due Tue 10 Mar 2026)" in sent["DU1"]
    assert "Crossed the chronic rule since your last digest* (1): Dana Whitfield" in sent["DU1"]
    assert "Noah Kim" in sent["DU2"] and "Dana Whitfield" not in sent["DU2"]
    assert "Dana Whitfield" in sent["DU4"] and "Noah Kim" not in sent["DU4"]   # S01: T01's
    assert "Noah Kim" in sent["DU5"] and "Dana Whitfield" not in sent["DU5"]   # S02: T02's

    # The next day: Dana Whitfield is still over the rule, but crossed it before.
    monkeypatch.setenv("RECONNECT_TODAY", "2026-03-17")
    fake_slack.clear()
    assert cli.main(["digest"]) == 0
    assert "chronic" not in _by_channel(fake_slack)["DU1"]


def test_dry_run_prints_and_neither_sends_nor_remembers(clinic, fake_slack, capsys):
    assert cli.main(["digest", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "--- to Dr. Alex Rivera (T01) ---" in out and "Would send: 4" in out
    assert fake_slack.calls == []
    assert cli.main(["digest"]) == 0
    assert len(fake_slack.posts()) == 4
    opened = [p for m, p in fake_slack.calls if m == "conversations.open"]
    assert sorted(p["users"] for p in opened) == ["U1", "U2", "U4", "U5"]
    assert json.loads(fake_slack.everything_sent())  # every call was well-formed JSON


def test_without_a_token_the_digest_says_what_to_set(clinic, monkeypatch, capsys):
    monkeypatch.delenv("RECONNECT_SLACK_BOT_TOKEN")
    assert cli.main(["digest"]) == 2
    assert "RECONNECT_SLACK_BOT_TOKEN" in capsys.readouterr().err
