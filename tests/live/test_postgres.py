"""The live path on PostgreSQL (production's database), with real uvicorn and websocket clients."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from app.cli.db import upgrade
from tests.fixtures.live_server import LiveServerFactory
from tests.fixtures.services import PostgresServer
from tests.live.helpers import Client, apost, create_live_event, member_ids


@pytest.mark.postgres
def test_a_round_starts_and_ends_on_postgres_with_each_client_getting_its_room(
    live_factory: LiveServerFactory, postgres_server: PostgresServer
) -> None:
    name = f"live_{uuid.uuid4().hex[:10]}"
    url = postgres_server.create_database(name)
    upgrade(url)
    server = live_factory(url)
    live = create_live_event(url, 10, rounds=2)

    async def scenario() -> None:
        clients = {
            pid: await Client.participant(server.ws_url, token)
            for pid, token in live.tokens.items()
        }
        for client in clients.values():
            assert (await client.recv())["type"] == "state"
        assert (await apost(server.base_url, live, "start-round")).status_code == 200
        for pid, client in clients.items():
            assert member_ids(await client.recv_type("assignment")) == live.room_of(1, pid)
        ended = await apost(server.base_url, live, "end-round")
        assert ended.json()["round_status"] == "ended"
        for client in clients.values():
            assert (await client.recv_type("round_ended"))["round"] == 1
            await client.close()

    try:
        asyncio.run(scenario())
    finally:
        server.stop()
        postgres_server.drop_database(name)
