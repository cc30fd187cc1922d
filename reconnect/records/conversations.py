"""Retention of the conversation store: Rasa's SQL tracker store (endpoints.yml,
`tracker_store`), whose `events` table holds every message and reply, one row per event
with the conversation's `sender_id` and a Unix `timestamp`.

A conversation is deleted whole once its latest event is older than the retention period
(`conversation_retention_days` in clinic.yml); a conversation still in use keeps its history.
Knows nothing of Rasa: plain SQL on the store's table.
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass
from typing import Optional

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import NoSuchTableError

DAY_SECONDS = 24 * 3600


def tracker_store_url(environ: Optional[dict] = None) -> str:
    """The conversation store's URL: TRACKER_STORE_URL, else the SQLite file of TRACKER_DB
    (as scripts/common.sh sets it for endpoints.yml)."""
    env = environ if environ is not None else os.environ
    if env.get("TRACKER_STORE_URL"):
        return env["TRACKER_STORE_URL"]
    dialect = env.get("TRACKER_DIALECT") or "sqlite"
    database = env.get("TRACKER_DB") or "var/conversations.db"
    if dialect != "sqlite":
        raise ValueError("set TRACKER_STORE_URL to the conversation store's SQLAlchemy URL "
                         f"(TRACKER_DIALECT is {dialect})")
    return f"sqlite:///{database}"


@dataclass
class Pruned:
    conversations: int
    events: int


def prune_conversations(url: str, older_than_days: int,
                        now: Optional[float] = None) -> Pruned:
    """Delete every conversation whose latest event is older than `older_than_days`."""
    if older_than_days < 1:
        raise ValueError("the retention period must be at least one day")
    cutoff = (now if now is not None else time.time()) - older_than_days * DAY_SECONDS
    if make_url(url).get_backend_name() == "sqlite" and not os.path.exists(
            make_url(url).database or ""):
        return Pruned(0, 0)  # no conversations were ever stored
    engine = create_engine(url, future=True)
    try:
        with engine.begin() as connection:
            if not engine.dialect.has_table(connection, "events"):
                raise NoSuchTableError("events")
            stale = ("SELECT sender_id FROM events GROUP BY sender_id "
                     "HAVING MAX(timestamp) < :cutoff")
            conversations = len(connection.execute(text(stale), {"cutoff": cutoff}).all())
            deleted = connection.execute(
                text(f"DELETE FROM events WHERE sender_id IN ({stale})"), {"cutoff": cutoff})
            return Pruned(conversations, deleted.rowcount or 0)
    finally:
        engine.dispose()
