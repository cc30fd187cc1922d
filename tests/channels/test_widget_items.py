"""What a link from Slack opens in the widget (`#open=<item>`), and the front desk's and
supervisors' views in the widget: the widget channel over socket.io with a stand-in for the
assistant (tests.channels.widget_server) and the Slack test clinic in SQLite. Each item is
answered for the signed-in staff member's role, from the database, within what that role may
see: the front desk never a risk level, a supervisor never a client of someone else's
supervisee; all of it audited with the channel `widget`."""
from __future__ import annotations

import json
import re
import time
from datetime import date, datetime
from pathlib import Path
from typing import Any, Dict, List

import pytest

from reconnect.channels.open_items import ITEMS, link, requested
from reconnect.records import db
from reconnect.records.queries import ClientRecords
from reconnect.records.staff_views import StaffViews
from tests.channels.test_sign_in import SECRET, Browser, _server, token
from tests.slack_clinic import load_slack_clinic

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2026, 3, 16)
T01_CLIENTS = ["Dana Whitfield", "Maya Patel", "Maya Chen", "Sam Greene"]
T02_CLIENTS = ["Noah Kim", "Dana Ortiz"]
NO_FRONT_DESK = ["risk", "Risk", "elevated", "low risk", " low", "$", "self-pay", "self_pay", "Medicaid",
                 "medicaid", "call her Friday", "barrier", "fee"]


@pytest.fixture(scope="module")
def clinic(tmp_path_factory):
    folder = tmp_path_factory.mktemp("items")
    url = f"sqlite:///{folder / 'clinic.db'}"
    db.upgrade(url)
    load_slack_clinic(folder / "csv", url)
    db.dispose_engines()
    settings = {"DATABASE_URL": url, "RECONNECT_TODAY": TODAY.isoformat(),
                "RECONNECT_TIMEZONE": "America/New_York"}
    with _server(folder, {"jwt_secret": SECRET}, settings) as server:
        yield server, url


class Staff(Browser):
    def ask(self, message: str) -> Dict[str, Any]:
        """The one reply to a message, as the widget gets it."""
        before = len(self.wait_for("bot_uttered", 0))
        self.client.emit("user_uttered", {"message": message})
        return self.wait_for("bot_uttered", before + 1)[before]


@pytest.fixture
def sign_in(clinic):
    opened: List[Staff] = []

    def open_(staff_id: str) -> Staff:
        opened.append(Staff(clinic[0]))
        opened[-1].signed_in({"token": token(staff_id)})
        return opened[-1]
    yield open_
    for browser in opened:
        browser.close()


def _echoed(reply: Dict[str, Any]) -> Dict[str, Any]:
    """What the stand-in assistant was given (it says so as JSON)."""
    return json.loads(reply["text"])


def _is_echo(reply: Dict[str, Any]) -> bool:
    try:
        return "conversation" in _echoed(reply)
    except ValueError:
        return False


def test_a_link_names_a_fixed_item_only():
    assert link("https://r.example/webhooks/widget/", "follow-ups") == \
        "https://r.example/webhooks/widget/#open=follow-ups"
    assert link("https://r.example/w/#old", "rates") == "https://r.example/w/#open=rates"
    with pytest.raises(ValueError):
        link("https://r.example/w/", "C001")
    assert [requested(t) for t in ("#open=attention", " #open=rates ", "#open=C001",
                                   "#open=follow-ups-today; drop", "open follow-ups")] == \
        ["attention", "rates", None, None, None]


def test_the_widget_knows_the_same_items_as_the_links():
    script = (ROOT / "reconnect/channels/web/widget.js").read_text()
    listed = re.search(r"var ITEMS = \{(.*?)\};", script, re.S)
    assert listed, "widget.js lists the items it opens"
    assert dict(re.findall(r'"([a-z-]+)": "([^"]+)"', listed.group(1))) == ITEMS


def test_a_therapists_follow_ups_go_to_the_dialogue_as_its_own_request(sign_in):
    browser = sign_in("T01")
    for item in ("follow-ups", "follow-ups-today"):
        given = _echoed(browser.ask(f"#open={item}"))
        assert given["text"] == "/ask_followups"
        assert given["metadata"] == {"staff_id": "T01"}
        assert given["conversation"] == "T01:widget"
    # After a reload the request reads as the widget showed it, not as its payload.
    again = sign_in("T01")
    users = [m["text"] for m in again.wait_for("history")[0]["messages"] if m["from"] == "user"]
    assert users[-2:] == ["Follow-ups due", "Follow-ups due"]


def test_a_therapists_clients_needing_attention_come_from_the_database(sign_in, clinic):
    now = datetime.combine(TODAY, datetime.min.time()).replace(hour=12)
    view = StaffViews(clinic[1]).therapist("T01", TODAY, now)
    assert view is not None and (view.chronic or view.at_review)
    reply = sign_in("T01").ask("#open=attention")
    assert not _is_echo(reply), "answered from the records, not by the dialogue"
    text = reply["text"]
    assert f"Over the chronic rule ({len(view.chronic)}):" in text
    assert f"At the review threshold ({len(view.at_review)}):" in text
    for line in view.chronic + view.at_review:
        assert f"- {line.client_name}" in text
        assert {"title": line.client_name, "payload": f"pull up {line.client_name}"} \
            in reply["buttons"]
    for name in T02_CLIENTS:
        assert name not in json.dumps(reply)
    # Another therapist's list holds their own clients only.
    other = json.dumps(sign_in("T02").ask("#open=attention"))
    assert not any(name in other for name in T01_CLIENTS)


def test_an_item_of_another_role_gets_what_this_role_can_do(sign_in):
    therapist = sign_in("T01")
    for item in ("missed-today", "rates", "supervision"):
        reply = therapist.ask(f"#open={item}")
        assert reply["text"] == "Here I can help you with your own caseload."
    desk = json.dumps(sign_in("F01").ask("#open=supervision"))
    assert "schedule view" in desk and not any(n in desk for n in T01_CLIENTS + T02_CLIENTS)
    supervisor = json.dumps(sign_in("S01").ask("#open=missed-today"))
    assert "supervisees" in supervisor and "Maya Patel" not in supervisor


def test_the_front_desk_gets_its_views_and_never_a_risk_level(sign_in, clinic):
    desk = sign_in("F01")
    missed = desk.ask("#open=missed-today")
    assert "Missed today (1):" in missed["text"] and "*" not in missed["text"]
    assert "Maya Patel (Dr. Alex Rivera)" in missed["text"]
    assert "Dana Whitfield (Dr. Alex Rivera): 2 in a row" in missed["text"]
    assert {"title": "No-show rates", "payload": "no-show rates"} in missed["buttons"]
    follow_ups = desk.ask("#open=follow-ups-today")["text"]
    assert "Follow-ups due today (1):" in follow_ups and "Dana Whitfield" in follow_ups
    assert desk.ask("#open=follow-ups")["text"] == follow_ups
    rates = desk.ask("#open=rates")["text"]
    assert "Last 4 weeks" in rates and "By therapist" in rates
    said = [missed, desk.ask("#open=follow-ups-today"), desk.ask("#open=rates"),
            desk.ask("#open=attention"), desk.ask("no-show rates"), desk.ask("sessions lost"),
            desk.ask("pull up Dana Whitfield"), desk.ask("what is Dana Whitfield's risk level?"),
            desk.ask("needs attention")]
    assert not any(_is_echo(reply) for reply in said), "nothing reaches the dialogue"
    everything = json.dumps(said)
    for detail in NO_FRONT_DESK:
        assert detail not in everything, detail
    audited = [e for e in ClientRecords(clinic[1]).audit_events("F01")
               if e.action == "schedule_view"]
    assert audited and {e.channel for e in audited} == {"widget"}


def test_the_front_desk_records_an_outreach_attempt_after_a_yes(sign_in, clinic):
    desk = sign_in("F01")
    read_back = desk.ask("called Maya Chen, left a voicemail")
    assert "Record: phone call to Maya Chen" in read_back["text"]
    assert [b["payload"] for b in read_back["buttons"]] == ["yes", "cancel"]
    assert "Recorded for Maya Chen" in desk.ask("yes")["text"]
    outreach = ClientRecords(clinic[1]).client_record("T01", "C003").outreach
    assert [(o.channel, o.outcome) for o in outreach] == [("phone", "left_message")]


def test_a_supervisor_sees_their_supervisees_clients_only(sign_in, clinic):
    first = sign_in("S01").ask("#open=supervision")
    assert "Your supervisees: Dr. Alex Rivera." in first["text"]
    assert "Dana Whitfield" in first["text"] and "*" not in first["text"]
    assert not any(name in json.dumps(first) for name in T02_CLIENTS)
    assert {"title": "Summary: Dana Whitfield", "payload": "summary C001"} in first["buttons"]
    second = sign_in("S02").ask("#open=supervision")
    assert "Noah Kim" in second["text"]
    assert not any(name in json.dumps(second) for name in T01_CLIENTS)

    summary = sign_in("S01").ask("summary C001")   # the button, clicked
    assert "Dana Whitfield: attendance from the clinic record" in summary["text"]
    for who, client in (("S02", "C001"), ("S01", "C004"), ("S01", "Noah Kim")):
        refused = json.dumps(sign_in(who).ask(f"summary {client}"))
        assert "attendance from the clinic record" not in refused
        assert "Dana Whitfield" not in refused and "Noah Kim" not in refused
    viewed = [(e.staff_id, e.client_id, e.channel)
              for e in ClientRecords(clinic[1]).audit_events()
              if e.action == "supervisor_record_viewed"]
    assert viewed == [("S01", "C001", "widget")]


def test_no_log_line_holds_a_message_or_a_client(clinic):
    time.sleep(0.2)
    logs = "".join(p.read_text() for p in Path(clinic[1].removeprefix("sqlite:///"))
                   .parent.glob("server-*.log"))
    assert "Starting worker" in logs
    for secret in T01_CLIENTS + T02_CLIENTS + ["#open", "summary C", "voicemail"]:
        assert secret not in logs, secret
