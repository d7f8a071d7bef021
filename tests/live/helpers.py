"""Builds a ready-to-run live event in a server's database, and real websocket clients."""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx
from sqlmodel import Session, col, select
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from app.db import make_engine, session_scope
from app.live import service as live_service
from app.models import AttendanceStatus, Event, EventPhase, Participant, Room, RoomMember, Round
from app.security import hash_token, new_token
from tests.factories import make_api_token, make_event, make_organiser, make_participants


@dataclass
class LiveEvent:
    database_url: str
    event_id: str
    api_token: str
    tokens: dict[str, str]  # participant id → personal link token
    plan: list[list[list[str]]]  # round → room → participant ids
    names: dict[str, str] = field(default_factory=dict)

    def room_of(self, round_no: int, participant_id: str) -> list[str] | None:
        for members in self.plan[round_no - 1]:
            if participant_id in members:
                return members
        return None

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.api_token}"}


def pair_rounds(people: Sequence[Participant], rounds: int, seed: int = 1) -> list[list[list[str]]]:
    """Rooms of two, different countries, nobody meets twice (randomised greedy with retries)."""
    rng = random.Random(seed)
    country = {p.id: p.country for p in people}
    met: set[frozenset[str]] = set()
    plan: list[list[list[str]]] = []
    for _ in range(rounds):
        for _attempt in range(500):
            pool = [p.id for p in people]
            rng.shuffle(pool)
            rooms: list[list[str]] = []
            while len(pool) >= 2:
                a = pool.pop()
                b = next(
                    (x for x in pool if country[x] != country[a] and frozenset((a, x)) not in met),
                    None,
                )
                if b is None:
                    pool.append(a)
                    break
                pool.remove(b)
                rooms.append([a, b])
            if len(pool) == 1:  # odd count: one room of three
                c = pool[0]
                target = next(
                    (
                        r
                        for r in rooms
                        if all(country[m] != country[c] and frozenset((c, m)) not in met for m in r)
                    ),
                    None,
                )
                if target is not None:
                    target.append(c)
                    pool.clear()
            if not pool:
                break
        else:
            raise RuntimeError("could not build a test plan")
        for room in rooms:
            met.update(frozenset((a, b)) for a in room for b in room if a != b)
        plan.append([sorted(r) for r in rooms])
    return plan


def create_live_event(
    database_url: str,
    n: int,
    *,
    rounds: int = 3,
    seed: int = 0,
    attendance: AttendanceStatus = AttendanceStatus.PRESENT,
    **event_fields: Any,
) -> LiveEvent:
    """An organiser, an API token, `n` participants with link tokens and a stored plan.

    Participants are `present` by default (they opened their link before), so the first round
    starts as planned even for those not connected; pass `expected` to test no-shows.
    """
    engine = make_engine(database_url)
    try:
        with Session(engine, expire_on_commit=False) as session:
            organiser = make_organiser(session)
            token = make_api_token(session, organiser)
            fields: dict[str, Any] = {
                "rounds": rounds,
                "room_link_template": "https://meet.example/{event}/r{round}/room{room}",
                **event_fields,
            }
            event = make_event(session, organiser, phase=EventPhase.SCHEDULED, **fields)
            people = make_participants(session, event, n, seed=seed)
            tokens = {}
            for p in people:
                tokens[p.id] = new_token()
                p.token_hash = hash_token(tokens[p.id])
                p.attendance = attendance
                session.add(p)
            plan = pair_rounds(people, rounds, seed=seed + 1)
            for number, rooms in enumerate(plan, start=1):
                row = Round(event_id=event.id, number=number)
                session.add(row)
                session.flush()
                for k, members in enumerate(rooms, start=1):
                    room = Room(round_id=row.id, number=k)
                    session.add(room)
                    session.flush()
                    for pid in members:
                        session.add(
                            RoomMember(room_id=room.id, participant_id=pid, why=f"why {pid}")
                        )
            session.commit()
            return LiveEvent(
                database_url, event.id, token, tokens, plan, {p.id: p.name for p in people}
            )
    finally:
        engine.dispose()


def stored_rooms(database_url: str, event_id: str, number: int) -> list[list[str]]:
    """The rooms of round `number` as stored now (sorted member ids per room, by room number)."""
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            row = session.exec(
                select(Round).where(Round.event_id == event_id, Round.number == number)
            ).one()
            rooms = session.exec(
                select(Room).where(Room.round_id == row.id).order_by(col(Room.number))
            ).all()
            return [
                sorted(
                    session.exec(
                        select(RoomMember.participant_id).where(RoomMember.room_id == r.id)
                    ).all()
                )
                for r in rooms
            ]
    finally:
        engine.dispose()


def attendance_of(database_url: str, participant_id: str) -> str:
    """A participant's stored attendance (`present`, `absent`, `late`, ...)."""
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            person = session.get(Participant, participant_id)
            assert person is not None
            return str(person.attendance)
    finally:
        engine.dispose()


def read_event(database_url: str, event_id: str) -> Event:
    engine = make_engine(database_url)
    try:
        with Session(engine, expire_on_commit=False) as session:
            event = session.get(Event, event_id)
            assert event is not None
            return event
    finally:
        engine.dispose()


def post(base_url: str, live: LiveEvent, action: str, body: Any = None) -> httpx.Response:
    return httpx.post(
        f"{base_url}/api/v1/events/{live.event_id}/live/{action}",
        headers=live.headers(),
        json=body,
        timeout=60,
    )


async def apost(base_url: str, live: LiveEvent, action: str, body: Any = None) -> httpx.Response:
    async with httpx.AsyncClient(timeout=60) as client:
        return await client.post(
            f"{base_url}/api/v1/events/{live.event_id}/live/{action}",
            headers=live.headers(),
            json=body,
        )


async def closed(ws: ClientConnection, timeout: float = 15) -> None:
    """Wait until the server closes `ws`, discarding messages."""
    async with asyncio.timeout(timeout):
        with contextlib.suppress(ConnectionClosed):
            while True:
                await ws.recv()


class Client:
    """A participant's (or organiser's) real websocket connection, with typed helpers."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws

    @classmethod
    async def participant(cls, ws_url: str, token: str, **params: str) -> Client:
        query = "&".join([f"token={token}", *(f"{k}={v}" for k, v in params.items())])
        return cls(await connect(f"{ws_url}/ws/participant?{query}", open_timeout=30))

    @classmethod
    async def organiser(cls, ws_url: str, event_id: str, token: str) -> Client:
        return cls(await connect(f"{ws_url}/ws/organiser/{event_id}?token={token}"))

    async def recv(self, timeout: float = 15) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(await asyncio.wait_for(self.ws.recv(), timeout))
        return data

    async def recv_type(self, kind: str, timeout: float = 30) -> dict[str, Any]:
        """The next message of `kind`, skipping others (pongs, presence, ...)."""
        async with asyncio.timeout(timeout):
            while True:
                message = await self.recv(timeout)
                if message["type"] == kind:
                    return message

    async def closed(self, timeout: float = 15) -> tuple[int | None, str]:
        """Read until the server closes; returns its close code and reason."""
        await closed(self.ws, timeout)
        return self.ws.close_code, self.ws.close_reason or ""

    async def close(self) -> None:
        await self.ws.close()


def member_ids(message: dict[str, Any]) -> list[str] | None:
    room = message.get("room")
    return None if room is None else sorted(m["id"] for m in room["members"])


def stored_round(event_id: str, number: int) -> Round:
    """Round `number` as stored now, read in a session of its own (the configured database)."""
    with session_scope() as session:
        row = live_service.find_round(session, event_id, number)
        assert row is not None
        return row
