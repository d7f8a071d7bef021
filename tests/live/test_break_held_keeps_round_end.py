"""Holding the break after a round (auto-advance) and resuming it: the round's recorded end and
length stay as they were, and the next round still starts the break's time left after the resume,
as the auto-advance, the live view and the participant's "Plan for today" read it."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlmodel import Session

from app.db import session_scope
from app.live import service
from app.live.round_clock import aware, clock_of
from app.live.runtime import LiveRuntime
from app.live.snapshot import load_view
from app.models import Event, RoundStatus
from app.web.pages_participant import plan_for_today
from rooms import Action, MemoryBroker, Timeline
from tests.live.helpers import create_live_event, stored_round

ACTOR = "organiser:test"


def test_resuming_a_held_break_keeps_the_rounds_end_and_the_break_left(
    configured: str, session: Session
) -> None:
    live = create_live_event(
        configured, 4, rounds=2, auto_advance=True, round_seconds=480, break_seconds=120
    )
    started = datetime.now(UTC) - timedelta(minutes=40)
    service.start_round(session, live.event_id, ACTOR, number=1, now=started)
    ended = started + timedelta(seconds=480)
    service.end_round(session, live.event_id, ACTOR, now=ended)
    # Held 20 s into the break (100 s left), for half an hour.
    service.change_clock(
        session, live.event_id, ACTOR, "pause", expected_round=1, now=ended + timedelta(seconds=20)
    )
    resumed = ended + timedelta(minutes=30)
    change = service.change_clock(
        session, live.event_id, ACTOR, "resume", expected_round=1, now=resumed
    )
    next_at = resumed + timedelta(seconds=100)
    assert change.extra["next_round_at"] == next_at.isoformat()

    row = stored_round(live.event_id, 1)
    assert aware(row.ends_at) == ended  # the moment round 1 really ended
    assert row.break_held_s == 30 * 60 - 20
    timeline = Timeline(rounds_total=2, break_seconds=120, auto_advance=True)
    due = timeline.next_due(clock_of(row))  # as the auto-advance loop reads it
    assert due is not None
    assert (due.action, due.at) == (Action.START_NEXT, next_at)
    asyncio.run(LiveRuntime(MemoryBroker()).auto_advance.step())  # due well before now
    assert stored_round(live.event_id, 2).status == RoundStatus.RUNNING

    with session_scope() as other:
        event = other.get(Event, live.event_id)
        assert event is not None
        today = plan_for_today(other, event)
        view = load_view(other, live.event_id, round_number=1)
    assert today[0].seconds == 480  # round 1's length leaves the held break out
    assert view is not None
    shown = view.round_view(datetime.now(UTC))
    assert shown is not None
    assert shown.ends_at == ended
    assert shown.break_held_s == 30 * 60 - 20  # clients add it to the break (participant.js)
