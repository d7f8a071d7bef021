"""The organiser's "absent" sticks across reconnects (a page left open reconnects after a network
blip); "mark present" undoes it. A no-show who arrives still becomes `late`
(test_lifecycle_edges)."""

from __future__ import annotations

import asyncio
import json

from tests.fixtures.live_server import LiveServer
from tests.live.helpers import (
    Client,
    LiveEvent,
    attendance_of,
    create_live_event,
    post,
    stored_rooms,
)


def seated_in(live: LiveEvent, number: int, participant_id: str) -> bool:
    rooms = stored_rooms(live.database_url, live.event_id, number)
    return any(participant_id in room for room in rooms)


async def reconnect(ws_url: str, token: str) -> None:
    """A page that connects again, until the server has noted its attendance."""
    client = await Client.participant(ws_url, token)
    assert (await client.recv())["type"] == "state"
    # Attendance is noted before the server reads the socket: the pong comes after it.
    await client.ws.send(json.dumps({"type": "ping"}))
    await client.recv_type("pong")
    await client.close()


def next_round(running: LiveServer, live: LiveEvent) -> None:
    assert post(running.base_url, live, "end-round").status_code == 200
    assert post(running.base_url, live, "start-round").status_code == 200


def test_someone_marked_absent_who_reconnects_stays_absent_and_is_not_seated(
    running: LiveServer,
) -> None:
    live = create_live_event(running.database_url, 6, rounds=3)
    leaving = live.plan[0][0][0]
    assert post(running.base_url, live, "start-round").status_code == 200

    async def scenario() -> None:
        await reconnect(running.ws_url, live.tokens[leaving])
        marked = post(running.base_url, live, "absent", {"participant_id": leaving})
        assert marked.status_code == 200
        await reconnect(running.ws_url, live.tokens[leaving])  # the tab left open, a blip

    asyncio.run(scenario())
    assert attendance_of(live.database_url, leaving) == "absent"
    next_round(running, live)
    assert not seated_in(live, 2, leaving)  # nobody waits alone for them


def test_mark_present_seats_someone_again_from_the_next_round(running: LiveServer) -> None:
    live = create_live_event(running.database_url, 6, rounds=3)
    back = live.plan[0][0][0]
    assert post(running.base_url, live, "start-round").status_code == 200
    assert post(running.base_url, live, "absent", {"participant_id": back}).status_code == 200
    next_round(running, live)  # round 2 re-planned without them
    assert not seated_in(live, 2, back)

    assert post(running.base_url, live, "present", {"participant_id": back}).status_code == 200
    assert attendance_of(live.database_url, back) == "late"
    next_round(running, live)
    assert seated_in(live, 3, back)


def test_mark_present_before_the_next_round_keeps_their_planned_rooms(
    running: LiveServer,
) -> None:
    live = create_live_event(running.database_url, 6, rounds=2)
    pid = live.plan[1][0][0]
    assert post(running.base_url, live, "start-round").status_code == 200
    assert post(running.base_url, live, "absent", {"participant_id": pid}).status_code == 200
    assert post(running.base_url, live, "present", {"participant_id": pid}).status_code == 200
    assert attendance_of(live.database_url, pid) == "present"

    async def scenario() -> None:
        await reconnect(running.ws_url, live.tokens[pid])

    asyncio.run(scenario())
    next_round(running, live)
    assert sorted(stored_rooms(live.database_url, live.event_id, 2)) == sorted(live.plan[1])


def test_mark_present_of_someone_not_in_the_event_is_404(running: LiveServer) -> None:
    live = create_live_event(running.database_url, 4, rounds=1)
    response = post(running.base_url, live, "present", {"participant_id": "nobody"})
    assert response.status_code == 404
    assert response.json()["detail"] == "No such participant in this event."
