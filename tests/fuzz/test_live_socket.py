"""Random frames against a real uvicorn: each bad frame closes only its own socket, with a code
and a readable reason; the server keeps serving everyone else."""

from __future__ import annotations

import asyncio
import json

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from tests.fixtures.live_server import LiveServer, LiveServerFactory
from tests.live.helpers import Client, create_live_event

frames = st.one_of(
    st.text(max_size=200),
    st.binary(max_size=200),
    st.builds(
        lambda kind, extra: json.dumps({"type": kind, **extra}),
        st.sampled_from(["ping", "hello", "resync", "state", "assignment", ""]),
        st.dictionaries(st.text(max_size=90), st.integers() | st.text(max_size=20), max_size=2),
    ),
)


async def answer(url: str, frame: str | bytes) -> tuple[str, object]:
    """("reply", message type) when the server answered, ("closed", (code, reason)) otherwise."""
    async with connect(url, open_timeout=30) as ws:
        assert json.loads(await asyncio.wait_for(ws.recv(), 15))["type"] == "state"
        await ws.send(frame)
        try:
            reply = json.loads(await asyncio.wait_for(ws.recv(), 15))
        except ConnectionClosed:
            return "closed", (ws.close_code, ws.close_reason)
        return "reply", reply["type"]


def test_random_frames_get_an_answer_or_a_clean_close(
    live_server_factory: LiveServerFactory,
) -> None:
    server: LiveServer = live_server_factory()
    live = create_live_event(server.database_url, 4, rounds=1)
    tokens = list(live.tokens.values())
    url = f"{server.ws_url}/ws/participant?token={tokens[0]}"
    outcomes: list[tuple[str, object]] = []

    @settings(
        max_examples=40, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(frames)
    @example(json.dumps({"type": "ping", "é" * 100: 1}))
    @example(json.dumps({"type": "ping"}))
    def one(frame: str | bytes) -> None:
        kind, detail = asyncio.run(answer(url, frame))
        outcomes.append((kind, detail))
        if kind == "reply":
            assert detail in ("pong", "state")
        else:
            assert isinstance(detail, tuple)
            assert detail[0] in (1008, 1009), (frame, detail)
            assert detail[1]

    one()
    assert ("reply", "pong") in outcomes
    assert any(kind == "closed" for kind, _ in outcomes)

    async def still_serving() -> None:
        other = await Client.participant(server.ws_url, tokens[1])
        assert (await other.recv())["type"] == "state"
        await other.ws.send('{"type": "ping"}')
        assert (await other.recv_type("pong"))["type"] == "pong"
        await other.close()

    asyncio.run(still_serving())
    assert server.running
