"""Fixtures shared by the test suite: databases made for each test, never the user's own."""
from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import MetaData, create_engine

from reconnect.records import db

ROOT = Path(__file__).resolve().parent.parent
# The browser tests run in their own environment (.venv-browser, scripts/test.sh).
collect_ignore = ["browser"]
# A fixed clinic date for every test, so that results never depend on the clock.
TEST_TODAY = date(2026, 3, 16)
POSTGRES_URL = os.environ.get("RECONNECT_TEST_POSTGRES_URL")
REQUIRE_POSTGRES = os.environ.get("RECONNECT_REQUIRE_POSTGRES") == "1"


@pytest.fixture(autouse=True)
def _fixed_clinic_day(monkeypatch):
    monkeypatch.setenv("RECONNECT_TODAY", TEST_TODAY.isoformat())
    monkeypatch.setenv("RECONNECT_TIMEZONE", "America/New_York")


def _fresh_postgres(url: str) -> str:
    engine = create_engine(url, future=True)
    with engine.begin() as connection:
        metadata = MetaData()
        metadata.reflect(connection)
        metadata.drop_all(connection)
    engine.dispose()
    db.dispose_engines()
    return url


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'clinic.db'}"
    db.upgrade(url)
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path) -> str:
    """A freshly migrated database: SQLite, and PostgreSQL when the test server runs."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'clinic.db'}"
    else:
        if not POSTGRES_URL:
            if REQUIRE_POSTGRES:
                pytest.fail("RECONNECT_TEST_POSTGRES_URL is not set but PostgreSQL is required")
            pytest.skip("no PostgreSQL test server (scripts/test.sh starts one)")
        url = _fresh_postgres(POSTGRES_URL)
    db.upgrade(url)
    yield url
    db.dispose_engines()


@pytest.fixture
def use_database(monkeypatch, db_url) -> str:
    """Point DATABASE_URL at the test database for code that reads the environment."""
    monkeypatch.setenv("DATABASE_URL", db_url)
    return db_url
