"""Which refusals of the database storing a plan are a change at the same moment (409), and which
are bugs: only the plan version or round numbers taken first say "Another schedule for this event
was stored at the same time."; someone seated who was removed since the plan was read says the
schedule changed elsewhere; anything else propagates, never worded as a race.

Until 2026-11-29 every integrity error storing a plan was "stored at the same time", and a hand
edit meeting one failed with 500."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

import matching
from app.db import get_engine, make_engine
from app.errors import Conflict
from app.models import Event, EventPhase, Organiser, Participant, Round, SchedulePlan
from app.participants import removal
from app.schedule import edit, store
from app.schedule import service as schedule_service
from app.settings import get_settings
from tests.factories import make_event, make_participants
from tests.fixtures.database import BACKENDS, BOTH_DATABASES

STORED_AT_THE_SAME_TIME = "Another schedule for this event was stored at the same time."


def planned_event(session: Session, organiser: Organiser) -> Event:
    event = make_event(session, organiser, rounds=2)
    make_participants(session, event, 6)
    schedule_service.generate_schedule(
        session, event=event, settings=get_settings(), actor="test", time_limit_s=1
    )
    session.refresh(event)
    return event


def versions(session: Session, event_id: str) -> list[int]:
    session.expire_all()
    return list(
        session.exec(
            select(SchedulePlan.version)
            .where(SchedulePlan.event_id == event_id)
            .order_by(col(SchedulePlan.version))
        ).all()
    )


def store_again(session: Session, event: Event, plan: matching.Plan) -> SchedulePlan:
    return store.store_plan(
        session, event=event, plan=plan, pins=[], settings=get_settings(), weights=None
    )


@BOTH_DATABASES
def test_a_plan_version_or_round_taken_first_is_stored_at_the_same_time(
    session: Session, organiser: Organiser
) -> None:
    event = planned_event(session, organiser)
    with pytest.raises(Conflict) as version_taken:  # noqa: PT012
        with store.answer_races(session, seated=()):
            session.add(SchedulePlan(event_id=event.id, version=1))
            session.flush()
    assert version_taken.value.detail == STORED_AT_THE_SAME_TIME
    assert version_taken.value.status_code == 409

    started = Conflict("Round %(n)s was changed by someone else just now; try again.", n=1)
    with pytest.raises(Conflict) as round_taken:  # noqa: PT012
        with store.answer_races(session, seated=(), stored_first=started):
            session.add(Round(event_id=event.id, number=1))
            session.flush()
    assert round_taken.value is started
    assert versions(session, event.id) == [1]


@BOTH_DATABASES
def test_a_plan_seating_someone_removed_since_it_was_read_says_the_schedule_changed(
    session: Session, organiser: Organiser
) -> None:
    event = planned_event(session, organiser)
    plan = store.current_plan(session, event_id=event.id)
    assert plan is not None
    gone = session.get(Participant, plan.rounds[0].rooms[0].participants[0])
    assert gone is not None
    # Removed (their room-mates re-seated: version 2) after this change read the plan.
    removal.remove_participant(
        session, event=event, participant=gone, actor="test", settings=get_settings()
    )
    assert versions(session, event.id) == [1, 2]

    with pytest.raises(Conflict) as refused:
        store_again(session, event, plan)

    assert refused.value.detail == store.CHANGED_ELSEWHERE
    assert refused.value.detail != STORED_AT_THE_SAME_TIME
    assert versions(session, event.id) == [1, 2]


@BOTH_DATABASES
@pytest.mark.parametrize("bug", ["two rooms with one number", "one person twice in a room"])
def test_any_other_integrity_error_is_a_bug_not_a_race(
    session: Session, organiser: Organiser, bug: str
) -> None:
    event = planned_event(session, organiser)
    plan = store.current_plan(session, event_id=event.id)
    assert plan is not None
    first, *later = plan.rounds
    rooms = first.rooms
    if bug == "two rooms with one number":
        rooms = (rooms[0], replace(rooms[1], number=rooms[0].number), *rooms[2:])
    else:
        twice = (*rooms[0].participants, rooms[0].participants[0])
        rooms = (replace(rooms[0], participants=twice), *rooms[1:])
    broken = replace(plan, rounds=(replace(first, rooms=rooms), *later))

    with pytest.raises(IntegrityError):
        store_again(session, event, broken)

    assert versions(session, event.id) == [1]


@pytest.mark.parametrize("backend", BACKENDS[1:], indirect=True)
def test_a_hand_edit_beside_a_plan_stored_without_the_event_row_answers_409(
    configured: str, session: Session, organiser: Organiser
) -> None:
    """PostgreSQL only: on SQLite the other writer waits for the edit's write lock."""
    event = planned_event(session, organiser)
    plan = store.current_plan(session, event_id=event.id)
    assert plan is not None
    room_a, room_b = plan.rounds[1].rooms[:2]
    other = make_engine(configured)
    stored: list[bool] = []

    def store_first(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        # A change that stores version 2 without taking the event row, as the edit writes it.
        if not stored and statement.lstrip().upper().startswith("INSERT INTO SCHEDULEPLAN"):
            stored.append(True)
            with Session(other) as elsewhere:
                elsewhere.add(SchedulePlan(event_id=event.id, version=2))
                elsewhere.commit()

    sa_event.listen(get_engine(), "before_cursor_execute", store_first)
    try:
        with pytest.raises(Conflict) as refused:
            edit.swap(
                session,
                event=event,
                number=2,
                a=room_a.participants[0],
                b=room_b.participants[0],
                force=True,
                settings=get_settings(),
                actor="test",
            )
    finally:
        sa_event.remove(get_engine(), "before_cursor_execute", store_first)
        other.dispose()
    assert refused.value.detail == STORED_AT_THE_SAME_TIME
    assert event.phase == EventPhase.SCHEDULED
    assert len(versions(session, event.id)) == 2  # the edit stored nothing
