"""Websocket endpoints: token auth, the first `state` snapshot, then hub → socket pumping.

Close codes: 4401 invalid or missing credentials, 4403 not allowed (wrong event, foreign Origin,
two-step sign-in required and not set up), 4404 no such event, 1008 malformed message, 1009
message too large, 1011 server error.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from urllib.parse import urlsplit

from fastapi import APIRouter, WebSocket
from sqlmodel import col
from starlette.websockets import WebSocketDisconnect, WebSocketState

from app.db import get_engine, session_scope
from app.deps import organiser_for_api_token, organiser_for_session_cookie
from app.live.dispatch import state_text
from app.live.runtime import LiveRuntime
from app.live.snapshot import decisions_where
from app.live.version_tick import stored_versions
from app.models import ContactDecision, Event, Organiser
from app.organisers import two_step
from app.security import ORGANISER_COOKIE
from app.sessions import read_session, session_cookie_of
from app.settings import Settings
from rooms import (
    RESYNC,
    Connection,
    Decision,
    MessageError,
    PingMessage,
    PongMessage,
    ResyncMessage,
    encode,
    parse_client_message,
)

router = APIRouter()

MAX_TOKEN_LENGTH = 256


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def origin_allowed(websocket: WebSocket, settings: Settings) -> bool:
    """Browsers always send Origin: refuse other sites (cross-site websocket hijacking)."""
    origin = websocket.headers.get("origin")
    if origin is None:
        return True  # not a browser (scripts, integrations): they authenticate by token
    return origin.lower().rstrip("/") == _origin(settings.base_url)


async def refuse(websocket: WebSocket, code: int, reason: str) -> None:
    # Accept first so the client gets a close frame with a code and reason, not a bare 403.
    await websocket.accept()
    await websocket.close(code=code, reason=reason)


def _runtime(websocket: WebSocket) -> LiveRuntime:
    runtime: LiveRuntime = websocket.app.state.live
    return runtime


@router.websocket("/ws/participant")
async def participant_socket(
    websocket: WebSocket, token: str = "", event_id: str | None = None
) -> None:
    """A participant's live channel, authenticated by their personal link token."""
    if not origin_allowed(websocket, websocket.app.state.settings):
        return await refuse(websocket, 4403, "origin not allowed")
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return await refuse(websocket, 4401, "missing or invalid participant token")

    found = await _runtime(websocket).tokens.owner(token)
    if found is None:
        return await refuse(websocket, 4401, "invalid participant token")
    participant_id, own_event = found.participant_id, found.event_id
    if event_id is not None and event_id != own_event:
        return await refuse(websocket, 4403, "this token belongs to another event")
    await websocket.accept()
    runtime, conn = _runtime(websocket), Connection(own_event, participant_id)
    runtime.credentials.links[conn.id] = found.link_version
    await serve(websocket, runtime, conn, decisions=list(found.decisions))


@router.websocket("/ws/organiser/{event_id}")
async def organiser_socket(websocket: WebSocket, event_id: str, token: str = "") -> None:
    """The organiser's live view: every room and who is connected. Session cookie or API token."""
    settings: Settings = websocket.app.state.settings
    if not origin_allowed(websocket, settings):
        return await refuse(websocket, 4403, "origin not allowed")
    cookie = session_cookie_of(websocket.cookies, ORGANISER_COOKIE, settings)
    signed_in: dict[str, int] = {}  # the organiser's id → their session version
    session_found = None if token else read_session(cookie, settings)

    def check() -> tuple[int, str]:
        with session_scope() as session:
            if token:
                organiser = organiser_for_api_token(session, token[:MAX_TOKEN_LENGTH])
            else:
                organiser = organiser_for_session_cookie(session, cookie, settings=settings)
                if organiser is not None and two_step.missing(organiser, settings):
                    return 4403, "set up two-step sign-in first"
            if organiser is None:
                return 4401, "sign in as an organiser"
            signed_in[organiser.id] = organiser.session_version
            event = session.get(Event, event_id)
            if event is None:
                return 4404, "no such event"
            return (0, "") if event.organiser_id == organiser.id else (4403, "not your event")

    def recheck() -> tuple[int, str]:
        """Still allowed? Not the cookie's idle time again: the page renews its own cookie.
        But its lifetime, counted from sign-in: an open socket must not outlive the session."""
        if session_found is not None and (
            time.time() - session_found.signed_in_at > settings.session_max_age_s
        ):
            return 4401, "session expired"
        with session_scope() as session:
            if token:
                if organiser_for_api_token(session, token[:MAX_TOKEN_LENGTH]) is None:
                    return 4401, "this API token was revoked"
                return 0, ""
            for organiser_id, version in signed_in.items():
                organiser = session.get(Organiser, organiser_id)
                if organiser is None or organiser.session_version != version:
                    return 4401, "signed out"
        return 0, ""

    code, reason = await asyncio.to_thread(check)
    if code:
        return await refuse(websocket, code, reason)
    await websocket.accept()
    runtime, conn = _runtime(websocket), Connection(event_id, None)
    # Asked again at each version tick and at each message it sends (CredentialChecks): the
    # session ending (signed out, a new password, its lifetime over) ends this socket.
    runtime.credentials.checks[conn.id] = recheck
    await serve(websocket, runtime, conn)


async def serve(
    websocket: WebSocket,
    runtime: LiveRuntime,
    conn: Connection,
    *,
    decisions: list[Decision] | None = None,
) -> None:
    """Register, send the `state` snapshot first, then pump queued messages and read the client."""
    runtime.hub.register(conn)
    try:
        view = await runtime.view(conn.event_id)
        if view is None:
            await websocket.close(code=4404, reason="no such event")
            return
        connected = await runtime.connected(conn.event_id) if conn.is_organiser else None
        await websocket.send_text(state_text(view, conn, connected, decisions))
        conn.sent_version = max(conn.sent_version, view.version)
        await runtime.join(conn)
        pump = asyncio.create_task(_pump(websocket, runtime, conn))
        runtime.pumps[conn.id] = pump
        reader = asyncio.create_task(_read(websocket, runtime, conn))
        done, pending = await asyncio.wait({pump, reader}, return_when=asyncio.FIRST_COMPLETED)
        for task in pending:
            task.cancel()
        for task in pending | done:
            with contextlib.suppress(asyncio.CancelledError, WebSocketDisconnect, Exception):
                await task
    except (WebSocketDisconnect, RuntimeError):
        pass
    finally:
        runtime.pumps.pop(conn.id, None)
        revoked = runtime.credentials.forget(conn.id)
        await runtime.leave(conn)
        if websocket.client_state is WebSocketState.CONNECTED:
            with contextlib.suppress(Exception):
                if revoked is not None:  # 44xx: the client stops reconnecting with it
                    await websocket.close(code=revoked[0], reason=revoked[1])
                else:
                    await websocket.close()


async def _pump(websocket: WebSocket, runtime: LiveRuntime, conn: Connection) -> None:
    while True:
        item = await conn.next()
        if item is RESYNC:
            view = await runtime.view(conn.event_id)
            if view is None:
                return
            connected = await runtime.connected(conn.event_id) if conn.is_organiser else None
            mine = None
            if conn.participant_id is not None:
                mine = await asyncio.to_thread(_decisions_of, conn.participant_id)
            text = state_text(view, conn, connected, mine)
            conn.sent_version = view.version
        else:
            assert isinstance(item, str)
            text = item
        # A socket that cannot take a message in time is dropped by the runtime's watchdog
        # (LiveRuntime.drop_stuck); the client re-syncs on reconnect.
        conn.sending_since = asyncio.get_running_loop().time()
        await websocket.send_text(text)
        conn.sending_since = None


def _decisions_of(participant_id: str) -> list[Decision]:
    with get_engine().connect() as connection:
        found = decisions_where(
            connection, col(ContactDecision.from_participant_id) == participant_id
        )
    return found.get(participant_id, [])


async def _read(websocket: WebSocket, runtime: LiveRuntime, conn: Connection) -> None:
    while True:
        message = await websocket.receive()
        if message["type"] == "websocket.disconnect":
            return
        if await runtime.credentials.refuses(conn.id):
            return  # `serve` closes it with the refusal's code
        raw = message.get("text")
        if raw is None:
            raw = message.get("bytes") or b""
        try:
            parsed = parse_client_message(raw)
        except MessageError as exc:
            code = 1009 if "too large" in exc.reason else 1008
            await websocket.close(code=code, reason=exc.reason)
            return
        if isinstance(parsed, ResyncMessage):
            # Fresh as stored, not only as last pushed here: pages that change the event (its
            # phase, the schedule) push nothing, and the version tick catches up only later.
            stored = await asyncio.to_thread(stored_versions, [conn.event_id])
            await runtime.view(conn.event_id, stored.get(conn.event_id, 0))
            conn.resync()
        elif isinstance(parsed, PingMessage):
            conn.push(encode(PongMessage(version=conn.sent_version)))
        else:  # hello: the first message was a full state, so just confirm the version
            conn.push(encode(PongMessage(version=conn.sent_version)))
