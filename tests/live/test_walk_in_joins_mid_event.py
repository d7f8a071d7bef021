"""Someone added while the event is live (a walk-in) joins at the next round start: their first
room is not announced as a changed one, and the rounds before they came are not "done" for them."""

from __future__ import annotations

import asyncio
import html
import re

import httpx
from sqlmodel import Session

from app.db import make_engine
from app.live.noshow import stored_rounds
from tests.fixtures.live_server import LiveServer
from tests.live.helpers import Client, LiveEvent, create_live_event, member_ids, post


def add_walk_in(base_url: str, live: LiveEvent) -> tuple[str, str]:
    """(participant id, link token) of someone the organiser adds now."""
    api = f"{base_url}/api/v1/events/{live.event_id}"
    added = httpx.post(
        f"{api}/participants",
        headers=live.headers(),
        json={
            "name": "Wanda Walk-in",
            "email": "wanda@walk-in.example",
            "school": "A school nobody else is from",
            "country": "IS",
            "sector": "secondary",
            "languages": ["en", "de", "fr", "es", "it", "nl", "pl", "pt"],
        },
        timeout=30,
    )
    assert added.status_code == 201, added.text
    walk_in = str(added.json()["id"])
    link = httpx.post(f"{api}/participants/{walk_in}/link", headers=live.headers(), timeout=30)
    assert link.status_code == 200, link.text
    return walk_in, str(link.json()["token"])


def in_round_two_with_a_walk_in(base_url: str, database_url: str) -> tuple[LiveEvent, str, str]:
    live = create_live_event(database_url, 8, rounds=3)
    for action in ("start-round", "end-round", "start-round"):
        assert post(base_url, live, action).status_code == 200
    return live, *add_walk_in(base_url, live)


def planned_mates(live: LiveEvent, number: int) -> dict[str, set[str]]:
    engine = make_engine(live.database_url)
    try:
        with Session(engine) as session:
            planned = next(r for r in stored_rounds(session, live.event_id, number))
    finally:
        engine.dispose()
    return {pid: set(room.participants) for room in planned.rooms for pid in room.participants}


def plan_for_today(page: str) -> dict[int, str]:
    """Each "Plan for today" line as a reader sees it (hidden parts left out), by round."""
    lines = re.findall(r'<li data-round="(\d+)"[^>]*>(.*?)</li>', page, flags=re.S)
    shown = {}
    for number, body in lines:
        body = re.sub(r"<span[^>]*\bhidden\b[^>]*>[^<]*</span>", "", body)
        shown[int(number)] = html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)))
    return shown


def test_a_walk_ins_first_room_is_not_announced_as_a_change(running: LiveServer) -> None:
    live, walk_in, token = in_round_two_with_a_walk_in(running.base_url, running.database_url)
    planned = planned_mates(live, 3)

    async def scenario() -> None:
        others = {
            pid: await Client.participant(running.ws_url, live.tokens[pid]) for pid in live.tokens
        }
        wanda = await Client.participant(running.ws_url, token)
        for client in [*others.values(), wanda]:
            await client.recv_type("state")
        assert post(running.base_url, live, "end-round").status_code == 200
        started = post(running.base_url, live, "start-round")
        assert started.status_code == 200, started.text
        assert started.json()["details"]["late"] == [walk_in]  # the start re-planned for her
        first = await wanda.recv_type("assignment")
        assert first["round"] == 3
        assert first["room"] is not None
        assert first["notice"] is None
        for pid, client in others.items():
            message = await client.recv_type("assignment")
            if set(member_ids(message) or []) == planned.get(pid):
                assert message["notice"] is None  # their room as planned: nothing to tell
        await wanda.close()
        again = await Client.participant(running.ws_url, token)
        state = await again.recv_type("state")
        assert state["room"] is not None
        assert state["notice"] is None  # a reconnect shows no notice either
        for client in [*others.values(), again]:
            await client.close()

    asyncio.run(scenario())


def test_the_rounds_before_a_walk_in_came_are_not_done_for_them(running: LiveServer) -> None:
    live, _walk_in, token = in_round_two_with_a_walk_in(running.base_url, running.database_url)
    assert post(running.base_url, live, "end-round").status_code == 200
    assert post(running.base_url, live, "start-round").status_code == 200

    theirs = plan_for_today(httpx.get(f"{running.base_url}/p/{token}", timeout=30).text)
    assert "done" not in theirs[1]
    assert "done" not in theirs[2]
    assert "you were not there" in theirs[1]
    assert "you were not there" in theirs[2]
    assert "not there" not in theirs[3]
    someone = next(iter(live.tokens.values()))
    planned = plan_for_today(httpx.get(f"{running.base_url}/p/{someone}", timeout=30).text)
    assert "done" in planned[1]
    assert "done" in planned[2]
    assert "not there" not in planned[1] + planned[2]
