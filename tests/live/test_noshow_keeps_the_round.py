"""One no-show at a round start: only those whose room-mates change are told, and everyone else
keeps their room as planned, under the same number (so the same video room)."""

from __future__ import annotations

from sqlmodel import Session, col, select

from app.db import make_engine
from app.models import AttendanceStatus, Participant, Room, RoomMember, Round
from tests.fixtures.live_server import LiveServer
from tests.live.helpers import create_live_event, post


def test_one_no_show_leaves_the_other_rooms_as_planned(running: LiveServer) -> None:
    live = create_live_event(running.database_url, 24, rounds=3)
    no_show = next(iter(live.tokens))
    partner = (set(live.room_of(1, no_show) or []) - {no_show}).pop()
    engine = make_engine(running.database_url)
    try:
        with Session(engine) as session:
            person = session.get(Participant, no_show)
            assert person is not None
            person.attendance = AttendanceStatus.ABSENT
            session.add(person)
            session.commit()
        response = post(running.base_url, live, "start-round")
        assert response.status_code == 200, response.text
        with Session(engine) as session:
            first = session.exec(
                select(Round).where(Round.event_id == live.event_id, Round.number == 1)
            ).one()
            rooms = session.exec(select(Room).where(Room.round_id == first.id)).all()
            members = session.exec(
                select(RoomMember).where(col(RoomMember.room_id).in_([r.id for r in rooms]))
            ).all()
    finally:
        engine.dispose()
    number = {room.id: room.number for room in rooms}
    room_now = {m.participant_id: number[m.room_id] for m in members}
    told = {m.participant_id for m in members if m.notice}
    mates_now = {p: {q for q, n in room_now.items() if n == room_now[p]} for p in room_now}
    planned = {p: set(room) for room in live.plan[0] for p in room}
    # Told exactly those whose room-mates changed: the partner left alone and a few around them.
    assert partner in told
    assert told == {p for p in room_now if mates_now[p] != planned[p]}
    assert len(told) <= len(room_now) // 2
    # Everyone else keeps the room number they had, so the same video room.
    numbers = {p: n for n, room in enumerate(live.plan[0], start=1) for p in room}
    assert all(room_now[p] == numbers[p] for p in room_now if p not in told)
