"""The round start's path: its credentials check in the start's own session, and the rehearsal
that compiles its SQL ahead of time without leaving anything in the database."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func
from sqlmodel import SQLModel, select

from app.db import get_engine, session_scope
from app.live import warm
from app.models import AuditLog, Event, Round, RoundStatus
from tests.fixtures.database import BACKENDS
from tests.live.helpers import create_live_event


def row_counts() -> dict[str, int]:
    with session_scope() as session:
        return {
            table.name: session.exec(select(func.count()).select_from(table)).one()
            for table in SQLModel.metadata.sorted_tables
        }


@pytest.mark.parametrize("backend", BACKENDS, indirect=True)
def test_the_rehearsal_leaves_no_trace_and_the_real_start_still_works(
    configured: str, client: TestClient
) -> None:
    live = create_live_event(configured, 4, rounds=2)
    before = row_counts()
    with session_scope() as session:
        event_before = session.get(Event, live.event_id)
    warm.rehearse(get_engine())
    warm.rehearse(get_engine())
    assert row_counts() == before

    url = f"/api/v1/events/{live.event_id}/live/start-round"
    response = client.post(url, headers=live.headers())
    assert response.status_code == 200, response.text
    assert response.json()["current_round"] == 1
    with session_scope() as session:
        event = session.get(Event, live.event_id)
        assert event is not None
        assert event_before is not None
        assert event.state_version == event_before.state_version + 1
        row = session.exec(
            select(Round).where(Round.event_id == live.event_id, Round.number == 1)
        ).one()
        assert row.status == RoundStatus.RUNNING
        actions = session.exec(
            select(AuditLog.action).where(AuditLog.event_id == live.event_id)
        ).all()
        assert list(actions) == ["start_round"]


def test_start_round_without_valid_credentials_starts_nothing(
    configured: str, client: TestClient
) -> None:
    live = create_live_event(configured, 4, rounds=2)
    other = create_live_event(configured, 4, rounds=2)
    url = f"/api/v1/events/{live.event_id}/live/start-round"

    assert client.post(url).status_code == 401
    assert client.post(url, headers={"Authorization": "Bearer wrong"}).status_code == 401
    # Another organiser's valid token: reported as not found, so ids cannot be probed.
    assert client.post(url, headers=other.headers()).status_code == 404
    with session_scope() as session:
        event = session.get(Event, live.event_id)
        assert event is not None
        assert event.current_round == 0
        assert not session.exec(select(AuditLog).where(AuditLog.event_id == live.event_id)).all()

    response = client.post(url, headers=live.headers())
    assert response.status_code == 200, response.text
    assert response.json()["current_round"] == 1
