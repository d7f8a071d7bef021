"""Two co-hosts moving one person at the same moment: the person ends up in one room, never
two (each move read the seat, then replaced it; both landing seated them twice), on SQLite and
PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlmodel import Session, select

from app.db import session_scope
from app.live import attendance, service
from app.models import Room, RoomMember, Round
from tests.fixtures.database import BOTH_DATABASES
from tests.live.helpers import create_live_event

ACTOR = "organiser:test"


def seats_in_round_1(event_id: str, participant_id: str) -> list[int]:
    with session_scope() as session:
        rows = session.exec(
            select(Room.number)
            .join(RoomMember, RoomMember.room_id == Room.id)  # type: ignore[arg-type]
            .join(Round, Round.id == Room.round_id)  # type: ignore[arg-type]
            .where(
                Round.event_id == event_id,
                Round.number == 1,
                RoomMember.participant_id == participant_id,
            )
        ).all()
        return sorted(rows)


@BOTH_DATABASES
def test_two_moves_of_one_person_at_once_leave_them_in_one_room(
    configured: str, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    live = create_live_event(configured, 8, rounds=2)
    service.start_round(session, live.event_id, ACTOR, number=1, now=datetime.now(UTC))
    mover = live.plan[0][3][0]  # in room 4 of round 1
    # Both moves have read the round before either replaces the seat (as two clicks at the same
    # moment do); a move that waits for the other first times out of this meeting point.
    both_read = threading.Barrier(2, timeout=2)
    find_round = service.find_round

    def meet_after_reading(*args: object, **kwargs: object) -> Round | None:
        row = find_round(*args, **kwargs)  # type: ignore[arg-type]
        try:
            both_read.wait()
        except threading.BrokenBarrierError:
            pass
        return row

    monkeypatch.setattr("app.live.attendance.find_round", meet_after_reading)
    errors: list[Exception] = []

    def move_to(room: int) -> Callable[[], None]:
        def run() -> None:
            try:
                with session_scope() as own:
                    attendance.move(own, live.event_id, ACTOR, mover, room)
            except Exception as exc:  # reported below: a move may be refused, never a crash
                errors.append(exc)

        return run

    threads = [threading.Thread(target=move_to(room)) for room in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert len(seats_in_round_1(live.event_id, mover)) == 1
