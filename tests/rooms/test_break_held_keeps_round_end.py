"""A held break's release lengthens the break, not the round before it: the round's end stays."""

from datetime import UTC, datetime, timedelta

from rooms import Action, RoundClock, Timeline

T0 = datetime(2026, 6, 12, 9, 0, tzinfo=UTC)
BREAK = 120


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def test_a_release_keeps_the_rounds_end_and_adds_the_time_held_to_the_break() -> None:
    ended = RoundClock(1).start(at(0), 480).end(at(480))
    released = ended.hold_break(at(500), BREAK).release_break(at(2000), BREAK)  # 100 s left
    assert released.ends_at == at(480)  # the round still ended when it did
    assert released.break_held_s == 1500
    assert released.break_ends_at(BREAK) == at(2100)


def test_a_break_held_twice_adds_up_both_holds() -> None:
    timeline = Timeline(rounds_total=3, break_seconds=BREAK, auto_advance=True)
    ended = RoundClock(1).start(at(0), 480).end(at(480))
    once = ended.hold_break(at(500), BREAK).release_break(at(800), BREAK)  # next at 900
    twice = once.hold_break(at(850), BREAK).release_break(at(1850), BREAK)  # 50 s left
    assert twice.ends_at == at(480)
    assert twice.break_held_s == 1300
    due = timeline.next_due(twice)
    assert due is not None
    assert (due.action, due.at) == (Action.START_NEXT, at(1900))
