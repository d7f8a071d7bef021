"""Holding the break between rounds when auto-advance is on: `pause` and `resume` between rounds.

Without auto-advance nothing starts by itself, so there is nothing to hold. The hold is kept on
the ended round: its `paused_remaining_s` is the break's time left while held
(rooms.RoundClock.hold_break). A release adds the time held to the round's `break_held_s`, so
that the break ends its time left from now, as every "next round at" reads it (`ends_at` + the
break + `break_held_s`); the round's `ends_at` stays the moment it ended (its recorded length).

Holding and the automatic start of the next round both write the ended round's row and then the
event's, so on PostgreSQL as on SQLite one of them sees the other: the hold is refused once the
next round started, and the automatic start is refused once the hold is committed.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, bindparam
from sqlalchemy import update as core_update
from sqlmodel import Session, func, select

from app.errors import Conflict, for_organisers
from app.live import clock_refusals, statements
from app.live.round_clock import clock_of
from app.models import Event, EventPhase, Round, RoundStatus, table_of
from rooms import TimelineError

ACTIONS = ("pause", "resume")

_event, _round = table_of(Event), table_of(Round)

# The hold (or release) stands only while its round is still the event's current one. On
# PostgreSQL a start committed meanwhile is seen: the locked event row is re-read.
_BUMP_IF_CURRENT = (
    core_update(_event)
    .where(_event.c.id == bindparam("event_id"), _event.c.current_round == bindparam("current"))
    .values(state_version=_event.c.state_version + 1)
    .returning(_event.c.state_version)
)

# A no-op write to the ended round before the next: it locks that row, so a hold committed
# meanwhile is seen (PostgreSQL re-reads a locked row that changed), and a hold made after it
# waits for the start's commit and is then refused by `_BUMP_IF_CURRENT`.
_NOT_HELD = (
    core_update(_round)
    .where(
        _round.c.event_id == bindparam("of_event"),
        _round.c.number == bindparam("previous"),
        _round.c.paused_remaining_s.is_(None),
    )
    .values(paused_remaining_s=None)
)


def break_not_held(connection: Connection, event_id: str, number: int) -> bool:
    """False if the break before round `number` is on hold (the automatic start must wait)."""
    if number <= 1:
        return True
    result = connection.execute(_NOT_HELD, {"of_event": event_id, "previous": number - 1})
    return result.rowcount == 1


def bump_if_current(connection: Connection, event_id: str, current: int) -> int | None:
    """The event's next state version, written if round `current` is still its current one."""
    version: int | None = connection.execute(
        _BUMP_IF_CURRENT, {"event_id": event_id, "current": current}
    ).scalar_one_or_none()
    return version


def in_break(session: Session, event: Event) -> Round | None:
    """The ended round whose break auto-advance would end by starting the next, or None."""
    if event.phase != EventPhase.LIVE or not event.auto_advance or event.current_round < 1:
        return None
    row = session.exec(
        select(Round).where(Round.event_id == event.id, Round.number == event.current_round)
    ).first()
    if row is None or row.status != RoundStatus.ENDED:
        return None
    total = session.exec(
        select(func.count()).select_from(Round).where(Round.event_id == event.id)
    ).one()
    return row if row.number < total else None


def change_break(
    session: Session, event: Event, row: Round, action: str, now: datetime
) -> tuple[int, dict[str, object]]:
    """Hold (`pause`) or release (`resume`) the break after `row`; returns the new state version
    and what the change tells (the time held, or when the next round now starts)."""
    clock = clock_of(row)
    try:
        if action == "pause":
            new = clock.hold_break(now, event.break_seconds)
        else:
            new = clock.release_break(now, event.break_seconds)
    except TimelineError as exc:
        raise clock_refusals.refused(exc) from None
    connection = session.connection()
    if not statements.store_clock(connection, row.id, row.status, new, read=clock):
        session.rollback()
        raise Conflict(
            for_organisers("Round %(n)s was changed by someone else just now; try again."),
            n=row.number,
        )
    version = bump_if_current(connection, event.id, row.number)
    if version is None:
        session.rollback()
        raise Conflict(
            for_organisers("Round %(n)s has started: the break is over."), n=row.number + 1
        )
    if new.break_held:
        return version, {"held_break_s": new.paused_remaining_s}
    at = new.break_ends_at(event.break_seconds)
    return version, {"next_round_at": at.isoformat() if at else None}
