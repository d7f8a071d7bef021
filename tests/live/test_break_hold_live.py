"""Holding the break between rounds with auto-advance, over real HTTP and real websockets: the
participants are told, nothing starts while held, and the break runs on after "Resume"."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import httpx

from tests.fixtures.live_server import LiveServer
from tests.live.helpers import Client, apost, create_live_event


async def state_where(client: Client, held: bool) -> dict[str, Any]:
    """The next `state` whose break is held (or not): the round's end sent one before."""
    while True:
        state = await client.recv_type("state")
        if (state["round"]["held_break_s"] is not None) == held:
            return state


def test_a_held_break_is_told_to_participants_and_the_next_round_waits_for_resume(
    running: LiveServer,
) -> None:
    live = create_live_event(
        running.database_url, 4, rounds=2, round_seconds=2, break_seconds=6, auto_advance=True
    )
    pid = next(iter(live.tokens))

    async def status() -> dict[str, object]:
        async with httpx.AsyncClient(timeout=60) as client:
            url = f"{running.base_url}/api/v1/events/{live.event_id}/live"
            response = await client.get(url, headers=live.headers())
            assert response.status_code == 200, response.text
            data: dict[str, object] = response.json()
            return data

    async def scenario() -> None:
        client = await Client.participant(running.ws_url, live.tokens[pid])
        await client.recv()
        assert (await apost(running.base_url, live, "start-round")).status_code == 200
        assert (await client.recv_type("assignment"))["round"] == 1
        ended = await client.recv_type("round_ended", timeout=20)
        break_over = datetime.fromisoformat(ended["next_round_at"])

        held = await apost(running.base_url, live, "pause?round=1")
        assert held.status_code == 200, held.text
        assert 0 < held.json()["details"]["held_break_s"] <= 6
        assert held.json()["held_break_s"] == held.json()["details"]["held_break_s"]
        state = await state_where(client, held=True)
        assert state["round"]["status"] == "ended"
        assert 0 < state["round"]["held_break_s"] <= 6

        # Well past the break's end, round 1 is still the current one.
        await asyncio.sleep((break_over - datetime.now(UTC)).total_seconds() + 2)
        now = await status()
        assert now["current_round"] == 1
        assert now["held_break_s"] is not None

        resumed = await apost(running.base_url, live, "resume?round=1")
        assert resumed.status_code == 200, resumed.text
        assert resumed.json()["details"]["next_round_at"] is not None
        await state_where(client, held=False)
        assert (await client.recv_type("assignment", timeout=20))["round"] == 2
        await client.close()

    asyncio.run(scenario())


def test_extend_during_the_break_is_refused(running: LiveServer) -> None:
    live = create_live_event(running.database_url, 4, rounds=2, auto_advance=True)

    async def scenario() -> None:
        assert (await apost(running.base_url, live, "start-round")).status_code == 200
        assert (await apost(running.base_url, live, "end-round")).status_code == 200
        refused = await apost(running.base_url, live, "extend?round=1", {"seconds": 60})
        assert refused.status_code == 409, refused.text

    asyncio.run(scenario())
