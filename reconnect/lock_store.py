"""Rasa's Redis lock store, made safe for several Rasa processes (endpoints.scaleout.yml).

Rasa 3.6's `RedisLockStore` keeps each conversation's ticket lock as one Redis value that it
reads, changes and writes back. Two Rasa processes taking a ticket for the same conversation at
the same moment both read "no tickets", both issue ticket 0 and both go ahead, so two messages
of one conversation are handled at once and one's events overwrite the other's (RasaHQ/rasa
#9213; an atomic version was merged and then reverted, #11256 and #11428). The scale-out test
showed it: of eight messages sent at once to two replicas, one was missing from the
conversation. Here every read-change-write of a conversation's lock (issuing a ticket,
dropping expired tickets, removing a finished one) runs under a short Redis mutex for that
conversation (`SET NX` with an expiry, released by a check-and-delete script: redis-py's
`Lock`), so tickets are issued one at a time across all processes.

    lock_store:
      type: reconnect.lock_store.AtomicRedisLockStore
      url: <redis host>
      port: 6379
      db: 1
"""
from __future__ import annotations

from typing import Any, Optional

from rasa.core.lock_store import LOCK_LIFETIME, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

# Long enough for one read-change-write, short enough that a process that died holding the
# mutex delays the conversation by seconds only.
MUTEX_SECONDS = 5


class AtomicRedisLockStore(RedisLockStore):
    def __init__(self, endpoint_config: Optional[EndpointConfig] = None, **kwargs: Any):
        # Rasa builds a lock store named by module path with its endpoint config only.
        if endpoint_config is not None:
            kwargs = {"host": endpoint_config.url or "localhost", **endpoint_config.kwargs,
                      **kwargs}
            kwargs.pop("type", None)
        super().__init__(**kwargs)

    def _mutex(self, conversation_id: str):
        return self.red.lock(f"{self.key_prefix}{conversation_id}:mutex", timeout=MUTEX_SECONDS,
                             blocking_timeout=MUTEX_SECONDS * 2, sleep=0.005)

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        with self._mutex(conversation_id):
            return super().issue_ticket(conversation_id, lock_lifetime)

    def update_lock(self, conversation_id: str) -> None:
        with self._mutex(conversation_id):
            super().update_lock(conversation_id)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        with self._mutex(conversation_id):
            super().cleanup(conversation_id, ticket_number)
