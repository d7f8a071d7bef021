"""An organiser's edit of someone's details reaches the open pages right after it is saved.

Before 2026-11-29 an edit only bumped the event's version, and open pages waited for the version
tick, which repairs a version only once it was stored at the previous tick: 5-10 s (the room-
mate's page and the organiser's live page showed the corrected name 7-20 s late). Now the edit
publishes its change as live actions do. A message sent right after the edit (a broadcast: not
state, sent at once) tells the edit's own push from the tick's: the new name must come first.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
from sqlmodel import Session, select

from app.db import make_engine
from app.models import Event, Organiser
from tests.factories import PASSWORD
from tests.fixtures.live_server import LiveServer
from tests.live.helpers import Client, LiveEvent, post
from tests.live.test_why_after_country_corrected import seated

NEW_NAME = "Nuria Corrected"


def rename(base_url: str, live: LiveEvent, pid: str) -> None:
    answer = httpx.patch(
        f"{base_url}/api/v1/events/{live.event_id}/participants/{pid}",
        headers=live.headers(),
        json={"name": NEW_NAME, "country": "ES"},
        timeout=60,
    )
    assert answer.status_code == 200, answer.text


async def before_the_broadcast(client: Client) -> list[dict[str, Any]]:
    """The messages `client` got before the broadcast sent after the edit (generous wait)."""
    got = []
    while (message := await client.recv(timeout=30))["type"] != "broadcast":
        got.append(message)
    return got


def names_the_edit(messages: list[dict[str, Any]]) -> bool:
    return any(m["type"] == "state" and NEW_NAME in json.dumps(m) for m in messages)


def test_a_renamed_room_mate_reaches_the_open_pages_before_anything_sent_after(
    running: LiveServer,
) -> None:
    live, ids = seated(running.database_url)
    assert post(running.base_url, live, "start-round").status_code == 200

    async def scenario() -> None:
        mate = await Client.participant(running.ws_url, live.tokens[ids["Y"]])  # X's room-mate
        organiser = await Client.organiser(running.ws_url, live.event_id, live.api_token)
        try:
            assert (await mate.recv_type("state"))["type"] == "state"
            assert (await organiser.recv_type("state"))["type"] == "state"
            await asyncio.to_thread(rename, running.base_url, live, ids["X"])
            sent = await asyncio.to_thread(
                post, running.base_url, live, "broadcast", {"text": "Welcome back"}
            )
            assert sent.status_code == 200
            assert names_the_edit(await before_the_broadcast(mate))
            assert names_the_edit(await before_the_broadcast(organiser))
        finally:
            await mate.close()
            await organiser.close()

    asyncio.run(scenario())


def organiser_email(live: LiveEvent) -> str:
    engine = make_engine(live.database_url)
    try:
        with Session(engine) as session:
            event = session.get(Event, live.event_id)
            assert event is not None
            return session.exec(
                select(Organiser.email).where(Organiser.id == event.organiser_id)
            ).one()
    finally:
        engine.dispose()


def rename_on_the_fix_form(base_url: str, live: LiveEvent, pid: str) -> None:
    with httpx.Client(base_url=base_url, headers={"Origin": base_url}, timeout=60) as browser:
        signed_in = browser.post(
            "/organiser/sign-in",
            data={"email": organiser_email(live), "password": PASSWORD, "next": "/organiser"},
        )
        assert signed_in.status_code == 303
        form = {
            "name": NEW_NAME,
            "email": "x@school.example",
            "school": "School X",
            "country": "ES",
            "sector": "secondary",
            "languages": "en",
        }
        saved = browser.post(
            f"/organiser/events/{live.event_id}/participants/{pid}",
            data=form,
            follow_redirects=False,
        )
        assert saved.status_code == 303, saved.text


def test_the_fix_form_reaches_the_open_pages_before_anything_sent_after(
    running: LiveServer,
) -> None:
    live, ids = seated(running.database_url)
    assert post(running.base_url, live, "start-round").status_code == 200

    async def scenario() -> None:
        mate = await Client.participant(running.ws_url, live.tokens[ids["Y"]])
        try:
            assert (await mate.recv_type("state"))["type"] == "state"
            await asyncio.to_thread(rename_on_the_fix_form, running.base_url, live, ids["X"])
            sent = await asyncio.to_thread(
                post, running.base_url, live, "broadcast", {"text": "Welcome back"}
            )
            assert sent.status_code == 200
            assert names_the_edit(await before_the_broadcast(mate))
        finally:
            await mate.close()

    asyncio.run(scenario())
