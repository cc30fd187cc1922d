"""Front-desk read-backs waiting for a yes (`front_desk_read_backs`), on SQLite and PostgreSQL:
one per staff member, taken once whichever store object (or process) answers, dropped when
too old, and holding only what was read back."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from reconnect.guidance.outcomes import Attempt
from reconnect.records import db
from reconnect.records.models import FrontDeskReadBack
from reconnect.records.read_backs import READ_BACK_FOR, FrontDeskReadBacks
from tests.clinic_fixture import load_small_clinic

CALL = Attempt(date(2026, 3, 13), "phone", "left_message")


@pytest.fixture
def clinic(db_url, tmp_path):
    load_small_clinic(tmp_path, db_url)
    return db_url


def _staff_with_role(url, role):
    from reconnect.records.models import Staff
    with db.session_scope(url) as session:
        return session.execute(select(Staff.id).where(Staff.role == role)).scalars().first()


def test_a_read_back_waits_until_taken_once(clinic):
    desk = _staff_with_role(clinic, "therapist")
    store = FrontDeskReadBacks(clinic)
    assert desk not in store
    store[desk] = ("C002", "Maya Patel", CALL)
    assert desk in store and desk in FrontDeskReadBacks(clinic)   # another process sees it
    taken = FrontDeskReadBacks(clinic).pop(desk)
    assert (taken.client_id, taken.client_name, taken.channel, taken.outcome, taken.on) == (
        "C002", "Maya Patel", "phone", "left_message", date(2026, 3, 13))
    assert desk not in store
    with pytest.raises(KeyError):
        store.pop(desk)


def test_a_new_read_back_replaces_the_last(clinic):
    desk = _staff_with_role(clinic, "therapist")
    store = FrontDeskReadBacks(clinic)
    store[desk] = ("C002", "Maya Patel", CALL)
    store[desk] = ("C002", "Maya Patel", Attempt(date(2026, 3, 15), "email", "no_answer"))
    assert store.pop(desk).channel == "email"
    with db.session_scope(clinic) as session:
        assert session.execute(select(FrontDeskReadBack)).all() == []


def test_only_a_whole_attempt_is_read_back(clinic):
    desk = _staff_with_role(clinic, "therapist")
    with pytest.raises(ValueError):
        FrontDeskReadBacks(clinic)[desk] = ("C002", "Maya Patel", Attempt(None, "phone", None))


def test_a_read_back_too_old_is_no_longer_answered(clinic):
    desk = _staff_with_role(clinic, "therapist")
    store = FrontDeskReadBacks(clinic)
    store[desk] = ("C002", "Maya Patel", CALL)
    with db.session_scope(clinic) as session:
        row = session.execute(select(FrontDeskReadBack)).scalars().one()
        row.read_back_at = row.read_back_at - READ_BACK_FOR - timedelta(seconds=1)
    assert desk not in store
    with pytest.raises(KeyError):
        store.pop(desk)


def test_racing_answers_take_a_read_back_once(clinic):
    desk = _staff_with_role(clinic, "therapist")
    FrontDeskReadBacks(clinic)[desk] = ("C002", "Maya Patel", CALL)

    def take(_):
        try:
            FrontDeskReadBacks(clinic).pop(desk)
            return 1
        except KeyError:
            return 0
    with ThreadPoolExecutor(8) as pool:
        assert sum(pool.map(take, range(8))) == 1
