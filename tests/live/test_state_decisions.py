"""A participant's `state` carries their contact decisions so far, also made since the last
change of the event (decisions do not bump its version, so a cached view may not have them)."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from tests.fixtures.live_server import LiveServer
from tests.live.helpers import Client, create_live_event, post


def decisions(state: dict[str, Any]) -> list[tuple[str, bool]]:
    return [(d["to_participant_id"], d["share"]) for d in state["decisions"]]


def test_reconnect_and_resync_show_the_decision_made_a_moment_ago(running: LiveServer) -> None:
    live = create_live_event(running.database_url, 4, rounds=2)
    me = next(iter(live.tokens))
    mate = next(m for m in live.room_of(1, me) or [] if m != me)

    async def scenario() -> None:
        first = await Client.participant(running.ws_url, live.tokens[me])
        assert decisions(await first.recv()) == []
        assert post(running.base_url, live, "start-round").status_code == 200
        await first.recv_type("assignment")
        saved = httpx.put(
            f"{running.base_url}/api/v1/me/decisions/{mate}",
            params={"token": live.tokens[me]},
            json={"share": True},
            timeout=30,
        )
        assert saved.status_code == 200, saved.text
        # The same socket asks for a fresh snapshot; a new socket gets one first thing.
        await first.ws.send('{"type": "resync"}')
        assert decisions(await first.recv_type("state")) == [(mate, True)]
        again = await Client.participant(running.ws_url, live.tokens[me])
        assert decisions(await again.recv()) == [(mate, True)]
        for client in (first, again):
            await client.close()

    asyncio.run(scenario())
