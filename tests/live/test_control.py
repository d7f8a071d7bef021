"""Organiser live control through the API, reflected to connected clients, and audited."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from sqlmodel import Session, select

from app.db import make_engine
from app.models import AuditLog, Event, Round
from tests.fixtures.live_server import LiveServer
from tests.live.helpers import Client, LiveEvent, create_live_event, post


def audit_actions(live: LiveEvent) -> list[str]:
    engine = make_engine(live.database_url)
    try:
        with Session(engine) as session:
            rows = session.exec(
                select(AuditLog.action).where(AuditLog.event_id == live.event_id)
            ).all()
            return list(rows)
    finally:
        engine.dispose()


def test_extend_pause_resume_end_and_room_broadcast_reach_clients_and_the_audit_log(
    running: LiveServer,
) -> None:
    live = create_live_event(running.database_url, 6, rounds=2)
    room_one = live.plan[0][0]
    outsider = next(pid for pid in live.tokens if pid not in room_one)

    async def scenario() -> None:
        org = await Client.organiser(running.ws_url, live.event_id, live.api_token)
        assert (await org.recv())["type"] == "state"
        a = await Client.participant(running.ws_url, live.tokens[room_one[0]])
        out = await Client.participant(running.ws_url, live.tokens[outsider])
        await a.recv()
        await out.recv()
        # The organiser sees people connect.
        seen = {(await org.recv_type("presence"))["participant_id"] for _ in range(2)}
        assert seen == {room_one[0], outsider}

        assert post(running.base_url, live, "start-round").status_code == 200
        first = await a.recv_type("assignment")
        await out.recv_type("assignment")
        started = await org.recv_type("round_started")
        assert started["round"] == 1
        org_state = await org.recv_type("state")
        assert len(org_state["rooms"]) == len(live.plan[0])
        assert {p["participant_id"] for p in org_state["presence"] if p["connected"]} == {
            room_one[0],
            outsider,
        }

        extended = post(running.base_url, live, "extend", {"seconds": 60}).json()
        state = await a.recv_type("state")
        gained = datetime.fromisoformat(state["round"]["ends_at"]) - datetime.fromisoformat(
            first["ends_at"]
        )
        assert gained.total_seconds() == 60
        assert extended["remaining_s"] > 480

        post(running.base_url, live, "pause")
        paused = await a.recv_type("state")
        assert paused["round"]["status"] == "paused"
        post(running.base_url, live, "resume")
        assert (await a.recv_type("state"))["round"]["status"] == "running"

        response = post(
            running.base_url, live, "broadcast", {"text": "Room 1: 2 minutes", "room": 1}
        )
        assert response.status_code == 200
        assert (await a.recv_type("broadcast"))["text"] == "Room 1: 2 minutes"
        post(running.base_url, live, "broadcast", {"text": "Hello all"})
        # The outsider never got the room-1 message: the next broadcast it sees is the general one.
        assert (await out.recv_type("broadcast"))["text"] == "Hello all"

        ended = post(running.base_url, live, "end-round").json()
        assert ended["round_status"] == "ended"
        assert (await a.recv_type("round_ended"))["round"] == 1
        for client in (org, a, out):
            await client.close()

    asyncio.run(scenario())
    assert {"start_round", "extend", "pause", "resume", "broadcast", "end_round"} <= set(
        audit_actions(live)
    )


def test_illegal_actions_get_a_clear_409_or_422_and_change_nothing(running: LiveServer) -> None:
    live = create_live_event(running.database_url, 4, rounds=1)
    response = post(running.base_url, live, "end-round")
    assert response.status_code == 409
    assert "No round is running" in response.json()["detail"]
    assert post(running.base_url, live, "extend", {"seconds": -5}).status_code == 422
    assert post(running.base_url, live, "broadcast", {"text": ""}).status_code == 422
    assert post(running.base_url, live, "start-round").status_code == 200
    again = post(running.base_url, live, "start-round")
    assert again.status_code == 409
    assert "still running" in again.json()["detail"]
    assert post(running.base_url, live, "end-round").json()["phase"] == "finished"
    assert post(running.base_url, live, "start-round").status_code == 409
    assert audit_actions(live).count("start_round") == 1


def test_room_mates_are_told_when_someone_leaves_mid_round(running: LiveServer) -> None:
    live = create_live_event(running.database_url, 4, rounds=1)
    leaver, stayer = live.plan[0][0][:2]

    async def scenario() -> None:
        a = await Client.participant(running.ws_url, live.tokens[leaver])
        b = await Client.participant(running.ws_url, live.tokens[stayer])
        await a.recv()
        await b.recv()
        assert post(running.base_url, live, "start-round").status_code == 200
        await b.recv_type("assignment")
        await a.close()
        async with asyncio.timeout(30):
            while True:  # a late "connected" notice for the leaver may come first under load
                gone = await b.recv_type("presence", timeout=30)
                if gone["connected"] is False:
                    break
        assert gone["participant_id"] == leaver
        await b.close()

    asyncio.run(scenario())


def test_a_move_by_the_organiser_tells_the_people_whose_room_changed(running: LiveServer) -> None:
    live = create_live_event(running.database_url, 6, rounds=1)
    mover = live.plan[0][0][0]
    target = live.plan[0][1]

    async def scenario() -> None:
        clients = {
            pid: await Client.participant(running.ws_url, live.tokens[pid]) for pid in live.tokens
        }
        for client in clients.values():
            await client.recv()
        assert post(running.base_url, live, "start-round").status_code == 200
        for client in clients.values():
            await client.recv_type("assignment")
        response = post(running.base_url, live, "move", {"participant_id": mover, "room": 2})
        assert response.status_code == 200, response.text
        # Allowed, but the organiser is told which rules it breaks (room 1 now has one person).
        assert any("room 1" in w for w in response.json()["details"]["warnings"])
        moved = await clients[mover].recv_type("assignment")
        assert moved["room"]["number"] == 2
        assert sorted(m["id"] for m in moved["room"]["members"]) == sorted([*target, mover])
        assert moved["notice"]
        told = await clients[target[0]].recv_type("assignment")
        assert mover in {m["id"] for m in told["room"]["members"]}
        for client in clients.values():
            await client.close()

    asyncio.run(scenario())


def test_a_change_whose_notification_was_lost_reaches_clients_through_the_version_tick(
    running: LiveServer,
) -> None:
    live = create_live_event(running.database_url, 4, rounds=1)
    pid = next(iter(live.tokens))

    async def scenario() -> None:
        client = await Client.participant(running.ws_url, live.tokens[pid])
        await client.recv()
        assert post(running.base_url, live, "start-round").status_code == 200
        first = await client.recv_type("assignment")
        # Another instance committed a change but its pub/sub notification never arrived.
        engine = make_engine(live.database_url)
        with Session(engine) as session:
            row = session.exec(select(Round).where(Round.event_id == live.event_id)).one()
            assert row.ends_at is not None
            row.ends_at = row.ends_at + timedelta(seconds=300)
            event = session.get(Event, live.event_id)
            assert event is not None
            event.state_version += 1
            session.add_all([row, event])
            session.commit()
        engine.dispose()
        healed = await client.recv_type("state", timeout=20)
        assert healed["version"] > first["version"]
        gained = datetime.fromisoformat(healed["round"]["ends_at"]) - datetime.fromisoformat(
            first["ends_at"]
        )
        assert gained.total_seconds() == 300
        await client.close()

    asyncio.run(scenario())
