from datetime import UTC, datetime, timedelta

import pytest

from rooms import Action, RoundClock, Status, Timeline, TimelineError

T0 = datetime(2026, 6, 12, 9, 0, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def test_start_pause_resume_keeps_the_remaining_time() -> None:
    clock = RoundClock(1).start(at(0), 480)
    assert clock.remaining_s(at(100)) == 380
    paused = clock.pause(at(100))
    assert paused.status is Status.PAUSED
    assert paused.remaining_s(at(1000)) == 380  # frozen while paused
    resumed = paused.resume(at(200))
    assert resumed.ends_at == at(580)


def test_extend_adds_a_minute_running_or_paused() -> None:
    clock = RoundClock(1).start(at(0), 480)
    assert clock.extend(at(10), 60).ends_at == at(540)
    assert clock.pause(at(100)).extend(at(120), 60).paused_remaining_s == 440


def test_end_records_the_actual_end_and_refuses_a_second_end() -> None:
    ended = RoundClock(1).start(at(0), 480).end(at(200))
    assert ended.status is Status.ENDED
    assert ended.ends_at == at(200)
    with pytest.raises(TimelineError, match="only a live round ends"):
        ended.end(at(300))
    with pytest.raises(TimelineError, match="cannot start again"):
        ended.start(at(300), 480)


def test_a_round_ends_on_time_even_without_auto_advance() -> None:
    now = [at(0)]
    tl = Timeline(rounds_total=4, break_seconds=120, auto_advance=False, clock=lambda: now[0])
    clock = RoundClock(1).start(at(0), 480)
    assert tl.due_now(clock) is None
    now[0] = at(480)
    due = tl.due_now(clock)
    assert due is not None
    assert (due.action, due.round) == (Action.END_ROUND, 1)
    assert tl.due_now(clock.end(at(480))) is None  # no auto-advance: wait for the organiser


def test_auto_advance_starts_the_next_round_after_the_break_and_finishes_after_the_last() -> None:
    now = [at(500)]
    tl = Timeline(rounds_total=2, break_seconds=120, auto_advance=True, clock=lambda: now[0])
    ended = RoundClock(1).start(at(0), 480).end(at(480))
    assert tl.due_now(ended) is None  # still in the break
    now[0] = at(600)
    due = tl.due_now(ended)
    assert due is not None
    assert (due.action, due.round, due.at) == (Action.START_NEXT, 2, at(600))
    last = RoundClock(2).start(at(600), 480).end(at(1080))
    now[0] = at(1080)
    finish = tl.due_now(last)
    assert finish is not None
    assert finish.action is Action.FINISH
