"""The Slack events and clicks already handled, in the clinic database (`slack_events_handled`):
shared by every Rasa process that uses the database and kept across restarts, so a retry or
replay of an event is handled once, whichever process it reaches and whenever.

Only the event's key is stored (Slack's event id, a click's trigger id, or a sha256 of a key
longer than the column) with the time it was first seen: never a message's text or a user.

Claiming a key is one INSERT: the first process to insert it wins; any other (or later) one
hits the primary key and is told "seen before". Keys are kept an hour (`KEEP_FOR`): Slack
retries within minutes, and a replay older than 5 minutes is refused by the signature's age
check before it gets here. Rows older than that are deleted by the claims themselves, at most
once a minute per process (`PRUNE_EVERY`): one indexed DELETE, nothing to schedule. A prune
that fails (another process holding SQLite's write lock past the busy timeout) never fails the
claim: it is tried again on the next one.
"""
from __future__ import annotations

import hashlib
import time
from datetime import datetime, timedelta
from threading import Lock
from typing import Optional

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from reconnect.records.db import RecordsUnavailable, session_scope
from reconnect.records.models import SlackEventHandled
from reconnect.records.queries import _utcnow

KEEP_FOR = timedelta(hours=1)
PRUNE_EVERY_SECONDS = 60.0
KEY_CHARS = SlackEventHandled.__table__.c.event_key.type.length


def stored_key(key: str) -> str:
    """The key as stored: itself when it fits the column, else `sha256:` and its digest."""
    if len(key) <= KEY_CHARS:
        return key
    return "sha256:" + hashlib.sha256(key.encode("utf-8")).hexdigest()


class HandledSlackEvents:
    """Claims on Slack event keys in one clinic database (None: DATABASE_URL's).

    `claim` raises `RecordsUnavailable` when the database cannot be reached or is not
    migrated; what to do then is the caller's decision (the Slack channel's)."""

    def __init__(self, url: Optional[str] = None) -> None:
        self.url = url
        self._lock = Lock()
        self._next_prune = 0.0  # time.monotonic() of the next prune

    def claim(self, key: str, now: Optional[datetime] = None) -> bool:
        """True the first time `key` is claimed (by any process), False ever after (within
        KEEP_FOR)."""
        now = now or _utcnow()
        self._prune_now_and_then(now)
        try:
            with session_scope(self.url) as session:
                session.add(SlackEventHandled(event_key=stored_key(key), first_seen_at=now))
        except IntegrityError:
            return False
        return True

    def prune(self, now: Optional[datetime] = None) -> int:
        """Delete the keys first seen more than KEEP_FOR ago; how many were deleted."""
        cutoff = (now or _utcnow()) - KEEP_FOR
        with session_scope(self.url) as session:
            result = session.execute(delete(SlackEventHandled).where(
                SlackEventHandled.first_seen_at < cutoff))
            return int(getattr(result, "rowcount", 0) or 0)

    def _prune_now_and_then(self, now: datetime) -> None:
        with self._lock:
            clock = time.monotonic()
            if clock < self._next_prune:
                return
            self._next_prune = clock + PRUNE_EVERY_SECONDS
        try:
            self.prune(now)
        except RecordsUnavailable:
            # Housekeeping only: a prune that meets a busy or unreachable database is tried
            # again at the next claim, and the claim itself reports an unreachable database.
            with self._lock:
                self._next_prune = 0.0
