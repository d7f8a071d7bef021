"""A decision that changes whom someone may see pushes `contacts_changed` to that person's
sockets only: not to anyone else, and not when it changes nothing they may see (a "no")."""

from __future__ import annotations

import asyncio

import httpx

from tests.fixtures.live_server import LiveServer
from tests.live.helpers import Client, LiveEvent, create_live_event, post


def decide(server: LiveServer, live: LiveEvent, who: str, about: str, *, share: bool) -> None:
    saved = httpx.put(
        f"{server.base_url}/api/v1/me/decisions/{about}",
        params={"token": live.tokens[who]},
        json={"share": share},
        timeout=30,
    )
    assert saved.status_code == 200, saved.text


async def told_until_pong(client: Client) -> int:
    """How many `contacts_changed` were queued for `client` before a ping's answer (a socket's
    messages keep their order); other pushes (presence, clock) are not counted."""
    await client.ws.send('{"type": "ping"}')
    told = 0
    while (message := await client.recv())["type"] != "pong":
        told += message["type"] == "contacts_changed"
    return told


def test_only_those_whose_contacts_changed_are_told(running: LiveServer) -> None:
    live = create_live_event(running.database_url, 4, rounds=2)
    me = next(iter(live.tokens))
    mate = next(m for m in live.room_of(1, me) or [] if m != me)
    outsider = next(p for p in live.tokens if p not in (me, mate))

    async def scenario() -> None:
        clients = {
            pid: await Client.participant(running.ws_url, live.tokens[pid])
            for pid in (me, mate, outsider)
        }
        for client in clients.values():
            await client.recv_type("state")
        assert post(running.base_url, live, "start-round").status_code == 200
        for client in clients.values():
            await client.recv_type("assignment")

        decide(running, live, me, mate, share=True)  # mutual consent: nobody sees anyone yet
        decide(running, live, mate, me, share=False)  # a "no" the other side must not learn of
        decide(running, live, mate, me, share=True)  # now both see each other
        assert await told_until_pong(clients[me]) == 1
        assert await told_until_pong(clients[mate]) == 1
        assert await told_until_pong(clients[outsider]) == 0
        for client in clients.values():
            await client.close()

    asyncio.run(scenario())
