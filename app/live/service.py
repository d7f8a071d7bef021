"""Round lifecycle: start, pause, resume, extend, end, broadcast, mark absent, move.

The database is the truth. Each action checks the state, writes with a conditional UPDATE (so two
server processes, or the auto-advance loop and an organiser's click, cannot both end a round),
bumps `Event.state_version`, writes the audit log, commits, and returns the `Change` to publish.
Functions are synchronous: call them from a worker thread.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import Session, select

from app.errors import Conflict, InvalidInput, InvalidTransition, NotFound, for_organisers
from app.live import break_hold, clock_refusals, statements
from app.live.changes import Change, Kind
from app.live.noshow import Replan, apply_replan
from app.live.round_clock import aware, clock_of
from app.models import (
    Event,
    EventPhase,
    Room,
    Round,
    RoundStatus,
    utcnow,
)
from rooms import RoundClock, Status, TimelineError

LIVE_ROUND = (RoundStatus.RUNNING, RoundStatus.PAUSED)

# Once the event has finished, who came and who sat where is its record: the exports and the
# report read it, so marking someone absent then would count them absent with meetings held.
AFTER_END_ROOMS = for_organisers(
    "The event is %(phase)s: attendance and rooms can no longer change."
)
AFTER_END_MESSAGES = for_organisers("The event is %(phase)s: messages can no longer be sent.")


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


def get_event(session: Session, event_id: str) -> Event:
    event = session.get(Event, event_id)
    if event is None:
        raise NotFound(for_organisers("No such event."))
    return event


def refuse_when_finished(event: Event, message: str) -> None:
    """Raise `message` (AFTER_END_ROOMS, AFTER_END_MESSAGES) when `event` has finished."""
    if event.phase == EventPhase.FINISHED:
        raise InvalidTransition(message, phase=event.phase.value)


def find_round(session: Session, event_id: str, number: int) -> Round | None:
    return session.exec(
        select(Round).where(Round.event_id == event_id, Round.number == number)
    ).first()


def _audit(session: Session, event_id: str, actor: str, action: str, **detail: object) -> None:
    statements.audit(session.connection(), event_id, actor, action, detail)


def commit_change(
    session: Session,
    event_id: str,
    actor: str,
    kind: Kind,
    action: str,
    *,
    version: int | None = None,
    **change: object,
) -> Change:
    """Audit and commit; `version` when the caller already bumped it (else bumped here)."""
    if version is None:
        version = statements.bump(session.connection(), event_id)
    _audit(session, event_id, actor, action, **change)
    session.commit()
    return Change(event_id=event_id, version=version, kind=kind, **change)  # type: ignore[arg-type]


def _store_clock(session: Session, row: Round, clock: RoundClock) -> None:
    """Write the new clock only if nobody changed the round since we read it."""
    read = clock_of(row)
    if not statements.store_clock(session.connection(), row.id, row.status, clock, read=read):
        session.rollback()
        raise Conflict(
            for_organisers("Round %(n)s was changed by someone else just now; try again."),
            n=row.number,
        )


def live_round(session: Session, event: Event, expected: int | None = None) -> Round:
    """The running or paused round; `expected`: the round the organiser's click was meant for
    (a co-host's click landing after the next round started must not end or extend that one)."""
    row = find_round(session, event.id, event.current_round)
    if row is None or row.status not in LIVE_ROUND:
        raise InvalidTransition(for_organisers("No round is running right now."))
    if expected is not None and row.number != expected:
        raise Conflict(for_organisers("Round %(n)s is no longer the live round."), n=expected)
    return row


def next_round(event: statements.EventRounds) -> statements.RoundRow:
    """The round `start-round` would start; raises when none can start now."""
    if event.phase not in (EventPhase.SCHEDULED, EventPhase.LIVE):
        raise InvalidTransition(
            for_organisers("The event is %(phase)s: rounds can start once a schedule is stored."),
            phase=event.phase,
        )
    rounds = event.rounds
    current = rounds.get(event.current_round)
    if current is not None and current.status in LIVE_ROUND:
        raise InvalidTransition(
            for_organisers("Round %(n)s is still running; end it first."), n=current.number
        )
    if not rounds:
        raise InvalidTransition(for_organisers("No schedule is stored for this event yet."))
    if event.current_round >= len(rounds):
        raise InvalidTransition(for_organisers("All %(n)s rounds have been played."), n=len(rounds))
    row = rounds.get(event.current_round + 1)
    if row is None:
        raise InvalidTransition(
            for_organisers("Round %(n)s is not in the schedule."), n=event.current_round + 1
        )
    return row


def event_rounds(session: Session, event_id: str) -> statements.EventRounds:
    found = statements.event_rounds(session.connection(), event_id)
    if found is None:
        raise NotFound(for_organisers("No such event."))
    return found


def start_round(
    session: Session,
    event_id: str,
    actor: str,
    *,
    number: int,
    replan: Replan | None = None,
    now: datetime | None = None,
    checked: statements.EventRounds | None = None,
    automatic: bool = False,
) -> Change:
    """Start round `number` (must be the next one), storing a no-show re-plan first if given.

    `automatic` (the auto-advance): not while the organiser holds the break before it.

    `checked`: the event as the caller read it in this session just now, so it is not read
    again (a statement less on the round start's critical path). The conditional updates below
    still refuse a start that someone else made in between.
    """
    event = checked if checked is not None else event_rounds(session, event_id)
    row = next_round(event)
    if row.number != number:
        raise Conflict(
            for_organisers("Round %(n)s cannot start now: another action got there first."),
            n=number,
        )
    connection = session.connection()
    # First, as its own write in this transaction: a hold committed at the same moment wins.
    if automatic and not break_hold.break_not_held(connection, event_id, number):
        session.rollback()
        raise Conflict(for_organisers("The break before round %(n)s is on hold."), n=number)
    told: set[str] = set()
    if replan is not None:
        told = apply_replan(session, get_event(session, event_id), replan)
    clock = row.clock().start(_now(now), event.round_seconds)
    if not statements.store_clock(connection, row.id, RoundStatus.PLANNED, clock):
        session.rollback()
        raise Conflict(
            for_organisers("Round %(n)s was changed by someone else just now; try again."), n=number
        )
    # Claims the start and bumps the version in one statement.
    version = statements.claim_round(connection, event_id, number)
    if version is None:
        session.rollback()
        raise Conflict(
            for_organisers("Round %(n)s was started by someone else just now."), n=number
        )
    extra: dict[str, object] = {}
    if replan is not None:
        extra = {
            "absent": sorted(replan.absent),
            "late": sorted(replan.late),
            "warnings": replan.warnings,
        }
        if replan.rule_breaks:  # re-planned because someone's details changed
            extra["rule_breaks"] = replan.rule_breaks
        _audit(session, event_id, actor, "replan", round=number, **extra)
    # The clock travels with the change, so a process that prepared this round needs no read.
    extra["starts_at"] = clock.starts_at.isoformat() if clock.starts_at else None
    extra["ends_at"] = clock.ends_at.isoformat() if clock.ends_at else None
    return commit_change(
        session,
        event_id,
        actor,
        "round_started",
        "start_round",
        version=version,
        round=number,
        participants=tuple(sorted(told)),
        extra=extra,
    )


def end_round(
    session: Session,
    event_id: str,
    actor: str,
    *,
    expected_round: int | None = None,
    on_time: bool = False,
    now: datetime | None = None,
) -> Change:
    """End the live round; the last round's end finishes the event.

    `on_time` (the auto-advance): only if it is running and its end time has come, as read
    now, or the event was finished meanwhile. The loop decided from an earlier read; an extend
    or a pause since must stand.
    """
    event = get_event(session, event_id)
    row = live_round(session, event, expected_round)
    current = clock_of(row)
    closed = event.phase == EventPhase.FINISHED  # finished by the organiser mid-round
    if on_time and not closed and not _time_is_up(current, _now(now)):
        raise Conflict(for_organisers("Round %(n)s's clock was changed just now."), n=row.number)
    # Finished mid-round: the round ended when the event did (also for one found much later).
    clock = current.end((aware(event.finished_at) if closed else None) or _now(now))
    _store_clock(session, row, clock)
    total = len(session.exec(select(Round.id).where(Round.event_id == event_id)).all())
    if row.number >= total or closed:
        if not closed:
            event.phase = EventPhase.FINISHED
            event.finished_at = utcnow()
            session.add(event)
        return commit_change(session, event_id, actor, "finished", "end_round", round=row.number)
    extra: dict[str, object] = {}
    at = clock.break_ends_at(event.break_seconds)
    if event.auto_advance and at is not None:
        extra["next_round_at"] = at.isoformat()
    return commit_change(
        session, event_id, actor, "round_ended", "end_round", round=row.number, extra=extra
    )


def _time_is_up(clock: RoundClock, now: datetime) -> bool:
    return clock.status is Status.RUNNING and clock.ends_at is not None and clock.ends_at <= now


def change_clock(
    session: Session,
    event_id: str,
    actor: str,
    action: str,
    *,
    seconds: int = 60,
    expected_round: int | None = None,
    now: datetime | None = None,
) -> Change:
    """`pause`, `resume` or `extend` the live round; between rounds with auto-advance, `pause`
    holds the break and `resume` lets it run on (app.live.break_hold)."""
    event = get_event(session, event_id)
    if event.phase == EventPhase.FINISHED:  # its round may run on for up to a second
        raise InvalidTransition(for_organisers("No round is running right now."))
    ended = break_hold.in_break(session, event) if action in break_hold.ACTIONS else None
    if ended is not None and (expected_round is None or ended.number == expected_round):
        version, extra = break_hold.change_break(session, event, ended, action, _now(now))
        name = "hold_break" if action == "pause" else "release_break"
        return commit_change(
            session,
            event_id,
            actor,
            "clock",
            name,
            version=version,
            round=ended.number,
            extra=extra,
        )
    row = live_round(session, event, expected_round)
    clock = clock_of(row)
    try:
        if action == "pause":
            new = clock.pause(_now(now))
        elif action == "resume":
            new = clock.resume(_now(now))
        elif action == "extend":
            new = clock.extend(_now(now), seconds)
        else:
            raise InvalidInput(
                for_organisers("Unknown clock action %(action)s."), action=repr(action)
            )
    except TimelineError as exc:
        raise clock_refusals.refused(exc) from None
    _store_clock(session, row, new)
    detail = {"seconds": seconds} if action == "extend" else {}
    return commit_change(session, event_id, actor, "clock", action, round=row.number, extra=detail)


def broadcast(
    session: Session, event_id: str, actor: str, *, text: str, room: int | None
) -> Change:
    """A message to everyone, or to one room of the live round. Not state: nothing to re-read."""
    event = get_event(session, event_id)
    refuse_when_finished(event, AFTER_END_MESSAGES)
    if room is not None:
        row = live_round(session, event)
        exists = session.exec(
            select(Room.id).where(Room.round_id == row.id, Room.number == room)
        ).first()
        if exists is None:
            raise InvalidInput(
                for_organisers("Round %(n)s has no room %(room)s."), n=row.number, room=room
            )
    sent_at = utcnow()
    detail: dict[str, object] = {"text": text, "room": room}
    statements.audit(session.connection(), event_id, actor, "broadcast", detail, at=sent_at)
    session.commit()
    # Its stored time tells it apart from an earlier message with the same text (EventView).
    return Change(
        event_id=event_id,
        version=event.state_version,
        kind="broadcast",
        text=text,
        room=room,
        extra={"sent_at": sent_at.replace(tzinfo=UTC).isoformat()},
    )
