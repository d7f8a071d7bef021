"""Holding the break between rounds: with auto-advance on, nothing starts while it is held."""

from datetime import UTC, datetime, timedelta

import pytest

from rooms import Action, RoundClock, Timeline, TimelineError

T0 = datetime(2026, 6, 12, 9, 0, tzinfo=UTC)
BREAK = 120


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def timeline() -> Timeline:
    return Timeline(rounds_total=3, break_seconds=BREAK, auto_advance=True, clock=lambda: at(10**6))


def test_a_held_break_starts_nothing_and_a_release_runs_on_with_the_time_it_had_left() -> None:
    ended = RoundClock(1).start(at(0), 480).end(at(480))
    held = ended.hold_break(at(500), BREAK)  # 100 s of break left
    assert held.break_held
    assert held.paused_remaining_s == 100
    assert timeline().next_due(held) is None  # however long it is held

    released = held.release_break(at(2000), BREAK)
    assert not released.break_held
    due = timeline().next_due(released)
    assert due is not None
    assert (due.action, due.round, due.at) == (Action.START_NEXT, 2, at(2100))


def test_only_an_ended_rounds_break_is_held_and_only_a_held_one_released() -> None:
    running = RoundClock(1).start(at(0), 480)
    with pytest.raises(TimelineError, match="only a break is held"):
        running.hold_break(at(10), BREAK)
    ended = running.end(at(480))
    with pytest.raises(TimelineError, match="not on hold"):
        ended.release_break(at(500), BREAK)
    with pytest.raises(TimelineError, match="already on hold"):
        ended.hold_break(at(500), BREAK).hold_break(at(510), BREAK)


def test_a_break_held_after_its_time_ran_out_starts_at_once_on_release() -> None:
    held = RoundClock(1).start(at(0), 480).end(at(480)).hold_break(at(900), BREAK)
    assert held.paused_remaining_s == 0
    due = timeline().next_due(held.release_break(at(1000), BREAK))
    assert due is not None
    assert due.at == at(1000)
