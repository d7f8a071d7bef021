"""Every refusal of the round clock says which it is (`code`), with the round's number and status
then, so that app/ can word it in the organiser's language; the English message stays."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from rooms import ClockRefusal, RoundClock, Status, TimelineError

T0 = datetime(2026, 6, 12, 9, 0, tzinfo=UTC)
BREAK = 120


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


RUNNING = RoundClock(2).start(at(0), 480)
PAUSED = RUNNING.pause(at(100))
ENDED = RUNNING.end(at(480))
HELD = ENDED.hold_break(at(500), BREAK)

REFUSED: list[tuple[Callable[[], RoundClock], ClockRefusal, Status, str]] = [
    (lambda: ENDED.start(at(600), 480), ClockRefusal.STARTED_BEFORE, Status.ENDED,
     "round 2 is ended, it cannot start again"),
    (lambda: RoundClock(2).start(at(0), 0), ClockRefusal.NO_LENGTH, Status.PLANNED,
     "a round needs a positive length"),
    (lambda: PAUSED.pause(at(200)), ClockRefusal.NOT_RUNNING, Status.PAUSED,
     "round 2 is paused, only a running round pauses"),
    (lambda: RUNNING.resume(at(200)), ClockRefusal.NOT_PAUSED, Status.RUNNING,
     "round 2 is running, only a paused round resumes"),
    (lambda: RUNNING.extend(at(200), 0), ClockRefusal.NO_SECONDS, Status.RUNNING,
     "extend by a positive number of seconds"),
    (lambda: ENDED.extend(at(600), 60), ClockRefusal.NOT_EXTENDABLE, Status.ENDED,
     "round 2 is ended, it cannot be extended"),
    (lambda: ENDED.end(at(600)), ClockRefusal.NOT_LIVE, Status.ENDED,
     "round 2 is ended, only a live round ends"),
    (lambda: HELD.hold_break(at(510), BREAK), ClockRefusal.BREAK_HELD, Status.ENDED,
     "round 2's break is already on hold"),
    (lambda: RUNNING.hold_break(at(10), BREAK), ClockRefusal.NO_BREAK, Status.RUNNING,
     "round 2 is running, only a break is held"),
    (lambda: ENDED.release_break(at(500), BREAK), ClockRefusal.BREAK_NOT_HELD, Status.ENDED,
     "round 2's break is not on hold"),
]  # fmt: skip


@pytest.mark.parametrize(("action", "code", "status", "english"), REFUSED)
def test_a_refusal_carries_its_code_and_the_round_as_it_was(
    action: Callable[[], RoundClock], code: ClockRefusal, status: Status, english: str
) -> None:
    with pytest.raises(TimelineError) as refused:
        action()
    assert refused.value.code is code
    assert (refused.value.number, refused.value.status) == (2, status)
    assert str(refused.value) == english


def test_every_refusal_is_tested() -> None:
    assert {code for _a, code, _s, _e in REFUSED} == set(ClockRefusal)
