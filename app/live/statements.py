"""The round start's SQL (and every live action's version bump and audit row), built once as
Core statements on the tables.

Every participant waits for the round start's transaction before hearing anything. Through the
ORM each statement cost 100-130 µs of Python before SQLite saw it; a statement built once and
run on the session's connection costs about 20 µs (`python -m bench start-path`). They run on
the caller's session's connection, so they commit or roll back with it; they do not flush the
session's pending ORM changes, which go at its commit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    bindparam,
    case,
    false,
    func,
    insert,
    literal,
    select,
    union_all,
)
from sqlalchemy import update as core_update

from app.live.round_clock import clock_of, naive
from app.models import (
    AttendanceStatus,
    AuditLog,
    Event,
    EventPhase,
    Participant,
    Room,
    RoomMember,
    Round,
    RoundStatus,
    SchedulePlan,
    table_of,
    utcnow,
)
from rooms import RoundClock

HERE = (AttendanceStatus.PRESENT, AttendanceStatus.LATE)


_event, _round = table_of(Event), table_of(Round)
_room, _member = table_of(Room), table_of(RoomMember)
_person, _audit = table_of(Participant), table_of(AuditLog)
_plan = table_of(SchedulePlan)


@dataclass(frozen=True)
class RoundRow:
    id: str
    number: int
    status: RoundStatus
    starts_at: datetime | None
    ends_at: datetime | None
    paused_remaining_s: float | None
    break_held_s: float

    def clock(self) -> RoundClock:
        return clock_of(self)


@dataclass(frozen=True)
class PlanStamps:
    """What changes whenever the stored plan's fit may have (app.live.plan_fit, rule_fit): the
    event's state version (a new plan, a removal, a phase change), its newest plan's version
    (None: no plan) and its newest audit entry (a participant edited or erased: audited). The
    last two are read only while the event is scheduled or live."""

    state_version: int
    plan_version: int | None
    last_audit: int | None


@dataclass(frozen=True)
class EventRounds:
    """What a round start checks: the event's owner, phase, round and rounds."""

    id: str
    organiser_id: str
    phase: EventPhase
    current_round: int
    round_seconds: int
    stamps: PlanStamps
    rounds: dict[int, RoundRow] = field(default_factory=dict)


def _while_scheduled(column: ColumnElement[Any]) -> ColumnElement[Any]:
    """`column` while a round can start, else NULL: no start needs the stamps then."""
    return case((_event.c.phase.in_([EventPhase.SCHEDULED, EventPhase.LIVE]), column), else_=None)


_PLAN_VERSION = (
    select(func.max(_plan.c.version))
    .where(_plan.c.event_id == bindparam("event_id"))
    .scalar_subquery()
)
_LAST_AUDIT = (
    select(func.max(_audit.c.id))
    .where(_audit.c.event_id == bindparam("event_id"))
    .scalar_subquery()
)


_EVENT_ROUNDS = (
    select(
        _event.c.id,
        _event.c.organiser_id,
        _event.c.phase,
        _event.c.current_round,
        _event.c.round_seconds,
        _round.c.id,
        _round.c.number,
        _round.c.status,
        _round.c.starts_at,
        _round.c.ends_at,
        _round.c.paused_remaining_s,
        _round.c.break_held_s,
        _event.c.state_version,
        _while_scheduled(_PLAN_VERSION),
        _while_scheduled(_LAST_AUDIT),
    )
    .select_from(_event.outerjoin(_round, _round.c.event_id == _event.c.id))
    .where(_event.c.id == bindparam("event_id"))
)


def event_rounds(connection: Connection, event_id: str) -> EventRounds | None:
    """The event and all its rounds in one read; None when there is no such event."""
    rows = connection.execute(_EVENT_ROUNDS, {"event_id": event_id}).all()
    if not rows:
        return None
    first = rows[0]
    rounds = {
        r[6]: RoundRow(r[5], r[6], RoundStatus(r[7]), r[8], r[9], r[10], r[11])
        for r in rows
        if r[5] is not None
    }
    stamps = PlanStamps(first[12], first[13], first[14])
    phase = EventPhase(first[2])
    return EventRounds(first[0], first[1], phase, first[3], first[4], stamps, rounds)


_SEATS = (
    select(_member.c.participant_id)
    .join(_room, _room.c.id == _member.c.room_id)
    .join(_round, _round.c.id == _room.c.round_id)
    .where(_round.c.event_id == bindparam("event_id"), _round.c.number >= bindparam("first"))
)
_IN_DOUBT = union_all(
    # The event's few people not known to be here first, then their seats: 15 ms at 5,000
    # people when SQLite collected every seat first, under 2 ms this way.
    select(
        _person.c.id, _person.c.attendance, _person.c.deleted, literal(True).label("seated")
    ).where(
        _person.c.event_id == bindparam("event_id"),
        _person.c.deleted.is_(True) | _person.c.attendance.not_in(HERE),
        _person.c.id.in_(_SEATS),
    ),
    select(_person.c.id, _person.c.attendance, _person.c.deleted, literal(False)).where(
        _person.c.event_id == bindparam("event_id"),
        _person.c.deleted.is_(false()),
        _person.c.id.not_in(_SEATS),
    ),
)


def in_doubt(
    connection: Connection, event_id: str, first_round: int
) -> list[tuple[str, str, bool, bool]]:
    """(id, attendance, deleted, seated) of everyone seated from `first_round` on who is not
    known to be here, and of everyone not deleted who is seated nowhere from then on."""
    rows = connection.execute(_IN_DOUBT, {"event_id": event_id, "first": first_round})
    return [(r[0], str(r[1]), bool(r[2]), bool(r[3])) for r in rows]


_STORE_CLOCK = (
    core_update(_round)
    .where(_round.c.id == bindparam("round_id"), _round.c.status == bindparam("before"))
    .values(
        status=bindparam("status"),
        starts_at=bindparam("starts_at"),
        ends_at=bindparam("ends_at"),
        paused_remaining_s=bindparam("paused_remaining_s"),
        break_held_s=bindparam("break_held_s"),
    )
)


# Also compares the end time and the paused remainder read: two extends (or an extend and the
# auto-advance's end) read at once share a status, and the second would undo the first.
_STORE_CLOCK_IF_UNCHANGED = _STORE_CLOCK.where(
    _round.c.ends_at.is_not_distinct_from(bindparam("before_ends_at")),
    _round.c.paused_remaining_s.is_not_distinct_from(bindparam("before_paused_remaining_s")),
)


def store_clock(
    connection: Connection,
    round_id: str,
    before: RoundStatus,
    clock: RoundClock,
    *,
    read: RoundClock | None = None,
) -> bool:
    """Write the round's new clock if it still has status `before` (and, given `read`, still
    the clock that was read); False if someone else changed it first."""
    params: dict[str, Any] = {}
    if read is not None:
        params = {
            "before_ends_at": naive(read.ends_at),
            "before_paused_remaining_s": read.paused_remaining_s,
        }
    result = connection.execute(
        _STORE_CLOCK if read is None else _STORE_CLOCK_IF_UNCHANGED,
        {
            **params,
            "round_id": round_id,
            "before": before,
            "status": RoundStatus(clock.status.value),
            "starts_at": naive(clock.starts_at),
            "ends_at": naive(clock.ends_at),
            "paused_remaining_s": clock.paused_remaining_s,
            "break_held_s": clock.break_held_s,
        },
    )
    return result.rowcount == 1


_BUMP = (
    core_update(_event)
    .where(_event.c.id == bindparam("event_id"))
    .values(state_version=_event.c.state_version + 1)
    .returning(_event.c.state_version)
)
_CLAIM = (
    core_update(_event)
    .where(_event.c.id == bindparam("event_id"), _event.c.current_round == bindparam("previous"))
    .values(
        current_round=bindparam("number"),
        phase=EventPhase.LIVE,
        state_version=_event.c.state_version + 1,
    )
    .returning(_event.c.state_version)
)


def bump(connection: Connection, event_id: str) -> int:
    """The event's next state version, written (RETURNING: SQLite 3.35+, PostgreSQL)."""
    version: int = connection.execute(_BUMP, {"event_id": event_id}).scalar_one()
    return version


def claim_round(connection: Connection, event_id: str, number: int) -> int | None:
    """Make round `number` the event's current one and bump its version, if round
    `number - 1` still is; the new version, or None when someone else started it first."""
    version: int | None = connection.execute(
        _CLAIM, {"event_id": event_id, "previous": number - 1, "number": number}
    ).scalar_one_or_none()
    return version


_AUDIT = insert(_audit)


def audit(
    connection: Connection,
    event_id: str,
    actor: str,
    action: str,
    detail: dict[str, Any],
    *,
    at: datetime | None = None,
) -> None:
    """One audit-log row, inserted now (not at the session's flush); `at`: naive UTC."""
    connection.execute(
        _AUDIT,
        {
            "event_id": event_id,
            "actor": actor,
            "action": action,
            "detail": detail,
            "created_at": at or utcnow(),
        },
    )
