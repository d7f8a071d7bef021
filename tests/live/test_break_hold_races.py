"""Holding the break between rounds (auto-advance on) against the automatic start of the next
round: a hold that was acknowledged must never be overrun by a start, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import Session

from app.db import session_scope
from app.errors import Conflict, InvalidTransition
from app.live import auto_advance, break_hold, plan_fit, service
from app.live.runtime import LiveRuntime
from app.models import Event, RoundStatus
from rooms import Action, MemoryBroker
from tests.fixtures.database import BOTH_DATABASES
from tests.live.helpers import LiveEvent, create_live_event, stored_round

ACTOR = "organiser:test"


def in_break_after_round_1(configured: str, session: Session) -> LiveEvent:
    """Round 1 of 2 ended an hour ago and its 2-minute break is over: round 2 is due now."""
    live = create_live_event(configured, 4, rounds=2, auto_advance=True, break_seconds=120)
    an_hour_ago = datetime.now(UTC) - timedelta(hours=1)
    service.start_round(session, live.event_id, ACTOR, number=1, now=an_hour_ago)
    service.end_round(session, live.event_id, ACTOR, now=an_hour_ago + timedelta(minutes=8))
    return live


def hold(event_id: str) -> None:
    with session_scope() as other:
        service.change_clock(other, event_id, ACTOR, "pause", expected_round=1)


async def advance_once() -> None:
    await LiveRuntime(MemoryBroker()).auto_advance.step()


@BOTH_DATABASES
def test_a_held_break_keeps_the_next_round_from_starting_until_resumed(
    configured: str, session: Session
) -> None:
    live = in_break_after_round_1(configured, session)
    hold(live.event_id)
    assert stored_round(live.event_id, 1).paused_remaining_s == 0  # its time had run out
    asyncio.run(advance_once())
    assert stored_round(live.event_id, 2).status == RoundStatus.PLANNED

    change = service.change_clock(session, live.event_id, ACTOR, "resume", expected_round=1)
    assert change.kind == "clock"
    asyncio.run(advance_once())
    assert stored_round(live.event_id, 2).status == RoundStatus.RUNNING


@BOTH_DATABASES
def test_the_organisers_own_start_works_while_the_break_is_held(
    configured: str, session: Session
) -> None:
    live = in_break_after_round_1(configured, session)
    hold(live.event_id)

    async def start() -> None:
        await LiveRuntime(MemoryBroker()).start_next(live.event_id, ACTOR)

    asyncio.run(start())
    assert stored_round(live.event_id, 2).status == RoundStatus.RUNNING


@BOTH_DATABASES
def test_a_hold_committed_while_the_automatic_start_runs_wins(
    configured: str, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    live = in_break_after_round_1(configured, session)
    # The loop has read that round 2 is due...
    due = auto_advance.due_steps()
    assert [(e, d.action, d.round) for e, d in due] == [(live.event_id, Action.START_NEXT, 2)]
    monkeypatch.setattr(auto_advance, "due_steps", lambda: due)
    # ...and its start has read the event, with the break not held, when the hold commits.
    require_fit = plan_fit.require_fit

    def hold_meanwhile(*args: Any, **kwargs: Any) -> None:
        require_fit(*args, **kwargs)
        hold(live.event_id)

    monkeypatch.setattr(plan_fit, "require_fit", hold_meanwhile)

    asyncio.run(advance_once())

    assert stored_round(live.event_id, 2).status == RoundStatus.PLANNED
    assert stored_round(live.event_id, 1).paused_remaining_s is not None  # the hold stands


@BOTH_DATABASES
def test_a_hold_read_before_the_next_round_started_is_refused(
    configured: str, session: Session
) -> None:
    live = in_break_after_round_1(configured, session)
    # This request has read the break (as the organiser's click does before writing)...
    event = session.get(Event, live.event_id)
    assert event is not None
    ended = break_hold.in_break(session, event)
    assert ended is not None
    # ...when the automatic start commits round 2.
    asyncio.run(advance_once())
    assert stored_round(live.event_id, 2).status == RoundStatus.RUNNING

    with pytest.raises(Conflict, match="break is over"):
        break_hold.change_break(session, event, ended, "pause", datetime.now(UTC))
    assert stored_round(live.event_id, 1).paused_remaining_s is None


@BOTH_DATABASES
def test_pause_between_rounds_is_still_refused_without_auto_advance(
    configured: str, session: Session
) -> None:
    live = create_live_event(configured, 4, rounds=2)
    service.start_round(session, live.event_id, ACTOR, number=1)
    service.end_round(session, live.event_id, ACTOR)
    with pytest.raises(InvalidTransition, match="No round is running right now"):
        service.change_clock(session, live.event_id, ACTOR, "pause")
