"""A live move that makes a room too big, or one room of k + 1 more than the round's people
call for, is told to the organiser in plain words naming the room and its size (the page shows
`details.messages`), not as the planner's count of big rooms; the API's English `warnings`
stay the planner's text."""

from __future__ import annotations

from typing import Any

import httpx

from tests.fixtures.live_server import LiveServer
from tests.live.helpers import LiveEvent, create_live_event, post


def _move(running: LiveServer, live: LiveEvent, mover: str, room: int) -> dict[str, Any]:
    response = httpx.post(
        f"{running.base_url}/api/v1/events/{live.event_id}/live/move",
        headers={**live.headers(), "Accept-Language": "en"},
        json={"participant_id": mover, "room": room},
        timeout=60,
    )
    assert response.status_code == 200, response.text
    details: dict[str, Any] = response.json()["details"]
    return details


def _room_of(rooms: list[list[str]], size: int) -> int:
    return next(number for number, members in enumerate(rooms, start=1) if len(members) == size)


def test_a_room_of_k_plus_one_made_by_a_move_is_named_with_its_size(running: LiveServer) -> None:
    # Six people in rooms of 2: no room of 3 is planned; moving one makes rooms of 1 and 3.
    live = create_live_event(running.database_url, 6, rounds=1, room_size=2)
    mover, target = live.plan[0][0][0], 2
    assert post(running.base_url, live, "start-round").status_code == 200
    details = _move(running, live, mover, target)
    assert "round 1: 1 room of 3, but 6 seated needs exactly 0" in details["warnings"]
    said = "; ".join(details["messages"])
    assert "round 1, room 2: 3 people now, but with 6 seated every room is planned for 2" in said
    assert "round 1, room 1: 1 person now, but rooms are planned for 2 (3 at most)" in said
    assert "needs exactly" not in said


def test_a_move_into_the_room_of_k_plus_one_says_how_big_it_is_now(running: LiveServer) -> None:
    # Seven people in rooms of 2: one room of 3, as planned; a fourth in it is one too many.
    live = create_live_event(running.database_url, 7, rounds=1, room_size=2)
    big, small = _room_of(live.plan[0], 3), _room_of(live.plan[0], 2)
    mover = live.plan[0][small - 1][0]
    assert post(running.base_url, live, "start-round").status_code == 200
    details = _move(running, live, mover, big)
    said = "; ".join(details["messages"])
    assert f"round 1, room {big}: 4 people now, but rooms are planned for 2 (3 at most)" in said
    # The round's count of rooms of 3 is off only because of the room sizes just told.
    assert "rooms of 3" not in said
    assert "needs exactly" not in said
