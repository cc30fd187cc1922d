"""Migrations: upgrade from nothing to head, the readiness check, downgrade and upgrade again,
and the migrated schema matching the models (SQLite and PostgreSQL)."""
from __future__ import annotations

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from reconnect.records import db
from reconnect.records.models import Base

# Every table of the models (staff, clients, appointments, audit_events, ...).
MODEL_TABLES = set(Base.metadata.tables)


def _tables(url):
    return set(inspect(db.get_engine(url)).get_table_names())


def test_upgrade_of_an_empty_database_reaches_head(empty_db_url):
    assert _tables(empty_db_url) == set()
    assert db.current_revision(empty_db_url) is None

    db.upgrade(empty_db_url)

    assert db.current_revision(empty_db_url) == db.head_revision()
    assert {"staff", "clients", "appointments", "audit_events"} <= MODEL_TABLES
    assert _tables(empty_db_url) == MODEL_TABLES | {"alembic_version"}
    db.check_migrated(empty_db_url)  # does not raise


def test_upgrade_twice_is_harmless(db_url):
    db.upgrade(db_url)
    assert db.current_revision(db_url) == db.head_revision()


def test_migrated_schema_matches_the_models(db_url):
    with db.get_engine(db_url).connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_check_migrated_names_the_command_on_an_unmigrated_database(empty_db_url):
    with pytest.raises(db.DatabaseNotReady) as not_ready:
        db.check_migrated(empty_db_url)

    message = str(not_ready.value)
    assert "reconnect db upgrade" in message
    assert "has no tables yet" in message
    assert db.head_revision() in message


def test_check_migrated_refuses_another_revision(db_url):
    with db.get_engine(db_url).begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'f00d'"))

    with pytest.raises(db.DatabaseNotReady) as not_ready:
        db.check_migrated(db_url)

    assert "is at revision f00d" in str(not_ready.value)
    assert "reconnect db upgrade" in str(not_ready.value)


def test_downgrade_to_base_then_upgrade_again(db_url):
    config = db._alembic_config(db_url)

    command.downgrade(config, "base")

    assert db.current_revision(db_url) is None
    assert _tables(db_url) == {"alembic_version"}
    with pytest.raises(db.DatabaseNotReady):
        db.check_migrated(db_url)

    command.upgrade(config, "head")

    assert db.current_revision(db_url) == db.head_revision()
    assert _tables(db_url) == MODEL_TABLES | {"alembic_version"}
    db.check_migrated(db_url)
