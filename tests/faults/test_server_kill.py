"""SIGKILL the server mid-round and mid-schedule-generation: nothing is lost, clients resume."""

from __future__ import annotations

import asyncio
import threading
import time

import httpx
import pytest
from sqlmodel import Session, select

from app.db import make_engine
from app.models import Event, EventPhase, Room, Round
from bench.soak import plan_problems
from tests.factories import make_api_token, make_event, make_organiser, make_participants
from tests.faults.helpers import decisions
from tests.fixtures.live_server import LiveServerFactory
from tests.live.helpers import Client, create_live_event, member_ids, post


@pytest.mark.slow
def test_sigkill_mid_round_loses_no_decision_and_clients_resume_in_their_rooms(
    live_server_factory: LiveServerFactory,
) -> None:
    server = live_server_factory()
    live = create_live_event(server.database_url, 16, rounds=3)
    assert post(server.base_url, live, "start-round").status_code == 200
    # Four people record a decision about their room-mate during the round.
    deciders = sorted(live.tokens)[:4]
    for pid in deciders:
        mate = next(m for m in live.room_of(1, pid) or [] if m != pid)
        response = httpx.put(
            f"{server.base_url}/api/v1/me/decisions/{mate}",
            params={"token": live.tokens[pid]},
            json={"share": True, "met": True},
        )
        assert response.status_code == 200, response.text
    recorded = decisions(server.database_url, live.event_id)
    assert len(recorded) == 4

    async def connect_all() -> dict[str, Client]:
        clients = {
            pid: await Client.participant(server.ws_url, t) for pid, t in live.tokens.items()
        }
        for pid, client in clients.items():
            state = await client.recv()
            assert member_ids(state) == live.room_of(1, pid)
        return clients

    async def scenario() -> None:
        clients = await connect_all()
        server.kill()  # SIGKILL: no shutdown, no goodbye to the sockets
        for client in clients.values():
            code, _ = await client.closed(timeout=15)
            assert code != 1000  # the connection dropped; it was not closed normally
        server.start()
        clients = await connect_all()  # every client is back in the room it had
        response = await asyncio.to_thread(post, server.base_url, live, "end-round")
        assert response.status_code == 200, response.text
        response = await asyncio.to_thread(post, server.base_url, live, "start-round")
        assert response.json()["current_round"] == 2
        for pid, client in clients.items():
            message = await client.recv_type("assignment", timeout=30)
            assert member_ids(message) == live.room_of(2, pid)
            await client.close()

    asyncio.run(scenario())
    assert decisions(server.database_url, live.event_id) == recorded


@pytest.mark.slow
def test_sigkill_during_schedule_generation_leaves_no_half_plan(
    live_server_factory: LiveServerFactory,
) -> None:
    server = live_server_factory()
    engine = make_engine(server.database_url)
    with Session(engine, expire_on_commit=False) as session:
        organiser = make_organiser(session)
        token = make_api_token(session, organiser)
        event = make_event(session, organiser, phase=EventPhase.OPEN, rounds=4, room_size=3)
        make_participants(session, event, 90)
    engine.dispose()
    auth = {"Authorization": f"Bearer {token}"}
    url = f"{server.base_url}/api/v1/events/{event.id}/schedule"
    outcome: list[object] = []

    def generate() -> None:
        try:
            outcome.append(httpx.post(url, headers=auth, json={"time_limit_s": 30}, timeout=60))
        except httpx.HTTPError as exc:
            outcome.append(exc)

    request = threading.Thread(target=generate)
    request.start()
    time.sleep(2.5)  # the solver is running now
    server.kill()
    request.join(timeout=30)
    assert outcome
    assert isinstance(outcome[0], httpx.HTTPError)  # the organiser saw the request fail
    server.start()
    # Nothing half-written: no plan, no rounds, the event still open for a new attempt.
    assert httpx.get(url, headers=auth).status_code == 404
    engine = make_engine(server.database_url)
    with Session(engine) as session:
        rounds = session.exec(select(Round).where(Round.event_id == event.id)).all()
        assert rounds == []
        assert session.exec(select(Room)).all() == []
        stored = session.get(Event, event.id)
        assert stored is not None
        assert stored.phase == EventPhase.OPEN
    engine.dispose()
    again = httpx.post(url, headers=auth, json={"time_limit_s": 3}, timeout=120)
    assert again.status_code == 201, again.text
    assert plan_problems(server.database_url, event.id) == []
