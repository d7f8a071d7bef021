"""A round start that re-plans, and a schedule edit stored between its re-plan and its store: the
start is refused with 409 ("changed by someone else just now; try again") and stores nothing,
the edit stands, and pressing Start again re-plans from it. Until 2026-11-29 the start stored its
plan over the edit's (read for the version before the event row was taken): two plans with one
version (a 500 on PostgreSQL), or rooms the edit had replaced (a 500 on both databases)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import event as sa_event
from sqlmodel import Session, col, select

from app.db import get_engine
from app.errors import Conflict
from app.live import attendance, round_start
from app.live import service as live_service
from app.models import AttendanceStatus, Event, Organiser, Participant, SchedulePlan
from app.schedule import edit as schedule_edit
from app.schedule import service as schedule_service
from app.schedule import store
from app.settings import get_settings
from tests.factories import make_event, make_participants


def start(event_id: str, number: int) -> None:
    round_start.start_transaction(
        event_id, "test", connected=set, replan_time_limit_s=2, expected=number
    )


def in_round_one(session: Session, organiser: Organiser) -> Event:
    """A live event in the break after round 1 of 3, everyone present but one marked absent."""
    event = make_event(session, organiser, rounds=3)
    people = make_participants(session, event, 8)
    for person in people:
        person.attendance = AttendanceStatus.PRESENT
        session.add(person)
    session.commit()
    schedule_service.generate_schedule(
        session, event=event, settings=get_settings(), actor="test", time_limit_s=1
    )
    start(event.id, 1)
    session.expire_all()
    live_service.end_round(session, event.id, "test")
    seated = store.current_plan(session, event_id=event.id)
    assert seated is not None
    absent = seated.rounds[1].rooms[0].participants[0]  # seated in round 2: a re-plan is due
    attendance.mark_absent(session, event.id, "test", absent)
    return event


def swap_in_round_three(event_id: str) -> None:
    """An organiser swaps two people of different rooms in round 3, committed."""
    with Session(get_engine(), expire_on_commit=False) as other:
        event = other.get(Event, event_id)
        plan = store.current_plan(other, event_id=event_id)
        assert event is not None
        assert plan is not None
        absent = other.exec(
            select(Participant.id).where(Participant.attendance == AttendanceStatus.ABSENT)
        ).all()
        rooms = [[p for p in r.participants if p not in absent] for r in plan.rounds[2].rooms]
        schedule_edit.swap(
            other,
            event=event,
            number=3,
            a=rooms[0][0],
            b=rooms[1][0],
            force=True,
            settings=get_settings(),
            actor="test",
        )


def plan_versions(session: Session, event_id: str) -> list[int]:
    session.expire_all()
    return list(
        session.exec(
            select(SchedulePlan.version)
            .where(SchedulePlan.event_id == event_id)
            .order_by(col(SchedulePlan.version))
        ).all()
    )


# When the edit lands: once the start has re-planned, as it reads the event again to store (its
# second read of the event and its rounds), or as it begins to store (its first write).
MOMENTS: dict[str, Callable[[str, int], bool]] = {
    "before it stores": lambda _statement, reads: reads == 2,
    "as it stores": lambda statement, _reads: statement.startswith(("DELETE", "INSERT", "UPDATE")),
}


@pytest.mark.parametrize("moment", list(MOMENTS))
def test_a_round_start_beside_a_schedule_edit_is_refused_and_can_be_pressed_again(
    configured: str, session: Session, organiser: Organiser, moment: str
) -> None:
    event = in_round_one(session, organiser)
    assert plan_versions(session, event.id) == [1]
    lands = MOMENTS[moment]
    starter: list[int] = []
    reads = [0]
    edited = threading.Event()

    def on_statement(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if threading.get_ident() not in starter or edited.is_set():
            return
        if "event.round_seconds, round.id" in statement:  # app.live.statements.event_rounds
            reads[0] += 1
        if lands(statement.lstrip().upper(), reads[0]):
            edited.set()
            swap_in_round_three(event.id)

    outcome: list[BaseException | None] = []

    def press_start() -> None:
        starter.append(threading.get_ident())
        try:
            start(event.id, 2)
            outcome.append(None)
        except Exception as exc:
            outcome.append(exc)

    sa_event.listen(get_engine(), "before_cursor_execute", on_statement)
    try:
        thread = threading.Thread(target=press_start)
        thread.start()
        thread.join(120)
    finally:
        sa_event.remove(get_engine(), "before_cursor_execute", on_statement)

    assert edited.is_set()
    refused = outcome[0]
    assert isinstance(refused, Conflict), refused
    assert refused.status_code == 409
    assert refused.detail == "Round 2 was changed by someone else just now; try again."
    assert plan_versions(session, event.id) == [1, 2]  # the edit's, and nothing of the start's
    session.refresh(event)
    assert event.current_round == 1

    start(event.id, 2)  # pressed again: re-planned from the edit's plan
    assert plan_versions(session, event.id) == [1, 2, 3]
    session.refresh(event)
    assert event.current_round == 2
