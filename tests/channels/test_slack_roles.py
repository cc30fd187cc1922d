"""Who gets what in Slack: every role (therapist, other therapist, front desk, supervisor,
supervisor of someone else, unknown Slack user) against every view, in both modes, through
the channel's own handler with a fake Slack Web API on loopback and the records on SQLite
and PostgreSQL. In the default mode no client's name or fact may be in any call to Slack."""
from __future__ import annotations

import asyncio
import json
import re
from typing import List, Tuple

import pytest
from rasa.core.channels.channel import UserMessage

from reconnect.channels import slack_replies
from reconnect.channels.slack import ClinicSlackInput, Incoming
from reconnect.records.queries import ClientRecords
from reconnect.settings import SlackMode
from tests.fake_slack import FakeSlack
from tests.slack_clinic import (
    CLIENT_FACTS,
    CLIENT_NAMES,
    SLACK_USERS,
    UNKNOWN_USER,
    load_slack_clinic,
)

WIDGET = "https://reconnect.clinic.example/webhooks/widget/"
# Everything a member of staff might ask or click, whatever their role.
ASKED = ["hello", "pull up Dana Whitfield", "missed today", "no-show rates", "follow-ups today",
         "sessions lost", "needs attention", "summary C001", "summary Noah Kim",
         "called Dana Whitfield, left a voicemail", "yes", "what is Dana Whitfield's risk level?"]
ROLES = ["T01", "T02", "F01", "S01", "S02", "unknown"]


@pytest.fixture(scope="module")
def fake_slack():
    with FakeSlack() as fake:
        yield fake


@pytest.fixture
def clinic(db_url, tmp_path):
    load_slack_clinic(tmp_path / "csv", db_url)
    return db_url


def _channel(url: str, phi: bool, api: str) -> ClinicSlackInput:
    return ClinicSlackInput("xoxb-test", "secret", api, SlackMode(phi, WIDGET), url)


def ask(channel: ClinicSlackInput, fake: FakeSlack, who: str, text: str, direct: bool = True
        ) -> Tuple[str, List[UserMessage]]:
    """What Slack was sent for one message (all of it, as text), and what reached the
    dialogue."""
    fake.clear()
    given: List[UserMessage] = []

    async def dialogue(message: UserMessage) -> None:
        given.append(message)
        await message.output_channel.send_text_message(message.sender_id, "walkthrough")

    user = SLACK_USERS.get(who, UNKNOWN_USER)
    where = f"D{user}" if direct else "C0CLINIC"
    asyncio.run(channel.handle(Incoming(user, where, text, direct, f"k-{who}-{text}"),
                               dialogue))
    for method, params in fake.calls:
        assert method == "chat.postMessage"
        assert params["channel"] == where, "a reply went somewhere else than it was asked"
    return fake.everything_sent(), given


def _no_client_data(sent: str) -> None:
    for secret in CLIENT_NAMES + CLIENT_FACTS:
        assert secret not in sent, f"{secret!r} reached Slack"


@pytest.mark.parametrize("phi", [False, True], ids=["default", "health-information"])
def test_unknown_slack_user_gets_not_linked_and_is_audited(clinic, fake_slack, phi):
    channel = _channel(clinic, phi, fake_slack.url)
    for text in ASKED:
        sent, given = ask(channel, fake_slack, "unknown", text)
        assert json.loads(sent)[0][1]["text"] == slack_replies.NOT_LINKED
        assert given == []
    refusals = [e for e in ClientRecords(clinic).audit_events()
                if e.action == "access_refused" and e.channel == "slack"]
    assert len(refusals) == len(ASKED)
    assert all(e.staff_id is None and e.client_id is None for e in refusals)


@pytest.mark.parametrize("phi", [False, True], ids=["default", "health-information"])
def test_in_a_channel_only_ask_me_in_a_direct_message(clinic, fake_slack, phi):
    channel = _channel(clinic, phi, fake_slack.url)
    for who in ROLES:
        for text in ("pull up Dana Whitfield", "missed today", "needs attention"):
            sent, given = ask(channel, fake_slack, who, text, direct=False)
            assert [p["text"] for m, p in json.loads(sent)] == [slack_replies.ASK_IN_DM]
            assert given == []


def test_default_mode_sends_counts_and_links_never_client_data(clinic, fake_slack):
    channel = _channel(clinic, False, fake_slack.url)
    everything = []
    for who in ROLES:
        for text in ASKED:
            sent, given = ask(channel, fake_slack, who, text)
            assert given == [], "the default mode passes nothing to the dialogue"
            everything.append(sent)
            if who != "unknown":
                assert WIDGET in sent, (who, text)
    _no_client_data("\n".join(everything))
    # ... and the counts are the records' (T01: one follow-up due today, one overdue).
    sent, _ = ask(channel, fake_slack, "T01", "hello")
    assert "1 follow-up is due today, 1 overdue" in sent
    sent, _ = ask(channel, fake_slack, "F01", "hello")
    assert "1 client missed today" in sent and "1 have missed 2 or more in a row" in sent
    sent, _ = ask(channel, fake_slack, "S01", "hello")
    assert "Across 1 supervisee" in sent and "2 overdue follow-ups" not in sent


def _links(sent: str) -> List[str]:
    """The widget links in what Slack was sent, as their fragments ("" for a bare link)."""
    return [url.split(WIDGET, 1)[1] for url in re.findall(r"<([^|>]+)\|", sent)]


@pytest.mark.parametrize("who, text, links", [
    ("T01", "hello", ["#open=follow-ups", "#open=attention", ""]),
    ("T02", "pull up Dana Whitfield", ["#open=follow-ups", "#open=attention", ""]),
    ("F01", "missed today", ["#open=missed-today", "#open=follow-ups-today", "#open=rates",
                             ""]),
    ("S01", "hello", ["#open=supervision", ""]),
    ("S02", "summary C004", ["#open=supervision", ""]),
])
def test_default_mode_each_count_links_to_its_item_in_the_widget(clinic, fake_slack, who,
                                                                  text, links):
    sent, _ = ask(_channel(clinic, False, fake_slack.url), fake_slack, who, text)
    assert _links(json.loads(sent)[0][1]["text"]) == links
    # A fixed item name only: no client's id, name or date in any link.
    for fragment in links:
        assert re.fullmatch(r"(#open=[a-z-]+)?", fragment), fragment
    _no_client_data(sent)


def test_therapists_go_through_the_walkthrough_as_themselves(clinic, fake_slack):
    channel = _channel(clinic, True, fake_slack.url)
    for who in ("T01", "T02"):
        sent, given = ask(channel, fake_slack, who, "pull up Dana Whitfield")
        assert [(m.sender_id, m.metadata["staff_id"], m.input_channel) for m in given] == [
            (f"{who}:slack", who, "slack")]
        assert "walkthrough" in sent


def test_front_desk_schedule_view_names_no_clinical_detail(clinic, fake_slack):
    channel = _channel(clinic, True, fake_slack.url)
    sent, given = ask(channel, fake_slack, "F01", "missed today")
    assert given == []
    assert "Maya Patel (Dr. Alex Rivera)" in sent            # missed today
    assert "Dana Whitfield (Dr. Alex Rivera): 2 in a row, next booked Mon 23 Mar" in sent
    sent, _ = ask(channel, fake_slack, "F01", "follow-ups today")
    assert "Dana Whitfield (Dr. Alex Rivera)" in sent and "call her Friday" not in sent
    sent, _ = ask(channel, fake_slack, "F01", "no-show rates")
    assert "Last 4 weeks" in sent and "By therapist" in sent and "By weekday" in sent
    sent, _ = ask(channel, fake_slack, "F01", "sessions lost")
    assert "4 sessions lost to no-shows and 0 to late cancellations" in sent
    for text in ASKED:
        sent, _ = ask(channel, fake_slack, "F01", text)
        for detail in ("risk", "elevated", "low risk", "$", "self-pay", "Medicaid",
                       "call her Friday", "barrier"):
            assert detail not in sent, (text, detail)


def test_front_desk_records_an_outreach_attempt_after_a_yes(clinic, fake_slack):
    channel = _channel(clinic, True, fake_slack.url)
    sent, _ = ask(channel, fake_slack, "F01", "called Dana Whitfield, left a voicemail")
    assert "Record: phone call to Dana Whitfield on Mon 16 Mar 2026, left a message" in sent
    assert ClientRecords(clinic).client_record("T01", "C001").outreach == []  # not before yes
    sent, _ = ask(channel, fake_slack, "F01", "yes")
    assert "Recorded for Dana Whitfield" in sent
    outreach = ClientRecords(clinic).client_record("T01", "C001").outreach
    assert [(o.channel, o.outcome) for o in outreach] == [("phone", "left_message")]
    sent, _ = ask(channel, fake_slack, "F01", "yes")  # a second yes records nothing more
    assert len(ClientRecords(clinic).client_record("T01", "C001").outreach) == 1
    ask(channel, fake_slack, "F01", "emailed Noah Kim, no reply")
    sent, _ = ask(channel, fake_slack, "F01", "cancel")
    assert "Not recorded" in sent
    assert ClientRecords(clinic).client_record("T02", "C004").outreach == []


def test_the_front_desks_yes_counts_whichever_process_it_reaches(clinic, fake_slack):
    # Two Rasa processes behind one Slack app: the read-back on one, the yes on the other.
    first, second = _channel(clinic, True, fake_slack.url), _channel(clinic, True, fake_slack.url)
    sent, _ = ask(first, fake_slack, "F01", "called Dana Whitfield, left a voicemail")
    assert "Record: phone call to Dana Whitfield" in sent
    sent, _ = ask(second, fake_slack, "F01", "yes")
    assert "Recorded for Dana Whitfield" in sent
    sent, _ = ask(first, fake_slack, "F01", "yes")   # the same yes, on the first: nothing more
    assert "Recorded" not in sent
    outreach = ClientRecords(clinic).client_record("T01", "C001").outreach
    assert [(o.channel, o.outcome) for o in outreach] == [("phone", "left_message")]
    # A cancel on either takes the read-back away from both.
    ask(first, fake_slack, "F01", "emailed Noah Kim, no reply")
    assert "Not recorded" in ask(second, fake_slack, "F01", "cancel")[0]
    assert "Recorded" not in ask(first, fake_slack, "F01", "yes")[0]
    assert ClientRecords(clinic).client_record("T02", "C004").outreach == []


def test_supervisors_see_their_supervisees_clients_only(clinic, fake_slack):
    channel = _channel(clinic, True, fake_slack.url)
    sent, given = ask(channel, fake_slack, "S01", "needs attention")
    assert given == []
    assert "Dana Whitfield" in sent and "Maya Patel" in sent        # T01's
    assert "Noah Kim" not in sent and "Dana Ortiz" not in sent      # T02's
    sent, _ = ask(channel, fake_slack, "S02", "needs attention")
    assert "Noah Kim" in sent and "Dana Whitfield" not in sent


def test_a_supervisor_opens_a_summary_audited_as_a_supervisors_access(clinic, fake_slack):
    channel = _channel(clinic, True, fake_slack.url)
    sent, _ = ask(channel, fake_slack, "S01", "summary C001")
    assert "Dana Whitfield: attendance from the clinic record" in sent
    viewed = [e for e in ClientRecords(clinic).audit_events("S01")
              if e.action == "supervisor_record_viewed"]
    assert [(e.client_id, e.channel) for e in viewed] == [("C001", "slack")]
    for who, client in (("S01", "C004"), ("S02", "C001"), ("S01", "Noah Kim")):
        sent, _ = ask(channel, fake_slack, who, f"summary {client}")
        assert "attendance from the clinic record" not in sent
        assert "Noah Kim" not in sent and "Dana Whitfield" not in sent
    assert [e.client_id for e in ClientRecords(clinic).audit_events()
            if e.action == "supervisor_record_viewed"] == ["C001"]


def test_any_other_question_gets_what_the_role_can_do(clinic, fake_slack):
    channel = _channel(clinic, True, fake_slack.url)
    sent, _ = ask(channel, fake_slack, "F01", "needs attention")   # a supervisor's view
    assert "schedule view" in sent and "Dana Whitfield" not in sent
    sent, _ = ask(channel, fake_slack, "S01", "missed today")      # the front desk's
    assert "supervisees" in sent and "Maya Patel" not in sent
    sent, _ = ask(channel, fake_slack, "S01", "called Dana Whitfield, left a voicemail")
    assert "Record:" not in sent
