"""Two schedule changes storing a plan at once (one that did not take the event row first, as
every caller should): the second is refused with 409 and stores nothing, instead of a second
plan with the same version (which one is in force then left to chance) or a bare 500."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.db import get_engine, make_engine
from app.errors import Conflict
from app.models import Event, Organiser, SchedulePlan
from app.schedule import service as schedule_service
from app.schedule import store
from app.settings import get_settings
from tests.factories import make_event, make_participants


def planned_event(session: Session, organiser: Organiser) -> Event:
    event = make_event(session, organiser, rounds=2)
    make_participants(session, event, 6)
    schedule_service.generate_schedule(
        session, event=event, settings=get_settings(), actor="test", time_limit_s=1
    )
    return event


def store_again(session: Session, event_id: str) -> SchedulePlan:
    event = session.get(Event, event_id)
    plan = store.current_plan(session, event_id=event_id)
    assert event is not None
    assert plan is not None
    return store.store_plan(
        session, event=event, plan=plan, pins=[], settings=get_settings(), weights=None
    )


def test_the_second_of_two_plans_stored_at_once_is_refused_and_stores_nothing(
    configured: str, session: Session, organiser: Organiser
) -> None:
    event_id = planned_event(session, organiser).id
    first = Session(get_engine(), expire_on_commit=False)
    assert store_again(first, event_id).version == 2  # not committed yet

    # The second change reads the newest plan (version 1: the first's is not committed), and
    # the first commits as the second starts writing.
    second_engine = make_engine(configured)
    writing = threading.Event()

    def on_write(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith(("DELETE", "INSERT")):
            writing.set()

    sa_event.listen(second_engine, "before_cursor_execute", on_write)
    outcome: list[BaseException | SchedulePlan] = []

    def second_change() -> None:
        with Session(second_engine, expire_on_commit=False) as second:
            try:
                row = store_again(second, event_id)
                second.commit()
                outcome.append(row)
            except Exception as exc:
                outcome.append(exc)

    thread = threading.Thread(target=second_change)
    thread.start()
    assert writing.wait(30)
    first.commit()
    first.close()
    thread.join(60)
    second_engine.dispose()

    assert len(outcome) == 1
    refused = outcome[0]
    assert isinstance(refused, Conflict), refused
    assert refused.detail == "Another schedule for this event was stored at the same time."
    assert refused.status_code == 409
    session.expire_all()
    versions = session.exec(
        select(SchedulePlan.version)
        .where(SchedulePlan.event_id == event_id)
        .order_by(col(SchedulePlan.version))
    ).all()
    assert versions == [1, 2]


def test_the_database_refuses_a_second_plan_with_the_same_version(
    session: Session, organiser: Organiser
) -> None:
    event = planned_event(session, organiser)
    session.add(SchedulePlan(event_id=event.id, version=1))
    with pytest.raises(IntegrityError):
        session.commit()
