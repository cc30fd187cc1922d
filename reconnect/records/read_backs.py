"""Front-desk outreach attempts read back and waiting for a yes, in the clinic database
(`front_desk_read_backs`): the yes counts whichever Rasa process it reaches, and after a
restart.

One waits per staff member: a new read-back replaces the last. Taking one is a DELETE that
only one process can win, so two processes answering the same yes (or a yes and a cancel)
save at most one entry. A read-back older than READ_BACK_FOR is dropped unanswered: a yes that
late is no longer an answer to it.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import NamedTuple, Optional, Tuple

from sqlalchemy import delete, select

from reconnect.guidance.outcomes import Attempt
from reconnect.records.db import session_scope
from reconnect.records.models import FrontDeskReadBack
from reconnect.records.queries import _utcnow

READ_BACK_FOR = timedelta(minutes=30)


class Waiting(NamedTuple):
    """A read-back taken for its answer."""

    client_id: str
    client_name: str
    channel: str
    outcome: str
    on: date


class FrontDeskReadBacks:
    """The read-backs waiting in one clinic database (None: DATABASE_URL's), as the Slack and
    widget front-desk views use them: `staff_id in read_backs`, `read_backs[staff_id] =
    (client_id, name, attempt)`, `read_backs.pop(staff_id)`. Raises `RecordsUnavailable` when
    the database cannot be reached."""

    def __init__(self, url: Optional[str] = None) -> None:
        self.url = url

    def __contains__(self, staff_id: object) -> bool:
        return isinstance(staff_id, str) and self._get(staff_id) is not None

    def __setitem__(self, staff_id: str, value: Tuple[str, str, Attempt]) -> None:
        client_id, name, attempt = value
        channel, outcome, on = attempt.channel, attempt.outcome, attempt.on
        if None in (channel, outcome, on):
            raise ValueError("only a complete attempt is read back for a yes")
        now = _utcnow()
        with session_scope(self.url) as session:
            # This staff member's last one, and anyone's left unanswered too long.
            session.execute(delete(FrontDeskReadBack).where(
                (FrontDeskReadBack.staff_id == staff_id)
                | (FrontDeskReadBack.read_back_at < now - READ_BACK_FOR)))
            session.add(FrontDeskReadBack(staff_id=staff_id, client_id=client_id,
                                          client_name=name, outreach_channel=channel,
                                          outcome=outcome, on=on, read_back_at=now))

    def pop(self, staff_id: str) -> Waiting:
        """Take the read-back waiting for this staff member.
        KeyError when none waits, or another process took it first."""
        row = self._get(staff_id)
        if row is None:
            raise KeyError(staff_id)
        with session_scope(self.url) as session:
            taken = session.execute(delete(FrontDeskReadBack).where(
                FrontDeskReadBack.staff_id == staff_id,
                FrontDeskReadBack.read_back_at == row[5]))
            if not getattr(taken, "rowcount", 0):
                raise KeyError(staff_id)  # taken by another process's answer
        return Waiting(*row[:5])

    def _get(self, staff_id: str, now: Optional[datetime] = None
             ) -> Optional[Tuple[str, str, str, str, date, datetime]]:
        now = now or _utcnow()
        with session_scope(self.url) as session:
            row = session.execute(select(
                FrontDeskReadBack.client_id, FrontDeskReadBack.client_name,
                FrontDeskReadBack.outreach_channel, FrontDeskReadBack.outcome,
                FrontDeskReadBack.on, FrontDeskReadBack.read_back_at).where(
                FrontDeskReadBack.staff_id == staff_id)).first()
            if row is None:
                return None
            if row[5] < now - READ_BACK_FOR:
                session.execute(delete(FrontDeskReadBack).where(
                    FrontDeskReadBack.staff_id == staff_id))
                return None
            return (row[0], row[1], row[2], row[3], row[4], row[5])
