"""Clock changes that race each other: an organiser's click against the auto-advance loop, or
two clicks (two co-hosts, two instances) read at the same moment. An acknowledged change must
never be silently undone by a write based on what was read before it."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session

from app.db import session_scope
from app.errors import Conflict
from app.live import auto_advance, service
from app.live.round_clock import aware
from app.live.runtime import LiveRuntime
from app.models import RoundStatus
from rooms import Action, MemoryBroker
from tests.fixtures.database import BOTH_DATABASES
from tests.live.helpers import create_live_event, stored_round

ACTOR = "organiser:test"


async def advance_once() -> None:
    await LiveRuntime(MemoryBroker()).auto_advance.step()


@BOTH_DATABASES
@pytest.mark.parametrize("action", ["extend", "pause"])
def test_a_click_just_before_the_end_is_not_undone_by_the_auto_advance(
    configured: str, session: Session, monkeypatch: pytest.MonkeyPatch, action: str
) -> None:
    live = create_live_event(configured, 4, rounds=2)
    an_hour_ago = datetime.now(UTC) - timedelta(hours=1)
    service.start_round(session, live.event_id, ACTOR, number=1, now=an_hour_ago)
    # The loop has just read that round 1 is due to end...
    due = auto_advance.due_steps()
    assert [(e, d.action, d.round) for e, d in due] == [(live.event_id, Action.END_ROUND, 1)]
    # ...and the organiser's click commits before the loop writes.
    service.change_clock(session, live.event_id, ACTOR, action, seconds=600)
    monkeypatch.setattr(auto_advance, "due_steps", lambda: due)

    asyncio.run(advance_once())

    row = stored_round(live.event_id, 1)
    assert row.status != RoundStatus.ENDED  # the organiser was told it worked: it must hold
    if action == "extend":
        ends_at = aware(row.ends_at)
        assert ends_at is not None
        assert ends_at > datetime.now(UTC)


@BOTH_DATABASES
def test_two_extends_read_at_once_are_both_kept_or_one_is_refused(
    configured: str, session: Session
) -> None:
    live = create_live_event(configured, 4, rounds=2)
    service.start_round(session, live.event_id, ACTOR, number=1)
    before = aware(stored_round(live.event_id, 1).ends_at)
    assert before is not None
    # This request has read the round (as a request does before writing)...
    read = service.find_round(session, live.event_id, 1)
    assert read is not None
    # ...when another request (a co-host, another instance) extends it and commits.
    with session_scope() as other:
        service.change_clock(other, live.event_id, ACTOR, "extend", seconds=60)

    accepted = 1
    try:
        service.change_clock(session, live.event_id, ACTOR, "extend", seconds=60)
        accepted += 1
    except Conflict:
        pass  # refused, and told so: fine

    after = aware(stored_round(live.event_id, 1).ends_at)
    assert after == before + timedelta(seconds=60 * accepted)
