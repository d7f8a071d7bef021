"""People added, renamed or erased while the event is live: open pages show them as they are now."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from tests.fixtures.live_server import LiveServer
from tests.live.helpers import Client, LiveEvent, create_live_event, post


def participants_url(base_url: str, live: LiveEvent, rest: str = "") -> str:
    return f"{base_url}/api/v1/events/{live.event_id}/participants{rest}"


async def state_where(client: Client, found: Any) -> dict[str, Any]:
    """The first `state` the page gets that `found` accepts (the version tick sends it)."""
    async with asyncio.timeout(30):
        while True:
            state = await client.recv_type("state")
            if found(state):
                return state


def names(state: dict[str, Any]) -> set[str]:
    return {p["name"] for p in state["presence"]}


def test_a_walk_in_added_mid_round_is_named_on_the_organisers_live_page(
    running: LiveServer,
) -> None:
    live = create_live_event(running.database_url, 4, rounds=2)

    async def scenario() -> None:
        org = await Client.organiser(running.ws_url, live.event_id, live.api_token)
        await org.recv()
        assert post(running.base_url, live, "start-round").status_code == 200
        walk_in = {
            "name": "Inês Walk-in", "email": "ines@escola.example", "school": "Escola Nova",
            "country": "PT", "sector": "primary", "languages": ["en", "pt"],
        }  # fmt: skip
        added = httpx.post(
            participants_url(running.base_url, live), headers=live.headers(), json=walk_in
        )
        assert added.status_code == 201, added.text
        await state_where(org, lambda s: "Inês Walk-in" in names(s))
        await org.close()

    asyncio.run(scenario())


def test_someone_erased_mid_round_is_no_longer_named_on_open_pages(running: LiveServer) -> None:
    live = create_live_event(running.database_url, 4, rounds=2)
    erased = next(iter(live.tokens))

    async def scenario() -> None:
        org = await Client.organiser(running.ws_url, live.event_id, live.api_token)
        first = await org.recv()
        name = next(p["name"] for p in first["presence"] if p["participant_id"] == erased)
        assert post(running.base_url, live, "start-round").status_code == 200
        gone = httpx.post(
            participants_url(running.base_url, live, f"/{erased}/erase"), headers=live.headers()
        )
        assert gone.status_code == 204, gone.text
        await state_where(org, lambda s: name not in names(s))
        # A page opened afterwards is served the same, not the view cached before the erasure.
        late = await Client.organiser(running.ws_url, live.event_id, live.api_token)
        assert name not in names(await late.recv())
        for client in (org, late):
            await client.close()

    asyncio.run(scenario())
