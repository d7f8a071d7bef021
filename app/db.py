"""Database engine and sessions: embedded SQLite (WAL, foreign keys) or PostgreSQL via psycopg."""

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from functools import lru_cache
from pathlib import Path
from typing import Any

from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import event
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlmodel import Session, create_engine

import migrations
from app.settings import get_settings

log = logging.getLogger("speedmatch.db")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers (participants polling their room) proceed during an organiser's write.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def make_engine(url: str) -> Engine:
    """A new engine for `url`; SQLite files get their directory created and WAL switched on."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 10})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


def describe(url: str | URL) -> str:
    """`url` to show to a person: the password is masked."""
    return make_url(url).render_as_string(hide_password=True)


def reason(error: DBAPIError) -> str:
    """The driver's own words for a database error, without SQLAlchemy's SQL and links."""
    text = str(error.orig).strip()
    return text.splitlines()[0] if text else type(error.orig).__name__


class SchemaNotCurrent(RuntimeError):
    """The database's schema is not the one this release's migrations make.

    Served anyway, every request and background step would fail on a missing table or column
    (while the health check still said "ok"), so the service refuses to start instead.
    """


@lru_cache(maxsize=1)
def shipped_revisions() -> tuple[frozenset[str], frozenset[str]]:
    """(heads, every revision) of the migrations that ship with this release."""
    scripts = ScriptDirectory(str(Path(migrations.__file__).parent))
    return frozenset(scripts.get_heads()), frozenset(r.revision for r in scripts.walk_revisions())


def current_revisions(engine: Engine) -> frozenset[str]:
    """The revisions the database was migrated to (empty: never migrated)."""
    with engine.connect() as conn:
        return frozenset(MigrationContext.configure(conn).get_current_heads())


def schema_problem(engine: Engine) -> str | None:
    """Why the database cannot be served by this release, or None when it is at the head."""
    current = current_revisions(engine)
    heads, known = shipped_revisions()
    if current == heads:
        return None
    where = describe(engine.url)
    have, need = ", ".join(sorted(current)), ", ".join(sorted(heads))
    if not current:
        return f"the database {where} has no tables yet: run `speedmatch db upgrade` first."
    if current - known:
        return (
            f"the database {where} is at revision {have}, which this release does not know: "
            "a newer release migrated it. Run that release (or a newer one)."
        )
    return (
        f"the database {where} is at revision {have} but this release needs {need}: "
        "run `speedmatch db upgrade` first."
    )


def check_schema(engine: Engine) -> None:
    """Raises SchemaNotCurrent unless the database is at this release's newest revision.

    A database that does not answer yet is only logged: requests then get 503 until it is back,
    as after a restart of the database, and the next start checks again.
    """
    try:
        problem = schema_problem(engine)
    except OperationalError as exc:
        log.warning("could not check the schema of %s: %s", describe(engine.url), reason(exc))
        return
    if problem is not None:
        raise SchemaNotCurrent(problem)


_engines: dict[str, Engine] = {}
_lock = threading.Lock()


def get_engine() -> Engine:
    """The shared engine for the configured database URL (one per URL per process)."""
    url = get_settings().effective_database_url
    with _lock:
        engine = _engines.get(url)
        if engine is None:
            engine = _engines[url] = make_engine(url)
        return engine


def dispose_engines() -> None:
    """Close every pooled connection (shutdown, tests switching databases)."""
    with _lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()


def get_session() -> Iterator[Session]:
    """FastAPI dependency: one session per request."""
    with session_scope() as session:
        yield session


@contextmanager
def session_scope() -> Iterator[Session]:
    """A session outside FastAPI's DI (websockets, background tasks, CLI); commits are explicit."""
    session = Session(get_engine(), expire_on_commit=False)
    try:
        yield session
    finally:
        try:
            session.close()
        except OperationalError:
            # The database dropped the connection (a restart, say) and the closing ROLLBACK
            # failed too. The request already has its answer (503); this must not replace it
            # with a dropped connection. Throw the dead connection away instead of pooling it.
            log.warning("closing a session failed: its database connection was lost")
            with suppress(Exception):
                session.invalidate()
