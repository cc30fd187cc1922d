"""The record of Slack events handled (`slack_events_handled`), on SQLite and PostgreSQL: a key
is claimed once, whichever store object or process claims it, long keys are hashed, old keys
are pruned, and what is stored is the key alone."""
from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from reconnect.records import db
from reconnect.records.models import SlackEventHandled
from reconnect.records.slack_events import KEEP_FOR, KEY_CHARS, HandledSlackEvents, stored_key

ROOT = Path(__file__).resolve().parents[2]
T0 = datetime(2026, 3, 16, 14, 0, 0)
# Claims KEYS... in its own process; prints one line per key: 1 (first time) or 0.
CLAIMER = """
import sys
from reconnect.records.slack_events import HandledSlackEvents
store = HandledSlackEvents(sys.argv[1])
print(" ".join(str(int(store.claim(key))) for key in sys.argv[2:]))
"""


def _rows(url):
    with db.session_scope(url) as session:
        return [tuple(row) for row in session.execute(
            select(SlackEventHandled.event_key, SlackEventHandled.first_seen_at)
            .order_by(SlackEventHandled.event_key)).all()]


def test_a_key_is_claimed_the_first_time_only(db_url):
    store = HandledSlackEvents(db_url)
    assert store.claim("Ev01ABC", T0) is True
    assert store.claim("Ev01ABC", T0 + timedelta(seconds=5)) is False
    assert store.claim("click:1234.5678.abcd", T0) is True
    assert store.claim("click:1234.5678.abcd", T0) is False
    assert _rows(db_url) == [("Ev01ABC", T0), ("click:1234.5678.abcd", T0)]


def test_two_stores_on_one_database_see_each_others_claims(db_url):
    # Two Rasa processes (or one before and after a restart): their own objects, one database.
    first, second = HandledSlackEvents(db_url), HandledSlackEvents(db_url)
    assert first.claim("EvSHARED1", T0)
    assert not second.claim("EvSHARED1", T0)
    assert second.claim("EvSHARED2", T0)
    db.dispose_engines()  # no connection or cache left from before: as after a restart
    assert not HandledSlackEvents(db_url).claim("EvSHARED2", T0)
    assert not first.claim("EvSHARED2", T0)


def test_a_key_claimed_in_another_process_is_seen_here(db_url):
    done = subprocess.run([sys.executable, "-c", CLAIMER, db_url, "EvOTHER1", "EvOTHER1"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["1", "0"]
    assert not HandledSlackEvents(db_url).claim("EvOTHER1")


def test_processes_racing_for_the_same_keys_claim_each_once(db_url):
    keys = [f"EvRACE{n}" for n in range(15)]
    racers = [subprocess.Popen([sys.executable, "-c", CLAIMER, db_url, *keys], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
              for _ in range(3)]
    outputs = []
    for racer in racers:
        out, err = racer.communicate(timeout=120)
        assert racer.returncode == 0, err[-2000:]
        outputs.append([int(v) for v in out.split()])
    # ... and threads of this process too.
    store = HandledSlackEvents(db_url)
    with ThreadPoolExecutor(8) as pool:
        here = list(pool.map(lambda k: int(store.claim(k)), keys * 4))
    wins = [sum(o[i] for o in outputs) + sum(here[i::len(keys)]) for i in range(len(keys))]
    assert wins == [1] * len(keys)


def test_a_key_longer_than_the_column_is_stored_as_its_hash(db_url):
    long_key = "click:" + "x" * 300
    store = HandledSlackEvents(db_url)
    assert store.claim(long_key, T0)
    assert not store.claim(long_key, T0)
    assert store.claim(long_key + "y", T0)  # another long key is another hash
    stored = [key for key, _ in _rows(db_url)]
    assert all(key.startswith("sha256:") and len(key) <= KEY_CHARS for key in stored)
    assert stored_key(long_key) in stored and "xxxx" not in "".join(stored)
    assert stored_key("Ev01") == "Ev01" and stored_key("k" * KEY_CHARS) == "k" * KEY_CHARS


def test_keys_older_than_an_hour_are_pruned_at_most_once_a_minute(db_url):
    store = HandledSlackEvents(db_url)
    assert store.claim("EvOLD", T0)
    later = T0 + KEEP_FOR + timedelta(minutes=1)
    # This store pruned a moment ago (on its first claim): no second prune within a minute.
    assert store.claim("EvNEW", later)
    assert [key for key, _ in _rows(db_url)] == ["EvNEW", "EvOLD"]
    # Another process's store (or this one, a minute on) prunes on its next claim.
    assert HandledSlackEvents(db_url).claim("EvNEWER", later)
    assert [key for key, _ in _rows(db_url)] == ["EvNEW", "EvNEWER"]
    assert store.prune(later + KEEP_FOR + timedelta(seconds=1)) == 2
    assert _rows(db_url) == []


def test_a_key_within_the_hour_is_kept(db_url):
    store = HandledSlackEvents(db_url)
    assert store.claim("EvRECENT", T0)
    assert store.prune(T0 + KEEP_FOR - timedelta(seconds=1)) == 0
    assert not HandledSlackEvents(db_url).claim("EvRECENT", T0 + KEEP_FOR - timedelta(seconds=1))


def test_an_unmigrated_database_is_reported_not_taken_for_a_first_time(empty_db_url):
    with pytest.raises(db.RecordsUnavailable):
        HandledSlackEvents(empty_db_url).claim("EvX")


def test_an_unreachable_database_is_reported_without_the_key(tmp_path):
    url = f"sqlite:///{tmp_path / 'not-a-database.db'}"
    (tmp_path / "not-a-database.db").write_bytes(b"this is no SQLite file" * 100)
    with pytest.raises(db.RecordsUnavailable) as unavailable:
        HandledSlackEvents(url).claim("EvSECRETKEY")
    assert "EvSECRETKEY" not in str(unavailable.value)
    db.dispose_engines()
