"""`reconnect conversations prune`: conversations idle longer than the retention period in
clinic.yml are deleted from Rasa's own SQL conversation store; recent ones are kept whole."""
from __future__ import annotations

import asyncio
import time

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from reconnect import cli

DAY = 24 * 3600


def _store(path):
    return SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(path))


def _save(store, sender: str, days_ago: float) -> None:
    at = time.time() - days_ago * DAY
    tracker = DialogueStateTracker(sender, slots=[])
    tracker.update(UserUttered("pull up Dana Whitfield", timestamp=at))
    tracker.update(BotUttered("Dana Whitfield: 2 no-shows in a row", timestamp=at + 1))
    asyncio.run(store.save(tracker))


def test_prune_deletes_idle_conversations_and_keeps_recent_ones(tmp_path, monkeypatch, capsys):
    path = tmp_path / "conversations.db"
    store = _store(path)
    _save(store, "T01:old", days_ago=45)
    _save(store, "T01:recent", days_ago=2)
    _save(store, "T02:old-but-active", days_ago=60)
    asyncio.run(store.save(_continued(store, "T02:old-but-active")))
    monkeypatch.setenv("TRACKER_DIALECT", "sqlite")
    monkeypatch.setenv("TRACKER_DB", str(path))
    monkeypatch.delenv("TRACKER_STORE_URL", raising=False)

    assert cli.main(["conversations", "prune"]) == 0   # clinic.yml: 30 days
    assert "Deleted 1 conversation(s) (2 events)" in capsys.readouterr().out
    fresh = _store(path)
    assert asyncio.run(fresh.retrieve("T01:old")) is None
    assert len(asyncio.run(fresh.retrieve("T01:recent")).events) == 2
    assert len(asyncio.run(fresh.retrieve("T02:old-but-active")).events) == 3  # kept whole

    assert cli.main(["conversations", "prune", "--days", "1"]) == 0
    assert asyncio.run(_store(path).retrieve("T01:recent")) is None


def _continued(store, sender: str) -> DialogueStateTracker:
    tracker = asyncio.run(store.retrieve(sender))
    tracker.update(UserUttered("what follow-ups are due?", timestamp=time.time()))
    return tracker


def test_prune_refuses_a_retention_of_no_days(tmp_path, capsys):
    assert cli.main(["conversations", "prune", "--days", "0",
                     "--url", f"sqlite:///{tmp_path / 'c.db'}"]) == 2
    assert "at least one day" in capsys.readouterr().err


def test_a_store_never_written_is_nothing_to_prune(tmp_path, capsys):
    assert cli.main(["conversations", "prune", "--url",
                     f"sqlite:///{tmp_path / 'none.db'}"]) == 0
    assert "Deleted 0 conversation(s)" in capsys.readouterr().out
