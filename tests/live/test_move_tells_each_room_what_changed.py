"""An organiser's move mid-round: everyone in the room left and the room joined gets the why of
their room as it is now (not the one planned with or without the person moved), and only the
person moved is told that the organiser changed their room. A reload says the same."""

from __future__ import annotations

import asyncio
import dataclasses
from typing import Any

from sqlmodel import Session, col, delete, select

import matching
from app.db import make_engine
from app.live.dispatch import MOVED
from app.models import Participant, Room, RoomMember, Round
from app.schedule.convert import to_people
from matching.explain import facts
from tests.fixtures.live_server import LiveServer
from tests.live.helpers import Client, LiveEvent, create_live_event, post

# Who is who (letters), their country and kind of school.
PEOPLE = {
    "P": ("PT", "secondary"),  # Inês, the one moved
    "A": ("NL", "secondary"),
    "B": ("DE", "secondary"),
    "C": ("NL", "secondary"),
    "D": ("DE", "specialised"),
    "E": ("DK", "primary"),
    "F": ("FR", "primary"),
    "G": ("ES", "specialised"),
}
ROUNDS = (
    (("P", "D"), ("A", "F"), ("B", "C"), ("E", "G")),
    (("P", "A", "B"), ("C", "D", "E"), ("F", "G")),  # D met Portugal in round 1 already
)
MOVED_TO = 2  # P leaves room 1 of round 2 for room 2


@dataclasses.dataclass
class Rooms:
    live: LiveEvent
    ids: dict[str, str]  # letter → participant id

    def token(self, letter: str) -> str:
        return self.live.tokens[self.ids[letter]]

    def name(self, letter: str) -> str:
        return self.live.names[self.ids[letter]]


def planned_rooms(database_url: str) -> Rooms:
    """Eight people in the rooms of ROUNDS, each stored why written by matching.explain as the
    planner writes it (countries met in earlier rounds counted)."""
    live = create_live_event(database_url, len(PEOPLE), rounds=len(ROUNDS))
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            people = session.exec(
                select(Participant)
                .where(Participant.event_id == live.event_id)
                .order_by(col(Participant.name))
            ).all()
            ids = {letter: p.id for letter, p in zip(PEOPLE, people, strict=True)}
            for letter, person in zip(PEOPLE, people, strict=True):
                person.country, person.sector = PEOPLE[letter]
                person.school = f"School {letter}"
                person.languages, person.interests, person.programmes = ["en"], [], []
                person.requests, person.avoid = [], []
                session.add(person)
            session.flush()
            planner = {p.id: p for p in to_people(list(people))}
            met: dict[str, set[str]] = {pid: set() for pid in planner}
            rounds = session.exec(select(Round).where(Round.event_id == live.event_id)).all()
            for row in rounds:
                old = session.exec(select(Room.id).where(Room.round_id == row.id)).all()
                session.exec(delete(RoomMember).where(col(RoomMember.room_id).in_(old)))
                session.exec(delete(Room).where(col(Room.round_id) == row.id))
                for number, letters in enumerate(ROUNDS[row.number - 1], start=1):
                    room = Room(round_id=row.id, number=number)
                    session.add(room)
                    session.flush()
                    for letter in letters:
                        me = planner[ids[letter]]
                        mates = [planner[ids[m]] for m in letters if m != letter]
                        why = matching.explain(me, mates, met[me.id])
                        session.add(RoomMember(room_id=room.id, participant_id=me.id, why=why))
                for letters in ROUNDS[row.number - 1]:
                    for letter in letters:
                        met[ids[letter]] |= {PEOPLE[m][0] for m in letters if m != letter}
            session.commit()
    finally:
        engine.dispose()
    return Rooms(live, ids)


def after_the_move(rooms: Rooms) -> dict[str, tuple[str, dict[str, Any]]]:
    """Each letter in rooms 1 and 2 of round 2 after the move: the planner's why and facts."""
    engine = make_engine(rooms.live.database_url)
    try:
        with Session(engine) as session:
            people = session.exec(
                select(Participant).where(Participant.event_id == rooms.live.event_id)
            ).all()
            planner = {p.id: p for p in to_people(list(people))}
    finally:
        engine.dispose()
    now = [[m for m in ROUNDS[1][0] if m != "P"], [*ROUNDS[1][1], "P"]]
    met = {
        letter: {PEOPLE[m][0] for m in room if m != letter} for room in ROUNDS[0] for letter in room
    }
    out = {}
    for letters in now:
        letters = sorted(letters, key=rooms.ids.__getitem__)  # as the room card lists them
        for letter in letters:
            me = planner[rooms.ids[letter]]
            mates = [planner[rooms.ids[m]] for m in letters if m != letter]
            found = dataclasses.asdict(facts(me, mates, met[letter]))
            told = {k: list(v) if isinstance(v, tuple) else v for k, v in found.items()}
            out[letter] = (matching.explain(me, mates, met[letter]), told)
    return out


def _ok(base_url: str, rooms: Rooms, action: str, body: object = None) -> None:
    response = post(base_url, rooms.live, action, body)
    assert response.status_code == 200, response.text


def test_both_rooms_get_the_why_of_their_room_as_it_is_now_and_only_the_mover_the_notice(
    running: LiveServer,
) -> None:
    rooms = planned_rooms(running.database_url)
    _ok(running.base_url, rooms, "start-round")
    _ok(running.base_url, rooms, "end-round")
    expected = after_the_move(rooms)

    async def scenario() -> dict[str, dict[str, Any]]:
        clients = {
            letter: await Client.participant(running.ws_url, rooms.token(letter))
            for letter in PEOPLE
        }
        try:
            for client in clients.values():
                await client.recv_type("state")
            await asyncio.to_thread(_ok, running.base_url, rooms, "start-round")
            for client in clients.values():
                await client.recv_type("assignment")
            move = {"participant_id": rooms.ids["P"], "room": MOVED_TO}
            await asyncio.to_thread(_ok, running.base_url, rooms, "move", move)
            got = {letter: await clients[letter].recv_type("assignment") for letter in expected}
            # The third room got no room card: none came before the answer to a ping.
            for letter in ("F", "G"):
                await clients[letter].ws.send('{"type": "ping"}')
                kinds = [(await clients[letter].recv())["type"]]
                while kinds[-1] != "pong":
                    kinds.append((await clients[letter].recv())["type"])
                assert "assignment" not in kinds
            return got
        finally:
            for client in clients.values():
                await client.close()

    got = asyncio.run(scenario())

    assert {k: m["notice"] for k, m in got.items()} == {
        k: MOVED if k == "P" else None for k in expected
    }
    assert {k: (m["why"], m["why_facts"]) for k, m in got.items()} == expected
    # Inês left room 1: Portugal is no longer there to meet; nor for D, who met her before.
    assert "Portugal" not in got["A"]["why"] + got["B"]["why"] + got["D"]["why"]
    assert "PT" not in got["A"]["why_facts"]["new_countries"]
    assert "Portugal" in got["C"]["why"]
    assert got["A"]["why"].startswith("both secondary schools")  # was "all secondary schools"
    assert got["C"]["why"].startswith("1 of 3 also from secondary schools")

    async def reloaded() -> dict[str, dict[str, Any]]:
        states = {}
        for letter in expected:
            client = await Client.participant(running.ws_url, rooms.token(letter))
            try:
                states[letter] = await client.recv_type("state")
            finally:
                await client.close()
        return states

    states = asyncio.run(reloaded())
    assert {k: (s["why"], s["why_facts"]) for k, s in states.items()} == expected
    assert {k: s["notice"] for k, s in states.items()} == {
        k: MOVED if k == "P" else None for k in expected
    }
