"""The round start's path: its credentials check runs in the start's own session."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import select

from app.db import session_scope
from app.models import AuditLog, Event
from tests.live.helpers import create_live_event


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
