"""Who may open which socket, and what bad messages do to a connection (and to nobody else)."""

from __future__ import annotations

import asyncio

from websockets.asyncio.client import connect

from tests.fixtures.live_server import LiveServer
from tests.live.helpers import Client, closed, create_live_event, member_ids, post


async def close_of(url: str, **kwargs: object) -> tuple[int | None, str]:
    """Connect and return the close code and reason the server sends."""
    async with connect(url, **kwargs) as ws:  # type: ignore[arg-type]
        await closed(ws)
        return ws.close_code, ws.close_reason or ""


def test_invalid_or_missing_tokens_are_refused_with_4401(running: LiveServer) -> None:
    async def scenario() -> None:
        code, reason = await close_of(f"{running.ws_url}/ws/participant?token=not-a-token")
        assert (code, reason) == (4401, "invalid participant token")
        code, _ = await close_of(f"{running.ws_url}/ws/participant")
        assert code == 4401
        live = create_live_event(running.database_url, 4, rounds=1)
        code, _ = await close_of(f"{running.ws_url}/ws/organiser/{live.event_id}?token=wrong")
        assert code == 4401

    asyncio.run(scenario())


def test_a_token_cannot_open_another_event_or_read_another_participants_room(
    running: LiveServer,
) -> None:
    mine = create_live_event(running.database_url, 6, rounds=1)
    other = create_live_event(running.database_url, 6, rounds=1)
    pid, token = next(iter(mine.tokens.items()))
    assert post(running.base_url, mine, "start-round").status_code == 200

    async def scenario() -> None:
        code, reason = await close_of(
            f"{running.ws_url}/ws/participant?token={token}&event_id={other.event_id}"
        )
        assert (code, reason) == (4403, "this token belongs to another event")
        # My organiser token does not open the other organiser's event either.
        code, _ = await close_of(
            f"{running.ws_url}/ws/organiser/{other.event_id}?token={mine.api_token}"
        )
        assert code == 4403
        # Over the socket I only ever see my own room.
        client = await Client.participant(running.ws_url, token)
        state = await client.recv()
        assert state["event_id"] == mine.event_id
        assert member_ids(state) == mine.room_of(1, pid)
        assert state["rooms"] == []
        assert state["presence"] == []
        await client.close()

    asyncio.run(scenario())
    # The other organiser's HTTP actions are refused too (reported as not found).
    response = post(
        running.base_url,
        other.__class__(**{**other.__dict__, "api_token": mine.api_token}),
        "start-round",
    )
    assert response.status_code == 404


def test_a_foreign_origin_is_refused_but_the_own_site_is_accepted(running: LiveServer) -> None:
    live = create_live_event(running.database_url, 2, rounds=1)
    token = next(iter(live.tokens.values()))
    url = f"{running.ws_url}/ws/participant?token={token}"

    async def scenario() -> None:
        code, reason = await close_of(url, origin="https://evil.example")
        assert (code, reason) == (4403, "origin not allowed")
        async with connect(url, origin=running.base_url) as ws:  # type: ignore[arg-type]
            assert '"type":"state"' in str(await asyncio.wait_for(ws.recv(), 10))

    asyncio.run(scenario())


def test_malformed_and_oversized_messages_close_only_that_connection_with_a_reason(
    running: LiveServer,
) -> None:
    live = create_live_event(running.database_url, 6, rounds=1)
    tokens = list(live.tokens.values())

    async def scenario() -> None:
        bad, big, good = [await Client.participant(running.ws_url, t) for t in tokens[:3]]
        for client in (bad, big, good):
            assert (await client.recv())["type"] == "state"
        await bad.ws.send("{not json")
        await big.ws.send('{"type": "ping", "pad": "' + "x" * 20_000 + '"}')
        assert await bad.closed() == (1008, "malformed message: not JSON")
        code, reason = await big.closed()
        assert code == 1009
        assert "too large" in reason
        # The well-behaved client still talks to the server and still gets pushes.
        await good.ws.send('{"type": "ping"}')
        assert (await good.recv_type("pong"))["version"] >= 0
        response = post(running.base_url, live, "broadcast", {"text": "Welcome!"})
        assert response.status_code == 200, response.text
        assert (await good.recv_type("broadcast"))["text"] == "Welcome!"
        await good.close()

    asyncio.run(scenario())
