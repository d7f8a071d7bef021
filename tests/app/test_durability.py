"""The schema comes only from migrations, matches the models, and a restart loses nothing."""

import httpx
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect
from sqlmodel import Session, SQLModel

from app.cli.db import alembic_config, upgrade
from app.models import Organiser
from tests.factories import make_api_token, make_event, make_participants
from tests.fixtures.live_server import LiveServerFactory


def test_migrated_schema_equals_the_models(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diffs = compare_metadata(context, SQLModel.metadata)
            tables = set(inspect(conn).get_table_names())
    finally:
        engine.dispose()
    assert diffs == []
    assert {t.name for t in SQLModel.metadata.sorted_tables} <= tables


def test_migrations_downgrade_and_upgrade_again(database_url: str) -> None:
    command.downgrade(alembic_config(database_url), "base")
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            assert set(inspect(conn).get_table_names()) <= {"alembic_version"}
    finally:
        engine.dispose()
    upgrade(database_url)
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            assert "event" in inspect(conn).get_table_names()
    finally:
        engine.dispose()


def test_killing_the_server_loses_nothing(
    configured: str,
    session: Session,
    organiser: Organiser,
    live_server_factory: LiveServerFactory,
) -> None:
    event = make_event(session, organiser, rounds=2)
    make_participants(session, event, 8)
    bearer = {"Authorization": f"Bearer {make_api_token(session, organiser)}"}
    server = live_server_factory(configured)
    base = server.base_url + "/api/v1/events/" + event.id
    created = httpx.post(base + "/schedule", json={"time_limit_s": 2}, headers=bearer, timeout=60)
    assert created.status_code == 201, created.text
    links = httpx.post(base + "/links", headers=bearer, timeout=30).json()
    token = links[0]["token"]
    room_before = httpx.get(server.base_url + "/api/v1/me/room", params={"token": token}).json()
    server.kill()
    server.start()
    after = httpx.get(base + "/schedule", headers=bearer, timeout=30)
    assert after.json() == created.json()
    room_after = httpx.get(server.base_url + "/api/v1/me/room", params={"token": token}).json()
    assert room_after == room_before
    assert room_after["members"]
