"""The server-authoritative round clock. Pure: every transition takes `now` from an injected clock.

A round is planned → running ⇄ paused → ended. Times are timezone-aware UTC datetimes.
With auto-advance, the break after an ended round (not the last) can be held and released: while
held, the ended round keeps the break's time left in `paused_remaining_s` and nothing starts; once
released, the time it was held is added to the break (`break_held_s`), so the round's `ends_at`
stays the moment it really ended.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


class Status(StrEnum):
    PLANNED = "planned"
    RUNNING = "running"
    PAUSED = "paused"
    ENDED = "ended"


class ClockRefusal(StrEnum):
    """Why the round's clock refused an action (`TimelineError.code`)."""

    STARTED_BEFORE = "started_before"  # start: the round is not planned any more
    NO_LENGTH = "no_length"  # start: a length of zero seconds or less
    NOT_RUNNING = "not_running"  # pause
    NOT_PAUSED = "not_paused"  # resume
    NO_SECONDS = "no_seconds"  # extend: by zero seconds or less
    NOT_EXTENDABLE = "not_extendable"  # extend: neither running nor paused
    NOT_LIVE = "not_live"  # end: neither running nor paused
    BREAK_HELD = "break_held"  # hold: the break is on hold already
    NO_BREAK = "no_break"  # hold: no break runs after the round (not ended)
    BREAK_NOT_HELD = "break_not_held"  # release: the break is not on hold


# The English message of each refusal (logs, tests); app/ words them per reader's language.
_SAID = {
    ClockRefusal.STARTED_BEFORE: "round {n} is {status}, it cannot start again",
    ClockRefusal.NO_LENGTH: "a round needs a positive length",
    ClockRefusal.NOT_RUNNING: "round {n} is {status}, only a running round pauses",
    ClockRefusal.NOT_PAUSED: "round {n} is {status}, only a paused round resumes",
    ClockRefusal.NO_SECONDS: "extend by a positive number of seconds",
    ClockRefusal.NOT_EXTENDABLE: "round {n} is {status}, it cannot be extended",
    ClockRefusal.NOT_LIVE: "round {n} is {status}, only a live round ends",
    ClockRefusal.BREAK_HELD: "round {n}'s break is already on hold",
    ClockRefusal.NO_BREAK: "round {n} is {status}, only a break is held",
    ClockRefusal.BREAK_NOT_HELD: "round {n}'s break is not on hold",
}


class TimelineError(ValueError):
    """An action that does not fit the round's state (e.g. pausing an ended round): `code` says
    which, `number` and `status` are the round's; the message says it in English."""

    def __init__(self, code: ClockRefusal, clock: RoundClock) -> None:
        self.code = code
        self.number = clock.number
        self.status = clock.status
        super().__init__(_SAID[code].format(n=clock.number, status=clock.status))


@dataclass(frozen=True)
class RoundClock:
    number: int
    status: Status = Status.PLANNED
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    paused_remaining_s: float | None = None
    # Ended: the seconds the break after it was held (released since), on top of the break.
    break_held_s: float = 0.0

    def start(self, now: datetime, seconds: float) -> RoundClock:
        if self.status is not Status.PLANNED:
            raise TimelineError(ClockRefusal.STARTED_BEFORE, self)
        if seconds <= 0:
            raise TimelineError(ClockRefusal.NO_LENGTH, self)
        return replace(
            self, status=Status.RUNNING, starts_at=now, ends_at=now + timedelta(seconds=seconds)
        )

    def pause(self, now: datetime) -> RoundClock:
        if self.status is not Status.RUNNING or self.ends_at is None:
            raise TimelineError(ClockRefusal.NOT_RUNNING, self)
        left = max(0.0, (self.ends_at - now).total_seconds())
        return replace(self, status=Status.PAUSED, paused_remaining_s=left)

    def resume(self, now: datetime) -> RoundClock:
        if self.status is not Status.PAUSED:
            raise TimelineError(ClockRefusal.NOT_PAUSED, self)
        left = self.paused_remaining_s or 0.0
        return replace(
            self,
            status=Status.RUNNING,
            ends_at=now + timedelta(seconds=left),
            paused_remaining_s=None,
        )

    def extend(self, now: datetime, seconds: float) -> RoundClock:
        if seconds <= 0:
            raise TimelineError(ClockRefusal.NO_SECONDS, self)
        if self.status is Status.PAUSED:
            return replace(self, paused_remaining_s=(self.paused_remaining_s or 0.0) + seconds)
        if self.status is not Status.RUNNING or self.ends_at is None:
            raise TimelineError(ClockRefusal.NOT_EXTENDABLE, self)
        # Extending a round that is already past its end counts from now.
        base = max(self.ends_at, now)
        return replace(self, ends_at=base + timedelta(seconds=seconds))

    def end(self, now: datetime) -> RoundClock:
        if self.status not in (Status.RUNNING, Status.PAUSED):
            raise TimelineError(ClockRefusal.NOT_LIVE, self)
        ends = (
            now if self.ends_at is None or self.status is Status.PAUSED else min(now, self.ends_at)
        )
        return replace(self, status=Status.ENDED, ends_at=ends, paused_remaining_s=None)

    @property
    def break_held(self) -> bool:
        """The break after this ended round is on hold: the next round waits for a release."""
        return self.status is Status.ENDED and self.paused_remaining_s is not None

    def break_ends_at(self, break_seconds: float) -> datetime | None:
        """When the break after this ended round runs out (None while held, or not ended)."""
        if self.status is not Status.ENDED or self.ends_at is None or self.break_held:
            return None
        return self.ends_at + timedelta(seconds=break_seconds + self.break_held_s)

    def hold_break(self, now: datetime, break_seconds: float) -> RoundClock:
        """Keep the break's time left; the next round does not start by itself until released."""
        if self.break_held:
            raise TimelineError(ClockRefusal.BREAK_HELD, self)
        ends = self.break_ends_at(break_seconds)
        if ends is None:
            raise TimelineError(ClockRefusal.NO_BREAK, self)
        return replace(self, paused_remaining_s=max(0.0, (ends - now).total_seconds()))

    def release_break(self, now: datetime, break_seconds: float) -> RoundClock:
        """The break runs on with the time it had left: the time it was held is added to it
        (`break_held_s`, read by `break_ends_at`), and the round's end stays as it was."""
        if not self.break_held or self.ends_at is None:
            raise TimelineError(ClockRefusal.BREAK_NOT_HELD, self)
        left = self.paused_remaining_s or 0.0
        ends = now + timedelta(seconds=left)
        held = (ends - self.ends_at).total_seconds() - break_seconds
        return replace(self, paused_remaining_s=None, break_held_s=max(0.0, held))

    def remaining_s(self, now: datetime) -> float | None:
        if self.status is Status.PAUSED:
            return self.paused_remaining_s
        if self.status is Status.RUNNING and self.ends_at is not None:
            return max(0.0, (self.ends_at - now).total_seconds())
        return None


class Action(StrEnum):
    END_ROUND = "end_round"
    START_NEXT = "start_next"
    FINISH = "finish"


@dataclass(frozen=True)
class Due:
    action: Action
    round: int
    at: datetime


class Timeline:
    """Decides what the auto-advance loop must do next, and when."""

    def __init__(
        self,
        *,
        rounds_total: int,
        break_seconds: float,
        auto_advance: bool,
        clock: Clock = system_clock,
    ) -> None:
        self.rounds_total = rounds_total
        self.break_seconds = break_seconds
        self.auto_advance = auto_advance
        self.clock = clock

    def next_due(self, current: RoundClock | None) -> Due | None:
        """The next automatic step after `current` (the latest started round), or None."""
        if current is None:
            return None
        if current.status is Status.RUNNING and current.ends_at is not None:
            # A round always ends on time, auto-advance or not.
            return Due(Action.END_ROUND, current.number, current.ends_at)
        if current.break_held:
            return None  # the organiser holds the break: the next round waits for a release
        if current.status is Status.ENDED and current.ends_at is not None and self.auto_advance:
            if current.number >= self.rounds_total:
                return Due(Action.FINISH, current.number, current.ends_at)
            at = current.break_ends_at(self.break_seconds) or current.ends_at
            return Due(Action.START_NEXT, current.number + 1, at)
        return None

    def due_now(self, current: RoundClock | None) -> Due | None:
        """`next_due` if its time has come on the injected clock."""
        due = self.next_due(current)
        if due is not None and due.at <= self.clock():
            return due
        return None
