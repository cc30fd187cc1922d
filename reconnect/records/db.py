"""Engines, sessions and the migration check.

A session per unit of work (`session_scope`), committed on success and rolled back on error;
never one long-lived session for the whole action server.
"""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from threading import Lock
from typing import Any, Dict, Iterator, Optional

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DatabaseError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from reconnect.settings import database_url

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

_engines: Dict[str, Engine] = {}
_migrated: set = set()  # URLs whose schema was found current in this process
_lock = Lock()


class RecordsUnavailable(RuntimeError):
    """The clinic's records cannot be read or written now; the message says what to do.

    Its text never carries SQL, parameters or client data: callers may log it.
    """


class DatabaseNotReady(RecordsUnavailable):
    """The database is missing tables or behind the code's migrations."""


class DatabaseUnreachable(RecordsUnavailable):
    """The database server is stopped, unreachable, or refused the connection."""


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    # Switching the journal mode takes SQLite's exclusive lock, and can fail at once (no busy
    # wait) while another process opens the same file: switch only when it is not WAL yet.
    mode = cursor.execute("PRAGMA journal_mode").fetchone()
    if not mode or str(mode[0]).lower() != "wal":
        cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def get_engine(url: Optional[str] = None) -> Engine:
    url = url or database_url()
    with _lock:
        engine = _engines.get(url)
        if engine is None:
            parsed = make_url(url)
            kwargs: Dict[str, Any] = {"future": True, "pool_pre_ping": True}
            if parsed.get_backend_name() == "sqlite":
                database = parsed.database
                if database and database != ":memory:":
                    Path(database).parent.mkdir(parents=True, exist_ok=True)
                # A writer waits up to 15 s for another process's write lock (sqlite3's default
                # is 5 s, short on a loaded machine with several Rasa processes).
                kwargs["connect_args"] = {"check_same_thread": False, "timeout": 15}
            engine = create_engine(url, **kwargs)
            if parsed.get_backend_name() == "sqlite":
                event.listen(engine, "connect", _sqlite_pragmas)
            _engines[url] = engine
        return engine


def dispose_engines() -> None:
    with _lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()
        _migrated.clear()


@contextmanager
def session_scope(url: Optional[str] = None) -> Iterator[Session]:
    """A session for one unit of work, on a database whose schema is current."""
    url = url or database_url()
    try:
        if url not in _migrated:
            check_migrated(url)  # once per process: a clear message instead of a missing table
            _migrated.add(url)
        factory = sessionmaker(bind=get_engine(url), future=True, expire_on_commit=False)
        session = factory()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()
    except IntegrityError:
        raise
    except (OperationalError, InterfaceError, DatabaseError) as exc:
        # Stopped, unreachable, damaged (not a database at all), or its tables gone. The
        # driver's message can quote the statement and its parameters (client data): keep
        # only what kind of fault it was.
        raise DatabaseUnreachable(
            f"The clinic database cannot be reached ({type(exc.orig or exc).__name__}). "
            "Check that the database server is running and DATABASE_URL is right."
        ) from None


def _alembic_config(url: str):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # '%' would be read as interpolation by configparser.
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: Optional[str] = None, revision: str = "head") -> None:
    from alembic import command

    url = url or database_url()
    get_engine(url)  # creates the SQLite folder when needed
    command.upgrade(_alembic_config(url), revision)


def current_revision(url: Optional[str] = None) -> Optional[str]:
    from alembic.runtime.migration import MigrationContext

    with get_engine(url).connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_alembic_config("sqlite://")).get_current_head()
    if head is None:
        raise RuntimeError(f"no migrations found in {MIGRATIONS_DIR}")
    return head


def check_migrated(url: Optional[str] = None) -> None:
    """Raise DatabaseNotReady with the command to run when the schema is not current."""
    current = current_revision(url)
    head = head_revision()
    if current != head:
        state = "has no tables yet" if current is None else f"is at revision {current}"
        raise DatabaseNotReady(
            f"The clinic database {state}; the code needs revision {head}. "
            "Run `reconnect db upgrade` (make run does it for you)."
        )
