"""Alembic environment: metadata from app.models, URL from app.settings (or the caller).

Every upgrade or downgrade runs as one transaction, on SQLite as on PostgreSQL, so a failed or
interrupted migration (Ctrl-C, a container stopped while it starts) leaves the database as it
was, and running it again works.
"""

from typing import Any

from alembic import context
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlmodel import SQLModel

import app.models  # noqa: F401 - registers every table on SQLModel.metadata
from app.db import make_engine
from app.settings import get_settings

config = context.config
target_metadata = SQLModel.metadata
# Any fixed number: concurrent `speedmatch db upgrade` runs (replicas starting together) take
# turns on it, and each later one finds the schema already migrated.
POSTGRES_LOCK = 7_104_220_531


def _configure(connection: Connection, **options: Any) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        compare_type=True,
        # SQLite cannot ALTER most things: batch mode recreates the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        **options,
    )


def _transactional_sqlite(engine: Engine) -> None:
    """Makes SQLite migrations atomic, and lets batch mode rebuild referenced tables."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        # Batch mode drops and re-creates a table; with foreign keys enforced, dropping one
        # that other rows reference (the organiser of an event) fails. The pragma cannot
        # change inside a transaction, so it is off for the whole run and checked at the end.
        dbapi_connection.execute("PRAGMA foreign_keys=OFF")
        # pysqlite begins a transaction only before INSERT/UPDATE/DELETE, so each CREATE or
        # ALTER committed on its own: an interrupted migration left half a schema behind.
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def _check_foreign_keys(connection: Connection) -> None:
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        tables = sorted({str(row[0]) for row in broken})
        raise RuntimeError(
            f"the migration left {len(broken)} rows whose foreign keys point nowhere "
            f"(tables: {', '.join(tables)}); nothing was changed"
        )


def run_migrations_offline() -> None:
    url = config.get_main_option("sqlalchemy.url") or get_settings().effective_database_url
    context.configure(
        url=url,
        target_metadata=target_metadata,
        literal_binds=True,
        compare_type=True,
        render_as_batch=url.startswith("sqlite"),
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    # A connection handed over by the caller wins; its transaction is the caller's.
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    url = config.get_main_option("sqlalchemy.url") or get_settings().effective_database_url
    engine = make_engine(url)
    sqlite = engine.dialect.name == "sqlite"
    if sqlite:
        _transactional_sqlite(engine)
    try:
        with engine.connect() as conn:
            _configure(conn, transactional_ddl=True)
            with context.begin_transaction():
                if conn.dialect.name == "postgresql":
                    conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({POSTGRES_LOCK})")
                context.run_migrations()
                if sqlite:
                    _check_foreign_keys(conn)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
