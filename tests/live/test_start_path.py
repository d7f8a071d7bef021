"""The round start's path: its credentials check in the start's own session, its statements
(app.live.statements), and the rehearsal that compiles its SQL ahead of time without leaving
anything in the database."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func
from sqlmodel import SQLModel, col, select

from app.db import dispose_engines, get_engine, session_scope
from app.errors import InvalidTransition
from app.live import service, statements, warm
from app.models import (
    ApiToken,
    AttendanceStatus,
    AuditLog,
    Event,
    Participant,
    Room,
    RoomMember,
    Round,
    RoundStatus,
)
from app.settings import get_settings
from bench import start_path
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


@pytest.mark.parametrize("backend", BACKENDS, indirect=True)
def test_a_revoked_token_starts_nothing_and_a_valid_one_records_its_use(
    configured: str, client: TestClient
) -> None:
    live = create_live_event(configured, 4, rounds=2)
    url = f"/api/v1/events/{live.event_id}/live/start-round"
    with session_scope() as session:
        token = session.exec(select(ApiToken)).one()
        assert token.last_used_at is None
        token.revoked = True
        session.add(token)
        session.commit()
    response = client.post(url, headers=live.headers())
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]
    with session_scope() as session:
        event = session.get(Event, live.event_id)
        assert event is not None
        assert event.current_round == 0
        token = session.exec(select(ApiToken)).one()
        token.revoked = False
        session.add(token)
        session.commit()

    assert client.post(url, headers=live.headers()).status_code == 200
    with session_scope() as session:
        assert session.exec(select(ApiToken)).one().last_used_at is not None
        actors = session.exec(select(AuditLog.actor).where(AuditLog.event_id == live.event_id))
        assert list(actors) == [f"organiser:{token.organiser_id}"]


def test_start_round_on_a_missing_event_asks_for_credentials_first(
    configured: str, client: TestClient
) -> None:
    live = create_live_event(configured, 4, rounds=2)
    url = "/api/v1/events/no-such-event/live/start-round"
    assert client.post(url).status_code == 401  # nothing told about ids without credentials
    response = client.post(url, headers=live.headers())
    assert response.status_code == 404
    assert "No such event" in response.json()["detail"]


@pytest.mark.parametrize("backend", BACKENDS, indirect=True)
def test_the_start_statements_refuse_a_start_someone_else_made(configured: str) -> None:
    live = create_live_event(configured, 6, rounds=2)
    with session_scope() as session:
        found = statements.event_rounds(session.connection(), live.event_id)
        assert found is not None
        assert sorted(found.rounds) == [1, 2]
        row = service.next_round(found)
        assert row.number == 1
        clock = row.clock().start(datetime.now(UTC), found.round_seconds)
        assert statements.store_clock(session.connection(), row.id, RoundStatus.PLANNED, clock)
        # The round is running now: a second start's conditional writes change nothing.
        assert not statements.store_clock(session.connection(), row.id, RoundStatus.PLANNED, clock)
        version = statements.claim_round(session.connection(), live.event_id, 1)
        assert version is not None
        assert statements.claim_round(session.connection(), live.event_id, 1) is None
        assert statements.bump(session.connection(), live.event_id) == version + 1
        session.commit()
    with session_scope() as session:
        again = statements.event_rounds(session.connection(), live.event_id)
        assert again is not None
        assert again.current_round == 1
        assert again.rounds[1].status == RoundStatus.RUNNING
        with pytest.raises(InvalidTransition, match="still running"):
            service.next_round(again)


@pytest.mark.parametrize("backend", BACKENDS, indirect=True)
def test_in_doubt_returns_only_the_seated_not_here_and_the_unseated(configured: str) -> None:
    live = create_live_event(configured, 8, rounds=2)
    seated_absent = live.plan[1][0][0]  # seated in round 2, then marked absent
    with session_scope() as session:
        person = session.get(Participant, seated_absent)
        assert person is not None
        person.attendance = AttendanceStatus.ABSENT
        session.add(person)
        # Someone here but seated nowhere from round 2 on: taken out of round 2's room.
        unseated = live.plan[1][1][0]
        room_ids = (
            select(Room.id).join(Round).where(Round.event_id == live.event_id, Round.number == 2)
        )
        for member in session.exec(
            select(RoomMember).where(
                RoomMember.participant_id == unseated, col(RoomMember.room_id).in_(room_ids)
            )
        ):
            session.delete(member)
        session.commit()
        rows = statements.in_doubt(session.connection(), live.event_id, 2)
    assert sorted((pid, seated) for pid, _, _, seated in rows) == sorted(
        [(seated_absent, True), (unseated, False)]
    )


def test_the_start_path_benchmark_runs_its_starts_on_a_fresh_event(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `python -m bench start-path` as documented in docs/benchmarks.md: it seeds its own
    # SQLite event, so the settings it points there are put back afterwards.
    monkeypatch.setenv("SPEEDMATCH_DATABASE_URL", f"sqlite:///{tmp_path / 'unused.sqlite3'}")
    try:
        report = start_path.run(tmp_path, people=6, starts=3, warm_up=1)
    finally:
        dispose_engines()
        get_settings.cache_clear()
    assert report.startswith("6 people, 3 starts after 1 untimed:")
    assert "6 SQL statements per start" in report
