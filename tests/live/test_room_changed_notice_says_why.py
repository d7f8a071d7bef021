"""A round start that re-plans tells the people whose room changed why: someone joined (a walk-in
or late arrival, nobody missing), or someone could not come (also when someone joined as well).
Until 2026-11-29 a walk-in's new room-mates were told "someone could not come"."""

from __future__ import annotations

import asyncio
import html
import re

import httpx

from app.live.dispatch import JOINED, ROOM_CHANGED
from app.models import AttendanceStatus
from tests.fixtures.live_server import LiveServer
from tests.live.helpers import Client, LiveEvent, create_live_event, member_ids, post
from tests.live.test_walk_in_joins_mid_event import add_walk_in, in_round_two_with_a_walk_in


def page_notice(base_url: str, token: str) -> str | None:
    """The room notice a reload of the participant's page shows (English page)."""
    page = httpx.get(f"{base_url}/p/{token}", timeout=30).text
    found = re.search(r'id="room-notice">([^<]*)</p>', page)
    return html.unescape(found.group(1)) if found else None


def test_room_mates_of_a_walk_in_are_told_someone_joined(running: LiveServer) -> None:
    live, walk_in, token = in_round_two_with_a_walk_in(running.base_url, running.database_url)

    async def scenario() -> set[str]:
        others = {
            pid: await Client.participant(running.ws_url, live.tokens[pid]) for pid in live.tokens
        }
        wanda = await Client.participant(running.ws_url, token)
        for client in [*others.values(), wanda]:
            await client.recv_type("state")
        assert post(running.base_url, live, "end-round").status_code == 200
        started = post(running.base_url, live, "start-round")
        assert started.status_code == 200, started.text
        assert started.json()["details"]["late"] == [walk_in]
        assert started.json()["details"]["absent"] == []  # nobody missing: only she came
        her_mates = set(member_ids(await wanda.recv_type("assignment")) or []) - {walk_in}
        assert her_mates
        told = set()
        for pid, client in others.items():
            notice = (await client.recv_type("assignment"))["notice"]
            if pid in her_mates:
                assert notice == JOINED  # their room changed because she joined it
            if notice is not None:
                assert notice == JOINED  # nobody is told someone could not come
                told.add(pid)
        for client in [*others.values(), wanda]:
            await client.close()
        return told

    told = asyncio.run(scenario())
    assert told
    for pid in told:  # a reload says the same
        assert page_notice(running.base_url, live.tokens[pid]) == JOINED


def test_room_mates_of_a_no_show_are_told_someone_could_not_come(running: LiveServer) -> None:
    live = create_live_event(
        running.database_url, 8, rounds=3, attendance=AttendanceStatus.EXPECTED
    )
    no_show = next(iter(live.tokens))
    stranded = set(live.room_of(1, no_show) or []) - {no_show}
    told = asyncio.run(start_without(running, live, live.tokens, absent=no_show, late=[]))
    assert stranded <= told
    for pid in told:
        assert page_notice(running.base_url, live.tokens[pid]) == ROOM_CHANGED


def test_someone_missing_is_said_also_when_someone_joined(running: LiveServer) -> None:
    live = create_live_event(
        running.database_url, 8, rounds=3, attendance=AttendanceStatus.EXPECTED
    )
    walk_in, token = add_walk_in(running.base_url, live)
    no_show = next(iter(live.tokens))
    stranded = set(live.room_of(1, no_show) or []) - {no_show}
    tokens = {**live.tokens, walk_in: token}
    told = asyncio.run(start_without(running, live, tokens, absent=no_show, late=[walk_in]))
    assert walk_in not in told  # her first room is no news
    assert stranded <= told
    for pid in told:
        assert page_notice(running.base_url, tokens[pid]) == ROOM_CHANGED


async def start_without(
    running: LiveServer, live: LiveEvent, tokens: dict[str, str], *, absent: str, late: list[str]
) -> set[str]:
    """Starts round 1 with everyone in `tokens` but `absent` connected; who was told their room
    changed (each told "someone could not come")."""
    clients = {
        pid: await Client.participant(running.ws_url, token)
        for pid, token in tokens.items()
        if pid != absent
    }
    for client in clients.values():
        await client.recv_type("state")
    started = post(running.base_url, live, "start-round")
    assert started.status_code == 200, started.text
    assert started.json()["details"]["absent"] == [absent]
    assert started.json()["details"]["late"] == late
    told = set()
    for pid, client in clients.items():
        message = await client.recv_type("assignment")
        if message["notice"] is not None:
            assert message["notice"] == ROOM_CHANGED
            told.add(pid)
    for client in clients.values():
        await client.close()
    return told
