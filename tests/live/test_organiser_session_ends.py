"""An organiser socket opened with the session cookie ends with the session (docs/security.md):
when its lifetime from sign-in is over, and, at the next message it sends, when they signed
out everywhere. Until then it went on receiving the event's live state."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time

from sqlmodel import Session
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from app.db import make_engine
from app.models import Event, Organiser
from app.security import ORGANISER_COOKIE, sign_cookie
from app.settings import Settings
from tests.fixtures.live_server import SECRET_KEY, LiveServer
from tests.live.helpers import Client, LiveEvent, create_live_event

MAX_AGE_S = Settings.model_fields["session_max_age_s"].default


def organiser_of(live: LiveEvent) -> Organiser:
    engine = make_engine(live.database_url)
    try:
        with Session(engine, expire_on_commit=False) as session:
            event = session.get(Event, live.event_id)
            assert event is not None
            organiser = session.get(Organiser, event.organiser_id)
            assert organiser is not None
            return organiser
    finally:
        engine.dispose()


def sign_out_everywhere(live: LiveEvent, organiser_id: str) -> None:
    """What signing out everywhere (or a new password) stores: a new session version."""
    engine = make_engine(live.database_url)
    try:
        with Session(engine) as session:
            organiser = session.get(Organiser, organiser_id)
            assert organiser is not None
            organiser.session_version += 1
            session.add(organiser)
            session.commit()
    finally:
        engine.dispose()


async def cookie_socket(ws_url: str, live: LiveEvent, signed_in_at: float) -> Client:
    organiser = organiser_of(live)
    data = {"o": organiser.id, "v": organiser.session_version, "a": int(signed_in_at)}
    cookie = sign_cookie(data, secret_key=SECRET_KEY, kind=ORGANISER_COOKIE)
    ws = await connect(
        f"{ws_url}/ws/organiser/{live.event_id}",
        additional_headers={"Cookie": f"{ORGANISER_COOKIE}={cookie}"},
    )
    return Client(ws)


def test_an_organiser_socket_closes_when_the_session_reaches_its_lifetime(
    running: LiveServer,
) -> None:
    live = create_live_event(running.database_url, 4, rounds=1)

    async def scenario() -> None:
        # Signed in nearly 14 days ago: the session ends in a few seconds, the socket with it.
        org = await cookie_socket(running.ws_url, live, time.time() - MAX_AGE_S + 3)
        assert (await org.recv())["type"] == "state"
        code, reason = await org.closed(timeout=30)  # within a version tick or two
        assert (code, reason) == (4401, "session expired")

    asyncio.run(scenario())


def test_an_organiser_socket_signed_out_everywhere_is_closed_at_its_next_message(
    running: LiveServer,
) -> None:
    live = create_live_event(running.database_url, 4, rounds=1)

    async def scenario() -> None:
        org = await cookie_socket(running.ws_url, live, time.time())
        assert (await org.recv())["type"] == "state"
        await org.ws.send(json.dumps({"type": "ping"}))
        assert (await org.recv_type("pong"))["type"] == "pong"

        sign_out_everywhere(live, organiser_of(live).id)
        await org.ws.send(json.dumps({"type": "ping"}))
        # Refused, not answered: no pong (nor anything else) before the close.
        got = []
        async with asyncio.timeout(15):
            with contextlib.suppress(ConnectionClosed):
                while True:
                    got.append(json.loads(await org.ws.recv())["type"])
        assert "pong" not in got
        assert (org.ws.close_code, org.ws.close_reason) == (4401, "signed out")

    asyncio.run(scenario())
