"""Migrations on databases that hold data, that fail half-way, or that replicas run at once."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, func, inspect, select, text
from sqlmodel import Session, SQLModel

from app.cli.db import alembic_config, upgrade
from app.models import Organiser
from app.schedule import service as schedule_service
from app.settings import get_settings
from tests.factories import make_api_token, make_event, make_participants
from tests.fixtures.database import BOTH_DATABASES
from tests.fixtures.services import PostgresServer
from tests.ops.helpers import ROOT, environment, speedmatch


def row_counts(url: str) -> dict[str, int]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return {
                table.name: conn.execute(select(func.count()).select_from(table)).scalar_one()
                for table in SQLModel.metadata.sorted_tables
            }
    finally:
        engine.dispose()


def schema_differences(url: str) -> list[object]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            return list(compare_metadata(context, SQLModel.metadata))
    finally:
        engine.dispose()


def broken_foreign_keys(url: str) -> list[tuple[object, ...]]:
    if not url.startswith("sqlite"):
        return []  # PostgreSQL enforces them in every statement
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.exec_driver_sql("PRAGMA foreign_key_check")]
    finally:
        engine.dispose()


@pytest.fixture
def planned_event(configured: str, session: Session, organiser: Organiser) -> str:
    """The test's database at head, holding an organiser, a token and a planned event."""
    event = make_event(session, organiser, rounds=2)
    make_participants(session, event, 6)
    make_api_token(session, organiser)
    schedule_service.generate_schedule(
        session, event=event, settings=get_settings(), actor="test", time_limit_s=1
    )
    session.close()
    return configured


@BOTH_DATABASES
def test_a_database_with_events_goes_down_to_an_old_release_and_up_again_keeping_them(
    planned_event: str,
) -> None:
    # 0003-0005 rebuild the organiser table on SQLite, which events and tokens reference:
    # with foreign keys enforced while migrating, dropping it failed ("FOREIGN KEY constraint
    # failed") and left the database half-migrated, so no release after 0002 could be deployed.
    before = row_counts(planned_event)
    assert before["event"] == 1
    assert before["roommember"] > 0
    command.downgrade(alembic_config(planned_event), "0002")
    upgrade(planned_event)
    assert row_counts(planned_event) == before
    assert broken_foreign_keys(planned_event) == []
    assert schema_differences(planned_event) == []


@BOTH_DATABASES
def test_a_database_with_data_goes_down_to_base_and_up_to_head_again(planned_event: str) -> None:
    command.downgrade(alembic_config(planned_event), "base")
    engine = create_engine(planned_event)
    try:
        with engine.connect() as conn:
            assert set(inspect(conn).get_table_names()) <= {"alembic_version"}
    finally:
        engine.dispose()
    upgrade(planned_event)
    assert set(row_counts(planned_event).values()) == {0}
    assert schema_differences(planned_event) == []


def test_a_migration_that_fails_on_sqlite_leaves_the_database_as_it_was(tmp_path: Path) -> None:
    # A table in the way makes the first migration fail part-way (as Ctrl-C or a stopped
    # container would interrupt it). SQLite used to commit each CREATE on its own: the tables
    # made before the failure stayed, and every later `db upgrade` failed on them.
    path = tmp_path / "speedmatch.sqlite3"
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE room (note TEXT)"))
        env = environment(SPEEDMATCH_DATABASE_URL=f"sqlite:///{path}")
        failed = speedmatch("db", "upgrade", env=env)
        assert failed.returncode == 1
        assert "Traceback" not in failed.stderr
        assert "room" in failed.stderr
        with engine.connect() as conn:
            assert inspect(conn).get_table_names() == ["room"]
        with engine.begin() as conn:
            conn.execute(text("DROP TABLE room"))
    finally:
        engine.dispose()
    again = speedmatch("db", "upgrade", env=env)
    assert again.returncode == 0, again.stderr
    assert schema_differences(f"sqlite:///{path}") == []


def waiting_on_locks(server: PostgresServer, database: str) -> int:
    with server.admin() as conn:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'",
            (database,),
        ).fetchall()
    return len(rows)


@pytest.mark.postgres
def test_two_replicas_migrating_a_fresh_postgres_database_at_once_both_succeed(
    postgres_server: PostgresServer,
) -> None:
    # Replicas that start together each run `speedmatch db upgrade` (compose.yaml, the image's
    # command). Without taking turns, one of them failed on tables the other had just made.
    name = "ops_two_replicas"
    url = postgres_server.create_database(name)
    env = environment(SPEEDMATCH_DATABASE_URL=url)
    replicas: list[subprocess.Popen[str]] = []
    # Held open until both replicas wait behind it, so that they then go at the same moment.
    gate = psycopg.connect(url.replace("postgresql+psycopg", "postgresql"))
    try:
        gate.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
        replicas = [
            subprocess.Popen(
                [sys.executable, "-m", "app.cli", "db", "upgrade"],
                env=env,
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        deadline = time.monotonic() + 120
        while waiting_on_locks(postgres_server, name) < 2:
            assert all(r.poll() is None for r in replicas), [r.communicate() for r in replicas]
            assert time.monotonic() < deadline, "the replicas never reached the database"
            time.sleep(0.2)
        gate.rollback()
        results = [(r.wait(timeout=120), r.communicate()[1]) for r in replicas]
    finally:
        gate.close()
        for replica in replicas:
            if replica.poll() is None:
                replica.kill()
                replica.wait()
    try:
        assert [code for code, _ in results] == [0, 0], results
        assert schema_differences(url) == []
    finally:
        postgres_server.drop_database(name)
