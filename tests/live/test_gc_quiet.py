"""Full garbage-collector passes wait for a moment when no round start can be near."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from app import gc_policy
from app.live.event_view import EventView
from app.live.quiet import event_is_quiet, quiet
from app.live.runtime import LiveRuntime
from rooms import Connection, MemoryBroker, RoundClock, Status

NOW = datetime(2026, 11, 27, 18, 0, tzinfo=UTC)


def view(phase: str = "live", clock: RoundClock | None = None, event_id: str = "e1") -> EventView:
    return EventView(
        event_id=event_id,
        event_name="Event",
        phase=phase,
        current_round=clock.number if clock else 0,
        rounds_total=4,
        version=3,
        auto_advance=False,
        break_seconds=60,
        round=clock,
    )


def running(started_s_ago: float, left_s: float) -> RoundClock:
    return RoundClock(
        number=1,
        status=Status.RUNNING,
        starts_at=NOW - timedelta(seconds=started_s_ago),
        ends_at=NOW + timedelta(seconds=left_s),
    )


def test_only_the_middle_of_a_running_round_or_a_finished_event_is_quiet() -> None:
    planned = RoundClock(number=1)
    ended = RoundClock(
        number=1, status=Status.ENDED, starts_at=NOW - timedelta(minutes=8), ends_at=NOW
    )
    paused = RoundClock(
        number=1,
        status=Status.PAUSED,
        starts_at=NOW - timedelta(minutes=2),
        paused_remaining_s=100,
    )
    assert not event_is_quiet(None, NOW)  # not read yet
    assert not event_is_quiet(view("scheduled", planned), NOW)  # round 1 may start any moment
    assert not event_is_quiet(view("live", ended), NOW)  # a break: the next start may come
    assert not event_is_quiet(view("live", running(1, 300)), NOW)  # its start still going out
    assert not event_is_quiet(view("live", running(300, 10)), NOW)  # ends soon, next one then
    assert event_is_quiet(view("live", running(60, 300)), NOW)
    assert event_is_quiet(view("live", paused), NOW)  # must be ended before a start
    assert event_is_quiet(view("finished", ended), NOW)


def test_every_followed_event_must_be_quiet() -> None:
    mid_round = view("live", running(60, 300), "e1")
    before_start = view("scheduled", RoundClock(number=1), "e2")
    assert quiet([], NOW)
    assert quiet([mid_round], NOW)
    assert not quiet([mid_round, before_start], NOW)


def test_the_runtime_holds_collections_back_while_a_round_start_may_come() -> None:
    async def scenario() -> None:
        runtime = LiveRuntime(MemoryBroker())
        await runtime.start()
        try:
            assert gc_policy.quiet()  # no sockets: nothing to delay
            runtime.hub.register(Connection("e1", "p1"))
            now = datetime.now(UTC)
            runtime.cache.views["e1"] = view("scheduled", RoundClock(number=1))
            assert not gc_policy.quiet()
            clock = RoundClock(
                number=1,
                status=Status.RUNNING,
                starts_at=now - timedelta(seconds=60),
                ends_at=now + timedelta(seconds=300),
            )
            runtime.cache.views["e1"] = view("live", clock)
            assert gc_policy.quiet()
            runtime.cache.views["e1"] = view("scheduled", RoundClock(number=1))
        finally:
            await runtime.stop()
        assert gc_policy.quiet()  # a stopped runtime holds nothing back

    asyncio.run(scenario())
