"""Conversations with the running servers, through the REST webhook.

The expected facts are read here with plain SQL, independently of the assistant's own code,
so a reply passes only when it states what the database holds.
"""
from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import TEST_TODAY

pytestmark = pytest.mark.live


def _facts(database_url: str, first: str, last: str) -> dict:
    engine = create_engine(database_url, future=True)
    window_start = TEST_TODAY - timedelta(days=89)
    with engine.connect() as c:
        client_id = c.execute(text("SELECT id FROM clients WHERE first_name = :f AND "
                                   "last_name = :l"), {"f": first, "l": last}).scalar_one()
        rows = c.execute(text("SELECT start, status, fee_charged, fee_paid FROM appointments "
                              "WHERE client_id = :c ORDER BY start"), {"c": client_id}).all()
    engine.dispose()
    starts = [(datetime.fromisoformat(str(r[0])), r[1]) for r in rows]
    window = [s for d, s in starts if window_start <= d.date() <= TEST_TODAY and s != "scheduled"]
    owed = sum((Decimal(r[2] or 0) - Decimal(r[3] or 0)) / 100 for r in rows
               if r[2] is not None and (r[2] or 0) > (r[3] or 0))
    upcoming = [d for d, s in starts if s == "scheduled" and d.date() >= TEST_TODAY]
    return {
        "id": client_id,
        "attended": window.count("attended"),
        "no_show": window.count("no_show"),
        "late_cancel": window.count("late_cancel"),
        "owed": f"${Decimal(owed):,.2f}",
        "next": min(upcoming) if upcoming else None,
    }


def test_summary_carries_the_facts_of_the_database(live_bot):
    facts = _facts(live_bot.database_url, "Dana", "Whitfield")
    reply = live_bot.text("Dana Whitfield has missed a lot lately, can you pull up her "
                          "attendance?")
    assert reply.startswith("Dana Whitfield: attendance from the clinic record")
    assert (f"Last 90 days: {facts['attended']} attended, {facts['no_show']} no-shows"
            in reply)
    assert f"Fees owed: {facts['owed']}" in reply
    nxt = facts["next"]
    assert f"Next booked: {nxt:%a} {nxt.day} {nxt:%b %Y} {nxt:%H:%M}" in reply
    assert "Payer: self-pay" in reply
    assert "Verdict:" in reply


def test_first_name_in_lower_case_and_a_typo(live_bot):
    assert live_bot.text("pull up dana pls").startswith("Dana Whitfield:")
    assert live_bot.text("how often has whitfeild missed").startswith("Dana Whitfield:")


def test_two_clients_share_a_first_name_and_a_button_chooses(live_bot):
    sender = "live-mayas"
    messages = live_bot.say("how often has Maya missed recently", sender=sender)
    assert "2 clients in your caseload match" in messages[0]["text"]
    buttons = {b["title"]: b["payload"] for b in messages[0]["buttons"]}
    assert set(buttons) == {"Maya Patel", "Maya Chen"}
    reply = live_bot.text(buttons["Maya Chen"], sender=sender)
    assert reply.startswith("Maya Chen:")
    assert "Payer: Medicaid" in reply


def test_another_therapists_client_stays_hidden(live_bot):
    hidden = live_bot.text("pull up Noah Kim's attendance", staff_id="T01")
    nobody = live_bot.text("pull up Zed Quill's attendance", staff_id="T01")
    assert hidden == nobody.replace("Zed Quill", "Noah Kim")
    assert "no client called" in hidden and "Last 90 days" not in hidden
    # T01's "Dana" is Dana Whitfield, never T02's Dana Ortiz.
    assert "Ortiz" not in live_bot.text("pull up Dana", staff_id="T01")
    # Noah's own therapist sees him.
    assert live_bot.text("pull up Noah Kim's attendance", staff_id="T02").startswith(
        "Noah Kim:")


def test_without_a_staff_id_no_client_data_is_shown(live_bot):
    for staff in (None, "T99"):
        reply = live_bot.text("Dana Whitfield has missed a lot, pull up her attendance",
                              staff_id=staff)
        assert "can't tell who is asking" in reply
        assert "Whitfield" not in reply and "Last 90 days" not in reply


def test_record_access_is_audited(live_bot):
    live_bot.text("pull up Ellen Brooks", staff_id="T01")
    engine = create_engine(live_bot.database_url, future=True)
    with engine.connect() as c:
        rows = c.execute(text(
            "SELECT a.staff_id, a.action FROM audit_events a JOIN clients c "
            "ON c.id = a.client_id WHERE c.first_name = 'Ellen' AND c.last_name = 'Brooks'"
        )).all()
    engine.dispose()
    assert ("T01", "record_viewed") in [tuple(r) for r in rows]


def test_conversations_are_kept_in_the_sql_tracker_store(live_bot):
    live_bot.text("hello", sender="live-tracker-check")
    with sqlite3.connect(live_bot.tracker_db) as db:
        count = db.execute("SELECT count(*) FROM events WHERE sender_id = ?",
                           (live_bot.conversation("live-tracker-check"),)).fetchone()[0]
    assert count > 0


def test_chitchat_help_and_fallback(live_bot):
    assert "I walk you through a client's missed sessions" in live_bot.text("what can you do?")
    assert "outside what I can help with" in live_bot.text("what's the weather tomorrow")
    assert "Could you put it another way" in live_bot.text("qqq")
