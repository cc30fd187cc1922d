"""The guided walkthrough against the running servers: consent, plans, privacy, safety."""
from __future__ import annotations

import uuid

import pytest
from sqlalchemy import create_engine, text

from reconnect.records.queries import REFUSALS

pytestmark = pytest.mark.live


def _sender() -> str:
    return f"live-walk-{uuid.uuid4().hex[:8]}"


def _rows(database_url: str, sql: str, **params):
    engine = create_engine(database_url, future=True)
    with engine.connect() as c:
        rows = c.execute(text(sql), params).all()
    engine.dispose()
    return rows


def test_a_risk_flagged_client_gets_safety_steps_before_anything_else(live_bot):
    me = _sender()
    reply = live_bot.text("pull up Jordan Lee", sender=me)
    assert "Safety first for Jordan Lee" in reply
    # Jordan consented to e-mail and phone, not to texts (clinic record).
    assert "phone, e-mail" in reply and "text message" not in reply.split("Safety first")[1]
    # The rest waits until safety is in hand.
    blocked = live_bot.text("how do I raise it without sounding punitive?", sender=me)
    assert "the rest waits until you tell me you have it in hand" in blocked
    live_bot.text("ok, safety's covered, I reached his sister and talked to my supervisor",
                  sender=me)
    opening = live_bot.text("how do I raise it without sounding punitive?", sender=me)
    assert "the rest waits" not in opening
    assert "Jordan" in opening


def test_drafts_respect_consent(live_bot):
    me = _sender()
    live_bot.text("pull up Tom Becker", sender=me)   # no SMS consent, phone yes
    refused = live_bot.say("draft a text for him", sender=me)
    assert "text" in refused[0]["text"].lower()
    assert "DRAFT for clinician review" not in refused[0]["text"]
    offered = {b["payload"] for b in refused[0]["buttons"]}
    assert '/request_draft{"channel": "sms"}' not in offered
    assert '/request_draft{"channel": "voicemail"}' in offered
    voicemail = live_bot.text('/request_draft{"channel": "voicemail"}', sender=me)
    assert voicemail.startswith("DRAFT for clinician review")
    assert "Tom" in voicemail and "Dr. Alex Rivera" in voicemail


def test_a_plan_is_saved_and_shown_again(live_bot):
    me = _sender()
    before = _rows(live_bot.database_url,
                   "SELECT count(*) FROM plans WHERE client_id = 'C005'")[0][0]
    live_bot.text("pull up Ellen Brooks", sender=me)
    confirm = live_bot.say("let's offer fortnightly telehealth on Thursdays and I'll call "
                           "her next Friday, review in 2 weeks", sender=me)
    assert "Here's the plan for Ellen Brooks as I understood it" in confirm[0]["text"]
    assert "Fri 27 Mar 2026" in confirm[0]["text"]   # RECONNECT_TODAY is Mon 16 Mar 2026
    assert "Follow-up: Mon 30 Mar 2026" in confirm[0]["text"]
    saved = live_bot.text("yes", sender=me)
    assert "Saved" in saved
    rows = _rows(live_bot.database_url,
                 "SELECT staff_id, follow_up_on, status FROM plans WHERE client_id = 'C005' "
                 "ORDER BY id")
    assert len(rows) == before + 1
    assert rows[-1][0] == "T01" and str(rows[-1][1]) == "2026-03-30" and rows[-1][2] == "open"
    audit = _rows(live_bot.database_url, "SELECT action FROM audit_events WHERE "
                  "client_id = 'C005' AND action = 'plan_saved'")
    assert audit
    # Coming back later the same day: the plan is shown; how it went is not asked yet, since
    # a plan agreed today has had no time to work.
    again = live_bot.say("pull up Ellen Brooks", sender=_sender())
    tried = [m for m in again if "Tried before" in (m.get("text") or "")]
    assert tried and "follow-up due Mon 30 Mar 2026" in tried[0]["text"]
    assert "How did the last plan go?" not in tried[0]["text"]
    # The follow-up list covers the coming 7 days: not due yet on the 16th.
    assert "Ellen Brooks" not in live_bot.text("what follow-ups are due?", sender=_sender())


def test_another_therapists_client_stays_hidden_throughout(live_bot):
    me = _sender()
    # Noah Kim is T02's client: drafts, plans and reviews for him reveal nothing to T01.
    assert "no client called" in live_bot.text("pull up Noah Kim", sender=me)
    forged = live_bot.text('/ask_attendance{"client_id": "C010"}', sender=me)
    assert forged == "I found no such client in your caseload."
    for message in ("draft a text for him", "what can I offer him?",
                    "he's been gone six weeks, can I just close the file?"):
        reply = live_bot.text(message, sender=me)
        assert "Noah" not in reply and "Kim" not in reply
    # The trail records what T01 tried: each row pairing T01 with T02's client is a refusal
    # (outcome denied), never an access, and names the channel and conversation.
    tried = _rows(live_bot.database_url, "SELECT action, channel, conversation_id FROM "
                  "audit_events WHERE staff_id = 'T01' AND client_id = 'C010'")
    assert tried and all(action in REFUSALS for action, _, _ in tried), tried
    # (the REST channel keeps a staff member's conversation under "<staff id>:<sender>")
    assert all((channel, conversation) == ("rest", f"T01:{me}")
               for _, channel, conversation in tried), tried
    # The name search that found nobody is recorded as such, without the name typed.
    assert _rows(live_bot.database_url, "SELECT 1 FROM audit_events WHERE staff_id = 'T01' "
                 "AND action = 'name_not_found' AND conversation_id = :me", me=f"T01:{me}")
    assert not _rows(live_bot.database_url,
                     "SELECT 1 FROM audit_events WHERE detail LIKE '%Noah%'")


def test_an_attempt_is_written_only_on_yes_on_the_day_said_and_can_be_undone(live_bot):
    me = _sender()
    live_bot.text("pull up Maya Patel", sender=me)
    count = "SELECT count(*) FROM outreach_attempts WHERE client_id = 'C002'"
    before = _rows(live_bot.database_url, count)[0][0]
    read_back = live_bot.say("rang her tuesday but she didn't pick up", sender=me)
    assert "phone call on Tue 10 Mar 2026, no answer. Save it?" in read_back[0]["text"]
    assert [b["title"] for b in read_back[0]["buttons"]] == ["Yes", "Change", "Cancel"]
    assert _rows(live_bot.database_url, count)[0][0] == before      # nothing until yes
    saved = live_bot.text("/affirm", sender=me)                      # the [Yes] button
    assert "Saved for Maya Patel: phone call on Tue 10 Mar 2026, no answer." in saved
    [row] = _rows(live_bot.database_url,
                  'SELECT "on", channel, outcome, withdrawn_at FROM outreach_attempts '
                  "WHERE client_id = 'C002' ORDER BY id DESC LIMIT 1")
    assert (str(row[0]), row[1], row[2], row[3]) == ("2026-03-10", "phone", "no_answer", None)
    live_bot.text("undo", sender=me)
    [row] = _rows(live_bot.database_url,
                  "SELECT withdrawn_at FROM outreach_attempts WHERE client_id = 'C002' "
                  "ORDER BY id DESC LIMIT 1")
    assert row[0] is not None


def test_a_yes_that_adds_an_attempt_saves_each_once(live_bot):
    """"yes, and I also texted her sat, no reply": the waiting call is saved, the text read
    back; the next yes saves the text, and the call is not saved a second time."""
    me = _sender()
    live_bot.text("pull up Maya Patel", sender=me)
    count = ("SELECT channel, \"on\" FROM outreach_attempts WHERE client_id = 'C002' "
             "AND withdrawn_at IS NULL ORDER BY id")
    before = _rows(live_bot.database_url, count)
    assert "Save it?" in live_bot.text("emailed her thurs, no reply", sender=me)
    reply = live_bot.text("yep and I also texted her sat, no reply", sender=me)
    assert "Saved for Maya Patel: e-mail on Thu 12 Mar 2026, no answer." in reply
    assert "text on Sat 14 Mar 2026, no answer. Save it?" in reply
    live_bot.text("/affirm", sender=me)                              # the [Yes] button
    added = [(c, str(d)) for c, d in _rows(live_bot.database_url, count)[len(before):]]
    assert added == [("email", "2026-03-12"), ("sms", "2026-03-14")]
