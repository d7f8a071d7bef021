"""A re-issued personal link revokes the old one (docs/service.md): a socket opened with the old
link must not go on receiving the rooms of the coming rounds (names and schools of others)."""

from __future__ import annotations

import asyncio

import httpx

from tests.fixtures.live_server import LiveServer
from tests.live.helpers import Client, LiveEvent, apost, create_live_event, member_ids


async def reissue(base_url: str, live: LiveEvent, participant_id: str) -> str:
    async with httpx.AsyncClient(timeout=60) as client:
        response = await client.post(
            f"{base_url}/api/v1/events/{live.event_id}/participants/{participant_id}/link",
            headers=live.headers(),
        )
    assert response.status_code == 200, response.text
    token: str = response.json()["token"]
    return token


def test_a_socket_opened_with_a_re_issued_link_is_closed_and_told_nothing_more(
    running: LiveServer,
) -> None:
    live = create_live_event(running.database_url, 4, rounds=2)
    pid = sorted(live.tokens)[0]

    async def scenario() -> None:
        old = await Client.participant(running.ws_url, live.tokens[pid])
        assert (await old.recv())["type"] == "state"
        new_token = await reissue(running.base_url, live, pid)

        code, reason = await old.closed(timeout=30)  # within a version tick or two
        assert code == 4401, reason

        assert (await apost(running.base_url, live, "start-round")).status_code == 200
        new = await Client.participant(running.ws_url, new_token)
        state = await new.recv()
        assert state["type"] == "state"
        assert member_ids(state) == live.room_of(1, pid)
        await new.close()

    asyncio.run(scenario())


def test_an_organiser_socket_ends_when_its_api_token_is_revoked(running: LiveServer) -> None:
    live = create_live_event(running.database_url, 4, rounds=2)
    base = f"{running.base_url}/api/v1/organisers/me/tokens"

    async def scenario() -> None:
        org = await Client.organiser(running.ws_url, live.event_id, live.api_token)
        assert (await org.recv())["type"] == "state"
        async with httpx.AsyncClient(timeout=60, headers=live.headers()) as client:
            (mine,) = (await client.get(base)).json()
            assert (await client.delete(f"{base}/{mine['id']}")).status_code == 204

        code, reason = await org.closed(timeout=30)  # within a version tick or two
        assert code == 4401, reason

    asyncio.run(scenario())
